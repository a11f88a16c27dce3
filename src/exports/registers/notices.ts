import { EntityManager } from 'typeorm';
import { z } from 'zod';
import { col } from '../../database/rows';
import { streamRows } from '../../database/stream-rows';
import { ExportRow, ExportTable, column } from '../table';
import { PackageFile, RegisterPeriod, cell, periodInstants } from './register';

/**
 * The notices of a period (`n`; `$1` the county, `$2`/`$3` its first and last days, `$4`/`$5` its first and last
 * instants): published ones whose publicity period overlaps it or that were published in it. A draft has neither.
 */
const NOTICES_OF_PERIOD = `
  n.county_id = $1 AND n.state = 'published'
  AND ((n.starts_on <= $3::date AND n.ends_on >= $2::date) OR (n.approved_at >= $4 AND n.approved_at < $5))`;

const NoticeRow = z.object({
  id: col.id,
  code: col.text,
  kind: col.text,
  title: col.text,
  documentNumber: col.text,
  publisherUnit: col.text,
  publisherLevel: col.text,
  channels: col.textArray,
  projectIds: z.array(col.id),
  projectNames: col.textArray,
  allocationIds: z.array(col.id),
  allocationDocuments: col.textArray,
  formedOn: col.date,
  startsOn: col.date.nullable(),
  endsOn: col.date.nullable(),
  state: col.text,
  draftedBy: col.text,
  approvedBy: col.text.nullable(),
  approvedAt: col.timestamp.nullable(),
  supersedesId: col.id.nullable(),
  contentHash: col.text.nullable(),
  pdfSha256: col.text.nullable(),
  hasPdf: col.bool,
  objectionCount: col.count,
});
type NoticeRow = z.infer<typeof NoticeRow>;

/** The rows leave the PDF's bytes in the table: `noticePdfs` reads them one at a time. */
const NOTICES = `
  SELECT n.id, n.code, n.kind, n.title, n.document_number, pu.name AS publisher_unit, pu.level AS publisher_level, n.channels,
         ARRAY(SELECT np.project_id FROM notice_projects np WHERE np.notice_id = n.id ORDER BY np.project_id) AS project_ids,
         ARRAY(SELECT p.name FROM notice_projects np JOIN projects p ON p.id = np.project_id WHERE np.notice_id = n.id ORDER BY np.project_id) AS project_names,
         ARRAY(SELECT na.allocation_id FROM notice_allocations na WHERE na.notice_id = n.id ORDER BY na.allocation_id) AS allocation_ids,
         ARRAY(SELECT f.document_number FROM notice_allocations na JOIN fund_allocations f ON f.id = na.allocation_id
                WHERE na.notice_id = n.id ORDER BY na.allocation_id) AS allocation_documents,
         n.formed_on::text, n.starts_on::text, n.ends_on::text, n.state, drafter.username AS drafted_by, approver.username AS approved_by,
         n.approved_at, n.supersedes_id, n.content_hash, n.pdf_sha256, n.pdf IS NOT NULL AS has_pdf,
         (SELECT count(*) FROM notice_objections o WHERE o.notice_id = n.id) AS objection_count
    FROM notices n
    JOIN org_units pu ON pu.id = n.publisher_unit_id
    JOIN users drafter ON drafter.id = n.drafted_by
    LEFT JOIN users approver ON approver.id = n.approved_by
   WHERE ${NOTICES_OF_PERIOD}
   ORDER BY n.id`;

/** Where the audit package stores a notice's PDF. */
export function noticePdfPath(noticeId: number): string {
  return `files/notices/${noticeId}.pdf`;
}

function periodParams(countyId: number, period: RegisterPeriod): unknown[] {
  const { start, end } = periodInstants(period);
  return [countyId, period.from, period.to, start, end];
}

