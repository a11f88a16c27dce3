import { Injectable } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import { DataSource, EntityManager } from 'typeorm';
import { assertNewHand } from '../access/domain/maker-checker';
import { AuditLog } from '../audit/audit-log';
import { Actor } from '../common/context';
import { DomainError, ErrorCode, invalidField } from '../common/errors';
import { IdempotencyKey, IdempotentAnswer } from '../common/idempotency';
import { isUuid } from '../common/ids';
import { formatMoney, money } from '../common/money';
import { idempotent } from '../database/idempotency';
import { pgErrorOf } from '../database/pg-errors';
import { selectOne, selectRows } from '../database/rows';
import { inTransaction } from '../database/unit-of-work';
import { TransactionPurpose } from '../ledger/domain/accounts';
import { PostTransactionDto, ReverseTransactionDto, entryOf } from '../ledger/dto/ledger.dto';
import { TransactionView } from '../ledger/dto/ledger.views';
import { LedgerPostingService, assertReversalDate } from '../ledger/ledger-posting.service';
import { DEFAULT_PAGE_SIZE } from '../common/pagination';
import { decodeVoucherCursor } from './voucher-cursor';
import { VOUCHER_COLUMNS, VoucherRow, voucherPage, voucherView } from './voucher-rows';
import { VoucherQueryDto } from './voucher.dto';
import { VoucherListItemView, VoucherView } from './voucher.views';

/** What a voucher may reverse: manual entries, and an allocation's receipt registered in error. */
const HAND_REVERSIBLE: readonly TransactionPurpose[] = ['manual', 'receipt'];
const PENDING_REVERSAL_INDEX = 'UQ_ledger_vouchers_pending_reversal';

/**
 * Manual ledger entries are vouchers (記帳憑證): one county_finance user drafts, a different one approves, and only
 * then is the entry posted. Reversals go the same way.
 */
@Injectable()
export class VoucherService {
  constructor(
    private readonly ds: DataSource,
    private readonly ledger: LedgerPostingService,
    private readonly audit: AuditLog,
  ) {}

  /** Drafts a posting, checked now as a posting would be; a retried request with its Idempotency-Key drafts once. */
  async draftPosting(actor: Actor, dto: PostTransactionDto, key?: IdempotencyKey): Promise<IdempotentAnswer<VoucherView>> {
    // A line with neither or both sides is refused by the ledger's check, inside the unit of work.
    const fen = (amount: string | undefined) => (amount === undefined ? undefined : formatMoney(money(amount)));
    const body = {
      effectiveDate: dto.effectiveDate,
      memo: dto.memo,
      lines: dto.lines.map((l) => ({ account: l.account, debit: fen(l.debit), credit: fen(l.credit) })),
    };
    return idempotent(this.ds, { actor, key, body }, async (em) => {
      await this.ledger.check(em, actor, entryOf(dto));
      return this.draft(em, actor, 'posting', { ...dto }, null);
    });
  }

  /** One reversal draft per original may wait for approval at a time (a partial unique index says so too). */
  async draftReversal(actor: Actor, transactionId: string, dto: ReverseTransactionDto): Promise<VoucherView> {
    const original = await this.ledger.checkReversible(this.ds.manager, actor, transactionId);
    if (dto.effectiveDate !== undefined) assertReversalDate(original.effectiveDate, dto.effectiveDate);
    if (!HAND_REVERSIBLE.includes(original.purpose)) {
      throw new DomainError(ErrorCode.InvalidState, `A ${original.purpose} transaction is undone through the workflow that made it, not by a voucher`, {
        purpose: original.purpose,
      });
    }
    try {
      return await inTransaction(this.ds, (em) => this.draft(em, actor, 'reversal', { ...dto }, transactionId));
    } catch (err) {
      if (pgErrorOf(err)?.constraint === PENDING_REVERSAL_INDEX) {
        throw new DomainError(ErrorCode.InvalidState, `A reversal of transaction ${transactionId} is already waiting for approval`);
      }
      throw err;
    }
  }

  /**
   * A different person approves: the entry is posted and the voucher records who, when and which transaction. The
   * answer is the transaction, naming the voucher (`voucherId`) since its own id differs.
   */
  async approve(actor: Actor, id: string): Promise<TransactionView> {
    return inTransaction(this.ds, async (em) => {
      const v = isUuid(id)
        ? await selectOne(em, VoucherRow, `SELECT ${VOUCHER_COLUMNS} FROM ledger_vouchers WHERE id = $1 AND county_id = $2 FOR UPDATE`, [id, actor.county.id])
        : undefined;
      if (!v) throw new DomainError(ErrorCode.NotFound, `No voucher ${id}`);
      if (v.state !== 'draft') {
        throw new DomainError(ErrorCode.InvalidState, `Voucher ${id} is already posted`, { transactionId: v.transactionId });
      }
      assertNewHand([{ step: 'draft', userId: v.draftedBy }], { step: 'approve', userId: actor.userId! });

      const request = v.request as unknown as PostTransactionDto & ReverseTransactionDto;
      const transaction =
        v.kind === 'posting'
          ? await this.ledger.post(em, actor, entryOf(request))
          : await this.ledger.reverse(em, actor, v.reversesId!, request.reason, request.effectiveDate);
      // TypeORM answers an UPDATE with [rows, affected]; the row lock above makes this the only approval.
      await em.query(`UPDATE ledger_vouchers SET state = 'posted', approved_by = $2, approved_at = now(), transaction_id = $3 WHERE id = $1`, [
        id,
        actor.userId,
        transaction.id,
      ]);
      await this.audit.append(em, actor, 'ledger.voucher.approved', { voucherId: id, transactionId: transaction.id });
      return { ...transaction, voucherId: id };
    });
  }

  async get(actor: Actor, id: string): Promise<VoucherView> {
    const row = isUuid(id)
      ? await selectOne(this.ds, VoucherRow, `SELECT ${VOUCHER_COLUMNS} FROM ledger_vouchers WHERE id = $1 AND county_id = $2`, [id, actor.county.id])
      : undefined;
    if (!row) throw new DomainError(ErrorCode.NotFound, `No voucher ${id}`);
    return voucherView(row);
  }

  /** A page of the county's vouchers, newest first; `after` is the `cursor` of the previous page's last row. */
  async list(actor: Actor, q: VoucherQueryDto): Promise<VoucherListItemView[]> {
    const after = q.after === undefined ? null : decodeVoucherCursor(q.after);
    if (q.after !== undefined && after === null) throw invalidField('after', 'the cursor of a row of this list');
    return voucherPage(this.ds, actor.county.id, { state: q.state ?? null, kind: q.kind ?? null, after, limit: q.limit ?? DEFAULT_PAGE_SIZE });
  }

  private async draft(
    em: EntityManager,
    actor: Actor,
    kind: 'posting' | 'reversal',
    request: Record<string, unknown>,
    reversesId: string | null,
  ): Promise<VoucherView> {
    const [row] = await selectRows(
      em,
      VoucherRow,
      `INSERT INTO ledger_vouchers (id, county_id, kind, state, request, reverses_id, drafted_by)
       VALUES ($1, $2, $3, 'draft', $4, $5, $6) RETURNING ${VOUCHER_COLUMNS}`,
      [randomUUID(), actor.county.id, kind, request, reversesId, actor.userId],
    );
    const voucher = voucherView(row);
    await this.audit.append(em, actor, 'ledger.voucher.drafted', { voucherId: voucher.id, kind, reversesId, request });
    return voucher;
  }
}
