import { EntityManager } from 'typeorm';
import { z } from 'zod';
import { col } from '../../database/rows';
import { streamRows } from '../../database/stream-rows';
import { ExportRow, ExportTable, column } from '../table';
import { safeFileName } from './file-names';
import { PackageFile, RegisterPeriod, cell, periodInstants } from './register';

/**
 * The claims of a period (`k`; `$1` the county, `$2`/`$3` the period's first and last instants): those with a step in
 * it (drafting is the first step, so a claim drafted in the period is one), and those still open at its end: drafted
 * before it ended and neither paid nor withdrawn by then. Steps are found through each claim's step index.
 */
export const CLAIMS_OF_PERIOD = `
  k.county_id = $1
  AND (EXISTS (SELECT 1 FROM claim_steps s WHERE s.claim_id = k.id AND s.at >= $2 AND s.at < $3)
       OR (k.created_at < $3 AND NOT EXISTS (SELECT 1 FROM claim_steps s WHERE s.claim_id = k.id AND s.step IN ('pay', 'withdraw') AND s.at < $3)))`;

const ClaimRow = z.object({
  id: col.id,
  contractId: col.id,
  contractTitle: col.text,
  projectId: col.id,
  projectName: col.text,
  township: col.text.nullable(),
  village: col.text,
  version: col.int,
  state: col.text,
  final: col.bool,
  acceptanceId: col.id.nullable(),
  stage: col.int.nullable(),
  amount: col.money,
  applicationDate: col.date,
  townshipSignedOn: col.date.nullable(),
  lineResult: col.text.nullable(),
  draftedBy: col.text,
  createdAt: col.timestamp,
  submittedAt: col.timestamp.nullable(),
  paidAt: col.timestamp.nullable(),
  paymentId: col.id.nullable(),
  invoiceCount: col.count,
  invoiceTotal: col.money,
});
type ClaimRow = z.infer<typeof ClaimRow>;

const CLAIMS = `
  SELECT k.id, k.contract_id, c.title AS contract_title, k.project_id, p.name AS project_name, t.name AS township, v.name AS village,
         k.version, k.state, k.final, k.acceptance_id, k.stage, k.amount::text, k.application_date::text, k.township_signed_on::text,
         k.line_result, drafter.username AS drafted_by, k.created_at,
         (SELECT max(s.at) FROM claim_steps s WHERE s.claim_id = k.id AND s.step = 'submit') AS submitted_at,
         (SELECT max(s.at) FROM claim_steps s WHERE s.claim_id = k.id AND s.step = 'pay') AS paid_at,
         k.payment_id, i.invoice_count, i.invoice_total
    FROM claims k
    JOIN contracts c ON c.id = k.contract_id
    JOIN projects p ON p.id = k.project_id
    JOIN org_units v ON v.id = p.village_id
    LEFT JOIN org_units t ON t.id = v.parent_id
    JOIN users drafter ON drafter.id = k.drafted_by
    CROSS JOIN LATERAL (SELECT count(*) AS invoice_count, coalesce(sum(amount), 0)::numeric(20,2)::text AS invoice_total
                          FROM claim_invoices WHERE claim_id = k.id) i
   WHERE ${CLAIMS_OF_PERIOD}
   ORDER BY k.id`;

