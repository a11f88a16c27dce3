import { DataSource } from 'typeorm';
import { z } from 'zod';
import { canonicalJson } from '../audit/domain/chain';
import { isUuid } from '../common/ids';
import { Queryable, col, selectOne, selectRows } from '../database/rows';

/**
 * The ledger checked against its audit events and against itself, for `verify-events`: what a superuser who edits
 * ledger rows with the triggers off (`session_replication_role = replica`, `DISABLE TRIGGER`) leaves behind while the
 * event chain stays intact. It trusts nothing it reads but the posting events (whose chain the caller has verified):
 *
 * 1. Every transaction against its one posting event (`ledger.transaction.posted`, `.reversed` for a reversal): the
 *    event's `data` is what the transaction and its lines say (effective date, memo, what it reverses and why, and the
 *    lines `{account, book, debit|credit}` in line order, amounts as `formatMoney` writes them), the lines are numbered
 *    1..n and carry the transaction's date, purpose and county, on an account of that county and book, and purpose
 *    `reversal` goes with a reversed original. No posting event names a transaction the ledger lacks, and no line
 *    lacks its transaction.
 * 2. Every account's lines in `account_seq` order: numbered 1..n, each `balance_after` the running sum of the lines on
 *    the account's normal side.
 * 3. Every account's kept `balance` and `line_count`: its last line's (0 without lines).
 * 4. Every closing balance: the sum of the account's lines dated that day or before, one for each day the account moved
 *    and no other, in the account's county.
 *
 * All in one read-only snapshot, so postings committed meanwhile are wholly seen or not at all. Each check is set-based
 * SQL over a batch (a range of transactions, or of accounts, of about 200,000 lines) that answers where the batch may
 * go wrong; that place is then judged and described in TypeScript. Checks run in the order above and stop at the first
 * fault. A county of 1,000,000 lines (100,000 transactions, 500 accounts) takes about 7 s on 2 busy cores: check 1
 * about 2.5 s, checks 2-4 about 2.5 s.
 */

/** What disagrees, in the order the checks run. */
export const LEDGER_CHECKS = [
  /** A transaction's own fields differ from its posting event's, or a posting event names a transaction the ledger lacks. */
  'transaction',
  /** A line differs from the event's line of its number, or the event has no line of its number. */
  'line',
  /** A line of the posting event is not in the ledger. */
  'missing_lines',
  /** A transaction, or lines of one, that no posting event records. */
  'missing_event',
  /** A transaction that more than one posting event records. */
  'duplicate_event',
  /** An account's lines are not numbered 1..n. */
  'account_seq',
  /** A line's `balance_after` is not the running sum of its account's lines. */
  'balance_after',
  /** An account's kept balance or line count is not its last line's. */
  'kept_balance',
  /** A closing balance is not the sum of the account's lines up to its day, or has no day of lines. */
  'closing_balance',
] as const;
export type LedgerCheck = (typeof LEDGER_CHECKS)[number];

/** The first fault found, named by what locates it. */
export interface LedgerFault {
  check: LedgerCheck;
  /** The county's code. */
  county?: string;
  transactionId?: string;
  lineNo?: number;
  /** The account's code (as the ledger holds it; as the event records it for a missing line). */
  account?: string;
  /** The posting event's seq, when it is sealed. */
  seq?: string;
  /** The line's place among its account's lines. */
  accountSeq?: string;
  /** A closing balance's day. */
  date?: string;
  message: string;
}

/** What the ledger holds, as checked. */
export interface LedgerCounts {
  transactions: string;
  lines: string;
  accounts: string;
  closingBalances: string;
}

export interface LedgerConsistency {
  counts: LedgerCounts;
  firstBad?: LedgerFault;
}

