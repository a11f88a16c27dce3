import { z } from 'zod';
import { isNewHand } from '../../access/domain/maker-checker';
import { scopePrefix } from '../../access/scope';
import { formatMoney, money } from '../../common/money';
import { CLAIM_HANDS_SQL, ClaimHands, FINANCE_APPROVAL_SQL } from '../../claims/claim-loader';
import { CLAIM_STATES, ClaimStepName, MAKER_STEPS, claimTransition, nextStep, rolesOfSteps } from '../../claims/domain/claims';
import { col, selectRows } from '../../database/rows';
import { TaskKind, waitingOf } from '../task-kind';
import { TaskKindName } from '../tasks.views';

/** A claim in a state some step leaves, with what decides the step it waits for and who already had a hand in it. */
const WaitingClaim = z.object({
  id: col.id,
  state: z.enum(CLAIM_STATES),
  lineResult: z.enum(['pass', 'fail']).nullable(),
  financeApproval: z.enum(['leader', 'alone']).nullable(),
  amount: col.money,
  projectName: col.text,
  villageName: col.text,
  townshipName: col.text.nullable(),
  hands: ClaimHands,
  since: col.timestamp,
});

/**
 * Claims waiting for one of `steps`: the claim's next step (`nextStep`, as its view shows it) is one of them, and the
 * person may take it (the maker's steps are the village's own; any other needs a new hand in the version, as
 * `ClaimsService` asks of `assertNewHand`). In the person's scope; read through `IDX_claims_county_state`, then
 * waiting since its last step.
 */
function claimStep(kind: TaskKindName, steps: readonly ClaimStepName[], route: string): TaskKind {
  const states = [...new Set(steps.flatMap((s) => claimTransition(s).from))];
  return {
    kind,
    roles: rolesOfSteps(...steps),
    route,
    async waiting({ db, actor }) {
      const rows = await selectRows(
        db,
        WaitingClaim,
        `SELECT k.id, k.state, k.line_result, ${FINANCE_APPROVAL_SQL} AS finance_approval, k.amount, p.name AS project_name,
                v.name AS village_name, t.name AS township_name, ${CLAIM_HANDS_SQL} AS hands,
                coalesce((SELECT max(s.at) FROM claim_steps s WHERE s.claim_id = k.id), k.created_at) AS since
           FROM claims k JOIN projects p ON p.id = k.project_id JOIN org_units v ON v.id = p.village_id LEFT JOIN org_units t ON t.id = v.parent_id
          WHERE k.county_id = $1 AND k.state = ANY($2::text[]) AND v.path LIKE $3 || '%'
          ORDER BY since, k.id`,
        [actor.county.id, states, scopePrefix(actor)],
      );
      const mine = rows.filter((r) => {
        const step = nextStep(r);
        return step !== null && steps.includes(step) && (MAKER_STEPS.includes(step) || isNewHand(r.hands, actor.userId));
      });
      return waitingOf(
        mine.map((r) => ({
          kind,
          id: String(r.id),
          title: `${r.projectName} 報帳 ${formatMoney(money(r.amount))} 元${r.state === 'rejected' ? '（已退回）' : ''}`,
          amount: formatMoney(money(r.amount)),
          since: r.since.toISOString(),
          detail: [r.townshipName, r.villageName].filter((x) => x !== null).join(' '),
          parentId: null,
        })),
      );
    },
  };
}

export const claimTownshipReview = claimStep('claim_township_review', ['township_review'], 'POST /api/v1/claims/:id/township-review');
export const claimLineReview = claimStep('claim_line_review', ['line_review'], 'POST /api/v1/claims/:id/line-review');
/** County finance's approval: a line review passed and finance has not approved yet (after it, a leader's signature may wait). */
export const claimApproval = claimStep('claim_approval', ['approve'], 'POST /api/v1/claims/:id/approve');
/** Finance approved and left it to a leader (`awaitsLeader`). */
export const claimLeaderSign = claimStep('claim_leader_sign', ['leader_sign'], 'POST /api/v1/claims/:id/approve');
/** Approved claims, for a county_finance user who took no step of the version (so never its approver). */
export const claimPayment = claimStep('claim_payment', ['pay'], 'POST /api/v1/claims/:id/pay');
/** The village's drafts to submit and rejected claims to correct. */
export const claimRework = claimStep('claim_rework', ['submit', 'revise'], 'POST /api/v1/claims/:id/submit');
