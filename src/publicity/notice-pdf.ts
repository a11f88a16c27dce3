import { PdfFace, notoSansSc } from '../common/pdf-fonts';
import PDFDocument from 'pdfkit';
import QRCode from 'qrcode';
import { ZERO, money } from '../common/money';
import { amountInCapitals } from './domain/amount-in-capitals';
import { formatWithSeparators } from './domain/money-format';
import { NoticeDocument } from './domain/notice-document';
import { breakLines, units } from './cjk-line-breaking';

const MM = 72 / 25.4;
const A4 = { width: 595.28, height: 841.89 };
/** GB/T 9704-2012 §5.2.1: the type area of an official document on A4, binding edge on the left. */
const MARGINS = { top: 37 * MM, bottom: 35 * MM, left: 28 * MM, right: 26 * MM };
const LEFT = MARGINS.left;
const RIGHT = A4.width - MARGINS.right;
const TOP = MARGINS.top;
const BOTTOM = A4.height - MARGINS.bottom;
const WIDTH = RIGHT - LEFT;

type Face = PdfFace;
/** A kind of line: face, size in points (Chinese 號 sizes) and the distance from one line to the next. */
interface Style {
  face: Face;
  size: number;
  pitch: number;
}
const style = (face: Face, size: number, leading: number): Style => ({ face, size, pitch: size * leading });
const TITLE = style('bold', 22, 1.4); // 二號
const TEXT = style('regular', 14, 1.6); // 四號
const CELL = style('regular', 9, 1.35); // 小五
const HEAD = style('bold', 9, 1.35);
const CAPITALS = style('regular', 7.5, 1.3);
const NOTE = style('regular', 9, 1.4);
const FOLIO = style('regular', 10.5, 1.4); // 五號
const PAD_X = 3;
const PAD_Y = 3;
/** The ideographic em box of Noto Sans CJK (OS/2 typo metrics): 0.88 em above the baseline, 0.12 em below. */
const EM_ABOVE_BASELINE = 0.88;
const QR_SIDE = 32 * MM;
/** GB/T 9704 §7.5: the page number's line sits 7 mm below the type area. */
const FOLIO_GAP = 7 * MM;

/**
 * The notice as the PDF posted and downloaded: A4 portrait in the GB/T 9704 type area; title, 文號, publisher and
 * period, the body, the table (header repeated on every page, money in figures with the capitals beneath, a 合計
 * row), the supervision phones, the channels, what it supersedes, the publisher and date, and a QR code of the public
 * page carrying the first 16 digits of the content hash, printed beside it as the 校驗碼. Pages are numbered
 * 第 n 頁 共 N 頁.
 *
 * The same document always gives the same bytes: the dates in the metadata are the approval day's midnight in China,
 * and pdfkit's file ID is an MD5 of the metadata, which carries the content hash. Refuses (Error) a money cell that is
 * not an amount, totals that are not the sum of their column, and any character the font cannot draw: a notice that
 * silently dropped a character would misstate a name.
 */
/** A notice that names characters the embedded font cannot print (rare characters of Unicode extension B and beyond). */
export class UnprintableText extends Error {
  constructor(
    readonly characters: string[],
    message: string,
  ) {
    super(message);
    this.name = 'UnprintableText';
  }
}

export async function renderNoticePdf(doc: NoticeDocument): Promise<Buffer> {
  const files = await notoSansSc();
  const approved = chinaMidnight(doc.approvedOn);
  const pdf = new PDFDocument({
    size: 'A4',
    margins: MARGINS,
    bufferPages: true,
    info: {
      Title: doc.title,
      Author: doc.publisher,
      Subject: `${doc.documentNumber} 公示期 ${doc.startsOn} 至 ${doc.endsOn}`,
      Keywords: doc.contentHash,
      CreationDate: approved,
      ModDate: approved,
    },
  });
  pdf.registerFont('regular', files.regular);
  pdf.registerFont('bold', files.bold);

  const w = new Writer(pdf);
  w.heading(doc);
  w.table(doc);
  w.closing(doc);
  w.folios();
  w.refuseMissingGlyphs();

  // pdfkit holds what it writes until it is read: nothing is collected for a notice refused above.
  const bytes = collect(pdf);
  pdf.end();
  return bytes;
}

