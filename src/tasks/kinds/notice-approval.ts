import { z } from 'zod';
import { isNewHand } from '../../access/domain/maker-checker';
import { ORG_LEVELS } from '../../access/domain/roles';
import { col, selectRows } from '../../database/rows';
import { NOTICE_KINDS, PUBLISHING_ROLES } from '../../publicity/domain/notice-kinds';
import { NoticeKind } from '../../publicity/domain/notice-document';
import { isPublisherOf } from '../../publicity/notices.service';
import { TaskKind, waitingOf } from '../task-kind';

const DraftNotice = z.object({
  id: col.id,
  kind: col.text,
  title: col.text,
  publisherUnitId: col.id,
  publisherLevel: z.enum(ORG_LEVELS),
  draftedBy: col.id,
  drafter: col.text,
  since: col.timestamp,
});

/**
 * Draft notices of the person's own unit that they may approve: they publish at its level and did not draft it
 * (`NoticesService.approve`). Read through `IDX_notices_county_state`.
 */
export const noticeApproval: TaskKind = {
  kind: 'notice_approval',
  roles: [...new Set(Object.values(PUBLISHING_ROLES).flat())],
  route: 'POST /api/v1/notices/:id/approve',
  async waiting({ db, actor }) {
    if (actor.orgUnit === null) return waitingOf([]);
    const rows = await selectRows(
      db,
      DraftNotice,
      `SELECT n.id, n.kind, n.title, n.publisher_unit_id, u.level AS publisher_level, n.drafted_by, d.display_name AS drafter, n.created_at AS since
         FROM notices n JOIN org_units u ON u.id = n.publisher_unit_id JOIN users d ON d.id = n.drafted_by
        WHERE n.county_id = $1 AND n.state = 'draft' AND n.publisher_unit_id = $2
        ORDER BY n.created_at, n.id`,
      [actor.county.id, actor.orgUnit.id],
    );
    return waitingOf(
      rows
        .filter((r) => isPublisherOf(actor, r) && isNewHand([{ step: 'draft', userId: r.draftedBy }], actor.userId))
        .map((r) => ({
          kind: 'notice_approval',
          id: String(r.id),
          title: `${NOTICE_KINDS[r.kind as NoticeKind]?.name ?? '公示'}：${r.title}`,
          amount: null,
          since: r.since.toISOString(),
          detail: `${r.drafter} 起草`,
          parentId: null,
        })),
    );
  },
};
