import { INestApplication, LogLevel } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { NestExpressApplication } from '@nestjs/platform-express';
import { DocumentBuilder, OpenAPIObject, SwaggerModule } from '@nestjs/swagger';
import type { Logger as RootLogger } from 'pino';
import { BEARER_SCHEME } from './access/auth.decorators';
import { AppModule, AppOptions } from './app.module';
import { HttpLimits, hardenHttp } from './common/http-hardening';
import { consoleDirectory, serveConsole } from './console';
import { ServiceLogger, accessLog, bindRequestLogger, createRootLogger } from './common/logging';

export interface CreateAppOptions extends AppOptions {
  bodyLimitBytes?: number;
  /** The process's logger (src/main.ts makes it first, for the embedded database's lines); else one at logLevel. */
  logger?: RootLogger;
  logLevel?: LogLevel | false;
  http?: Partial<HttpLimits>;
  /** The built console to serve at `/`; default web/dist when it has been built, null for none. */
  consoleDirectory?: string | null;
}

/** Builds the HTTP application exactly as the service runs it; the tests and the OpenAPI writer use it too. */
export async function createApp(options: CreateAppOptions): Promise<INestApplication> {
  const root = options.logger ?? createRootLogger({ level: options.logLevel ?? 'log' });
  const app = await NestFactory.create<NestExpressApplication>(AppModule.forRoot(options), {
    bodyParser: false,
    logger: new ServiceLogger(root),
  });
  // First, so that every answer, even one refused by the body parser, has its request id and its access line.
  app.use(accessLog(root));
  hardenHttp(app, {
    headersTimeoutMs: options.http?.headersTimeoutMs ?? 10_000,
    requestTimeoutMs: options.http?.requestTimeoutMs ?? 120_000,
    trustProxy: options.http?.trustProxy,
  });
  app.useBodyParser('json', { limit: options.bodyLimitBytes ?? 1_048_576 });
  // A plain HTML form (the public notice page's objection form, which works without script) posts urlencoded fields.
  app.useBodyParser('urlencoded', { limit: 16_384, extended: false, parameterLimit: 20 });
  app.use(bindRequestLogger);
  const consoleDir = options.consoleDirectory === undefined ? consoleDirectory() : options.consoleDirectory;
  if (consoleDir) serveConsole(app, consoleDir);
  // One document, built on first request, behind the UI, /docs/openapi.json and the conventional /docs-json.
  let document: OpenAPIObject | undefined;
  const built = () => (document ??= openApiDocument(app));
  SwaggerModule.setup('docs', app, built, { jsonDocumentUrl: 'docs/openapi.json' });
  SwaggerModule.setup('docs', app, built, { ui: false, raw: ['json'] });
  return app;
}

export function openApiDocument(app: INestApplication): OpenAPIObject {
  const config = new DocumentBuilder()
    .setTitle('Fund ledger')
    .setDescription('Poverty-alleviation fund ledger: double-entry postings, balances, reversals and the audit event log.')
    .setVersion('0.1.0')
    .addBearerAuth({ type: 'http', scheme: 'bearer', bearerFormat: 'JWT', description: 'The accessToken answered by POST /api/v1/auth/login' }, BEARER_SCHEME)
    .build();
  return SwaggerModule.createDocument(app, config);
}
