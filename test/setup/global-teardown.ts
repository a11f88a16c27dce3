import { rm } from 'node:fs/promises';
import { Client } from 'pg';
import { adminUrl, templateDatabase } from '../support/urls';

export default async function globalTeardown(): Promise<void> {
  const admin = new Client({ connectionString: adminUrl() });
  await admin.connect();
  try {
    await admin.query(`DROP DATABASE IF EXISTS ${templateDatabase()}`);
    const role = process.env.TEST_SERVICE_USER;
    // A test database left behind still holds the role's grants; the role then stays too, harmlessly.
    if (role) await admin.query(`DROP ROLE IF EXISTS ${role}`).catch((err) => console.warn(`role ${role} kept: ${(err as Error).message}`));
  } finally {
    await admin.end();
  }
  const embedded = (globalThis as { __embedded?: { stop(): Promise<void>; dataDir: string } }).__embedded;
  if (embedded) {
    await embedded.stop();
    await rm(embedded.dataDir, { recursive: true, force: true });
  }
}
