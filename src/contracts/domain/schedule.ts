/**
 * What is wrong with the stage a payment or claim names, given how many stages the contract's schedule has, or null:
 * with a schedule a stage of it is required; without one, none may be named.
 */
export function stageProblem(stages: number, stage: number | undefined): string | null {
  if (stages === 0) return stage === undefined ? null : 'the contract has no schedule';
  return stage !== undefined && stage >= 1 && stage <= stages ? null : `required, a stage of the schedule (1-${stages})`;
}