const POSTED = 'ledger.transaction.posted';
const REVERSED = 'ledger.transaction.reversed';
const POSTING_TYPES = `('${POSTED}', '${REVERSED}')`;
const TRANSACTIONS_PER_BATCH = 20_000;
/** Transactions a batch hands to TypeScript at most; when all pass, the rest of the batch is read again after them. */
const FLAGGED_PER_BATCH = 100;
const LINES_PER_BATCH = 250_000;
const UUID_PATTERN = '^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$';
/** A line's movement of its account's balance, on the account's normal side (`x` the line, `a` its account). */
const MOVEMENT = `CASE WHEN a.normal_side = 'debit' THEN x.debit - x.credit ELSE x.credit - x.debit END`;

/** Checks the whole ledger (every county) in one read-only snapshot; answers its counts and the first fault, if any. */
export async function checkLedger(ds: DataSource): Promise<LedgerConsistency> {
  return ds.transaction('REPEATABLE READ', async (em) => {
    await em.query('SET TRANSACTION READ ONLY');
    // A batch's lines sort in memory; compiling each batch's plan (JIT) costs more than it saves.
    await em.query(`SET LOCAL work_mem = '64MB'`);
    await em.query(`SET LOCAL jit = off`);
    const counts = await countLedger(em);
    const firstBad = (await firstTransactionFault(em)) ?? (await firstOrphanLine(em)) ?? (await firstBalanceFault(em, await accountRanges(em)));
    return firstBad ? { counts, firstBad } : { counts };
  });
}

async function countLedger(db: Queryable): Promise<LedgerCounts> {
  const [counts] = await selectRows(
    db,
    z.object({ transactions: col.int8, lines: col.int8, accounts: col.int8, closingBalances: col.int8 }),
    `SELECT (SELECT count(*) FROM ledger_transactions) AS transactions, (SELECT count(*) FROM ledger_lines) AS lines,
            (SELECT count(*) FROM ledger_accounts) AS accounts, (SELECT count(*) FROM ledger_closing_balances) AS closing_balances`,
  );
  return counts;
}

/** Rows `(after, upTo]` by key; null is open-ended, so every key, even one no row of the first table holds, is in one. */
interface Range {
  after: string | null;
  upTo: string | null;
}

function rangesUpTo(bounds: readonly string[]): Range[] {
  const ranges: Range[] = [];
  let after: string | null = null;
  for (const upTo of bounds) {
    ranges.push({ after, upTo });
    after = upTo;
  }
  ranges.push({ after, upTo: null });
  return ranges;
}

/** `$1` and `$2` as a range's bounds on `column`. */
const IN_RANGE = (column: string, type: 'uuid' | 'bigint') =>
  `($1::${type} IS NULL OR ${column} > $1::${type}) AND ($2::${type} IS NULL OR ${column} <= $2::${type})`;

// 1. Transactions against their posting events

/** Ranges of TRANSACTIONS_PER_BATCH transactions by id. */
async function transactionRanges(db: Queryable): Promise<Range[]> {
  const bounds = await selectRows(
    db,
    z.object({ id: col.text }),
    `SELECT id::text FROM (SELECT id, row_number() OVER (ORDER BY id) AS n FROM ledger_transactions) t WHERE n % $1 = 0 ORDER BY n`,
    [TRANSACTIONS_PER_BATCH],
  );
  return rangesUpTo(bounds.map((b) => b.id));
}

const TransactionBatch = z.object({ events: col.int8, flagged: col.textArray });

/**
 * The transactions of a range, each with the posting events that name it in `data.id` (found through
 * `IDX_audit_events_ledger_transaction`, as the database's own check finds them), and the event's `data` as the
 * transaction and its lines would render it in canonical JSON (RFC 8785, as `canonicalJson` writes the body: keys in
 * order, no spaces, text as `to_json` escapes it), looked for in the body: the key `"data":{` can only open the body's
 * data, and a match there is the whole object, so a match is a transaction whose event says exactly what its rows
 * say. Answers how many events the range's transactions have and the first FLAGGED_PER_BATCH (after `$3`) without
 * exactly one matching event; a rendering that differs only in form (the U+FFFD the table holds for an old event's
 * lone surrogate) is a transaction judged in TypeScript for nothing.
 */
