import { z } from 'zod';
import { isNewHand } from '../../access/domain/maker-checker';
import { scopePrefix } from '../../access/scope';
import { formatMoney, money } from '../../common/money';
import { col, selectRows } from '../../database/rows';
import { TaskKind, waitingOf } from '../task-kind';

const AwaitingLine = z.object({
  id: col.id,
  projectId: col.id,
  amount: col.money,
  proposedBy: col.id,
  proposer: col.text,
  projectName: col.text,
  documentNumber: col.text,
  since: col.timestamp,
});

/**
 * Budget lines above the leader threshold, waiting for a county leader who did not propose them (`BudgetService.sign`).
 * Read through `IDX_budget_lines_awaiting`. The sign route names the project too: the detail says which.
 */
export const budgetLineSignature: TaskKind = {
  kind: 'budget_line_signature',
  roles: ['county_leader'],
  route: 'POST /api/v1/projects/:id/budget-lines/:lineId/sign',
  async waiting({ db, actor }) {
    const rows = await selectRows(
      db,
      AwaitingLine,
      `SELECT b.id, b.project_id, b.amount, b.proposed_by, u.display_name AS proposer, p.name AS project_name, f.document_number, b.created_at AS since
         FROM budget_lines b JOIN projects p ON p.id = b.project_id JOIN org_units o ON o.id = p.village_id
         JOIN fund_allocations f ON f.id = b.allocation_id JOIN users u ON u.id = b.proposed_by
        WHERE b.county_id = $1 AND b.state = 'awaiting_signature' AND o.path LIKE $2 || '%'
        ORDER BY b.created_at, b.id`,
      [actor.county.id, scopePrefix(actor)],
    );
    return waitingOf(
      rows
        .filter((r) => isNewHand([{ step: 'propose', userId: r.proposedBy }], actor.userId))
        .map((r) => ({
          kind: 'budget_line_signature',
          id: String(r.id),
          title: `${r.projectName}：分配指標 ${r.documentNumber} ${formatMoney(money(r.amount))} 元`,
          amount: formatMoney(money(r.amount)),
          since: r.since.toISOString(),
          detail: `項目 ${r.projectId} · ${r.proposer} 提議`,
          parentId: String(r.projectId),
        })),
    );
  },
};
