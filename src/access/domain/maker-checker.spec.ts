import { DomainError, ErrorCode } from '../../common/errors';
import { assertNewHand } from './maker-checker';

describe('maker-checker', () => {
  it('lets a different person take the next step', () => {
    expect(() => assertNewHand([{ step: 'draft', userId: 1 }], { step: 'approve', userId: 2 })).not.toThrow();
  });

  it('refuses the drafter approving, and anyone taking a second step of the chain', () => {
    expect(() => assertNewHand([{ step: 'draft', userId: 1 }], { step: 'approve', userId: 1 })).toThrow(DomainError);
    try {
      assertNewHand(
        [
          { step: 'submit', userId: 1 },
          { step: 'review', userId: 2 },
        ],
        { step: 'approve', userId: 2 },
      );
      throw new Error('not refused');
    } catch (err) {
      expect(err).toMatchObject({ code: ErrorCode.SameHand, details: { step: 'approve', earlierStep: 'review' } });
    }
  });
});
