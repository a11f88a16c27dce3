import { Injectable } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import { DataSource, EntityManager } from 'typeorm';
import { AuditLog } from '../audit/audit-log';
import { Actor } from '../common/context';
import { chinaToday } from '../common/dates';
import { DomainError, ErrorCode } from '../common/errors';
import { requestHashOf } from '../common/idempotency';
import { isUuid } from '../common/ids';
import { DEFAULT_PAGE_SIZE } from '../common/pagination';
import { Money, ZERO, formatMoney, money } from '../common/money';
import { runPrepared } from '../database/prepared';
import { inTransaction, retryingConflicts } from '../database/unit-of-work';
import { PgError, SqlState, pgErrorOf } from '../database/pg-errors';
import { AccountType, Book, OUTFLOW_PURPOSES, RESERVED_ACCOUNT, Side, TransactionPurpose, bookOf, normalSideOf } from './domain/accounts';
import { JournalLine, checkJournal, mirrorOf } from './domain/journal';
import { AccountQueryDto, OpenAccountDto, PostTransactionDto, StatementQueryDto, TrialBalanceQueryDto } from './dto/ledger.dto';
import {
  AccountView,
  LineView,
  StatementView,
  TransactionView,
  TrialBalanceBook,
  TrialBalanceView,
} from './dto/ledger.views';

interface AccountRow {
  id: string;
  code: string;
  name: string;
  book: Book;
  type: AccountType;
  normal_side: Side;
  allow_negative: boolean;
  balance: string;
}

interface TransactionRow {
  id: string;
  effective_date: string;
  recorded_at: Date;
  memo: string;
  purpose: TransactionPurpose;
  reverses_id: string | null;
  reversal_reason: string | null;
  request_hash: string | null;
  reversed_by_id: string | null;
  voucher_id: string | null;
}

interface NewTransaction {
  effectiveDate: string;
  memo: string;
  purpose: TransactionPurpose;
  lines: JournalLine[];
  idempotencyKey?: string;
  requestHash?: string;
  reversesId?: string;
  reversalReason?: string;
}

interface AccountRef {
  id: string;
  code: string;
  book: Book;
  normal_side: Side;
  restricted_outflow: boolean;
}

export interface Posted {
  transaction: TransactionView;
  replayed: boolean;
}

const IDEMPOTENCY_INDEX = 'UQ_ledger_transactions_idempotency_key';
const REVERSES_INDEX = 'UQ_ledger_transactions_reverses';

/**
 * The ledger: accounts, postings, reversals and the reads over them. Every posting goes through `insert`,
 * which writes the transaction, its lines (the database moves the balances) and the audit event in one
 * statement.
 */
@Injectable()
export class LedgerService {
  private readonly refs = new Map<string, AccountRef>();

  constructor(
    private readonly ds: DataSource,
    private readonly audit: AuditLog,
  ) {}

  /** Opens an account; inside a caller's unit of work when `em` is given. Restricted: see the Funds migration. */
  async openAccount(
    actor: Actor,
    dto: OpenAccountDto,
    options: { em?: EntityManager; restrictedOutflow?: boolean; ifMissing?: boolean } = {},
  ): Promise<AccountView | null> {
    if (bookOf(dto.type) !== dto.book) {
      throw new DomainError(ErrorCode.ValidationFailed, `An account of type ${dto.type} belongs to the ${bookOf(dto.type)} book`, {
        fields: [{ field: 'type', message: `type ${dto.type} is not a ${dto.book} account type` }],
      });
    }
    const restrictedOutflow = options.restrictedOutflow ?? false;
    const open = async (em: EntityManager) => {
      // ifMissing: a concurrent opener of the same code waits on the unique index, then does nothing.
      const rows: AccountRow[] = await em.query(
        `INSERT INTO ledger_accounts (county_id, code, name, book, type, normal_side, allow_negative, restricted_outflow)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8)
         ${options.ifMissing ? 'ON CONFLICT ON CONSTRAINT "UQ_ledger_accounts_county_code" DO NOTHING' : ''}
         RETURNING id, code, name, book, type, normal_side, allow_negative, balance`,
        [actor.county.id, dto.code, dto.name, dto.book, dto.type, normalSideOf(dto.type), dto.allowNegative, restrictedOutflow],
      );
      if (rows.length === 0) return null;
      const view = accountView(rows[0]);
      const { code, name, book, type, normalSide, allowNegative } = view;
      await this.audit.append(em, actor, 'ledger.account.opened', { code, name, book, type, normalSide, allowNegative, restrictedOutflow });
      return view;
    };
    try {
      return options.em ? await open(options.em) : await inTransaction(this.ds, open);
    } catch (err) {
      if (pgErrorOf(err)?.code === SqlState.uniqueViolation) {
        throw new DomainError(ErrorCode.DuplicateAccount, `Account ${dto.code} already exists`, {
          fields: [{ field: 'code', message: 'already exists in this county' }],
        });
      }
      throw err;
    }
  }

