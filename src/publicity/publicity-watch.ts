import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { CalendarService } from '../calendar/calendar.service';
import { Clock } from '../common/clock';
import { Actor } from '../common/context';
import { formatMoney } from '../common/money';
import { LedgerReadingService } from '../ledger/ledger-reading.service';
import { PoliciesService } from '../policies/policies.service';
import { PublicityFindingView } from './notices.dto';
import { notPublishedInTime, paidBeforeNotice } from './publicity-findings';

/**
 * The two publicity findings the monitoring system turns into alerts (docs/publicity.md): information formed but not
 * published within `publicity_due_working_days` working days of the county calendar (a project reviewed by its
 * township with no library notice, an allocation received with no allocation notice), and money paid on a project
 * whose plan notice has not passed. The rules are read in publicity-findings.ts, which the detectors M16 and M17 read
 * too; this shows them on the findings route.
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
    return this.ds.transaction('REPEATABLE READ', async (em) => {
      const today = this.clock.today();
      const countyId = actor.county.id;
      const days = Number((await this.policies.inForce(em, actor, today)).values.publicity_due_working_days.value);
      const unpublished = await notPublishedInTime(em, countyId, today, days, this.calendar);
      const paid = await paidBeforeNotice(em, countyId, today, this.ledger);
      return [
        ...unpublished.map((f): PublicityFindingView => ({
          rule: 'not_published_in_time',
          subject: f.subject,
          id: f.id,
          name: f.name,
          formedOn: f.formedOn,
          dueOn: f.dueOn,
          paid: null,
        })),
        ...paid.map((p): PublicityFindingView => ({
          rule: 'paid_before_notice',
          subject: 'project',
          id: p.id,
          name: p.name,
          formedOn: null,
          dueOn: null,
          paid: formatMoney(p.paid),
        })),
      ];
    });
  }
}