const TRANSACTIONS_AGAINST_EVENTS = `
  WITH t AS (
    SELECT id, county_id, effective_date, memo, purpose, reverses_id, reversal_reason
      FROM ledger_transactions WHERE ${IN_RANGE('id', 'uuid')}),
  l AS (
    SELECT x.transaction_id,
           string_agg('{"account":' || to_json(a.code::text)::text || ',"book":' || to_json(x.book::text)::text
                      || CASE WHEN x.credit <> 0 THEN ',"credit":"' || x.credit || '"' ELSE '' END
                      || CASE WHEN x.debit <> 0 THEN ',"debit":"' || x.debit || '"' ELSE '' END || '}', ',' ORDER BY x.line_no, x.id) AS lines,
           bool_and(x.effective_date = t.effective_date AND x.purpose = t.purpose AND x.county_id = t.county_id
                    AND a.county_id = t.county_id AND a.book = x.book)
             AND min(x.line_no) = 1 AND max(x.line_no) = count(*) AND count(DISTINCT x.line_no) = count(*) AS agree
      FROM ledger_lines x JOIN t ON t.id = x.transaction_id LEFT JOIN ledger_accounts a ON a.id = x.account_id
     WHERE ${IN_RANGE('x.transaction_id', 'uuid')}
     GROUP BY x.transaction_id),
  checked AS (
    SELECT t.id, ev.events,
           ev.events = 1 AND ev.county_id = t.county_id
           AND ev.type = CASE WHEN t.reverses_id IS NULL THEN '${POSTED}' ELSE '${REVERSED}' END
           AND (t.purpose = 'reversal') = (t.reverses_id IS NOT NULL)
           AND l.agree
           AND strpos(ev.body, '"data":{"effectiveDate":"' || to_char(t.effective_date, 'YYYY-MM-DD') || '","id":"' || t.id
                               || '","lines":[' || l.lines || '],"memo":' || to_json(t.memo::text)::text
                               || CASE WHEN t.reversal_reason IS NULL THEN '' ELSE ',"reason":' || to_json(t.reversal_reason::text)::text END
                               || CASE WHEN t.reverses_id IS NULL THEN '' ELSE ',"reversesId":"' || t.reverses_id || '"' END || '}') > 0 AS good
      FROM t LEFT JOIN l ON l.transaction_id = t.id
      CROSS JOIN LATERAL (
        SELECT count(*) AS events, min(e.county_id) AS county_id, min(e.type) AS type, min(e.body) AS body
          FROM audit_events e WHERE audit_event_data_id(e.body) = t.id::text AND e.type IN ${POSTING_TYPES}) ev)
  SELECT coalesce((SELECT sum(events) FROM checked), 0) AS events,
         coalesce((SELECT array_agg(id::text ORDER BY id) FROM (SELECT id FROM checked WHERE good IS NOT TRUE ORDER BY id LIMIT $3) f), '{}') AS flagged`;

/**
 * Check 1: the first transaction, by id, that does not match its one posting event; then the first posting event that
 * names no transaction of the ledger (when the events counted through the transactions fall short of all of them).
 */
async function firstTransactionFault(db: Queryable): Promise<LedgerFault | undefined> {
  let counted = 0n;
  for (const range of await transactionRanges(db)) {
    for (let after = range.after, first = true; ; first = false) {
      const [batch] = await selectRows(db, TransactionBatch, TRANSACTIONS_AGAINST_EVENTS, [after, range.upTo, FLAGGED_PER_BATCH]);
      if (first) counted += BigInt(batch.events);
      for (const id of batch.flagged) {
        const judged = await judgeTransaction(db, id);
        if (judged.fault) return judged.fault;
        counted += BigInt(judged.unreadable);
      }
      if (batch.flagged.length < FLAGGED_PER_BATCH) break;
      after = batch.flagged[batch.flagged.length - 1];
    }
  }
  const [{ events }] = await selectRows(db, z.object({ events: col.int8 }), `SELECT count(*) AS events FROM audit_events WHERE type IN ${POSTING_TYPES}`);
  return BigInt(events) === counted ? undefined : firstEventWithoutTransaction(db, BigInt(events) - counted);
}

