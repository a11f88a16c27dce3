import { Injectable } from '@nestjs/common';
import Decimal from 'decimal.js';
import { DataSource, EntityManager } from 'typeorm';
import { z } from 'zod';
import { Actor } from '../common/context';
import { DomainError, ErrorCode } from '../common/errors';
import { isUuid } from '../common/ids';
import { DEFAULT_PAGE_SIZE } from '../common/pagination';
import { Money, ZERO, formatMoney, money } from '../common/money';
import { preparedAlone } from '../database/prepared';
import { RowShape, col, selectOne, selectRows } from '../database/rows';
import { SqlParams } from '../database/sql-params';
import { AccountFilter, DIMENSION_COLUMNS, DIMENSION_SELECT, DimensionsRow, accountSql, filterSql } from './account-sql';
import { AccountDimensions, AccountRef, ByCode, Dimension, SourceFamily, WorkflowAccountRef, atSource } from './domain/account-refs';
import { ACCOUNT_TYPE_NAMES, BOOKS, Book, PURPOSES, SIDES, TransactionPurpose } from './domain/accounts';
import { AccountQueryDto, StatementQueryDto, TrialBalanceQueryDto } from './dto/ledger.dto';
import { AccountView, StatementView, TransactionView, TrialBalanceBook, TrialBalanceView } from './dto/ledger.views';

/** An account as people read it: its view's fields and its id. */
const AccountRow = z.object({
  id: col.int8,
  code: col.text,
  name: col.text,
  book: z.enum(BOOKS),
  type: z.enum(ACCOUNT_TYPE_NAMES),
  normalSide: z.enum(SIDES),
  allowNegative: col.bool,
  balance: col.money,
});
type AccountRow = z.infer<typeof AccountRow>;

const ACCOUNT_SELECT = 'a.id, a.code, a.name, a.book, a.type, a.normal_side, a.allow_negative, a.balance';

const TransactionRow = z.object({
  id: col.text,
  effectiveDate: col.date,
  recordedAt: col.timestamp,
  memo: col.text,
  purpose: z.enum(PURPOSES),
  reversesId: col.text.nullable(),
  reversalReason: col.text.nullable(),
  reversedById: col.text.nullable(),
  voucherId: col.text.nullable(),
});

const TransactionLineRow = z.object({ lineNo: col.int, code: col.text, book: z.enum(BOOKS), debit: col.money, credit: col.money, balanceAfter: col.money });

const StatementLineRow = z.object({
  accountSeq: col.int8,
  transactionId: col.text,
  lineNo: col.int,
  effectiveDate: col.date,
  recordedAt: col.timestamp,
  memo: col.text,
  debit: col.money,
  credit: col.money,
  balanceAfter: col.money,
});

const Balance = z.object({ balance: col.money });

/** One shape per grouping (few kinds are asked): zod compiles a parser per shape, so each is built once. */
const groupShapes = new Map<string, z.ZodType>();

/** The dimensions `by` names and the balance, as `balancesBy` selects them; zod cannot follow `D` through `pick`. */
function groupShape(by: readonly Dimension[]): z.ZodType {
  const key = by.join(',');
  let shape = groupShapes.get(key);
  if (!shape) {
    const mask: Partial<Record<Dimension, true>> = Object.fromEntries(by.map((d) => [d, true]));
    shape = DimensionsRow.pick(mask).extend(Balance.shape);
    groupShapes.set(key, shape);
  }
  return shape;
}

const Total = z.object({ total: col.money });
const AccountBalanceRow = DimensionsRow.extend({ code: col.text, name: col.text, balance: col.money });
const SourceBalanceRow = z.object({ allocationId: col.id, balance: col.money, dedicatedAccountId: col.id });
const CodeRow = z.object({ code: col.text });
const EffectiveDateRow = z.object({ id: col.text, effectiveDate: col.date });
const OutflowRow = z.object({
  transactionId: col.text,
  purpose: z.enum(PURPOSES),
  effectiveDate: col.date,
  memo: col.text,
  reversesId: col.text.nullable(),
  reversesPurpose: z.enum(PURPOSES).nullable(),
  dedicatedAccountId: col.id,
  account: col.text,
  amount: col.money,
});

