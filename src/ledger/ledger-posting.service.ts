import { Injectable } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import { DataSource, EntityManager } from 'typeorm';
import { z } from 'zod';
import { AuditLog } from '../audit/audit-log';
import { Actor } from '../common/context';
import { Clock } from '../common/clock';
import { DomainError, ErrorCode } from '../common/errors';
import { formatMoney, money } from '../common/money';
import { PgError, SqlState, pgErrorOf } from '../database/pg-errors';
import { prepared, preparedAlone } from '../database/prepared';
import { Queryable, col, selectRows } from '../database/rows';
import { SqlParams } from '../database/sql-params';
import { inTransaction, retryingConflicts } from '../database/unit-of-work';
import { bankKey, keyOf } from './account-sql';
import {
  ACCOUNT_KINDS,
  AccountDimensions,
  NO_DIMENSIONS,
  WorkflowAccountRef,
  bankCode,
  codeOf,
  dimensionsOf,
  movableByHand,
  typeOfKind,
} from './domain/account-refs';
import { ACCOUNT_TYPE_NAMES, AccountType, BOOKS, OUTFLOW_PURPOSES, SIDES, TransactionPurpose, bookOf, normalSideOf } from './domain/accounts';
import { Entry, EntryLine } from './domain/entry';
import { JournalLine, checkJournal, mirrorOf } from './domain/journal';
import { OpenAccountDto } from './dto/ledger.dto';
import { AccountView, LineView, TransactionView } from './dto/ledger.views';
import { LedgerReadingService, accountView } from './ledger-reading.service';
import { truncate } from '../common/text';

/** What posting needs of an account; none of it changes once the account is opened (the database refuses it). */
const PostingAccount = z.object({
  id: col.int8,
  code: col.text,
  book: z.enum(BOOKS),
  normalSide: z.enum(SIDES),
  restrictedOutflow: col.bool,
  kind: z.enum(ACCOUNT_KINDS),
  dedicatedAccountId: col.id.nullable(),
});
type PostingAccount = z.infer<typeof PostingAccount>;

const SettledAccount = PostingAccount.extend({ settled: col.bool });

interface NewTransaction {
  effectiveDate: string;
  memo: string;
  purpose: TransactionPurpose;
  lines: JournalLine[];
  reversesId?: string;
  reversalReason?: string;
}

/** A workflow account to open, and the name people will read it by. */
export interface AccountToOpen {
  account: WorkflowAccountRef;
  name: string;
}

/** An account as `INSERT … RETURNING` gives it back. */
const OpenedRow = PostingAccount.extend({ name: col.text, type: z.enum(ACCOUNT_TYPE_NAMES), allowNegative: col.bool, balance: col.money });
type OpenedRow = z.infer<typeof OpenedRow>;

/** A posted line as the posting statement returns it. */
const PostedLine = z.object({ lineNo: col.int, balanceAfter: col.money });

const OPENED_COLUMNS = 'id, code, name, book, type, normal_side, allow_negative, balance, restricted_outflow, kind, dedicated_account_id';
const POSTING_COLUMNS = 'id, code, book, normal_side, restricted_outflow, kind, dedicated_account_id';
const REVERSES_INDEX = 'UQ_ledger_transactions_reverses';

/**
 * The one way into the ledger: opening accounts and posting entries (and their reversals), always inside a unit of
 * work the caller holds, except `postAlone`, which is a unit of work by itself. Every posting goes through `insert`:
 * one prepared statement writes the transaction, its lines (the database moves the balances) and its audit event.
 */
@Injectable()
export class LedgerPostingService {
  /** Accounts already read, by county and `keyOf`: only committed ones, so a rolled-back opening is never remembered. */
  private readonly known = new Map<string, PostingAccount>();
  /** Accounts a unit of work opened, by `keyOf`: its own postings need not read them back. */
  private readonly openedIn = new WeakMap<EntityManager, Map<string, PostingAccount>>();