  /**
   * Opens, inside the caller's unit of work, those of `accounts` that do not exist yet, in one statement (a workflow
   * opening the accounts a posting needs); each account opened gets its event.
   */
  async openMissing(actor: Actor, accounts: readonly OpenAccountDto[], em: EntityManager): Promise<void> {
    for (const dto of accounts) {
      if (bookOf(dto.type) !== dto.book) throw new Error(`account ${dto.code}: type ${dto.type} is not a ${dto.book} account type`);
    }
    const rows: AccountRow[] = await em.query(
      `INSERT INTO ledger_accounts (county_id, code, name, book, type, normal_side, allow_negative, restricted_outflow)
       SELECT $1, code, name, book, type, normal_side, allow_negative, false
         FROM unnest($2::text[], $3::text[], $4::text[], $5::text[], $6::text[], $7::boolean[]) AS a(code, name, book, type, normal_side, allow_negative)
       ON CONFLICT ON CONSTRAINT "UQ_ledger_accounts_county_code" DO NOTHING
       RETURNING id, code, name, book, type, normal_side, allow_negative, balance`,
      [
        actor.county.id,
        accounts.map((a) => a.code),
        accounts.map((a) => a.name),
        accounts.map((a) => a.book),
        accounts.map((a) => a.type),
        accounts.map((a) => normalSideOf(a.type)),
        accounts.map((a) => a.allowNegative),
      ],
    );
    for (const row of rows) {
      const { code, name, book, type, normalSide, allowNegative } = accountView(row);
      await this.audit.append(em, actor, 'ledger.account.opened', { code, name, book, type, normalSide, allowNegative, restrictedOutflow: false });
    }
  }

  async getAccount(actor: Actor, code: string): Promise<AccountView> {
    return accountView(await this.findAccount(actor, code));
  }

  /** The county's accounts in code order, filtered; a page starts after the last code of the previous one. */
  async listAccounts(actor: Actor, q: AccountQueryDto): Promise<AccountView[]> {
    const rows: AccountRow[] = await this.ds.query(
      `SELECT id, code, name, book, type, normal_side, allow_negative, balance FROM ledger_accounts
        WHERE county_id = $1 AND code > $2
          AND ($3::text IS NULL OR book = $3) AND ($4::text IS NULL OR type = $4) AND ($5::text IS NULL OR starts_with(code, $5))
        ORDER BY code LIMIT $6`,
      [actor.county.id, q.afterCode ?? '', q.book ?? null, q.type ?? null, q.codePrefix ?? null, q.limit ?? DEFAULT_PAGE_SIZE],
    );
    return rows.map(accountView);
  }

  /**
   * Checks an entry as a posting would (one side per line, accounts of the county, balanced per book) without
   * posting it; returns its journal lines.
   */
  async prepare(actor: Actor, dto: Pick<PostTransactionDto, 'lines'>, em?: EntityManager, purpose: TransactionPurpose = 'manual'): Promise<JournalLine[]> {
    const { lines, refs } = await this.resolveLines(actor, dto, em);
    const reserved = purpose === 'manual' ? lines.find((l) => RESERVED_ACCOUNT.test(l.accountCode)) : undefined;
    if (reserved) {
      throw new DomainError(ErrorCode.ReservedAccount, `Account ${reserved.accountCode} moves only through its workflow, not by a manual entry`, {
        account: reserved.accountCode,
      });
    }
    if (!OUTFLOW_PURPOSES.includes(purpose)) {
      const out = lines.find((l) => refs.get(l.accountCode)!.restricted_outflow && l.side !== refs.get(l.accountCode)!.normal_side);
      if (out) {
        throw new DomainError(ErrorCode.DedicatedAccountOutflow, `Money leaves dedicated account ${out.accountCode} only by a project payment`, {
          account: out.accountCode,
        });
      }
    }
    const problem = checkJournal(lines);
    if (problem?.kind === 'unbalanced') {
      throw new DomainError(ErrorCode.UnbalancedTransaction, 'Debits and credits differ in a book', { books: problem.books });
    }
    if (problem) throw new DomainError(ErrorCode.ValidationFailed, `Journal refused: ${problem.kind}`, { problem });
    return lines;
  }

