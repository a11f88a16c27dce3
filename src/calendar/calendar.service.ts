import { Injectable } from '@nestjs/common';
import { DataSource, EntityManager } from 'typeorm';
import { z } from 'zod';
import { assertNewHand } from '../access/domain/maker-checker';
import { AuditLog } from '../audit/audit-log';
import { Clock } from '../common/clock';
import { Actor } from '../common/context';
import { DEFAULT_PAGE_SIZE } from '../common/pagination';
import { DomainError, ErrorCode, invalidField } from '../common/errors';
import { SqlState, pgErrorOf } from '../database/pg-errors';
import { col, selectOne, selectRows } from '../database/rows';
import { inTransaction } from '../database/unit-of-work';
import {
  CalendarChangeQueryDto,
  CalendarChangeView,
  CalendarView,
  ProposeCalendarChangeDto,
  RejectCalendarChangeDto,
  WorkingDaysQueryDto,
  WorkingDaysView,
} from './calendar.dto';
import { DAY_KINDS, DayChange, addDays, addWorkingDays, calendarOf, dayChangeProblem, dayNumber, exceptionProblem } from './domain/working-days';
import { CHANGE_ACTIONS, CHANGE_STATES } from './entities/calendar-change.entity';

const Day = z.object({ day: col.date, kind: z.enum(DAY_KINDS), name: col.text, changeId: col.id.nullable() });
type Day = z.infer<typeof Day>;
const DAY_COLUMNS = 'day::text AS day, kind, name, change_id';

const Change = z.object({
  id: col.id,
  day: col.date,
  action: z.enum(CHANGE_ACTIONS),
  kind: z.enum(DAY_KINDS).nullable(),
  name: col.text.nullable(),
  reason: col.text,
  state: z.enum(CHANGE_STATES),
  proposedBy: col.id,
  proposedAt: col.timestamp,
  decidedBy: col.id.nullable(),
  decidedAt: col.timestamp.nullable(),
  rejectionReason: col.text.nullable(),
});
type Change = z.infer<typeof Change>;
const CHANGE_COLUMNS = 'id, day::text AS day, action, kind, name, reason, state, proposed_by, proposed_at, decided_by, decided_at, rejection_reason';

const LAST_DATE = '9999-12-31';

/**
 * The county calendar of working days (docs/architecture.md, "County calendar"): the days that depart from the
 * default rule, changed only by a proposal that a different admin approves; each step is an event.
 */
@Injectable()
export class CalendarService {
  constructor(
    private readonly ds: DataSource,
    private readonly audit: AuditLog,
    private readonly clock: Clock,
  ) {}

  /**
   * The `n`-th working day after `date` in the county's calendar, read in the caller's unit of work (see
   * `addWorkingDays` in domain/working-days.ts). Reads only the exceptions of the days it needs: a span that usually
   * holds n working days, doubled until the answer lies inside what was read (days after it cannot move it).
   */
  async addWorkingDays(em: EntityManager, countyId: number, date: string, n: number): Promise<string> {
    for (let span = 2 * n + 31; ; span *= 2) {
      const end = dayNumber(date) + span >= dayNumber(LAST_DATE) ? LAST_DATE : addDays(date, span);
      const exceptions = await selectRows(
        em,
        Day.pick({ day: true, kind: true }),
        `SELECT day::text AS day, kind FROM calendar_days WHERE county_id = $1 AND day > $2::date AND day <= $3::date`,
        [countyId, date, end],
      );
      const answer = addWorkingDays(calendarOf(exceptions), date, n);
      if (answer <= end) return answer;
    }
  }

