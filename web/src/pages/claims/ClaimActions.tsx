import { Alert } from 'antd';
import { hasRole, useMe } from '../../auth';
import { STEP_LABELS } from './labels';
import { ApproveForm, LeaderSignForm, LineReviewForm, PayForm, RejectForm, TownshipReviewForm } from './ReviewForms';
import { isMyTurn, mayReject, stepTakenBy } from './turns';
import type { ClaimDetail, DocumentKind } from './types';
import { VillageActions } from './VillageActions';

/** The steps the signed-in user may take on the claim now: those of their roles that the claim's next step allows. */
export function ClaimActions({ claim, missing, onDone }: { claim: ClaimDetail; missing: DocumentKind[]; onDone: () => Promise<void> }) {
  const me = useMe();
  const props = { claim, onDone };
  const village = hasRole(me, 'village') && (claim.state === 'draft' || claim.state === 'rejected');
  const reviewer = mayReject(me, claim);
  const taken = reviewer ? stepTakenBy(me, claim) : undefined;

  if (!village && !reviewer) return null;
  return (
    <section aria-label="辦理">
      {village && <VillageActions claim={claim} missing={missing} onDone={onDone} />}
      {taken && (
        <Alert
          type="warning"
          showIcon
          style={{ marginBottom: 16 }}
          title={`您已經辦本報帳的「${STEP_LABELS[taken]}」：下一步須由另一位同事辦理（不相容崗位分離），系統會拒絕您辦理`}
        />
      )}
      {reviewer && (
        <>
          {isMyTurn(me, claim, 'township_review') && <TownshipReviewForm {...props} />}
          {isMyTurn(me, claim, 'line_review') && <LineReviewForm {...props} />}
          {isMyTurn(me, claim, 'approve') && <ApproveForm {...props} />}
          {isMyTurn(me, claim, 'leader_sign') && <LeaderSignForm {...props} />}
          {isMyTurn(me, claim, 'pay') && <PayForm {...props} />}
          <RejectForm {...props} />
        </>
      )}
    </section>
  );
}