  /**
   * Posts an entry. With an idempotency key, a replay of the same request returns the first answer. Inside a
   * unit of work (`em`) it joins that transaction; alone it is one autocommitted statement.
   */
  async post(
    actor: Actor,
    dto: PostTransactionDto,
    options: { idempotencyKey?: string; em?: EntityManager; purpose?: TransactionPurpose } = {},
  ): Promise<Posted> {
    const { idempotencyKey, em, purpose = 'manual' } = options;
    const requestHash = idempotencyKey ? requestHashOf(dto) : undefined;
    if (idempotencyKey) {
      const earlier = await this.replay(actor, idempotencyKey, requestHash!);
      if (earlier) return earlier;
    }
    const lines = await this.prepare(actor, dto, em, purpose);
    try {
      const transaction = await this.insert(actor, { effectiveDate: dto.effectiveDate, memo: dto.memo, purpose, lines, idempotencyKey, requestHash }, em);
      return { transaction, replayed: false };
    } catch (err) {
      // Two requests with one key raced: the loser waited on the unique index and now answers as a replay.
      if (idempotencyKey && pgErrorOf(err)?.constraint === IDEMPOTENCY_INDEX) {
        const earlier = await this.replay(actor, idempotencyKey, requestHash!);
        if (earlier) return earlier;
      }
      throw err;
    }
  }

  /** Refuses, with the reason, a reversal that cannot be posted: unknown, itself a reversal, or already reversed. */
  async checkReversible(actor: Actor, id: string, em?: EntityManager): Promise<TransactionView> {
    const original = await this.findTransaction(actor, id, em);
    if (original.reversesId) {
      throw new DomainError(ErrorCode.ReversalOfReversal, `Transaction ${id} is itself a reversal and cannot be reversed`);
    }
    if (original.reversedById) throw alreadyReversed(id, original.reversedById);
    return original;
  }

  /** 紅字沖銷: posts the mirror of an original, naming it and the reason. An original is reversed at most once. */
  async reverse(actor: Actor, id: string, reason: string, effectiveDate = chinaToday(), em?: EntityManager): Promise<TransactionView> {
    const original = await this.checkReversible(actor, id, em);
    const { lines } = await this.resolveLines(
      actor,
      { lines: original.lines.map(({ account, debit, credit }) => ({ account, debit, credit })) },
      em,
    );
    try {
      // A reversal racing this one loses on the unique index of reverses_id.
      return await this.insert(
        actor,
        { effectiveDate, memo: `沖銷: ${original.memo}`.slice(0, 500), purpose: 'reversal', lines: mirrorOf(lines), reversesId: id, reversalReason: reason },
        em,
      );
    } catch (err) {
      if (pgErrorOf(err)?.constraint === REVERSES_INDEX) throw alreadyReversed(id);
      throw err;
    }
  }

  async getTransaction(actor: Actor, id: string): Promise<TransactionView> {
    return this.findTransaction(actor, id);
  }

  /**
   * An account's lines in the order they moved its balance (`account_seq`, taken under the account's row lock), so
   * each `balanceAfter` is the previous one plus this line; the cursor is the last line's `account_seq`.
   */
  async statement(actor: Actor, code: string, q: StatementQueryDto): Promise<StatementView> {
    const account = await this.findAccount(actor, code);
    const limit = q.limit ?? DEFAULT_PAGE_SIZE;
    const rows: {
      account_seq: string;
      transaction_id: string;
      line_no: number;
      effective_date: string;
      recorded_at: Date;
      memo: string;
      debit: string;
      credit: string;
      balance_after: string;
    }[] = await this.ds.query(
      `SELECT l.account_seq, l.transaction_id, l.line_no, l.effective_date::text, t.recorded_at, t.memo, l.debit, l.credit, l.balance_after
         FROM ledger_lines l JOIN ledger_transactions t ON t.id = l.transaction_id
        WHERE l.account_id = $1 AND l.account_seq > $2
          AND ($3::date IS NULL OR l.effective_date >= $3::date)
          AND ($4::date IS NULL OR l.effective_date <= $4::date)
        ORDER BY l.account_seq LIMIT $5`,
      [account.id, q.cursor ?? '0', q.from ?? null, q.to ?? null, limit + 1],
    );
    const page = rows.slice(0, limit);
    return {
      account: accountView(account),
      items: page.map((r) => ({
        transactionId: r.transaction_id,
        lineNo: r.line_no,
        effectiveDate: r.effective_date,
        recordedAt: r.recorded_at.toISOString(),
        memo: r.memo,
        ...sides(r.debit, r.credit),
        balanceAfter: formatMoney(money(r.balance_after)),
      })),
      nextCursor: rows.length > limit ? page[page.length - 1].account_seq : null,
    };
  }

