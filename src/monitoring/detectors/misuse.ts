import Decimal from 'decimal.js';
import { z } from 'zod';
import { EXPENSE_CATEGORIES, ExpenseCategory, NEGATIVE_LIST } from '../../claims/domain/expense-categories';
import { ZERO, formatMoney, money } from '../../common/money';
import { col, selectRows } from '../../database/rows';
import { AccountBalance } from '../../ledger/ledger-reading.service';
import { Detector, Finding } from '../domain/detector';

/** Claims not judged: a draft is still being written, a withdrawn one was given up. */
const NOT_JUDGED = ['draft', 'withdrawn'];

const NegativeLine = z.object({
  claimId: col.id,
  state: col.text,
  version: col.int,
  amount: col.money,
  projectId: col.id,
  projectName: col.text,
  villageId: col.id,
  lineIndex: col.int,
  category: z.enum(NEGATIVE_LIST as [ExpenseCategory, ...ExpenseCategory[]]),
  description: col.text,
  lineAmount: col.money,
});
type NegativeLine = z.infer<typeof NegativeLine>;

/**
 * M08: a claim whose expense detail lists spending on the negative list (負面清單). The claim is not refused when it
 * is drafted: a line may be mislabelled, and the reviewers at each level decide. The alert puts it before them and
 * stays until the claim is corrected (a new version without the line) or withdrawn.
 */
export const NEGATIVE_LIST_EXPENSE: Detector = {
  id: 'M08',
  nameZh: '資金挪用：報帳列支負面清單支出',
  nameEn: 'Misuse: a claim spends on the negative list',
  guards: 'misuse',
  source: '中央財政專項扶貧資金管理辦法: 不得用於單位基本支出、交通工具及通訊設備、樓堂館所、獎金津貼福利、償還債務和墊資',
  severities: ['red'],
  policies: [],
  after: ['claim.submitted'],
  async detect(ctx) {
    const lines = await selectRows(
      ctx.em,
      NegativeLine,
      `SELECT k.id AS claim_id, k.state, k.version, k.amount, k.project_id, p.name AS project_name, p.village_id,
              (e.ord - 1)::int AS line_index, e.line ->> 'category' AS category, e.line ->> 'description' AS description,
              e.line ->> 'amount' AS line_amount
         FROM claims k
         JOIN projects p ON p.id = k.project_id
         CROSS JOIN LATERAL jsonb_array_elements(k.expenses) WITH ORDINALITY AS e(line, ord)
        WHERE k.county_id = $1 AND k.state <> ALL($2::text[]) AND e.line ->> 'category' = ANY($3::text[])
        ORDER BY k.id, e.ord`,
      [ctx.countyId, NOT_JUDGED, NEGATIVE_LIST],
    );
    const byClaim = new Map<number, NegativeLine[]>();
    for (const line of lines) byClaim.set(line.claimId, [...(byClaim.get(line.claimId) ?? []), line]);
    return [...byClaim.values()].map((claimLines): Finding => {
      const [k] = claimLines;
      const total = claimLines.reduce<Decimal>((s, l) => s.plus(l.lineAmount), ZERO);
      const listed = claimLines.map((l) => `${EXPENSE_CATEGORIES[l.category]} ${formatMoney(money(l.lineAmount))} 元`).join('、');
      return {
        subjectType: 'claim',
        subjectId: String(k.claimId),
        severity: 'red',
        unitId: k.villageId,
        key: `v${k.version}:${claimLines.map((l) => `${l.category}=${money(l.lineAmount).toFixed(2)}`).join(',')}`,
        summary: `項目「${k.projectName}」報帳單 ${k.claimId}（${formatMoney(money(k.amount))} 元）列支負面清單支出 ${formatMoney(total)} 元：${listed}`,
        evidence: {
          claimId: k.claimId,
          state: k.state,
          version: k.version,
          projectId: k.projectId,
          claimAmount: formatMoney(money(k.amount)),
          negativeTotal: formatMoney(total),
          lines: claimLines.map((l) => ({
            index: l.lineIndex,
            category: l.category,
            categoryName: EXPENSE_CATEGORIES[l.category],
            description: l.description,
            amount: formatMoney(money(l.lineAmount)),
          })),
        },
      };
    });
  },
};

