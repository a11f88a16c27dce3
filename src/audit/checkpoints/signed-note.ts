import { KeyObject, createHash, createPrivateKey, createPublicKey, generateKeyPairSync, sign, verify } from 'node:crypto';

/**
 * C2SP signed notes and tlog-checkpoints as docs/audit-package.md ("Signed checkpoints") fixes them: a body of lines,
 * an empty line, then one line per signature `— <key name> <base64(key id ‖ Ed25519 signature over the body)>`.
 * Pure: node:crypto only.
 */

/** An em dash (U+2014) and a space open every signature line. */
const SIGNATURE_PREFIX = '\u2014 ';
const ED25519 = 0x01;
const KEY_ID_BYTES = 4;
const PUBLIC_KEY_BYTES = 32;
const SIGNATURE_BYTES = 64;
/** As golang.org/x/mod/sumdb/note: parsing stops at a note with more signatures than this. */
const MAX_SIGNATURES = 100;
/** Witnesses a checkpoint takes besides the log's own signature: well under what a reader accepts, so co-signing can never make a note unreadable. */
export const MAX_COSIGNATURES = 16;
/** DER of an Ed25519 PKCS#8 private key (RFC 8410) up to its 32-byte seed. */
const PKCS8_SEED_PREFIX = Buffer.from('302e020100300506032b657004220420', 'hex');
const BASE64 = /^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$/;
const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

/** Well-formed text without control characters but the newline, as a note must be (so its UTF-8 is its text). */
function isNoteText(text: string): boolean {
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c < 0x20 && c !== 0x0a) return false;
  }
  return !LONE_SURROGATE.test(text);
}

export type NoteFault = 'malformed_note' | 'malformed_key' | 'malformed_signature' | 'wrong_key' | 'bad_signature' | 'duplicate_signer' | 'too_many_signers';

/** A note, key or signature line refused, and why. */
export class NoteError extends Error {
  constructor(
    readonly fault: NoteFault,
    message: string,
  ) {
    super(message);
    this.name = 'NoteError';
  }
}

/** An Ed25519 key pair: the private key to sign with and the raw 32-byte public key verifier keys carry. */
export interface Ed25519Key {
  privateKey: KeyObject;
  publicKey: Buffer;
}

function fromPrivateKey(privateKey: KeyObject): Ed25519Key {
  if (privateKey.asymmetricKeyType !== 'ed25519') throw new TypeError(`not an Ed25519 key but ${privateKey.asymmetricKeyType}`);
  const { x } = createPublicKey(privateKey).export({ format: 'jwk' });
  return { privateKey, publicKey: Buffer.from(x!, 'base64url') };
}

/** The key of a 32-byte seed (what AUDIT_SIGNING_KEY holds, in base64). */
export function ed25519FromSeed(seed: Buffer): Ed25519Key {
  if (seed.length !== 32) throw new RangeError(`an Ed25519 seed is 32 bytes, not ${seed.length}`);
  return fromPrivateKey(createPrivateKey({ key: Buffer.concat([PKCS8_SEED_PREFIX, seed]), format: 'der', type: 'pkcs8' }));
}

/** The key of a PKCS#8 PEM file (`-----BEGIN PRIVATE KEY-----`). */
export function ed25519FromPem(pem: string): Ed25519Key {
  return fromPrivateKey(createPrivateKey({ key: pem, format: 'pem' }));
}

export function generateEd25519(): Ed25519Key {
  return fromPrivateKey(generateKeyPairSync('ed25519').privateKey);
}

/** A key as PKCS#8 PEM, for DATA_DIR/audit-signing-key.pem. */
export function ed25519ToPem(key: Ed25519Key): string {
  return key.privateKey.export({ format: 'pem', type: 'pkcs8' }).toString();
}

/** A key name: not empty, no white space, no `+`. */
export function isKeyName(name: string): boolean {
  return name.length > 0 && !/[\s+]/u.test(name) && isNoteText(name);
}

/** The first 4 bytes of SHA-256(key name ‖ 0x0A ‖ 0x01 ‖ public key), as 8 hex digits. */
export function keyId(name: string, publicKey: Buffer): string {
  return createHash('sha256')
    .update(`${name}\n`, 'utf8')
    .update(Buffer.from([ED25519]))
    .update(publicKey)
    .digest()
    .subarray(0, KEY_ID_BYTES)
    .toString('hex');
}

