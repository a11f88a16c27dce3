import { EntityManager } from 'typeorm';
import { z } from 'zod';
import { col, selectRows } from '../database/rows';
import { streamRows } from '../database/stream-rows';
import { ACCOUNT_KINDS, AccountKind } from './domain/account-refs';
import { ACCOUNT_TYPE_NAMES, BOOKS, PURPOSES, SIDES } from './domain/accounts';

/**
 * The ledger as books to take away (journal, ledgers, trial balance, 資金一本帳): every line and account, streamed
 * through a cursor in the caller's snapshot (`inSnapshot`), so an export of millions of lines holds one batch in
 * memory and all of an export's files read the same committed state. Amounts are the database's numeric text.
 */

const BookAccountRow = z.object({
  id: col.int8,
  code: col.text,
  name: col.text,
  book: z.enum(BOOKS),
  type: z.enum(ACCOUNT_TYPE_NAMES),
  normalSide: z.enum(SIDES),
  kind: z.enum(ACCOUNT_KINDS as [AccountKind, ...AccountKind[]]),
  allocationId: col.id.nullable(),
  projectId: col.id.nullable(),
  contractId: col.id.nullable(),
  claimId: col.id.nullable(),
  dedicatedAccountId: col.id.nullable(),
  category: col.text.nullable(),
  /** The kept balance, on the account's normal side. */
  balance: col.money,
  lineCount: col.int8,
});
export type BookAccount = z.infer<typeof BookAccountRow>;

const PeriodBalanceRow = BookAccountRow.extend({
  /** Σ debit − Σ credit of the lines dated before the period. */
  openingNet: col.money,
  periodDebit: col.money,
  periodCredit: col.money,
});
export type PeriodBalance = z.infer<typeof PeriodBalanceRow>;

const BookLineRow = z.object({
  transactionId: col.text,
  lineNo: col.int,
  accountId: col.int8,
  accountCode: col.text,
  book: z.enum(BOOKS),
  effectiveDate: col.date,
  recordedAt: col.timestamp,
  purpose: z.enum(PURPOSES),
  memo: col.text,
  reversesId: col.text.nullable(),
  debit: col.money,
  credit: col.money,
  accountSeq: col.int8,
  /** On the account's normal side, in `account_seq` order. */
  balanceAfter: col.money,
  normalSide: z.enum(SIDES),
});
export type BookLine = z.infer<typeof BookLineRow>;

export interface Period {
  from: string;
  to: string;
}

/** Books in the order the standard prints them (財務會計 before 預算會計), accounts by code within each. */
const BOOK_ORDER = `CASE a.book WHEN 'financial' THEN 0 ELSE 1 END, a.code`;

const ACCOUNT_COLUMNS = `a.id, a.code, a.name, a.book, a.type, a.normal_side, a.kind, a.allocation_id, a.project_id, a.contract_id,
  a.claim_id, a.dedicated_account_id, a.category, a.balance, a.line_count`;

const LINE_COLUMNS = `l.transaction_id, l.line_no, l.account_id, a.code AS account_code, l.book, l.effective_date::text, t.recorded_at,
  l.purpose, t.memo, t.reverses_id, l.debit, l.credit, l.account_seq, l.balance_after, a.normal_side`;

/** Every account of the county with its kept balance, by book (financial first) and code. */
export function bookAccounts(em: EntityManager, countyId: number): AsyncGenerator<BookAccount> {
  return streamRows(em, BookAccountRow, `SELECT ${ACCOUNT_COLUMNS} FROM ledger_accounts a WHERE a.county_id = $1 ORDER BY ${BOOK_ORDER}`, [countyId]);
}

/**
 * Every account with its opening (lines dated before `from`) and its period's debits and credits (lines dated `from`
 * to `to`), by book and code: one pass over the county's lines up to `to`.
 */
