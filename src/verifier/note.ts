import { createHash, createPublicKey, KeyObject, verify } from 'node:crypto';

/**
 * C2SP signed notes and verifier keys (https://c2sp.org/signed-note), read and verified here with node:crypto alone,
 * so the auditor's check does not run the service's signing code.
 */

const ALG_ED25519 = 0x01;
const SIGNATURE_PREFIX = '— ';
/** A note with more signature lines than this is refused rather than parsed (as Go's sumdb/note does). */
const MAX_SIGNATURES = 100;

export class NoteError extends Error {}

/** A verifier key, `<name>+<key id hex>+<base64(0x01 ‖ public key)>`. */
export interface VerifierKey {
  name: string;
  /** First 4 bytes of SHA-256(name ‖ 0x0A ‖ 0x01 ‖ public key), big-endian. */
  id: number;
  publicKey: KeyObject;
  /** The key as it was written. */
  text: string;
}

export interface NoteSignature {
  name: string;
  id: number;
  signature: Buffer;
}

export interface SignedNote {
  /** The signed text: every line up to and including the one before the blank line, each ending in `\n`. */
  body: string;
  signatures: NoteSignature[];
}

/** Strict standard base64 (padding required, no whitespace, canonical trailing bits). */
export function decodeBase64(text: string): Buffer | null {
  if (text.length % 4 !== 0 || !/^[A-Za-z0-9+/]*={0,2}$/.test(text)) return null;
  const bytes = Buffer.from(text, 'base64');
  return bytes.toString('base64') === text ? bytes : null;
}

/** Non-empty, no Unicode space (U+0085 included, U+FEFF not, as Go's unicode.IsSpace), no `+`. */
export function isValidKeyName(name: string): boolean {
  return name !== '' && !/[\s\u0085+]/u.test(name.replaceAll('\uFEFF', ''));
}

export function keyId(name: string, algAndKey: Buffer): number {
  return createHash('sha256')
    .update(name, 'utf8')
    .update(Buffer.from([0x0a]))
    .update(algAndKey)
    .digest()
    .readUInt32BE(0);
}

export function parseVerifierKey(text: string): VerifierKey {
  // The name holds no `+` and the id is hex; base64 may hold `+`, so only the first two separate.
  const first = text.indexOf('+');
  const second = first < 0 ? -1 : text.indexOf('+', first + 1);
  if (second < 0) throw new NoteError(`not a verifier key (<name>+<key id>+<key>): ${text}`);
  const [name, idHex, key64] = [text.slice(0, first), text.slice(first + 1, second), text.slice(second + 1)];
  if (!isValidKeyName(name)) throw new NoteError(`verifier key has an invalid name: ${text}`);
  if (!/^[0-9a-fA-F]{8}$/.test(idHex)) throw new NoteError(`verifier key id is not 8 hex digits: ${text}`);
  const key = decodeBase64(key64);
  if (!key || key.length === 0) throw new NoteError(`verifier key is not base64: ${text}`);
  if (key[0] !== ALG_ED25519) throw new NoteError(`verifier key has unknown algorithm ${key[0]}: ${text}`);
  if (key.length !== 33) throw new NoteError(`verifier key is not a 32-byte Ed25519 key: ${text}`);
  const id = parseInt(idHex, 16);
  if (keyId(name, key) !== id) throw new NoteError(`verifier key id does not match its name and key: ${text}`);
  return { name, id, publicKey: ed25519PublicKey(key.subarray(1)), text };
}

export function ed25519PublicKey(raw: Buffer): KeyObject {
  return createPublicKey({ key: { kty: 'OKP', crv: 'Ed25519', x: raw.toString('base64url') }, format: 'jwk' });
}

/**
 * Splits a note into its body and signature lines. The text (decoded from strict UTF-8 by the caller) must hold no
 * control character but newline, end with a newline, and hold a blank line before its signature block; every line
 * after it is a signature line.
 */
export function parseNote(text: string): SignedNote {
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c < 0x20 && c !== 0x0a) throw new NoteError('the note holds a control character other than newline');
  }
  const split = text.lastIndexOf('\n\n');
  if (split < 0) throw new NoteError('the note has no blank line before its signatures');
  const body = text.slice(0, split + 1);
  const block = text.slice(split + 2);
  if (block === '' || !block.endsWith('\n')) throw new NoteError('the note has no signature lines, or its last line does not end in a newline');
  const lines = block.slice(0, -1).split('\n');
  if (lines.length > MAX_SIGNATURES) throw new NoteError(`the note has more than ${MAX_SIGNATURES} signatures`);
  const signatures = lines.map((line): NoteSignature => {
    if (!line.startsWith(SIGNATURE_PREFIX)) throw new NoteError(`not a signature line: ${line}`);
    const rest = line.slice(SIGNATURE_PREFIX.length);
    const space = rest.indexOf(' ');
    const name = space < 0 ? rest : rest.slice(0, space);
    const bytes = space < 0 ? null : decodeBase64(rest.slice(space + 1));
    if (!isValidKeyName(name) || !bytes || bytes.length < 5) throw new NoteError(`malformed signature line: ${line}`);
    return { name, id: bytes.readUInt32BE(0), signature: bytes.subarray(4) };
  });
  return { body, signatures };
}

/**
 * Whether the note carries a valid signature by `key`: a line with the key's name and id whose signature verifies over
 * the body. A line naming the key that does not verify is refused, not skipped.
 */
export function signatureBy(note: SignedNote, key: VerifierKey): 'valid' | 'absent' | 'invalid' {
  const lines = note.signatures.filter((s) => s.name === key.name && s.id === key.id);
  if (lines.length === 0) return 'absent';
  const body = Buffer.from(note.body, 'utf8');
  return lines.every((s) => verify(null, body, key.publicKey, s.signature)) ? 'valid' : 'invalid';
}

export interface Checkpoint {
  origin: string;
  size: bigint;
  root: Buffer;
}

/** A `tlog-checkpoint` body as docs/audit-package.md fixes it: origin, tree size, base64 root, nothing more. */
export function parseCheckpointBody(body: string): Checkpoint {
  const lines = body.split('\n');
  if (lines.length !== 4 || lines[3] !== '') throw new NoteError(`a checkpoint body has three lines (origin, size, root); this one has ${lines.length - 1}`);
  const [origin, sizeText, root64] = lines;
  if (origin === '') throw new NoteError('the checkpoint has an empty origin');
  if (!/^(0|[1-9][0-9]*)$/.test(sizeText)) throw new NoteError(`the checkpoint's tree size is not a decimal number: ${sizeText}`);
  const root = decodeBase64(root64);
  if (!root || root.length !== 32) throw new NoteError(`the checkpoint's root is not the base64 of 32 bytes: ${root64}`);
  return { origin, size: BigInt(sizeText), root };
}
