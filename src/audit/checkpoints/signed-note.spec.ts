import { createHash } from 'node:crypto';
import {
  NoteError,
  addCosignature,
  checkpointBody,
  checkpointOrigin,
  ed25519FromPem,
  ed25519FromSeed,
  ed25519ToPem,
  generateEd25519,
  keyId,
  parseCheckpointBody,
  parseNote,
  parseSignatureLine,
  parseVerifierKey,
  signNote,
  signatureLine,
  verifierKey,
  verifyNote,
  MAX_COSIGNATURES,
} from './signed-note';

/**
 * The signed-note test vectors of golang.org/x/mod/sumdb/note (note_test.go): PeterNeumann's signer key (its seed
 * behind the algorithm byte), his and EnochRoot's verifier keys, and a note both signed.
 */
const PETER_SKEY = 'PRIVATE+KEY+PeterNeumann+c74f20a3+AYEKFALVFGyNhPJEMzD1QIDr+Y7hfZx09iUvxdXHKDFz';
const PETER_VKEY = 'PeterNeumann+c74f20a3+ARpc2QcUPDhMQegwxbzhKqiBfsVkmqq/LDE4izWy10TW';
const ENOCH_VKEY = 'EnochRoot+af0cfe78+ATtqJ7zOtqQtYqOo0CpvDXNlMhV3HeJDpjrASKGLWdop';
const TEXT = "If you think cryptography is the answer to your problem,\nthen you don't know what your problem is.\n";
const PETER_SIG = '— PeterNeumann x08go/ZJkuBS9UG/SffcvIAQxVBtiFupLLr8pAcElZInNIuGUgYN1FFYC2pZSNXgKvqfqdngotpRZb6KE6RyyBwJnAM=\n';
const ENOCH_SIG = '— EnochRoot rwz+eBzmZa0SO3NbfRGzPCpDckykFXSdeX+MNtCOXm2/5n2tiOHp+vAF1aGrQ5ovTG01oOTGwnWLox33WWd1RvMc+QQ=\n';

const peter = ed25519FromSeed(Buffer.from(PETER_SKEY.split('+').slice(4).join('+'), 'base64').subarray(1));

describe('signed notes (golang.org/x/mod/sumdb/note vectors)', () => {
  it('derives PeterNeumann’s verifier key and key id from his seed', () => {
    expect(keyId('PeterNeumann', peter.publicKey)).toBe('c74f20a3');
    expect(verifierKey('PeterNeumann', peter.publicKey)).toBe(PETER_VKEY);
    expect(parseVerifierKey(ENOCH_VKEY)).toMatchObject({ name: 'EnochRoot', keyId: 'af0cfe78' });
  });

  it('signs the vector’s note exactly as the reference does (Ed25519 is deterministic)', () => {
    expect(signNote(TEXT, 'PeterNeumann', peter)).toBe(`${TEXT}\n${PETER_SIG}`);
  });

  it('verifies the note signed by both, by either key, and adds Enoch’s line as a co-signature', () => {
    const both = `${TEXT}\n${PETER_SIG}${ENOCH_SIG}`;
    expect(verifyNote(both, PETER_VKEY)).toBe(true);
    expect(verifyNote(both, ENOCH_VKEY)).toBe(true);
    expect(addCosignature(`${TEXT}\n${PETER_SIG}`, ENOCH_SIG, ENOCH_VKEY)).toBe(both);
    expect(parseNote(both)).toMatchObject({
      body: TEXT,
      signatures: [
        { name: 'PeterNeumann', keyId: 'c74f20a3' },
        { name: 'EnochRoot', keyId: 'af0cfe78' },
      ],
    });
  });

  it('refuses the vector’s note with a changed body, a corrupted signature, or checked against the other key alone', () => {
    expect(verifyNote(`${TEXT.replace('answer', 'question')}\n${PETER_SIG}`, PETER_VKEY)).toBe(false);
    expect(verifyNote(`${TEXT}\n${PETER_SIG.slice(0, 60)}ABCD${PETER_SIG.slice(60)}`, PETER_VKEY)).toBe(false);
    expect(verifyNote(`${TEXT}\n${PETER_SIG}`, ENOCH_VKEY)).toBe(false);
  });

  it('refuses verifier keys mangled as the reference refuses them', () => {
    for (const bad of [
      'PeterNeumann+cc469956+ARpc2QcUPDhMQegwxbzhKqiBfsVkmqq/LDE4izWy10TWBADKEY==',
      'PeterNeumann+173116ae+ZRpc2QcUPDhMQegwxbzhKqiBfsVkmqq/LDE4izWy10TW',
      'PeterNeumann+c74f20a4+ARpc2QcUPDhMQegwxbzhKqiBfsVkmqq/LDE4izWy10TW',
      'Peter Neumann+c74f20a3+ARpc2QcUPDhMQegwxbzhKqiBfsVkmqq/LDE4izWy10TW',
      PETER_VKEY.slice(0, -1),
      `${PETER_VKEY}+`,
      '',
    ]) {
      expect(() => parseVerifierKey(bad)).toThrow(NoteError);
    }
  });
});

