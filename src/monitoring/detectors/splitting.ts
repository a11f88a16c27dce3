import Decimal from 'decimal.js';
import { z } from 'zod';
import { ZERO, formatMoney, money } from '../../common/money';
import { col, selectRows } from '../../database/rows';
import { Detector, Finding } from '../domain/detector';
import { CLAIMS_IN_PLAY, clipped, listed } from './shared';
import { daysBetween } from './periods';

/*
 * Splitting (化整為零) guards against misuse (挪用): the money goes to real work on real documents, but around a
 * control the law or the county puts on spending (a tender, a leader's signature). Nothing is claimed falsely, so it
 * is not 虛報冒領.
 *
 * "Below a threshold" means what the service enforces: a tender is asked for a contract above the tender threshold
 * (contracts.service) and a leader signs a claim above the sign-off threshold (needsLeader), so an amount equal to a
 * threshold escaped the control too and counts as below it.
 */

const ContractRow = z.object({
  id: col.id,
  projectId: col.id,
  projectName: col.text,
  villageId: col.id,
  townshipId: col.id.nullable(),
  townshipName: col.text.nullable(),
  title: col.text,
  payeeName: col.text,
  payeeAccount: col.text,
  payeeTaxId: col.text.nullable(),
  payeeIdNumber: col.text.nullable(),
  amount: col.money,
  signedOn: col.date,
});
type ContractRow = z.infer<typeof ContractRow>;

/** The identifiers a contract names its payee by, each prefixed with its kind. */
function identifiersOf(c: ContractRow): string[] {
  const ids = [`account:${c.payeeAccount}`];
  if (c.payeeTaxId) ids.push(`tax:${c.payeeTaxId}`);
  if (c.payeeIdNumber) ids.push(`id:${c.payeeIdNumber}`);
  return ids;
}

/**
 * Contracts grouped by payee: two contracts are one payee's when they share an account, a taxpayer id or an ID number,
 * and so on transitively (a company paid into two accounts is one payee). Order within a group is kept.
 */
function byPayee(rows: readonly ContractRow[]): ContractRow[][] {
  const parent = rows.map((_, i) => i);
  const root = (i: number): number => {
    while (parent[i] !== i) i = parent[i] = parent[parent[i]];
    return i;
  };
  const first = new Map<string, number>();
  rows.forEach((c, i) => {
    for (const id of identifiersOf(c)) {
      const j = first.get(id);
      if (j === undefined) first.set(id, i);
      else parent[root(i)] = root(j);
    }
  });
  const groups = new Map<number, ContractRow[]>();
  rows.forEach((c, i) => {
    const r = root(i);
    const group = groups.get(r);
    if (group) group.push(c);
    else groups.set(r, [c]);
  });
  return [...groups.values()];
}

/**
 * The payee's part of a subject id: its taxpayer id or ID number (who the payee is in law), an account only when it has
 * neither; the smallest of a kind, so it does not depend on the order rows come in.
 */
function payeeKey(contracts: readonly ContractRow[]): string {
  const ids = [...new Set(contracts.flatMap(identifiersOf))].sort();
  return ids.find((id) => id.startsWith('tax:')) ?? ids.find((id) => id.startsWith('id:')) ?? ids[0];
}

interface SplitSet {
  contracts: ContractRow[];
  total: Decimal;
  from: string;
  to: string;
}

/**
 * The heaviest run of two or more contracts (sorted by signing day) signed within `windowDays` of each other whose
 * sum passes the threshold and that `qualifies`; null when there is none. Each run is the longest ending at a
 * contract, so it is also the heaviest ending there and spans the most projects.
 */
function heaviestSet(sorted: readonly ContractRow[], windowDays: number, threshold: Decimal, qualifies: (run: ContractRow[]) => boolean): SplitSet | null {
  let best: SplitSet | null = null;
  let start = 0;
  let total: Decimal = ZERO;
  for (let end = 0; end < sorted.length; end++) {
    total = total.plus(sorted[end].amount);
    while (daysBetween(sorted[start].signedOn, sorted[end].signedOn) > windowDays) total = total.minus(sorted[start++].amount);
    if (end === start || total.lte(threshold) || (best && total.lte(best.total))) continue;
    const run = sorted.slice(start, end + 1);
    if (qualifies(run)) best = { contracts: run, total, from: run[0].signedOn, to: run[run.length - 1].signedOn };
  }
  return best;
}

function groupBy<K>(rows: readonly ContractRow[], key: (c: ContractRow) => K | null): Map<K, ContractRow[]> {
  const groups = new Map<K, ContractRow[]>();
  for (const c of rows) {
    const k = key(c);
    if (k === null) continue;
    const group = groups.get(k);
    if (group) group.push(c);
    else groups.set(k, [c]);
  }
  return groups;
}