function collect(pdf: PDFKit.PDFDocument): Promise<Buffer> {
  const chunks: Uint8Array[] = [];
  return new Promise((resolve, reject) => {
    pdf.on('data', (chunk: Uint8Array) => chunks.push(chunk));
    pdf.on('end', () => resolve(Buffer.concat(chunks)));
    pdf.on('error', reject);
  });
}

/** One line of a table cell. */
interface Line {
  text: string;
  style: Style;
  align: 'left' | 'center' | 'right';
}

/** Text at a horizontal position on the current line. */
interface Piece {
  text: string;
  x: number;
}

/** A cell over columns [from, to) of the table. */
interface Cell {
  from: number;
  to: number;
  lines: Line[];
}

/** fontkit's font behind pdfkit's current font (not in @types/pdfkit): asked for a glyph for each code point drawn. */
interface GlyphSource {
  hasGlyphForCodePoint(codePoint: number): boolean;
}

/** Lays the notice out top to bottom, page by page, keeping where the next line goes. */
class Writer {
  private y = TOP;
  private readonly missing = new Set<string>();
  private readonly checked = new Map<string, boolean>();

  constructor(private readonly pdf: PDFKit.PDFDocument) {}

  heading(doc: NoticeDocument): void {
    for (const line of this.wrap(doc.title, WIDTH, TITLE)) this.centred(line, TITLE);
    this.y += TEXT.pitch * 0.25;
    for (const line of this.wrap(doc.documentNumber, WIDTH, TEXT)) this.centred(line, TEXT);
    this.y += TEXT.pitch * 0.5;
    this.lines(this.labelled('發布單位：', [doc.publisher]), TEXT);
    this.lines(this.labelled('公示期：', [`${chineseDate(doc.startsOn)}至${chineseDate(doc.endsOn)}`]), TEXT);
    this.y += TEXT.pitch * 0.25;
    // Each paragraph's first line indented two characters (GB/T 9704 §7.3.3).
    const indent = 2 * TEXT.size;
    for (const paragraph of doc.body.split(/\r?\n/).filter((p) => p.trim() !== '')) {
      this.lines(
        this.wrap(paragraph, WIDTH, TEXT, indent).map((text, i) => [{ text, x: LEFT + (i === 0 ? indent : 0) }]),
        TEXT,
      );
    }
    this.y += TEXT.pitch * 0.5;
  }

  /**
   * The rows under a header that starts every page the table reaches, then 合計. Column widths: money columns as wide
   * as their widest figures (the capitals wrap beneath); text columns that fit on one line in an equal share get their
   * width, the rest share what remains in proportion to their average text, never below four characters or their
   * longest word.
   */
  table(doc: NoticeDocument): void {
    const columns = doc.columns;
    if (columns.length === 0) throw new Error('a notice has at least one column');
    const edges = this.columnEdges(doc);
    const header = columns.map((c, i) => ({ from: i, to: i + 1, lines: this.cellLines(c.title, edges, i, i + 1, HEAD, 'center') }));
    const rows = doc.rows.map((row) =>
      columns.map((c, i) =>
        c.type === 'money'
          ? { from: i, to: i + 1, lines: this.moneyLines(amountIn(row, c.key), edges, i, CELL) }
          : { from: i, to: i + 1, lines: this.cellLines(row[c.key] ?? '', edges, i, i + 1, CELL, 'left') },
      ),
    );
    const totals = this.totalsRow(doc, edges);
    const headerHeight = heightOf(header);
    const pageRoom = BOTTOM - TOP - headerHeight;

    // The header never ends a page alone: the first row comes with it, or a few lines of it when it must be cut anyway.
    const first = heightOf(rows[0] ?? header);
    this.room(headerHeight + (first <= pageRoom ? first : 3 * CELL.pitch + 2 * PAD_Y));
    this.drawRow(header, edges, headerHeight);
    for (const row of totals ? [...rows, totals] : rows) {
      let rest = row;
      for (;;) {
        const height = heightOf(rest);
        if (this.y + height <= BOTTOM) {
          this.drawRow(rest, edges, height);
          break;
        }
        // A row that fits on a page starts the next one; only a row taller than a page is cut, line by line.
        const [head, tail] = height <= pageRoom ? [[], rest] : splitRow(rest, BOTTOM - this.y);
        if (head.some((c) => c.lines.length > 0)) this.drawRow(head, edges, heightOf(head));
        this.newPage();
        this.drawRow(header, edges, headerHeight);
        rest = tail;
      }
    }
    this.y += TEXT.pitch * 0.5;
  }

