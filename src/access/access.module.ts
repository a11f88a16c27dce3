import { DynamicModule, Module } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import { APP_GUARD, DiscoveryModule } from '@nestjs/core';
import { JwtModule } from '@nestjs/jwt';
import { AuditModule } from '../audit/audit.module';
import { CountyModule } from '../county/county.module';
import { AccessBootstrap, EMBEDDED_DATABASE } from './access-bootstrap';
import { AccessGuard } from './access.guard';
import { AuthController, OrgUnitsController, UsersController } from './access.controller';
import { AuthService, LOGIN_THROTTLE } from './auth.service';
import { LoginThrottle } from './login-throttle';
import { OrgUnitsService } from './org-units.service';
import { RouteAuditor } from './route-auditor';
import { UsersService } from './users.service';

export interface AccessOptions {
  jwtSecret: string;
  embeddedDatabase: boolean;
}

@Module({})
export class AccessModule {
  static forRoot(options: AccessOptions): DynamicModule {
    return {
      module: AccessModule,
      imports: [AuditModule, CountyModule, DiscoveryModule, JwtModule.register({ secret: options.jwtSecret, signOptions: { algorithm: 'HS256' } })],
      controllers: [AuthController, UsersController, OrgUnitsController],
      providers: [
        UsersService,
        OrgUnitsService,
        AuthService,
        RouteAuditor,
        AccessBootstrap,
        { provide: EMBEDDED_DATABASE, useValue: options.embeddedDatabase },
        {
          provide: LOGIN_THROTTLE,
          inject: [ConfigService],
          useFactory: (config: ConfigService) =>
            new LoginThrottle(
              config.getOrThrow<number>('LOGIN_MAX_FAILURES_PER_USERNAME_AND_ADDRESS'),
              config.getOrThrow<number>('LOGIN_MAX_FAILURES_PER_ADDRESS'),
              config.getOrThrow<number>('LOGIN_WINDOW_SECONDS') * 1000,
            ),
        },
        { provide: APP_GUARD, useClass: AccessGuard },
      ],
      exports: [UsersService, OrgUnitsService, RouteAuditor],
    };
  }
}
