import bcrypt from 'bcryptjs';
import { createHash } from 'node:crypto';

/**
 * Passwords are hashed with bcrypt at a configurable cost (PASSWORD_HASH_COST). bcrypt reads at most 72 bytes, so
 * the password is first reduced to its SHA-256 (base64, no NUL bytes): every character of a long passphrase counts.
 */
export function hashPassword(password: string, cost: number): Promise<string> {
  return bcrypt.hash(prehash(password), cost);
}

export function verifyPassword(hash: string, password: string): Promise<boolean> {
  return bcrypt.compare(prehash(password), hash);
}

function prehash(password: string): string {
  return createHash('sha256').update(password, 'utf8').digest('base64');
}
