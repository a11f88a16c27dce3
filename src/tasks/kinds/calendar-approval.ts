import { z } from 'zod';
import { isNewHand } from '../../access/domain/maker-checker';
import { DAY_KINDS } from '../../calendar/domain/working-days';
import { CHANGE_ACTIONS } from '../../calendar/entities/calendar-change.entity';
import { col, selectRows } from '../../database/rows';
import { TaskKind, waitingOf } from '../task-kind';

const PendingChange = z.object({
  id: col.id,
  day: col.date,
  action: z.enum(CHANGE_ACTIONS),
  kind: z.enum(DAY_KINDS).nullable(),
  name: col.text.nullable(),
  reason: col.text,
  proposedBy: col.id,
  proposer: col.text,
  since: col.timestamp,
});

/**
 * Calendar changes proposed by another admin (`CalendarService.decide`). A change for a day already passed can no
 * longer be approved but can be rejected, so it still waits. Read through `UQ_calendar_changes_pending`.
 */
export const calendarApproval: TaskKind = {
  kind: 'calendar_approval',
  roles: ['admin'],
  route: 'POST /api/v1/calendar/changes/:id/approve',
  async waiting({ db, actor }) {
    const rows = await selectRows(
      db,
      PendingChange,
      `SELECT c.id, c.day::text AS day, c.action, c.kind, c.name, c.reason, c.proposed_by, u.display_name AS proposer, c.proposed_at AS since
         FROM calendar_changes c JOIN users u ON u.id = c.proposed_by
        WHERE c.county_id = $1 AND c.state = 'proposed'
        ORDER BY c.proposed_at, c.id`,
      [actor.county.id],
    );
    return waitingOf(
      rows
        .filter((r) => isNewHand([{ step: 'propose', userId: r.proposedBy }], actor.userId))
        .map((r) => ({
          kind: 'calendar_approval',
          id: String(r.id),
          title: r.action === 'remove' ? `${r.day} 恢復按默認規則` : `${r.day} 設為${r.kind === 'holiday' ? '假日' : '工作日'}${r.name ? `（${r.name}）` : ''}`,
          amount: null,
          since: r.since.toISOString(),
          detail: `${r.proposer}：${r.reason}`,
          parentId: null,
        })),
    );
  },
};
