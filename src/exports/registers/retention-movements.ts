import { EntityManager } from 'typeorm';
import { z } from 'zod';
import { col, selectRows } from '../../database/rows';
import { ExportRow, ExportTable, column } from '../table';
import { RegisterPeriod, cell, effectiveDates, keysetPages, periodInstants } from './register';

const PAGE = 200;

/** Where a contract's retention moved: withheld from a payment, released to the payee, forfeited to repairs. */
const MOVEMENTS = ['withheld', 'released', 'forfeited'] as const;

const ContractRow = z.object({ id: col.id, title: col.text, projectId: col.id, payeeName: col.text });
type ContractRow = z.infer<typeof ContractRow>;

const CONTRACTS = `
  SELECT c.id, c.title, c.project_id, c.payee_name FROM contracts c
   WHERE c.county_id = $1 AND c.signed_on IS NOT NULL AND c.id > $2
   ORDER BY c.id
   LIMIT $3`;

const MovementRow = z.object({
  contractId: col.id,
  movement: z.enum(MOVEMENTS),
  amount: col.money,
  reason: col.text.nullable(),
  paymentId: col.id.nullable(),
  movementId: col.id.nullable(),
  transactionId: col.text,
  proposedBy: col.text.nullable(),
  proposedAt: col.timestamp.nullable(),
  postedBy: col.text,
});
type MovementRow = z.infer<typeof MovementRow>;

/**
 * The retention movements of some contracts: each payment that withheld retention, and each release or forfeit once
 * posted (a proposal not yet approved moved nothing).
 */
const CONTRACT_MOVEMENTS = `
  SELECT p.contract_id, 'withheld' AS movement, p.retention::text AS amount, NULL AS reason, p.id AS payment_id, NULL::int AS movement_id,
         p.transaction_id::text, NULL AS proposed_by, NULL::timestamptz AS proposed_at, payer.username AS posted_by
    FROM contract_payments p JOIN users payer ON payer.id = p.paid_by
   WHERE p.contract_id = ANY($1::int[]) AND p.retention > 0
  UNION ALL
  SELECT m.contract_id, CASE m.kind WHEN 'release' THEN 'released' ELSE 'forfeited' END, m.amount::text, m.reason, NULL, m.id,
         m.transaction_id::text, proposer.username, m.created_at, approver.username
    FROM retention_movements m
    JOIN users proposer ON proposer.id = m.proposed_by
    JOIN users approver ON approver.id = m.approved_by
   WHERE m.contract_id = ANY($1::int[]) AND m.state = 'posted'`;

/** registers/retention-movements.csv — 質量保證金變動: retention withheld, released and forfeited in the period. */
export function retentionMovementsRegister(em: EntityManager, countyId: number, period: RegisterPeriod): ExportTable {
  periodInstants(period);
  return {
    name: 'retention-movements',
    title: '質量保證金變動',
    description:
      'Every movement of retention effective in the period: withheld from a payment, released to the payee, forfeited to repairs (posted ones only). By contract; within a contract by effective date, a withholding before a release or forfeit of the same day, then by id',
    columns: [
      column('effective_date', '業務日期', 'date', 'The effective date of the movement’s ledger transaction'),
      column('contract_id', '合同編號', 'integer', 'The contract whose retention moved'),
      column('contract_title', '合同名稱', 'text', 'The contract’s title'),
      column('project_id', '項目編號', 'integer', 'The contract’s project'),
      column('payee_name', '收款人', 'text', 'The contract’s payee, whose retention it is'),
      column(
        'movement',
        '變動類型',
        'text',
        'withheld (預留, from a payment), released (返還, to the payee) or forfeited (扣除, to repairs: back to the project’s budget)',
      ),
      column('amount', '金額', 'money', 'The amount moved'),
      column('reason', '理由', 'text', 'For a release or forfeit: the reason given when it was proposed; empty for a withholding'),
      column('payment_id', '付款編號', 'integer', 'For a withholding: the payment it was withheld from'),
      column('movement_id', '變動編號', 'integer', 'For a release or forfeit: the retention movement'),
      column('transaction_id', '交易號', 'text', 'The ledger transaction that posted it (uuid)'),
      column('proposed_by', '提出人', 'text', 'For a release or forfeit: who proposed it (username)'),
      column('proposed_at', '提出時間', 'datetime', 'For a release or forfeit: when it was proposed'),
      column(
        'posted_by',
        '經辦人',
        'text',
        'Who posted it: the payer of a withholding, the approver of a release or forfeit (a different person from its proposer)',
      ),
    ],
    rows: (async function* (): AsyncGenerator<ExportRow> {
      for await (const contracts of keysetPages(em, ContractRow, CONTRACTS, [countyId], PAGE)) {
        const movements = await selectRows(em, MovementRow, CONTRACT_MOVEMENTS, [contracts.map((c) => c.id)]);
        const dates = await effectiveDates(
          em,
          countyId,
          movements.map((m) => m.transactionId),
        );
        const inPeriod = movements
          .map((m) => ({ ...m, effectiveDate: dates.get(m.transactionId)! }))
          .filter((m) => m.effectiveDate >= period.from && m.effectiveDate <= period.to)
          .sort(byContractThenDate);
        const byId = new Map(contracts.map((c) => [c.id, c]));
        for (const m of inPeriod) yield movementRow(byId.get(m.contractId)!, m);
      }
    })(),
  };
}

type Dated = MovementRow & { effectiveDate: string };

function byContractThenDate(a: Dated, b: Dated): number {
  return (
    a.contractId - b.contractId ||
    a.effectiveDate.localeCompare(b.effectiveDate) ||
    Number(a.movement !== 'withheld') - Number(b.movement !== 'withheld') ||
    (a.paymentId ?? a.movementId!) - (b.paymentId ?? b.movementId!)
  );
}

function movementRow(c: ContractRow, m: Dated): ExportRow {
  return [
    cell.date(m.effectiveDate),
    cell.integer(c.id),
    cell.text(c.title),
    cell.integer(c.projectId),
    cell.text(c.payeeName),
    cell.text(m.movement),
    cell.money(m.amount),
    cell.text(m.reason),
    cell.integer(m.paymentId),
    cell.integer(m.movementId),
    cell.text(m.transactionId),
    cell.text(m.proposedBy),
    cell.datetime(m.proposedAt),
    cell.text(m.postedBy),
  ];
}
