import { randomUUID } from 'node:crypto';
import { CheckpointsService, signDueCheckpoints } from '../../src/audit/checkpoints/checkpoints.service';
import { leafHash, rootOf, verifyConsistency, verifyInclusion } from '../../src/audit/checkpoints/merkle';
import {
  ed25519FromSeed,
  generateEd25519,
  parseCheckpointBody,
  parseNote,
  signatureLine,
  verifierKey,
  verifyNote,
} from '../../src/audit/checkpoints/signed-note';
import { ADMIN, As, TEST_AUDIT_SIGNING_KEY, TestApp, startTestApp } from '../support/app';

const hex = (h: string) => Buffer.from(h, 'hex');
const WITNESS = 'audit-bureau.example/witness';

describe('signed checkpoints of the audit chain', () => {
  let t: TestApp;
  let admin: As;
  let auditor: As;
  let county: { id: number; code: string };
  let rootUnit: number;
  let units = 0;
  let vkey: string;

  /** `n` changes, each recording one event: org units under the county's unit. */
  const changes = async (n: number) => {
    for (let i = 0; i < n; i++) {
      units += 1;
      await admin
        .post('/api/v1/org-units')
        .send({ parentId: rootUnit, code: `CK${units}`, name: `鎮${units}` })
        .expect(201);
    }
  };
  const sealedHashes = async (): Promise<Buffer[]> =>
    (await t.ds.query(`SELECT hash FROM audit_events WHERE county_id = $1 AND seq IS NOT NULL ORDER BY seq`, [county.id])).map((r: { hash: string }) =>
      hex(r.hash),
    );
  const checkpointRows = async () =>
    t.ds.query(`SELECT tree_size, root_hash, note FROM audit_checkpoints WHERE county_id = $1 ORDER BY tree_size`, [county.id]);
  const eventCount = async () => (await t.ds.query(`SELECT count(*)::int AS n FROM audit_events`))[0].n as number;
  const sign = () => t.app.get(CheckpointsService).signCheckpoint(county.id);
  /** The checkpoint note served for `size`, its body read. */
  const served = async (size: string) => {
    const res = await auditor.get(`/api/v1/audit/checkpoints/${size}`).expect(200);
    expect(res.headers['content-type']).toBe('text/plain; charset=utf-8');
    return { note: res.text, ...parseCheckpointBody(parseNote(res.text).body) };
  };

  beforeAll(async () => {
    // Only this file's own calls sign: nothing by count or clock while it runs.
    process.env.AUDIT_CHECKPOINT_EVENTS = '1000000';
    t = await startTestApp();
    admin = await t.as(ADMIN.username);
    auditor = await t.as('ck-auditor', ['auditor']);
    [county] = await t.ds.query(`SELECT id, code FROM counties`);
    rootUnit = (await admin.get('/api/v1/org-units?limit=1').expect(200)).body[0].id;
    vkey = (await auditor.get('/api/v1/audit/verifier-key').expect(200)).text;
  });
  afterAll(() => t.close());

  it('serves the verifier key of the county’s origin and the key the service was given', () => {
    const key = ed25519FromSeed(Buffer.from(TEST_AUDIT_SIGNING_KEY, 'base64'));
    expect(vkey).toBe(verifierKey(`${county.code}/fund-ledger`, key.publicKey));
  });

  it('answers 404 NOT_FOUND before the first checkpoint', async () => {
    const res = await auditor.get('/api/v1/audit/checkpoint').expect(404);
    expect(res.body.code).toBe('NOT_FOUND');
    expect(res.headers['content-type']).toMatch(/^application\/json/);
  });

  it('signs a checkpoint of the sealed head that verifies with the served key and whose root is the events’ tree', async () => {
    await changes(5);
    await t.seal();
    const signed = await sign();
    const hashes = await sealedHashes();
    expect(signed?.treeSize).toBe(String(hashes.length));
    expect(await sign()).toBeNull();

    const res = await auditor.get('/api/v1/audit/checkpoint').expect(200);
    expect(res.headers['content-type']).toBe('text/plain; charset=utf-8');
    expect(verifyNote(res.text, vkey)).toBe(true);
    const body = parseCheckpointBody(parseNote(res.text).body);
    expect(body).toEqual({ origin: `${county.code}/fund-ledger`, treeSize: String(hashes.length), root: rootOf(hashes.map(leafHash)) });
    expect((await served(body.treeSize)).note).toBe(res.text);
    expect(verifyNote(res.text, verifierKey(`${county.code}/fund-ledger`, generateEd25519().publicKey))).toBe(false);
  });

  it('proves several events in the checkpoint’s tree, against its signed root', async () => {
    const [{ tree_size: size }] = await checkpointRows();
    const { root } = await served(size);
    const hashes = await sealedHashes();
    for (const seq of ['1', '3', size]) {
      const res = await auditor.get(`/api/v1/audit/proofs/inclusion?seq=${seq}&treeSize=${size}`).expect(200);
      expect(res.body).toMatchObject({ seq, treeSize: size, leafIndex: String(Number(seq) - 1), rootHash: root.toString('hex') });
      expect(res.body.leafHash).toBe(leafHash(hashes[Number(seq) - 1]).toString('hex'));
      expect(verifyInclusion(Number(seq) - 1, Number(size), hex(res.body.leafHash), res.body.proof.map(hex), root)).toBe(true);
      expect(verifyInclusion(Number(seq) - 1, Number(size), leafHash(hashes[Number(seq) % Number(size)]), res.body.proof.map(hex), root)).toBe(false);
    }
  });

  it('resumes from the last checkpoint’s frontier, and proves the two checkpoints consistent', async () => {
    await changes(7);
    await t.seal();
    await sign();
    const [first, second] = await checkpointRows();
    const hashes = await sealedHashes();
    expect(second.tree_size).toBe(String(hashes.length));
    const older = await served(first.tree_size);
    const newer = await served(second.tree_size);
    expect(newer.root.equals(rootOf(hashes.map(leafHash)))).toBe(true);
    expect(verifyNote(newer.note, vkey)).toBe(true);

    const res = await auditor.get(`/api/v1/audit/proofs/consistency?from=${first.tree_size}&to=${second.tree_size}`).expect(200);
    expect(res.body).toMatchObject({ from: first.tree_size, to: second.tree_size, fromRoot: older.root.toString('hex'), toRoot: newer.root.toString('hex') });
    const proof = res.body.proof.map(hex);
    expect(verifyConsistency(Number(first.tree_size), Number(second.tree_size), older.root, newer.root, proof)).toBe(true);
    expect(verifyConsistency(Number(first.tree_size), Number(second.tree_size), newer.root, older.root, proof)).toBe(false);
  });

  it('adds a witness’s co-signature once, through an Idempotency-Key, with its event; both signatures verify', async () => {
    const [, { tree_size: size }] = await checkpointRows();
    const { note } = await served(size);
    const witness = generateEd25519();
    const witnessKey = verifierKey(WITNESS, witness.publicKey);
    const line = signatureLine(parseNote(note).body, WITNESS, witness);
    const key = randomUUID();
    const send = () => auditor.post(`/api/v1/audit/checkpoints/${size}/cosignatures`).set('Idempotency-Key', key).send({ signature: line, key: witnessKey });

    const res = await send().expect(201);
    expect(res.headers['content-type']).toBe('text/plain; charset=utf-8');
    expect(res.text).toBe(`${note}${line}`);
    expect(verifyNote(res.text, vkey) && verifyNote(res.text, witnessKey)).toBe(true);
    expect((await served(size)).note).toBe(res.text);

    const replay = await send().expect(201);
    expect(replay.text).toBe(res.text);
    expect(replay.headers['idempotent-replayed']).toBe('true');
    const events = await t.ds.query(`SELECT body::jsonb -> 'data' AS data FROM audit_events WHERE type = 'audit.checkpoint.cosigned'`);
    expect(events).toEqual([{ data: { treeSize: size, key: witnessKey, signature: line.trimEnd() } }]);

    const again = await auditor.post(`/api/v1/audit/checkpoints/${size}/cosignatures`).send({ signature: line, key: witnessKey }).expect(409);
    expect(again.body.code).toBe('INVALID_STATE');
  });

  it('refuses a co-signature by a wrong key, or over another body, and writes nothing', async () => {
    const [{ tree_size: size }] = await checkpointRows();
    const { note } = await served(size);
    const body = parseNote(note).body;
    const witness = generateEd25519();
    const stranger = generateEd25519();
    const witnessKey = verifierKey(WITNESS, witness.publicKey);
    const before = { events: await eventCount(), checkpoints: await checkpointRows() };
    const attempts = [
      { signature: signatureLine(body, WITNESS, stranger), key: witnessKey },
      { signature: signatureLine(body.replace(`\n${size}\n`, '\n999\n'), WITNESS, witness), key: witnessKey },
      { signature: signatureLine(body, WITNESS, witness), key: vkey },
    ];
    for (const attempt of attempts) {
      const res = await auditor.post(`/api/v1/audit/checkpoints/${size}/cosignatures`).send(attempt).expect(400);
      expect(res.body).toMatchObject({ code: 'VALIDATION_FAILED', details: { fields: [expect.objectContaining({ field: 'signature' })] } });
    }
    await t.seal();
    expect({ events: await eventCount(), checkpoints: await checkpointRows() }).toEqual(before);
  });

  it('answers bad input 400 naming the field, and an unknown checkpoint 404', async () => {
    const [{ tree_size: size }, { tree_size: later }] = await checkpointRows();
    const head = (await sealedHashes()).length;
    const bad: [string, string][] = [
      ['/api/v1/audit/checkpoints/abc', 'size'],
      ['/api/v1/audit/checkpoints/1.5', 'size'],
      ['/api/v1/audit/checkpoints/0012', 'size'],
      ['/api/v1/audit/proofs/inclusion?seq=abc&treeSize=3', 'seq'],
      ['/api/v1/audit/proofs/inclusion?treeSize=3', 'seq'],
      [`/api/v1/audit/proofs/inclusion?seq=4&treeSize=3`, 'seq'],
      [`/api/v1/audit/proofs/inclusion?seq=0&treeSize=3`, 'seq'],
      [`/api/v1/audit/proofs/inclusion?seq=1&treeSize=${head + 1}`, 'treeSize'],
      [`/api/v1/audit/proofs/inclusion?seq=1&treeSize=999999999999999999`, 'treeSize'],
      [`/api/v1/audit/proofs/consistency?from=${later}&to=${size}`, 'from'],
      [`/api/v1/audit/proofs/consistency?from=1&to=-1`, 'to'],
      [`/api/v1/audit/proofs/consistency?from=0&to=${size}`, 'from'],
    ];
    for (const [url, field] of bad) {
      const res = await auditor.get(url);
      expect({ url, status: res.status, code: res.body.code, fields: res.body.details?.fields?.map((f: { field: string }) => f.field) }).toEqual({
        url,
        status: 400,
        code: 'VALIDATION_FAILED',
        fields: [field],
      });
    }
    expect((await auditor.get('/api/v1/audit/checkpoints/999999').expect(404)).body.code).toBe('NOT_FOUND');
    const cosign = (body: object, at = size) => auditor.post(`/api/v1/audit/checkpoints/${at}/cosignatures`).send(body);
    const witnessKey = verifierKey(WITNESS, generateEd25519().publicKey);
    const refusedFields = async (body: object) => [...new Set((await cosign(body).expect(400)).body.details.fields.map((f: { field: string }) => f.field))];
    expect(await refusedFields({ signature: 'not a line', key: witnessKey })).toEqual(['signature']);
    expect(await refusedFields({ signature: '— w AAAAAAAA', key: 'w+1234' })).toEqual(['key']);
    expect(await refusedFields({ signature: '— w AAAAAAAA' })).toEqual(['key']);
    expect(await refusedFields({ signature: ['— w AAAAAAAA'], key: witnessKey })).toEqual(['signature']);
    expect((await cosign({ signature: `— ${WITNESS} ${Buffer.alloc(68).toString('base64')}`, key: witnessKey }, '999999').expect(404)).body.code).toBe(
      'NOT_FOUND',
    );
  });

  it('lets no one else in: a village user is refused every route', async () => {
    const village = await t.as('ck-village', ['village']);
    const [{ tree_size: size }] = await checkpointRows();
    for (const url of [
      '/api/v1/audit/checkpoint',
      `/api/v1/audit/checkpoints/${size}`,
      '/api/v1/audit/verifier-key',
      '/api/v1/audit/proofs/inclusion?seq=1&treeSize=1',
    ]) {
      expect((await village.get(url).expect(403)).body.code).toBe('FORBIDDEN_ROLE');
    }
    expect((await village.post(`/api/v1/audit/checkpoints/${size}/cosignatures`).send({}).expect(403)).body.code).toBe('FORBIDDEN_ROLE');
    expect((await admin.post(`/api/v1/audit/checkpoints/${size}/cosignatures`).send({}).expect(403)).body.code).toBe('FORBIDDEN_ROLE');
  });

  it('keeps checkpoints as written, even against the schema’s owner: only co-signature lines are appended', async () => {
    const [{ tree_size: size, note }] = await checkpointRows();
    for (const statement of [
      `UPDATE audit_checkpoints SET root_hash = repeat('0', 64) WHERE tree_size = ${size}`,
      `UPDATE audit_checkpoints SET note = note || 'extra' WHERE tree_size = ${size}`,
      `UPDATE audit_checkpoints SET note = replace(note, '${county.code}', 'X') WHERE tree_size = ${size}`,
      `DELETE FROM audit_checkpoints WHERE tree_size = ${size}`,
      `TRUNCATE audit_checkpoints`,
    ]) {
      await expect(t.ds.query(statement)).rejects.toMatchObject({ driverError: expect.objectContaining({ code: 'FL003' }) });
    }
    const head = (await sealedHashes()).length;
    await expect(
      t.ds.query(`INSERT INTO audit_checkpoints (county_id, tree_size, root_hash, frontier, note, key_id) VALUES ($1, $2, $3, $4, $5, $6)`, [
        county.id,
        head + 5,
        '0'.repeat(64),
        ['0'.repeat(64)],
        note,
        '00000000',
      ]),
    ).rejects.toMatchObject({ driverError: expect.objectContaining({ code: 'FL003' }) });
    expect((await checkpointRows())[0].note).toBe(note);
  });

  it('signs when due by events, once, whichever of two signers gets there first', async () => {
    const key = ed25519FromSeed(Buffer.from(TEST_AUDIT_SIGNING_KEY, 'base64'));
    const service = t.app.get(CheckpointsService);
    await changes(2);
    await t.seal();
    const head = (await sealedHashes()).length;
    const gap = head - Number((await checkpointRows()).at(-1).tree_size);
    expect(await service.checkpointDue(county.id)).toBe(false);
    expect(await signDueCheckpoints(t.ds, key, { force: false, events: gap + 1, intervalMs: 0 })).toEqual([]);
    expect(await signDueCheckpoints(t.ds, key, { force: false, events: gap + 1, intervalMs: 3_600_000 })).toEqual([]);
    const racing = await Promise.all([
      signDueCheckpoints(t.ds, key, { force: false, events: gap, intervalMs: 0 }),
      signDueCheckpoints(t.ds, key, { force: true }),
      service.signCheckpoint(county.id),
    ]);
    const signed = racing.flatMap((r) => (Array.isArray(r) ? r : r ? [r] : []));
    expect(signed.map((c) => c.treeSize)).toEqual([String(head)]);
    expect((await checkpointRows()).map((r: { tree_size: string }) => r.tree_size).at(-1)).toBe(String(head));
    expect(verifyNote(signed[0].note, vkey)).toBe(true);

    // By the clock: due once the last checkpoint is older than the interval.
    await changes(1);
    await t.seal();
    expect(await signDueCheckpoints(t.ds, key, { force: false, events: 1_000_000, intervalMs: 3_600_000 })).toEqual([]);
    await new Promise((r) => setTimeout(r, 5));
    expect((await signDueCheckpoints(t.ds, key, { force: false, events: 1_000_000, intervalMs: 1 })).map((c) => c.treeSize)).toEqual([
      String((await sealedHashes()).length),
    ]);
  });
});

describe('the sealer signing checkpoints', () => {
  it('signs a due checkpoint after its sealing round, by itself', async () => {
    process.env.AUDIT_CHECKPOINT_EVENTS = '1';
    const t = await startTestApp();
    try {
      const admin = await t.as(ADMIN.username);
      const [{ id: parentId }] = (await admin.get('/api/v1/org-units?limit=1').expect(200)).body;
      await admin.post('/api/v1/org-units').send({ parentId, code: 'SEALER1', name: '鎮' }).expect(201);
      const [{ id: countyId }] = await t.ds.query(`SELECT id FROM counties`);
      const signedHead = async () =>
        (
          await t.ds.query(
            `SELECT (SELECT max(tree_size) FROM audit_checkpoints WHERE county_id = $1) = (SELECT seq FROM audit_chain_heads WHERE county_id = $1) AS at_head`,
            [countyId],
          )
        )[0].at_head as boolean | null;
      for (const started = Date.now(); !(await signedHead()) && Date.now() - started < 10_000;) await new Promise((r) => setTimeout(r, 100));
      expect(await signedHead()).toBe(true);
    } finally {
      await t.close();
    }
  });
});