/** A verifier key: `<key name>+<key id hex>+<base64(0x01 ‖ public key)>`. */
export function verifierKey(name: string, publicKey: Buffer): string {
  if (!isKeyName(name)) throw new NoteError('malformed_key', `${JSON.stringify(name)} is not a key name`);
  return `${name}+${keyId(name, publicKey)}+${Buffer.concat([Buffer.from([ED25519]), publicKey]).toString('base64')}`;
}

export interface Verifier {
  name: string;
  keyId: string;
  publicKey: Buffer;
}

function splitTwice(text: string, separator: string): [string, string, string] {
  const first = text.indexOf(separator);
  const second = first < 0 ? -1 : text.indexOf(separator, first + 1);
  if (second < 0) return [text, '', ''];
  return [text.slice(0, first), text.slice(first + 1, second), text.slice(second + 1)];
}

/** Reads a verifier key; refuses a malformed one, another algorithm, and a key id that is not the key's. */
export function parseVerifierKey(text: string): Verifier {
  // The base64 of the key may itself hold `+`: the name and the id end at the first two.
  const [name, id, encoded] = splitTwice(text, '+');
  if (!isKeyName(name) || !/^[0-9a-f]{8}$/.test(id) || !BASE64.test(encoded)) {
    throw new NoteError('malformed_key', 'a verifier key is <key name>+<8 hex digits>+<base64 of the key>');
  }
  const key = Buffer.from(encoded, 'base64');
  if (key.length !== 1 + PUBLIC_KEY_BYTES || key[0] !== ED25519) throw new NoteError('malformed_key', 'the verifier key is not an Ed25519 key');
  const publicKey = key.subarray(1);
  if (keyId(name, publicKey) !== id) throw new NoteError('malformed_key', `the key id ${id} is not the id of this name and key`);
  return { name, keyId: id, publicKey };
}

export interface NoteSignature {
  name: string;
  keyId: string;
  signature: Buffer;
  /** The line as it stands in the note, with its newline. */
  line: string;
}

export interface Note {
  /** The signed text: every line, each ending in a newline. */
  body: string;
  signatures: NoteSignature[];
}

/** Reads one signature line (its final newline optional). */
export function parseSignatureLine(text: string): NoteSignature {
  const line = text.endsWith('\n') ? text.slice(0, -1) : text;
  const malformed = () => new NoteError('malformed_signature', `a signature line is "${SIGNATURE_PREFIX}<key name> <base64 of key id and signature>"`);
  if (!line.startsWith(SIGNATURE_PREFIX) || line.includes('\n') || !isNoteText(line)) throw malformed();
  const rest = line.slice(SIGNATURE_PREFIX.length);
  const space = rest.indexOf(' ');
  const [name, encoded] = space < 0 ? [rest, ''] : [rest.slice(0, space), rest.slice(space + 1)];
  if (!isKeyName(name) || encoded === '' || !BASE64.test(encoded)) throw malformed();
  const bytes = Buffer.from(encoded, 'base64');
  if (bytes.length <= KEY_ID_BYTES) throw malformed();
  return { name, keyId: bytes.subarray(0, KEY_ID_BYTES).toString('hex'), signature: bytes.subarray(KEY_ID_BYTES), line: `${line}\n` };
}

/** Splits a note into its body and signature lines (checks their form, not the signatures). */
export function parseNote(text: string): Note {
  if (!isNoteText(text)) throw new NoteError('malformed_note', 'a note is text without control characters but newlines');
  const split = text.lastIndexOf('\n\n');
  if (split < 0 || !text.endsWith('\n')) throw new NoteError('malformed_note', 'a note is its text, an empty line and its signature lines');
  const body = text.slice(0, split + 1);
  const block = text.slice(split + 2, -1);
  if (block === '') throw new NoteError('malformed_note', 'a note carries at least one signature line');
  const lines = block.split('\n');
  if (lines.length > MAX_SIGNATURES) throw new NoteError('malformed_note', `a note carries at most ${MAX_SIGNATURES} signatures`);
  return { body, signatures: lines.map(parseSignatureLine) };
}

function verifies(body: string, signature: NoteSignature, verifier: Verifier): boolean {
  if (signature.name !== verifier.name || signature.keyId !== verifier.keyId || signature.signature.length !== SIGNATURE_BYTES) return false;
  const publicKey = createPublicKey({ key: { kty: 'OKP', crv: 'Ed25519', x: verifier.publicKey.toString('base64url') }, format: 'jwk' });
  return verify(null, Buffer.from(body, 'utf8'), publicKey, signature.signature);
}

