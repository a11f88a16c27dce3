import { DataSource, MigrationExecutor } from 'typeorm';
import { z } from 'zod';
import { pgErrorOf } from './pg-errors';
import { col, selectRows } from './rows';

/** Start-up refused because the schema is older than the code and the service's role may not change it. */
export class SchemaBehindError extends Error {}

/**
 * The migrations step of start-up. Nothing pending (the usual case): no DDL, no lock, so a role that owns nothing
 * starts. Pending and the role may change the schema (the owner, the embedded default): they are applied, each in
 * its own transaction. Pending and it may not: start-up is refused, naming them, since this code needs that schema.
 */
export async function migrateAtStart(ds: DataSource): Promise<void> {
  let pending = ds.migrations.map((m) => m.name ?? m.constructor.name);
  try {
    pending = (await new MigrationExecutor(ds).getPendingMigrations()).map((m) => m.name);
    if (pending.length === 0) return;
    await ds.runMigrations({ transaction: 'each' });
  } catch (err) {
    if (pgErrorOf(err)?.code !== '42501') throw err;
    const [{ role }] = await selectRows(ds, z.object({ role: col.text }), `SELECT current_user AS role`);
    throw new SchemaBehindError(
      `the database schema is behind this version (pending: ${pending.join(', ')}) and ${role} may not change it: ` +
        `run "npm run migration:run" as the schema's owner, then "npm run cli -- create-service-role ${role}", then start the service`,
    );
  }
}