  /**
   * Phones, channels, what the notice replaces; then the QR code with what it carries beside it, and the publisher
   * and date as GB/T 9704 §7.3.5 places them (date 右空四字, the publisher centred over it), on the right where the
   * seal goes. All of it stays on one page when it fits on one.
   */
  closing(doc: NoticeDocument): void {
    const labelled = [
      ...this.labelled(
        '監督電話：',
        doc.phones.map((p) => `${p.label} ${p.number}`),
      ),
      ...this.labelled('公示渠道：', [doc.channels.join('、')]),
      ...(doc.supersedes ? this.labelled('更正說明：', [`本公示替代編號為 ${doc.supersedes} 的公示。`]) : []),
    ];
    const hash = doc.contentHash.slice(0, 16);
    const url = `${doc.publicUrl}?h=${hash}`;
    const date = chineseDate(doc.approvedOn);
    const dateX = RIGHT - 4 * TEXT.size - this.width(date, TEXT);
    const publisherX = Math.min(dateX + (this.width(date, TEXT) - this.width(doc.publisher, TEXT)) / 2, RIGHT - this.width(doc.publisher, TEXT));
    const noteX = LEFT + QR_SIDE + 4 * MM;
    const beside = Math.min(dateX, publisherX) - 6 * MM - noteX >= 40 * MM;
    const noteWidth = beside ? Math.min(dateX, publisherX) - 6 * MM - noteX : RIGHT - noteX;
    const notes = ['掃碼查看公示原文', `公示編號：${doc.code}`, `校驗碼：${hash}`, url].flatMap((t) => this.wrap(t, noteWidth, NOTE));
    const qrBand = Math.max(QR_SIDE, notes.length * NOTE.pitch);
    const signature = 2 * TEXT.pitch;
    const block = beside ? Math.max(qrBand, signature) : qrBand + TEXT.pitch + signature;

    this.room(Math.min(labelled.length * TEXT.pitch + TEXT.pitch / 2 + block, BOTTOM - TOP));
    this.lines(labelled, TEXT);
    this.y += TEXT.pitch / 2;
    this.room(block);
    this.qr(url, LEFT, this.y + (qrBand - QR_SIDE) / 2);
    notes.forEach((line, i) => this.draw(line, noteX, this.y + (qrBand - notes.length * NOTE.pitch) / 2 + i * NOTE.pitch, NOTE));
    const signY = this.y + block - signature;
    this.draw(doc.publisher, publisherX, signY, TEXT);
    this.draw(date, dateX, signY + TEXT.pitch, TEXT);
    this.y += block;
  }

