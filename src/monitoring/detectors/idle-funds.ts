import { z } from 'zod';
import { formatMoney } from '../../common/money';
import { col, selectRows } from '../../database/rows';
import { Detector, DetectorContext, Finding } from '../domain/detector';
import { daysBetween, severityOfAge } from './periods';

const SOURCE = '審計署扶貧資金審計結果公告: 資金閒置一年以上、兩年以上 (長期閒置)';

/** The idle thresholds in force: yellow, red, and red again for long idle (長期閒置), in days. */
function idleThresholds(ctx: DetectorContext) {
  return [
    [Number(ctx.policy.idle_fund_yellow_days), 'yellow'],
    [Number(ctx.policy.idle_fund_red_days), 'red'],
  ] as const;
}

function longIdle(ctx: DetectorContext, days: number): boolean {
  return days >= Number(ctx.policy.idle_fund_long_days);
}

const AllocationRow = z.object({ id: col.id, documentNumber: col.text, receivedOn: col.date, amount: col.money });

/** M01: an allocation's money received and still not allocated to any project after the idle thresholds. */
export const IDLE_UNALLOCATED: Detector = {
  id: 'M01',
  nameZh: '資金閒置：到位資金未分配到項目',
  nameEn: 'Idle funds: received and not allocated to projects',
  guards: 'idle',
  source: SOURCE,
  severities: ['yellow', 'red'],
  policies: ['idle_fund_yellow_days', 'idle_fund_red_days', 'idle_fund_long_days'],
  async detect(ctx) {
    const unallocated = await ctx.ledger.balancesBy(ctx.em, ctx.countyId, { kind: 'quota_unallocated' }, ['allocationId']);
    const idle = new Map(unallocated.filter((b) => b.balance.gt(0)).map((b) => [b.allocationId!, b.balance]));
    if (idle.size === 0) return [];
    const allocations = await selectRows(
      ctx.em,
      AllocationRow,
      `SELECT id, document_number, received_on::text, amount FROM fund_allocations WHERE county_id = $1 AND id = ANY($2::int[]) ORDER BY id`,
      [ctx.countyId, [...idle.keys()]],
    );
    const findings: Finding[] = [];
    for (const a of allocations) {
      const days = daysBetween(a.receivedOn, ctx.today);
      const severity = severityOfAge(days, idleThresholds(ctx));
      if (!severity) continue;
      const amount = formatMoney(idle.get(a.id)!);
      findings.push({
        subjectType: 'allocation',
        subjectId: String(a.id),
        severity,
        unitId: null,
        summary: `資金 ${a.documentNumber} 到位 ${days} 天，仍有 ${amount} 元未分配到項目${longIdle(ctx, days) ? '（長期閒置）' : ''}`,
        evidence: {
          allocationId: a.id,
          documentNumber: a.documentNumber,
          receivedOn: a.receivedOn,
          days,
          unallocated: amount,
          received: a.amount,
          longIdle: longIdle(ctx, days),
        },
      });
    }
    return findings;
  },
};

const BudgetRow = z.object({ projectId: col.id, allocationId: col.id, projectName: col.text, villageId: col.id, allocatedOn: col.date });

/**
 * M02: a project's money from one allocation, allocated and still unspent (uncommitted, committed or held by a claim)
 * after the idle thresholds, counted from the day the first budget line of that project and allocation was posted.
 */
export const IDLE_UNSPENT: Detector = {
  id: 'M02',
  nameZh: '資金閒置：已分配到項目未支出',
  nameEn: 'Idle funds: allocated to a project and unspent',
  guards: 'idle',
  source: SOURCE,
  severities: ['yellow', 'red'],
  policies: ['idle_fund_yellow_days', 'idle_fund_red_days', 'idle_fund_long_days'],
  async detect(ctx) {
    const unspent = await ctx.ledger.balancesBy(ctx.em, ctx.countyId, { kind: ['quota_project', 'quota_committed', 'quota_held'] }, [
      'projectId',
      'allocationId',
    ]);
    const held = unspent.filter((b) => b.balance.gt(0));
    if (held.length === 0) return [];
    const budgets = await selectRows(
      ctx.em,
      BudgetRow,
      `SELECT b.project_id, b.allocation_id, p.name AS project_name, p.village_id,
              min((b.created_at AT TIME ZONE 'Asia/Shanghai')::date)::text AS allocated_on
         FROM budget_lines b JOIN projects p ON p.id = b.project_id
        WHERE b.county_id = $1 AND b.state = 'posted' AND b.project_id = ANY($2::int[])
        GROUP BY b.project_id, b.allocation_id, p.name, p.village_id`,
      [ctx.countyId, [...new Set(held.map((b) => b.projectId!))]],
    );
    const since = new Map(budgets.map((b) => [`${b.projectId}:${b.allocationId}`, b]));
    const findings: Finding[] = [];
    for (const b of held) {
      const budget = since.get(`${b.projectId}:${b.allocationId}`);
      if (!budget) continue;
      const days = daysBetween(budget.allocatedOn, ctx.today);
      const severity = severityOfAge(days, idleThresholds(ctx));
      if (!severity) continue;
      const amount = formatMoney(b.balance);
      findings.push({
        subjectType: 'budget',
        subjectId: `${b.projectId}:${b.allocationId}`,
        severity,
        unitId: budget.villageId,
        summary: `項目「${budget.projectName}」分配資金 ${days} 天，仍有 ${amount} 元未支出${longIdle(ctx, days) ? '（長期閒置）' : ''}`,
        evidence: {
          projectId: b.projectId,
          allocationId: b.allocationId,
          allocatedOn: budget.allocatedOn,
          days,
          unspent: amount,
          longIdle: longIdle(ctx, days),
        },
      });
    }
    return findings;
  },
};

export const IDLE_DETECTORS: readonly Detector[] = [IDLE_UNALLOCATED, IDLE_UNSPENT];