const ProjectRow = z.object({ id: col.id, name: col.text, category: col.text, villageId: col.id });
const AllocationRow = z.object({ id: col.id, documentNumber: col.text, permittedCategories: col.textArray });

/**
 * M09: money spent on a project outside its category. A payment books its expense under the project's category,
 * and budget is allocated only from an allocation that permits it, so an expense account whose category is not the
 * project's current one, or not among its allocation's permitted categories, means the category or the permission
 * changed after the money was spent, or the books were written past the workflows: the project and allocation rows
 * refuse such changes, so only a change made past the database's guards gets here.
 */
export const OFF_CATEGORY_SPENDING: Detector = {
  id: 'M09',
  nameZh: '資金挪用：支出不符項目類別或資金用途',
  nameEn: "Misuse: spending outside the project's category or the allocation's permitted uses",
  guards: 'misuse',
  source: '中央財政專項扶貧資金管理辦法: 資金按規定用途使用，不得擅自調整用途',
  severities: ['red'],
  policies: [],
  async detect(ctx) {
    const expenses = (await ctx.ledger.accounts(ctx.em, ctx.countyId, { kind: 'expense' })).filter((a) => a.balance.gt(0));
    if (expenses.length === 0) return [];
    const projects = await selectRows(ctx.em, ProjectRow, `SELECT id, name, category, village_id FROM projects WHERE county_id = $1 AND id = ANY($2::int[])`, [
      ctx.countyId,
      [...new Set(expenses.map((a) => a.projectId!))],
    ]);
    const allocations = await selectRows(
      ctx.em,
      AllocationRow,
      `SELECT id, document_number, permitted_categories FROM fund_allocations WHERE county_id = $1 AND id = ANY($2::int[])`,
      [ctx.countyId, [...new Set(expenses.map((a) => a.allocationId!))]],
    );
    const projectById = new Map(projects.map((p) => [p.id, p]));
    const allocationById = new Map(allocations.map((a) => [a.id, a]));
    const byBudget = new Map<string, AccountBalance[]>();
    for (const a of expenses) {
      const project = projectById.get(a.projectId!);
      const allocation = allocationById.get(a.allocationId!);
      if (!project || !allocation) continue;
      if (a.category === project.category && allocation.permittedCategories.includes(a.category)) continue;
      const key = `${a.projectId}:${a.allocationId}`;
      byBudget.set(key, [...(byBudget.get(key) ?? []), a]);
    }
    const findings: Finding[] = [];
    for (const [key, accounts] of byBudget) {
      const project = projectById.get(accounts[0].projectId!)!;
      const allocation = allocationById.get(accounts[0].allocationId!)!;
      const total = accounts.reduce<Decimal>((s, a) => s.plus(a.balance), ZERO);
      const spent = accounts.map((a) => `${a.category} ${formatMoney(a.balance)} 元`).join('、');
      findings.push({
        subjectType: 'budget',
        subjectId: key,
        severity: 'red',
        unitId: project.villageId,
        key: formatMoney(total),
        summary:
          `項目「${project.name}」（類別 ${project.category}）從資金 ${allocation.documentNumber}（允許 ${allocation.permittedCategories.join('、')}）` +
          `支出 ${formatMoney(total)} 元記在不符的類別：${spent}`,
        evidence: {
          projectId: project.id,
          allocationId: allocation.id,
          documentNumber: allocation.documentNumber,
          projectCategory: project.category,
          permittedCategories: allocation.permittedCategories,
          total: formatMoney(total),
          accounts: accounts.map((a) => ({
            account: a.code,
            category: a.category,
            amount: formatMoney(a.balance),
            notProjectCategory: a.category !== project.category,
            notPermitted: !allocation.permittedCategories.includes(a.category!),
          })),
        },
      });
    }
    return findings;
  },
};

export const MISUSE_DETECTORS: readonly Detector[] = [NEGATIVE_LIST_EXPENSE, OFF_CATEGORY_SPENDING];