/** An account with what it is about and its balance. */
export interface AccountBalance extends AccountDimensions {
  code: string;
  name: string;
  balance: Decimal;
}

/** One source (allocation) of a per-source family holding money, and the bank account its money sits in. */
export interface SourceBalance {
  allocationId: number;
  balance: Decimal;
  /** The family's account at this source. */
  account: WorkflowAccountRef;
  /** The bank account of the dedicated account the allocation was received into. */
  bank: AccountRef;
}

/** Which outflows to read: of some dedicated accounts, with some purposes, effective within dates (inclusive). */
export interface OutflowFilter {
  dedicatedAccountId?: number | readonly number[];
  purpose?: TransactionPurpose | readonly TransactionPurpose[];
  from?: string;
  to?: string;
}

/** Money one transaction took out of one dedicated account's bank account. */
export interface BankOutflow {
  transactionId: string;
  purpose: TransactionPurpose;
  effectiveDate: string;
  memo: string;
  dedicatedAccountId: number;
  /** The bank account's code. */
  account: string;
  /** The transaction's credits to the bank account. */
  amount: Decimal;
  /** For a reversal: the transaction it reverses and that one's purpose. */
  reversesId: string | null;
  reversesPurpose: TransactionPurpose | null;
}

/**
 * The one way out of the ledger: balances of accounts named by reference or summed by dimension, balances as of a
 * date (kept closing balances: one index lookup), statements by `account_seq`, transactions and the trial balance.
 * Methods that take an `EntityManager` read in the caller's unit of work or snapshot; the rest answer the ledger's
 * HTTP reads.
 */
@Injectable()
export class LedgerReadingService {
  constructor(private readonly ds: DataSource) {}

  /** The sum of the balances of the accounts a filter selects. */
  async total(em: EntityManager, countyId: number, filter: AccountFilter): Promise<Decimal> {
    const p = new SqlParams();
    const [{ total }] = await selectRows(
      em,
      Total,
      `SELECT coalesce(sum(a.balance), 0) AS total FROM ledger_accounts a WHERE ${filterSql(p, countyId, filter)}`,
      p.values,
    );
    return money(total);
  }

  /** Balances of the accounts a filter selects, summed per combination of the dimensions `by`, in their order. */
  async balancesBy<D extends Dimension>(
    em: EntityManager,
    countyId: number,
    filter: AccountFilter,
    by: readonly D[],
  ): Promise<(Pick<AccountDimensions, D> & { balance: Decimal })[]> {
    const p = new SqlParams();
    const columns = by.map((d) => `a.${DIMENSION_COLUMNS[d]}`).join(', ');
    const shape = groupShape(by) as unknown as RowShape<Pick<AccountDimensions, D> & { balance: string }>;
    const rows = await selectRows(
      em,
      shape,
      `SELECT ${columns}, sum(a.balance) AS balance FROM ledger_accounts a WHERE ${filterSql(p, countyId, filter)} GROUP BY ${columns} ORDER BY ${columns}`,
      p.values,
    );
    return rows.map((row) => ({ ...row, balance: money(row.balance) }));
  }

  /** The accounts a filter selects, each with its code, name, dimensions and balance, in code order. */
  async accounts(em: EntityManager, countyId: number, filter: AccountFilter): Promise<AccountBalance[]> {
    const p = new SqlParams();
    const rows = await selectRows(
      em,
      AccountBalanceRow,
      `SELECT a.code, a.name, a.balance, ${DIMENSION_SELECT} FROM ledger_accounts a WHERE ${filterSql(p, countyId, filter)} ORDER BY a.code`,
      p.values,
    );
    return rows.map((r) => ({ ...r, balance: money(r.balance) }));
  }

