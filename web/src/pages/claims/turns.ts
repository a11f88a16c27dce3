import { hasRole, type Me, type Role } from '../../auth';
import { MAKER_STEPS_OF_CLAIM, type Claim, type ClaimDetail, type ClaimStepName } from './types';

/** Whose step each next step is (src/claims/domain/claims.ts); `reject` is next when the line review failed. */
const STEP_ROLES: Record<ClaimStepName, readonly Role[]> = {
  draft: ['village'],
  revise: ['village'],
  submit: ['village'],
  withdraw: ['village'],
  township_review: ['township_finance'],
  line_review: ['line_department'],
  approve: ['county_finance'],
  leader_sign: ['county_leader'],
  pay: ['county_finance'],
  reject: ['county_finance'],
};

/** Whether the claim's next step is one of the user's roles. */
export function isMyTurn(me: Me, claim: Claim, step: ClaimStepName): boolean {
  return claim.next === step && hasRole(me, ...STEP_ROLES[step]);
}

/** Whether the user may send the claim back: it waits for a reviewer's step, and that step is the user's. */
export function mayReject(me: Me, claim: Claim): boolean {
  return claim.next !== null && !MAKER_STEPS_OF_CLAIM.includes(claim.next) && hasRole(me, ...STEP_ROLES[claim.next]);
}

/**
 * The step the user already took on the claim's current version, if any: each check is taken by a new hand
 * (不相容崗位分離), so the API refuses another one of theirs with SAME_HAND.
 */
export function stepTakenBy(me: Me, claim: ClaimDetail): ClaimStepName | undefined {
  return claim.history.find((h) => h.version === claim.version && h.actor === me.username && !MAKER_STEPS_OF_CLAIM.includes(h.step))?.step;
}