  /** 第 n 頁 共 N 頁 under the type area of every page, once the number of pages is known. */
  folios(): void {
    const { start, count } = this.pdf.bufferedPageRange();
    for (let i = start; i < start + count; i++) {
      this.pdf.switchToPage(i);
      const text = `第 ${i - start + 1} 頁 共 ${count} 頁`;
      this.draw(text, LEFT + (WIDTH - this.width(text, FOLIO)) / 2, BOTTOM + FOLIO_GAP, FOLIO);
    }
  }

  refuseMissingGlyphs(): void {
    if (this.missing.size === 0) return;
    const list = [...this.missing].map((c) => `${c} (U+${c.codePointAt(0)!.toString(16).toUpperCase().padStart(4, '0')})`).join(', ');
    throw new UnprintableText([...this.missing], `the notice's font has no glyph for: ${list}`);
  }

  /** Left edge of each column and the table's right edge. */
  private columnEdges(doc: NoticeDocument): number[] {
    const pad = 2 * PAD_X;
    const cells = (i: number) => doc.rows.map((r) => r[doc.columns[i].key] ?? '');
    const widths = doc.columns.map((c, i) => {
      const head = this.widestUnit(c.title, HEAD);
      if (c.type === 'money') return Math.max(head, ...[...doc.rows, doc.totals].map((r) => this.width(figuresOf(amountIn(r, c.key)), HEAD))) + pad;
      // Never narrower than four characters or the longest word ("2026-03-01"), up to a quarter of the table.
      const word = Math.min(WIDTH / 4, Math.max(0, ...cells(i).map((v) => this.widestUnit(v, CELL))));
      return Math.max(head, word, 4 * CELL.size) + pad;
    });
    const text = doc.columns.flatMap((c, i) => (c.type === 'text' ? [i] : []));
    const measured = doc.columns.map((c, i) => (c.type === 'text' ? cells(i).map((v) => this.width(v, CELL)) : []));
    const longest = (i: number) => Math.max(0, ...measured[i]) + pad;
    const average = (i: number) => measured[i].reduce((s, v) => s + v, 0) / Math.max(1, doc.rows.length) + pad;
    let room = WIDTH - widths.reduce((s, width, i) => (text.includes(i) ? s : s + width), 0);
    let open = text;
    for (let settled = true; settled && open.length > 0;) {
      const share = room / open.length;
      const fits = open.filter((i) => Math.max(longest(i), widths[i]) <= share);
      for (const i of fits) {
        widths[i] = Math.max(longest(i), widths[i]);
        room -= widths[i];
      }
      open = open.filter((i) => !fits.includes(i));
      settled = fits.length > 0;
    }
    // What is left goes by average text, so a row's cells wrap to about the same number of lines.
    for (let floored = true; floored && open.length > 0;) {
      const weight = open.reduce((s, i) => s + average(i), 0);
      const below = open.filter((i) => (room * average(i)) / weight < widths[i]);
      for (const i of below) room -= widths[i];
      open = open.filter((i) => !below.includes(i));
      floored = below.length > 0;
      if (!floored) for (const i of open) widths[i] = (room * average(i)) / weight;
    }
    // When every text column fits, the slack spreads over them so the table spans the type area.
    const slack = WIDTH - widths.reduce((s, width) => s + width, 0);
    if (slack > 0 && text.length > 0) for (const i of text) widths[i] += slack / text.length;
    // Too many columns for their floors: all shrink alike, and long words break between letters.
    const scale = Math.min(1, WIDTH / widths.reduce((s, width) => s + width, 0));
    const edges = [LEFT];
    for (const width of widths) edges.push(edges[edges.length - 1] + width * scale);
    return edges;
  }

  private cellLines(text: string, edges: number[], from: number, to: number, s: Style, align: Line['align']): Line[] {
    return this.wrap(text, edges[to] - edges[from] - 2 * PAD_X, s).map((t) => ({ text: t, style: s, align }));
  }