/** A transaction the batch flagged, in TypeScript: its posting events, and the one compared with it. */
async function judgeTransaction(db: Queryable, id: string): Promise<{ fault?: LedgerFault; unreadable: number }> {
  const indexed = await selectRows(
    db,
    z.object({ id: col.int8 }),
    `SELECT id FROM audit_events WHERE audit_event_data_id(body) = $1 AND type IN ${POSTING_TYPES} ORDER BY id`,
    [id],
  );
  const unreadable = await unreadableEventsNaming(db, id);
  const events = [...indexed.map((e) => e.id), ...unreadable];
  if (events.length === 1) return { fault: await eventFault(db, events[0]), unreadable: unreadable.length };
  const found = await selectOne(
    db,
    z.object({ county: col.text }),
    `SELECT c.code AS county FROM ledger_transactions t JOIN counties c ON c.id = t.county_id WHERE t.id = $1`,
    [id],
  );
  const located = { ...found, transactionId: id };
  return {
    fault:
      events.length === 0
        ? { check: 'missing_event', ...located, message: `transaction ${id} has no posting event` }
        : { check: 'duplicate_event', ...located, message: `transaction ${id} is recorded by ${events.length} posting events` },
    unreadable: unreadable.length,
  };
}

/** `data.id` of an event body read as JSON, if it has one. */
function dataIdOf(body: string): unknown {
  try {
    return (JSON.parse(body) as { data?: { id?: unknown } } | null)?.data?.id;
  } catch {
    return undefined;
  }
}

/**
 * The posting events naming a transaction whose bodies PostgreSQL cannot read as jsonb, so the index does not find
 * them (a lone surrogate escaped in a body written before such text was refused): read here as JSON.
 */
async function unreadableEventsNaming(db: Queryable, transactionId: string): Promise<string[]> {
  const events = await selectRows(
    db,
    z.object({ id: col.int8, body: col.text }),
    `SELECT id, body FROM audit_events
      WHERE type IN ${POSTING_TYPES} AND strpos(body, $1) > 0 AND audit_event_data_id(body) IS NULL ORDER BY id`,
    [transactionId],
  );
  return events.filter(({ body }) => dataIdOf(body) === transactionId).map((e) => e.id);
}

/**
 * The first posting event, in the order events were written, that names no transaction of the ledger, or that the
 * index cannot read and whose transaction another event also records. `missing` events are known to be such.
 */
async function firstEventWithoutTransaction(db: Queryable, missing: bigint): Promise<LedgerFault> {
  const candidates = await selectRows(
    db,
    z.object({ id: col.int8, body: col.text }),
    `SELECT e.id, e.body FROM audit_events e CROSS JOIN LATERAL (SELECT audit_event_data_id(e.body) AS id) d
      WHERE e.type IN ${POSTING_TYPES}
        AND (d.id IS NULL OR NOT EXISTS (
              SELECT 1 FROM ledger_transactions t WHERE t.id = CASE WHEN d.id ~ '${UUID_PATTERN}' THEN d.id::uuid END))
      ORDER BY e.id`,
  );
  for (const { id, body } of candidates) {
    const fault = await eventFault(db, id);
    if (fault) return fault;
    const named = dataIdOf(body);
    const judged = typeof named === 'string' ? await judgeTransaction(db, named) : undefined;
    if (judged?.fault) return judged.fault;
  }
  return { check: 'transaction', message: `${missing} posting events name no transaction of the ledger` };
}

