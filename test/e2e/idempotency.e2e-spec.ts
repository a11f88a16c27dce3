import { OneIdempotency1796145000000 } from '../../migrations/1796145000000-OneIdempotency';
import { TestApp, startTestApp } from '../support/app';
import { ClaimWorld, attachAll, claimCounts, claimWorld, packet } from '../support/claims';
import { openCountyBooks, posting } from '../support/factories';

/** A retried request never changes anything twice: every request that takes an Idempotency-Key, one mechanism. */
describe('idempotency of workflow requests', () => {
  let t: TestApp;
  let w: ClaimWorld;
  let contract: { id: number; projectId: number };
  const pay = { amount: '1000.00', payeeAccount: '8201000000999' };
  const entry = (memo: string, amount = '7.00') =>
    posting(
      [
        { account: 'bank:D', debit: amount },
        { account: 'equity:A', credit: amount },
      ],
      '2026-03-05',
      memo,
    );

  beforeAll(async () => {
    t = await startTestApp();
    w = await claimWorld(t);
    await openCountyBooks(t);
    contract = await w.contract('100000.00');
  });
  afterAll(() => t.close());

  const payments = async () => (await t.ds.query(`SELECT count(*)::int AS n FROM contract_payments WHERE contract_id = $1`, [contract.id]))[0].n as number;

  it('a replayed payment answers the first one and pays nothing; another request under the key is refused', async () => {
    const first = await w.maker.post(`/api/v1/contracts/${contract.id}/payments`).set('Idempotency-Key', 'pay-1').send(pay).expect(201);
    const before = await claimCounts(t);
    const again = await w.maker.post(`/api/v1/contracts/${contract.id}/payments`).set('Idempotency-Key', 'pay-1').send(pay).expect(201);
    expect(again.headers['idempotent-replayed']).toBe('true');
    expect(again.body).toEqual(first.body);
    expect(await claimCounts(t)).toEqual(before);

    const other = await w.maker
      .post(`/api/v1/contracts/${contract.id}/payments`)
      .set('Idempotency-Key', 'pay-1')
      .send({ ...pay, amount: '1000.01' })
      .expect(409);
    expect(other.body).toMatchObject({ code: 'IDEMPOTENCY_MISMATCH', details: { fields: [{ field: 'Idempotency-Key' }] } });
    const elsewhere = await w.maker
      .post(`/api/v1/projects/${contract.projectId}/budget-lines`)
      .set('Idempotency-Key', 'pay-1')
      .send({ allocationId: w.allocationId, amount: '1.00' })
      .expect(409);
    expect(elsewhere.body.code).toBe('IDEMPOTENCY_MISMATCH');
    expect(await claimCounts(t)).toEqual(before);
    expect(await payments()).toBe(1);
  });

  it('an equivalent body is the same request; another person’s key is their own', async () => {
    const first = await w.maker
      .post(`/api/v1/contracts/${contract.id}/payments`)
      .set('Idempotency-Key', 'pay-2')
      .send({ amount: '10', payeeAccount: '8201 0000 00999' })
      .expect(201);
    const again = await w.maker
      .post(`/api/v1/contracts/${contract.id}/payments`)
      .set('Idempotency-Key', 'pay-2')
      .send({ amount: '10.00', payeeAccount: '8201000000999' })
      .expect(201);
    expect(again.headers['idempotent-replayed']).toBe('true');
    expect(again.body.id).toBe(first.body.id);
    const others = await w.checker
      .post(`/api/v1/contracts/${contract.id}/payments`)
      .set('Idempotency-Key', 'pay-2')
      .send({ amount: '10.00', payeeAccount: '8201000000999' })
      .expect(201);
    expect(others.headers['idempotent-replayed']).toBeUndefined();
    expect(others.body.id).not.toBe(first.body.id);
  });

  it('five copies of a payment sent at once pay once and all answer the first, even where a second payment would be refused', async () => {
    const small = await w.contract('3000.00');
    const before = await claimCounts(t);
    const results = await Promise.all(
      Array.from({ length: 5 }, () =>
        w.maker
          .post(`/api/v1/contracts/${small.id}/payments`)
          .set('Idempotency-Key', 'pay-race')
          .send({ ...pay, amount: '2000.00' }),
      ),
    );
    expect(results.map((r) => r.status)).toEqual([201, 201, 201, 201, 201]);
    expect(new Set(results.map((r) => r.body.id)).size).toBe(1);
    expect(results.filter((r) => r.headers['idempotent-replayed'] !== 'true')).toHaveLength(1);
    const after = await claimCounts(t);
    expect(after.payments - before.payments).toBe(1);
    expect(after.transactions - before.transactions).toBe(1);
  });

  it('a budget line sent twice, and five times at once, allocates once each', async () => {
    const project = (await t.ds.query(`SELECT id FROM projects WHERE id = $1`, [contract.projectId]))[0].id as number;
    const line = { allocationId: w.allocationId, amount: '500.00' };
    const first = await w.maker.post(`/api/v1/projects/${project}/budget-lines`).set('Idempotency-Key', 'line-1').send(line).expect(201);
    const again = await w.maker.post(`/api/v1/projects/${project}/budget-lines`).set('Idempotency-Key', 'line-1').send(line).expect(201);
    expect(again.body).toEqual(first.body);
    const results = await Promise.all(
      Array.from({ length: 5 }, () => w.maker.post(`/api/v1/projects/${project}/budget-lines`).set('Idempotency-Key', 'line-race').send(line)),
    );
    expect(results.map((r) => r.status)).toEqual([201, 201, 201, 201, 201]);
    expect(new Set(results.map((r) => r.body.id)).size).toBe(1);
    const [{ n }] = await t.ds.query(`SELECT count(*)::int AS n FROM budget_lines WHERE project_id = $1 AND amount = 500`, [project]);
    expect(n).toBe(2);
  });

  it('refuses a malformed key, writing nothing', async () => {
    const before = await claimCounts(t);
    const res = await w.maker.post(`/api/v1/contracts/${contract.id}/payments`).set('Idempotency-Key', 'has space').send(pay).expect(400);
    expect(res.body.details.fields[0].field).toBe('Idempotency-Key');
    expect(await claimCounts(t)).toEqual(before);
  });

  const vouchers = async (memo: string) =>
    (await t.ds.query(`SELECT count(*)::int AS n FROM ledger_vouchers WHERE request->>'memo' = $1`, [memo]))[0].n as number;

  /** A claim of `amount` on `contractId` through every review, approved by the maker: the payer may pay it. */
  async function approvedClaim(contractId: number, amount: string): Promise<number> {
    const claim = (await w.village.post('/api/v1/claims').send(packet(contractId, amount)).expect(201)).body;
    await attachAll(w.village, claim.id);
    await w.village.post(`/api/v1/claims/${claim.id}/submit`).expect(200);
    await w.township.post(`/api/v1/claims/${claim.id}/township-review`).send({ signedOn: '2026-06-28', opinion: 'ok' }).expect(200);
    await w.line.post(`/api/v1/claims/${claim.id}/line-review`).send({ result: 'pass', opinion: 'ok' }).expect(200);
    await w.maker.post(`/api/v1/claims/${claim.id}/approve`).send({ opinion: 'ok' }).expect(200);
    return claim.id;
  }

  it('answers a replay on every idempotent route with the first answer, its status and Idempotent-Replayed: true', async () => {
    const c = await w.contract('20000.00');
    const claimId = await approvedClaim(c.id, '1000.00');
    const routes = [
      { name: 'voucher-draft', as: w.maker, url: '/api/v1/ledger/transactions', body: entry('replayed entry'), status: 201 },
      { name: 'payment', as: w.maker, url: `/api/v1/contracts/${c.id}/payments`, body: pay, status: 201 },
      {
        name: 'budget-line',
        as: w.maker,
        url: `/api/v1/projects/${c.projectId}/budget-lines`,
        body: { allocationId: w.allocationId, amount: '100.00' },
        status: 201,
      },
      { name: 'claim-payment', as: w.payer, url: `/api/v1/claims/${claimId}/pay`, body: { payeeAccount: '8201000000999' }, status: 200 },
    ];
    for (const route of routes) {
      const first = await route.as.post(route.url).set('Idempotency-Key', `every-${route.name}`).send(route.body);
      expect({ route: route.name, status: first.status, replayed: first.headers['idempotent-replayed'] }).toEqual({
        route: route.name,
        status: route.status,
        replayed: undefined,
      });
      const before = await claimCounts(t);
      const again = await route.as.post(route.url).set('Idempotency-Key', `every-${route.name}`).send(route.body);
      expect({ route: route.name, status: again.status, replayed: again.headers['idempotent-replayed'] }).toEqual({
        route: route.name,
        status: route.status,
        replayed: 'true',
      });
      expect(again.body).toEqual(first.body);
      expect(await claimCounts(t)).toEqual(before);
    }
    expect(await vouchers('replayed entry')).toBe(1);
  });

  it('a voucher draft: an equivalent body replays, another body or route under the key is refused', async () => {
    const first = await w.maker.post('/api/v1/ledger/transactions').set('Idempotency-Key', 'entry-1').send(entry('equivalent entry', '7')).expect(201);
    const again = await w.maker.post('/api/v1/ledger/transactions').set('Idempotency-Key', 'entry-1').send(entry('equivalent entry', '7.00')).expect(201);
    expect(again.headers['idempotent-replayed']).toBe('true');
    expect(again.body).toEqual(first.body);
    const before = await claimCounts(t);
    const other = await w.maker.post('/api/v1/ledger/transactions').set('Idempotency-Key', 'entry-1').send(entry('equivalent entry', '7.01')).expect(409);
    expect(other.body).toMatchObject({ code: 'IDEMPOTENCY_MISMATCH', details: { fields: [{ field: 'Idempotency-Key' }] } });
    expect((await w.maker.post(`/api/v1/contracts/${contract.id}/payments`).set('Idempotency-Key', 'entry-1').send(pay).expect(409)).body.code).toBe(
      'IDEMPOTENCY_MISMATCH',
    );
    expect(await claimCounts(t)).toEqual(before);
    expect(await vouchers('equivalent entry')).toBe(1);
  });

  it('a payment’s key sent to the voucher route is a mismatch there too, drafting nothing', async () => {
    const c = await w.contract('5000.00');
    await w.maker
      .post(`/api/v1/contracts/${c.id}/payments`)
      .set('Idempotency-Key', 'pay-then-draft')
      .send({ ...pay, amount: '1.00' })
      .expect(201);
    const res = await w.maker.post('/api/v1/ledger/transactions').set('Idempotency-Key', 'pay-then-draft').send(entry('cross-route entry')).expect(409);
    expect(res.body.code).toBe('IDEMPOTENCY_MISMATCH');
    expect(await vouchers('cross-route entry')).toBe(0);
  });

  it('two people’s drafts under one key are two requests', async () => {
    const mine = await w.maker.post('/api/v1/ledger/transactions').set('Idempotency-Key', 'shared-key').send(entry('two people')).expect(201);
    const theirs = await w.checker.post('/api/v1/ledger/transactions').set('Idempotency-Key', 'shared-key').send(entry('two people')).expect(201);
    expect(theirs.headers['idempotent-replayed']).toBeUndefined();
    expect(theirs.body.id).not.toBe(mine.body.id);
    expect(theirs.body.draftedBy).not.toBe(mine.body.draftedBy);
    const otherBody = await w.payer.post('/api/v1/ledger/transactions').set('Idempotency-Key', 'shared-key').send(entry('two people', '8.00')).expect(201);
    expect(otherBody.headers['idempotent-replayed']).toBeUndefined();
    expect(await vouchers('two people')).toBe(3);
  });

  it('five copies of a voucher draft sent at once make one voucher, every copy answered with it', async () => {
    const before = await claimCounts(t);
    const results = await Promise.all(
      Array.from({ length: 5 }, () => w.maker.post('/api/v1/ledger/transactions').set('Idempotency-Key', 'draft-race').send(entry('raced entry'))),
    );
    expect(results.map((r) => r.status)).toEqual([201, 201, 201, 201, 201]);
    expect(new Set(results.map((r) => r.body.id)).size).toBe(1);
    expect(results.filter((r) => r.headers['idempotent-replayed'] !== 'true')).toHaveLength(1);
    expect(await vouchers('raced entry')).toBe(1);
    expect((await claimCounts(t)).events - before.events).toBe(1);
  });

  it('documents the key on exactly the idempotent routes, with the replay header', async () => {
    const doc = (await t.api().get('/docs-json').expect(200)).body as {
      paths: Record<string, Record<string, { parameters?: { name: string; in: string; description?: string }[] }>>;
    };
    const documented = Object.entries(doc.paths).flatMap(([path, item]) =>
      Object.entries(item)
        .filter(([, op]) =>
          (op.parameters ?? []).some((p) => p.in === 'header' && p.name === 'Idempotency-Key' && p.description?.includes('Idempotent-Replayed: true')),
        )
        .map(([method]) => `${method.toUpperCase()} ${path}`),
    );
    expect(documented.sort()).toEqual([
      'POST /api/v1/audit/checkpoints/{size}/cosignatures',
      'POST /api/v1/claims/{id}/pay',
      'POST /api/v1/contracts/{id}/payments',
      'POST /api/v1/ledger/transactions',
      'POST /api/v1/projects/{id}/budget-lines',
    ]);
  });

  it('a key a voucher kept before the upgrade is recorded by the migration, so its retry still replays', async () => {
    const migration = new OneIdempotency1796145000000();
    const kept = await w.maker.post('/api/v1/ledger/transactions').set('Idempotency-Key', 'kept').send(entry('kept entry', '9')).expect(201);
    const clashing = await w.maker.post('/api/v1/ledger/transactions').set('Idempotency-Key', 'clash').send(entry('clashing entry')).expect(201);
    const runner = t.ds.createQueryRunner();
    try {
      // Back to the vouchers' own key columns; then the maker's key `clash` answers some other request too.
      await migration.down(runner);
      const keys = await t.ds.query(`SELECT id, idempotency_key AS key FROM ledger_vouchers WHERE id = ANY($1) ORDER BY idempotency_key`, [
        [kept.body.id, clashing.body.id],
      ]);
      expect(keys).toEqual([
        { id: clashing.body.id, key: 'clash' },
        { id: kept.body.id, key: 'kept' },
      ]);
      expect((await t.ds.query(`SELECT count(*)::int AS n FROM idempotency_records WHERE key IN ('kept', 'clash')`))[0].n).toBe(0);
      await t.ds.query(
        `INSERT INTO idempotency_records (county_id, user_id, key, request_hash, response) SELECT county_id, drafted_by, 'clash', repeat('0', 64), '{}' FROM ledger_vouchers WHERE id = $1`,
        [clashing.body.id],
      );
      await migration.up(runner);
    } finally {
      await runner.release();
    }
    const again = await w.maker.post('/api/v1/ledger/transactions').set('Idempotency-Key', 'kept').send(entry('kept entry', '9.00')).expect(201);
    expect(again.headers['idempotent-replayed']).toBe('true');
    expect(again.body).toEqual(kept.body);
    expect((await w.maker.post('/api/v1/ledger/transactions').set('Idempotency-Key', 'clash').send(entry('clashing entry')).expect(409)).body.code).toBe(
      'IDEMPOTENCY_MISMATCH',
    );
    expect(await vouchers('kept entry')).toBe(1);
    expect(await vouchers('clashing entry')).toBe(1);
  });
});
