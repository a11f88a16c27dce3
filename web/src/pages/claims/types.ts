import type { Schema } from '../../api/client';

export type ClaimState = Schema<'ClaimView'>['state'];
export type ClaimStepName = Schema<'ClaimStepView'>['step'];
export type DocumentKind = Schema<'AttachmentView'>['kind'];
export type ExpenseCategory = NonNullable<Schema<'ExpenseLineDto'>['category']>;
export type ProjectState = Schema<'ProjectView'>['state'];
export type ProjectCategory = Schema<'ProjectView'>['category'];

/**
 * The nullable fields the API declares without a type (the generator makes them `Record<string, never>`), typed as
 * the service writes them (src/claims/claims.dto.ts).
 */
interface ClaimFields {
  stage: number | null;
  acceptanceId: number | null;
  townshipSignedOn: string | null;
  holdTransactionId: string | null;
  paymentId: number | null;
  next: ClaimStepName | null;
}

export type Claim = Omit<Schema<'ClaimView'>, keyof ClaimFields> & ClaimFields;

export type ClaimStep = Omit<Schema<'ClaimStepView'>, 'result' | 'note'> & { result: string | null; note: string | null };

export type ClaimDetail = Omit<Schema<'ClaimDetailView'>, keyof ClaimFields | 'history'> & ClaimFields & { history: ClaimStep[] };

export const asClaim = (view: Schema<'ClaimView'>): Claim => view as unknown as Claim;
export const asClaimDetail = (view: Schema<'ClaimDetailView'>): ClaimDetail => view as unknown as ClaimDetail;

/** A budget line's signer, declared without a type as well. */
export type BudgetLine = Omit<Schema<'BudgetLineView'>, 'signedBy'> & { signedBy: number | null };

/** The village's own steps on its claim; every other step is a check by someone else. */
export const MAKER_STEPS_OF_CLAIM: readonly ClaimStepName[] = ['draft', 'revise', 'submit', 'withdraw'];