  constructor(
    private readonly ds: DataSource,
    private readonly audit: AuditLog,
    private readonly reading: LedgerReadingService,
    private readonly clock: Clock,
  ) {}

  /** Opens an account people name (`POST /ledger/accounts`), in a unit of work of its own. */
  async openManual(actor: Actor, dto: OpenAccountDto): Promise<AccountView> {
    if (bookOf(dto.type) !== dto.book) {
      throw new DomainError(ErrorCode.ValidationFailed, `An account of type ${dto.type} belongs to the ${bookOf(dto.type)} book`, {
        fields: [{ field: 'type', message: `type ${dto.type} is not a ${dto.book} account type` }],
      });
    }
    try {
      return await inTransaction(this.ds, async (em) => {
        const [row] = await this.insertAccounts(
          em,
          actor,
          [{ code: dto.code, name: dto.name, type: dto.type, allowNegative: dto.allowNegative, dimensions: NO_DIMENSIONS }],
          false,
        );
        return accountView(row);
      });
    } catch (err) {
      throw duplicateAccountOr(err, dto.code);
    }
  }

  /**
   * Opens a dedicated account's bank account, restricted (money leaves it only by a payment or a reversal: the Funds
   * migration); answers its id, by which the dedicated account links it.
   */
  async openBank(em: EntityManager, actor: Actor, bank: { dedicatedAccountId: number; dedicatedCode: string; name: string }): Promise<string> {
    const code = bankCode(bank.dedicatedCode);
    try {
      const [row] = await this.insertAccounts(
        em,
        actor,
        [
          {
            code,
            name: bank.name,
            type: 'asset',
            allowNegative: false,
            dimensions: dimensionsOf({ kind: 'bank', dedicatedAccountId: bank.dedicatedAccountId }),
            restrictedOutflow: true,
          },
        ],
        false,
      );
      return row.id;
    } catch (err) {
      throw duplicateAccountOr(err, code);
    }
  }

  /**
   * Opens, inside the caller's unit of work, those of `accounts` that are not open yet, in one statement; a concurrent
   * opener of the same account waits on the unique index, then leaves it to the first. Accounts known to be open cost
   * nothing. Workflow accounts never go negative.
   */
  async open(em: EntityManager, actor: Actor, accounts: readonly AccountToOpen[]): Promise<void> {
    const missing = accounts.filter(({ account }) => !this.known.has(`${actor.county.id}:${keyOf(account)}`));
    if (missing.length === 0) return;
    const opened = await this.insertAccounts(
      em,
      actor,
      missing.map(({ account, name }) => ({
        code: codeOf(account),
        name,
        type: typeOfKind(account.kind),
        allowNegative: false,
        dimensions: dimensionsOf(account),
      })),
      true,
    );
    const ours = this.openedIn.get(em) ?? new Map<string, PostingAccount>();
    for (const { id, code, book, normalSide, restrictedOutflow, kind, dedicatedAccountId } of opened) {
      ours.set(code, { id, code, book, normalSide, restrictedOutflow, kind, dedicatedAccountId });
    }
    this.openedIn.set(em, ours);
  }

