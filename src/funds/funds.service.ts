import { Injectable } from '@nestjs/common';
import Decimal from 'decimal.js';
import { DataSource, EntityManager } from 'typeorm';
import { z } from 'zod';
import { AuditLog } from '../audit/audit-log';
import { Actor } from '../common/context';
import { Clock } from '../common/clock';
import { DomainError, ErrorCode } from '../common/errors';
import { DEFAULT_PAGE_SIZE } from '../common/pagination';
import { ZERO, formatMoney, money } from '../common/money';
import { SqlState, pgErrorOf } from '../database/pg-errors';
import { IdRow, col, selectOne, selectRows } from '../database/rows';
import { inTransaction } from '../database/unit-of-work';
import { AccountRef } from '../ledger/domain/account-refs';
import { credit, debit } from '../ledger/domain/entry';
import { LedgerPostingService } from '../ledger/ledger-posting.service';
import { LedgerReadingService } from '../ledger/ledger-reading.service';
import { AllocationQueryDto, AllocationView, DedicatedAccountView, OpenDedicatedAccountDto, RegisterAllocationDto } from './funds.dto';
import { truncate } from '../common/text';

/** A dedicated account as its view shows it, before the ledger's figures. */
const DedicatedRow = z.object({
  id: col.id,
  code: col.text,
  bankName: col.text,
  accountName: col.text,
  accountNumber: col.text,
  officerId: col.id,
});
type DedicatedRow = z.infer<typeof DedicatedRow>;

/** An allocation as its view shows it, before the ledger's figures. */
const AllocationRow = z.object({
  id: col.id,
  documentNumber: col.text,
  issuingLevel: col.text,
  fundType: col.text,
  fiscalYear: col.int,
  amount: col.money,
  permittedCategories: col.textArray,
  dedicatedAccountId: col.id,
  receivedOn: col.date,
  receiptTransactionId: col.text,
});
type AllocationRow = z.infer<typeof AllocationRow>;

/** A row answering only whether it exists (`SELECT 1`). */
const Exists = z.object({});
const DEDICATED_SELECT = `SELECT d.id, d.code, d.bank_name, d.account_name, d.account_number, d.officer_id FROM dedicated_accounts d`;

const ALLOCATION_SELECT = `
  SELECT f.id, f.document_number, f.issuing_level, f.fund_type, f.fiscal_year, f.amount, f.permitted_categories,
         f.dedicated_account_id, f.received_on::text, f.receipt_transaction_id
    FROM fund_allocations f`;

/**
 * 三專 and 資金一本帳: dedicated accounts (專戶) with their responsible officer, and fund allocations (指標) whose
 * receipt is posted in both books the moment they are registered.
 */
@Injectable()
export class FundsService {
  constructor(
    private readonly ds: DataSource,
    private readonly posting: LedgerPostingService,
    private readonly reading: LedgerReadingService,
    private readonly audit: AuditLog,
    private readonly clock: Clock,
  ) {}

  async openDedicatedAccount(actor: Actor, dto: OpenDedicatedAccountDto): Promise<DedicatedAccountView> {
    const officer = await selectOne(this.ds, Exists, `SELECT 1 FROM users WHERE id = $1 AND county_id = $2 AND NOT disabled`, [dto.officerId, actor.county.id]);
    if (!officer) {
      throw new DomainError(ErrorCode.NotFound, `No enabled user ${dto.officerId} in this county`, {
        fields: [{ field: 'officerId', message: 'must be an enabled user of the county' }],
      });
    }
    try {
      return await inTransaction(this.ds, async (em) => {
        // The bank account is opened first, about the dedicated account that then links it.
        const [{ id }] = await selectRows(em, IdRow, `SELECT nextval(pg_get_serial_sequence('dedicated_accounts', 'id'))::int AS id`);
        const ledgerAccountId = await this.posting.openBank(em, actor, {
          dedicatedAccountId: id,
          dedicatedCode: dto.code,
          name: truncate(`${dto.bankName} ${dto.accountName}`, 200),
        });
        await em.query(
          `INSERT INTO dedicated_accounts (id, county_id, code, bank_name, account_name, account_number, officer_id, ledger_account_id)
           VALUES ($1, $2, $3, $4, $5, $6, $7, $8)`,
          [id, actor.county.id, dto.code, dto.bankName, dto.accountName, dto.accountNumber, dto.officerId, ledgerAccountId],
        );
        const [view] = await this.dedicatedViews(em, actor, await selectRows(em, DedicatedRow, `${DEDICATED_SELECT} WHERE d.id = $1`, [id]));
        await this.audit.append(em, actor, 'funds.dedicated_account.opened', { ...view, balance: undefined });
        return view;
      });
    } catch (err) {
      if (pgErrorOf(err)?.code === SqlState.uniqueViolation || (err instanceof DomainError && err.code === ErrorCode.DuplicateAccount)) {
        throw new DomainError(ErrorCode.DuplicateAccount, 'A dedicated account with this code or number already exists', {
          fields: [{ field: 'code', message: 'code and account number are unique in the county' }],
        });
      }
      throw err;
    }
  }