const EventRow = z.object({ seq: col.int8.nullable(), type: col.text, countyId: col.id, county: col.text, body: col.text });
const TransactionRow = z.object({
  countyId: col.id,
  effectiveDate: col.date,
  memo: col.text,
  purpose: col.text,
  reversesId: col.text.nullable(),
  reversalReason: col.text.nullable(),
});
const LineRow = z.object({
  lineNo: col.int,
  countyId: col.id,
  book: col.text,
  debit: col.money,
  credit: col.money,
  effectiveDate: col.date,
  purpose: col.text,
  account: col.text.nullable(),
  accountCountyId: col.id.nullable(),
  accountBook: col.text.nullable(),
});
type LineRow = z.infer<typeof LineRow>;

function isZero(amount: string): boolean {
  return /^-?0*(\.0*)?$/.test(amount);
}

/** The line as its posting event records it: `{account, book, debit}` or `{account, book, credit}`. */
function recordedForm(line: LineRow): Record<string, string | null> {
  return {
    account: line.account,
    book: line.book,
    ...(isZero(line.debit) ? {} : { debit: line.debit }),
    ...(isZero(line.credit) ? {} : { credit: line.credit }),
  };
}

/** A value read from an event body, for a message: a string as it is, anything else as JSON. */
function shown(value: unknown): string {
  return typeof value === 'string' ? value : (JSON.stringify(value) ?? 'nothing');
}

function describeLine(line: unknown): string {
  if (!line || typeof line !== 'object') return shown(line);
  const { account, book, debit, credit } = line as Record<string, unknown>;
  const sides = [debit !== undefined ? `debit ${shown(debit)}` : '', credit !== undefined ? `credit ${shown(credit)}` : ''].filter(Boolean).join(' ');
  return `${shown(account)} (${shown(book)}) ${sides || 'no amount'}`;
}

/**
 * Text as the table holds it: the driver writes a lone surrogate as U+FFFD, so an event written before such text was
 * refused records what the row was meant to hold.
 */
function asStored(text: unknown): unknown {
  return typeof text === 'string' ? Buffer.from(text, 'utf8').toString('utf8') : text;
}

/** Compares one posting event with its transaction and lines, in TypeScript; answers the first difference. */
async function eventFault(db: Queryable, eventId: string): Promise<LedgerFault | undefined> {
  const event = await selectOne(
    db,
    EventRow,
    `SELECT e.seq, e.type, e.county_id, c.code AS county, e.body FROM audit_events e JOIN counties c ON c.id = e.county_id WHERE e.id = $1`,
    [eventId],
  );
  if (!event) return undefined;
  const at = event.seq === null ? `unsealed posting event ${eventId}` : `posting event seq ${event.seq}`;
  const located = { county: event.county, ...(event.seq === null ? {} : { seq: event.seq }) };
  let data: Record<string, unknown>;
  try {
    const body: unknown = JSON.parse(event.body);
    data = (body as { data?: unknown }).data as Record<string, unknown>;
    if (!data || typeof data !== 'object') throw new TypeError('no data');
  } catch {
    return { check: 'transaction', ...located, message: `${at} has no readable data` };
  }
  const id = typeof data.id === 'string' && isUuid(data.id) ? data.id : undefined;
  const tx = id
    ? await selectOne(
        db,
        TransactionRow,
        `SELECT county_id, to_char(effective_date, 'YYYY-MM-DD') AS effective_date, memo, purpose, reverses_id::text, reversal_reason
           FROM ledger_transactions WHERE id = $1`,
        [id],
      )
    : undefined;
  if (!id || !tx) {
    return {
      check: 'transaction',
      ...located,
      transactionId: shown(data.id),
      message: `${at} records transaction ${shown(data.id)}, which the ledger does not hold`,
    };
  }
  const here = { ...located, transactionId: id };
  const header = headerProblem(event, data, tx);
  if (header) return { check: 'transaction', ...here, message: `transaction ${id} ${header} (${at})` };

  const recorded: unknown[] = Array.isArray(data.lines) ? data.lines : [];
  const lines = await selectRows(
    db,
    LineRow,
    `SELECT x.line_no, x.county_id, x.book, x.debit, x.credit, to_char(x.effective_date, 'YYYY-MM-DD') AS effective_date, x.purpose,
            a.code AS account, a.county_id AS account_county_id, a.book AS account_book
       FROM ledger_lines x LEFT JOIN ledger_accounts a ON a.id = x.account_id
      WHERE x.transaction_id = $1 ORDER BY x.line_no, x.id`,
    [id],
  );
  const numbers = [...new Set([...recorded.map((_, i) => i + 1), ...lines.map((l) => l.lineNo)])].sort((a, b) => a - b);
  for (const lineNo of numbers) {
    const held = lines.filter((l) => l.lineNo === lineNo);
    const wanted = recorded[lineNo - 1];
    if (held.length === 0) {
      const account = (wanted as { account?: unknown } | undefined)?.account;
      return {
        check: 'missing_lines',
        ...here,
        lineNo,
        ...(typeof account === 'string' ? { account } : {}),
        message: `line ${lineNo} of transaction ${id}, ${describeLine(wanted)} in ${at}, is not in the ledger`,
      };
    }
    const line = held[0];
    const named = { check: 'line' as const, ...here, lineNo, ...(line.account === null ? {} : { account: line.account }) };
    const problem =
      held.length > 1
        ? `is numbered ${lineNo} ${held.length} times`
        : wanted === undefined
          ? `is not in ${at}`
          : canonicalJson(wanted) !== canonicalJson(recordedForm(line))
            ? `is ${describeLine(recordedForm(line))} in the ledger but ${describeLine(wanted)} in ${at}`
            : lineProblem(line, tx);
    if (problem) return { ...named, message: `line ${lineNo} of transaction ${id} ${problem}` };
  }
  return undefined;
}

