import { z } from 'zod';
import { isNewHand } from '../../access/domain/maker-checker';
import { col, selectRows } from '../../database/rows';
import { takesEffectInPast } from '../../policies/policies.service';
import { TaskKind, waitingOf } from '../task-kind';

const ProposedChange = z.object({
  id: col.id,
  key: col.text,
  value: col.text,
  effectiveFrom: col.date,
  reason: col.text,
  proposedBy: col.id,
  proposer: col.text,
  since: col.timestamp,
});

/**
 * Policy changes proposed by someone else that can still be approved: one whose date has passed is refused (a change
 * takes effect today at the earliest), and there is no step to take on it. Few rows a county: its proposals.
 */
export const policyApproval: TaskKind = {
  kind: 'policy_approval',
  roles: ['county_finance', 'county_leader'],
  route: 'POST /api/v1/policies/changes/:id/approve',
  async waiting({ db, actor, today }) {
    const rows = await selectRows(
      db,
      ProposedChange,
      `SELECT c.id, c.key, c.value, c.effective_from::text, c.reason, c.proposed_by, u.display_name AS proposer, c.created_at AS since
         FROM policy_changes c JOIN users u ON u.id = c.proposed_by
        WHERE c.county_id = $1 AND c.state = 'proposed'
        ORDER BY c.created_at, c.id`,
      [actor.county.id],
    );
    return waitingOf(
      rows
        .filter((r) => isNewHand([{ step: 'propose', userId: r.proposedBy }], actor.userId) && !takesEffectInPast(r.effectiveFrom, today))
        .map((r) => ({
          kind: 'policy_approval',
          id: String(r.id),
          title: `政策參數 ${r.key} 改為 ${r.value}（${r.effectiveFrom} 起）`,
          amount: null,
          since: r.since.toISOString(),
          detail: `${r.proposer}：${r.reason}`,
          parentId: null,
        })),
    );
  },
};
