import { randomBytes } from 'node:crypto';
import { existsSync } from 'node:fs';
import { chmod, mkdir, readFile, writeFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
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
