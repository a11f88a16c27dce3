import { addDays } from '../../calendar/domain/working-days';
import { DomainError, ErrorCode } from '../../common/errors';
import type { NoticeKind } from './notice-document';

/** A published notice of one kind naming the project, as the gate weighs it. */
export interface NoticeStanding {
  code: string;
  startsOn: string;
  endsOn: string;
  /** A published notice replaces it: it no longer counts, whatever its state. */
  superseded: boolean;
  /** Objections received in time and not yet answered. */
  openObjections: number;
  upheldObjections: number;
}

/** What the gate reads of an objection. */
export interface ObjectionFacts {
  state: string;
  late: boolean;
  outcome: string | null;
}

/**
 * Which objections hold a notice: one received in time and not yet answered holds it open; an upheld one, late or
 * not, blocks it for good (only a superseding notice can pass). The database's `publicity_passed` says the same.
 */
export function objectionsHolding(objections: readonly ObjectionFacts[]): Pick<NoticeStanding, 'openObjections' | 'upheldObjections'> {
  return {
    openObjections: objections.filter((o) => o.state !== 'answered' && !o.late).length,
    upheldObjections: objections.filter((o) => o.outcome === 'upheld').length,
  };
}

/** The first day a notice's period is over: the day after its last. */
export function dayAfter(date: string): string {
  return addDays(date, 1);
}

function passed(n: NoticeStanding, today: string): boolean {
  return n.endsOn < today && n.openObjections === 0 && n.upheldObjections === 0;
}

/**
 * The publicity gate (公示制, docs/publicity.md): a step waits for a published notice of `kind` naming the project,
 * not superseded, whose period is over with no objection open or upheld. Refused with the code of what holds it,
 * naming the notice and the day the person refused may come back.
 */
export function assertPublicityPassed(kind: NoticeKind, projectId: number, notices: readonly NoticeStanding[], today: string): void {
  const current = notices.filter((n) => !n.superseded);
  if (current.some((n) => passed(n, today))) return;
  const latest = [...current].sort((a, b) => (a.endsOn < b.endsOn ? 1 : a.endsOn > b.endsOn ? -1 : 0))[0];
  if (!latest) {
    throw new DomainError(ErrorCode.PublicityRequired, `Project ${projectId} needs a published ${kind} notice (公示) first`, { kind, projectId });
  }
  const details = { kind, projectId, notice: latest.code, endsOn: latest.endsOn };
  if (latest.upheldObjections > 0) {
    throw new DomainError(
      ErrorCode.ObjectionUpheld,
      `An objection to notice ${latest.code} was upheld: a notice superseding it must be published and pass first`,
      details,
    );
  }
  if (latest.openObjections > 0) {
    throw new DomainError(ErrorCode.ObjectionOpen, `Notice ${latest.code} has ${latest.openObjections} objection(s) not yet answered`, details);
  }
  throw new DomainError(ErrorCode.PublicityRunning, `Notice ${latest.code} is published until ${latest.endsOn}: come back on ${dayAfter(latest.endsOn)}`, {
    ...details,
    passesOn: dayAfter(latest.endsOn),
  });
}

/** The last day of a period of `days` calendar days starting on `startsOn` (both counted). */
export function periodEnd(startsOn: string, days: number): string {
  return addDays(startsOn, days - 1);
}