export function periodBalances(em: EntityManager, countyId: number, period: Period): Promise<PeriodBalance[]> {
  return selectRows(
    em,
    PeriodBalanceRow,
    `SELECT ${ACCOUNT_COLUMNS},
            coalesce(s.opening_net, 0.00) AS opening_net, coalesce(s.period_debit, 0.00) AS period_debit, coalesce(s.period_credit, 0.00) AS period_credit
       FROM ledger_accounts a
       LEFT JOIN (SELECT l.account_id,
                         sum(l.debit - l.credit) FILTER (WHERE l.effective_date < $2::date) AS opening_net,
                         sum(l.debit) FILTER (WHERE l.effective_date >= $2::date) AS period_debit,
                         sum(l.credit) FILTER (WHERE l.effective_date >= $2::date) AS period_credit
                    FROM ledger_lines l WHERE l.county_id = $1 AND l.effective_date <= $3::date
                   GROUP BY l.account_id) s ON s.account_id = a.id
      WHERE a.county_id = $1 ORDER BY ${BOOK_ORDER}`,
    [countyId, period.from, period.to],
  );
}

/** 序時賬: the period's lines in the order of their transactions (effective date, then as posted), line by line. */
export function journalLines(em: EntityManager, countyId: number, period: Period): AsyncGenerator<BookLine> {
  return streamRows(
    em,
    BookLineRow,
    `SELECT ${LINE_COLUMNS}
       FROM ledger_transactions t
       JOIN ledger_lines l ON l.transaction_id = t.id
       JOIN ledger_accounts a ON a.id = l.account_id
      WHERE t.county_id = $1 AND t.effective_date BETWEEN $2::date AND $3::date
      ORDER BY t.effective_date, t.recorded_at, t.id, l.line_no`,
    [countyId, period.from, period.to],
  );
}

/** 明細賬: the period's lines account by account (by book and code), each account's in date order, then as posted. */
export function accountLines(em: EntityManager, countyId: number, period: Period, accountId?: string): AsyncGenerator<BookLine> {
  return streamRows(
    em,
    BookLineRow,
    `SELECT ${LINE_COLUMNS}
       FROM ledger_lines l
       JOIN ledger_accounts a ON a.id = l.account_id
       JOIN ledger_transactions t ON t.id = l.transaction_id
      WHERE l.county_id = $1 AND l.effective_date BETWEEN $2::date AND $3::date AND ($4::bigint IS NULL OR l.account_id = $4::bigint)
      ORDER BY ${BOOK_ORDER}, l.effective_date, l.account_seq`,
    [countyId, period.from, period.to, accountId ?? null],
  );
}

/** How many lines `accountLines` answers (a paged PDF knows its page count before its first page). */
export async function accountLineCount(em: EntityManager, countyId: number, period: Period, accountId?: string): Promise<number> {
  const [{ count }] = await selectRows(
    em,
    z.object({ count: col.count }),
    `SELECT count(*) AS count FROM ledger_lines l
      WHERE l.county_id = $1 AND l.effective_date BETWEEN $2::date AND $3::date AND ($4::bigint IS NULL OR l.account_id = $4::bigint)`,
    [countyId, period.from, period.to, accountId ?? null],
  );
  return count;
}

/**
 * Every line the county ever posted, account by account (code order) in `account_seq` order: the whole history an
 * offline verifier replays the posting events against, each line's balance after as the database kept it.
 */
export function everyLine(em: EntityManager, countyId: number): AsyncGenerator<BookLine> {
  return streamRows(
    em,
    BookLineRow,
    `SELECT ${LINE_COLUMNS}
       FROM ledger_accounts a
       JOIN ledger_lines l ON l.account_id = a.id
       JOIN ledger_transactions t ON t.id = l.transaction_id
      WHERE a.county_id = $1
      ORDER BY a.code, l.account_seq`,
    [countyId],
  );
}

/** The account an export names by code, or undefined. */
export async function findBookAccount(em: EntityManager, countyId: number, code: string): Promise<BookAccount | undefined> {
  const [row] = await selectRows(em, BookAccountRow, `SELECT ${ACCOUNT_COLUMNS} FROM ledger_accounts a WHERE a.county_id = $1 AND a.code = $2`, [
    countyId,
    code,
  ]);
  return row;
}

/** The kinds whose balances make up 資金一本帳 (design §2): an allocation's money and each project's from it. */
export const FUND_BOOK_KINDS: readonly AccountKind[] = [
  'fund',
  'quota_unallocated',
  'quota_project',
  'quota_committed',
  'quota_held',
  'quota_spent',
  'retention',
  'expense',
];