  /** Every account's balance, now (kept balances) or as of the end of an effective date (summed from lines). */
  async trialBalance(actor: Actor, q: TrialBalanceQueryDto): Promise<TrialBalanceView> {
    const rows: AccountRow[] = q.asOf
      ? await this.ds.query(
          `SELECT a.id, a.code, a.name, a.book, a.type, a.normal_side, a.allow_negative,
                  COALESCE(CASE WHEN a.normal_side = 'debit' THEN sum(l.debit - l.credit) ELSE sum(l.credit - l.debit) END, 0) AS balance
             FROM ledger_accounts a
             LEFT JOIN ledger_lines l ON l.account_id = a.id AND l.effective_date <= $3::date
            WHERE a.county_id = $1 AND ($2::text IS NULL OR a.book = $2)
            GROUP BY a.id ORDER BY a.book, a.code`,
          [actor.county.id, q.book ?? null, q.asOf],
        )
      : await this.ds.query(
          `SELECT id, code, name, book, type, normal_side, allow_negative, balance FROM ledger_accounts
            WHERE county_id = $1 AND ($2::text IS NULL OR book = $2) ORDER BY book, code`,
          [actor.county.id, q.book ?? null],
        );
    const books = new Map<Book, TrialBalanceBook>();
    const totals = new Map<Book, { debit: Money; credit: Money }>();
    for (const row of rows) {
      const balance = money(row.balance);
      const onDebit = (row.normal_side === 'debit') === balance.gte(0);
      const book = books.get(row.book) ?? { book: row.book, accounts: [], totalDebit: '', totalCredit: '' };
      const total = totals.get(row.book) ?? { debit: ZERO, credit: ZERO };
      book.accounts.push({
        code: row.code,
        name: row.name,
        type: row.type,
        debit: formatMoney(onDebit ? balance.abs() : ZERO),
        credit: formatMoney(onDebit ? ZERO : balance.abs()),
      });
      if (onDebit) total.debit = total.debit.plus(balance.abs());
      else total.credit = total.credit.plus(balance.abs());
      books.set(row.book, book);
      totals.set(row.book, total);
    }
    for (const [book, total] of totals) {
      books.get(book)!.totalDebit = formatMoney(total.debit);
      books.get(book)!.totalCredit = formatMoney(total.credit);
    }
    return { asOf: q.asOf ?? null, books: [...books.values()] };
  }