function splitFinding(scope: 'project' | 'township', payee: string, set: SplitSet, threshold: Decimal, windowDays: number): Finding {
  const first = set.contracts[0];
  const last = set.contracts[set.contracts.length - 1];
  const projects = [...new Set(set.contracts.map((c) => c.projectId))];
  const days = daysBetween(set.from, set.to);
  const where = scope === 'project' ? `在項目「${first.projectName}」` : `在${first.townshipName ?? '同一鄉鎮'}的 ${projects.length} 個項目`;
  const when = days === 0 ? `於 ${set.from} 同日` : `於 ${set.from} 至 ${set.to}（${days} 天內）`;
  const payees = (pick: (c: ContractRow) => string | null) => [...new Set(set.contracts.map(pick).filter((v): v is string => v !== null))].sort();
  return {
    subjectType: 'payee',
    subjectId: scope === 'project' ? `P${first.projectId}:${payee}` : `T${first.townshipId}:${payee}`,
    severity: scope === 'project' ? 'red' : 'yellow',
    unitId: scope === 'project' ? first.villageId : first.townshipId,
    key: set.contracts
      .map((c) => c.id)
      .sort((a, b) => a - b)
      .join(','),
    summary: clipped(
      `收款人「${last.payeeName}」${where}${when}簽訂 ${set.contracts.length} 份合同（${listed(set.contracts.map((c) => `${formatMoney(money(c.amount))} 元`))}），` +
        `每份均未超過招標限額 ${formatMoney(threshold)} 元，合計 ${formatMoney(set.total)} 元（疑似化整為零規避招標）`,
    ),
    evidence: {
      scope,
      ...(scope === 'project' ? { projectId: first.projectId } : { townshipId: first.townshipId, projectIds: projects }),
      payee: { name: last.payeeName, accounts: payees((c) => c.payeeAccount), taxIds: payees((c) => c.payeeTaxId), idNumbers: payees((c) => c.payeeIdNumber) },
      threshold: formatMoney(threshold),
      windowDays,
      from: set.from,
      to: set.to,
      total: formatMoney(set.total),
      contracts: set.contracts.map((c) => ({
        contractId: c.id,
        projectId: c.projectId,
        title: c.title,
        signedOn: c.signedOn,
        amount: formatMoney(money(c.amount)),
      })),
    },
  };
}

/**
 * M11: one payee's contracts, each not above the tender threshold, signed within the window of each other and together
 * above it: on one project (red, the village answers) or across the projects of one township (yellow, the township
 * answers). Subject: the payee in its scope, `P<projectId>:<payee>` or `T<townshipId>:<payee>`, where the payee is
 * `tax:<taxpayer id>`, `id:<ID number>` or `account:<digits>`. A set within one project lies within its township too:
 * the township's finding needs contracts of two projects or more, and may stand beside the project's.
 */
export const SPLIT_CONTRACTS: Detector = {
  id: 'M11',
  nameZh: '拆分合同規避招標',
  nameEn: 'Contracts split to stay under the tender threshold',
  guards: 'misuse',
  source:
    '招標投標法第四條：不得將依法必須進行招標的項目化整為零或者以其他任何方式規避招標；政府採購法第二十八條：不得將應當以公開招標方式採購的貨物或者服務化整為零規避公開招標',
  severities: ['yellow', 'red'],
  policies: ['tender_required_threshold', 'split_window_days'],
  after: ['contract.signed'],
  async detect(ctx) {
    const threshold = money(ctx.policy.tender_required_threshold);
    const windowDays = Number(ctx.policy.split_window_days);
    // A contract that went to tender anyway avoided nothing. Only contracts that share an identifier with another can
    // be part of a set: the window counts leave the rest in
    // the database (count of a column skips its NULLs, so payees without a taxpayer id are not one group).
    const rows = await selectRows(
      ctx.em,
      ContractRow,
      `SELECT id, project_id, project_name, village_id, township_id, township_name, title, payee_name, payee_account, payee_tax_id, payee_id_number,
              amount, signed_on
         FROM (SELECT c.id, c.project_id, p.name AS project_name, p.village_id, t.id AS township_id, t.name AS township_name, c.title,
                      c.payee_name, c.payee_account, c.payee_tax_id, c.payee_id_number, c.amount, c.signed_on::text AS signed_on,
                      count(*) OVER (PARTITION BY c.payee_account) AS by_account,
                      count(c.payee_tax_id) OVER (PARTITION BY c.payee_tax_id) AS by_tax_id,
                      count(c.payee_id_number) OVER (PARTITION BY c.payee_id_number) AS by_id_number
                 FROM contracts c
                 JOIN projects p ON p.id = c.project_id
                 JOIN org_units v ON v.id = p.village_id
                 LEFT JOIN org_units t ON t.id = v.parent_id AND t.level = 'township'
                WHERE c.county_id = $1 AND c.state IN ('signed', 'settled') AND c.signed_on IS NOT NULL AND c.amount <= $2::numeric
                  AND c.tender IS NULL) s
        WHERE by_account > 1 OR by_tax_id > 1 OR by_id_number > 1
        ORDER BY signed_on, id`,
      [ctx.countyId, formatMoney(threshold)],
    );
    const findings: Finding[] = [];
    for (const contracts of byPayee(rows)) {
      if (contracts.length < 2) continue;
      const payee = payeeKey(contracts);
      for (const inProject of groupBy(contracts, (c) => c.projectId).values()) {
        const set = heaviestSet(inProject, windowDays, threshold, () => true);
        if (set) findings.push(splitFinding('project', payee, set, threshold, windowDays));
      }
      for (const inTownship of groupBy(contracts, (c) => c.townshipId).values()) {
        const set = heaviestSet(inTownship, windowDays, threshold, (run) => new Set(run.map((c) => c.projectId)).size > 1);
        if (set) findings.push(splitFinding('township', payee, set, threshold, windowDays));
      }
    }
    return findings;
  },
};