/** registers/claims.csv — 報帳登記: the claims with a step in the period or still open at its end. */
export function claimsRegister(em: EntityManager, countyId: number, period: RegisterPeriod): ExportTable {
  const { start, end } = periodInstants(period);
  return {
    name: 'claims',
    title: '報帳登記',
    description:
      'Reimbursement claims with a step in the period (drafting included) or still open at its end (drafted, neither paid nor withdrawn), in id order; state and packet as at the export',
    columns: [
      column('claim_id', '報帳編號', 'integer', 'The claim’s id'),
      column('contract_id', '合同編號', 'integer', 'The contract it asks to pay on'),
      column('contract_title', '合同名稱', 'text', 'The contract’s title'),
      column('project_id', '項目編號', 'integer', 'The contract’s project'),
      column('project_name', '項目名稱', 'text', 'The project’s name'),
      column('township', '鄉鎮', 'text', 'The township of the project’s village'),
      column('village', '村', 'text', 'The village that claims (the project’s)'),
      column('version', '版本', 'integer', 'The packet’s current version: 1, and one more for each correction'),
      column('state', '狀態', 'text', 'At the export: draft, submitted, township_reviewed, line_reviewed, approved, paid, rejected or withdrawn'),
      column('final', '尾款', 'boolean', 'Whether it is the final claim on the contract'),
      column('acceptance_id', '驗收編號', 'integer', 'For a final claim: the passed acceptance it names'),
      column('stage', '付款階段', 'integer', 'The stage of the contract’s schedule it claims for; empty without a schedule'),
      column('amount', '報帳金額', 'money', 'The amount claimed (current version)'),
      column('application_date', '申請日期', 'date', 'The application’s date'),
      column('township_signed_on', '鄉鎮簽署日期', 'date', 'The day township finance signed its review'),
      column('line_result', '行業部門審核結果', 'text', 'pass or fail (督查一把尺: a fail keeps county finance from approving); empty before the line review'),
      column('drafted_by', '起草人', 'text', 'Who drafted it: a village user (username)'),
      column('created_at', '起草時間', 'datetime', 'When it was drafted'),
      column('submitted_at', '提交時間', 'datetime', 'When it was last submitted (a corrected claim is submitted again)'),
      column('paid_at', '支付時間', 'datetime', 'When it was paid; empty unless paid'),
      column('payment_id', '付款編號', 'integer', 'The payment that paid it (registers/payments.csv)'),
      column('invoice_count', '發票張數', 'integer', 'How many invoices it claims now (its current packet’s; none once withdrawn, which frees them)'),
      column('invoice_total', '發票金額合計', 'money', 'The total of those invoices’ amounts'),
    ],
    rows: (async function* (): AsyncGenerator<ExportRow> {
      for await (const k of streamRows(em, ClaimRow, CLAIMS, [countyId, start, end])) yield claimRow(k);
    })(),
  };
}

function claimRow(k: ClaimRow): ExportRow {
  return [
    cell.integer(k.id),
    cell.integer(k.contractId),
    cell.text(k.contractTitle),
    cell.integer(k.projectId),
    cell.text(k.projectName),
    cell.text(k.township),
    cell.text(k.village),
    cell.integer(k.version),
    cell.text(k.state),
    cell.boolean(k.final),
    cell.integer(k.acceptanceId),
    cell.integer(k.stage),
    cell.money(k.amount),
    cell.date(k.applicationDate),
    cell.date(k.townshipSignedOn),
    cell.text(k.lineResult),
    cell.text(k.draftedBy),
    cell.datetime(k.createdAt),
    cell.datetime(k.submittedAt),
    cell.datetime(k.paidAt),
    cell.integer(k.paymentId),
    cell.integer(k.invoiceCount),
    cell.money(k.invoiceTotal),
  ];
}

const AttachmentRow = z.object({ claimId: col.id, id: col.id, filename: col.text, content: col.bytes });

/**
 * The scans of the claims of the period (every version's), one file at a time, for the audit package:
 * `files/claims/<claimId>/<attachmentId>-<filename>`, the name made a safe zip entry name (`safeFileName`). The
 * database holds each file to its SHA-256 (CK_claim_attachments_hash), which its `claim.attachment.added` event records.
 */
export async function* claimAttachments(em: EntityManager, countyId: number, period: RegisterPeriod): AsyncGenerator<PackageFile> {
  const { start, end } = periodInstants(period);
  const files = streamRows(
    em,
    AttachmentRow,
    `SELECT a.claim_id, a.id, a.filename, a.content
       FROM claims k JOIN claim_attachments a ON a.claim_id = k.id
      WHERE ${CLAIMS_OF_PERIOD}
      ORDER BY a.claim_id, a.id`,
    [countyId, start, end],
    1,
  );
  for await (const a of files) yield { path: `files/claims/${a.claimId}/${a.id}-${safeFileName(a.filename)}`, bytes: a.content };
}
