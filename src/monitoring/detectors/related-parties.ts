import { z } from 'zod';
import { formatMoney, money } from '../../common/money';
import { col, selectRows } from '../../database/rows';
import { Detector, Finding } from '../domain/detector';
import { clipped, listed } from './shared';

const RELATIONS: Readonly<Record<string, string>> = { spouse: '配偶', parent: '父母', child: '子女', sibling: '兄弟姐妹', other: '關係人' };
const MATCHED_ON: Readonly<Record<string, string>> = { bank_account: '銀行賬號', id_number: '身份證號' };

const RegisteredPayee = z.object({
  contractId: col.id,
  title: col.text,
  state: col.text,
  amount: col.money,
  payeeName: col.text,
  projectId: col.id,
  projectName: col.text,
  villageId: col.id,
  entryId: col.id,
  entryName: col.text,
  relation: col.text,
  officialName: col.text,
  office: col.text,
  matchedOn: z.enum(['bank_account', 'id_number']),
});
type RegisteredPayee = z.infer<typeof RegisteredPayee>;

/**
 * M15 優親厚友: a contract (draft, signed or settled: a draft is caught before it is signed) whose payee is on the
 * county's register of officials' relatives, by bank account or ID number: a name alone is never a match (namesakes
 * are common, and a name proves nothing). Entries removed from the register do not count; `self` entries (a staff
 * member's own account) are diversion, another detector's. Misuse rather than false claims: the work and the
 * documents may be real, the award is what is wrong. Subject: the contract; the project's village answers.
 */
export const RELATED_PARTY_PAYEE: Detector = {
  id: 'M15',
  nameZh: '優親厚友：合同收款人為幹部親屬',
  nameEn: "Contract payee on the register of officials' relatives",
  guards: 'misuse',
  source: '扶貧領域腐敗和作風問題專項治理: 優親厚友; 幹部及其親屬利益關聯登記（按身份證號、銀行賬號比對）',
  severities: ['red'],
  policies: [],
  after: ['contract.signed'],
  async detect(ctx) {
    // Two equality joins rather than one with OR, so each can be hashed or use an index.
    const rows = await selectRows(
      ctx.em,
      RegisteredPayee,
      `WITH register AS (
              SELECT id, name, relation, official_name, office, bank_account, id_number
                FROM related_parties WHERE county_id = $1 AND removed_at IS NULL AND relation <> 'self'),
            matched AS (
              SELECT c.id AS contract_id, r.id AS entry_id, 'bank_account' AS matched_on
                FROM register r JOIN contracts c ON c.county_id = $1 AND c.payee_account = r.bank_account
              UNION ALL
              SELECT c.id, r.id, 'id_number'
                FROM register r JOIN contracts c ON c.county_id = $1 AND c.payee_id_number = r.id_number)
       SELECT c.id AS contract_id, c.title, c.state, c.amount, c.payee_name, p.id AS project_id, p.name AS project_name, p.village_id,
              r.id AS entry_id, r.name AS entry_name, r.relation, r.official_name, r.office, m.matched_on
         FROM matched m
         JOIN contracts c ON c.id = m.contract_id
         JOIN projects p ON p.id = c.project_id
         JOIN register r ON r.id = m.entry_id
        ORDER BY c.id, r.id, m.matched_on`,
      [ctx.countyId],
    );
    const byContract = new Map<number, RegisteredPayee[]>();
    for (const r of rows) {
      const same = byContract.get(r.contractId);
      if (same) same.push(r);
      else byContract.set(r.contractId, [r]);
    }
    return [...byContract.values()].map((matches): Finding => {
      const c = matches[0];
      const entries = [...new Map(matches.map((m) => [m.entryId, m])).values()].map((m) => ({
        entryId: m.entryId,
        name: m.entryName,
        relation: m.relation,
        officialName: m.officialName,
        office: m.office,
        matchedOn: matches.filter((x) => x.entryId === m.entryId).map((x) => x.matchedOn),
      }));
      const who = listed(
        entries.map(
          (e) => `${e.office}${e.officialName}的${RELATIONS[e.relation] ?? e.relation}「${e.name}」${e.matchedOn.map((k) => MATCHED_ON[k]).join('、')}相符`,
        ),
        2,
      );
      const amount = formatMoney(money(c.amount));
      return {
        subjectType: 'contract',
        subjectId: String(c.contractId),
        severity: 'red',
        // The register names officials and their relatives: the alert is the county's, not the village's whose
        // official it may name.
        unitId: null,
        key: entries.map((e) => e.entryId).join(','),
        summary: clipped(`項目「${c.projectName}」合同「${c.title}」（${amount} 元）的收款人「${c.payeeName}」與登記的${who}（優親厚友）`),
        evidence: {
          contractId: c.contractId,
          contractState: c.state,
          amount,
          payeeName: c.payeeName,
          projectId: c.projectId,
          entries,
        },
      };
    });
  },
};

export const RELATED_PARTY_DETECTORS: readonly Detector[] = [RELATED_PARTY_PAYEE];