function headerProblem(event: z.infer<typeof EventRow>, data: Record<string, unknown>, tx: z.infer<typeof TransactionRow>): string | undefined {
  if (tx.countyId !== event.countyId) return 'is in another county than its posting event';
  const type = tx.reversesId === null ? POSTED : REVERSED;
  if (event.type !== type) return `is recorded by a ${event.type} event but ${tx.reversesId === null ? 'reverses nothing' : `reverses ${tx.reversesId}`}`;
  if ((tx.purpose === 'reversal') !== (tx.reversesId !== null))
    return `has purpose ${tx.purpose} but ${tx.reversesId === null ? 'reverses nothing' : 'is a reversal'}`;
  if (data.effectiveDate !== tx.effectiveDate) return `is dated ${tx.effectiveDate} but ${shown(data.effectiveDate)} in its event`;
  if (asStored(data.memo) !== tx.memo) return 'has another memo than its event';
  if ((data.reversesId ?? null) !== tx.reversesId) return `reverses ${tx.reversesId ?? 'nothing'} but ${shown(data.reversesId ?? 'nothing')} in its event`;
  if ((asStored(data.reason) ?? null) !== tx.reversalReason) return 'has another reversal reason than its event';
  return undefined;
}

function lineProblem(line: LineRow, tx: z.infer<typeof TransactionRow>): string | undefined {
  if (line.effectiveDate !== tx.effectiveDate) return `is dated ${line.effectiveDate}, its transaction ${tx.effectiveDate}`;
  if (line.purpose !== tx.purpose) return `has purpose ${line.purpose}, its transaction ${tx.purpose}`;
  if (line.countyId !== tx.countyId || line.accountCountyId !== tx.countyId) return 'is in another county than its transaction or account';
  if (line.accountBook !== line.book) return `is in the ${line.book} book but its account in the ${String(line.accountBook)} book`;
  return undefined;
}