  async listDedicated(actor: Actor): Promise<DedicatedAccountView[]> {
    const rows = await selectRows(this.ds, DedicatedRow, `${DEDICATED_SELECT} WHERE d.county_id = $1 ORDER BY d.id`, [actor.county.id]);
    return this.dedicatedViews(this.ds.manager, actor, rows);
  }

  async getDedicated(actor: Actor, id: number, field?: string): Promise<DedicatedAccountView> {
    const rows = await selectRows(this.ds, DedicatedRow, `${DEDICATED_SELECT} WHERE d.id = $1 AND d.county_id = $2`, [id, actor.county.id]);
    if (rows.length === 0) {
      throw new DomainError(
        ErrorCode.NotFound,
        `No dedicated account ${id}`,
        field ? { fields: [{ field, message: 'no such dedicated account in this county' }] } : {},
      );
    }
    return (await this.dedicatedViews(this.ds.manager, actor, rows))[0];
  }

  /**
   * Registers an allocation and posts its receipt (design §4): Dr bank:D, Cr fund:A; Dr quota:unallocated:A,
   * Cr appropriation:A — in one unit of work with the allocation's three ledger accounts and its event.
   */
  async registerAllocation(actor: Actor, dto: RegisterAllocationDto): Promise<AllocationView> {
    if (dto.receivedOn > this.clock.today()) {
      throw new DomainError(ErrorCode.ValidationFailed, 'Money cannot have been received in the future', {
        fields: [{ field: 'receivedOn', message: 'today or earlier' }],
      });
    }
    const dedicated = await this.getDedicated(actor, dto.dedicatedAccountId, 'dedicatedAccountId');
    await this.refuseDuplicateDocument(actor, dto.documentNumber);
    try {
      return await inTransaction(this.ds, async (em) => {
        const [{ id }] = await selectRows(em, IdRow, `SELECT nextval(pg_get_serial_sequence('fund_allocations', 'id'))::int AS id`);
        const name = truncate(`${dto.documentNumber} ${dto.fundType}`, 200);
        const fund: AccountRef = { kind: 'fund', allocationId: id, dedicatedAccountId: dedicated.id };
        const unallocated: AccountRef = { kind: 'quota_unallocated', allocationId: id };
        const appropriation: AccountRef = { kind: 'appropriation', allocationId: id };
        await this.posting.open(
          em,
          actor,
          [fund, unallocated, appropriation].map((account) => ({ account, name })),
        );
        const amount = money(dto.amount);
        const transaction = await this.posting.post(em, actor, {
          effectiveDate: dto.receivedOn,
          memo: truncate(`${dto.documentNumber} ${dto.fundType} 到帳`, 500),
          purpose: 'receipt',
          lines: [
            debit({ kind: 'bank', dedicatedAccountId: dedicated.id }, amount),
            credit(fund, amount),
            debit(unallocated, amount),
            credit(appropriation, amount),
          ],
        });
        await em.query(
          `INSERT INTO fund_allocations (id, county_id, document_number, issuing_level, fund_type, fiscal_year, amount,
                                         permitted_categories, dedicated_account_id, received_on, receipt_transaction_id, created_by)
           VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12)`,
          [
            id,
            actor.county.id,
            dto.documentNumber,
            dto.issuingLevel,
            dto.fundType,
            dto.fiscalYear,
            dto.amount,
            dto.permittedCategories,
            dedicated.id,
            dto.receivedOn,
            transaction.id,
            actor.userId,
          ],
        );
        const [view] = await this.allocationViews(em, actor, await selectRows(em, AllocationRow, `${ALLOCATION_SELECT} WHERE f.id = $1`, [id]));
        await this.audit.append(em, actor, 'funds.allocation.registered', { ...view, received: undefined, unallocated: undefined });
        return view;
      });
    } catch (err) {
      if (pgErrorOf(err)?.constraint === 'UQ_fund_allocations_county_document') throw duplicateDocument(dto.documentNumber);
      throw err;
    }
  }