  /**
   * `addWorkingDays` for many dates at once, by date: one read of the exceptions from the earliest date to a span past
   * the latest (doubled as above), instead of one read per date. The dates may repeat and come in any order.
   */
  async addWorkingDaysToEach(em: EntityManager, countyId: number, dates: readonly string[], n: number): Promise<Map<string, string>> {
    const distinct = [...new Set(dates)].sort();
    const answers = new Map<string, string>();
    if (distinct.length === 0) return answers;
    const [first, last] = [distinct[0], distinct[distinct.length - 1]];
    for (let span = 2 * n + 31; ; span *= 2) {
      const end = dayNumber(last) + span >= dayNumber(LAST_DATE) ? LAST_DATE : addDays(last, span);
      const exceptions = await selectRows(
        em,
        Day.pick({ day: true, kind: true }),
        `SELECT day::text AS day, kind FROM calendar_days WHERE county_id = $1 AND day > $2::date AND day <= $3::date`,
        [countyId, first, end],
      );
      const calendar = calendarOf(exceptions);
      answers.clear();
      for (const date of distinct) answers.set(date, addWorkingDays(calendar, date, n));
      // Each answer is at most the latest date's, which is within what was read when it is not past `end`.
      if (answers.get(last)! <= end) return answers;
    }
  }

  async workingDays(actor: Actor, q: WorkingDaysQueryDto): Promise<WorkingDaysView> {
    try {
      return { from: q.from, days: q.days, date: await this.addWorkingDays(this.ds.manager, actor.county.id, q.from, q.days) };
    } catch (err) {
      if (err instanceof RangeError) throw invalidField('days', `the answer would fall after ${LAST_DATE}`);
      throw err;
    }
  }

  /** The exceptions of one year (default: this year). */
  async year(actor: Actor, year = Number(this.clock.today().slice(0, 4))): Promise<CalendarView> {
    const days = await selectRows(
      this.ds,
      Day,
      `SELECT ${DAY_COLUMNS} FROM calendar_days WHERE county_id = $1 AND day BETWEEN $2::date AND $3::date ORDER BY day`,
      [actor.county.id, `${String(year).padStart(4, '0')}-01-01`, `${String(year).padStart(4, '0')}-12-31`],
    );
    return { year, days };
  }

  async propose(actor: Actor, dto: ProposeCalendarChangeDto): Promise<CalendarChangeView> {
    const change = dayChangeOf(dto);
    const today = this.clock.today();
    if (dto.day < today) throw invalidField('day', `today (${today}) or later: a day already passed stays as it was`);
    if (change.action === 'set') {
      const problem = exceptionProblem(dto.day, change.kind);
      if (problem) throw invalidField('kind', problem);
    }
    try {
      return await inTransaction(this.ds, async (em) => {
        const current = await this.dayOf(em, actor.county.id, dto.day);
        const problem = dayChangeProblem(dto.day, current, change);
        if (problem) throw new DomainError(ErrorCode.InvalidState, problem);
        const pending = await selectOne(
          em,
          Change.pick({ id: true }),
          `SELECT id FROM calendar_changes WHERE county_id = $1 AND day = $2 AND state = 'proposed'`,
          [actor.county.id, dto.day],
        );
        if (pending) throw awaitingDecision(dto.day, pending.id);
        const row = await selectOne(
          em,
          Change,
          `INSERT INTO calendar_changes (county_id, day, action, kind, name, reason, state, proposed_by)
           VALUES ($1, $2, $3, $4, $5, $6, 'proposed', $7) RETURNING ${CHANGE_COLUMNS}`,
          [actor.county.id, dto.day, change.action, dto.kind ?? null, dto.name ?? null, dto.reason, actor.userId],
        );
        const view = viewOf(row!);
        await this.audit.append(em, actor, 'calendar.change.proposed', { ...view, current: current ?? null });
        return view;
      });
    } catch (err) {
      // Another proposal for the day committed between the check and the insert (UQ_calendar_changes_pending).
      if (pgErrorOf(err)?.code === SqlState.uniqueViolation) throw awaitingDecision(dto.day);
      throw err;
    }
  }

  /** A different admin approves: the database writes the day in the same transaction (`calendar_changes_apply`). */
  approve(actor: Actor, id: number): Promise<CalendarChangeView> {
    return this.decide(actor, id, 'approve', async (em, row) => {
      if (row.day < this.clock.today()) {
        throw new DomainError(ErrorCode.InvalidState, `${row.day} has passed: a day already passed stays as it was`);
      }
      const before = await this.dayOf(em, actor.county.id, row.day);
      const problem = dayChangeProblem(row.day, before, changeOfRow(row));
      if (problem) throw new DomainError(ErrorCode.InvalidState, problem);
      const updated = await selectOne(
        em,
        Change,
        `UPDATE calendar_changes SET state = 'approved', decided_by = $2, decided_at = now() WHERE id = $1 RETURNING ${CHANGE_COLUMNS}`,
        [id, actor.userId],
      );
      const view = viewOf(updated!);
      await this.audit.append(em, actor, 'calendar.change.approved', { ...view, before: before ?? null });
      return view;
    });
  }