  /** Figures right-aligned, the capitals beneath in smaller type. */
  private moneyLines(value: string, edges: number[], i: number, figures: Style): Line[] {
    const capitals = amountInCapitals(value);
    return [{ text: figuresOf(value), style: figures, align: 'right' }, ...this.cellLines(capitals, edges, i, i + 1, CAPITALS, 'right')];
  }

  /** 合計 over the text columns before the first money column, each money column's total checked against its rows. */
  private totalsRow(doc: NoticeDocument, edges: number[]): Cell[] | null {
    const first = doc.columns.findIndex((c) => c.type === 'money');
    if (first < 0) return null;
    const cells: Cell[] = [];
    const label = `合計（共${doc.rows.length}項）`;
    if (first > 0) cells.push({ from: 0, to: first, lines: this.cellLines(label, edges, 0, first, HEAD, 'center') });
    doc.columns.forEach((c, i) => {
      if (i < first) return;
      if (c.type === 'text') {
        cells.push({ from: i, to: i + 1, lines: [] });
        return;
      }
      const total = amountIn(doc.totals, c.key);
      const sum = doc.rows.reduce((s, r) => s.plus(money(amountIn(r, c.key))), ZERO);
      if (!sum.eq(money(total))) throw new Error(`the total of ${c.key} is ${total}, its rows add up to ${sum.toFixed(2)}`);
      const lines = this.moneyLines(total, edges, i, HEAD);
      cells.push({ from: i, to: i + 1, lines: i === 0 ? [{ text: label, style: HEAD, align: 'left' }, ...lines] : lines });
    });
    return cells;
  }

  private drawRow(cells: Cell[], edges: number[], height: number): void {
    this.pdf.lineWidth(0.5);
    for (const cell of cells) {
      const x = edges[cell.from];
      const width = edges[cell.to] - x;
      this.pdf.rect(x, this.y, width, height).stroke();
      let top = this.y + (height - contentHeight(cell.lines)) / 2;
      for (const line of cell.lines) {
        const lineWidth = this.width(line.text, line.style);
        const at = line.align === 'left' ? x + PAD_X : line.align === 'right' ? x + width - PAD_X - lineWidth : x + (width - lineWidth) / 2;
        this.draw(line.text, at, top, line.style);
        top += line.style.pitch;
      }
    }
    this.y += height;
  }

  /** A label at the left of the type area and its items after it, each wrapped in the width that remains. */
  private labelled(label: string, items: string[]): Piece[][] {
    const x = LEFT + this.width(label, TEXT);
    return items.flatMap((item, n) =>
      this.wrap(item, RIGHT - x, TEXT).map((text, i) => [...(n === 0 && i === 0 ? [{ text: label, x: LEFT }] : []), { text, x }]),
    );
  }

  /** Lines of pieces, one line after another, a page turned when one does not fit. */
  private lines(lines: Piece[][], s: Style): void {
    for (const line of lines) {
      this.room(s.pitch);
      for (const piece of line) this.draw(piece.text, piece.x, this.y, s);
      this.y += s.pitch;
    }
  }

  private centred(text: string, s: Style): void {
    this.room(s.pitch);
    this.draw(text, LEFT + (WIDTH - this.width(text, s)) / 2, this.y, s);
    this.y += s.pitch;
  }

  /**
   * The QR code as filled rectangles, one per run of dark modules in a row, inside a quiet zone of four modules. Each
   * reaches a twentieth of a module into the row below, so no hairline shows between rows when a viewer antialiases.
   */
  private qr(text: string, x: number, y: number): void {
    const { modules } = QRCode.create(text, { errorCorrectionLevel: 'M' });
    const module = QR_SIDE / (modules.size + 8);
    for (let row = 0; row < modules.size; row++) {
      for (let col = 0; col < modules.size;) {
        if (!modules.get(row, col)) {
          col++;
          continue;
        }
        const start = col;
        while (col < modules.size && modules.get(row, col)) col++;
        this.pdf.rect(x + (start + 4) * module, y + (row + 4) * module, (col - start) * module, module * 1.05);
      }
    }
    this.pdf.fillColor('black').fill();
  }

