import { Injectable, OnApplicationBootstrap } from '@nestjs/common';
import { METHOD_METADATA, PATH_METADATA } from '@nestjs/common/constants';
import { RequestMethod } from '@nestjs/common';
import { DiscoveryService, MetadataScanner, Reflector } from '@nestjs/core';
import { PUBLIC_KEY, ROLES_KEY } from './auth.decorators';

export interface DeclaredRoute {
  method: string;
  path: string;
  handler: string;
  access: 'public' | string[];
}

/** Refuses to start when a route declares neither @Authenticated nor @Public: nothing is open by accident. */
@Injectable()
export class RouteAuditor implements OnApplicationBootstrap {
  constructor(
    private readonly discovery: DiscoveryService,
    private readonly scanner: MetadataScanner,
    private readonly reflector: Reflector,
  ) {}

  onApplicationBootstrap(): void {
    const undeclared = this.routes().filter((r) => r.access.length === 0);
    if (undeclared.length > 0) {
      throw new Error(`routes without an access declaration: ${undeclared.map((r) => r.handler).join(', ')}`);
    }
  }

  routes(): DeclaredRoute[] {
    return this.discovery.getControllers().flatMap(({ metatype, instance }) => {
      if (!metatype || !instance) return [];
      const proto = Object.getPrototypeOf(instance) as Record<string, (...args: unknown[]) => unknown>;
      return this.scanner
        .getAllMethodNames(proto)
        .filter((name) => Reflect.getMetadata(PATH_METADATA, proto[name]) !== undefined)
        .map((name) => {
          const targets = [proto[name], metatype];
          const open = this.reflector.getAllAndOverride<boolean>(PUBLIC_KEY, targets);
          const roles = this.reflector.getAllAndOverride<string[]>(ROLES_KEY, targets);
          const base = String(Reflect.getMetadata(PATH_METADATA, metatype) ?? '');
          const own = String(Reflect.getMetadata(PATH_METADATA, proto[name]));
          const path = `/${[base, own].filter((p) => p && p !== '/').join('/')}`.replace(/\/+/g, '/');
          const method = RequestMethod[Reflect.getMetadata(METHOD_METADATA, proto[name]) as RequestMethod];
          return { method, path, handler: `${metatype.name}.${name}`, access: open ? ('public' as const) : (roles ?? []) };
        });
    });
  }
}
