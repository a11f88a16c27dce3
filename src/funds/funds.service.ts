import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { AuditLog } from '../audit/audit-log';
import { Actor } from '../common/context';
import { chinaToday } from '../common/dates';
import { DomainError, ErrorCode } from '../common/errors';
import { DEFAULT_PAGE_SIZE } from '../common/pagination';
import { formatMoney, money } from '../common/money';
import { SqlState, pgErrorOf } from '../database/pg-errors';
import { inTransaction } from '../database/unit-of-work';
import { LedgerService } from '../ledger/ledger.service';
import { fundAccounts } from './domain/funds';
import { AllocationQueryDto, AllocationView, DedicatedAccountView, OpenDedicatedAccountDto, RegisterAllocationDto } from './funds.dto';

interface DedicatedRow {
  id: number;
  code: string;
  bank_name: string;
  account_name: string;
  account_number: string;
  officer_id: number;
  ledger_code: string;
  balance: string;
}

interface AllocationRow {
  id: number;
  document_number: string;
  issuing_level: string;
  fund_type: string;
  fiscal_year: number;
  amount: string;
  permitted_categories: string[];
  dedicated_account_id: number;
  received_on: string;
  receipt_transaction_id: string;
  received: string;
  unallocated: string;
}

const DEDICATED_SELECT = `
  SELECT d.id, d.code, d.bank_name, d.account_name, d.account_number, d.officer_id, a.code AS ledger_code, a.balance
    FROM dedicated_accounts d JOIN ledger_accounts a ON a.id = d.ledger_account_id`;

/** Balances come from the ledger accounts of each allocation, never from a second store. */
const ALLOCATION_SELECT = `
  SELECT f.id, f.document_number, f.issuing_level, f.fund_type, f.fiscal_year, f.amount, f.permitted_categories,
         f.dedicated_account_id, f.received_on::text, f.receipt_transaction_id,
         fund.balance AS received, quota.balance AS unallocated
    FROM fund_allocations f
    JOIN ledger_accounts fund ON fund.county_id = f.county_id AND fund.code = 'fund:A' || f.id
    JOIN ledger_accounts quota ON quota.county_id = f.county_id AND quota.code = 'quota:unallocated:A' || f.id`;

/**
 * 三專 and 資金一本帳: dedicated accounts (專戶) with their responsible officer, and fund allocations (指標) whose
 * receipt is posted in both books the moment they are registered.
 */
@Injectable()
export class FundsService {
  constructor(
    private readonly ds: DataSource,
    private readonly ledger: LedgerService,
    private readonly audit: AuditLog,
  ) {}

