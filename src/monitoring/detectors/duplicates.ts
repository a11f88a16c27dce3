import { createHash } from 'node:crypto';
import { z } from 'zod';
import { formatMoney, money } from '../../common/money';
import { col, selectRows } from '../../database/rows';
import { Detector, Finding } from '../domain/detector';
import { CLAIMS_IN_PLAY, clipped, listed } from './shared';

/*
 * Duplicate claims (虛報冒領): the same invoice, or the same payment asked for twice. Both read across every county:
 * a county's own rule (UQ_claim_invoices_invoice) refuses an invoice claimed twice within the county for as long as
 * the first claim keeps it (every state but withdrawn), but nothing stops the same invoice in a neighbouring county.
 *
 * Not here yet: one person or bank card paid twice for one item and period (household payouts, 到戶補貼). The service
 * records no payouts to households, so there is nothing to compare; that detector comes with them.
 */

const SOURCE = '審計署扶貧資金審計結果公告: 虛報冒領、重複報帳套取扶貧資金';

/** Subject ids are at most 64 characters; invoices keyed on an issuer's name (before taxpayer ids) can be longer. */
const SUBJECT_MAX = 64;

function invoiceSubject(issuerKey: string, numberKey: string): string {
  const id = `${issuerKey}:${numberKey}`;
  if (id.length <= SUBJECT_MAX) return id;
  const digest = createHash('sha256').update(id).digest('hex');
  return `sha256:${digest.slice(0, SUBJECT_MAX - 'sha256:'.length)}`;
}

const SharedInvoice = z.object({
  issuerKey: col.text,
  numberKey: col.text,
  issuer: col.text,
  number: col.text,
  code: col.text.nullable(),
  claimId: col.id,
  countyCode: col.text,
  state: col.text,
  amount: col.money,
  villageId: col.id,
  otherClaimId: col.id,
  otherCountyCode: col.text,
  otherState: col.text,
  otherAmount: col.money,
});
type SharedInvoice = z.infer<typeof SharedInvoice>;

/**
 * M13: an invoice (issuer and code-and-number, as claim_invoices keys them) on a claim of this county and on another
 * claim anywhere, both asking for money (CLAIMS_IN_PLAY). Each county's run finds its own side. Subject: the invoice,
 * `issuer_key:number_key`; the village of this county's claim answers.
 */
export const DUPLICATE_INVOICE: Detector = {
  id: 'M13',
  nameZh: '同一發票重複報帳',
  nameEn: 'One invoice on two claims',
  guards: 'false_claims',
  source: SOURCE,
  severities: ['red'],
  policies: [],
  async detect(ctx) {
    const rows = await selectRows(
      ctx.em,
      SharedInvoice,
      `SELECT i.issuer_key, i.number_key, i.issuer, i.number, i.code, i.claim_id, ic.code AS county_code, k.state, i.amount, p.village_id,
              o.claim_id AS other_claim_id, oc.code AS other_county_code, ok.state AS other_state, o.amount AS other_amount
         FROM claim_invoices i
         JOIN claims k ON k.id = i.claim_id
         JOIN projects p ON p.id = k.project_id
         JOIN counties ic ON ic.id = i.county_id
         JOIN claim_invoices o ON o.issuer_key = i.issuer_key AND o.number_key = i.number_key AND o.claim_id <> i.claim_id
         JOIN claims ok ON ok.id = o.claim_id
         JOIN counties oc ON oc.id = o.county_id
        WHERE i.county_id = $1 AND k.state = ANY($2::text[]) AND ok.state = ANY($2::text[])
        ORDER BY i.issuer_key, i.number_key, i.claim_id, o.claim_id`,
      [ctx.countyId, CLAIMS_IN_PLAY],
    );
    const byInvoice = new Map<string, SharedInvoice[]>();
    for (const r of rows) {
      const key = invoiceSubject(r.issuerKey, r.numberKey);
      const same = byInvoice.get(key);
      if (same) same.push(r);
      else byInvoice.set(key, [r]);
    }
    return [...byInvoice.entries()].map(([subjectId, same]): Finding => {
      const r = same[0];
      const ours = [
        ...new Map(
          same.map((s) => [s.claimId, { countyCode: s.countyCode, claimId: s.claimId, state: s.state, amount: formatMoney(money(s.amount)) }]),
        ).values(),
      ];
      const others = [
        ...new Map(
          same.map((s) => [
            s.otherClaimId,
            { countyCode: s.otherCountyCode, claimId: s.otherClaimId, state: s.otherState, amount: formatMoney(money(s.otherAmount)) },
          ]),
        ).values(),
      ];
      const elsewhere = listed(others.map((o) => `${o.countyCode} 報帳 ${o.claimId}`));
      return {
        subjectType: 'invoice',
        subjectId,
        severity: 'red',
        unitId: r.villageId,
        key: [...ours.map((o) => `${o.claimId}`), ...others.map((o) => `${o.countyCode}:${o.claimId}`)].sort().join(','),
        summary: clipped(
          `發票 ${r.numberKey}（開票方「${r.issuer}」，${ours[0].amount} 元）用於本縣報帳 ${listed(ours.map((o) => String(o.claimId)))}，又用於 ${elsewhere}（同一發票重複報帳）`,
        ),
        evidence: {
          issuerKey: r.issuerKey,
          numberKey: r.numberKey,
          issuer: r.issuer,
          code: r.code,
          number: r.number,
          claims: ours,
          others,
        },
      };
    });
  },
};

