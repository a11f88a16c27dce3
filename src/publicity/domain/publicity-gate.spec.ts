import { DomainError } from '../../common/errors';
import { NoticeStanding, assertPublicityPassed, dayAfter, periodEnd } from './publicity-gate';

const notice = (over: Partial<NoticeStanding> = {}): NoticeStanding => ({
  code: '421124-2026-0001',
  startsOn: '2026-12-01',
  endsOn: '2026-12-10',
  superseded: false,
  openObjections: 0,
  upheldObjections: 0,
  ...over,
});

function refusal(notices: NoticeStanding[], today: string): { code: string; details: Record<string, unknown> } | null {
  try {
    assertPublicityPassed('library', 7, notices, today);
    return null;
  } catch (err) {
    if (!(err instanceof DomainError)) throw err;
    return { code: err.code, details: err.details };
  }
}

describe('the publicity gate', () => {
  it('counts the period in calendar days, both ends included, and opens the day after the last', () => {
    expect(periodEnd('2026-12-01', 10)).toBe('2026-12-10');
    expect(periodEnd('2026-12-25', 10)).toBe('2027-01-03');
    expect(periodEnd('2028-02-25', 5)).toBe('2028-02-29');
    expect(dayAfter('2026-12-31')).toBe('2027-01-01');
    expect(refusal([notice()], '2026-12-10')).toMatchObject({ code: 'PUBLICITY_RUNNING', details: { endsOn: '2026-12-10', passesOn: '2026-12-11' } });
    expect(refusal([notice()], '2026-12-11')).toBeNull();
  });

  it('names what holds it: no notice, an open objection, an upheld one', () => {
    expect(refusal([], '2027-01-01')).toMatchObject({ code: 'PUBLICITY_REQUIRED', details: { kind: 'library', projectId: 7 } });
    expect(refusal([notice({ openObjections: 1 })], '2027-01-01')?.code).toBe('OBJECTION_OPEN');
    expect(refusal([notice({ openObjections: 1, upheldObjections: 1 })], '2027-01-01')?.code).toBe('OBJECTION_UPHELD');
  });

  it('lets a superseding notice that passed open it, and never a superseded one', () => {
    const old = notice({ superseded: true });
    expect(refusal([old], '2027-01-01')?.code).toBe('PUBLICITY_REQUIRED');
    const upheld = notice({ upheldObjections: 1, superseded: true });
    const next = notice({ code: '421124-2026-0002', startsOn: '2026-12-20', endsOn: '2026-12-29' });
    expect(refusal([upheld, next], '2026-12-25')).toMatchObject({ code: 'PUBLICITY_RUNNING', details: { notice: '421124-2026-0002' } });
    expect(refusal([upheld, next], '2026-12-30')).toBeNull();
  });
});
