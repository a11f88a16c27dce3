import { stageProblem } from './schedule';

describe('stageProblem', () => {
  it('asks for a stage of the schedule, and for none without one', () => {
    expect([stageProblem(0, undefined), stageProblem(0, 1), stageProblem(3, undefined), stageProblem(3, 4), stageProblem(3, 3), stageProblem(3, 1)]).toEqual([
      null,
      'the contract has no schedule',
      'required, a stage of the schedule (1-3)',
      'required, a stage of the schedule (1-3)',
      null,
      null,
    ]);
  });
});
