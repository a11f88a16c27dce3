import { mkdtemp, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { AUDIT_SIGNING_KEY_FILE, resolveAuditSigningKey } from './secrets';

describe('the audit signing key', () => {
  let dir: string;
  beforeEach(async () => (dir = await mkdtemp(join(tmpdir(), 'fund-ledger-key-'))));
  afterEach(() => rm(dir, { recursive: true, force: true }));

  it('is AUDIT_SIGNING_KEY when set, the key of that seed', async () => {
    const seed = Buffer.alloc(32, 1).toString('base64');
    const a = await resolveAuditSigningKey({ AUDIT_SIGNING_KEY: seed, DATA_DIR: dir }, false);
    const b = await resolveAuditSigningKey({ AUDIT_SIGNING_KEY: seed, DATA_DIR: join(dir, 'elsewhere') }, true);
    expect(a.publicKey.equals(b.publicKey)).toBe(true);
  });

  it('is generated once into DATA_DIR on the embedded database, mode 600, and kept across starts', async () => {
    const first = await resolveAuditSigningKey({ DATA_DIR: join(dir, 'data') }, true);
    const file = join(dir, 'data', AUDIT_SIGNING_KEY_FILE);
    expect((await stat(file)).mode & 0o777).toBe(0o600);
    const again = await resolveAuditSigningKey({ DATA_DIR: join(dir, 'data') }, true);
    expect(again.publicKey.equals(first.publicKey)).toBe(true);
  });

  it('must be set with DATABASE_URL', async () => {
    await expect(resolveAuditSigningKey({ DATA_DIR: dir }, false)).rejects.toThrow(/AUDIT_SIGNING_KEY must be set/);
  });
});
