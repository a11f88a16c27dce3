import { Injectable } from '@nestjs/common';
import { EntityManager } from 'typeorm';
import { z } from 'zod';
import { Clock } from '../common/clock';
import { Actor } from '../common/context';
import { DomainError, ErrorCode, invalidField } from '../common/errors';
import { ZERO, formatMoney, money } from '../common/money';
import { latestAcceptanceIfPassed } from '../contracts/acceptance-state';
import { stageProblem } from '../contracts/domain/schedule';
import { pgErrorOf } from '../database/pg-errors';
import { col, selectRows } from '../database/rows';
import { ClaimPacketDto } from './claims.dto';
import { PacketInvoice, invoiceKeys } from './domain/claims';
import { ExpenseCategory } from './domain/expense-categories';

const ScheduleLength = z.object({ stages: col.int });
const TakenInvoice = z.object({ issuerKey: col.text, numberKey: col.text });

/**
 * A claim's packet (報帳材料): what it must satisfy by itself (sums, invoices, the acceptance and dates) and how a
 * version of it is written, with its invoices, each claimed once in a county.
 */
@Injectable()
export class ClaimPackets {
  constructor(private readonly clock: Clock) {}

  /** What the packet itself must satisfy, before any document or review: sums, invoices, the acceptance and dates. */
  async assertPacket(em: EntityManager, actor: Actor, contractId: number, packet: Packet): Promise<void> {
    if (packet.applicationDate > this.clock.today()) throw invalidField('applicationDate', 'an application cannot be dated in the future');
    if (!packet.final && packet.acceptanceId !== null) throw invalidField('acceptanceId', 'only a final claim names an acceptance');
    // A stage left out is asked for at submission; one named must be of the schedule already.
    if (packet.stage !== null) {
      const [{ stages }] = await selectRows(em, ScheduleLength, `SELECT jsonb_array_length(schedule) AS stages FROM contracts WHERE id = $1`, [contractId]);
      const problem = stageProblem(stages, packet.stage);
      if (problem) throw invalidField('stage', problem);
    }
    const expenses = packet.expenses.reduce((s, e) => s.plus(e.amount), ZERO);
    if (!expenses.eq(packet.amount)) {
      throw new DomainError(ErrorCode.ExpenseTotalMismatch, `The expense detail adds up to ${formatMoney(expenses)}, not the claimed ${packet.amount}`, {
        fields: [{ field: 'expenses', message: `adds up to ${formatMoney(expenses)}` }],
      });
    }
    const invoices = packet.invoices.reduce((s, i) => s.plus(i.amount), ZERO);
    if (!invoices.eq(packet.amount)) {
      throw new DomainError(ErrorCode.InvoiceTotalMismatch, `The invoices add up to ${formatMoney(invoices)}, not the claimed ${packet.amount}`, {
        fields: [{ field: 'invoices', message: `adds up to ${formatMoney(invoices)}` }],
      });
    }
    const seen = new Set<string>();
    for (const [i, inv] of packet.invoices.entries()) {
      const { issuerKey, numberKey } = invoiceKeys(inv);
      const key = `${issuerKey} ${numberKey}`;
      if (seen.has(key)) throw duplicateInvoice(i, 'appears twice in this claim');
      seen.add(key);
    }
    if (packet.final) await this.assertAcceptance(em, contractId, packet);
  }

  /** A final claim names the contract's latest acceptance, passed, and is not dated before it. */
  async assertAcceptance(em: EntityManager, contractId: number, packet: Pick<Packet, 'acceptanceId' | 'applicationDate'>): Promise<void> {
    const required = (message: string) =>
      new DomainError(ErrorCode.AcceptanceRequired, `A final claim needs the contract's passed acceptance (驗收一道關): ${message}`, {
        fields: [{ field: 'acceptanceId', message }],
      });
    if (packet.acceptanceId === null) throw required('required for a final claim');
    const accepted = await latestAcceptanceIfPassed(em, contractId);
    if (!accepted || accepted.id !== packet.acceptanceId) throw required(`not the contract's latest passed acceptance`);
    if (packet.applicationDate < accepted.closedOn) {
      throw new DomainError(
        ErrorCode.ApplicationBeforeAcceptance,
        `A final claim's application (${packet.applicationDate}) cannot be dated before the acceptance (${accepted.closedOn})`,
        {
          fields: [{ field: 'applicationDate', message: `not before ${accepted.closedOn}` }],
        },
      );
    }
  }

