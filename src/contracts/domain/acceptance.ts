import type { Role } from '../../access/domain/roles';

/** Departments that sign an acceptance, and the role a person must hold to sign for each. */
export const DEPARTMENT_ROLE = {
  finance: 'county_finance',
  line: 'line_department',
  audit: 'inspector',
  transport: 'inspector',
} as const satisfies Record<string, Role>;
export type Department = keyof typeof DEPARTMENT_ROLE;
export const DEPARTMENTS = Object.keys(DEPARTMENT_ROLE) as Department[];

/** Who must sign pass for a project's category: finance, audit and the line department; transport for roads. */
export function requiredDepartments(category: string): Department[] {
  const base: Department[] = ['finance', 'audit', 'line'];
  return ['infrastructure', 'work_for_relief'].includes(category) ? [...base, 'transport'] : base;
}

/** The result once sign-offs are in: any fail fails it; all required passes pass it; else it stays open. */
export function acceptanceOutcome(required: readonly string[], signoffs: readonly { department: string; result: string }[]): 'open' | 'passed' | 'failed' {
  if (signoffs.some((s) => s.result === 'fail')) return 'failed';
  return required.every((d) => signoffs.some((s) => s.department === d && s.result === 'pass')) ? 'passed' : 'open';
}