/** The signature line of `name`'s key over `body`. */
export function signatureLine(body: string, name: string, key: Ed25519Key): string {
  if (!isKeyName(name)) throw new NoteError('malformed_key', `${JSON.stringify(name)} is not a key name`);
  const signature = sign(null, Buffer.from(body, 'utf8'), key.privateKey);
  const payload = Buffer.concat([Buffer.from(keyId(name, key.publicKey), 'hex'), signature]);
  return `${SIGNATURE_PREFIX}${name} ${payload.toString('base64')}\n`;
}

/** A note of `body` signed by `name`'s key alone. */
export function signNote(body: string, name: string, key: Ed25519Key): string {
  if (!body.endsWith('\n') || !isNoteText(body)) throw new NoteError('malformed_note', 'a note’s text is lines, each ending in a newline');
  return `${body}\n${signatureLine(body, name, key)}`;
}

/**
 * Whether the note carries the verifier's signature over its body: at least one line of that key name and id, and
 * every such line verifies. A malformed note or key is not verified.
 */
export function verifyNote(text: string, vkey: string): boolean {
  try {
    const verifier = parseVerifierKey(vkey);
    const note = parseNote(text);
    const own = note.signatures.filter((s) => s.name === verifier.name && s.keyId === verifier.keyId);
    return own.length > 0 && own.every((s) => verifies(note.body, s, verifier));
  } catch (err) {
    if (err instanceof NoteError) return false;
    throw err;
  }
}

/**
 * The note with a witness's signature line added after the others. The line must be by the verifier key given and
 * verify over the note's body; a key that already signed the note does not sign it twice.
 */
export function addCosignature(text: string, line: string, vkey: string): string {
  const verifier = parseVerifierKey(vkey);
  const signature = parseSignatureLine(line);
  const note = parseNote(text);
  if (signature.name !== verifier.name || signature.keyId !== verifier.keyId) {
    throw new NoteError(
      'wrong_key',
      `the signature line is by ${signature.name}+${signature.keyId}, not by the key given (${verifier.name}+${verifier.keyId})`,
    );
  }
  if (note.signatures.some((s) => s.name === signature.name && s.keyId === signature.keyId)) {
    throw new NoteError('duplicate_signer', `the note already carries a signature of ${signature.name}+${signature.keyId}`);
  }
  if (note.signatures.length > MAX_COSIGNATURES) {
    throw new NoteError('too_many_signers', `a checkpoint takes at most ${MAX_COSIGNATURES} co-signatures`);
  }
  if (!verifies(note.body, signature, verifier)) throw new NoteError('bad_signature', 'the signature does not verify over the note’s body with the key given');
  return `${text}${signature.line}`;
}

/** A county's log origin, which is also the name of the service's key for it. */
export function checkpointOrigin(countyCode: string): string {
  return `${countyCode}/fund-ledger`;
}

export interface CheckpointBody {
  origin: string;
  /** Decimal, no leading zeros. */
  treeSize: string;
  root: Buffer;
}

/** A tlog-checkpoint's body: origin, tree size in decimal, base64 of the 32-byte root, each line ending in `\n`. */
export function checkpointBody({ origin, treeSize, root }: CheckpointBody): string {
  if (!isKeyName(origin) || !/^(0|[1-9][0-9]*)$/.test(treeSize) || root.length !== 32) throw new RangeError('not a checkpoint');
  return `${origin}\n${treeSize}\n${root.toString('base64')}\n`;
}

/** Reads a checkpoint's body: exactly the three lines `checkpointBody` writes. */
export function parseCheckpointBody(body: string): CheckpointBody {
  const lines = body.split('\n');
  const [origin, treeSize, root] = lines;
  const rootBytes = BASE64.test(root ?? '') ? Buffer.from(root, 'base64') : Buffer.alloc(0);
  if (lines.length !== 4 || lines[3] !== '' || !isKeyName(origin) || !/^(0|[1-9][0-9]*)$/.test(treeSize) || rootBytes.length !== 32) {
    throw new NoteError('malformed_note', 'a checkpoint’s body is its origin, its tree size and its root in base64, one a line');
  }
  return { origin, treeSize, root: rootBytes };
}
