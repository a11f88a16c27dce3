import Decimal from 'decimal.js';
import { EntityManager } from 'typeorm';
import { z } from 'zod';
import { ZERO, money } from '../../common/money';
import { col, selectRows } from '../../database/rows';
import { LedgerReadingService } from '../../ledger/ledger-reading.service';
import { ExportRow, ExportTable, column } from '../table';
import { RegisterPeriod, cell, effectiveDates, keysetPages, periodInstants } from './register';

const PAGE = 500;

const ContractRow = z.object({
  id: col.id,
  title: col.text,
  projectId: col.id,
  projectName: col.text,
  township: col.text.nullable(),
  village: col.text,
  payeeName: col.text,
  payeeType: col.text,
  payeeTaxId: col.text.nullable(),
  payeeIdNumber: col.text.nullable(),
  payeeBank: col.text,
  payeeAccount: col.text,
  tenderMethod: col.text.nullable(),
  tenderDate: col.date.nullable(),
  tenderWinner: col.text.nullable(),
  tenderBidders: col.textArray.nullable(),
  amount: col.money,
  retentionRate: col.text,
  retentionOverrideReason: col.text.nullable(),
  stages: col.int,
  draftedBy: col.text,
  signedBy: col.text,
  signedOn: col.date,
  state: col.text,
  settledAt: col.timestamp.nullable(),
  settledBy: col.text.nullable(),
});
type ContractRow = z.infer<typeof ContractRow>;

/** Signed on or before `to`, and not settled before the period began: the contracts in force at some time in it. */
const CONTRACTS = `
  SELECT c.id, c.title, c.project_id, p.name AS project_name, t.name AS township, v.name AS village,
         c.payee_name, c.payee_type, c.payee_tax_id, c.payee_id_number, c.payee_bank, c.payee_account,
         c.tender ->> 'method' AS tender_method, c.tender ->> 'date' AS tender_date, c.tender ->> 'winner' AS tender_winner,
         ARRAY(SELECT b FROM jsonb_array_elements_text(c.tender -> 'bidders') WITH ORDINALITY AS x(b, n) ORDER BY n) AS tender_bidders,
         c.amount::text, c.retention_rate::text, c.retention_override_reason, jsonb_array_length(c.schedule) AS stages,
         drafter.username AS drafted_by, signer.username AS signed_by, c.signed_on::text, c.state, c.settled_at, settler.username AS settled_by
    FROM contracts c
    JOIN projects p ON p.id = c.project_id
    JOIN org_units v ON v.id = p.village_id
    LEFT JOIN org_units t ON t.id = v.parent_id
    JOIN users drafter ON drafter.id = c.drafted_by
    JOIN users signer ON signer.id = c.signed_by
    LEFT JOIN users settler ON settler.id = c.settled_by
   WHERE c.county_id = $1 AND c.signed_on <= $2::date AND (c.settled_at IS NULL OR c.settled_at >= $3)
     AND c.id > $4
   ORDER BY c.id
   LIMIT $5`;

const MoneyRow = z.object({
  contractId: col.id,
  kind: z.enum(['payment', 'release', 'forfeit']),
  amount: col.money,
  retention: col.money,
  transactionId: col.text,
});

/** Every payment of the page's contracts and every posted release and forfeit of their retention, with its transaction. */
const MOVEMENTS = `
  SELECT contract_id, 'payment' AS kind, amount::text, retention::text, transaction_id::text
    FROM contract_payments WHERE contract_id = ANY($1::int[])
  UNION ALL
  SELECT contract_id, kind, amount::text, '0.00', transaction_id::text
    FROM retention_movements WHERE contract_id = ANY($1::int[]) AND state = 'posted'`;

const AllocationRow = z.object({ id: col.id, documentNumber: col.text });

interface Figures {
  paid: Decimal;
  withheld: Decimal;
  released: Decimal;
  forfeited: Decimal;
}

