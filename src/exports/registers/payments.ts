import { EntityManager } from 'typeorm';
import { z } from 'zod';
import { col, selectRows } from '../../database/rows';
import { ExportRow, ExportTable, column } from '../table';
import { RegisterPeriod, cell, effectiveDates, keysetPages, periodInstants } from './register';

const PAGE = 2000;

const PaymentRow = z.object({
  id: col.id,
  recordedAt: col.timestamp,
  contractId: col.id,
  contractTitle: col.text,
  projectId: col.id,
  projectName: col.text,
  claimId: col.id.nullable(),
  stage: col.int.nullable(),
  amount: col.money,
  retention: col.money,
  net: col.money,
  payeeName: col.text,
  payeeBank: col.text,
  payeeAccount: col.text,
  transactionId: col.text,
  paidBy: col.text,
  approvedBy: col.textArray,
});
type PaymentRow = z.infer<typeof PaymentRow>;

/** The county's payments in id order, a page at a time: only what it takes to ask the ledger for their dates. */
const PAYMENT_KEYS = `
  SELECT p.id, p.transaction_id::text FROM contract_payments p
   WHERE p.county_id = $1 AND p.id > $2
   ORDER BY p.id
   LIMIT $3`;
const PaymentKey = z.object({ id: col.id, transactionId: col.text });

/**
 * The rows of the payments named, in id order. The payee is the contract's: a payment goes only to the contract's
 * payee account (PAYEE_MISMATCH), and signed terms never change. A claim's payment names its claim (found through the
 * contract's claims index); its approvers are the approving steps of the version that was paid, county finance's and,
 * above the threshold, the leader's.
 */
const PAYMENTS = `
  SELECT p.id, p.created_at AS recorded_at, p.contract_id, c.title AS contract_title, c.project_id, pr.name AS project_name,
         k.id AS claim_id, p.stage, p.amount::text, p.retention::text, p.net::text,
         c.payee_name, c.payee_bank, c.payee_account, p.transaction_id::text, payer.username AS paid_by,
         ARRAY(SELECT u.username FROM claim_steps s JOIN users u ON u.id = s.actor_id
                WHERE s.claim_id = k.id AND s.version = k.version AND s.step IN ('approve', 'leader_sign') ORDER BY s.id) AS approved_by
    FROM contract_payments p
    JOIN contracts c ON c.id = p.contract_id
    JOIN projects pr ON pr.id = c.project_id
    JOIN users payer ON payer.id = p.paid_by
    LEFT JOIN claims k ON k.contract_id = p.contract_id AND k.payment_id = p.id
   WHERE p.id = ANY($1::int[])
   ORDER BY p.id`;

/** registers/payments.csv — 付款登記: every payment effective in the period, with its retention split. */
export function paymentsRegister(em: EntityManager, countyId: number, period: RegisterPeriod): ExportTable {
  periodInstants(period);
  return {
    name: 'payments',
    title: '付款登記',
    description: 'Every payment on a contract whose ledger transaction is effective in the period, in payment id order, with the retention withheld from it',
    columns: [
      column('payment_id', '付款編號', 'integer', 'The payment’s id'),
      column('effective_date', '業務日期', 'date', 'The effective date of its ledger transaction: the day it was paid'),
      column('recorded_at', '記錄時間', 'datetime', 'When it was recorded'),
      column('contract_id', '合同編號', 'integer', 'The contract paid on'),
      column('contract_title', '合同名稱', 'text', 'The contract’s title'),
      column('project_id', '項目編號', 'integer', 'The contract’s project'),
      column('project_name', '項目名稱', 'text', 'The project’s name'),
      column('claim_id', '報帳編號', 'integer', 'The claim this payment paid; empty for county finance’s own payment on the contract'),
      column('stage', '付款階段', 'integer', 'The stage of the contract’s schedule paid for; empty without a schedule'),
      column('amount', '付款金額', 'money', 'Gross amount: retention + net'),
      column('retention', '預留質保金', 'money', 'Retention withheld from it at the contract’s rate (round half up, to the fen)'),
      column('net', '實付金額', 'money', 'Net paid out of the dedicated account to the payee'),
      column('payee_name', '收款人', 'text', 'The contract’s payee'),
      column('payee_bank', '開戶銀行', 'text', 'The payee’s bank'),
      column('payee_account', '收款賬號', 'text', 'The account paid, as stored (digits only): the contract’s payee account'),
      column('transaction_id', '交易號', 'text', 'The ledger transaction that posted it (uuid), as the payment records it'),
      column('paid_by', '支付人', 'text', 'Who posted the payment: a county_finance user (username)'),
      column(
        'approved_by',
        '審批人',
        'text',
        'For a claim: who approved the version paid (county finance, then the leader when one signed), separated by ;. Empty for a direct payment, which county finance posts alone',
      ),
    ],
    rows: (async function* (): AsyncGenerator<ExportRow> {
      // Dates first, a page of keys at a time, so the joins run only for the payments of the period.
      for await (const page of keysetPages(em, PaymentKey, PAYMENT_KEYS, [countyId], PAGE)) {
        const dates = await effectiveDates(
          em,
          countyId,
          page.map((p) => p.transactionId),
        );
        const inPeriod = page.filter((p) => dates.get(p.transactionId)! >= period.from && dates.get(p.transactionId)! <= period.to);
        if (inPeriod.length === 0) continue;
        const rows = await selectRows(em, PaymentRow, PAYMENTS, [inPeriod.map((p) => p.id)]);
        for (const p of rows) yield paymentRow(p, dates.get(p.transactionId)!);
      }
    })(),
  };
}

function paymentRow(p: PaymentRow, effectiveDate: string): ExportRow {
  return [
    cell.integer(p.id),
    cell.date(effectiveDate),
    cell.datetime(p.recordedAt),
    cell.integer(p.contractId),
    cell.text(p.contractTitle),
    cell.integer(p.projectId),
    cell.text(p.projectName),
    cell.integer(p.claimId),
    cell.integer(p.stage),
    cell.money(p.amount),
    cell.money(p.retention),
    cell.money(p.net),
    cell.text(p.payeeName),
    cell.text(p.payeeBank),
    cell.text(p.payeeAccount),
    cell.text(p.transactionId),
    cell.text(p.paidBy),
    cell.list(p.approvedBy),
  ];
}
