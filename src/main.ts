import 'reflect-metadata';
import { existsSync } from 'node:fs';
import { Logger } from '@nestjs/common';
import { createApp } from './app';
import { ServiceLogger, createRootLogger } from './common/logging';
import { validateEnv } from './config/env';
import { resolveJwtSecret } from './config/secrets';
import { resolveDatabase } from './database/database-url';
import { EmbeddedPostgresError } from './database/embedded-postgres';

// Until the configuration is read, its defaults: a refused configuration is logged like any other line.
Logger.overrideLogger(new ServiceLogger(createRootLogger({ level: 'log' })));
const logger = new Logger('Main');

async function main(): Promise<void> {
  if (existsSync('.env')) process.loadEnvFile('.env');
  const env = validateEnv(process.env);
  // One logger from the first line: the embedded database starts before the application, and writes through it too.
  const root = createRootLogger({ level: env.LOG_LEVEL, format: env.LOG_FORMAT });
  Logger.overrideLogger(new ServiceLogger(root));
  const db = await resolveDatabase(env, new Logger('EmbeddedPostgres'));
  if (db.embedded) logger.log(`embedded PostgreSQL is up (data in ${env.DATA_DIR}; npm run cli -- db-url prints its URL)`);

  const app = await createApp({
    databaseUrl: db.url,
    embeddedDatabase: db.embedded,
    jwtSecret: await resolveJwtSecret(env, db.embedded),
    poolSize: env.DB_POOL_SIZE,
    bodyLimitBytes: env.BODY_LIMIT_BYTES,
    http: { headersTimeoutMs: env.HTTP_HEADERS_TIMEOUT_MS, requestTimeoutMs: env.HTTP_REQUEST_TIMEOUT_MS, trustProxy: env.TRUST_PROXY },
    logger: root,
  });
  let stopping = false;
  // The embedded server runs in its own process group, so Ctrl-C reaches only this process: the application
  // closes first (its last audit sealing needs the database), then the server stops.
  const stop = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    logger.log(`${signal}: shutting down`);
    await app.close();
    await db.stop();
    process.exit(0);
  };
  process.once('SIGINT', () => void stop('SIGINT'));
  process.once('SIGTERM', () => void stop('SIGTERM'));
  await app.listen(env.PORT, '0.0.0.0');
  logger.log(`listening on http://localhost:${env.PORT} (API docs at /docs)`);
}

main().catch((err) => {
  // A start the embedded database refuses says what to do in one line; anything else keeps its stack.
  if (err instanceof EmbeddedPostgresError) logger.error(err.message);
  else logger.error(err instanceof Error ? err.stack : err);
  process.exit(1);
});