/** registers/contracts.csv — 合同登記: the contracts in force in the period, with what was paid and held on each by its end. */
export function contractsRegister(em: EntityManager, countyId: number, period: RegisterPeriod): ExportTable {
  const { start } = periodInstants(period);
  return {
    name: 'contracts',
    title: '合同登記',
    description:
      'Contracts signed on or before the period’s last day and not settled before its first, in id order, with their terms as signed; money paid and retention moved are summed by effective date to the period’s last day',
    columns: [
      column('contract_id', '合同編號', 'integer', 'The contract’s id'),
      column('title', '合同名稱', 'text', 'The contract’s title'),
      column('project_id', '項目編號', 'integer', 'The project the contract is on'),
      column('project_name', '項目名稱', 'text', 'The project’s name'),
      column('township', '鄉鎮', 'text', 'The township of the project’s village'),
      column('village', '村', 'text', 'The village the project is in (its org unit)'),
      column('payee_name', '收款人', 'text', 'The contractor paid (payee) as signed'),
      column('payee_type', '收款人類型', 'text', 'company, cooperative or individual'),
      column('payee_tax_id', '統一社會信用代碼', 'text', 'A company’s or cooperative’s taxpayer id; empty for an individual'),
      column('payee_id_number', '公民身份號碼', 'text', 'An individual payee’s resident ID number; empty for a company or cooperative'),
      column('payee_bank', '開戶銀行', 'text', 'The payee’s bank'),
      column('payee_account', '收款賬號', 'text', 'The payee’s account as stored (digits only); every payment goes to it'),
      column('tender_method', '招標方式', 'text', 'How the contractor was chosen (招標一套法); empty when no tender was required'),
      column('tender_date', '招標日期', 'date', 'The day of the tender'),
      column('tender_winner', '中標人', 'text', 'The tender’s winner'),
      column('tender_bidders', '投標人', 'text', 'Every bidder, in the order recorded, separated by ;'),
      column('amount', '合同金額', 'money', 'The contract’s amount'),
      column('retention_rate', '質保金比例', 'text', 'The retention rate fixed at signing, as a fraction with four decimals (0.1500 = 15%)'),
      column('retention_override_reason', '另定比例理由', 'text', 'Why the rate departs from the policy’s, when it does; empty: the policy’s rate that day'),
      column('stages', '付款階段數', 'integer', 'How many stages the payment schedule has (0: no schedule)'),
      column('drafted_by', '起草人', 'text', 'Who drafted the contract (username)'),
      column('signed_by', '簽訂人', 'text', 'Who signed it, a different person (username)'),
      column('signed_on', '簽訂日期', 'date', 'The day it was signed; its budget was committed that day'),
      column('state', '狀態', 'text', 'signed or settled, at the export'),
      column('settled_at', '結算時間', 'datetime', 'When it was settled (no more payments or retention movements); empty while signed'),
      column('settled_by', '結算人', 'text', 'Who settled it (username)'),
      column('allocation_ids', '資金來源編號', 'text', 'The fund allocations whose budget the contract committed at signing, in id order, separated by ;'),
      column('allocation_documents', '資金文號', 'text', 'Their document numbers (文號), in the same order, separated by ;'),
      column('paid', '累計付款', 'money', 'Gross of its payments effective on or before the period’s last day'),
      column('retention_withheld', '累計預留質保金', 'money', 'Retention withheld from those payments'),
      column('retention_released', '累計返還質保金', 'money', 'Retention released to the payee, effective on or before the period’s last day'),
      column('retention_forfeited', '累計扣除質保金', 'money', 'Retention forfeited to repairs, effective on or before the period’s last day'),
      column('retention_held', '質保金餘額', 'money', 'Retention held at the end of the period’s last day: withheld − released − forfeited'),
    ],
    rows: (async function* (): AsyncGenerator<ExportRow> {
      const ledger = new LedgerReadingService(em.connection);
      for await (const page of keysetPages(em, ContractRow, CONTRACTS, [countyId, period.to, start], PAGE)) {
        const figures = await figuresOf(em, countyId, page, period.to);
        const sources = await sourcesOf(em, ledger, countyId, page);
        for (const c of page) yield contractRow(c, figures.get(c.id)!, sources.get(c.id) ?? []);
      }
    })(),
  };
}

