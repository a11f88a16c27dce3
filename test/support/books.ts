import { TestApp } from './app';
import { ClaimWorld, attachAll, claimWorld, packet } from './claims';
import { openAccount, post, posting } from './factories';

/**
 * A county whose books have something in both of them: the claim world's allocation of 5,000,000.00 (received
 * 2026-03-01), a contract of 100,000.00 with a claim of 40,000.00 taken through every step to paid (15% retained),
 * and a manual voucher of 12.34 dated 2026-11-02 on two accounts people opened, with `memo`.
 */
export async function countyWithBooks(t: TestApp, memo: string): Promise<{ w: ClaimWorld; contract: { id: number; projectId: number } }> {
  const w = await claimWorld(t);
  const contract = await w.contract('100000.00');
  const claim = (await w.village.post('/api/v1/claims').send(packet(contract.id, '40000.00')).expect(201)).body;
  await attachAll(w.village, claim.id);
  await w.village.post(`/api/v1/claims/${claim.id}/submit`).expect(200);
  await w.township.post(`/api/v1/claims/${claim.id}/township-review`).send({ signedOn: '2026-06-28', opinion: '單據齊全' }).expect(200);
  await w.line.post(`/api/v1/claims/${claim.id}/line-review`).send({ result: 'pass', opinion: '工程量相符' }).expect(200);
  const approved = (await w.maker.post(`/api/v1/claims/${claim.id}/approve`).send({ opinion: '同意' }).expect(200)).body;
  if (approved.state !== 'approved') await w.leader.post(`/api/v1/claims/${claim.id}/approve`).send({ opinion: '同意撥付' }).expect(200);
  await w.payer.post(`/api/v1/claims/${claim.id}/pay`).send({ payeeAccount: '8201000000999' }).expect(200);
  await openAccount(t, 'cash:petty', 'asset');
  await openAccount(t, 'income:other', 'revenue');
  await post(
    t,
    posting(
      [
        { account: 'cash:petty', debit: '12.34' },
        { account: 'income:other', credit: '12.34' },
      ],
      '2026-11-02',
      memo,
    ),
  );
  return { w, contract };
}
