import { Env } from '../config/env';
import { EmbeddedLogger, runningEmbeddedUrl, startEmbeddedPostgres } from './embedded-postgres';

export interface ResolvedDatabase {
  url: string;
  embedded: boolean;
  stop(): Promise<void>;
}

export interface ResolveOptions {
  /** Use the embedded server a running service already serves DATA_DIR with (the CLI beside the service). */
  reuseRunning?: boolean;
}

/** DATABASE_URL when set; otherwise the embedded PostgreSQL in DATA_DIR, started here unless it runs and may be reused. */
export async function resolveDatabase(env: Env, logger: EmbeddedLogger, options: ResolveOptions = {}): Promise<ResolvedDatabase> {
  if (env.DATABASE_URL) return { url: env.DATABASE_URL, embedded: false, stop: () => Promise.resolve() };
  const where = env.EMBEDDED_PG_PORT === undefined ? 'on a socket in it' : `on port ${env.EMBEDDED_PG_PORT}`;
  logger.debug(`DATABASE_URL is not set: the embedded PostgreSQL in ${env.DATA_DIR}, ${where}`);
  const db = await startEmbeddedPostgres({ dataDir: env.DATA_DIR, port: env.EMBEDDED_PG_PORT, reuseRunning: options.reuseRunning, logger });
  return { url: db.url, embedded: true, stop: () => db.stop() };
}

/** The URL of the database in use: DATABASE_URL, or the running embedded server's; undefined when that is not running. */
export function currentDatabaseUrl(env: Env): Promise<string | undefined> {
  return env.DATABASE_URL ? Promise.resolve(env.DATABASE_URL) : runningEmbeddedUrl(env.DATA_DIR);
}
