import { DomainError, ErrorCode } from '../../common/errors';

/** One step already taken in an approval chain, and who took it. */
export interface ChainStep {
  step: string;
  userId: number;
}

/**
 * Maker-checker (design §3): the same person never takes two steps of one approval chain, so never approves
 * their own submission. Every workflow (vouchers, and later claims, allocations, acceptance) asks here.
 */
export function assertNewHand(chain: readonly ChainStep[], next: ChainStep): void {
  const earlier = earlierStepOf(chain, next.userId);
  if (earlier) {
    throw new DomainError(ErrorCode.SameHand, `The same person cannot ${next.step} after having taken the step "${earlier.step}"`, {
      step: next.step,
      earlierStep: earlier.step,
    });
  }
}

/** The step `userId` already took in the chain, if any: what `assertNewHand` refuses them for. */
function earlierStepOf(chain: readonly ChainStep[], userId: number): ChainStep | undefined {
  return chain.find((s) => s.userId === userId);
}

/** Whether `userId` may take the next step of the chain: the question `assertNewHand` answers, without throwing (lists of what waits). */
export function isNewHand(chain: readonly ChainStep[], userId: number): boolean {
  return earlierStepOf(chain, userId) === undefined;
}