  /**
   * Checks an entry as a posting would (accounts of the county, a manual entry only on accounts people may move by
   * hand, no money out of a dedicated account but by a payment, balanced per book) without posting it; answers its
   * journal lines. Reads in the caller's unit of work.
   */
  async check(em: EntityManager, actor: Actor, entry: Entry): Promise<JournalLine[]> {
    const accounts = await this.resolve(em, actor.county.id, entry);
    const accountOf = (i: number) => accounts.get(keyOf(entry.lines[i].account))!;
    const lines = entry.lines.map((l, i): JournalLine => {
      const { id, code, book } = accountOf(i);
      return { accountId: id, accountCode: code, book, side: l.side, amount: l.amount };
    });
    const reserved = entry.purpose === 'manual' ? lines.find((_, i) => !movableByHand(accountOf(i).kind)) : undefined;
    if (reserved) {
      throw new DomainError(ErrorCode.ReservedAccount, `Account ${reserved.accountCode} moves only through its workflow, not by a manual entry`, {
        account: reserved.accountCode,
      });
    }
    if (!OUTFLOW_PURPOSES.includes(entry.purpose)) {
      const out = lines.find((l, i) => accountOf(i).restrictedOutflow && l.side !== accountOf(i).normalSide);
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

  /** Posts an entry as part of the caller's unit of work. */
  async post(em: EntityManager, actor: Actor, entry: Entry): Promise<TransactionView> {
    const lines = await this.check(em, actor, entry);
    return this.insert(actor, { ...entry, lines }, (name) => prepared(em, name));
  }

  /**
   * Posts an entry on its own: one autocommitted statement (atomic by itself, one round trip), retried on a
   * serialization failure or a deadlock. For a caller with nothing else to write with it.
   */
  async postAlone(actor: Actor, entry: Entry): Promise<TransactionView> {
    const lines = await this.check(this.ds.manager, actor, entry);
    return this.insert(actor, { ...entry, lines }, (name) => retrying(preparedAlone(this.ds, name)));
  }

  /** Refuses, with the reason, a reversal that cannot be posted: unknown, itself a reversal, or already reversed. */
  async checkReversible(em: EntityManager, actor: Actor, id: string): Promise<TransactionView> {
    const original = await this.reading.findTransaction(em, actor, id);
    if (original.reversesId) {
      throw new DomainError(ErrorCode.ReversalOfReversal, `Transaction ${id} is itself a reversal and cannot be reversed`);
    }
    if (original.reversedById) throw alreadyReversed(id, original.reversedById);
    return original;
  }

  /** 紅字沖銷: posts the mirror of an original, naming it and the reason. An original is reversed at most once. */
  async reverse(em: EntityManager, actor: Actor, id: string, reason: string, effectiveDate = this.clock.today()): Promise<TransactionView> {
    const original = await this.checkReversible(em, actor, id);
    assertReversalDate(original.effectiveDate, effectiveDate);
    const mirror: Entry = {
      effectiveDate,
      memo: truncate(`沖銷: ${original.memo}`, 500),
      purpose: 'reversal',
      lines: mirrorOf(
        original.lines.map((l): EntryLine => ({
          account: { code: l.account },
          side: l.debit !== undefined ? 'debit' : 'credit',
          amount: money((l.debit ?? l.credit)!),
        })),
      ),
    };
    const lines = await this.check(em, actor, mirror);
    try {
      // A reversal racing this one loses on the unique index of reverses_id.
      return await this.insert(actor, { ...mirror, lines, reversesId: id, reversalReason: reason }, (name) => prepared(em, name));
    } catch (err) {
      if (pgErrorOf(err)?.constraint === REVERSES_INDEX) throw alreadyReversed(id);
      throw err;
    }
  }

  /** `on(name)`: where the posting statement runs, as the prepared statement `name`. */
  private async insert(actor: Actor, tx: NewTransaction, on: (name: string) => Queryable): Promise<TransactionView> {
    if (checkJournal(tx.lines)) throw new Error('insert called with an entry that check() refuses');

    const id = randomUUID();
    const recordedAt = new Date();
    const lineViews = (balances: Map<number, string>): LineView[] =>
      tx.lines.map((l, i) => ({ lineNo: i + 1, account: l.accountCode, book: l.book, [l.side]: formatMoney(l.amount), balanceAfter: balances.get(i + 1)! }));
    // One statement writes the transaction, its lines and its audit event: atomic on its own (autocommit), one
    // round trip, and prepared once per connection (its text depends only on the number of lines). Lines go in
    // account-id order so concurrent postings lock accounts in one order; the database moves each balance and
    // returns the balance after each line.
    const p = new SqlParams();
    const transaction = [
      p.add(id),
      p.add(actor.county.id),
      p.add(tx.effectiveDate),
      p.add(recordedAt),
      p.add(tx.memo),
      p.add(tx.reversesId ?? null),
      p.add(tx.reversalReason ?? null),
      p.add(tx.purpose),
    ].join(', ');
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
      p.next,
    );
    p.addAll(event.params);
    const values = tx.lines.map(
      (line, i) =>
        `(${p.add(line.accountId, '::bigint')}, ${p.add(line.book)}, ${p.add(i + 1, '::smallint')}, ` +
        `${p.add(line.side === 'debit' ? formatMoney(line.amount) : '0', '::numeric')}, ${p.add(line.side === 'credit' ? formatMoney(line.amount) : '0', '::numeric')})`,
    );
    const text = `WITH t AS (
         INSERT INTO ledger_transactions (id, county_id, effective_date, recorded_at, memo, reverses_id, reversal_reason, purpose)
         VALUES (${transaction}) RETURNING id, county_id, effective_date, purpose),
       e AS (${event.sql})
       INSERT INTO ledger_lines (transaction_id, county_id, account_id, book, line_no, debit, credit, effective_date, purpose)
       SELECT t.id, t.county_id, v.account_id, v.book, v.line_no, v.debit, v.credit, t.effective_date, t.purpose
         FROM t, (VALUES ${values.join(', ')}) AS v(account_id, book, line_no, debit, credit)
        ORDER BY v.account_id
       RETURNING line_no, balance_after`;
    let inserted: z.infer<typeof PostedLine>[];
    try {
      inserted = await selectRows(on(`ledger_post_${tx.lines.length}`), PostedLine, text, p.values);
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
      lines: lineViews(new Map(inserted.map((r) => [r.lineNo, r.balanceAfter]))),
    };
  }

  /**
   * Inserts accounts with their dimensions (with `ifMissing`, skipping those open already) and appends each opened
   * one's event; answers the rows inserted.
   */
  private async insertAccounts(
    em: EntityManager,
    actor: Actor,
    accounts: readonly { code: string; name: string; type: AccountType; allowNegative: boolean; dimensions: AccountDimensions; restrictedOutflow?: boolean }[],
    ifMissing: boolean,
  ): Promise<OpenedRow[]> {
    const column = <T>(pick: (a: (typeof accounts)[number]) => T) => accounts.map(pick);
    const rows = await selectRows(
      em,
      OpenedRow,
      `INSERT INTO ledger_accounts (county_id, code, name, book, type, normal_side, allow_negative, restricted_outflow,
                                    kind, allocation_id, project_id, contract_id, claim_id, dedicated_account_id, category)
       SELECT $1, a.* FROM unnest($2::text[], $3::text[], $4::text[], $5::text[], $6::text[], $7::boolean[], $8::boolean[],
                                  $9::text[], $10::int[], $11::int[], $12::int[], $13::int[], $14::int[], $15::text[]) AS a
       ${ifMissing ? 'ON CONFLICT ON CONSTRAINT "UQ_ledger_accounts_county_code" DO NOTHING' : ''}
       RETURNING ${OPENED_COLUMNS}`,
      [
        actor.county.id,
        column((a) => a.code),
        column((a) => a.name),
        column((a) => bookOf(a.type)),
        column((a) => a.type),
        column((a) => normalSideOf(a.type)),
        column((a) => a.allowNegative),
        column((a) => a.restrictedOutflow ?? false),
        column((a) => a.dimensions.kind),
        column((a) => a.dimensions.allocationId),
        column((a) => a.dimensions.projectId),
        column((a) => a.dimensions.contractId),
        column((a) => a.dimensions.claimId),
        column((a) => a.dimensions.dedicatedAccountId),
        column((a) => a.dimensions.category),
      ],
    );
    for (const row of rows) {
      const opened = accounts.find((a) => a.code === row.code)!;
      const { code, name, book, type, normalSide, allowNegative } = accountView(row);
      const about = Object.fromEntries(Object.entries(opened.dimensions).filter(([, v]) => v !== null));
      await this.audit.append(em, actor, 'ledger.account.opened', {
        code,
        name,
        book,
        type,
        normalSide,
        allowNegative,
        restrictedOutflow: opened.restrictedOutflow ?? false,
        ...about,
      });
    }
    return rows;
  }

  /**
   * Resolves an entry's accounts in the county, from what is known or in one read, by `keyOf`; refuses accounts that
   * do not exist, naming them and their lines.
   */
  private async resolve(em: EntityManager, countyId: number, entry: Entry): Promise<Map<string, PostingAccount>> {
    const found = new Map<string, PostingAccount>();
    const codes: string[] = [];
    const banks: number[] = [];
    const ours = this.openedIn.get(em);
    for (const { account } of entry.lines) {
      const key = keyOf(account);
      const knownAccount = this.known.get(`${countyId}:${key}`) ?? ours?.get(key);
      if (knownAccount) found.set(key, knownAccount);
      else if ('kind' in account && account.kind === 'bank') banks.push(account.dedicatedAccountId);
      else codes.push(key);
    }
    if (codes.length > 0 || banks.length > 0) {
      // An account created before this unit of work began is committed (a visible row is committed or this unit of
      // work's own, and its own rows were created at now()), so only those are remembered.
      const rows = await selectRows(
        em,
        SettledAccount,
        `SELECT ${POSTING_COLUMNS}, created_at < now() AS settled FROM ledger_accounts
          WHERE county_id = $1 AND (code = ANY($2::text[]) OR (kind = 'bank' AND dedicated_account_id = ANY($3::int[])))`,
        [countyId, codes, banks],
      );
      for (const { settled, ...row } of rows) {
        const keys = row.kind === 'bank' && row.dedicatedAccountId !== null ? [row.code, bankKey(row.dedicatedAccountId)] : [row.code];
        for (const key of keys) {
          found.set(key, row);
          if (settled) this.known.set(`${countyId}:${key}`, row);
        }
      }
    }
    const unknown = [...new Set(entry.lines.map((l) => keyOf(l.account)).filter((key) => !found.has(key)))];
    if (unknown.length > 0) {
      throw new DomainError(ErrorCode.UnknownAccount, `Unknown account: ${unknown.join(', ')}`, {
        accounts: unknown,
        fields: entry.lines.flatMap((l, i) => (found.has(keyOf(l.account)) ? [] : [{ field: `lines.${i}.account`, message: 'unknown account' }])),
      });
    }
    return found;
  }
}

/** A statement retried on a serialization failure or a deadlock: for one autocommitted statement, atomic by itself. */
function retrying(db: Queryable): Queryable {
  return { query: (sql, params) => retryingConflicts(() => db.query(sql, params)) };
}

/** An account opened twice: its code (or its dedicated account's bank) is taken. */
function duplicateAccountOr(err: unknown, code: string): unknown {
  if (pgErrorOf(err)?.code !== SqlState.uniqueViolation) return err;
  return new DomainError(ErrorCode.DuplicateAccount, `Account ${code} already exists`, {
    fields: [{ field: 'code', message: 'already exists in this county' }],
  });
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

/**
 * A reversal is dated on or after its original: undoing money before it moved would leave the books, between the two
 * dates, holding the mirror alone (a fund received negative, quota available that never arrived).
 */
export function assertReversalDate(originalDate: string, effectiveDate: string): void {
  if (effectiveDate < originalDate) {
    throw new DomainError(ErrorCode.ValidationFailed, `A reversal is dated on or after its original (${originalDate})`, {
      fields: [{ field: 'effectiveDate', message: `must be on or after ${originalDate}, the original's date` }],
    });
  }
}

function alreadyReversed(id: string, by?: string): DomainError {
  return new DomainError(ErrorCode.AlreadyReversed, `Transaction ${id} has already been reversed`, by ? { reversedById: by } : {});
}