/** registers/notices.csv — 公示: the notices whose publicity ran in the period or that were published in it. */
export function noticesRegister(em: EntityManager, countyId: number, period: RegisterPeriod): ExportTable {
  const params = periodParams(countyId, period);
  return {
    name: 'notices',
    title: '公示',
    description:
      'Published notices whose publicity period overlaps the period or that were published in it, in id order, with the hashes of what was published and where its PDF is in the package',
    columns: [
      column('notice_id', '公示編號', 'integer', 'The notice’s id'),
      column('code', '公示代碼', 'text', 'Its public code, in its URL and on its paper'),
      column(
        'kind',
        '公示類型',
        'text',
        'library (項目庫入庫), plan (年度項目計劃), allocation (資金分配結果), implementation (項目實施前), completion (項目竣工結果)',
      ),
      column('title', '標題', 'text', 'The notice’s title as published'),
      column('document_number', '文號', 'text', 'Its document number'),
      column('publisher_unit', '發布單位', 'text', 'The unit that published it (誰分配、誰使用、誰公開)'),
      column('publisher_level', '發布層級', 'text', 'county, township or village'),
      column(
        'channels',
        '公示渠道',
        'text',
        'Where it is posted, separated by ;: portal (政府門戶網站), township_board (鄉鎮政務公開欄), village_board (村務公開欄), project_site (項目施工現場)',
      ),
      column('project_ids', '項目編號', 'text', 'The projects it publishes, in id order, separated by ;'),
      column('project_names', '項目名稱', 'text', 'Their names, in the same order, separated by ;'),
      column('allocation_ids', '資金來源編號', 'text', 'The fund allocations it publishes (an allocation notice), separated by ;'),
      column('allocation_documents', '資金文號', 'text', 'Their document numbers, in the same order, separated by ;'),
      column('formed_on', '信息形成日期', 'date', 'The day the information was formed or changed; publication is due within the policy’s working days of it'),
      column('starts_on', '公示開始日期', 'date', 'The first day of its publicity period'),
      column('ends_on', '公示結束日期', 'date', 'The last day of its publicity period'),
      column('state', '狀態', 'text', 'published: only published notices are listed'),
      column('drafted_by', '起草人', 'text', 'Who drafted it (username)'),
      column('approved_by', '審批人', 'text', 'Who approved it, a different person (username); approving published it'),
      column('published_at', '發布時間', 'datetime', 'When it was approved and published'),
      column('supersedes_id', '更正公示編號', 'integer', 'The notice this one corrects, when it is a correction'),
      column('content_hash', '內容哈希', 'text', 'SHA-256 (hex) of the frozen figures and texts (RFC 8785 canonical JSON), taken at approval'),
      column('pdf_sha256', 'PDF 哈希', 'text', 'SHA-256 (hex) of the PDF as published; the file at pdf_path has exactly this hash'),
      column('objection_count', '異議數', 'integer', 'Objections received about it so far, late ones included'),
      column('pdf_path', 'PDF 路徑', 'text', 'Where the package holds its PDF: files/notices/<notice_id>.pdf'),
    ],
    rows: (async function* (): AsyncGenerator<ExportRow> {
      for await (const n of streamRows(em, NoticeRow, NOTICES, params)) yield noticeRow(n);
    })(),
  };
}

function noticeRow(n: NoticeRow): ExportRow {
  return [
    cell.integer(n.id),
    cell.text(n.code),
    cell.text(n.kind),
    cell.text(n.title),
    cell.text(n.documentNumber),
    cell.text(n.publisherUnit),
    cell.text(n.publisherLevel),
    cell.list(n.channels),
    cell.list(n.projectIds),
    cell.list(n.projectNames),
    cell.list(n.allocationIds),
    cell.list(n.allocationDocuments),
    cell.date(n.formedOn),
    cell.date(n.startsOn),
    cell.date(n.endsOn),
    cell.text(n.state),
    cell.text(n.draftedBy),
    cell.text(n.approvedBy),
    cell.datetime(n.approvedAt),
    cell.integer(n.supersedesId),
    cell.text(n.contentHash),
    cell.text(n.pdfSha256),
    cell.integer(n.objectionCount),
    cell.text(n.hasPdf ? noticePdfPath(n.id) : null),
  ];
}

const PdfRow = z.object({ id: col.id, pdf: col.bytes });

/**
 * The PDFs of the notices the register lists, as published, one at a time, at their `pdf_path`. The database holds
 * each to its `pdf_sha256` (CK_notices_pdf_hash).
 */
export async function* noticePdfs(em: EntityManager, countyId: number, period: RegisterPeriod): AsyncGenerator<PackageFile> {
  const pdfs = streamRows(
    em,
    PdfRow,
    `SELECT n.id, n.pdf FROM notices n WHERE ${NOTICES_OF_PERIOD} AND n.pdf IS NOT NULL ORDER BY n.id`,
    periodParams(countyId, period),
    1,
  );
  for await (const n of pdfs) yield { path: noticePdfPath(n.id), bytes: n.pdf };
}
