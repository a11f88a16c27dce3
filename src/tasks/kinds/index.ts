import { TaskKind } from '../task-kind';
import { openAlerts } from './alerts';
import { budgetLineSignature } from './budget-line-signature';
import { calendarApproval } from './calendar-approval';
import { claimApproval, claimLeaderSign, claimLineReview, claimPayment, claimRework, claimTownshipReview } from './claim-steps';
import { noticeApproval } from './notice-approval';
import { policyApproval } from './policy-approval';
import { retentionApproval } from './retention-approval';
import { voucherApproval } from './voucher-approval';

/** Every kind, in the order of `TASK_KINDS` (`TasksService` checks it at start-up). */
export const TASK_KIND_LIST: readonly TaskKind[] = [
  voucherApproval,
  claimTownshipReview,
  claimLineReview,
  claimApproval,
  claimLeaderSign,
  claimPayment,
  claimRework,
  budgetLineSignature,
  retentionApproval,
  policyApproval,
  calendarApproval,
  noticeApproval,
  openAlerts,
];
