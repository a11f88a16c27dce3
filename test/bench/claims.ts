import { INestApplication } from '@nestjs/common';
import { performance } from 'node:perf_hooks';
import { UsersService } from '../../src/access/users.service';
import { Actor } from '../../src/common/context';
import { ClaimAttachmentsService } from '../../src/claims/claim-attachments.service';
import { ClaimsService } from '../../src/claims/claims.service';
import { PACKET_DOCUMENTS } from '../../src/claims/domain/claims';
import { Figures, drive, figures } from './harness';
import { BENCH_PAYEE_TAX_ID, benchWorld } from './payments';

const PDF = Buffer.from('%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n');

/**
 * `claim.pay`: CLAIMS claims of 100-999 yuan spread over 200 contracts, each drafted with its two invoices and five
 * scanned documents beforehand (not timed), then driven, WORKERS at a time, through submit → township review (budget
 * hold) → line review → approval → payment from the hold. A latency is one claim's time from submit to paid.
 */
export async function claimsCase(app: INestApplication, total: number, workers: number): Promise<Figures> {
  const w = await benchWorld(app, 'claim');
  const users = app.get(UsersService);
  const payerUser = await users.create(w.maker, {
    username: 'claim-payer',
    displayName: 'payer',
    password: 'bench-password-0123',
    orgUnitId: w.maker.orgUnit!.id,
    roles: ['county_finance'],
  });
  const payer: Actor = { ...w.maker, actor: 'claim-payer', userId: payerUser.id };
  const claims = app.get(ClaimsService);
  const scans = app.get(ClaimAttachmentsService);
  const ids: number[] = [];
  for (let i = 0; i < total; i++) {
    const cents = 10_000 + (i % 90_000);
    const half = Math.floor(cents / 2);
    const yuan = (c: number) => `${Math.floor(c / 100)}.${String(c % 100).padStart(2, '0')}`;
    const claim = await claims.draft(w.village, {
      contractId: w.contracts[i % w.contracts.length],
      amount: yuan(cents),
      final: false,
      applicationDate: '2026-06-25',
      expenses: [
        { description: 'materials', amount: yuan(half) },
        { description: 'labour', amount: yuan(cents - half) },
      ],
      invoices: [
        { issuer: 'payee', issuerTaxId: BENCH_PAYEE_TAX_ID, number: `264200000${String(2 * i).padStart(11, '0')}`, date: '2026-06-20', amount: yuan(half) },
        {
          issuer: 'payee',
          issuerTaxId: BENCH_PAYEE_TAX_ID,
          number: `264200000${String(2 * i + 1).padStart(11, '0')}`,
          date: '2026-06-20',
          amount: yuan(cents - half),
        },
      ],
    });
    for (const kind of PACKET_DOCUMENTS)
      await scans.attach(w.village, claim.id, kind, { originalname: `${kind}.pdf`, mimetype: 'application/pdf', buffer: PDF });
    ids.push(claim.id);
  }
  const steps: Record<string, (id: number) => Promise<unknown>> = {
    submit: (id) => claims.submit(w.village, id),
    'township-review': (id) => claims.townshipReview(w.township, id, { signedOn: '2026-06-28', opinion: 'ok' }),
    'line-review': (id) => claims.lineReview(w.line, id, { result: 'pass', opinion: 'ok' }),
    approve: (id) => claims.approve(w.checker, id, { opinion: 'ok' }),
    pay: (id) => claims.pay(payer, id, { payeeAccount: '00000002' }),
  };
  const spent: Record<string, number[]> = Object.fromEntries(Object.keys(steps).map((k) => [k, []]));
  const run = await drive(total, workers, async (i) => {
    for (const [name, step] of Object.entries(steps)) {
      const t0 = performance.now();
      await step(ids[i]);
      spent[name].push(performance.now() - t0);
    }
  });
  const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)].toFixed(1);
  console.log(
    `  per step, p50 ms: ${Object.entries(spent)
      .map(([name, xs]) => `${name} ${median(xs)}`)
      .join(', ')}`,
  );
  return figures('claim submit→paid via service layer', total, run.seconds, run.latencies);
}