  private room(height: number): void {
    if (this.y + height > BOTTOM) this.newPage();
  }

  private newPage(): void {
    this.pdf.addPage();
    this.y = TOP;
  }

  private use(s: Style): GlyphSource {
    this.pdf.font(s.face).fontSize(s.size);
    const face = (this.pdf as unknown as { _font?: { font?: Partial<GlyphSource> } })._font?.font;
    if (typeof face?.hasGlyphForCodePoint !== 'function') throw new Error('pdfkit no longer exposes its fontkit face: the glyph check cannot run');
    return face as GlyphSource;
  }

  private width(text: string, s: Style): number {
    this.use(s);
    return this.pdf.widthOfString(text);
  }

  /** Draws one line with the em box of its characters centred in a line of `s.pitch` starting at `top`. */
  private draw(text: string, x: number, top: number, s: Style): void {
    const face = this.use(s);
    for (const ch of text) {
      const key = `${s.face}${ch}`;
      let has = this.checked.get(key);
      if (has === undefined) this.checked.set(key, (has = face.hasGlyphForCodePoint(ch.codePointAt(0)!)));
      if (!has) this.missing.add(ch);
    }
    const baseline = top + (s.pitch - s.size) / 2 + EM_ABOVE_BASELINE * s.size;
    this.pdf.text(text, x, baseline, { lineBreak: false, baseline: 'alphabetic' });
  }

  /** The lines of `text` in `width`, measured in style `s` (cjk-line-breaking.ts). */
  private wrap(text: string, width: number, s: Style, indent = 0): string[] {
    return breakLines(text, width, (piece) => this.width(piece, s), indent);
  }

  private widestUnit(text: string, s: Style): number {
    return Math.max(0, ...units(text).map((u) => this.width(u, s)));
  }
}

function contentHeight(lines: Line[]): number {
  return lines.reduce((s, l) => s + l.style.pitch, 0);
}

function heightOf(cells: Cell[]): number {
  return Math.max(...cells.map((c) => contentHeight(c.lines))) + 2 * PAD_Y;
}

/** The lines of each cell that fit in `room`, and the rest for the next page. */
function splitRow(cells: Cell[], room: number): [Cell[], Cell[]] {
  const head: Cell[] = [];
  const tail: Cell[] = [];
  for (const cell of cells) {
    let used = 2 * PAD_Y;
    let n = 0;
    while (n < cell.lines.length && used + cell.lines[n].style.pitch <= room) used += cell.lines[n++].style.pitch;
    head.push({ ...cell, lines: cell.lines.slice(0, n) });
    tail.push({ ...cell, lines: cell.lines.slice(n) });
  }
  return [head, tail];
}

/** A money column's value in a row or in the totals: there must be one. */
function amountIn(values: Record<string, string>, key: string): string {
  const value = values[key];
  if (value === undefined) throw new Error(`no amount for money column ${key}`);
  return value;
}

/** 1234567.5 → 1,234,567.50, as the public page prints it; refuses what is not an amount. */
function figuresOf(value: string): string {
  amountInCapitals(value);
  return formatWithSeparators(money(value).toFixed(2));
}

/** 2026-03-02 → 2026年3月2日, as GB/T 9704 writes dates. */
function chineseDate(date: string): string {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(date);
  if (!m) throw new Error(`not a date: ${date}`);
  return `${m[1]}年${Number(m[2])}月${Number(m[3])}日`;
}

/** The start of `date` in China, where the notice was approved: the PDF's dates, the same on every machine. */
function chinaMidnight(date: string): Date {
  const at = new Date(`${date}T00:00:00+08:00`);
  if (!/^\d{4}-\d{2}-\d{2}$/.test(date) || Number.isNaN(at.getTime())) throw new Error(`not a date: ${date}`);
  return at;
}
