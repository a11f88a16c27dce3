import { policyInForce, policyValueProblem, policyWarning } from './policy';

describe('policy parameters', () => {
  it('are the defaults of the design when nothing was changed', () => {
    const p = policyInForce([], '2026-01-01');
    expect(p.retention_rate).toEqual({ value: '0.15', effectiveFrom: null, changeId: null });
    expect(p.publicity_min_days.value).toBe('10');
    expect(p.idle_fund_red_days.value).toBe('365');
    expect(p.idle_fund_long_days.value).toBe('730');
    expect(p.spending_schedule.value).toBe('');
    expect(p.management_fee_cap.value).toBe('0.01');
  });

  it('take the latest approved change effective by the date', () => {
    const changes = [
      { id: 1, key: 'retention_rate', value: '0.10', effectiveFrom: '2026-01-01' },
      { id: 2, key: 'retention_rate', value: '0.03', effectiveFrom: '2026-07-01' },
    ];
    expect(policyInForce(changes, '2025-12-31').retention_rate.value).toBe('0.15');
    expect(policyInForce(changes, '2026-06-30').retention_rate.value).toBe('0.10');
    expect(policyInForce(changes, '2026-07-01').retention_rate).toEqual({ value: '0.03', effectiveFrom: '2026-07-01', changeId: 2 });
  });

  it.each([
    ['retention_rate', '1.01'],
    ['retention_rate', '-0.1'],
    ['retention_rate', '0.15%'],
    ['publicity_min_days', '0'],
    ['publicity_min_days', '2.5'],
    ['leader_signoff_threshold', '0'],
    ['no_such_policy', '1'],
  ])('refuse %s = %s', (key, value) => expect(policyValueProblem(key, value)).not.toBeNull());

  it('accepts a retention above 3% with a warning', () => {
    expect(policyValueProblem('retention_rate', '0.15')).toBeNull();
    expect(policyWarning('retention_rate', '0.15')).toMatch(/3%/);
    expect(policyWarning('retention_rate', '0.03')).toBeNull();
  });
});
