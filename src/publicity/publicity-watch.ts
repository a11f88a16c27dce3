import { Injectable } from '@nestjs/common';
import { DataSource, EntityManager } from 'typeorm';
import { z } from 'zod';
import { CalendarService } from '../calendar/calendar.service';
import { Clock } from '../common/clock';
import { Actor } from '../common/context';
import { formatMoney } from '../common/money';
import { col, selectRows } from '../database/rows';
import { LedgerReadingService } from '../ledger/ledger-reading.service';
import { PoliciesService } from '../policies/policies.service';
import { PublicityFindingView } from './notices.dto';
import { handTodayToDatabase } from './publicity-gates';

const Formed = z.object({ subject: z.enum(['project', 'allocation']), id: col.id, name: col.text, formedOn: col.date });
const Unpassed = z.object({ id: col.id, name: col.text });

/**
 * The two publicity findings the monitoring system turns into alerts (docs/publicity.md): information formed but not
 * published within `publicity_due_working_days` working days of the county calendar (a project reviewed by its
 * township with no library notice, an allocation received with no allocation notice), and money paid on a project
 * whose plan notice has not passed.
 */
@Injectable()
export class PublicityWatch {
  constructor(
    private readonly ds: DataSource,
    private readonly calendar: CalendarService,
    private readonly policies: PoliciesService,
    private readonly ledger: LedgerReadingService,
    private readonly clock: Clock,
  ) {}

  findings(actor: Actor): Promise<PublicityFindingView[]> {
    return this.ds.transaction('REPEATABLE READ', async (em) => [...(await this.unpublished(em, actor)), ...(await this.paidBeforeNotice(em, actor))]);
  }

  private async unpublished(em: EntityManager, actor: Actor): Promise<PublicityFindingView[]> {
    const today = this.clock.today();
    const days = Number((await this.policies.inForce(em, actor, today)).values.publicity_due_working_days.value);
    const formed = await selectRows(
      em,
      Formed,
      `SELECT 'project' AS subject, p.id, p.name, (SELECT (max(t.at) AT TIME ZONE 'Asia/Shanghai')::date::text FROM project_transitions t WHERE t.project_id = p.id AND t.action = 'review') AS formed_on
         FROM projects p
        WHERE p.county_id = $1 AND p.state = 'township_reviewed'
          AND NOT EXISTS (SELECT 1 FROM notices n JOIN notice_projects np ON np.notice_id = n.id WHERE np.project_id = p.id AND n.kind = 'library' AND n.state = 'published')
       UNION ALL
       SELECT 'allocation', f.id, f.document_number, f.received_on::text
         FROM fund_allocations f
        WHERE f.county_id = $1
          AND NOT EXISTS (SELECT 1 FROM notices n JOIN notice_allocations na ON na.notice_id = n.id WHERE na.allocation_id = f.id AND n.kind = 'allocation' AND n.state = 'published')
        ORDER BY 1, 2`,
      [actor.county.id],
    );
    const out: PublicityFindingView[] = [];
    for (const f of formed) {
      const dueOn = await this.calendar.addWorkingDays(em, actor.county.id, f.formedOn, days);
      if (dueOn < today) out.push({ rule: 'not_published_in_time', subject: f.subject, id: f.id, name: f.name, formedOn: f.formedOn, dueOn, paid: null });
    }
    return out;
  }

  private async paidBeforeNotice(em: EntityManager, actor: Actor): Promise<PublicityFindingView[]> {
    const spent = (await this.ledger.balancesBy(em, actor.county.id, { kind: 'quota_spent' }, ['projectId'])).filter((b) => b.balance.gt(0));
    await handTodayToDatabase(em, this.clock.today());
    const unpassed = await selectRows(
      em,
      Unpassed,
      `SELECT id, name FROM projects WHERE id = ANY($1::int[]) AND NOT publicity_passed(id, 'plan') ORDER BY id`,
      [spent.map((b) => b.projectId)],
    );
    return unpassed.map((p) => ({
      rule: 'paid_before_notice',
      subject: 'project',
      id: p.id,
      name: p.name,
      formedOn: null,
      dueOn: null,
      paid: formatMoney(spent.find((b) => b.projectId === p.id)!.balance),
    }));
  }
}
