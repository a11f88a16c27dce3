import Decimal from 'decimal.js';
import { fault, FaultError } from './report';

/**
 * The replay (docs/audit-package.md, check 4): the books rebuilt from the events alone and compared with the CSVs.
 * Per account it keeps running state, not lines; per transaction it keeps the lines its event expects until the CSV
 * has listed them.
 */

/** Exact money: sums of many amounts of up to 18 digits stay exact at this precision. */
const Money = Decimal.clone({ precision: 60 });
type Money = Decimal;
const ZERO = new Money(0);
const ZERO_CELL = '0.00';

const BOOKS = new Set(['financial', 'budget']);
const SIDES = new Set(['debit', 'credit']);
/** An amount in an event: what the ledger posts (no sign, at most two decimals; short enough that sums stay exact). */
const EVENT_AMOUNT = /^(0|[1-9][0-9]{0,19})(\.[0-9]{1,2})?$/;
/** A money cell (docs/exports.md): never negative, exactly two decimals. */
const CSV_MONEY = /^(0|[1-9][0-9]*)\.[0-9]{2}$/;
const DATE = /^[0-9]{4}-[0-9]{2}-[0-9]{2}$/;
const POSITIVE_INTEGER = /^[1-9][0-9]*$/;
const COUNT = /^(0|[1-9][0-9]*)$/;

export const POSTING_EVENTS = new Set(['ledger.transaction.posted', 'ledger.transaction.reversed']);
export const ACCOUNT_OPENED = 'ledger.account.opened';

export function isDate(text: string): boolean {
  if (!DATE.test(text)) return false;
  const d = new Date(`${text}T00:00:00Z`);
  return !Number.isNaN(d.getTime()) && d.toISOString().startsWith(text);
}

/** A balance in the two-column form of docs/exports.md: net > 0 on the debit side, net < 0 on the credit side. */
function twoColumns(net: Money): [string, string] {
  return net.gt(0) ? [net.toFixed(2), ZERO_CELL] : [ZERO_CELL, net.neg().toFixed(2)];
}

interface AccountState {
  code: string;
  book: string;
  type: string;
  normalSide: string;
  openedSeq: string;
  /** From the events, for the trial balance: net before the period, and the period's debits and credits. */
  opening: Money;
  periodDebit: Money;
  periodCredit: Money;
  /** From ledger-lines.csv: the last account_seq read and the net of the lines read. */
  csvSeq: number;
  running: Money;
  /** Whether accounts.csv and trial-balance.csv have listed it. */
  listed: boolean;
  inTrialBalance: boolean;
}

interface ExpectedLine {
  account: AccountState;
  /** The line's debit and credit cells as ledger-lines.csv must show them. */
  debit: string;
  credit: string;
  listed: boolean;
}

interface ExpectedTransaction {
  seq: string;
  effectiveDate: string;
  lines: ExpectedLine[];
  unlisted: number;
}

interface TrialBalanceRow {
  opening: [string, string];
  period: [string, string];
  closing: [string, string];
}

const TB_COLUMNS = ['opening_debit', 'opening_credit', 'period_debit', 'period_credit', 'closing_debit', 'closing_credit'] as const;

/** A CSV's columns by machine name, from its header: where each column the replay reads is. */
export class Columns<C extends string = string> {
  /** Each required column's index. */
  readonly at: Record<C, number>;
  readonly width: number;

  constructor(
    readonly file: string,
    header: string[],
    required: readonly C[],
  ) {
    const index = new Map<string, number>();
    header.forEach((name, i) => {
      if (index.has(name)) throw fault('replay', `column ${name} appears twice in the header`, { file, line: 1 });
      index.set(name, i);
    });
    this.width = header.length;
    const missing = required.filter((name) => !index.has(name));
    if (missing.length > 0) throw fault('replay', `the header lacks column(s) ${missing.join(', ')}`, { file, line: 1 });
    this.at = Object.fromEntries(required.map((name) => [name, index.get(name)!])) as Record<C, number>;
  }

  /** A record of another width than the header's is a fault. */
  check(fields: string[], line: number): void {
    if (fields.length !== this.width) throw fault('replay', `the record has ${fields.length} fields; the header has ${this.width}`, { file: this.file, line });
  }

  /** The record as a reader of named cells. */
  row(fields: string[], line: number): (name: C) => string {
    this.check(fields, line);
    return (name) => fields[this.at[name]];
  }
}

export type LedgerLineColumn = (typeof LEDGER_LINE_COLUMNS)[number];
export type AccountColumn = (typeof ACCOUNT_COLUMNS)[number];
export type TrialBalanceColumn = (typeof TRIAL_BALANCE_COLUMNS)[number];