  /**
   * Every source of a per-source family that holds money, in allocation order (oldest first: the order every workflow
   * draws sources in), with the bank account the source's fund sits in.
   */
  async sources(em: EntityManager, countyId: number, family: SourceFamily): Promise<SourceBalance[]> {
    const p = new SqlParams();
    const rows = await selectRows(
      em,
      SourceBalanceRow,
      `SELECT a.allocation_id, a.balance, f.dedicated_account_id
         FROM ledger_accounts a
         JOIN ledger_accounts f ON f.allocation_id = a.allocation_id AND f.kind = 'fund' AND f.county_id = a.county_id
        WHERE ${filterSql(p, countyId, family)} AND a.balance > 0
        ORDER BY a.allocation_id`,
      p.values,
    );
    return rows.map((r) => ({
      allocationId: r.allocationId,
      balance: money(r.balance),
      account: atSource(family, r.allocationId),
      bank: { kind: 'bank', dedicatedAccountId: r.dedicatedAccountId },
    }));
  }

  /** An account's balance at the end of an effective date: its closing balance that day or the last day before. */
  async balanceAsOf(em: EntityManager, countyId: number, account: AccountRef | ByCode, asOf: string): Promise<Decimal> {
    const p = new SqlParams();
    const row = await selectOne(
      em,
      Balance,
      `SELECT c.balance FROM ledger_accounts a
         JOIN LATERAL (SELECT c.balance FROM ledger_closing_balances c
                        WHERE c.account_id = a.id AND c.effective_date <= ${p.add(asOf, '::date')}
                        ORDER BY c.effective_date DESC LIMIT 1) c ON true
        WHERE ${accountSql(p, countyId, account)}`,
      p.values,
    );
    return row ? money(row.balance) : ZERO;
  }

  /**
   * Money that left dedicated accounts: every transaction's credits to a bank account (專戶), one row per transaction
   * and bank, in effective-date order; a reversal comes with the purpose of what it reverses (a refund reverses a
   * receipt). Lines are reached through each bank account's line index, so the few bank accounts bound the read.
   */
  async outflows(em: EntityManager, countyId: number, filter: OutflowFilter = {}): Promise<BankOutflow[]> {
    const p = new SqlParams();
    const conditions = [`a.county_id = ${p.add(countyId)}`, `a.kind = 'bank'`, 'l.credit > 0'];
    const { dedicatedAccountId, purpose, from, to } = filter;
    if (dedicatedAccountId !== undefined) conditions.push(`a.dedicated_account_id = ANY(${p.add([dedicatedAccountId].flat(), '::int[]')})`);
    if (purpose !== undefined) conditions.push(`l.purpose = ANY(${p.add([purpose].flat(), '::text[]')})`);
    if (from !== undefined) conditions.push(`l.effective_date >= ${p.add(from, '::date')}`);
    if (to !== undefined) conditions.push(`l.effective_date <= ${p.add(to, '::date')}`);
    const rows = await selectRows(
      em,
      OutflowRow,
      `SELECT t.id AS transaction_id, t.purpose, t.effective_date::text, t.memo, t.reverses_id, r.purpose AS reverses_purpose,
              a.dedicated_account_id, a.code AS account, sum(l.credit) AS amount
         FROM ledger_accounts a
         JOIN ledger_lines l ON l.account_id = a.id
         JOIN ledger_transactions t ON t.id = l.transaction_id
         LEFT JOIN ledger_transactions r ON r.id = t.reverses_id
        WHERE ${conditions.join(' AND ')}
        GROUP BY t.id, r.purpose, a.dedicated_account_id, a.code
        ORDER BY t.effective_date, t.id, a.code`,
      p.values,
    );
    return rows.map((r) => ({ ...r, amount: money(r.amount) }));
  }

