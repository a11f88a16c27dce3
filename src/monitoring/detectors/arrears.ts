import { z } from 'zod';
import { addDays } from '../../calendar/domain/working-days';
import { formatMoney, money } from '../../common/money';
import { col, selectRows } from '../../database/rows';
import { Detector, Finding } from '../domain/detector';
import { daysBetween, severityOfAge } from './periods';

const ApprovedClaimRow = z.object({
  id: col.id,
  amount: col.money,
  contractId: col.id,
  contractTitle: col.text,
  payeeName: col.text,
  projectId: col.id,
  projectName: col.text,
  villageId: col.id,
  approvedOn: col.date,
});

/**
 * M04: a claim approved for payment and still unpaid. It counts from the step that approved the claim's current
 * version (county finance's approval, or the leader's signature after it when one is needed), on the China date.
 */
export const UNPAID_APPROVED_CLAIM: Detector = {
  id: 'M04',
  nameZh: '拖欠：報帳已審批未支付',
  nameEn: 'Arrears: approved claims left unpaid',
  guards: 'arrears',
  source: '保障中小企業款項支付條例（2025年修訂）第九條：機關、事業單位自貨物、工程、服務交付之日起30日內支付款項，約定的付款期限最長不得超過60日',
  severities: ['yellow', 'red'],
  policies: ['arrears_days', 'arrears_red_days'],
  async detect(ctx) {
    const yellow = Number(ctx.policy.arrears_days);
    const red = Number(ctx.policy.arrears_red_days);
    // Only claims old enough for the milder threshold are read.
    const approvedBy = addDays(ctx.today, -Math.min(yellow, red));
    const claims = await selectRows(
      ctx.em,
      ApprovedClaimRow,
      `SELECT k.id, k.amount, k.contract_id, c.title AS contract_title, c.payee_name, k.project_id, p.name AS project_name, p.village_id,
              s.approved_on::text
         FROM claims k
         JOIN contracts c ON c.id = k.contract_id
         JOIN projects p ON p.id = k.project_id
         JOIN LATERAL (SELECT max((s.at AT TIME ZONE 'Asia/Shanghai')::date) AS approved_on
                         FROM claim_steps s
                        WHERE s.claim_id = k.id AND s.version = k.version AND s.step IN ('approve', 'leader_sign')) s ON true
        WHERE k.county_id = $1 AND k.state = 'approved' AND s.approved_on <= $2::date
        ORDER BY k.id`,
      [ctx.countyId, approvedBy],
    );
    const findings: Finding[] = [];
    for (const k of claims) {
      const days = daysBetween(k.approvedOn, ctx.today);
      const severity = severityOfAge(days, [
        [yellow, 'yellow'],
        [red, 'red'],
      ]);
      if (!severity) continue;
      const amount = formatMoney(money(k.amount));
      findings.push({
        subjectType: 'claim',
        subjectId: String(k.id),
        severity,
        unitId: k.villageId,
        summary: `報帳單 ${k.id}（項目「${k.projectName}」，收款人 ${k.payeeName}）於 ${k.approvedOn} 審批同意支付 ${amount} 元，已 ${days} 天未支付`,
        evidence: {
          claimId: k.id,
          contractId: k.contractId,
          contractTitle: k.contractTitle,
          projectId: k.projectId,
          payee: k.payeeName,
          amount,
          approvedOn: k.approvedOn,
          days,
        },
      });
    }
    return findings;
  },
};

const HeldRetentionRow = z.object({
  contractId: col.id,
  title: col.text,
  payeeName: col.text,
  projectId: col.id,
  projectName: col.text,
  villageId: col.id,
  acceptanceId: col.id,
  acceptedOn: col.date,
  defectPeriodEndsOn: col.date,
});

