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
  await (globalThis as { __embedded?: { stop(): Promise<void> } }).__embedded?.stop();
}