  /** The effective date (業務日期) of each transaction named, of the county; ids it does not know are left out. */
  async effectiveDates(em: EntityManager, countyId: number, transactionIds: readonly string[]): Promise<Map<string, string>> {
    if (transactionIds.length === 0) return new Map();
    const rows = await selectRows(
      em,
      EffectiveDateRow,
      `SELECT id, effective_date::text FROM ledger_transactions WHERE county_id = $1 AND id = ANY($2::uuid[])`,
      [countyId, transactionIds],
    );
    return new Map(rows.map((r) => [r.id, r.effectiveDate]));
  }

  /** The code of every account of every county: for a check that runs before the schema's dimensions may exist. */
  async everyCode(em: EntityManager): Promise<string[]> {
    const rows = await selectRows(em, CodeRow, `SELECT code FROM ledger_accounts ORDER BY county_id, code`);
    return rows.map((r) => r.code);
  }

  async getAccount(actor: Actor, code: string): Promise<AccountView> {
    return accountView(await this.findAccount(actor, code));
  }

  /** The county's accounts in code order, filtered; a page starts after the last code of the previous one. */
  async listAccounts(actor: Actor, q: AccountQueryDto): Promise<AccountView[]> {
    const rows = await selectRows(
      this.ds,
      AccountRow,
      `SELECT ${ACCOUNT_SELECT} FROM ledger_accounts a
        WHERE a.county_id = $1 AND a.code > $2
          AND ($3::text IS NULL OR a.book = $3) AND ($4::text IS NULL OR a.type = $4) AND ($5::text IS NULL OR starts_with(a.code, $5))
        ORDER BY a.code LIMIT $6`,
      [actor.county.id, q.afterCode ?? '', q.book ?? null, q.type ?? null, q.codePrefix ?? null, q.limit ?? DEFAULT_PAGE_SIZE],
    );
    return rows.map(accountView);
  }

  async getTransaction(actor: Actor, id: string): Promise<TransactionView> {
    return this.findTransaction(this.ds.manager, actor, id);
  }

  /** A transaction of the county with its lines, read in the caller's unit of work. */
  async findTransaction(em: EntityManager, actor: Actor, id: string): Promise<TransactionView> {
    const t = isUuid(id)
      ? await selectOne(
          em,
          TransactionRow,
          `SELECT t.id, t.effective_date::text, t.recorded_at, t.memo, t.purpose, t.reverses_id, t.reversal_reason, r.id AS reversed_by_id,
                  v.id AS voucher_id
             FROM ledger_transactions t
             LEFT JOIN ledger_transactions r ON r.reverses_id = t.id
             LEFT JOIN ledger_vouchers v ON v.transaction_id = t.id
            WHERE t.county_id = $1 AND t.id = $2`,
          [actor.county.id, id],
        )
      : undefined;
    if (!t) throw new DomainError(ErrorCode.NotFound, `No transaction ${id}`);
    const lines = await selectRows(
      em,
      TransactionLineRow,
      `SELECT l.line_no, a.code, l.book, l.debit, l.credit, l.balance_after
         FROM ledger_lines l JOIN ledger_accounts a ON a.id = l.account_id
        WHERE l.transaction_id = $1 ORDER BY l.line_no`,
      [id],
    );
    return {
      ...t,
      recordedAt: t.recordedAt.toISOString(),
      lines: lines.map((l) => ({ lineNo: l.lineNo, account: l.code, book: l.book, ...sides(l.debit, l.credit), balanceAfter: l.balanceAfter })),
    };
  }