/** Check 1, last: a line whose transaction is not in the ledger (so no event could record it either). */
async function firstOrphanLine(db: Queryable): Promise<LedgerFault | undefined> {
  const orphan = await selectOne(
    db,
    z.object({ transactionId: col.text, lineNo: col.int, account: col.text.nullable(), county: col.text.nullable() }),
    `SELECT x.transaction_id::text, x.line_no, a.code AS account, c.code AS county
       FROM ledger_lines x LEFT JOIN ledger_accounts a ON a.id = x.account_id LEFT JOIN counties c ON c.id = x.county_id
      WHERE NOT EXISTS (SELECT 1 FROM ledger_transactions t WHERE t.id = x.transaction_id)
      ORDER BY x.transaction_id, x.line_no LIMIT 1`,
  );
  if (!orphan) return undefined;
  return {
    check: 'missing_event',
    ...(orphan.county === null ? {} : { county: orphan.county }),
    transactionId: orphan.transactionId,
    lineNo: orphan.lineNo,
    ...(orphan.account === null ? {} : { account: orphan.account }),
    message: `line ${orphan.lineNo} of transaction ${orphan.transactionId}: no such transaction, and no posting event records it`,
  };
}

// 2-4. Balances: each account's lines, its kept balance, its closing balances

/** Ranges of accounts by id of about LINES_PER_BATCH lines each (by their line counts, which only size the batches). */
async function accountRanges(db: Queryable): Promise<Range[]> {
  const accounts = await selectRows(db, z.object({ id: col.int8, lineCount: col.int8 }), `SELECT id, line_count FROM ledger_accounts ORDER BY id`);
  const bounds: string[] = [];
  let lines = 0;
  accounts.forEach(({ id, lineCount }, i) => {
    lines += Math.max(Number(lineCount), 1);
    if (lines >= LINES_PER_BATCH && i < accounts.length - 1) {
      bounds.push(id);
      lines = 0;
    }
  });
  return rangesUpTo(bounds);
}

/** Check 2 over a range: the first line out of place or whose balance after is not the running sum. */
const RUNNING_BALANCES = `
  SELECT r.code AS account, c.code AS county, r.account_seq, r.n, r.transaction_id::text, r.line_no, r.balance_after, r.running
    FROM (SELECT x.account_id, a.code, a.county_id, x.account_seq, x.transaction_id, x.line_no, x.balance_after,
                 row_number() OVER w AS n, sum(${MOVEMENT}) OVER w AS running
            FROM ledger_lines x JOIN ledger_accounts a ON a.id = x.account_id
           WHERE ${IN_RANGE('x.account_id', 'bigint')}
          WINDOW w AS (PARTITION BY x.account_id ORDER BY x.account_seq ROWS UNBOUNDED PRECEDING)) r
    LEFT JOIN counties c ON c.id = r.county_id
   WHERE r.account_seq <> r.n OR r.balance_after <> r.running
   ORDER BY r.account_id, r.account_seq LIMIT 1`;

const RunningFault = z.object({
  account: col.text,
  county: col.text.nullable(),
  accountSeq: col.int8,
  n: col.int8,
  transactionId: col.text,
  lineNo: col.int,
  balanceAfter: col.money,
  running: col.money,
});

/** Check 4 over a range: the first closing balance that is not the running sum of its account's days of lines. */
const CLOSING_BALANCES = `
  WITH days AS (
    SELECT x.account_id, x.effective_date, sum(${MOVEMENT}) AS moved
      FROM ledger_lines x JOIN ledger_accounts a ON a.id = x.account_id
     WHERE ${IN_RANGE('x.account_id', 'bigint')}
     GROUP BY x.account_id, x.effective_date),
  expected AS (
    SELECT account_id, effective_date, sum(moved) OVER (PARTITION BY account_id ORDER BY effective_date ROWS UNBOUNDED PRECEDING) AS balance
      FROM days),
  kept AS (
    SELECT account_id, effective_date, county_id, balance FROM ledger_closing_balances WHERE ${IN_RANGE('account_id', 'bigint')})
  SELECT a.code AS account, c.code AS county, to_char(coalesce(x.effective_date, k.effective_date), 'YYYY-MM-DD') AS date,
         x.balance::text AS expected, k.balance::text AS kept, coalesce(x.account_id, k.account_id)::text AS account_id
    FROM expected x FULL JOIN kept k ON k.account_id = x.account_id AND k.effective_date = x.effective_date
    LEFT JOIN ledger_accounts a ON a.id = coalesce(x.account_id, k.account_id)
    LEFT JOIN counties c ON c.id = a.county_id
   WHERE k.balance IS DISTINCT FROM x.balance OR k.county_id IS DISTINCT FROM a.county_id
   ORDER BY coalesce(x.account_id, k.account_id), coalesce(x.effective_date, k.effective_date) LIMIT 1`;

