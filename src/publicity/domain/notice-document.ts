/**
 * A notice as it is printed and shown: the frozen snapshot taken at approval, with everything a reader of the
 * board needs. The PDF (notice-pdf.ts) and the public page render this and nothing else.
 */
/** The kinds published today; beneficiary lists and the annual completion wait for household payouts. */
export type NoticeKind = 'library' | 'plan' | 'allocation' | 'implementation' | 'completion';

export interface NoticeColumn {
  key: string;
  /** Column heading, in Chinese. */
  title: string;
  /** `money`: a decimal string with two places, printed in figures with the capitals (大寫) beneath. */
  type: 'text' | 'money';
}

export interface NoticeDocument {
  /** The public code: the last part of /public/notices/:code. */
  code: string;
  kind: NoticeKind;
  title: string;
  /** The publishing unit (誰分配、誰使用、誰公開): e.g. 英山縣財政局, 溫泉鎮人民政府, 溫泉鎮一村村民委員會. */
  publisher: string;
  /** 文號, e.g. 英財公〔2026〕1號. */
  documentNumber: string;
  /** First and last day of the period, YYYY-MM-DD. */
  startsOn: string;
  endsOn: string;
  /** Opening paragraph(s). */
  body: string;
  columns: NoticeColumn[];
  /** One row per project / allocation / household; values keyed by column key; money as decimal strings. */
  rows: Record<string, string>[];
  /** Totals of the money columns, keyed by column key. */
  totals: Record<string, string>;
  /** Supervision phones: 12317 and the county's own. */
  phones: { label: string; number: string }[];
  /** Where it is posted: 政府門戶網站, 鄉鎮政務公開欄, 村務公開欄, 項目施工現場. */
  channels: string[];
  /** The public page of the notice, as the QR code carries it. */
  publicUrl: string;
  /** SHA-256 (hex) of the snapshot's canonical JSON: the first 16 digits are printed beside the QR code. */
  contentHash: string;
  /** The code of the notice this one replaces, if any. */
  supersedes: string | null;
  /** The day of approval: the PDF's fixed creation date, so the same notice always renders to the same bytes. */
  approvedOn: string;
}
