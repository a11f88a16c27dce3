import { rm } from 'node:fs/promises';
import { Client } from 'pg';
import { adminUrl, templateDatabase } from '../support/urls';

export default async function globalTeardown(): Promise<void> {
  const admin = new Client({ connectionString: adminUrl() });
  await admin.connect();
  try {
    await admin.query(`DROP DATABASE IF EXISTS ${templateDatabase()}`);
  } finally {
    await admin.end();
  }
  const embedded = (globalThis as { __embedded?: { stop(): Promise<void>; dataDir: string } }).__embedded;
  if (embedded) {
    await embedded.stop();
    await rm(embedded.dataDir, { recursive: true, force: true });
  }
}
