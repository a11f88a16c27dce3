import Decimal from 'decimal.js';
import { z } from 'zod';
import { ZERO, formatMoney, money } from '../../common/money';
import { col, selectRows } from '../../database/rows';
import { scheduleOf } from '../../policies/policy';
import { Detector, Finding, Severity } from '../domain/detector';
import { lastDayOfMonth } from './periods';

const AllocationRow = z.object({ id: col.id, documentNumber: col.text, receivedOn: col.date, amount: col.money });

/**
 * Behind by more than half of what the schedule requires (less than half of the required share spent) is red: the
 * money is then more idle than used against the target. Behind by half or less is yellow.
 */
function severityOfShortfall(required: Decimal, spent: Decimal): Severity | null {
  if (spent.gte(required)) return null;
  return spent.lt(required.div(2)) ? 'red' : 'yellow';
}

/** A share as a percentage with two decimals, for people. */
function percent(share: Decimal): string {
  return share.times(100).toFixed(2, Decimal.ROUND_HALF_UP);
}

/**
 * M03: an allocation of the current fiscal year whose spending (quota_spent over its amount) is behind the county's
 * spending schedule at the end of the latest schedule month that has passed (in January: last year's allocations
 * against the year's last step). An allocation received after that month
 * ended is not judged against it: the money was not there to spend by the deadline.
 */
export const SPENDING_BEHIND: Detector = {
  id: 'M03',
  nameZh: '支出進度滯後：資金支出低於進度要求',
  nameEn: 'Spending behind the schedule',
  guards: 'idle',
  source: '縣級政策 spending_schedule（預算執行進度，按月累計最低支出比例）；未核實全國統一進度，由縣設定',
  severities: ['yellow', 'red'],
  policies: ['spending_schedule'],
  async detect(ctx) {
    const schedule = scheduleOf(ctx.policy.spending_schedule);
    if (!schedule || schedule.length === 0) return [];
    const thisYear = Number(ctx.today.slice(0, 4));
    const month = Number(ctx.today.slice(5, 7));
    // A month's end has passed once today is in a later month. In January the last year's schedule is the one whose
    // months have all ended: its allocations are judged against its last step (December's, if the county set one).
    const year = month === 1 ? thisYear - 1 : thisYear;
    const step = schedule.filter((s) => month === 1 || s.month < month).at(-1);
    if (!step) return [];
    const dueBy = lastDayOfMonth(year, step.month);
    const allocations = await selectRows(
      ctx.em,
      AllocationRow,
      `SELECT id, document_number, received_on::text, amount FROM fund_allocations
        WHERE county_id = $1 AND fiscal_year = $2 AND received_on <= $3::date ORDER BY id`,
      [ctx.countyId, year, dueBy],
    );
    if (allocations.length === 0) return [];
    const spentBy = await ctx.ledger.balancesBy(ctx.em, ctx.countyId, { kind: 'quota_spent', allocationId: allocations.map((a) => a.id) }, ['allocationId']);
    const spentOf = new Map(spentBy.map((b) => [b.allocationId!, b.balance]));
    const findings: Finding[] = [];
    for (const a of allocations) {
      const amount = money(a.amount);
      const required = amount.times(step.share);
      const spent = spentOf.get(a.id) ?? ZERO;
      const severity = severityOfShortfall(required, spent);
      if (!severity) continue;
      const spentShare = spent.div(amount);
      const behind = step.share.minus(spentShare);
      findings.push({
        subjectType: 'allocation',
        subjectId: String(a.id),
        severity,
        unitId: null,
        summary: `資金 ${a.documentNumber} 應於 ${dueBy} 前支出 ${percent(step.share)}%（${formatMoney(required)} 元），實際支出 ${formatMoney(spent)} 元（${percent(spentShare)}%），落後 ${percent(behind)} 個百分點`,
        evidence: {
          allocationId: a.id,
          documentNumber: a.documentNumber,
          fiscalYear: year,
          receivedOn: a.receivedOn,
          amount: formatMoney(amount),
          scheduleMonth: step.month,
          dueBy,
          requiredShare: step.share.toFixed(4),
          required: formatMoney(required),
          spent: formatMoney(spent),
          spentShare: spentShare.toFixed(4, Decimal.ROUND_DOWN),
          shortfall: formatMoney(required.minus(spent)),
        },
      });
    }
    return findings;
  },
};

export const SPENDING_DETECTORS: readonly Detector[] = [SPENDING_BEHIND];
