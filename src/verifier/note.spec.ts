import { createHash, generateKeyPairSync, sign } from 'node:crypto';
import { decodeBase64, parseCheckpointBody, parseNote, parseVerifierKey, signatureBy } from './note';

/** The signed-note vectors of golang.org/x/mod/sumdb/note (note_test.go). */
const PETER_KEY = 'PeterNeumann+c74f20a3+ARpc2QcUPDhMQegwxbzhKqiBfsVkmqq/LDE4izWy10TW';
const ENOCH_KEY = 'EnochRoot+af0cfe78+ATtqJ7zOtqQtYqOo0CpvDXNlMhV3HeJDpjrASKGLWdop';
const TEXT = "If you think cryptography is the answer to your problem,\nthen you don't know what your problem is.\n";
const PETER_SIG = '— PeterNeumann x08go/ZJkuBS9UG/SffcvIAQxVBtiFupLLr8pAcElZInNIuGUgYN1FFYC2pZSNXgKvqfqdngotpRZb6KE6RyyBwJnAM=\n';
const ENOCH_SIG = '— EnochRoot rwz+eBzmZa0SO3NbfRGzPCpDckykFXSdeX+MNtCOXm2/5n2tiOHp+vAF1aGrQ5ovTG01oOTGwnWLox33WWd1RvMc+QQ=\n';

describe('verifier keys', () => {
  it('reads a key: its name and id', () => {
    const key = parseVerifierKey(PETER_KEY);
    expect(key.name).toBe('PeterNeumann');
    expect(key.id).toBe(0xc74f20a3);
  });

  it('refuses every proper part of a key and every key with one character changed', () => {
    for (let i = 0; i <= PETER_KEY.length; i++) {
      for (let j = i + 1; j <= PETER_KEY.length; j++) {
        if (i !== 0 || j !== PETER_KEY.length) expect(() => parseVerifierKey(PETER_KEY.slice(i, j))).toThrow();
      }
    }
    for (let i = 0; i < PETER_KEY.length; i++) {
      const changed = PETER_KEY.slice(0, i) + String.fromCharCode(PETER_KEY.charCodeAt(i) + 1) + PETER_KEY.slice(i + 1);
      expect(() => parseVerifierKey(changed)).toThrow();
    }
  });

  it('reads a key whose base64 holds a +', () => {
    const algAndKey = Buffer.concat([Buffer.from([1]), Buffer.alloc(32, 0xfb)]);
    const id = createHash('sha256').update('witness.example\n').update(algAndKey).digest().subarray(0, 4);
    expect(algAndKey.toString('base64')).toContain('+');
    expect(parseVerifierKey(`witness.example+${id.toString('hex')}+${algAndKey.toString('base64')}`).id).toBe(id.readUInt32BE(0));
  });

  it('refuses a key of the wrong length or an unknown algorithm, even with its id adjusted', () => {
    expect(() => parseVerifierKey('PeterNeumann+cc469956+ARpc2QcUPDhMQegwxbzhKqiBfsVkmqq/LDE4izWy10TWBADKEY==')).toThrow();
    expect(() => parseVerifierKey('PeterNeumann+173116ae+ZRpc2QcUPDhMQegwxbzhKqiBfsVkmqq/LDE4izWy10TW')).toThrow(/algorithm/);
  });
});

describe('signed notes', () => {
  const peter = parseVerifierKey(PETER_KEY);
  const enoch = parseVerifierKey(ENOCH_KEY);

  it('verifies the vector note signed by two keys, each on its own', () => {
    const note = parseNote(`${TEXT}\n${PETER_SIG}${ENOCH_SIG}`);
    expect(note.body).toBe(TEXT);
    expect(note.signatures.map((s) => s.name)).toEqual(['PeterNeumann', 'EnochRoot']);
    expect(signatureBy(note, peter)).toBe('valid');
    expect(signatureBy(note, enoch)).toBe('valid');
  });

  it('tells a missing signature from one that does not verify', () => {
    expect(signatureBy(parseNote(`${TEXT}\n${PETER_SIG}`), enoch)).toBe('absent');
    const broken = `${TEXT}\n${PETER_SIG.slice(0, 60)}ABCD${PETER_SIG.slice(60)}`;
    expect(signatureBy(parseNote(broken), peter)).toBe('invalid');
    expect(signatureBy(parseNote(`${TEXT.replace('answer', 'Answer')}\n${PETER_SIG}`), peter)).toBe('invalid');
  });

  it('refuses malformed notes (the vectors’ list)', () => {
    const bad = [
      TEXT,
      `${TEXT}\n`,
      `${TEXT}\n${PETER_SIG.slice(0, -1)}`,
      `\x01${TEXT}\n${PETER_SIG}`,
      `${TEXT}\n— Bad Name x08go/ZJkuBS9UG/SffcvIAQxVBtiFupLLr8pAcElZInNIuGUgYN1FFYC2pZSNXgKvqfqdngotpRZb6KE6RyyBwJnAM=`,
      `${TEXT}\n${PETER_SIG}Unexpected line.\n`,
      `${TEXT}\n${PETER_SIG.repeat(101)}`,
    ];
    for (const text of bad) expect(() => parseNote(text)).toThrow();
  });

  it('verifies a note signed here with node:crypto, against a key written as a verifier key', () => {
    const { privateKey, publicKey } = generateKeyPairSync('ed25519');
    const raw = Buffer.from(publicKey.export({ format: 'jwk' }).x!, 'base64url');
    const algAndKey = Buffer.concat([Buffer.from([1]), raw]);
    const id = createHash('sha256').update('witness.example\n').update(algAndKey).digest().subarray(0, 4);
    const key = parseVerifierKey(`witness.example+${id.toString('hex')}+${algAndKey.toString('base64')}`);
    const body = `421124/fund-ledger\n8\n${Buffer.alloc(32, 7).toString('base64')}\n`;
    const line = `— witness.example ${Buffer.concat([id, sign(null, Buffer.from(body), privateKey)]).toString('base64')}\n`;
    expect(signatureBy(parseNote(`${body}\n${line}`), key)).toBe('valid');
  });
});

describe('checkpoint bodies', () => {
  const root = Buffer.alloc(32, 0xab);

  it('reads origin, size and root', () => {
    expect(parseCheckpointBody(`421124/fund-ledger\n1234\n${root.toString('base64')}\n`)).toEqual({ origin: '421124/fund-ledger', size: 1234n, root });
  });

  it('refuses a size with a sign or leading zero, a root of another length, extra lines', () => {
    const r = root.toString('base64');
    for (const body of [`o\n+12\n${r}\n`, `o\n012\n${r}\n`, `o\n12\n${Buffer.alloc(31).toString('base64')}\n`, `o\n12\n${r}\nextension\n`, `o\n12\n${r}`]) {
      expect(() => parseCheckpointBody(body)).toThrow();
    }
  });

  it('reads base64 strictly', () => {
    expect(decodeBase64('AAE=')).toEqual(Buffer.from([0, 1]));
    for (const text of ['AAE', 'AAF=', 'AA E=', 'AAE=\n', 'A-E=']) expect(decodeBase64(text)).toBeNull();
  });
});
