import { EntityManager } from 'typeorm';
import { BookAccount, Period, bookAccounts } from '../../ledger/ledger-books';
import { Cell, ExportColumn, column } from '../table';
import { govAccountOf } from '../account-map';
import { Dimensions, loadDimensions } from '../dimensions';

/** What every book of one export reads with: one snapshot, the county, the period and the accounts' dimensions. */
export interface BookContext {
  em: EntityManager;
  countyId: number;
  county: { code: string; name: string };
  period: Period;
  dims: Dimensions;
  /** Every account of the county by id: tens of thousands at most, so lines find theirs without a join per row. */
  accounts: Map<string, BookAccount>;
}

export async function bookContext(em: EntityManager, county: { id: number; code: string; name: string }, period: Period): Promise<BookContext> {
  const accounts = new Map<string, BookAccount>();
  for await (const account of bookAccounts(em, county.id)) accounts.set(account.id, account);
  return { em, countyId: county.id, county: { code: county.code, name: county.name }, period, dims: await loadDimensions(em, county.id), accounts };
}

/** The columns that place an account in 政府會計制度 and its auxiliary dimensions, in every book that lists accounts. */
export const ACCOUNT_DIMENSION_COLUMNS: readonly ExportColumn[] = [
  column('gov_code', '政府會計科目編碼', 'text', 'The mapped 政府會計制度 account (docs/exports.md, the account map)'),
  column('gov_name', '政府會計科目名稱', 'text', 'Its name'),
  column('functional_class', '功能分類', 'text', "The project's functional class (2130504/2130505/2130506/2130599); empty when the account has no project"),
  column('project_id', '項目編號', 'integer', 'The project the account belongs to'),
  column('project_name', '項目名稱', 'text', "The project's name"),
  column('allocation_id', '資金來源編號', 'integer', 'The fund allocation (source) the money comes from'),
  column('allocation_document', '資金文號', 'text', "The allocation's document number"),
  column('contract_id', '合同編號', 'integer', 'The contract, for commitments, holds and retention'),
  column('payee', '收款人', 'text', "The contract's payee"),
];

export function accountDimensionCells(ctx: BookContext, account: BookAccount): Cell[] {
  const gov = govAccountOf(account.kind, account.type);
  const project = ctx.dims.project(account.projectId);
  const contract = ctx.dims.contract(account.contractId);
  return [
    gov.code,
    gov.name,
    project?.functionalClass?.code ?? null,
    idCell(account.projectId),
    project?.name ?? null,
    idCell(account.allocationId),
    ctx.dims.allocation(account.allocationId)?.documentNumber ?? null,
    idCell(account.contractId),
    contract?.payee ?? null,
  ];
}

export function idCell(id: number | null): Cell {
  return id === null ? null : String(id);
}
