import 'reflect-metadata';
import { existsSync } from 'node:fs';
import { Logger } from '@nestjs/common';
import { createApp } from './app';
import { validateEnv } from './config/env';
import { resolveJwtSecret } from './config/secrets';
import { resolveDatabase } from './database/database-url';

async function main(): Promise<void> {
  if (existsSync('.env')) process.loadEnvFile('.env');
  const env = validateEnv(process.env);
  const logger = new Logger('Main');
  const db = await resolveDatabase(env, (line) => logger.debug(line));
  if (db.embedded) logger.log(`embedded PostgreSQL is up (data in ${env.DATA_DIR})`);

  const app = await createApp({
    databaseUrl: db.url,
    embeddedDatabase: db.embedded,
    jwtSecret: await resolveJwtSecret(env, db.embedded),
    poolSize: env.DB_POOL_SIZE,
    bodyLimitBytes: env.BODY_LIMIT_BYTES,
    logLevel: env.LOG_LEVEL as 'log',
  });
  let stopping = false;
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
  console.error(err);
  process.exit(1);
});
