import { ROLES, ROLE_LEVEL, roleUnitProblem } from './roles';

describe('a role fits its unit', () => {
  it('holds county roles at the county, the township role at a township, the village role at a village', () => {
    expect(roleUnitProblem(['county_finance', 'county_leader', 'line_department', 'inspector', 'auditor'], 'county')).toBeNull();
    expect(roleUnitProblem(['admin', 'auditor'], 'county')).toBeNull();
    expect(roleUnitProblem(['township_finance'], 'township')).toBeNull();
    expect(roleUnitProblem(['village'], 'village')).toBeNull();
  });

  it('refuses every other placement, naming the role', () => {
    expect(roleUnitProblem(['village'], 'county')).toBe('village is held at a village unit, not a county');
    expect(roleUnitProblem(['county_finance'], 'village')).toMatch(/^county_finance/);
    expect(roleUnitProblem(['township_finance', 'line_department'], 'township')).toMatch(/^line_department/);
    for (const role of ROLES) {
      for (const level of ['county', 'township', 'village'] as const) {
        expect(roleUnitProblem([role], level) === null).toBe(ROLE_LEVEL[role] === level);
      }
    }
  });
});