  async listAllocations(actor: Actor, q: AllocationQueryDto): Promise<AllocationView[]> {
    const rows = await selectRows(
      this.ds,
      AllocationRow,
      `${ALLOCATION_SELECT}
        WHERE f.county_id = $1 AND ($2::int IS NULL OR f.fiscal_year = $2) AND ($3::text IS NULL OR f.fund_type = $3) AND f.id > $4
        ORDER BY f.id LIMIT $5`,
      [actor.county.id, q.year ?? null, q.fundType ?? null, q.afterId ?? 0, q.limit ?? DEFAULT_PAGE_SIZE],
    );
    return this.allocationViews(this.ds.manager, actor, rows);
  }

  async getAllocation(actor: Actor, id: number): Promise<AllocationView> {
    const rows = await selectRows(this.ds, AllocationRow, `${ALLOCATION_SELECT} WHERE f.id = $1 AND f.county_id = $2`, [id, actor.county.id]);
    if (rows.length === 0) throw new DomainError(ErrorCode.NotFound, `No fund allocation ${id}`);
    return (await this.allocationViews(this.ds.manager, actor, rows))[0];
  }

  /** Dedicated accounts with their bank account's code and balance. */
  private async dedicatedViews(em: EntityManager, actor: Actor, rows: DedicatedRow[]): Promise<DedicatedAccountView[]> {
    const banks = await this.reading.accounts(em, actor.county.id, { kind: 'bank' });
    const bankOf = new Map(banks.map((b) => [b.dedicatedAccountId, b]));
    return rows.map((row) => dedicatedView(row, bankOf.get(row.id)!));
  }

  /** Allocations with what was received (their fund) and what is not yet allocated, from the ledger, never a second store. */
  private async allocationViews(em: EntityManager, actor: Actor, rows: AllocationRow[]): Promise<AllocationView[]> {
    const balances = await this.reading.balancesBy(em, actor.county.id, { kind: ['fund', 'quota_unallocated'], allocationId: rows.map((r) => r.id) }, [
      'allocationId',
      'kind',
    ]);
    const balance = new Map(balances.map((b) => [`${b.allocationId}:${b.kind}`, b.balance]));
    const of = (id: number, kind: string) => balance.get(`${id}:${kind}`) ?? ZERO;
    return rows.map((row) => allocationView(row, of(row.id, 'fund'), of(row.id, 'quota_unallocated')));
  }

  private async refuseDuplicateDocument(actor: Actor, documentNumber: string): Promise<void> {
    const taken = await selectOne(this.ds, Exists, `SELECT 1 FROM fund_allocations WHERE county_id = $1 AND document_number = $2`, [
      actor.county.id,
      documentNumber,
    ]);
    if (taken) throw duplicateDocument(documentNumber);
  }
}

function duplicateDocument(documentNumber: string): DomainError {
  return new DomainError(ErrorCode.DuplicateDocument, `An allocation with document number ${documentNumber} is already registered`, {
    fields: [{ field: 'documentNumber', message: 'already registered in this county' }],
  });
}

/** A dedicated account with its bank account's code and balance, from the ledger. */
function dedicatedView(row: DedicatedRow, bank: { code: string; balance: Decimal }): DedicatedAccountView {
  return { ...row, ledgerAccount: bank.code, balance: formatMoney(bank.balance) };
}

/** An allocation with what was received and what is not yet allocated, from the ledger. */
function allocationView(row: AllocationRow, received: Decimal, unallocated: Decimal): AllocationView {
  return { ...row, received: formatMoney(received), unallocated: formatMoney(unallocated) };
}