const ClosingFault = z.object({
  account: col.text.nullable(),
  county: col.text.nullable(),
  date: col.date,
  expected: col.money.nullable(),
  kept: col.money.nullable(),
  accountId: col.int8,
});

/** Check 3: the first account whose kept balance and line count are not its last line's. */
const KEPT_BALANCES = `
  SELECT a.code AS account, c.code AS county, a.balance, a.line_count,
         coalesce(last.balance_after, 0) AS last_balance, coalesce(last.account_seq, 0) AS last_seq
    FROM ledger_accounts a
    LEFT JOIN counties c ON c.id = a.county_id
    LEFT JOIN LATERAL (SELECT balance_after, account_seq FROM ledger_lines x WHERE x.account_id = a.id ORDER BY account_seq DESC LIMIT 1) last ON true
   WHERE a.balance <> coalesce(last.balance_after, 0) OR a.line_count <> coalesce(last.account_seq, 0)
   ORDER BY a.id LIMIT 1`;

const KeptFault = z.object({
  account: col.text,
  county: col.text.nullable(),
  balance: col.money,
  lineCount: col.int8,
  lastBalance: col.money,
  lastSeq: col.int8,
});

/** Checks 2, 3 and 4, in that order: every check over every range before the next check. */
async function firstBalanceFault(db: Queryable, ranges: readonly Range[]): Promise<LedgerFault | undefined> {
  for (const { after, upTo } of ranges) {
    const bad = await selectOne(db, RunningFault, RUNNING_BALANCES, [after, upTo]);
    if (!bad) continue;
    const located = {
      ...(bad.county === null ? {} : { county: bad.county }),
      transactionId: bad.transactionId,
      lineNo: bad.lineNo,
      account: bad.account,
      accountSeq: bad.accountSeq,
    };
    return bad.accountSeq !== bad.n
      ? { check: 'account_seq', ...located, message: `line ${bad.accountSeq} of account ${bad.account} is its line ${bad.n}: its lines are not numbered 1..n` }
      : {
          check: 'balance_after',
          ...located,
          message: `line ${bad.accountSeq} of account ${bad.account} has balance after ${bad.balanceAfter}; its lines add up to ${bad.running}`,
        };
  }
  const kept = await selectOne(db, KeptFault, KEPT_BALANCES);
  if (kept) {
    return {
      check: 'kept_balance',
      ...(kept.county === null ? {} : { county: kept.county }),
      account: kept.account,
      message: `account ${kept.account} keeps balance ${kept.balance} after ${kept.lineCount} lines; its lines end at ${kept.lastBalance} after ${kept.lastSeq}`,
    };
  }
  for (const { after, upTo } of ranges) {
    const bad = await selectOne(db, ClosingFault, CLOSING_BALANCES, [after, upTo]);
    if (!bad) continue;
    const account = bad.account ?? `id ${bad.accountId}`;
    return {
      check: 'closing_balance',
      ...(bad.county === null ? {} : { county: bad.county }),
      ...(bad.account === null ? {} : { account: bad.account }),
      date: bad.date,
      message:
        bad.kept === null
          ? `account ${account} moved on ${bad.date} but has no closing balance that day`
          : bad.expected === null
            ? `account ${account} has a closing balance on ${bad.date}, a day with none of its lines`
            : bad.kept === bad.expected
              ? `the closing balance of account ${account} on ${bad.date} is in another county`
              : `account ${account} closed ${bad.date} at ${bad.kept}; its lines up to that day add up to ${bad.expected}`,
    };
  }
  return undefined;
}
