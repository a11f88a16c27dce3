import { randomBytes } from 'node:crypto';
import { existsSync } from 'node:fs';
import { chmod, mkdir, readFile, writeFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { Ed25519Key, ed25519FromPem, ed25519FromSeed, ed25519ToPem, generateEd25519 } from '../audit/checkpoints/signed-note';
import { Env } from './env';

/**
 * The token-signing secret: JWT_SECRET when set. On the embedded database it is generated once and kept in
 * DATA_DIR/jwt.secret (mode 600), so tokens survive a restart; with DATABASE_URL it must be set.
 */
export async function resolveJwtSecret(env: Env, embedded: boolean): Promise<string> {
  if (env.JWT_SECRET) return env.JWT_SECRET;
  if (!embedded) throw new Error('JWT_SECRET must be set (at least 32 characters) when DATABASE_URL is set');
  const file = join(resolve(env.DATA_DIR), 'jwt.secret');
  if (existsSync(file)) return (await readFile(file, 'utf8')).trim();
  await mkdir(resolve(env.DATA_DIR), { recursive: true });
  const secret = randomBytes(48).toString('base64url');
  await writeFile(file, `${secret}\n`, { mode: 0o600 });
  await chmod(file, 0o600);
  return secret;
}

export const AUDIT_SIGNING_KEY_FILE = 'audit-signing-key.pem';

/**
 * The key that signs the audit checkpoints: AUDIT_SIGNING_KEY (the base64 of a 32-byte Ed25519 seed) when set. On the
 * embedded database it is generated once into DATA_DIR/audit-signing-key.pem (PKCS#8, mode 600), so the checkpoints
 * an auditor pinned the key of keep verifying after a restart. With DATABASE_URL it must be set: instances sharing a
 * database must sign with one key, and a key generated on one host's disk would be a second signer, or a new one
 * after that disk is replaced, and every checkpoint it signed would fail the auditors' pinned key.
 */
export async function resolveAuditSigningKey(env: Pick<Env, 'AUDIT_SIGNING_KEY' | 'DATA_DIR'>, embedded: boolean): Promise<Ed25519Key> {
  if (env.AUDIT_SIGNING_KEY) return ed25519FromSeed(Buffer.from(env.AUDIT_SIGNING_KEY, 'base64'));
  if (!embedded) throw new Error('AUDIT_SIGNING_KEY must be set (the base64 of a 32-byte Ed25519 seed) when DATABASE_URL is set');
  const dir = resolve(env.DATA_DIR);
  const file = join(dir, AUDIT_SIGNING_KEY_FILE);
  if (existsSync(file)) return ed25519FromPem(await readFile(file, 'utf8'));
  await mkdir(dir, { recursive: true });
  const key = generateEd25519();
  try {
    // `wx`: a command started beside the service at its first start (seed-demo) never replaces the key it wrote.
    await writeFile(file, ed25519ToPem(key), { mode: 0o600, flag: 'wx' });
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'EEXIST') return ed25519FromPem(await readFile(file, 'utf8'));
    throw err;
  }
  await chmod(file, 0o600);
  return key;
}