export const LEDGER_LINE_COLUMNS = [
  'transaction_id',
  'line_no',
  'account_code',
  'book',
  'effective_date',
  'debit',
  'credit',
  'account_seq',
  'balance_after_debit',
  'balance_after_credit',
] as const;
export const ACCOUNT_COLUMNS = ['code', 'book', 'type', 'normal_side', 'balance_debit', 'balance_credit', 'line_count'] as const;
export const TRIAL_BALANCE_COLUMNS = ['row_type', 'book', 'code', ...TB_COLUMNS] as const;

export const LEDGER_LINES_FILE = 'books/ledger-lines.csv';
export const ACCOUNTS_FILE = 'books/accounts.csv';
export const TRIAL_BALANCE_FILE = 'books/trial-balance.csv';

function csvMoney(cell: string, column: string, where: { file: string; line: number }): Money {
  if (!CSV_MONEY.test(cell)) throw fault('replay', `${column} is not a non-negative amount with two decimals: ${JSON.stringify(cell)}`, where);
  return new Money(cell);
}

function record(value: unknown): Record<string, unknown> | null {
  return typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as Record<string, unknown>) : null;
}

export class Replay {
  private readonly accounts = new Map<string, AccountState>();
  private readonly transactions = new Map<string, ExpectedTransaction>();
  private linesRead = 0;
  private trialBalanceRows = 0;
  private readonly totalRowsSeen = new Set<string>();
  /** The trial balance's total rows recomputed from the events, once the events are all read. */
  private totals?: Map<string, Money[]>;

  constructor(private readonly period: { from: string; to: string }) {}

  get counts(): { accounts: number; transactions: number; lines: number; trialBalanceRows: number } {
    return { accounts: this.accounts.size, transactions: this.transactions.size, lines: this.linesRead, trialBalanceRows: this.trialBalanceRows };
  }

  /** Takes what a sealed event says about the ledger; every other event type passes. */
  onEvent(seq: string, type: string, data: unknown): void {
    if (type === ACCOUNT_OPENED) this.opened(seq, record(data));
    else if (POSTING_EVENTS.has(type)) this.posted(seq, type, record(data));
  }

  private opened(seq: string, data: Record<string, unknown> | null): void {
    const bad = (message: string) => fault('replay', `${ACCOUNT_OPENED}: ${message}`, { file: 'events.jsonl', seq, account: code || undefined });
    const code = typeof data?.code === 'string' ? data.code : '';
    if (!data || code === '') throw bad('data.code is missing');
    const { book, type, normalSide } = data;
    if (typeof book !== 'string' || !BOOKS.has(book)) throw bad(`data.book is not financial or budget: ${JSON.stringify(book)}`);
    if (typeof type !== 'string' || type === '') throw bad('data.type is missing');
    if (typeof normalSide !== 'string' || !SIDES.has(normalSide)) throw bad(`data.normalSide is not debit or credit: ${JSON.stringify(normalSide)}`);
    const before = this.accounts.get(code);
    if (before) throw bad(`account ${code} was opened already at seq ${before.openedSeq}`);
    this.accounts.set(code, {
      code,
      book,
      type,
      normalSide,
      openedSeq: seq,
      opening: ZERO,
      periodDebit: ZERO,
      periodCredit: ZERO,
      csvSeq: 0,
      running: ZERO,
      listed: false,
      inTrialBalance: false,
    });
  }

