import { z } from 'zod';
import { MANAGEMENT_CATEGORY } from '../../claims/domain/expense-categories';
import { formatMoney, money } from '../../common/money';
import { col, selectRows } from '../../database/rows';
import { PROJECT_BUDGET_KINDS } from '../../ledger/domain/account-refs';
import { Detector, Finding, Severity } from '../domain/detector';

/** Claims whose expense detail counts as spent: approved (about to be paid) and paid. */
const COUNTED_STATES = ['approved', 'paid'];

const ManagementRow = z.object({
  projectId: col.id,
  projectName: col.text,
  villageId: col.id,
  management: col.money,
  claimIds: z.array(col.id),
});

/**
 * M10: management and administrative costs (管理費) above the cap of a project's budget: the management lines of the
 * project's approved and paid claims against the project's whole budget (every source). A claim is paid from the
 * contract's sources in allocation order, so its lines cannot be told apart by allocation: the cap is applied to
 * the project's budget as a whole, not per allocation. Yellow above the cap, red above twice the cap.
 */
export const MANAGEMENT_OVER_CAP: Detector = {
  id: 'M10',
  nameZh: '資金擠占：管理費超過項目預算比例上限',
  nameEn: "Crowding out: management costs above the cap of the project's budget",
  guards: 'crowding_out',
  source: '中央財政專項扶貧資金管理辦法: 項目管理費按不超過規定比例列支，不得擠占項目資金',
  severities: ['yellow', 'red'],
  policies: ['management_fee_cap'],
  async detect(ctx) {
    const rows = await selectRows(
      ctx.em,
      ManagementRow,
      `SELECT k.project_id, p.name AS project_name, p.village_id, sum((e.line ->> 'amount')::numeric) AS management,
              array_agg(DISTINCT k.id ORDER BY k.id) AS claim_ids
         FROM claims k
         JOIN projects p ON p.id = k.project_id
         CROSS JOIN LATERAL jsonb_array_elements(k.expenses) AS e(line)
        WHERE k.county_id = $1 AND k.state = ANY($2::text[]) AND e.line ->> 'category' = $3
        GROUP BY k.project_id, p.name, p.village_id
        ORDER BY k.project_id`,
      [ctx.countyId, COUNTED_STATES, MANAGEMENT_CATEGORY],
    );
    if (rows.length === 0) return [];
    const budgets = await ctx.ledger.balancesBy(ctx.em, ctx.countyId, { kind: PROJECT_BUDGET_KINDS, projectId: rows.map((r) => r.projectId) }, ['projectId']);
    const budgetOf = new Map(budgets.map((b) => [b.projectId!, b.balance]));
    const cap = money(ctx.policy.management_fee_cap);
    const capText = `${cap.times(100).toString()}%`;
    const findings: Finding[] = [];
    for (const r of rows) {
      const management = money(r.management);
      const budget = budgetOf.get(r.projectId) ?? money('0');
      // Compared as products, exact: no rounded share decides a boundary.
      const allowed = budget.times(cap);
      let severity: Severity | null = null;
      if (management.gt(allowed.times(2))) severity = 'red';
      else if (management.gt(allowed)) severity = 'yellow';
      if (!severity) continue;
      const limit = severity === 'red' ? `上限 ${capText} 的兩倍（${formatMoney(allowed.times(2))} 元）` : `上限 ${capText}（${formatMoney(allowed)} 元）`;
      findings.push({
        subjectType: 'project',
        subjectId: String(r.projectId),
        severity,
        unitId: r.villageId,
        key: formatMoney(management),
        summary: `項目「${r.projectName}」已批准和已支付報帳中管理費 ${formatMoney(management)} 元，超過項目預算 ${formatMoney(budget)} 元的${limit}`,
        evidence: {
          projectId: r.projectId,
          management: formatMoney(management),
          budget: formatMoney(budget),
          share: budget.gt(0) ? management.div(budget).toFixed(8) : null,
          cap: ctx.policy.management_fee_cap,
          allowed: formatMoney(allowed),
          claimIds: r.claimIds,
        },
      });
    }
    return findings;
  },
};

export const CROWDING_OUT_DETECTORS: readonly Detector[] = [MANAGEMENT_OVER_CAP];
