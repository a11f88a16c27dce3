import type { Schema } from '../../api/client';
import { sumMoney } from '../../format';
import type { Claim, ExpenseCategory } from './types';

export type PacketBody = Schema<'ClaimPacketDto'>;

export interface ExpenseRow {
  description?: string;
  category?: ExpenseCategory;
  amount?: string;
}

export interface InvoiceRow {
  issuer?: string;
  issuerTaxId?: string;
  code?: string;
  number?: string;
  date?: string;
  amount?: string;
}

/** The claim form's fields, as the AntD form holds them (rows may be half filled while typing). */
export interface PacketValues {
  projectId?: number;
  contractId?: number;
  amount?: string;
  stage?: number;
  final?: boolean;
  acceptanceId?: number;
  applicationDate?: string;
  expenses?: (ExpenseRow | undefined)[];
  invoices?: (InvoiceRow | undefined)[];
}

const trim = (s: string | undefined) => (s ?? '').trim();

/** The body the API takes, from validated fields: optional parts only when given (a stage only with a schedule). */
export function packetBody(v: PacketValues, hasSchedule: boolean): PacketBody {
  return {
    amount: trim(v.amount),
    ...(hasSchedule && v.stage !== undefined ? { stage: v.stage } : {}),
    final: v.final ?? false,
    ...(v.final && v.acceptanceId !== undefined ? { acceptanceId: v.acceptanceId } : {}),
    applicationDate: trim(v.applicationDate),
    expenses: (v.expenses ?? []).map((e) => ({
      description: trim(e?.description),
      amount: trim(e?.amount),
      ...(e?.category ? { category: e.category } : {}),
    })),
    invoices: (v.invoices ?? []).map((i) => ({
      issuer: trim(i?.issuer),
      issuerTaxId: trim(i?.issuerTaxId).toUpperCase(),
      ...(trim(i?.code) ? { code: trim(i?.code) } : {}),
      number: trim(i?.number),
      date: trim(i?.date),
      amount: trim(i?.amount),
    })),
  };
}

/** A claim's current packet as the form's fields, to correct it as a new version. */
export function valuesOf(claim: Claim): PacketValues {
  return {
    contractId: claim.contractId,
    projectId: claim.projectId,
    amount: claim.amount,
    stage: claim.stage ?? undefined,
    final: claim.final,
    acceptanceId: claim.acceptanceId ?? undefined,
    applicationDate: claim.applicationDate,
    expenses: claim.expenses.map((e) => ({ description: e.description, amount: e.amount, category: e.category })),
    invoices: claim.invoices.map((i) => ({ ...i })),
  };
}

/** The total of a list of rows against the claimed amount, both to the fen. */
export function totalOf(
  rows: ({ amount?: string } | undefined)[] | undefined,
  amount: string | undefined,
): { total: string; claimed: string; matches: boolean } {
  const total = sumMoney((rows ?? []).map((r) => r?.amount));
  const claimed = sumMoney([amount]);
  return { total, claimed, matches: total === claimed };
}
