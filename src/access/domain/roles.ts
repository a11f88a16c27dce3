/** The roles of design §1. A user holds one or more. */
export const ROLES = ['admin', 'county_finance', 'county_leader', 'line_department', 'township_finance', 'village', 'inspector', 'auditor'] as const;
export type Role = (typeof ROLES)[number];

/** Roles that see the whole county whatever their org unit (design §3). */
export const COUNTY_WIDE_ROLES: readonly Role[] = ['admin', 'county_finance', 'county_leader', 'line_department', 'inspector', 'auditor'];

export const ORG_LEVELS = ['county', 'township', 'village'] as const;
export type OrgLevel = (typeof ORG_LEVELS)[number];

/** The level a child of each level has: county → township → village. */
export const CHILD_LEVEL: Record<OrgLevel, OrgLevel | null> = { county: 'township', township: 'village', village: null };

/**
 * The level of org unit each role is held at (design §1): the county bureaus, the leader, the joint inspection
 * group, the audit bureau and the admin sit at the county; the township finance office at a township; the village
 * at a village. A role held elsewhere would widen or narrow its scope by accident (a village user at the county
 * would see every village).
 */
export const ROLE_LEVEL: Record<Role, OrgLevel> = {
  admin: 'county',
  county_finance: 'county',
  county_leader: 'county',
  line_department: 'county',
  inspector: 'county',
  auditor: 'county',
  township_finance: 'township',
  village: 'village',
};

/** Every role must be one held at the unit's level. Answers the problem, or null. */
export function roleUnitProblem(roles: readonly Role[], level: OrgLevel): string | null {
  const misplaced = roles.filter((r) => ROLE_LEVEL[r] !== level);
  if (misplaced.length === 0) return null;
  return misplaced.map((r) => `${r} is held at a ${ROLE_LEVEL[r]} unit, not a ${level}`).join('; ');
}

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
