/** The roles of design §1. A user holds one or more. */
export const ROLES = [
  'admin',
  'county_finance',
  'county_leader',
  'line_department',
  'township_finance',
  'village',
  'inspector',
  'auditor',
] as const;
export type Role = (typeof ROLES)[number];

/** Roles that see the whole county whatever their org unit (design §3). */
export const COUNTY_WIDE_ROLES: readonly Role[] = ['admin', 'county_finance', 'county_leader', 'line_department', 'inspector', 'auditor'];

export const ORG_LEVELS = ['county', 'township', 'village'] as const;
export type OrgLevel = (typeof ORG_LEVELS)[number];

/** The level a child of each level has: county → township → village. */
export const CHILD_LEVEL: Record<OrgLevel, OrgLevel | null> = { county: 'township', township: 'village', village: null };

/**
 * Separation of duties: whoever manages people holds no role that moves or approves money; an admin may also be
 * an auditor. Answers the problem, or null.
 */
export function roleSetProblem(roles: readonly Role[]): string | null {
  if (new Set(roles).size !== roles.length) return 'roles must not repeat';
  if (roles.includes('admin') && roles.some((r) => r !== 'admin' && r !== 'auditor')) {
    return 'admin may be combined only with auditor';
  }
  return null;
}
