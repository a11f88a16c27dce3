import { TestApp, startTestApp } from '../support/app';
import { ClaimWorld, claimCounts, claimWorld } from '../support/claims';

/** A retried request never moves money twice: payments and budget lines with an Idempotency-Key. */
describe('idempotency of workflow requests', () => {
  let t: TestApp;
  let w: ClaimWorld;
  let contract: { id: number; projectId: number };
  const pay = { amount: '1000.00', payeeAccount: '8201000000999' };

  beforeAll(async () => {
    t = await startTestApp();
    w = await claimWorld(t);
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

    const other = await w.maker.post(`/api/v1/contracts/${contract.id}/payments`).set('Idempotency-Key', 'pay-1').send({ ...pay, amount: '1000.01' }).expect(409);
    expect(other.body).toMatchObject({ code: 'IDEMPOTENCY_MISMATCH', details: { fields: [{ field: 'Idempotency-Key' }] } });
    const elsewhere = await w.maker.post(`/api/v1/projects/${contract.projectId}/budget-lines`).set('Idempotency-Key', 'pay-1').send({ allocationId: w.allocationId, amount: '1.00' }).expect(409);
    expect(elsewhere.body.code).toBe('IDEMPOTENCY_MISMATCH');
    expect(await claimCounts(t)).toEqual(before);
    expect(await payments()).toBe(1);
  });


  it('an equivalent body is the same request; another person’s key is their own', async () => {
    const first = await w.maker.post(`/api/v1/contracts/${contract.id}/payments`).set('Idempotency-Key', 'pay-2').send({ amount: '10', payeeAccount: '8201 0000 00999' }).expect(201);
    const again = await w.maker.post(`/api/v1/contracts/${contract.id}/payments`).set('Idempotency-Key', 'pay-2').send({ amount: '10.00', payeeAccount: '8201000000999' }).expect(201);
    expect(again.headers['idempotent-replayed']).toBe('true');
    expect(again.body.id).toBe(first.body.id);
    const others = await w.checker.post(`/api/v1/contracts/${contract.id}/payments`).set('Idempotency-Key', 'pay-2').send({ amount: '10.00', payeeAccount: '8201000000999' }).expect(201);
    expect(others.headers['idempotent-replayed']).toBeUndefined();
    expect(others.body.id).not.toBe(first.body.id);
  });

  it('five copies of a payment sent at once pay once and all answer the first, even where a second payment would be refused', async () => {
    const small = await w.contract('3000.00');
    const before = await claimCounts(t);
    const results = await Promise.all(
      Array.from({ length: 5 }, () => w.maker.post(`/api/v1/contracts/${small.id}/payments`).set('Idempotency-Key', 'pay-race').send({ ...pay, amount: '2000.00' })),
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
    const results = await Promise.all(Array.from({ length: 5 }, () => w.maker.post(`/api/v1/projects/${project}/budget-lines`).set('Idempotency-Key', 'line-race').send(line)));
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
});
