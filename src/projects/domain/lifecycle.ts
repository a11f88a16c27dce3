import type { Role } from '../../access/domain/roles';

/** Design §5: a project's states. This issue covers the library; later ones go on from `planned`. */
export const PROJECT_STATES = ['proposed', 'township_reviewed', 'in_library', 'planned', 'rejected'] as const;
export type ProjectState = (typeof PROJECT_STATES)[number];

/** Checks a transition must pass besides its roles; `publicity`: the project's library notice has passed (src/publicity). */
export type Gate = 'publicity';

export interface Transition {
  action: string;
  from: readonly ProjectState[];
  to: ProjectState;
  roles: readonly Role[];
  gates: readonly Gate[];
}

/**
 * The transition table. `planned` is reached only by posting the first budget line (not an action of its own).
 * Validated at start-up by `checkTransitionTable`.
 */
export const TRANSITIONS: readonly Transition[] = [
  { action: 'review', from: ['proposed'], to: 'township_reviewed', roles: ['township_finance'], gates: [] },
  { action: 'enter-library', from: ['township_reviewed'], to: 'in_library', roles: ['line_department'], gates: ['publicity'] },
  { action: 'reject', from: ['proposed', 'township_reviewed'], to: 'rejected', roles: ['township_finance', 'line_department'], gates: [] },
];

/** States a budget line may be allocated to. */
export const FUNDABLE_STATES: readonly ProjectState[] = ['in_library', 'planned'];

export function transitionFor(action: string): Transition | undefined {
  return TRANSITIONS.find((t) => t.action === action);
}

/** Every state named is a state, every action is unique, and every non-terminal state can be left. */
export function checkTransitionTable(table: readonly Transition[] = TRANSITIONS): void {
  const states = new Set<string>(PROJECT_STATES);
  const actions = new Set<string>();
  for (const t of table) {
    if (actions.has(t.action)) throw new Error(`project transition ${t.action} is defined twice`);
    actions.add(t.action);
    for (const s of [...t.from, t.to]) if (!states.has(s)) throw new Error(`project transition ${t.action} names unknown state ${s}`);
    if (t.roles.length === 0) throw new Error(`project transition ${t.action} names no role`);
  }
  for (const s of ['proposed', 'township_reviewed'] as const) {
    if (!table.some((t) => t.from.includes(s))) throw new Error(`project state ${s} cannot be left`);
  }
}
