import Decimal from 'decimal.js';
import { z } from 'zod';
import { canonicalIdentifier } from '../../common/identifiers';
import { ZERO, formatMoney, money } from '../../common/money';
import { col, selectRows } from '../../database/rows';
import { BankOutflow } from '../../ledger/ledger-reading.service';
import { Detector, Finding } from '../domain/detector';

const PURPOSE_NAMES: Record<string, string> = {
  manual: '手工記帳',
  receipt: '資金到帳',
  budget: '預算',
  payment: '付款',
  retention: '質量保證金',
  reversal: '沖銷',
};

const Recorded = z.object({ transactionId: col.text });

/**
 * M06: money out of a dedicated account that no workflow accounts for. Every outflow is a contract payment (its
 * `contract_payments` row), a retention release (a posted `release` movement) or the refund of a receipt (the
 * reversal of one). The database holds the purposes `payment` and `retention` to those rows at commit, so a finding
 * here means a guard was bypassed or a reversal of something other than a receipt emptied the account (a deposit
 * made by hand and reversed): the money left without a contract to show for it. The records, not the purpose
 * label, decide.
 */
export const UNRECORDED_OUTFLOW: Detector = {
  id: 'M06',
  nameZh: '資金轉移：專戶資金無合同付款記錄流出',
  nameEn: 'Diversion: money left a dedicated account without a recorded payment',
  guards: 'diversion',
  source: '扶貧資金專戶管理: 專款專用、封閉運行; 資金只憑合同付款、質保金返還流出',
  severities: ['red'],
  policies: [],
  async detect(ctx) {
    const outflows = await ctx.ledger.outflows(ctx.em, ctx.countyId);
    const candidates = outflows.filter((o) => !(o.purpose === 'reversal' && o.reversesPurpose === 'receipt'));
    if (candidates.length === 0) return [];
    const ids = [...new Set(candidates.map((o) => o.transactionId))];
    const recorded = await selectRows(
      ctx.em,
      Recorded,
      `SELECT transaction_id::text FROM contract_payments WHERE county_id = $1 AND transaction_id = ANY($2::uuid[])
       UNION
       SELECT transaction_id::text FROM retention_movements
        WHERE county_id = $1 AND kind = 'release' AND state = 'posted' AND transaction_id = ANY($2::uuid[])`,
      [ctx.countyId, ids],
    );
    const explained = new Set(recorded.map((r) => r.transactionId));
    const byTransaction = new Map<string, BankOutflow[]>();
    for (const o of candidates) {
      if (explained.has(o.transactionId)) continue;
      byTransaction.set(o.transactionId, [...(byTransaction.get(o.transactionId) ?? []), o]);
    }
    const findings: Finding[] = [];
    for (const [transactionId, banks] of byTransaction) {
      const [first] = banks;
      const total = banks.reduce<Decimal>((s, b) => s.plus(b.amount), ZERO);
      const what = first.reversesPurpose ? `${PURPOSE_NAMES[first.purpose]}${PURPOSE_NAMES[first.reversesPurpose]}` : PURPOSE_NAMES[first.purpose];
      findings.push({
        subjectType: 'transaction',
        subjectId: transactionId,
        severity: 'red',
        unitId: null,
        summary:
          `${first.effectiveDate} 專戶 ${banks.map((b) => b.account).join('、')} 流出 ${formatMoney(total)} 元（${what}），` +
          `無合同付款、質保金返還或到帳退回記錄`,
        evidence: {
          transactionId,
          purpose: first.purpose,
          effectiveDate: first.effectiveDate,
          memo: first.memo,
          amount: formatMoney(total),
          accounts: banks.map((b) => ({ dedicatedAccountId: b.dedicatedAccountId, account: b.account, amount: formatMoney(b.amount) })),
          reversesId: first.reversesId,
          reversesPurpose: first.reversesPurpose,
        },
      });
    }
    return findings;
  },
};

const Official = z.object({
  id: col.id,
  name: col.text,
  idNumber: col.text.nullable(),
  bankAccount: col.text.nullable(),
  officialName: col.text,
  office: col.text,
});
type Official = z.infer<typeof Official>;

const PayeeContract = z.object({
  id: col.id,
  title: col.text,
  state: col.text,
  projectId: col.id,
  projectName: col.text,
  villageId: col.id,
  payeeName: col.text,
  payeeAccount: col.text,
  payeeIdNumber: col.text.nullable(),
  amount: col.money,
  paid: col.money,
});

