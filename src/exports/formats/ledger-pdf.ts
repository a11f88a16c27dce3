import Decimal from 'decimal.js';
import { once } from 'node:events';
import { Writable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { setImmediate as nextTurn } from 'node:timers/promises';
import PDFDocument from 'pdfkit';
import { ZERO, formatMoney, money } from '../../common/money';
import { PdfFace, registerNotoSansSc } from '../../common/pdf-fonts';
import { BOOKS, Book } from '../../ledger/domain/accounts';
import { formatWithSeparators } from '../../publicity/domain/money-format';

/**
 * The two account books printed as PDF: 科目餘額表 and 明細賬 (三欄式), A4 landscape, in Chinese.
 *
 * Both are streamed: the rows come from an iterable read once, and each page goes to the output as the next one
 * starts (no buffered pages). Every row is one line of a fixed height (names and memos are cut with an ellipsis,
 * codes and figures shrink to fit, never cut), so the number of pages follows from the number of rows the caller
 * announces (`rowCount`) and "第 n 頁 / 共 N 頁" is printed on each page as it is drawn. A source that yields another
 * number of rows than announced is refused (the promise rejects, the output is destroyed), as is an amount that is not
 * one or, in the trial balance, a row whose closing balance is not its opening plus its period.
 *
 * Amounts are strings and all arithmetic is decimal; they are printed with thousands separators (1,234,567.89).
 */

export interface PdfPeriod {
  from: string;
  to: string;
}

/** One account of the 科目餘額表: each balance in two columns (debit, credit), as `books/trial-balance.ts` gives them. */
export interface TrialBalancePdfRow {
  book: Book;
  code: string;
  name: string;
  govCode: string;
  govName: string;
  opening: readonly [debit: string, credit: string];
  period: readonly [debit: string, credit: string];
  closing: readonly [debit: string, credit: string];
}

export interface TrialBalancePdfInput {
  county: { name: string };
  period: PdfPeriod;
  /** The financial book's accounts first, then the budget book's (`BOOKS` order), each in the order to print. */
  rows: AsyncIterable<TrialBalancePdfRow> | Iterable<TrialBalancePdfRow>;
  /** How many rows `rows` yields: the number of pages is computed from it before the first is drawn. */
  rowCount: number;
}

/** One line of the account in the period, in date order. */
export interface SubsidiaryLedgerPdfLine {
  effectiveDate: string;
  transactionId: string;
  memo: string;
  debit: string;
  credit: string;
}

export interface SubsidiaryLedgerPdfInput {
  county: { name: string };
  period: PdfPeriod;
  account: { code: string; name: string; book: Book; govCode: string; govName: string };
  /** Σ debit − Σ credit of the account's lines dated before the period: negative when the balance is on the credit side. */
  openingNet: string;
  rows: AsyncIterable<SubsidiaryLedgerPdfLine> | Iterable<SubsidiaryLedgerPdfLine>;
  /** How many lines `rows` yields: the number of pages is computed from it before the first is drawn. */
  rowCount: number;
}

const BOOK_NAMES: Record<Book, string> = { financial: '財務會計', budget: '預算會計' };

const MM = 72 / 25.4;
const PAGE = { width: 841.89, height: 595.28 };
/** A wider left margin for binding, as account books are bound. */
const MARGIN = { top: 12 * MM, bottom: 12 * MM, left: 20 * MM, right: 15 * MM };
const LEFT = MARGIN.left;
const WIDTH = PAGE.width - MARGIN.left - MARGIN.right;

interface Style {
  face: PdfFace;
  size: number;
}
const TITLE: Style = { face: 'bold', size: 16 };
const TITLE_PITCH = 26;
const INFO: Style = { face: 'regular', size: 9 };
const INFO_PITCH = 16;
const HEAD: Style = { face: 'bold', size: 8.5 };
const HEAD_HEIGHT = 20;
const CELL: Style = { face: 'regular', size: 8 };
const CELL_BOLD: Style = { face: 'bold', size: 8 };
const ROW_HEIGHT = 16;
const FOLIO: Style = { face: 'regular', size: 9 };
const FOLIO_HEIGHT = 18;
const GAP = 4;
const PAD_X = 3;
/** The ideographic em box of Noto Sans CJK: 0.88 em above the baseline, so text centres in its row. */
const EM_ABOVE_BASELINE = 0.88;
const ELLIPSIS = '…';

interface Column {
  title: string;
  width: number;
  align: 'left' | 'center' | 'right';
  /** `cut`: free text, cut with an ellipsis; `shrink`: a code or a figure, set smaller until it fits. */
  fit: 'cut' | 'shrink';
}

const column = (title: string, width: number, align: Column['align'], fit: Column['fit']): Column => ({ title, width, align, fit });
const MONEY_WIDTH = 64;
const TRIAL_BALANCE_COLUMNS: readonly Column[] = [
  column('科目編碼', 118, 'left', 'shrink'),
  column('科目名稱', 128, 'left', 'cut'),
  column('政府會計科目', WIDTH - 118 - 128 - 6 * MONEY_WIDTH, 'left', 'cut'),
  ...['期初借方', '期初貸方', '本期借方', '本期貸方', '期末借方', '期末貸方'].map((t) => column(t, MONEY_WIDTH, 'right', 'shrink')),
];
const LEDGER_COLUMNS: readonly Column[] = [
  column('日期', 52, 'center', 'shrink'),
  column('憑證/交易號', 50, 'center', 'shrink'),
  column('摘要', WIDTH - 52 - 50 - 3 * 94 - 26, 'left', 'cut'),
  column('借方', 94, 'right', 'shrink'),
  column('貸方', 94, 'right', 'shrink'),
  column('方向', 26, 'center', 'shrink'),
  column('餘額', 94, 'right', 'shrink'),
];
const TRIAL_BALANCE_INFO_LINES = 1;
const LEDGER_INFO_LINES = 2;

/** Rows of the body that fit under the heading (title, `infoLines` lines, the column header) and above the folio. */
function rowsPerPage(infoLines: number): number {
  const top = MARGIN.top + TITLE_PITCH + infoLines * INFO_PITCH + GAP + HEAD_HEIGHT;
  const bottom = PAGE.height - MARGIN.bottom - FOLIO_HEIGHT;
  return Math.floor((bottom - top) / ROW_HEIGHT);
}

/** The pages of a 科目餘額表 of `rowCount` accounts: each book adds its heading row and its 合計 row. */
export function trialBalancePageCount(rowCount: number): number {
  return Math.max(1, Math.ceil((rowCount + 2 * BOOKS.length) / rowsPerPage(TRIAL_BALANCE_INFO_LINES)));
}

/**
 * The pages of a 明細賬 of `rowCount` lines: with 期初餘額, 本期合計 and 期末餘額 around them. Every page but the
 * last ends with 過次頁 and every page but the first starts with 承前頁, so the first and the last pages hold one row
 * fewer of the book and the pages between two fewer.
 */
export function subsidiaryLedgerPageCount(rowCount: number): number {
  const rows = rowCount + 3;
  const capacity = rowsPerPage(LEDGER_INFO_LINES);
  if (rows <= capacity) return 1;
  return 2 + Math.ceil(Math.max(0, rows - 2 * (capacity - 1)) / (capacity - 2));
}

/**
 * 科目餘額表: for each book (財務會計, then 預算會計) a heading row, one row per account (code, name, the mapped
 * 政府會計制度 account, opening, period and closing balances each in a debit and a credit column) and the book's 合計.
 */
export async function trialBalancePdf(input: TrialBalancePdfInput, out: Writable): Promise<void> {
  assertRowCount(input.rowCount);
  const info: Heading['info'] = [[`編制單位：${input.county.name}`, `期間：${input.period.from} 至 ${input.period.to}`, '金額單位：元']];
  const heading: Heading = { title: '科目餘額表', info, columns: TRIAL_BALANCE_COLUMNS, pages: trialBalancePageCount(input.rowCount) };
  await render(out, documentInfo(heading.title, input.county.name, input.period), async (pdf, drained) => {
    const book = new BookWriter(pdf, drained, heading);
    const put = async (cells: RowCell[]) => {
      if (book.room === 0) await book.newPage();
      book.row(cells);
    };
    let current = -1;
    let sums: Decimal[] = [];
    const closeBook = () => put([{ text: `${BOOK_NAMES[BOOKS[current]]}合計`, span: 3, bold: true }, ...sums.map((s) => figure(s, true))]);
    const openBook = () => {
      current++;
      sums = Array.from({ length: 6 }, () => ZERO);
      return put([{ text: BOOK_NAMES[BOOKS[current]], span: TRIAL_BALANCE_COLUMNS.length, bold: true }]);
    };
    await book.newPage();
    let n = 0;
    for await (const row of input.rows) {
      if (++n > input.rowCount) throw new Error(`the trial balance has more rows than the ${input.rowCount} announced`);
      const index = BOOKS.indexOf(row.book);
      if (index < 0) throw new Error(`row ${n} (${row.code}): no book ${String(row.book)}`);
      if (index < current) throw new Error(`row ${n} (${row.code}): the ${row.book} book's rows come after the ${BOOKS[current]} book's`);
      while (current < index) {
        if (current >= 0) await closeBook();
        await openBook();
      }
      const amounts = [...row.opening, ...row.period, ...row.closing].map((a) => amount(a, `row ${n} (${row.code})`));
      const [od, oc, pd, pc, cd, cc] = amounts;
      if (!od.minus(oc).plus(pd).minus(pc).eq(cd.minus(cc))) {
        throw new Error(`row ${n} (${row.code}): the closing balance is not the opening balance plus the period's debits less its credits`);
      }
      sums = sums.map((s, i) => s.plus(amounts[i]));
      // Zero left blank, as books are printed: the side a balance is not on stays empty.
      await put([
        { text: row.code },
        { text: row.name },
        { text: `${row.govCode} ${row.govName}` },
        ...amounts.map((a) => (a.isZero() ? { text: '' } : figure(a))),
      ]);
    }
    if (n !== input.rowCount) throw new Error(`the trial balance has ${n} rows, ${input.rowCount} were announced`);
    while (current < BOOKS.length - 1) {
      if (current >= 0) await closeBook();
      await openBook();
    }
    await closeBook();
    book.finish();
  });
}

/**
 * 明細賬 (三欄式) of one account: 期初餘額, each line (date, the transaction's short id, memo, debit, credit, the side of
 * the balance after it and its amount), 本期合計 and 期末餘額. A page that is not the last ends with 過次頁 and the next
 * starts with 承前頁, both carrying the debits and credits from the start of the period to the end of that page and
 * the balance there (會計基礎工作規範 第六十條).
 */
export async function subsidiaryLedgerPdf(input: SubsidiaryLedgerPdfInput, out: Writable): Promise<void> {
  assertRowCount(input.rowCount);
  const { account, period } = input;
  const info: Heading['info'] = [
    [`編制單位：${input.county.name}`, `期間：${period.from} 至 ${period.to}`, '金額單位：元'],
    [`科目：${account.code} ${account.name}`, `政府會計科目：${account.govCode} ${account.govName}`, `賬簿：${BOOK_NAMES[account.book]}`],
  ];
  const heading: Heading = { title: '明細賬', info, columns: LEDGER_COLUMNS, pages: subsidiaryLedgerPageCount(input.rowCount) };
  const opening = signedAmount(input.openingNet, 'the opening balance');
  await render(out, documentInfo(`明細賬 ${account.code}`, input.county.name, period), async (pdf, drained) => {
    const book = new BookWriter(pdf, drained, heading);
    let balance = opening;
    let debits = ZERO;
    let credits = ZERO;
    const carried = (label: string): RowCell[] => [
      { text: '' },
      { text: '' },
      { text: label, bold: true },
      figure(debits),
      figure(credits),
      ...balanceCells(balance),
    ];
    // Before a row is added to the totals: the page's last row carries what the pages so far hold.
    const turnIfFull = async () => {
      if (book.room > 1 || book.lastPage) return;
      book.row(carried('過次頁'));
      await book.newPage();
      book.row(carried('承前頁'));
    };
    await book.newPage();
    book.row([{ text: period.from }, { text: '' }, { text: '期初餘額', bold: true }, { text: '' }, { text: '' }, ...balanceCells(balance)]);
    let n = 0;
    let lastDate = period.from;
    for await (const line of input.rows) {
      if (++n > input.rowCount) throw new Error(`the ledger has more lines than the ${input.rowCount} announced`);
      const where = `line ${n} (${line.transactionId})`;
      // The running balance means something only in date order, within the period.
      if (!DATE.test(line.effectiveDate) || line.effectiveDate < lastDate || line.effectiveDate > period.to) {
        throw new Error(`${where}: dated ${line.effectiveDate}, out of date order or outside ${period.from} to ${period.to}`);
      }
      lastDate = line.effectiveDate;
      const debit = amount(line.debit, where);
      const credit = amount(line.credit, where);
      await turnIfFull();
      debits = debits.plus(debit);
      credits = credits.plus(credit);
      balance = balance.plus(debit).minus(credit);
      book.row([
        { text: line.effectiveDate },
        { text: shortId(line.transactionId) },
        { text: line.memo },
        debit.isZero() ? { text: '' } : figure(debit),
        credit.isZero() ? { text: '' } : figure(credit),
        ...balanceCells(balance),
      ]);
    }
    if (n !== input.rowCount) throw new Error(`the ledger has ${n} lines, ${input.rowCount} were announced`);
    await turnIfFull();
    book.row([{ text: period.to }, { text: '' }, { text: '本期合計', bold: true }, figure(debits, true), figure(credits, true), { text: '' }, { text: '' }]);
    await turnIfFull();
    book.row([{ text: period.to }, { text: '' }, { text: '期末餘額', bold: true }, { text: '' }, { text: '' }, ...balanceCells(balance, true)]);
    book.finish();
  });
}

/** The first eight characters of a transaction's UUID: enough to find it, short enough for the column. */
function shortId(id: string): string {
  return id.slice(0, 8);
}

function balanceCells(net: Decimal, bold = false): RowCell[] {
  const side = net.isZero() ? '平' : net.gt(0) ? '借' : '貸';
  return [{ text: side, bold }, figure(net.abs(), bold)];
}

function figure(value: Decimal, bold = false): RowCell {
  return { text: formatWithSeparators(formatMoney(value)), bold };
}

const AMOUNT = /^(0|[1-9][0-9]*)(\.[0-9]{1,2})?$/;
const DATE = /^\d{4}-\d{2}-\d{2}$/;

function amount(value: string, where: string): Decimal {
  if (!AMOUNT.test(value)) throw new Error(`${where}: not an amount: ${value}`);
  return money(value);
}

function signedAmount(value: string, where: string): Decimal {
  return value.startsWith('-') ? amount(value.slice(1), where).neg() : amount(value, where);
}

function assertRowCount(rowCount: number): void {
  if (!Number.isSafeInteger(rowCount) || rowCount < 0) throw new Error(`not a row count: ${rowCount}`);
}

function documentInfo(title: string, county: string, period: PdfPeriod): PDFKit.DocumentInfo {
  return { Title: title, Author: county, Subject: `${county} ${title} ${period.from} 至 ${period.to}` };
}

/**
 * A document piped into `out`, drawn by `draw`, which calls `drained` before each page so that pages wait for `out`
 * rather than pile up in memory (pdfkit pushes what it writes without heeding backpressure). On an error of `draw` or
 * of `out`, both are destroyed and the promise rejects with the error.
 */
async function render(out: Writable, info: PDFKit.DocumentInfo, draw: (pdf: PDFKit.PDFDocument, drained: () => Promise<void>) => Promise<void>): Promise<void> {
  // No layout cache: it keeps every distinct string measured, and a ledger's memos are all distinct.
  const pdf = new PDFDocument({ autoFirstPage: false, bufferPages: false, fontLayoutCache: false, info });
  let failure: Error | undefined;
  const written = pipeline(pdf, out);
  // Kept handled at once: `out` may fail while `draw` waits for a row.
  written.catch((err: unknown) => (failure = err instanceof Error ? err : new Error(String(err))));
  const drained = async () => {
    while (failure === undefined && pdf.readableLength > pdf.readableHighWaterMark) {
      await (out.writableNeedDrain ? Promise.race([once(out, 'drain'), written]) : nextTurn());
    }
    if (failure !== undefined) throw failure;
  };
  try {
    await registerNotoSansSc(pdf);
    await draw(pdf, drained);
    pdf.end();
  } catch (err) {
    pdf.destroy(err instanceof Error ? err : new Error(String(err)));
    await written.catch(() => undefined);
    throw err;
  }
  await written;
}

interface Heading {
  title: string;
  /** Lines under the title, each a left, a centred and a right part. */
  info: readonly (readonly [left: string, centre: string, right: string])[];
  columns: readonly Column[];
  /** The number of pages, known before the first is drawn. */
  pages: number;
}

/** A cell over `span` columns (1 unless said), bold or not; the alignment and fit are its first column's. */
interface RowCell {
  text: string;
  span?: number;
  bold?: boolean;
}

/** Draws a book page by page: the heading and the column header on each, fixed-height rows, the folio. */
class BookWriter {
  private page = 0;
  private slot = 0;
  private readonly capacity: number;
  private readonly edges: number[];
  /** Each character's advance at 1 pt, per face: as many entries as distinct characters drawn. */
  private readonly advances = new Map<PdfFace, Map<string, number>>();

  constructor(
    private readonly pdf: PDFKit.PDFDocument,
    private readonly drained: () => Promise<void>,
    private readonly heading: Heading,
  ) {
    this.capacity = rowsPerPage(heading.info.length);
    this.edges = [LEFT];
    for (const c of heading.columns) this.edges.push(this.edges[this.edges.length - 1] + c.width);
  }

  /** Rows still free on this page. */
  get room(): number {
    return this.capacity - this.slot;
  }

  get lastPage(): boolean {
    return this.page === this.heading.pages;
  }

  async newPage(): Promise<void> {
    if (this.page === this.heading.pages) throw new Error(`the book needs more than the ${this.heading.pages} pages computed`);
    await this.drained();
    this.pdf.addPage({ size: 'A4', layout: 'landscape', margin: 0 });
    this.page++;
    this.slot = 0;
    let y = MARGIN.top;
    this.centred(this.heading.title, y, TITLE_PITCH, TITLE);
    y += TITLE_PITCH;
    for (const [left, centre, right] of this.heading.info) {
      const third = WIDTH / 3;
      this.text(this.cut(left, third - PAD_X, INFO), LEFT, y, INFO_PITCH, INFO);
      this.centred(this.cut(centre, third - PAD_X, INFO), y, INFO_PITCH, INFO);
      const shown = this.cut(right, third - PAD_X, INFO);
      this.text(shown, LEFT + WIDTH - this.width(shown, INFO), y, INFO_PITCH, INFO);
      y += INFO_PITCH;
    }
    y += GAP;
    this.pdf.lineWidth(0.5);
    this.heading.columns.forEach((c, i) => {
      this.pdf.rect(this.edges[i], y, c.width, HEAD_HEIGHT).stroke();
      const fitted = this.shrink(c.title, c.width - 2 * PAD_X, HEAD);
      this.text(c.title, this.edges[i] + (c.width - this.width(c.title, fitted)) / 2, y, HEAD_HEIGHT, fitted);
    });
    const folio = `第 ${this.page} 頁 / 共 ${this.heading.pages} 頁`;
    this.centred(folio, PAGE.height - MARGIN.bottom - FOLIO_HEIGHT, FOLIO_HEIGHT, FOLIO);
  }

  row(cells: RowCell[]): void {
    if (this.room === 0) throw new Error('a row past the end of the page');
    const y = MARGIN.top + TITLE_PITCH + this.heading.info.length * INFO_PITCH + GAP + HEAD_HEIGHT + this.slot * ROW_HEIGHT;
    let from = 0;
    this.pdf.lineWidth(0.5);
    for (const cell of cells) {
      const to = from + (cell.span ?? 1);
      const c = this.heading.columns[from];
      const x = this.edges[from];
      const width = this.edges[to] - x;
      this.pdf.rect(x, y, width, ROW_HEIGHT).stroke();
      const base = cell.bold ? CELL_BOLD : CELL;
      const room = width - 2 * PAD_X;
      const flat = cell.text.replace(/[\r\n\t\f\v\u2028\u2029]+/g, ' ');
      const [text, style] = c.fit === 'cut' ? [this.cut(flat, room, base), base] : [flat, this.shrink(flat, room, base)];
      const w = this.width(text, style);
      const at = c.align === 'left' ? x + PAD_X : c.align === 'right' ? x + width - PAD_X - w : x + (width - w) / 2;
      this.text(text, at, y, ROW_HEIGHT, style);
      from = to;
    }
    if (from !== this.heading.columns.length) throw new Error(`a row of ${from} columns in a table of ${this.heading.columns.length}`);
    this.slot++;
  }

  /** Checks that the book took the pages it announced. */
  finish(): void {
    if (this.page !== this.heading.pages) throw new Error(`the book took ${this.page} pages, ${this.heading.pages} were announced`);
  }

  private centred(text: string, top: number, pitch: number, s: Style): void {
    this.text(text, LEFT + (WIDTH - this.width(text, s)) / 2, top, pitch, s);
  }

  /** One line with its em box centred in a line of `pitch` starting at `top`. */
  private text(text: string, x: number, top: number, pitch: number, s: Style): void {
    if (text === '') return;
    this.pdf.font(s.face).fontSize(s.size);
    const baseline = top + (pitch - s.size) / 2 + EM_ABOVE_BASELINE * s.size;
    this.pdf.text(text, x, baseline, { lineBreak: false, baseline: 'alphabetic' });
  }

  /**
   * The width of `text` as the sum of its characters' advances, each measured once: shaping every cell's text again
   * (pdfkit's widthOfString) would take most of the time of a long ledger. Kerning and ligatures only ever narrow a
   * string, so the sum is never short and what fits by it fits on paper.
   */
  private width(text: string, s: Style): number {
    let advances = this.advances.get(s.face);
    if (!advances) this.advances.set(s.face, (advances = new Map<string, number>()));
    let width = 0;
    for (const ch of text) {
      let advance = advances.get(ch);
      if (advance === undefined) {
        this.pdf.font(s.face).fontSize(1);
        advances.set(ch, (advance = this.pdf.widthOfString(ch)));
      }
      width += advance;
    }
    return width * s.size;
  }

  /** `text`, or its longest start followed by an ellipsis, within `room` (characters whole, surrogate pairs kept). */
  private cut(text: string, room: number, s: Style): string {
    if (this.width(text, s) <= room) return text;
    const chars = Array.from(text);
    let [fits, fails] = [0, chars.length];
    while (fails - fits > 1) {
      const mid = (fits + fails) >> 1;
      if (this.width(chars.slice(0, mid).join('') + ELLIPSIS, s) <= room) fits = mid;
      else fails = mid;
    }
    return chars.slice(0, fits).join('') + ELLIPSIS;
  }

  /** The style set small enough for `text` to fit in `room`. */
  private shrink(text: string, room: number, s: Style): Style {
    const width = this.width(text, s);
    return width <= room ? s : { face: s.face, size: (s.size * room) / width };
  }
}
