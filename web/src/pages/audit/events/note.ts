import { base64ToBytes, bytesToHex } from './merkle';

/**
 * A checkpoint as a C2SP signed note (src/audit/checkpoints/signed-note.ts): body lines `origin`, `tree size`,
 * `root (base64)`, an empty line, then one `— <key name> <base64(key id ‖ signature)>` line per signer.
 */
export interface Checkpoint {
  /** The signed text, each line ending in a newline. */
  body: string;
  origin: string;
  size: bigint;
  rootHex: string;
  signatures: { name: string; keyIdHex: string; signature: Uint8Array<ArrayBuffer> }[];
}

export function parseCheckpoint(text: string): Checkpoint {
  const split = text.lastIndexOf('\n\n');
  if (split < 0) throw new Error('檢查點格式有誤：缺少簽名段');
  const body = text.slice(0, split + 1);
  const [origin, size, root] = body.split('\n');
  if (!/^\d+$/.test(size ?? '') || !root) throw new Error('檢查點格式有誤：缺少樹大小或根哈希');
  const signatures = text
    .slice(split + 2)
    .split('\n')
    .filter((line) => line.startsWith('\u2014 '))
    .map((line) => {
      const [name, encoded] = line.slice(2).split(' ');
      const bytes = base64ToBytes(encoded);
      return { name, keyIdHex: bytesToHex(bytes.subarray(0, 4)), signature: bytes.slice(4) };
    });
  return { body, origin, size: BigInt(size), rootHex: bytesToHex(base64ToBytes(root)), signatures };
}

/**
 * Whether the note carries a valid Ed25519 signature of the verifier key `<name>+<key id hex>+<base64(0x01 ‖ key)>`.
 * Answers a reason when it cannot tell (a browser without Ed25519 in Web Crypto).
 */
export async function verifyCheckpoint(checkpoint: Checkpoint, verifierKey: string): Promise<{ valid: boolean; reason?: string }> {
  if (typeof crypto === 'undefined' || crypto.subtle === undefined) return { valid: false, reason: '瀏覽器只在 https 連接下提供驗簽功能' };
  const first = verifierKey.indexOf('+');
  const second = verifierKey.indexOf('+', first + 1);
  const name = verifierKey.slice(0, first);
  const keyIdHex = verifierKey.slice(first + 1, second);
  const raw = base64ToBytes(verifierKey.slice(second + 1).trim());
  if (first < 0 || second < 0 || raw.length !== 33 || raw[0] !== 0x01) return { valid: false, reason: '驗證密鑰格式有誤' };
  const own = checkpoint.signatures.filter((s) => s.name === name && s.keyIdHex === keyIdHex);
  if (own.length === 0) return { valid: false, reason: '檢查點沒有該密鑰的簽名' };
  try {
    const key = await crypto.subtle.importKey('raw', raw.slice(1), { name: 'Ed25519' }, false, ['verify']);
    const data = new TextEncoder().encode(checkpoint.body);
    for (const s of own) if (!(await crypto.subtle.verify('Ed25519', key, s.signature, data))) return { valid: false, reason: '簽名與檢查點內容不符' };
    return { valid: true };
  } catch (e) {
    return { valid: false, reason: `本瀏覽器無法驗證 Ed25519 簽名：${e instanceof Error ? e.message : String(e)}` };
  }
}