/**
 * M07: a contract whose payee is a staff member's own account (the register's `self` entries still in force): the
 * payee account or the payee's ID number matches. Names are not matched: two people share a name, and a name alone
 * proves nothing. Every contract counts, drafts too: the account is fixed in the terms, and every payment goes to it.
 */
export const STAFF_PAYEE: Detector = {
  id: 'M07',
  nameZh: '資金轉移：合同收款賬戶為工作人員本人賬戶',
  nameEn: "Diversion: a contract pays into a staff member's own account",
  guards: 'diversion',
  source: '審計署扶貧資金審計結果公告: 工作人員以他人名義或本人賬戶套取、轉移扶貧資金',
  severities: ['red'],
  policies: [],
  after: ['contract.signed', 'contract.paid', 'claim.paid'],
  async detect(ctx) {
    const officials = await selectRows(
      ctx.em,
      Official,
      `SELECT id, name, id_number, bank_account, official_name, office FROM related_parties
        WHERE county_id = $1 AND relation = 'self' AND removed_at IS NULL ORDER BY id`,
      [ctx.countyId],
    );
    if (officials.length === 0) return [];
    // The register is matched in the canonical form contracts keep their payees in, whatever form it was typed in.
    const byAccount = groupBy(officials, (o) => o.bankAccount);
    const byIdNumber = groupBy(officials, (o) => o.idNumber);
    const contracts = await selectRows(
      ctx.em,
      PayeeContract,
      `SELECT c.id, c.title, c.state, c.project_id, p.name AS project_name, p.village_id, c.payee_name, c.payee_account, c.payee_id_number,
              c.amount, (SELECT coalesce(sum(m.amount), 0) FROM contract_payments m WHERE m.contract_id = c.id) AS paid
         FROM contracts c JOIN projects p ON p.id = c.project_id
        WHERE c.county_id = $1 AND (c.payee_account = ANY($2::text[]) OR c.payee_id_number = ANY($3::text[]))
        ORDER BY c.id`,
      [ctx.countyId, [...byAccount.keys()], [...byIdNumber.keys()]],
    );
    return contracts.map((c): Finding => {
      const matches = new Map<number, { official: Official; on: string[] }>();
      const match = (found: Official[] | undefined, on: string) => {
        for (const official of found ?? []) {
          const m = matches.get(official.id) ?? { official, on: [] };
          m.on.push(on);
          matches.set(official.id, m);
        }
      };
      match(byAccount.get(c.payeeAccount), 'bankAccount');
      if (c.payeeIdNumber) match(byIdNumber.get(canonicalIdentifier(c.payeeIdNumber)), 'idNumber');
      const staff = [...matches.values()];
      const who = staff.map(({ official }) => `${official.name}（${official.office}）`).join('、');
      const on = [...new Set(staff.flatMap((m) => m.on))].map((k) => (k === 'bankAccount' ? '銀行賬戶' : '身份證號')).join('、');
      return {
        subjectType: 'contract',
        subjectId: String(c.id),
        severity: 'red',
        // The register names staff members: the alert is the county's, not the village's whose staff it may name.
        unitId: null,
        key: staff
          .map(({ official }) => official.id)
          .sort((a, b) => a - b)
          .join(','),
        summary:
          `合同「${c.title}」（${formatMoney(money(c.amount))} 元，已付 ${formatMoney(money(c.paid))} 元）` +
          `收款人 ${c.payeeName} 的${on}與工作人員 ${who} 本人的相同`,
        evidence: {
          contractId: c.id,
          state: c.state,
          projectId: c.projectId,
          projectName: c.projectName,
          payeeName: c.payeeName,
          payeeAccount: c.payeeAccount,
          payeeIdNumber: c.payeeIdNumber,
          amount: formatMoney(money(c.amount)),
          paid: formatMoney(money(c.paid)),
          register: staff.map(({ official, on }) => ({
            relatedPartyId: official.id,
            name: official.name,
            office: official.office,
            officialName: official.officialName,
            matchedOn: on,
          })),
        },
      };
    });
  },
};

/** Register entries by the canonical form of one identifier; entries without it are left out. */
function groupBy(officials: readonly Official[], key: (o: Official) => string | null): Map<string, Official[]> {
  const map = new Map<string, Official[]>();
  for (const o of officials) {
    const raw = key(o);
    if (raw === null || raw === '') continue;
    const k = canonicalIdentifier(raw);
    map.set(k, [...(map.get(k) ?? []), o]);
  }
  return map;
}

export const DIVERSION_DETECTORS: readonly Detector[] = [UNRECORDED_OUTFLOW, STAFF_PAYEE];