const SamePayment = z.object({
  claimId: col.id,
  contractId: col.id,
  villageId: col.id,
  payeeName: col.text,
  payeeAccount: col.text,
  amount: col.money,
  applicationDate: col.date,
  state: col.text,
  otherClaimId: col.id,
  otherContractId: col.id,
  otherCountyCode: col.text,
  otherState: col.text,
});
type SamePayment = z.infer<typeof SamePayment>;

/**
 * M14: a claim of this county asking for the same amount, into the same payee account, on the same application date
 * as an earlier claim anywhere (both in CLAIMS_IN_PLAY). Subject: the later claim (the higher id: the earlier may be
 * the genuine one); its village answers.
 */
export const DUPLICATE_PAYMENT: Detector = {
  id: 'M14',
  nameZh: '同一收款賬號同日同額重複報帳',
  nameEn: 'One payee account, amount and application date on two claims',
  guards: 'false_claims',
  source: SOURCE,
  severities: ['yellow'],
  policies: [],
  async detect(ctx) {
    const rows = await selectRows(
      ctx.em,
      SamePayment,
      `SELECT k.id AS claim_id, k.contract_id, p.village_id, c.payee_name, c.payee_account, k.amount, k.application_date::text AS application_date, k.state,
              o.id AS other_claim_id, o.contract_id AS other_contract_id, oct.code AS other_county_code, o.state AS other_state
         FROM claims k
         JOIN contracts c ON c.id = k.contract_id
         JOIN projects p ON p.id = k.project_id
         JOIN claims o ON o.amount = k.amount AND o.application_date = k.application_date AND o.id < k.id
         JOIN contracts oc ON oc.id = o.contract_id AND oc.payee_account = c.payee_account
         JOIN counties oct ON oct.id = o.county_id
        WHERE k.county_id = $1 AND k.state = ANY($2::text[]) AND o.state = ANY($2::text[])
        ORDER BY k.id, o.id`,
      [ctx.countyId, CLAIMS_IN_PLAY],
    );
    const byClaim = new Map<number, SamePayment[]>();
    for (const r of rows) {
      const same = byClaim.get(r.claimId);
      if (same) same.push(r);
      else byClaim.set(r.claimId, [r]);
    }
    return [...byClaim.values()].map((same): Finding => {
      const k = same[0];
      const amount = formatMoney(money(k.amount));
      const earlier = same.map((o) => ({ countyCode: o.otherCountyCode, claimId: o.otherClaimId, contractId: o.otherContractId, state: o.otherState }));
      return {
        subjectType: 'claim',
        subjectId: String(k.claimId),
        severity: 'yellow',
        unitId: k.villageId,
        key: earlier
          .map((o) => `${o.countyCode}:${o.claimId}`)
          .sort()
          .join(','),
        summary: clipped(
          `報帳 ${k.claimId}（收款人「${k.payeeName}」賬號 ${k.payeeAccount}，${amount} 元，申請日 ${k.applicationDate}）` +
            `與先前的 ${listed(earlier.map((o) => `${o.countyCode} 報帳 ${o.claimId}`))} 收款賬號、金額、申請日期相同（疑似重複報帳）`,
        ),
        evidence: {
          claimId: k.claimId,
          contractId: k.contractId,
          state: k.state,
          payeeAccount: k.payeeAccount,
          amount,
          applicationDate: k.applicationDate,
          earlier,
        },
      };
    });
  },
};

export const DUPLICATE_DETECTORS: readonly Detector[] = [DUPLICATE_INVOICE, DUPLICATE_PAYMENT];