  private posted(seq: string, type: string, data: Record<string, unknown> | null): void {
    const id = typeof data?.id === 'string' ? data.id : '';
    const bad = (message: string, where: { account?: string; lineNo?: number } = {}) =>
      fault('replay', `${type}: ${message}`, { file: 'events.jsonl', seq, transactionId: id || undefined, ...where });
    if (!data || id === '') throw bad('data.id is missing');
    const before = this.transactions.get(id);
    if (before) throw bad(`transaction ${id} was posted already at seq ${before.seq}`);
    const { effectiveDate, lines } = data;
    if (typeof effectiveDate !== 'string' || !this.isDate(effectiveDate)) throw bad(`data.effectiveDate is not a date: ${JSON.stringify(effectiveDate)}`);
    if (!Array.isArray(lines) || lines.length === 0) throw bad('data.lines is missing or empty');
    const inPeriod = effectiveDate >= this.period.from && effectiveDate <= this.period.to;
    const beforePeriod = effectiveDate < this.period.from;
    let financial = ZERO;
    let budget = ZERO;
    const expected: ExpectedLine[] = [];
    for (let i = 0; i < lines.length; i++) {
      const lineNo = i + 1;
      const line = record(lines[i]);
      const code = typeof line?.account === 'string' ? line.account : '';
      if (!line || code === '') throw bad(`line ${lineNo} names no account`, { lineNo });
      const account = this.accounts.get(code);
      if (!account) throw bad(`line ${lineNo} posts to account ${code}, which no earlier event opened`, { lineNo, account: code });
      if (line.book !== account.book)
        throw bad(`line ${lineNo} is in book ${String(line.book)}; account ${code} is in ${account.book}`, { lineNo, account: code });
      const { debit, credit } = line;
      if ((debit === undefined) === (credit === undefined)) {
        throw bad(`line ${lineNo} has ${debit === undefined ? 'neither' : 'both'} debit and credit`, { lineNo, account: code });
      }
      const side = debit !== undefined ? 'debit' : 'credit';
      const amount = debit ?? credit;
      if (typeof amount !== 'string' || !EVENT_AMOUNT.test(amount))
        throw bad(`line ${lineNo}'s ${side} is not an amount: ${JSON.stringify(amount)}`, { lineNo, account: code });
      const value = new Money(amount);
      const signed = side === 'debit' ? value : value.neg();
      if (account.book === 'financial') financial = financial.plus(signed);
      else budget = budget.plus(signed);
      if (beforePeriod) account.opening = account.opening.plus(signed);
      else if (inPeriod) {
        if (side === 'debit') account.periodDebit = account.periodDebit.plus(value);
        else account.periodCredit = account.periodCredit.plus(value);
      }
      // The ledger writes amounts with two decimals already; only another spelling needs rewriting.
      const cellText = CSV_MONEY.test(amount) ? amount : value.toFixed(2);
      expected.push({ account, debit: side === 'debit' ? cellText : ZERO_CELL, credit: side === 'credit' ? cellText : ZERO_CELL, listed: false });
    }
    for (const [book, net] of [
      ['financial', financial],
      ['budget', budget],
    ] as const) {
      if (!net.isZero()) throw bad(`does not balance in book ${book}: debits exceed credits by ${net.toFixed(2)}`);
    }
    this.transactions.set(id, { seq, effectiveDate, lines: expected, unlisted: expected.length });
  }

  /** Dates repeat: each distinct one is checked once. */
  private readonly dates = new Set<string>();

  private isDate(text: string): boolean {
    if (this.dates.has(text)) return true;
    if (!isDate(text)) return false;
    this.dates.add(text);
    return true;
  }

  /**
   * One record of ledger-lines.csv: it must be an event's line, and its account's next line in account_seq order.
   * Money cells are compared as text with the event's amounts written the CSV's way (two decimals, no sign, no
   * leading zero), which is exact: a cell that differs in text differs in value or is not a money cell. This runs a
   * million times: it reads cells by index and allocates nothing unless it finds a fault.
   */
  onLedgerLine(columns: Columns<LedgerLineColumn>, fields: string[], line: number): void {
    columns.check(fields, line);
    const c = columns.at;
    const id = fields[c.transaction_id];
    const lineNoText = fields[c.line_no];
    if (!POSITIVE_INTEGER.test(lineNoText)) throw this.lineFault(`line_no is not a positive integer: ${JSON.stringify(lineNoText)}`, columns, fields, line);
    const lineNo = Number(lineNoText);
    const tx = this.transactions.get(id);
    if (!tx) throw this.lineFault(`no posting event has transaction ${id}: a line without its event`, columns, fields, line);
    const expected = tx.lines[lineNo - 1];
    if (!expected) {
      throw this.lineFault(
        `the event of transaction ${id} (seq ${tx.seq}) has ${tx.lines.length} line(s); line ${lineNo} is not one of them`,
        columns,
        fields,
        line,
      );
    }
    if (expected.listed) throw this.lineFault(`line ${lineNo} of transaction ${id} is listed twice`, columns, fields, line);
    const account = expected.account;
    if (fields[c.account_code] !== account.code) throw this.differs('account_code', account.code, tx.seq, columns, fields, line);
    if (fields[c.book] !== account.book) throw this.differs('book', account.book, tx.seq, columns, fields, line);
    if (fields[c.effective_date] !== tx.effectiveDate) throw this.differs('effective_date', tx.effectiveDate, tx.seq, columns, fields, line);
    if (fields[c.debit] !== expected.debit) throw this.differs('debit', expected.debit, tx.seq, columns, fields, line);
    if (fields[c.credit] !== expected.credit) throw this.differs('credit', expected.credit, tx.seq, columns, fields, line);
    expected.listed = true;
    tx.unlisted -= 1;

    const seqText = fields[c.account_seq];
    if (!POSITIVE_INTEGER.test(seqText) || Number(seqText) !== account.csvSeq + 1) {
      throw this.lineFault(
        `account_seq is ${seqText} where ${account.csvSeq + 1} comes next: each account's lines must be listed in account_seq order, 1 to n without a gap`,
        columns,
        fields,
        line,
      );
    }
    account.csvSeq += 1;
    account.running = expected.debit !== ZERO_CELL ? account.running.plus(expected.debit) : account.running.minus(expected.credit);
    const [afterDebit, afterCredit] = twoColumns(account.running);
    if (fields[c.balance_after_debit] !== afterDebit || fields[c.balance_after_credit] !== afterCredit) {
      const where = this.lineWhere(columns, fields, line);
      const shown = [
        csvMoney(fields[c.balance_after_debit], 'balance_after_debit', where),
        csvMoney(fields[c.balance_after_credit], 'balance_after_credit', where),
      ];
      throw fault(
        'replay',
        `balance after (debit ${shown[0].toFixed(2)}, credit ${shown[1].toFixed(2)}) is not the account's lines up to account_seq ${account.csvSeq} (debit ${afterDebit}, credit ${afterCredit})`,
        where,
      );
    }
    this.linesRead += 1;
  }