function contractRow(c: ContractRow, f: Figures, sources: readonly { id: number; documentNumber: string }[]): ExportRow {
  return [
    cell.integer(c.id),
    cell.text(c.title),
    cell.integer(c.projectId),
    cell.text(c.projectName),
    cell.text(c.township),
    cell.text(c.village),
    cell.text(c.payeeName),
    cell.text(c.payeeType),
    cell.text(c.payeeTaxId),
    cell.text(c.payeeIdNumber),
    cell.text(c.payeeBank),
    cell.text(c.payeeAccount),
    cell.text(c.tenderMethod),
    cell.date(c.tenderDate),
    cell.text(c.tenderWinner),
    cell.list(c.tenderBidders ?? []),
    cell.money(c.amount),
    cell.text(c.retentionRate),
    cell.text(c.retentionOverrideReason),
    cell.integer(c.stages),
    cell.text(c.draftedBy),
    cell.text(c.signedBy),
    cell.date(c.signedOn),
    cell.text(c.state),
    cell.datetime(c.settledAt),
    cell.text(c.settledBy),
    cell.list(sources.map((s) => s.id)),
    cell.list(sources.map((s) => s.documentNumber)),
    cell.money(f.paid),
    cell.money(f.withheld),
    cell.money(f.released),
    cell.money(f.forfeited),
    cell.money(f.withheld.minus(f.released).minus(f.forfeited)),
  ];
}

/** What was paid and moved on each contract of the page, effective on or before `to`. */
async function figuresOf(em: EntityManager, countyId: number, page: readonly ContractRow[], to: string): Promise<Map<number, Figures>> {
  const figures = new Map<number, Figures>(page.map((c) => [c.id, { paid: ZERO, withheld: ZERO, released: ZERO, forfeited: ZERO }]));
  const movements = await selectRows(em, MoneyRow, MOVEMENTS, [page.map((c) => c.id)]);
  const dates = await effectiveDates(
    em,
    countyId,
    movements.map((m) => m.transactionId),
  );
  for (const m of movements) {
    if (dates.get(m.transactionId)! > to) continue;
    const f = figures.get(m.contractId)!;
    if (m.kind === 'payment') {
      f.paid = f.paid.plus(money(m.amount));
      f.withheld = f.withheld.plus(money(m.retention));
    } else if (m.kind === 'release') f.released = f.released.plus(money(m.amount));
    else f.forfeited = f.forfeited.plus(money(m.amount));
  }
  return figures;
}

/**
 * The allocations each contract of the page draws on: signing committed its budget source by source, in one
 * commitment account per source, which the ledger finds by the projects' dimension.
 */
async function sourcesOf(
  em: EntityManager,
  ledger: LedgerReadingService,
  countyId: number,
  page: readonly ContractRow[],
): Promise<Map<number, { id: number; documentNumber: string }[]>> {
  const accounts = await ledger.accounts(em, countyId, { kind: 'quota_committed', projectId: [...new Set(page.map((c) => c.projectId))] });
  const allocationIds = [...new Set(accounts.map((a) => a.allocationId!))];
  const documents = new Map(
    (await selectRows(em, AllocationRow, `SELECT id, document_number FROM fund_allocations WHERE id = ANY($1::int[])`, [allocationIds])).map((a) => [
      a.id,
      a.documentNumber,
    ]),
  );
  const byContract = new Map<number, { id: number; documentNumber: string }[]>();
  for (const a of accounts) {
    const list = byContract.get(a.contractId!) ?? [];
    list.push({ id: a.allocationId!, documentNumber: documents.get(a.allocationId!)! });
    byContract.set(a.contractId!, list);
  }
  for (const list of byContract.values()) list.sort((x, y) => x.id - y.id);
  return byContract;
}
