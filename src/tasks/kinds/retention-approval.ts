import { z } from 'zod';
import { isNewHand } from '../../access/domain/maker-checker';
import { scopePrefix } from '../../access/scope';
import { formatMoney, money } from '../../common/money';
import { col, selectRows } from '../../database/rows';
import { TaskKind, waitingOf } from '../task-kind';

const ProposedMovement = z.object({
  id: col.id,
  kind: z.enum(['release', 'forfeit']),
  amount: col.money,
  reason: col.text,
  proposedBy: col.id,
  proposer: col.text,
  contractId: col.id,
  contractTitle: col.text,
  since: col.timestamp,
});

/** Retention releases and forfeits proposed by someone else (`RetentionService.approve`); read through `IDX_retention_movements_proposed`. */
export const retentionApproval: TaskKind = {
  kind: 'retention_approval',
  roles: ['county_finance'],
  route: 'POST /api/v1/retention-movements/:id/approve',
  async waiting({ db, actor }) {
    const rows = await selectRows(
      db,
      ProposedMovement,
      `SELECT m.id, m.kind, m.amount, m.reason, m.proposed_by, u.display_name AS proposer, c.id AS contract_id, c.title AS contract_title, m.created_at AS since
         FROM retention_movements m JOIN contracts c ON c.id = m.contract_id JOIN projects p ON p.id = c.project_id
         JOIN org_units o ON o.id = p.village_id JOIN users u ON u.id = m.proposed_by
        WHERE m.county_id = $1 AND m.state = 'proposed' AND o.path LIKE $2 || '%'
        ORDER BY m.created_at, m.id`,
      [actor.county.id, scopePrefix(actor)],
    );
    return waitingOf(
      rows
        .filter((r) => isNewHand([{ step: 'propose', userId: r.proposedBy }], actor.userId))
        .map((r) => ({
          kind: 'retention_approval',
          id: String(r.id),
          title: `合同「${r.contractTitle}」質量保證金${r.kind === 'release' ? '返還' : '扣留（維修）'}`,
          amount: formatMoney(money(r.amount)),
          since: r.since.toISOString(),
          detail: `${r.proposer}：${r.reason}`,
          parentId: String(r.contractId),
        })),
    );
  },
};