  private lineWhere(columns: Columns<LedgerLineColumn>, fields: string[], line: number) {
    const lineNo = Number(fields[columns.at.line_no]);
    return {
      file: LEDGER_LINES_FILE,
      line,
      transactionId: fields[columns.at.transaction_id],
      ...(Number.isSafeInteger(lineNo) && lineNo > 0 ? { lineNo } : {}),
      account: fields[columns.at.account_code],
    };
  }

  private lineFault(message: string, columns: Columns<LedgerLineColumn>, fields: string[], line: number): FaultError {
    return fault('replay', message, this.lineWhere(columns, fields, line));
  }

  /** A cell that is not what the event says; a money cell is named by its value, or as not money at all. */
  private differs(column: LedgerLineColumn, want: string, seq: string, columns: Columns<LedgerLineColumn>, fields: string[], line: number): FaultError {
    const where = this.lineWhere(columns, fields, line);
    const shown = column === 'debit' || column === 'credit' ? csvMoney(fields[columns.at[column]], column, where).toFixed(2) : fields[columns.at[column]];
    return fault('replay', `${column} is ${shown}; the event (seq ${seq}) says ${want}`, where);
  }

  /** After ledger-lines.csv: every event's line must have been listed. */
  finishLines(): void {
    for (const [id, tx] of this.transactions) {
      if (tx.unlisted === 0) continue;
      const lineNo = tx.lines.findIndex((l) => !l.listed) + 1;
      throw fault('replay', `line ${lineNo} of transaction ${id} (seq ${tx.seq}) is not in ${LEDGER_LINES_FILE}: an event's line without its row`, {
        file: LEDGER_LINES_FILE,
        seq: tx.seq,
        transactionId: id,
        lineNo,
        account: tx.lines[lineNo - 1].account.code,
      });
    }
  }

  /** One record of accounts.csv: an opened account, its kept balance and line count those of its lines. */
  onAccountRow(columns: Columns<AccountColumn>, fields: string[], line: number): void {
    const cell = columns.row(fields, line);
    const code = cell('code');
    const where = { file: ACCOUNTS_FILE, line, account: code };
    const account = this.accounts.get(code);
    if (!account) throw fault('replay', `no event opened account ${code}`, where);
    if (account.listed) throw fault('replay', `account ${code} is listed twice`, where);
    account.listed = true;
    const says = `its opening event (seq ${account.openedSeq}) says`;
    if (cell('book') !== account.book) throw fault('replay', `book is ${cell('book')}; ${says} ${account.book}`, where);
    if (cell('type') !== account.type) throw fault('replay', `type is ${cell('type')}; ${says} ${account.type}`, where);
    if (cell('normal_side') !== account.normalSide) throw fault('replay', `normal_side is ${cell('normal_side')}; ${says} ${account.normalSide}`, where);
    const [debit, credit] = twoColumns(account.running);
    const kept = [csvMoney(cell('balance_debit'), 'balance_debit', where), csvMoney(cell('balance_credit'), 'balance_credit', where)];
    if (!kept[0].eq(debit) || !kept[1].eq(credit)) {
      throw fault(
        'replay',
        `kept balance (debit ${kept[0].toFixed(2)}, credit ${kept[1].toFixed(2)}) is not where its ${account.csvSeq} line(s) end (debit ${debit}, credit ${credit})`,
        where,
      );
    }
    const count = cell('line_count');
    if (!COUNT.test(count) || Number(count) !== account.csvSeq)
      throw fault('replay', `line_count is ${count}; the account has ${account.csvSeq} line(s)`, where);
  }