const NearThresholdClaim = z.object({
  id: col.id,
  contractId: col.id,
  contractTitle: col.text,
  projectId: col.id,
  projectName: col.text,
  villageId: col.id,
  amount: col.money,
  state: col.text,
  applicationDate: col.date,
});
type NearThresholdClaim = z.infer<typeof NearThresholdClaim>;

/**
 * M12: two or more claims on one contract, each just under the leader sign-off threshold: not above it and no more
 * than the margin below it. Subject: the contract; the village answers.
 */
export const SPLIT_CLAIMS: Detector = {
  id: 'M12',
  nameZh: '拆分報帳規避領導簽批',
  nameEn: 'Claims split to stay under the leader sign-off threshold',
  guards: 'misuse',
  source: '資金報帳制（設計 §6）：超過限額的報帳須縣領導簽批；同一合同多筆報帳均略低於限額，疑似拆分規避簽批',
  severities: ['yellow'],
  policies: ['leader_signoff_threshold', 'split_claim_margin'],
  after: ['claim.submitted'],
  async detect(ctx) {
    const threshold = money(ctx.policy.leader_signoff_threshold);
    const margin = money(ctx.policy.split_claim_margin);
    // Claims are whole cents: rounding the bound up to a cent admits exactly the claims the exact bound admits.
    const lowest = threshold.times(money('1').minus(margin)).toDecimalPlaces(2, Decimal.ROUND_UP);
    const rows = await selectRows(
      ctx.em,
      NearThresholdClaim,
      `SELECT id, contract_id, contract_title, project_id, project_name, village_id, amount, state, application_date
         FROM (SELECT k.id, k.contract_id, c.title AS contract_title, c.project_id, p.name AS project_name, p.village_id, k.amount, k.state,
                      k.application_date::text AS application_date, count(*) OVER (PARTITION BY k.contract_id) AS near
                 FROM claims k
                 JOIN contracts c ON c.id = k.contract_id
                 JOIN projects p ON p.id = c.project_id
                WHERE k.county_id = $1 AND k.state = ANY($2::text[]) AND k.amount >= $3::numeric AND k.amount <= $4::numeric) s
        WHERE near > 1
        ORDER BY contract_id, id`,
      [ctx.countyId, CLAIMS_IN_PLAY, formatMoney(lowest), formatMoney(threshold)],
    );
    const byContract = new Map<number, NearThresholdClaim[]>();
    for (const k of rows) {
      const claims = byContract.get(k.contractId);
      if (claims) claims.push(k);
      else byContract.set(k.contractId, [k]);
    }
    const percent = margin.times(100).toString();
    return [...byContract.values()].map((claims): Finding => {
      const c = claims[0];
      const total = claims.reduce((s, k) => s.plus(k.amount), ZERO);
      const amounts = claims.map((k) => formatMoney(money(k.amount)));
      return {
        subjectType: 'contract',
        subjectId: String(c.contractId),
        severity: 'yellow',
        unitId: c.villageId,
        key: claims
          .map((k) => k.id)
          .sort((a, b) => a - b)
          .join(','),
        summary: clipped(
          `合同「${c.contractTitle}」有 ${claims.length} 筆報帳（${listed(amounts.map((a) => `${a} 元`))}）均在領導簽批限額 ${formatMoney(threshold)} 元以下 ${percent}% 以內，` +
            `合計 ${formatMoney(total)} 元（疑似拆分報帳規避領導簽批）`,
        ),
        evidence: {
          contractId: c.contractId,
          projectId: c.projectId,
          projectName: c.projectName,
          threshold: formatMoney(threshold),
          margin: margin.toString(),
          lowest: formatMoney(lowest),
          total: formatMoney(total),
          claims: claims.map((k) => ({ claimId: k.id, amount: formatMoney(money(k.amount)), state: k.state, applicationDate: k.applicationDate })),
        },
      };
    });
  },
};

export const SPLITTING_DETECTORS: readonly Detector[] = [SPLIT_CONTRACTS, SPLIT_CLAIMS];
