import type { INestApplication } from '@nestjs/common';
import type { NextFunction, Request, Response } from 'express';
import helmet from 'helmet';
import type { Server } from 'node:http';

export interface HttpLimits {
  /** Time a client has to send all of a request's headers. */
  headersTimeoutMs: number;
  /** Time a client has to send a whole request, body included (a 10 MiB scan at 200 KB/s takes 50 s). */
  requestTimeoutMs: number;
  /**
   * Express's `trust proxy` (e.g. `loopback`, `10.0.0.0/8`, or a number of hops): which proxies' X-Forwarded-For
   * names the client, for login throttling per address. Unset: none, the peer address is the client.
   */
  trustProxy?: string;
}

/**
 * Security headers on every answer (no X-Powered-By, nosniff, no framing, a strict CSP that also fits the /docs
 * page), nothing of the API kept in caches, and timeouts so a slow client cannot hold a connection open.
 */
export function hardenHttp(app: INestApplication, limits: HttpLimits): void {
  app.use(
    helmet({
      frameguard: { action: 'deny' },
      contentSecurityPolicy: {
        directives: {
          'frame-ancestors': ["'none'"],
          // The console previews a claim's scans (fetched with the token, shown from blob: addresses) in the page.
          'img-src': ["'self'", 'data:', 'blob:'],
          'frame-src': ["'self'", 'blob:'],
          // A county serves the console over plain HTTP on its own network as often as not: upgrading every asset
          // request to https there would leave a blank page. TLS, where there is one, is the proxy's to enforce.
          'upgrade-insecure-requests': null,
        },
      },
      // Same origin: nothing of ours is meant to be embedded or opened by another site.
      crossOriginResourcePolicy: { policy: 'same-origin' },
    }),
  );
  app.use((_req: Request, res: Response, next: NextFunction) => {
    // Answers carry personal and financial data: no browser or proxy keeps them.
    res.setHeader('Cache-Control', 'no-store');
    next();
  });
  if (limits.trustProxy !== undefined) {
    const hops = /^[0-9]+$/.test(limits.trustProxy) ? Number(limits.trustProxy) : limits.trustProxy;
    (app.getHttpAdapter().getInstance() as { set(name: string, value: unknown): void }).set('trust proxy', hops);
  }
  const server = app.getHttpServer() as Server;
  server.headersTimeout = limits.headersTimeoutMs;
  server.requestTimeout = limits.requestTimeoutMs;
  // Node checks the two timeouts on this interval (30 s by default); it is read when the server starts listening.
  (server as Server & { connectionsCheckingInterval: number }).connectionsCheckingInterval = Math.min(1000, limits.headersTimeoutMs);
}
