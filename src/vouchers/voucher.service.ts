import { Injectable } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import { DataSource } from 'typeorm';
import { assertNewHand } from '../access/domain/maker-checker';
import { AuditLog } from '../audit/audit-log';
import { Actor } from '../common/context';
import { DomainError, ErrorCode } from '../common/errors';
import { isUuid } from '../common/ids';
import { SqlState, pgErrorOf } from '../database/pg-errors';
import { inTransaction } from '../database/unit-of-work';
import { TransactionPurpose } from '../ledger/domain/accounts';
import { PostTransactionDto, ReverseTransactionDto } from '../ledger/dto/ledger.dto';
import { TransactionView } from '../ledger/dto/ledger.views';
import { requestHashOf } from '../common/idempotency';
import { LedgerService } from '../ledger/ledger.service';
import { VoucherView } from './voucher.views';

interface VoucherRow {
  id: string;
  kind: 'posting' | 'reversal';
  state: 'draft' | 'posted';
  request: Record<string, unknown>;
  reverses_id: string | null;
  request_hash: string | null;
  drafted_by: number;
  drafted_at: Date;
  approved_by: number | null;
  approved_at: Date | null;
  transaction_id: string | null;
}

/** What a voucher may reverse: manual entries, and an allocation's receipt registered in error. */
const HAND_REVERSIBLE: readonly TransactionPurpose[] = ['manual', 'receipt'];
const PENDING_REVERSAL_INDEX = 'UQ_ledger_vouchers_pending_reversal';
const COLUMNS = 'id, kind, state, request, reverses_id, request_hash, drafted_by, drafted_at, approved_by, approved_at, transaction_id';

/**
 * Manual ledger entries are vouchers (記帳憑證): one county_finance user drafts, a different one approves, and only
 * then is the entry posted. Reversals go the same way.
 */
@Injectable()
export class VoucherService {
  constructor(
    private readonly ds: DataSource,
    private readonly ledger: LedgerService,
    private readonly audit: AuditLog,
  ) {}

  /** Drafts a posting, checked now as a posting would be; with an idempotency key a replay returns the same draft. */
  async draftPosting(actor: Actor, dto: PostTransactionDto, idempotencyKey?: string): Promise<{ voucher: VoucherView; replayed: boolean }> {
    const requestHash = idempotencyKey ? requestHashOf(dto) : undefined;
    if (idempotencyKey) {
      const earlier = await this.replay(actor, idempotencyKey, requestHash!);
      if (earlier) return { voucher: earlier, replayed: true };
    }
    await this.ledger.prepare(actor, dto);
    try {
      const voucher = await this.draft(actor, 'posting', { ...dto }, null, idempotencyKey, requestHash);
      return { voucher, replayed: false };
    } catch (err) {
      if (idempotencyKey && pgErrorOf(err)?.code === SqlState.uniqueViolation) {
        const earlier = await this.replay(actor, idempotencyKey, requestHash!);
        if (earlier) return { voucher: earlier, replayed: true };
      }
      throw err;
    }
  }

  /** One reversal draft per original may wait for approval at a time (a partial unique index says so too). */
  async draftReversal(actor: Actor, transactionId: string, dto: ReverseTransactionDto): Promise<VoucherView> {
    const original = await this.ledger.checkReversible(actor, transactionId);
    if (!HAND_REVERSIBLE.includes(original.purpose)) {
      throw new DomainError(ErrorCode.InvalidState, `A ${original.purpose} transaction is undone through the workflow that made it, not by a voucher`, {
        purpose: original.purpose,
      });
    }
    try {
      return await this.draft(actor, 'reversal', { ...dto }, transactionId);
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
      const rows: VoucherRow[] = isUuid(id)
        ? await em.query(`SELECT ${COLUMNS} FROM ledger_vouchers WHERE id = $1 AND county_id = $2 FOR UPDATE`, [id, actor.county.id])
        : [];
      if (rows.length === 0) throw new DomainError(ErrorCode.NotFound, `No voucher ${id}`);
      const v = rows[0];
      if (v.state !== 'draft') {
        throw new DomainError(ErrorCode.InvalidState, `Voucher ${id} is already posted`, { transactionId: v.transaction_id });
      }
      assertNewHand([{ step: 'draft', userId: v.drafted_by }], { step: 'approve', userId: actor.userId! });

      const request = v.request as unknown as PostTransactionDto & ReverseTransactionDto;
      const transaction =
        v.kind === 'posting'
          ? (await this.ledger.post(actor, request, { em })).transaction
          : await this.ledger.reverse(actor, v.reverses_id!, request.reason, request.effectiveDate, em);
      // TypeORM answers an UPDATE with [rows, affected]; the row lock above makes this the only approval.
      await em.query(
        `UPDATE ledger_vouchers SET state = 'posted', approved_by = $2, approved_at = now(), transaction_id = $3 WHERE id = $1`,
        [id, actor.userId, transaction.id],
      );
      await this.audit.append(em, actor, 'ledger.voucher.approved', { voucherId: id, transactionId: transaction.id });
      return { ...transaction, voucherId: id };
    });
  }

  async get(actor: Actor, id: string): Promise<VoucherView> {
    const rows: VoucherRow[] = isUuid(id)
      ? await this.ds.query(`SELECT ${COLUMNS} FROM ledger_vouchers WHERE id = $1 AND county_id = $2`, [id, actor.county.id])
      : [];
    if (rows.length === 0) throw new DomainError(ErrorCode.NotFound, `No voucher ${id}`);
    return view(rows[0]);
  }

  private async draft(
    actor: Actor,
    kind: 'posting' | 'reversal',
    request: Record<string, unknown>,
    reversesId: string | null,
    idempotencyKey?: string,
    requestHash?: string,
  ): Promise<VoucherView> {
    return inTransaction(this.ds, async (em) => {
      const rows: VoucherRow[] = await em.query(
        `INSERT INTO ledger_vouchers (id, county_id, kind, state, request, reverses_id, idempotency_key, request_hash, drafted_by)
         VALUES ($1, $2, $3, 'draft', $4, $5, $6, $7, $8) RETURNING ${COLUMNS}`,
        [randomUUID(), actor.county.id, kind, request, reversesId, idempotencyKey ?? null, requestHash ?? null, actor.userId],
      );
      const voucher = view(rows[0]);
      await this.audit.append(em, actor, 'ledger.voucher.drafted', { voucherId: voucher.id, kind, reversesId, request });
      return voucher;
    });
  }

  private async replay(actor: Actor, key: string, requestHash: string): Promise<VoucherView | undefined> {
    const rows: VoucherRow[] = await this.ds.query(
      `SELECT ${COLUMNS} FROM ledger_vouchers WHERE county_id = $1 AND idempotency_key = $2`,
      [actor.county.id, key],
    );
    if (rows.length === 0) return undefined;
    if (rows[0].request_hash !== requestHash) {
      throw new DomainError(ErrorCode.IdempotencyMismatch, 'This Idempotency-Key was used with a different request', { voucherId: rows[0].id });
    }
    return view(rows[0]);
  }
}

function view(row: VoucherRow): VoucherView {
  return {
    id: row.id,
    kind: row.kind,
    state: row.state,
    request: row.request,
    reversesId: row.reverses_id,
    draftedBy: row.drafted_by,
    draftedAt: row.drafted_at.toISOString(),
    approvedBy: row.approved_by,
    approvedAt: row.approved_at?.toISOString() ?? null,
    transactionId: row.transaction_id,
  };
}