  async openDedicatedAccount(actor: Actor, dto: OpenDedicatedAccountDto): Promise<DedicatedAccountView> {
    const officer = await this.ds.query(`SELECT 1 FROM users WHERE id = $1 AND county_id = $2 AND NOT disabled`, [dto.officerId, actor.county.id]);
    if (officer.length === 0) {
      throw new DomainError(ErrorCode.NotFound, `No enabled user ${dto.officerId} in this county`, {
        fields: [{ field: 'officerId', message: 'must be an enabled user of the county' }],
      });
    }
    try {
      return await inTransaction(this.ds, async (em) => {
        const code = fundAccounts.bank(dto.code);
        await this.ledger.openAccount(
          actor,
          { code, name: `${dto.bankName} ${dto.accountName}`, book: 'financial', type: 'asset', allowNegative: false },
          { em, restrictedOutflow: true },
        );
        const [{ id }] = await em.query(
          `INSERT INTO dedicated_accounts (county_id, code, bank_name, account_name, account_number, officer_id, ledger_account_id)
           SELECT $1, $2, $3, $4, $5, $6, id FROM ledger_accounts WHERE county_id = $1 AND code = $7 RETURNING id`,
          [actor.county.id, dto.code, dto.bankName, dto.accountName, dto.accountNumber, dto.officerId, code],
        );
        const [row]: DedicatedRow[] = await em.query(`${DEDICATED_SELECT} WHERE d.id = $1`, [id]);
        const view = dedicatedView(row);
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
    const rows: DedicatedRow[] = await this.ds.query(`${DEDICATED_SELECT} WHERE d.county_id = $1 ORDER BY d.id`, [actor.county.id]);
    return rows.map(dedicatedView);
  }

  async getDedicated(actor: Actor, id: number, field?: string): Promise<DedicatedAccountView> {
    const rows: DedicatedRow[] = await this.ds.query(`${DEDICATED_SELECT} WHERE d.id = $1 AND d.county_id = $2`, [id, actor.county.id]);
    if (rows.length === 0) {
      throw new DomainError(ErrorCode.NotFound, `No dedicated account ${id}`, field ? { fields: [{ field, message: 'no such dedicated account in this county' }] } : {});
    }
    return dedicatedView(rows[0]);
  }

  /**
   * Registers an allocation and posts its receipt (design §4): Dr bank:D, Cr fund:A; Dr quota:unallocated:A,
   * Cr appropriation:A — in one unit of work with the allocation's three ledger accounts and its event.
   */
  async registerAllocation(actor: Actor, dto: RegisterAllocationDto): Promise<AllocationView> {
    if (dto.receivedOn > chinaToday()) {
      throw new DomainError(ErrorCode.ValidationFailed, 'Money cannot have been received in the future', {
        fields: [{ field: 'receivedOn', message: 'today or earlier' }],
      });
    }
    const dedicated = await this.getDedicated(actor, dto.dedicatedAccountId, 'dedicatedAccountId');
    await this.refuseDuplicateDocument(actor, dto.documentNumber);
    try {
      return await inTransaction(this.ds, async (em) => {
        const [{ id }] = await em.query(`SELECT nextval(pg_get_serial_sequence('fund_allocations', 'id'))::int AS id`);
        const name = `${dto.documentNumber} ${dto.fundType}`.slice(0, 200);
        await this.ledger.openAccount(actor, { code: fundAccounts.fund(id), name, book: 'financial', type: 'net_assets', allowNegative: false }, { em });
        await this.ledger.openAccount(actor, { code: fundAccounts.unallocated(id), name, book: 'budget', type: 'quota', allowNegative: false }, { em });
        await this.ledger.openAccount(
          actor,
          { code: fundAccounts.appropriation(id), name, book: 'budget', type: 'appropriation', allowNegative: false },
          { em },
        );
        const { transaction } = await this.ledger.post(
          actor,
          {
            effectiveDate: dto.receivedOn,
            memo: `${dto.documentNumber} ${dto.fundType} 到帳`.slice(0, 500),
            lines: [
              { account: dedicated.ledgerAccount, debit: dto.amount },
              { account: fundAccounts.fund(id), credit: dto.amount },
              { account: fundAccounts.unallocated(id), debit: dto.amount },
              { account: fundAccounts.appropriation(id), credit: dto.amount },
            ],
          },
          { em, purpose: 'receipt' },
        );
        await em.query(
          `INSERT INTO fund_allocations (id, county_id, document_number, issuing_level, fund_type, fiscal_year, amount,
                                         permitted_categories, dedicated_account_id, received_on, receipt_transaction_id, created_by)
           VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12)`,
          [id, actor.county.id, dto.documentNumber, dto.issuingLevel, dto.fundType, dto.fiscalYear, dto.amount,
            dto.permittedCategories, dedicated.id, dto.receivedOn, transaction.id, actor.userId],
        );
        const [row]: AllocationRow[] = await em.query(`${ALLOCATION_SELECT} WHERE f.id = $1`, [id]);
        const view = allocationView(row);
        await this.audit.append(em, actor, 'funds.allocation.registered', { ...view, received: undefined, unallocated: undefined });
        return view;
      });
    } catch (err) {
      if (pgErrorOf(err)?.constraint === 'UQ_fund_allocations_county_document') throw duplicateDocument(dto.documentNumber);
      throw err;
    }
  }

  async listAllocations(actor: Actor, q: AllocationQueryDto): Promise<AllocationView[]> {
    const rows: AllocationRow[] = await this.ds.query(
      `${ALLOCATION_SELECT}
        WHERE f.county_id = $1 AND ($2::int IS NULL OR f.fiscal_year = $2) AND ($3::text IS NULL OR f.fund_type = $3) AND f.id > $4
        ORDER BY f.id LIMIT $5`,
      [actor.county.id, q.year ?? null, q.fundType ?? null, q.afterId ?? 0, q.limit ?? DEFAULT_PAGE_SIZE],
    );
    return rows.map(allocationView);
  }

  async getAllocation(actor: Actor, id: number): Promise<AllocationView> {
    const rows: AllocationRow[] = await this.ds.query(`${ALLOCATION_SELECT} WHERE f.id = $1 AND f.county_id = $2`, [id, actor.county.id]);
    if (rows.length === 0) throw new DomainError(ErrorCode.NotFound, `No fund allocation ${id}`);
    return allocationView(rows[0]);
  }

  private async refuseDuplicateDocument(actor: Actor, documentNumber: string): Promise<void> {
    const rows = await this.ds.query(`SELECT 1 FROM fund_allocations WHERE county_id = $1 AND document_number = $2`, [
      actor.county.id,
      documentNumber,
    ]);
    if (rows.length > 0) throw duplicateDocument(documentNumber);
  }
}

function duplicateDocument(documentNumber: string): DomainError {
  return new DomainError(ErrorCode.DuplicateDocument, `An allocation with document number ${documentNumber} is already registered`, {
    fields: [{ field: 'documentNumber', message: 'already registered in this county' }],
  });
}

function dedicatedView(row: DedicatedRow): DedicatedAccountView {
  return {
    id: row.id,
    code: row.code,
    bankName: row.bank_name,
    accountName: row.account_name,
    accountNumber: row.account_number,
    officerId: row.officer_id,
    ledgerAccount: row.ledger_code,
    balance: formatMoney(money(row.balance)),
  };
}

function allocationView(row: AllocationRow): AllocationView {
  return {
    id: row.id,
    documentNumber: row.document_number,
    issuingLevel: row.issuing_level,
    fundType: row.fund_type,
    fiscalYear: row.fiscal_year,
    amount: formatMoney(money(row.amount)),
    permittedCategories: row.permitted_categories,
    dedicatedAccountId: row.dedicated_account_id,
    receivedOn: row.received_on,
    receiptTransactionId: row.receipt_transaction_id,
    received: formatMoney(money(row.received)),
    unallocated: formatMoney(money(row.unallocated)),
  };
}