  async writeVersion(em: EntityManager, actor: Actor, id: number, version: number, packet: Packet): Promise<void> {
    await em.query(`INSERT INTO claim_versions (claim_id, version, packet, created_by) VALUES ($1, $2, $3, $4)`, [
      id,
      version,
      JSON.stringify(packet),
      actor.userId,
    ]);
    const keys = packet.invoices.map(invoiceKeys);
    const taken = await selectRows(
      em,
      TakenInvoice,
      `SELECT issuer_key, number_key FROM claim_invoices WHERE county_id = $1 AND (issuer_key, number_key) IN (SELECT * FROM unnest($2::text[], $3::text[]))`,
      [actor.county.id, keys.map((k) => k.issuerKey), keys.map((k) => k.numberKey)],
    );
    if (taken.length > 0) {
      const index = keys.findIndex((k) => taken.some((t) => t.issuerKey === k.issuerKey && t.numberKey === k.numberKey));
      throw duplicateInvoice(index, 'already claimed in this county (虛報冒領)');
    }
    await em.query(
      `INSERT INTO claim_invoices (county_id, claim_id, issuer, code, number, issuer_key, number_key, issued_on, amount)
       SELECT $1, $2, * FROM unnest($3::text[], $4::text[], $5::text[], $6::text[], $7::text[], $8::date[], $9::numeric[])`,
      [
        actor.county.id,
        id,
        packet.invoices.map((i) => i.issuer),
        packet.invoices.map((i) => i.code ?? null),
        packet.invoices.map((i) => i.number),
        keys.map((k) => k.issuerKey),
        keys.map((k) => k.numberKey),
        packet.invoices.map((i) => i.date),
        packet.invoices.map((i) => i.amount),
      ],
    );
  }
}

/** Runs `work`, answering a claim's invoice already claimed (the unique index decides races) as DUPLICATE_INVOICE. */
export async function writingInvoices<T>(work: () => Promise<T>): Promise<T> {
  try {
    return await work();
  } catch (err) {
    if (pgErrorOf(err)?.constraint === 'UQ_claim_invoices_invoice') throw duplicateInvoice(null, 'already claimed in this county (虛報冒領)');
    throw err;
  }
}

export interface Packet {
  amount: string;
  stage: number | null;
  final: boolean;
  acceptanceId: number | null;
  applicationDate: string;
  expenses: { description: string; amount: string; category?: ExpenseCategory }[];
  invoices: PacketInvoice[];
}

export function packetOf(dto: ClaimPacketDto): Packet {
  return {
    amount: formatMoney(money(dto.amount)),
    stage: dto.stage ?? null,
    final: dto.final,
    acceptanceId: dto.acceptanceId ?? null,
    applicationDate: dto.applicationDate,
    expenses: dto.expenses.map((e) => ({
      description: e.description,
      amount: formatMoney(money(e.amount)),
      ...(e.category === undefined ? {} : { category: e.category }),
    })),
    invoices: dto.invoices.map((i) => ({
      issuer: i.issuer,
      issuerTaxId: i.issuerTaxId,
      ...(i.code === undefined ? {} : { code: i.code }),
      number: i.number,
      date: i.date,
      amount: formatMoney(money(i.amount)),
    })),
  };
}

function duplicateInvoice(index: number | null, message: string): DomainError {
  return new DomainError(ErrorCode.DuplicateInvoice, `An invoice ${message}`, {
    fields: [{ field: index === null ? 'invoices' : `invoices.${index}.number`, message }],
  });
}