describe('checkpoint notes', () => {
  const key = generateEd25519();
  const origin = checkpointOrigin('421124');
  const body = checkpointBody({ origin, treeSize: '1234', root: createHash('sha256').update('root').digest() });
  const vkey = verifierKey(origin, key.publicKey);

  it('writes the tlog-checkpoint body and reads it back', () => {
    expect(body).toBe(`421124/fund-ledger\n1234\n${createHash('sha256').update('root').digest('base64')}\n`);
    expect(parseCheckpointBody(body)).toEqual({ origin, treeSize: '1234', root: createHash('sha256').update('root').digest() });
    expect(() => parseCheckpointBody(`${body}extra\n`)).toThrow(NoteError);
    expect(() => parseCheckpointBody(body.replace('1234', '01234'))).toThrow(NoteError);
  });

  it('round-trips: signed, parsed, verified by its own verifier key', () => {
    const note = signNote(body, origin, key);
    expect(verifyNote(note, vkey)).toBe(true);
    const [signature] = parseNote(note).signatures;
    expect(signature).toMatchObject({ name: origin, keyId: parseVerifierKey(vkey).keyId });
    expect(signature.signature).toHaveLength(64);
    expect(parseCheckpointBody(parseNote(note).body).treeSize).toBe('1234');
  });

  it('keeps the key through its PEM form', () => {
    expect(ed25519FromPem(ed25519ToPem(key)).publicKey.equals(key.publicKey)).toBe(true);
  });

  it('refuses a note signed by another key under the same name, and a changed body', () => {
    const other = generateEd25519();
    expect(verifyNote(signNote(body, origin, other), vkey)).toBe(false);
    const note = signNote(body, origin, key);
    expect(verifyNote(note.replace('\n1234\n', '\n1235\n'), vkey)).toBe(false);
    expect(verifyNote(note.replace(origin, '421125/fund-ledger'), vkey)).toBe(false);
  });

  it('adds a witness’s co-signature once, and both signatures verify', () => {
    const witness = generateEd25519();
    const witnessKey = verifierKey('audit-bureau.example/witness', witness.publicKey);
    const note = signNote(body, origin, key);
    const cosigned = addCosignature(note, signatureLine(body, 'audit-bureau.example/witness', witness), witnessKey);
    expect(verifyNote(cosigned, vkey) && verifyNote(cosigned, witnessKey)).toBe(true);
    expect(parseNote(cosigned).signatures).toHaveLength(2);
    const again = () => addCosignature(cosigned, signatureLine(body, 'audit-bureau.example/witness', witness), witnessKey);
    expect(again).toThrow(expect.objectContaining({ fault: 'duplicate_signer' }));
  });

  it('takes at most MAX_COSIGNATURES witnesses, so co-signing never makes a note unreadable', () => {
    let note = signNote(body, origin, key);
    const cosign = (i: number) => {
      const witness = generateEd25519();
      const name = `witness-${i}.example`;
      return addCosignature(note, signatureLine(body, name, witness), verifierKey(name, witness.publicKey));
    };
    for (let i = 0; i < MAX_COSIGNATURES; i++) note = cosign(i);
    expect(parseNote(note).signatures).toHaveLength(MAX_COSIGNATURES + 1);
    expect(() => cosign(MAX_COSIGNATURES)).toThrow(expect.objectContaining({ fault: 'too_many_signers' }));
    expect(verifyNote(note, vkey)).toBe(true);
  });

  it('refuses a co-signature by another key than the one given, over another body, or malformed', () => {
    const witness = generateEd25519();
    const stranger = generateEd25519();
    const name = 'audit-bureau.example/witness';
    const witnessKey = verifierKey(name, witness.publicKey);
    const note = signNote(body, origin, key);
    expect(() => addCosignature(note, signatureLine(body, name, stranger), witnessKey)).toThrow(expect.objectContaining({ fault: 'wrong_key' }));
    expect(() => addCosignature(note, signatureLine(body.replace('1234', '1235'), name, witness), witnessKey)).toThrow(
      expect.objectContaining({ fault: 'bad_signature' }),
    );
    expect(() => addCosignature(note, '— witness not-base64!', witnessKey)).toThrow(expect.objectContaining({ fault: 'malformed_signature' }));
    expect(() => addCosignature(note, `${signatureLine(body, name, witness)}— x AAAAAAAA\n`, witnessKey)).toThrow(
      expect.objectContaining({ fault: 'malformed_signature' }),
    );
    expect(() => addCosignature(note, signatureLine(body, name, witness), 'witness+00000000+AAAA')).toThrow(
      expect.objectContaining({ fault: 'malformed_key' }),
    );
  });

  it('reads signature lines strictly', () => {
    expect(() => parseSignatureLine('- name AAAAAAAA')).toThrow(NoteError);
    expect(() => parseSignatureLine('— name AAAA')).toThrow(NoteError);
    expect(() => parseSignatureLine('— na+me AAAAAAAA')).toThrow(NoteError);
    expect(() => parseSignatureLine('— name  AAAAAAAA')).toThrow(NoteError);
    expect(parseSignatureLine('— name AAAAAAAA')).toMatchObject({ name: 'name', keyId: '00000000', line: '— name AAAAAAAA\n' });
    expect(() => parseNote(`${body}\n`)).toThrow(NoteError);
    expect(() => parseNote(body)).toThrow(NoteError);
  });
});
