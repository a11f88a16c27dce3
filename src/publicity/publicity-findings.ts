import Decimal from 'decimal.js';
import { EntityManager } from 'typeorm';
import { z } from 'zod';
import { CalendarService } from '../calendar/calendar.service';
import { col, selectRows } from '../database/rows';
import { LedgerReadingService } from '../ledger/ledger-reading.service';
import { handTodayToDatabase } from './publicity-gates';

/**
 * The two publicity rules (docs/publicity.md), read in one place for both who ask: the findings route
 * (`PublicityWatch`) and the monitoring detectors (M16, M17). Each reads in the caller's unit of work.
 */

const Formed = z.object({
  subject: z.enum(['project', 'allocation']),
  id: col.id,
  name: col.text,
  formedOn: col.date,
  villageId: col.id.nullable(),
  amount: col.money,
});

/** Information formed and not published within the due working days. */
export interface NotPublishedInTime {
  subject: 'project' | 'allocation';
  id: number;
  /** A project's name, an allocation's document number. */
  name: string;
  /** The township's review of a project, the receipt of an allocation. */
  formedOn: string;
  /** The last working day it should have been published by. */
  dueOn: string;
  /** The project's village; null for an allocation (published by the county). */
  villageId: number | null;
  /** A project's fund scale, an allocation's amount received. */
  amount: string;
}

/**
 * A project reviewed by its township with no published library notice, an allocation received with no published
 * allocation notice, whose `dueWorkingDays`-th working day after being formed is before `today`. In order: allocations,
 * then projects, each by id.
 */
export async function notPublishedInTime(
  em: EntityManager,
  countyId: number,
  today: string,
  dueWorkingDays: number,
  calendar: CalendarService,
): Promise<NotPublishedInTime[]> {
  const formed = await selectRows(
    em,
    Formed,
    `SELECT 'project' AS subject, p.id, p.name, p.village_id, p.fund_scale AS amount,
            (SELECT (max(t.at) AT TIME ZONE 'Asia/Shanghai')::date::text FROM project_transitions t WHERE t.project_id = p.id AND t.action = 'review') AS formed_on
       FROM projects p
      WHERE p.county_id = $1 AND p.state = 'township_reviewed'
        AND NOT EXISTS (SELECT 1 FROM notices n JOIN notice_projects np ON np.notice_id = n.id WHERE np.project_id = p.id AND n.kind = 'library' AND n.state = 'published')
     UNION ALL
     SELECT 'allocation', f.id, f.document_number, NULL, f.amount, f.received_on::text
       FROM fund_allocations f
      WHERE f.county_id = $1
        AND NOT EXISTS (SELECT 1 FROM notices n JOIN notice_allocations na ON na.notice_id = n.id WHERE na.allocation_id = f.id AND n.kind = 'allocation' AND n.state = 'published')
      ORDER BY 1, 2`,
    [countyId],
  );
  // One read of the calendar for every subject, not one per subject.
  const due = await calendar.addWorkingDaysToEach(
    em,
    countyId,
    formed.map((f) => f.formedOn),
    dueWorkingDays,
  );
  return formed.flatMap((f) => {
    const dueOn = due.get(f.formedOn)!;
    return dueOn < today ? [{ ...f, dueOn }] : [];
  });
}

const Unpassed = z.object({
  id: col.id,
  name: col.text,
  villageId: col.id,
  noticeId: col.id.nullable(),
  noticeCode: col.text.nullable(),
  noticeEndsOn: col.date.nullable(),
});

/** Money paid on a project whose plan notice has not passed. */
export interface PaidBeforeNotice {
  id: number;
  name: string;
  villageId: number;
  /** What was paid on the project (its spent quota), from every allocation. */
  paid: Decimal;
  /** The project's current plan notice (published, not superseded), if any: what is holding it, to look at. */
  notice: { id: number; code: string; endsOn: string } | null;
}

/**
 * Projects with money spent whose plan notice has not passed today (`publicity_passed`, the database's own reading
 * of the gate that signing a contract passes). By project id.
 */
export async function paidBeforeNotice(em: EntityManager, countyId: number, today: string, ledger: LedgerReadingService): Promise<PaidBeforeNotice[]> {
  const spent = new Map(
    (await ledger.balancesBy(em, countyId, { kind: 'quota_spent' }, ['projectId'])).filter((b) => b.balance.gt(0)).map((b) => [b.projectId!, b.balance]),
  );
  if (spent.size === 0) return [];
  // publicity_passed reads today from the transaction: the caller's unit of work.
  await handTodayToDatabase(em, today);
  const unpassed = await selectRows(
    em,
    Unpassed,
    `SELECT p.id, p.name, p.village_id, cur.id AS notice_id, cur.code AS notice_code, cur.ends_on::text AS notice_ends_on
       FROM projects p
       LEFT JOIN LATERAL (
         SELECT n.id, n.code, n.ends_on FROM notices n JOIN notice_projects np ON np.notice_id = n.id
          WHERE np.project_id = p.id AND n.kind = 'plan' AND n.state = 'published'
            AND NOT EXISTS (SELECT 1 FROM notices s WHERE s.supersedes_id = n.id AND s.state = 'published')
          ORDER BY n.id DESC LIMIT 1) cur ON true
      WHERE p.county_id = $1 AND p.id = ANY($2::int[]) AND NOT publicity_passed(p.id, 'plan')
      ORDER BY p.id`,
    [countyId, [...spent.keys()]],
  );
  return unpassed.map((p) => ({
    id: p.id,
    name: p.name,
    villageId: p.villageId,
    paid: spent.get(p.id)!,
    notice: p.noticeId === null ? null : { id: p.noticeId, code: p.noticeCode!, endsOn: p.noticeEndsOn! },
  }));
}