  reject(actor: Actor, id: number, dto: RejectCalendarChangeDto): Promise<CalendarChangeView> {
    return this.decide(actor, id, 'reject', async (em) => {
      const updated = await selectOne(
        em,
        Change,
        `UPDATE calendar_changes SET state = 'rejected', decided_by = $2, decided_at = now(), rejection_reason = $3 WHERE id = $1 RETURNING ${CHANGE_COLUMNS}`,
        [id, actor.userId, dto.reason],
      );
      const view = viewOf(updated!);
      await this.audit.append(em, actor, 'calendar.change.rejected', { ...view });
      return view;
    });
  }

  async list(actor: Actor, q: CalendarChangeQueryDto): Promise<CalendarChangeView[]> {
    const rows = await selectRows(this.ds, Change, `SELECT ${CHANGE_COLUMNS} FROM calendar_changes WHERE county_id = $1 AND id > $2 ORDER BY id LIMIT $3`, [
      actor.county.id,
      q.afterId ?? 0,
      q.limit ?? DEFAULT_PAGE_SIZE,
    ]);
    return rows.map(viewOf);
  }

  /** One unit of work on the locked change, still proposed, decided by someone who did not propose it. */
  private async decide(
    actor: Actor,
    id: number,
    step: 'approve' | 'reject',
    work: (em: EntityManager, row: Change) => Promise<CalendarChangeView>,
  ): Promise<CalendarChangeView> {
    try {
      return await inTransaction(this.ds, async (em) => {
        const row = await selectOne(em, Change, `SELECT ${CHANGE_COLUMNS} FROM calendar_changes WHERE id = $1 AND county_id = $2 FOR UPDATE`, [
          id,
          actor.county.id,
        ]);
        if (!row) throw new DomainError(ErrorCode.NotFound, `No calendar change ${id}`);
        if (row.state !== 'proposed') throw new DomainError(ErrorCode.InvalidState, `Calendar change ${id} is already ${row.state}`);
        assertNewHand([{ step: 'propose', userId: row.proposedBy }], { step, userId: actor.userId! });
        return work(em, row);
      });
    } catch (err) {
      // The database's own refusal of the same hand (calendar_changes_guard), answered as the service's would be.
      if (pgErrorOf(err)?.code === SqlState.calendarSameHand) {
        throw new DomainError(ErrorCode.SameHand, `The same person cannot ${step} a calendar change they proposed`, { step, earlierStep: 'propose' });
      }
      throw err;
    }
  }

  private async dayOf(em: EntityManager, countyId: number, day: string): Promise<Day | undefined> {
    return selectOne(em, Day, `SELECT ${DAY_COLUMNS} FROM calendar_days WHERE county_id = $1 AND day = $2`, [countyId, day]);
  }
}

/** What the proposal asks: `set` names a kind and a name, `remove` neither. */
function dayChangeOf(dto: ProposeCalendarChangeDto): DayChange {
  if (dto.action === 'set') return { action: 'set', kind: dto.kind!, name: dto.name! };
  const named = (['kind', 'name'] as const).filter((f) => dto[f] !== undefined);
  if (named.length > 0) {
    throw new DomainError(ErrorCode.ValidationFailed, 'A removal names no kind and no name', {
      fields: named.map((field) => ({ field, message: `${field} is only for action set` })),
    });
  }
  return { action: 'remove' };
}

function changeOfRow(row: Change): DayChange {
  return row.action === 'set' ? { action: 'set', kind: row.kind!, name: row.name! } : { action: 'remove' };
}

function awaitingDecision(day: string, changeId?: number): DomainError {
  return new DomainError(ErrorCode.InvalidState, `A change of ${day} already awaits a decision: approve or reject it first`, changeId ? { changeId } : {});
}

function viewOf(row: Change): CalendarChangeView {
  return { ...row, proposedAt: row.proposedAt.toISOString(), decidedAt: row.decidedAt?.toISOString() ?? null };
}