const FundBookFigureRow = z.object({
  allocationId: col.id,
  projectId: col.id.nullable(),
  kind: z.enum(ACCOUNT_KINDS as [AccountKind, ...AccountKind[]]),
  /** Σ debit − Σ credit of the lines dated `to` or before. */
  net: col.money,
  debit: col.money,
  credit: col.money,
  /** Retention accounts: debits of releases (the transaction pays the bank) and of forfeits (it reduces the expense). */
  released: col.money,
  forfeited: col.money,
});
export type FundBookFigure = z.infer<typeof FundBookFigureRow>;

/**
 * 資金一本帳's figures as at the end of `to`: per allocation and project (null for an allocation's own accounts) and
 * kind, the net of the lines and their debits and credits; for retention, its releases and forfeits.
 */
export function fundBookFigures(em: EntityManager, countyId: number, to: string): Promise<FundBookFigure[]> {
  return selectRows(
    em,
    FundBookFigureRow,
    `SELECT a.allocation_id, a.project_id, a.kind,
            coalesce(sum(l.debit - l.credit), 0.00) AS net, coalesce(sum(l.debit), 0.00) AS debit, coalesce(sum(l.credit), 0.00) AS credit,
            coalesce(sum(l.debit) FILTER (WHERE a.kind = 'retention' AND l.purpose = 'retention' AND r.pays_bank), 0.00) AS released,
            coalesce(sum(l.debit) FILTER (WHERE a.kind = 'retention' AND l.purpose = 'retention' AND NOT r.pays_bank), 0.00) AS forfeited
       FROM ledger_accounts a
       JOIN ledger_lines l ON l.account_id = a.id AND l.effective_date <= $3::date
       LEFT JOIN LATERAL (SELECT EXISTS (SELECT 1 FROM ledger_lines o JOIN ledger_accounts oa ON oa.id = o.account_id
                                          WHERE o.transaction_id = l.transaction_id AND oa.kind = 'bank' AND o.credit > 0) AS pays_bank
                           WHERE a.kind = 'retention' AND l.purpose = 'retention') r ON true
      WHERE a.county_id = $1 AND a.kind = ANY($2::text[]) AND a.allocation_id IS NOT NULL
      GROUP BY a.allocation_id, a.project_id, a.kind
      ORDER BY a.allocation_id, a.project_id NULLS FIRST, a.kind`,
    [countyId, FUND_BOOK_KINDS, to],
  );
}

const FundBookLineRow = BookLineRow.extend({
  kind: z.enum(ACCOUNT_KINDS as [AccountKind, ...AccountKind[]]),
  allocationId: col.id,
  projectId: col.id.nullable(),
});
export type FundBookLine = z.infer<typeof FundBookLineRow>;

/** The lines behind 資金一本帳's figures (dated `to` or before), by allocation, project, kind and date. */
export function fundBookLines(em: EntityManager, countyId: number, to: string): AsyncGenerator<FundBookLine> {
  return streamRows(
    em,
    FundBookLineRow,
    `SELECT ${LINE_COLUMNS}, a.kind, a.allocation_id, a.project_id
       FROM ledger_accounts a
       JOIN ledger_lines l ON l.account_id = a.id AND l.effective_date <= $3::date
       JOIN ledger_transactions t ON t.id = l.transaction_id
      WHERE a.county_id = $1 AND a.kind = ANY($2::text[]) AND a.allocation_id IS NOT NULL
      ORDER BY a.allocation_id, a.project_id NULLS FIRST, a.kind, l.effective_date, l.account_seq`,
    [countyId, FUND_BOOK_KINDS, to],
  );
}

const MonthlyTotalRow = z.object({ accountId: col.int8, month: col.text, debit: col.money, credit: col.money });
export type MonthlyTotal = z.infer<typeof MonthlyTotalRow>;

/** 總賬's monthly rows: each account's debits and credits per month (`YYYY-MM`) of the period. */
export function monthlyTotals(em: EntityManager, countyId: number, period: Period): Promise<MonthlyTotal[]> {
  return selectRows(
    em,
    MonthlyTotalRow,
    `SELECT l.account_id, to_char(l.effective_date, 'YYYY-MM') AS month, sum(l.debit) AS debit, sum(l.credit) AS credit
       FROM ledger_lines l
      WHERE l.county_id = $1 AND l.effective_date BETWEEN $2::date AND $3::date
      GROUP BY l.account_id, month ORDER BY l.account_id, month`,
    [countyId, period.from, period.to],
  );
}
