import type { NestExpressApplication } from '@nestjs/platform-express';
import compression from 'compression';
import type { NextFunction, Request, Response } from 'express';
import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';

/** Paths the service answers itself: everything else a browser asks for with GET is a page of the console. */
const SERVICE_PATHS = /^\/(?:api|docs|docs-json|public|health)(?:[/?]|$)/i;
/** A file's address (a script chunk, a font): a missing one is a 404, never the page, so a stale tab fails loudly. */
const FILE_PATH = /^\/assets\/|\.[a-z0-9]+$/i;

/**
 * The built console (web/dist, from `npm run build`), or null when it has not been built: the API works without
 * it. Found from the package's root, so the service finds it whether it runs from src (ts-node) or dist.
 */
export function consoleDirectory(): string | null {
  for (const root of [resolve(__dirname, '..'), resolve(__dirname, '..', '..')]) {
    const dir = join(root, 'web', 'dist');
    if (existsSync(join(root, 'package.json')) && existsSync(join(dir, 'index.html'))) return dir;
  }
  return null;
}

/**
 * Serves the console on the API's own origin: hashed assets cached for a year (their names change with their
 * content), and index.html for every other page address, so a reload or a shared link opens the same page.
 */
export function serveConsole(app: NestExpressApplication, dir: string): void {
  const index = join(dir, 'index.html');
  // The console's own files go out compressed (a village's link is slow); the API's answers are left as they are.
  app.use('/assets', compression());
  app.useStaticAssets(dir, {
    index: false,
    setHeaders: (res: Response, path: string) => {
      if (path.startsWith(join(dir, 'assets'))) res.setHeader('Cache-Control', 'public, max-age=31536000, immutable');
    },
  });
  app.use((req: Request, res: Response, next: NextFunction) => {
    if ((req.method !== 'GET' && req.method !== 'HEAD') || SERVICE_PATHS.test(req.path) || FILE_PATH.test(req.path) || !req.accepts('html')) return next();
    res.setHeader('Cache-Control', 'no-cache');
    res.sendFile(index);
  });
}
