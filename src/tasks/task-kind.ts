import type { Role } from '../access/domain/roles';
import { Actor } from '../common/context';
import { Queryable } from '../database/rows';
import { TaskKindName, TaskView } from './tasks.views';

/** A group shows this many of what waits; `count` says how many there are. */
export const TASK_ITEMS = 20;

/** What one kind's read is given: the database, the signed-in person, and today (for steps refused once a date has passed). */
export interface TaskContext {
  db: Queryable;
  actor: Actor & { userId: number };
  today: string;
}

export interface Waiting {
  count: number;
  items: TaskView[];
}

/**
 * One kind of work that waits: who takes the step (the roles of the route that takes it, `route`, as the permission
 * matrix names it), and what waits for this person: in their scope, in the state the step leaves, and not refused them
 * by maker-checker. One query each.
 */
export interface TaskKind {
  kind: TaskKindName;
  roles: readonly Role[];
  route: string;
  waiting(ctx: TaskContext): Promise<Waiting>;
}

/** Every item of a kind, longest waiting first, as a group: the count of all and the first `TASK_ITEMS`. */
export function waitingOf(items: readonly TaskView[]): Waiting {
  return { count: items.length, items: items.slice(0, TASK_ITEMS) };
}
