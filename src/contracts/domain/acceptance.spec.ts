import { acceptanceOutcome, requiredDepartments } from './acceptance';

describe('acceptance', () => {
  it('needs transport only for roads and work-for-relief', () => {
    expect(requiredDepartments('industry')).toEqual(['finance', 'audit', 'line']);
    expect(requiredDepartments('infrastructure')).toEqual(['finance', 'audit', 'line', 'transport']);
  });

  it('fails on any fail, passes when every required department passed, else stays open', () => {
    const required = ['finance', 'audit', 'line'];
    expect(acceptanceOutcome(required, [{ department: 'finance', result: 'pass' }])).toBe('open');
    expect(
      acceptanceOutcome(required, [
        { department: 'finance', result: 'pass' },
        { department: 'audit', result: 'fail' },
      ]),
    ).toBe('failed');
    expect(
      acceptanceOutcome(
        required,
        required.map((department) => ({ department, result: 'pass' })),
      ),
    ).toBe('passed');
  });
});
