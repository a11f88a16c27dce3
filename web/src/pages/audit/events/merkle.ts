/**
 * The browser's own check of an event against a signed checkpoint (docs/audit-package.md, "Signed checkpoints"), with
 * Web Crypto only, so it does not trust the service's arithmetic: the event's hash is recomputed from its body, the
 * leaf is SHA-256(0x00 ‖ event hash), nodes SHA-256(0x01 ‖ left ‖ right), and the audit path is folded as RFC 9162
 * §2.1.3.2 says. Sizes and indices are bigint: a seq may have 18 digits.
 */

/** As src/audit/domain/chain.ts: what an event's hash covers. */
const DOMAIN_TAG = 'fund-ledger/event/v1';

export function hexToBytes(hex: string): Uint8Array<ArrayBuffer> {
  if (!/^(?:[0-9a-f]{2})*$/i.test(hex)) throw new Error(`不是十六進制：${hex.slice(0, 16)}…`);
  const bytes = new Uint8Array(hex.length / 2);
  for (let i = 0; i < bytes.length; i++) bytes[i] = parseInt(hex.slice(i * 2, i * 2 + 2), 16);
  return bytes;
}

export function bytesToHex(bytes: Uint8Array): string {
  return Array.from(bytes, (b) => b.toString(16).padStart(2, '0')).join('');
}

export function base64ToBytes(text: string): Uint8Array<ArrayBuffer> {
  const binary = atob(text);
  return Uint8Array.from(binary, (c) => c.charCodeAt(0));
}

/** The browser's own hashing, which it offers only on https (or localhost): over plain HTTP the check says so. */
export const IN_BROWSER_CHECKS = typeof crypto !== 'undefined' && crypto.subtle !== undefined;

async function sha256(...parts: Uint8Array[]): Promise<Uint8Array<ArrayBuffer>> {
  if (!IN_BROWSER_CHECKS) throw new Error('瀏覽器只在 https 連接下提供驗證所需的加密功能；請用 npm run cli -- verify-package 離線驗證');
  const joined = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let at = 0;
  for (const p of parts) {
    joined.set(p, at);
    at += p.length;
  }
  return new Uint8Array(await crypto.subtle.digest('SHA-256', joined));
}

const LEAF = new Uint8Array([0x00]);
const NODE = new Uint8Array([0x01]);

/** The event's hash as the chain defines it, from its seq, the previous hash and its canonical body. */
export async function eventHash(seq: string, prevHash: string, body: string): Promise<string> {
  return bytesToHex(await sha256(new TextEncoder().encode(`${DOMAIN_TAG}\n${seq}\n${prevHash}\n${body}`)));
}

/** The event's leaf: its 32-byte hash (not the hex) behind 0x00. */
export async function leafHash(eventHashHex: string): Promise<string> {
  return bytesToHex(await sha256(LEAF, hexToBytes(eventHashHex)));
}

/** RFC 9162 §2.1.3.2: the root an audit path leads to from `leaf` at `index` in a tree of `size`, or null when the path cannot be one. */
export async function rootFromPath(index: bigint, size: bigint, leafHex: string, proof: readonly string[]): Promise<string | null> {
  if (index < 0n || index >= size) return null;
  let fn = index;
  let sn = size - 1n;
  let r: Uint8Array = hexToBytes(leafHex);
  for (const hex of proof) {
    const p = hexToBytes(hex);
    if (sn === 0n || p.length !== 32) return null;
    if (fn % 2n === 1n || fn === sn) {
      r = await sha256(NODE, p, r);
      while (fn % 2n === 0n && fn !== 0n) {
        fn /= 2n;
        sn /= 2n;
      }
    } else {
      r = await sha256(NODE, r, p);
    }
    fn /= 2n;
    sn /= 2n;
  }
  return sn === 0n ? bytesToHex(r) : null;
}