  private async insert(actor: Actor, tx: NewTransaction, em?: EntityManager): Promise<TransactionView> {
    if (checkJournal(tx.lines)) throw new Error('insert called with an entry that prepare() refuses');

    const id = randomUUID();
    const recordedAt = new Date();
    const lineViews = (balances: Map<number, string>): LineView[] =>
      tx.lines.map((l, i) => ({ lineNo: i + 1, account: l.accountCode, book: l.book, [l.side]: formatMoney(l.amount), balanceAfter: balances.get(i + 1)! }));
    const event = this.audit.eventInsert(
      actor,
      tx.reversesId ? 'ledger.transaction.reversed' : 'ledger.transaction.posted',
      {
        id,
        effectiveDate: tx.effectiveDate,
        memo: tx.memo,
        ...(tx.reversesId ? { reversesId: tx.reversesId, reason: tx.reversalReason } : {}),
        lines: lineViews(new Map()).map(({ account, book, debit, credit }) => ({ account, book, debit, credit })),
      },
      recordedAt,
      11,
    );
    // One statement writes the transaction, its lines and its audit event: atomic on its own (autocommit), one
    // round trip, and prepared once per connection. Lines go in account-id order so concurrent postings lock
    // accounts in one order; the database moves each balance and returns the balance after each line.
    const params: unknown[] = [id, actor.county.id, tx.effectiveDate, recordedAt, tx.memo, tx.idempotencyKey ?? null, tx.requestHash ?? null, tx.reversesId ?? null, tx.reversalReason ?? null, tx.purpose];
    params.push(...event.params);
    const values = tx.lines.map((line, i) => {
      params.push(line.accountId, line.book, i + 1, line.side === 'debit' ? formatMoney(line.amount) : '0', line.side === 'credit' ? formatMoney(line.amount) : '0');
      const p = params.length;
      return `($${p - 4}::bigint, $${p - 3}, $${p - 2}::smallint, $${p - 1}::numeric, $${p}::numeric)`;
    });
    let inserted: { line_no: number; balance_after: string }[];
    try {
      const text = `WITH t AS (
           INSERT INTO ledger_transactions (id, county_id, effective_date, recorded_at, memo, idempotency_key, request_hash, reverses_id, reversal_reason, purpose)
           VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10) RETURNING id, county_id, effective_date, purpose),
         e AS (${event.sql})
         INSERT INTO ledger_lines (transaction_id, county_id, account_id, book, line_no, debit, credit, effective_date, purpose)
         SELECT t.id, t.county_id, v.account_id, v.book, v.line_no, v.debit, v.credit, t.effective_date, t.purpose
           FROM t, (VALUES ${values.join(', ')}) AS v(account_id, book, line_no, debit, credit)
          ORDER BY v.account_id
         RETURNING line_no, balance_after`;
      inserted = em
        ? await runPrepared(em, `ledger_post_${tx.lines.length}`, text, params)
        : await retryingConflicts(() => runPrepared(this.ds, `ledger_post_${tx.lines.length}`, text, params));
    } catch (err) {
      throw postingRefusalOr(err);
    }
    return {
      id,
      effectiveDate: tx.effectiveDate,
      recordedAt: recordedAt.toISOString(),
      memo: tx.memo,
      purpose: tx.purpose,
      reversesId: tx.reversesId ?? null,
      reversalReason: tx.reversalReason ?? null,
      reversedById: null,
      voucherId: null,
      lines: lineViews(new Map(inserted.map((r) => [r.line_no, formatMoney(money(r.balance_after))]))),
    };
  }

  /** Resolves account codes to accounts of the county and turns each line into a journal line. */
  /** Reads run on `em` inside a unit of work, so it never waits for a second pooled connection. */
  private async resolveLines(
    actor: Actor,
    dto: Pick<PostTransactionDto, 'lines'>,
    em?: EntityManager,
  ): Promise<{ lines: JournalLine[]; refs: Map<string, AccountRef> }> {
    const fields = dto.lines.flatMap((l, i) =>
      (l.debit === undefined) === (l.credit === undefined)
        ? [{ field: `lines.${i}`, message: 'a line has exactly one of debit and credit' }]
        : [],
    );
    if (fields.length > 0) throw new DomainError(ErrorCode.ValidationFailed, 'The request is not valid', { fields });

    const byCode = await this.accountRefs(actor.county.id, [...new Set(dto.lines.map((l) => l.account))], em);
    const unknown = dto.lines.map((l) => l.account).filter((c, i, all) => !byCode.has(c) && all.indexOf(c) === i);
    if (unknown.length > 0) {
      throw new DomainError(ErrorCode.UnknownAccount, `Unknown account: ${unknown.join(', ')}`, {
        accounts: unknown,
        fields: dto.lines.flatMap((l, i) => (byCode.has(l.account) ? [] : [{ field: `lines.${i}.account`, message: 'unknown account' }])),
      });
    }
    const lines = dto.lines.map((l) => {
      const account = byCode.get(l.account)!;
      const side: Side = l.debit !== undefined ? 'debit' : 'credit';
      return { accountId: account.id, accountCode: account.code, book: account.book, side, amount: money((l.debit ?? l.credit)!) };
    });
    return { lines, refs: byCode };
  }

  /**
   * Account id and book by code. Both never change once an account is opened (the database refuses it), so
   * what was read once is kept.
   */
  private async accountRefs(countyId: number, codes: string[], em?: EntityManager): Promise<Map<string, AccountRef>> {
    const found = new Map<string, AccountRef>();
    const missing = codes.filter((code) => {
      const ref = this.refs.get(`${countyId}:${code}`);
      if (ref) found.set(code, ref);
      return !ref;
    });
    if (missing.length > 0) {
      const rows: AccountRef[] = await (em ?? this.ds).query(`SELECT id, code, book, normal_side, restricted_outflow FROM ledger_accounts WHERE county_id = $1 AND code = ANY($2)`, [
        countyId,
        missing,
      ]);
      for (const row of rows) {
        // Only committed accounts are remembered: one read inside a unit of work may yet be rolled back.
        if (!em) this.refs.set(`${countyId}:${row.code}`, row);
        found.set(row.code, row);
      }
    }
    return found;
  }

