import { INestApplication, LogLevel } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { NestExpressApplication } from '@nestjs/platform-express';
import { DocumentBuilder, OpenAPIObject, SwaggerModule } from '@nestjs/swagger';
import { AppModule, AppOptions } from './app.module';

const LEVELS: LogLevel[] = ['error', 'warn', 'log', 'debug', 'verbose'];

export interface CreateAppOptions extends AppOptions {
  bodyLimitBytes?: number;
  logLevel?: LogLevel | false;
}

/** Builds the HTTP application exactly as the service runs it; the tests and the OpenAPI writer use it too. */
export async function createApp(options: CreateAppOptions): Promise<INestApplication> {
  const level = options.logLevel ?? 'log';
  const app = await NestFactory.create<NestExpressApplication>(AppModule.forRoot(options), {
    bodyParser: false,
    logger: level === false ? false : LEVELS.slice(0, LEVELS.indexOf(level) + 1),
  });
  app.useBodyParser('json', { limit: options.bodyLimitBytes ?? 1_048_576 });
  SwaggerModule.setup('docs', app, () => openApiDocument(app), { jsonDocumentUrl: 'docs/openapi.json' });
  return app;
}

export function openApiDocument(app: INestApplication): OpenAPIObject {
  const config = new DocumentBuilder()
    .setTitle('Fund ledger')
    .setDescription('Poverty-alleviation fund ledger: double-entry postings, balances, reversals and the audit event log.')
    .setVersion('0.1.0')
    .build();
  return SwaggerModule.createDocument(app, config);
}