  finishAccounts(): void {
    for (const account of this.accounts.values()) {
      if (!account.listed) {
        throw fault('replay', `account ${account.code}, opened at seq ${account.openedSeq}, is not in ${ACCOUNTS_FILE}`, {
          file: ACCOUNTS_FILE,
          seq: account.openedSeq,
          account: account.code,
        });
      }
    }
  }

  private accountTrialBalance(account: AccountState): TrialBalanceRow {
    const closing = account.opening.plus(account.periodDebit).minus(account.periodCredit);
    return { opening: twoColumns(account.opening), period: [account.periodDebit.toFixed(2), account.periodCredit.toFixed(2)], closing: twoColumns(closing) };
  }

  /** Each book's total row: the sums of its account rows, column by column. */
  private bookTotals(): Map<string, Money[]> {
    const totals = new Map<string, Money[]>();
    for (const account of this.accounts.values()) {
      const row = this.accountTrialBalance(account);
      const cells = [...row.opening, ...row.period, ...row.closing];
      const total = totals.get(account.book) ?? TB_COLUMNS.map(() => ZERO);
      totals.set(
        account.book,
        total.map((sum, i) => sum.plus(cells[i])),
      );
    }
    return totals;
  }

  /** One record of trial-balance.csv, against the trial balance recomputed from the events. */
  onTrialBalanceRow(columns: Columns<TrialBalanceColumn>, fields: string[], line: number): void {
    const cell = columns.row(fields, line);
    const file = TRIAL_BALANCE_FILE;
    const kind = cell('row_type');
    const book = cell('book');
    let expected: string[];
    let where: { file: string; line: number; account?: string };
    let what: string;
    if (kind === 'account') {
      const code = cell('code');
      where = { file, line, account: code };
      const account = this.accounts.get(code);
      if (!account) throw fault('replay', `no event opened account ${code}`, where);
      if (account.inTrialBalance) throw fault('replay', `account ${code} has two rows`, where);
      account.inTrialBalance = true;
      if (book !== account.book) throw fault('replay', `book is ${book}; account ${code} is in ${account.book}`, where);
      const row = this.accountTrialBalance(account);
      expected = [...row.opening, ...row.period, ...row.closing];
      what = `the events' lines of account ${code} give`;
    } else if (kind === 'book_total') {
      where = { file, line };
      this.totals ??= this.bookTotals();
      const total = this.totals.get(book);
      if (!total) throw fault('replay', `a total row for book ${book}, which has no account`, where);
      if (this.totalRowsSeen.has(book)) throw fault('replay', `book ${book} has two total rows`, where);
      this.totalRowsSeen.add(book);
      expected = total.map((sum) => sum.toFixed(2));
      what = `the book's account rows recomputed from the events sum to`;
    } else throw fault('replay', `row_type is neither account nor book_total: ${JSON.stringify(kind)}`, { file, line });
    TB_COLUMNS.forEach((column, i) => {
      const shown = csvMoney(cell(column), column, where);
      if (!shown.eq(expected[i])) throw fault('replay', `${column} is ${shown.toFixed(2)}; ${what} ${expected[i]}`, where);
    });
    this.trialBalanceRows += 1;
  }

  /** Every account has its row and every book its total row, and each book's totals balance. */
  finishTrialBalance(): void {
    for (const account of this.accounts.values()) {
      if (!account.inTrialBalance) {
        throw fault('replay', `account ${account.code} has no row in ${TRIAL_BALANCE_FILE}`, {
          file: TRIAL_BALANCE_FILE,
          account: account.code,
          seq: account.openedSeq,
        });
      }
    }
    this.totals ??= this.bookTotals();
    for (const [book, total] of this.totals) {
      if (!this.totalRowsSeen.has(book)) throw fault('replay', `book ${book} has no book_total row`, { file: TRIAL_BALANCE_FILE });
      for (let i = 0; i < TB_COLUMNS.length; i += 2) {
        if (!total[i].eq(total[i + 1])) {
          throw fault(
            'replay',
            `book ${book} does not balance: ${TB_COLUMNS[i]} ${total[i].toFixed(2)} against ${TB_COLUMNS[i + 1]} ${total[i + 1].toFixed(2)}`,
            {
              file: TRIAL_BALANCE_FILE,
            },
          );
        }
      }
    }
  }
}
