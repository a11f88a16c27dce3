import { isNewHand } from '../../access/domain/maker-checker';
import { draftVouchers } from '../../vouchers/voucher-rows';
import { TaskKind, waitingOf } from '../task-kind';

/** Drafts a county_finance user may approve: any of the county's but their own (`assertNewHand` in `VoucherService.approve`). */
export const voucherApproval: TaskKind = {
  kind: 'voucher_approval',
  roles: ['county_finance'],
  route: 'POST /api/v1/ledger/transactions/:id/approve',
  async waiting({ db, actor }) {
    const drafts = await draftVouchers(db, actor.county.id);
    return waitingOf(
      drafts
        .filter((v) => isNewHand([{ step: 'draft', userId: v.draftedBy }], actor.userId))
        .map((v) => ({
          kind: 'voucher_approval',
          id: v.id,
          title: v.kind === 'reversal' ? `紅字沖銷：${v.memo ?? ''}` : (v.memo ?? '記帳憑證'),
          amount: v.amount,
          since: v.draftedAt,
          detail: [v.draftedByName, v.effectiveDate].filter((x) => x !== null).join(' · ') || null,
          parentId: null,
        })),
    );
  },
};
