import { DomainError, ErrorCode } from '../../common/errors';
import { assertNewHand, isNewHand } from './maker-checker';

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

  it('answers without throwing whether a person may take the next step, as assertNewHand decides', () => {
    const chain = [
      { step: 'draft', userId: 1 },
      { step: 'review', userId: 2 },
    ];
    expect([1, 2, 3].map((userId) => isNewHand(chain, userId))).toEqual([false, false, true]);
    expect(isNewHand([], 1)).toBe(true);
  });
});