  /**
   * An account's lines in the order they moved its balance (`account_seq`, taken under the account's row lock), so
   * each `balanceAfter` is the previous one plus this line; the cursor is the last line's `account_seq`, and a page
   * is read through `UQ_ledger_lines_account_seq` however deep in the account's history it starts. Prepared: planning
   * it (the planner probes the index's ends for the range) cost more than reading the page.
   */
  async statement(actor: Actor, code: string, q: StatementQueryDto): Promise<StatementView> {
    const account = await this.findAccount(actor, code);
    const limit = q.limit ?? DEFAULT_PAGE_SIZE;
    const rows = await selectRows(
      preparedAlone(this.ds, 'ledger_statement'),
      StatementLineRow,
      `SELECT l.account_seq, l.transaction_id, l.line_no, l.effective_date::text, t.recorded_at, t.memo, l.debit, l.credit, l.balance_after
         FROM ledger_lines l JOIN ledger_transactions t ON t.id = l.transaction_id
        WHERE l.account_id = $1 AND l.account_seq > $2::bigint
          AND ($3::date IS NULL OR l.effective_date >= $3::date)
          AND ($4::date IS NULL OR l.effective_date <= $4::date)
        ORDER BY l.account_seq LIMIT $5`,
      [account.id, q.cursor ?? '0', q.from ?? null, q.to ?? null, limit + 1],
    );
    const page = rows.slice(0, limit);
    return {
      account: accountView(account),
      items: page.map((r) => ({
        transactionId: r.transactionId,
        lineNo: r.lineNo,
        effectiveDate: r.effectiveDate,
        recordedAt: r.recordedAt.toISOString(),
        memo: r.memo,
        ...sides(r.debit, r.credit),
        balanceAfter: r.balanceAfter,
      })),
      nextCursor: rows.length > limit ? page[page.length - 1].accountSeq : null,
    };
  }

  /**
   * Every account's balance, now (kept balances) or as of the end of an effective date (each account's closing
   * balance that day or the last day before it moved: one index lookup per account, whatever the history's length).
   */
  async trialBalance(actor: Actor, q: TrialBalanceQueryDto): Promise<TrialBalanceView> {
    const rows = q.asOf
      ? await selectRows(
          this.ds,
          AccountRow,
          `SELECT a.id, a.code, a.name, a.book, a.type, a.normal_side, a.allow_negative, coalesce(c.balance, 0) AS balance
             FROM ledger_accounts a
             LEFT JOIN LATERAL (SELECT c.balance FROM ledger_closing_balances c
                                 WHERE c.account_id = a.id AND c.effective_date <= $3::date
                                 ORDER BY c.effective_date DESC LIMIT 1) c ON true
            WHERE a.county_id = $1 AND ($2::text IS NULL OR a.book = $2)
            ORDER BY a.book, a.code`,
          [actor.county.id, q.book ?? null, q.asOf],
        )
      : await selectRows(
          this.ds,
          AccountRow,
          `SELECT ${ACCOUNT_SELECT} FROM ledger_accounts a WHERE a.county_id = $1 AND ($2::text IS NULL OR a.book = $2) ORDER BY a.book, a.code`,
          [actor.county.id, q.book ?? null],
        );
    const books = new Map<Book, TrialBalanceBook>();
    const totals = new Map<Book, { debit: Decimal; credit: Decimal }>();
    for (const row of rows) {
      const balance = money(row.balance);
      const onDebit = (row.normalSide === 'debit') === balance.gte(0);
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

  private async findAccount(actor: Actor, code: string): Promise<AccountRow> {
    const row = await selectOne(this.ds, AccountRow, `SELECT ${ACCOUNT_SELECT} FROM ledger_accounts a WHERE a.county_id = $1 AND a.code = $2`, [
      actor.county.id,
      code,
    ]);
    if (!row) throw new DomainError(ErrorCode.NotFound, `No account ${code}`);
    return row;
  }
}

/** An account's view, picked from a row that holds more (its id; when just opened, what posting needs). */
export function accountView({ code, name, book, type, normalSide, allowNegative, balance }: AccountView): AccountView {
  return { code, name, book, type, normalSide, allowNegative, balance };
}

/** A line's one side: numeric(20,2) columns, already two decimals. */
function sides(debit: string, credit: string): { debit?: string; credit?: string } {
  return money(debit).gt(0) ? { debit } : { credit };
}

/** Money summed over rows, for callers adding up balances they read. */
export function sumOf(balances: readonly { balance: Decimal }[]): Decimal {
  return balances.reduce((s, b) => s.plus(b.balance), new Money(0));
}
