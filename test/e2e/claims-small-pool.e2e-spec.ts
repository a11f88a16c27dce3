import { TestApp, startTestApp } from '../support/app';
import { attachAll, claimWorld, packet } from '../support/claims';

/**
 * A claim step holds one connection for its unit of work and must not need a second: with a pool of two and more
 * steps than connections in flight, every step still completes (a second connection would wait for ever).
 */
describe('claims on a small connection pool', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp({ poolSize: 2 });
  });
  afterAll(() => t.close());

  it('six township reviews and approvals at once on a pool of two all complete', async () => {
    const w = await claimWorld(t);
    const c = await w.contract('100000.00');
    const ids: number[] = [];
    for (let i = 0; i < 6; i++) {
      const claim = (await w.village.post('/api/v1/claims').send(packet(c.id, '1000.00')).expect(201)).body;
      await attachAll(w.village, claim.id);
      await w.village.post(`/api/v1/claims/${claim.id}/submit`).expect(200);
      ids.push(claim.id);
    }
    const reviews = await Promise.all(ids.map((id) => w.township.post(`/api/v1/claims/${id}/township-review`).send({ signedOn: '2026-06-28', opinion: 'ok' })));
    expect(reviews.map((r) => r.status)).toEqual(Array(6).fill(200));
    await Promise.all(ids.map((id) => w.line.post(`/api/v1/claims/${id}/line-review`).send({ result: 'pass', opinion: 'ok' }).expect(200)));
    const approvals = await Promise.all(ids.map((id) => w.maker.post(`/api/v1/claims/${id}/approve`).send({ opinion: 'ok' })));
    expect(approvals.map((r) => `${r.status} ${r.body.state}`)).toEqual(Array(6).fill('200 approved'));
  });
});