  private async replay(actor: Actor, key: string, requestHash: string): Promise<Posted | undefined> {
    const rows: { id: string; request_hash: string }[] = await this.ds.query(
      `SELECT id, request_hash FROM ledger_transactions WHERE county_id = $1 AND idempotency_key = $2`,
      [actor.county.id, key],
    );
    if (rows.length === 0) return undefined;
    if (rows[0].request_hash !== requestHash) {
      throw new DomainError(ErrorCode.IdempotencyMismatch, 'This Idempotency-Key was used with a different request', {
        transactionId: rows[0].id,
      });
    }
    return { transaction: await this.getTransaction(actor, rows[0].id), replayed: true };
  }

  private async findAccount(actor: Actor, code: string): Promise<AccountRow> {
    const rows: AccountRow[] = await this.ds.query(
      `SELECT id, code, name, book, type, normal_side, allow_negative, balance FROM ledger_accounts WHERE county_id = $1 AND code = $2`,
      [actor.county.id, code],
    );
    if (rows.length === 0) throw new DomainError(ErrorCode.NotFound, `No account ${code}`);
    return rows[0];
  }

  private async findTransaction(actor: Actor, id: string, em?: EntityManager): Promise<TransactionView> {
    const db = em ?? this.ds;
    const txs: TransactionRow[] = isUuid(id)
      ? await db.query(
          `SELECT t.id, t.effective_date::text, t.recorded_at, t.memo, t.purpose, t.reverses_id, t.reversal_reason, r.id AS reversed_by_id,
                  v.id AS voucher_id
             FROM ledger_transactions t
             LEFT JOIN ledger_transactions r ON r.reverses_id = t.id
             LEFT JOIN ledger_vouchers v ON v.transaction_id = t.id
            WHERE t.county_id = $1 AND t.id = $2`,
          [actor.county.id, id],
        )
      : [];
    if (txs.length === 0) throw new DomainError(ErrorCode.NotFound, `No transaction ${id}`);
    const t = txs[0];
    const lines: { line_no: number; code: string; book: Book; debit: string; credit: string; balance_after: string }[] = await db.query(
      `SELECT l.line_no, a.code, l.book, l.debit, l.credit, l.balance_after
         FROM ledger_lines l JOIN ledger_accounts a ON a.id = l.account_id
        WHERE l.transaction_id = $1 ORDER BY l.line_no`,
      [id],
    );
    return {
      id: t.id,
      effectiveDate: t.effective_date,
      recordedAt: t.recorded_at.toISOString(),
      memo: t.memo,
      purpose: t.purpose,
      reversesId: t.reverses_id,
      reversalReason: t.reversal_reason,
      reversedById: t.reversed_by_id,
      voucherId: t.voucher_id,
      lines: lines.map((l) => ({
        lineNo: l.line_no,
        account: l.code,
        book: l.book,
        ...sides(l.debit, l.credit),
        balanceAfter: formatMoney(money(l.balance_after)),
      })),
    };
  }
}

function accountView(row: AccountRow): AccountView {
  return {
    code: row.code,
    name: row.name,
    book: row.book,
    type: row.type,
    normalSide: row.normal_side,
    allowNegative: row.allow_negative,
    balance: formatMoney(money(row.balance)),
  };
}

function sides(debit: string, credit: string): { debit?: string; credit?: string } {
  return money(debit).gt(0) ? { debit: formatMoney(money(debit)) } : { credit: formatMoney(money(credit)) };
}

/** The database's refusals of a posting, as the domain errors they are. */
function postingRefusalOr(err: unknown): unknown {
  const pg: PgError | undefined = pgErrorOf(err);
  if (pg?.code === SqlState.insufficientBalance) {
    return new DomainError(ErrorCode.InsufficientBalance, `Account ${pg.detail} may not go negative`, { account: pg.detail });
  }
  if (pg?.code === SqlState.restrictedOutflow) {
    return new DomainError(ErrorCode.DedicatedAccountOutflow, `Money leaves dedicated account ${pg.detail} only by a project payment`, {
      account: pg.detail,
    });
  }
  return err;
}

function alreadyReversed(id: string, by?: string): DomainError {
  return new DomainError(ErrorCode.AlreadyReversed, `Transaction ${id} has already been reversed`, by ? { reversedById: by } : {});
}
