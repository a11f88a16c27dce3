import { Finding } from './detector';
import { LiveAlert, alertActionProblem, reconcilePlan } from './alert-lifecycle';

const finding = (subjectId: string, severity: Finding['severity'], evidence: Record<string, unknown> = {}): Finding => ({
  subjectType: 'claim',
  subjectId,
  severity,
  unitId: null,
  summary: `claim ${subjectId}`,
  evidence,
});
const alert = (id: number, subjectId: string, severity: Finding['severity'], evidence: Record<string, unknown> = {}): LiveAlert => ({
  id,
  subjectType: 'claim',
  subjectId,
  severity,
  summary: `claim ${subjectId}`,
  evidence,
});

describe('reconciling a run with the alerts', () => {
  it('opens new subjects, keeps known ones, raises worse ones and closes the ones no longer found', () => {
    const plan = reconcilePlan(
      [alert(1, '7', 'yellow'), alert(2, '8', 'yellow', { days: 31 }), alert(3, '9', 'red')],
      [finding('7', 'red'), finding('8', 'yellow', { days: 32 }), finding('10', 'blue')],
      [],
    );
    expect(plan.open.map((f) => f.subjectId)).toEqual(['10']);
    expect(plan.seen.map((s) => [s.alert.id, s.raise, s.changed])).toEqual([
      [1, true, true],
      [2, false, true],
    ]);
    expect(plan.close.map((a) => a.id)).toEqual([3]);
  });

  it('never lowers an open alert: a milder finding keeps the alert as it is', () => {
    const plan = reconcilePlan([alert(1, '7', 'red')], [finding('7', 'yellow')], []);
    expect(plan.seen[0]).toMatchObject({ raise: false });
    expect(plan.open).toEqual([]);
  });

  it('leaves a subject a person closed alone until the finding is worse', () => {
    const closed = [{ subjectType: 'claim', subjectId: '7', severity: 'yellow' as const, findingKey: '' }];
    expect(reconcilePlan([], [finding('7', 'yellow')], closed).open).toEqual([]);
    expect(reconcilePlan([], [finding('7', 'red')], closed).open.map((f) => f.severity)).toEqual(['red']);
  });

  it('opens again when what the closing answered for changed, at any severity', () => {
    const closed = [{ subjectType: 'claim', subjectId: '7', severity: 'red' as const, findingKey: 'K1,K2' }];
    expect(reconcilePlan([], [{ ...finding('7', 'red'), key: 'K1,K2' }], closed).open).toEqual([]);
    expect(reconcilePlan([], [{ ...finding('7', 'red'), key: 'K1,K2,K3' }], closed).open.map((f) => f.key)).toEqual(['K1,K2,K3']);
  });

  it('refuses a detector that finds one subject twice', () => {
    expect(() => reconcilePlan([], [finding('7', 'red'), finding('7', 'yellow')], [])).toThrow('twice');
  });
});

describe('alert transitions', () => {
  it('close only an explained alert, and escalate only what is not already red and open', () => {
    expect(alertActionProblem('close', { state: 'acknowledged', severity: 'yellow' })).toMatch(/must be explained/);
    expect(alertActionProblem('close', { state: 'explained', severity: 'yellow' })).toBeNull();
    expect(alertActionProblem('escalate', { state: 'open', severity: 'red' })).toMatch(/already red/);
    expect(alertActionProblem('escalate', { state: 'explained', severity: 'red' })).toBeNull();
    expect(alertActionProblem('acknowledge', { state: 'closed', severity: 'red' })).toMatch(/closed/);
  });
});