/**
 * M05: retention still held on a contract after its defect period plus the overdue days, neither released to the
 * payee nor forfeited to repairs. The defect period is the one fixed on the contract's passed acceptances when they
 * passed (the latest end among them, as release itself waits for), so a later change of `retention_defect_days`
 * moves no deadline already running. A contract whose latest acceptance did not pass owes no retention yet.
 */
export const RETENTION_OVERDUE: Detector = {
  id: 'M05',
  nameZh: '拖欠：質量保證金逾期未返還',
  nameEn: 'Arrears: retention held past its defect period',
  guards: 'arrears',
  source: '保障中小企業款項支付條例（2025年修訂）：保證期限屆滿後及時核實、結算保證金；建質〔2017〕138號建設工程質量保證金管理辦法：缺陷責任期滿返還',
  severities: ['yellow', 'red'],
  policies: ['retention_defect_days', 'retention_overdue_days'],
  async detect(ctx) {
    const held = await ctx.ledger.balancesBy(ctx.em, ctx.countyId, { kind: 'retention' }, ['contractId']);
    const holding = new Map(held.filter((b) => b.balance.gt(0)).map((b) => [b.contractId!, b.balance]));
    if (holding.size === 0) return [];
    const overdue = Number(ctx.policy.retention_overdue_days);
    // One read for every contract holding retention: its latest acceptance, kept when passed, and the latest end of
    // the defect periods of its passed acceptances (as latestAcceptanceIfPassed answers one contract).
    const contracts = await selectRows(
      ctx.em,
      HeldRetentionRow,
      `WITH latest AS (
              SELECT DISTINCT ON (contract_id) contract_id, id, state, closed_at
                FROM acceptances WHERE county_id = $1 AND contract_id = ANY($2::int[])
               ORDER BY contract_id, id DESC),
            ends AS (
              SELECT contract_id, max(closed_at + defect_days * interval '1 day') AS ends_at
                FROM acceptances WHERE county_id = $1 AND contract_id = ANY($2::int[]) AND state = 'passed'
               GROUP BY contract_id)
       SELECT c.id AS contract_id, c.title, c.payee_name, c.project_id, p.name AS project_name, p.village_id,
              l.id AS acceptance_id, (l.closed_at AT TIME ZONE 'Asia/Shanghai')::date::text AS accepted_on,
              (e.ends_at AT TIME ZONE 'Asia/Shanghai')::date::text AS defect_period_ends_on
         FROM latest l
         JOIN ends e ON e.contract_id = l.contract_id
         JOIN contracts c ON c.id = l.contract_id
         JOIN projects p ON p.id = c.project_id
        WHERE l.state = 'passed' AND c.county_id = $1
        ORDER BY c.id`,
      [ctx.countyId, [...holding.keys()]],
    );
    const findings: Finding[] = [];
    for (const c of contracts) {
      const days = daysBetween(c.defectPeriodEndsOn, ctx.today);
      const severity = severityOfAge(days, [
        [overdue, 'yellow'],
        [overdue * 2, 'red'],
      ]);
      if (!severity) continue;
      const amount = formatMoney(holding.get(c.contractId)!);
      findings.push({
        subjectType: 'contract',
        subjectId: String(c.contractId),
        severity,
        unitId: c.villageId,
        summary: `合同「${c.title}」（項目「${c.projectName}」，收款人 ${c.payeeName}）缺陷責任期於 ${c.defectPeriodEndsOn} 屆滿，已過 ${days} 天，質量保證金 ${amount} 元仍未返還或扣留`,
        evidence: {
          contractId: c.contractId,
          projectId: c.projectId,
          payee: c.payeeName,
          acceptanceId: c.acceptanceId,
          acceptedOn: c.acceptedOn,
          defectPeriodEndsOn: c.defectPeriodEndsOn,
          daysAfterDefectPeriod: days,
          retentionHeld: amount,
        },
      });
    }
    return findings;
  },
};

export const ARREARS_DETECTORS: readonly Detector[] = [UNPAID_APPROVED_CLAIM, RETENTION_OVERDUE];
