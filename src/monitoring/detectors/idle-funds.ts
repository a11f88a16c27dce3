import { z } from 'zod';
import Decimal from 'decimal.js';
import { ZERO, formatMoney } from '../../common/money';
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

const BudgetLineRow = z.object({
  projectId: col.id,
  allocationId: col.id,
  projectName: col.text,
  villageId: col.id,
  amount: col.money,
  transactionId: col.text,
});

/**
 * M02: a project's money from one allocation, allocated and still unspent (uncommitted, committed or held by a claim)
 * after the idle thresholds. Spending draws the oldest money first, so what is left is the newest: its age is the
 * posting date of the budget line that, counted back from the newest, covers the unspent amount.
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
    const lines = await selectRows(
      ctx.em,
      BudgetLineRow,
      `SELECT b.project_id, b.allocation_id, p.name AS project_name, p.village_id, b.amount, b.transaction_id
         FROM budget_lines b JOIN projects p ON p.id = b.project_id
        WHERE b.county_id = $1 AND b.state = 'posted' AND b.project_id = ANY($2::int[])`,
      [ctx.countyId, [...new Set(held.map((b) => b.projectId!))]],
    );
    const postedOn = await ctx.ledger.effectiveDates(
      ctx.em,
      ctx.countyId,
      lines.map((l) => l.transactionId),
    );
    const byBudget = new Map<string, { line: (typeof lines)[number]; on: string }[]>();
    for (const line of lines) {
      const key = `${line.projectId}:${line.allocationId}`;
      byBudget.set(key, [...(byBudget.get(key) ?? []), { line, on: postedOn.get(line.transactionId)! }]);
    }
    const findings: Finding[] = [];
    for (const b of held) {
      const budget = byBudget.get(`${b.projectId}:${b.allocationId}`);
      if (!budget) continue;
      const since = oldestUnspent(budget, b.balance);
      const days = daysBetween(since, ctx.today);
      const severity = severityOfAge(days, idleThresholds(ctx));
      if (!severity) continue;
      const { projectName, villageId } = budget[0].line;
      const amount = formatMoney(b.balance);
      findings.push({
        subjectType: 'budget',
        subjectId: `${b.projectId}:${b.allocationId}`,
        severity,
        unitId: villageId,
        summary: `項目「${projectName}」${since} 分配的資金 ${days} 天後仍有 ${amount} 元未支出${longIdle(ctx, days) ? '（長期閒置）' : ''}`,
        evidence: { projectId: b.projectId, allocationId: b.allocationId, allocatedOn: since, days, unspent: amount, longIdle: longIdle(ctx, days) },
      });
    }
    return findings;
  },
};

/** The posting date of the budget line that, counted back from the newest, covers the unspent amount. */
function oldestUnspent(lines: readonly { line: { amount: string }; on: string }[], unspent: Decimal): string {
  const newestFirst = [...lines].sort((a, b) => (a.on < b.on ? 1 : a.on > b.on ? -1 : 0));
  let covered = ZERO;
  for (const { line, on } of newestFirst) {
    covered = covered.plus(line.amount);
    if (covered.gte(unspent)) return on;
  }
  return newestFirst[newestFirst.length - 1].on;
}

export const IDLE_DETECTORS: readonly Detector[] = [IDLE_UNALLOCATED, IDLE_UNSPENT];
