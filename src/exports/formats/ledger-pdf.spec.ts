import Decimal from 'decimal.js';
import { PassThrough } from 'node:stream';
import { pdfTexts } from '../../../test/support/pdf-text';
import { ZERO, formatMoney, money } from '../../common/money';
import {
  SubsidiaryLedgerPdfInput,
  SubsidiaryLedgerPdfLine,
  TrialBalancePdfInput,
  TrialBalancePdfRow,
  subsidiaryLedgerPageCount,
  subsidiaryLedgerPdf,
  trialBalancePageCount,
  trialBalancePdf,
} from './ledger-pdf';

/**
 * A PDF as read back: its page count and each page's lines, each line split into words where the text leaves a gap
 * (pdf.js puts a space between the pieces drawn apart, so a cell with a space in it gives two words).
 */
interface Read {
  total: number;
  pages: string[][][];
}

/** Each PDF's page count and its pages as lines of words. */
async function read(...pdfs: Buffer[]): Promise<Read[]> {
  const docs = await pdfTexts(...pdfs);
  return docs.map((d) => ({
    total: d.total,
    pages: d.pages.map((page) =>
      page
        .split('\n')
        .map((line) => line.split(/\s+/).filter((word) => word !== ''))
        .filter((words) => words.length > 0),
    ),
  }));
}

async function pdfBytes(write: (out: PassThrough) => Promise<void>): Promise<Buffer> {
  const chunks: Buffer[] = [];
  const out = new PassThrough();
  out.on('data', (chunk: Buffer) => chunks.push(chunk));
  await write(out);
  return Buffer.concat(chunks);
}

/** Items as a cursor gives them: each after a turn of the microtask queue. */
async function* cursor<T>(items: Iterable<T>): AsyncGenerator<T> {
  for (const item of items) yield await Promise.resolve(item);
}

const grouped = (d: Decimal) => formatMoney(d).replace(/\B(?=(\d{3})+(?!\d))/g, ',');
const FIGURE = /^\d{1,3}(,\d{3})*\.\d{2}$/;
const ID = /^[0-9a-f]{8}$/;
const lineWith = (page: string[][], word: string) => page.find((words) => words.includes(word));
const figuresOf = (words: string[] | undefined) => (words ?? []).filter((w) => FIGURE.test(w) || ['借', '貸', '平'].includes(w));
const folio = (page: string[][]) => page.find((words) => words[0] === '第')?.join(' ');

function ledgerLines(count: number): SubsidiaryLedgerPdfLine[] {
  return Array.from({ length: count }, (_, i) => {
    const amount = `${1000 + i * 137}.${String(i % 100).padStart(2, '0')}`;
    const debit = i % 3 !== 1;
    return {
      effectiveDate: new Date(Date.UTC(2026, 0, 1 + Math.floor(i / 5))).toISOString().slice(0, 10),
      transactionId: `${i.toString(16).padStart(8, '0')}-7c1e-4b7a-9a55-0c1d2e3f4a5b`,
      memo:
        i === 5
          ? '張家村道路硬化工程第二期進度款，含質保金與監理費用，按合同約定分三次支付，本次為第二次支付，經村民代表大會同意並公示期滿無異議'
          : `第${i}筆 撥付項目資金`,
      debit: debit ? amount : '0.00',
      credit: debit ? '0.00' : amount,
    };
  });
}

function ledgerInput(lines: SubsidiaryLedgerPdfLine[], rowCount = lines.length): SubsidiaryLedgerPdfInput {
  return {
    county: { name: '示範縣' },
    period: { from: '2026-01-01', to: '2026-12-31' },
    account: { code: 'bank:DA1', name: '扶貧資金專戶', book: 'financial', govCode: '1002', govName: '銀行存款' },
    openingNet: '-1500.00',
    rows: cursor(lines),
    rowCount,
  };
}

describe('subsidiaryLedgerPdf', () => {
  const LINES = 70;
  const lines = ledgerLines(LINES);
  let doc: Read;

  beforeAll(async () => {
    [doc] = await read(await pdfBytes((out) => subsidiaryLedgerPdf(ledgerInput(lines), out)));
  });

  it('prints the headings in Chinese on every page, and 第 n 頁 / 共 N 頁 with N the pages it has', () => {
    expect(doc.total).toBe(subsidiaryLedgerPageCount(LINES));
    expect(doc.total).toBeGreaterThanOrEqual(3);
    doc.pages.forEach((page, i) => {
      const text = page.flat().join(' ');
      for (const heading of ['明細賬', '編制單位：示範縣', '期間：2026-01-01 至 2026-12-31', '科目：bank:DA1 扶貧資金專戶', '政府會計科目：1002 銀行存款']) {
        expect(text).toContain(heading);
      }
      expect(page.find((cells) => cells.includes('日期'))).toEqual(['日期', '憑證/交易號', '摘要', '借方', '貸方', '方向', '餘額']);
      expect(folio(page)).toBe(`第 ${i + 1} 頁 / 共 ${doc.total} 頁`);
    });
  });

  it('opens with 期初餘額 on its side, and carries the totals to the end of each page over 過次頁 and 承前頁', () => {
    expect(figuresOf(lineWith(doc.pages[0], '期初餘額'))).toEqual(['貸', '1,500.00']);
    const byId = new Map(lines.map((l) => [l.transactionId.slice(0, 8), l]));
    const seen: string[] = [];
    let debits = ZERO;
    let credits = ZERO;
    doc.pages.forEach((page, p) => {
      if (p > 0) expect(page.findIndex((cells) => cells.includes('承前頁'))).toBeLessThan(page.findIndex((cells) => cells.some((c) => ID.test(c))));
      for (const cells of page) {
        const id = cells.find((c) => ID.test(c));
        if (id === undefined) continue;
        seen.push(id);
        debits = debits.plus(byId.get(id)!.debit);
        credits = credits.plus(byId.get(id)!.credit);
      }
      const net = money('-1500').plus(debits).minus(credits);
      const carried = [grouped(debits), grouped(credits), net.isZero() ? '平' : net.gt(0) ? '借' : '貸', grouped(net.abs())];
      if (p < doc.pages.length - 1) {
        expect(figuresOf(lineWith(page, '過次頁'))).toEqual(carried);
        expect(figuresOf(lineWith(doc.pages[p + 1], '承前頁'))).toEqual(carried);
      } else {
        expect(lineWith(page, '過次頁')).toBeUndefined();
      }
    });
    expect(lineWith(doc.pages[0], '承前頁')).toBeUndefined();
    expect(seen).toEqual([...byId.keys()]);
  });

  it('ends with 本期合計 and 期末餘額', () => {
    const debits = lines.reduce((s, l) => s.plus(l.debit), ZERO);
    const credits = lines.reduce((s, l) => s.plus(l.credit), ZERO);
    const closing = money('-1500').plus(debits).minus(credits);
    const last = doc.pages[doc.pages.length - 1];
    expect(figuresOf(lineWith(last, '本期合計'))).toEqual([grouped(debits), grouped(credits)]);
    expect(figuresOf(lineWith(last, '期末餘額'))).toEqual([closing.gt(0) ? '借' : '貸', grouped(closing.abs())]);
  });

  it('prints a line per row, a long memo cut with an ellipsis', () => {
    const long = doc.pages.flat().find((cells) => cells.includes(lines[5].transactionId.slice(0, 8)))!;
    expect(long).toEqual([
      lines[5].effectiveDate,
      lines[5].transactionId.slice(0, 8),
      expect.stringMatching(/^張家村道路硬化工程第二期進度款.*…$/),
      grouped(money(lines[5].debit)),
      expect.stringMatching(/^[借貸平]$/),
      expect.stringMatching(FIGURE),
    ]);
    expect(long[2].length).toBeLessThan(lines[5].memo.length);
  });

  it('numbers pages right at every boundary: the rows that just fill a page, and one more', async () => {
    const counts = [0];
    for (let n = 1; n < 120 && counts.length < 7; n++) if (subsidiaryLedgerPageCount(n) !== subsidiaryLedgerPageCount(n - 1)) counts.push(n - 1, n);
    const pdfs = await Promise.all(counts.map((n) => pdfBytes((out) => subsidiaryLedgerPdf(ledgerInput(ledgerLines(n)), out))));
    const docs = await read(...pdfs);
    docs.forEach((d, i) => {
      expect(d.total).toBe(subsidiaryLedgerPageCount(counts[i]));
      d.pages.forEach((page, p) => expect(folio(page)).toBe(`第 ${p + 1} 頁 / 共 ${d.total} 頁`));
      expect(lineWith(d.pages[d.total - 1], '期末餘額')).toBeDefined();
      expect(d.pages.flat().filter((cells) => cells.some((c) => ID.test(c)))).toHaveLength(counts[i]);
    });
    expect(docs[0].total).toBe(1);
    expect(folio(docs[0].pages[0])).toBe('第 1 頁 / 共 1 頁');
  }, 180_000);

  it.each([
    ['more lines than announced', 69],
    ['fewer lines than announced', 71],
  ])('refuses a source with %s, destroying the output', async (_what, rowCount) => {
    const out = new PassThrough();
    out.resume();
    await expect(subsidiaryLedgerPdf(ledgerInput(lines, rowCount), out)).rejects.toThrow(/announced/);
    expect(out.destroyed).toBe(true);
  });

  it('waits for a slow output instead of reading ahead, and rejects when the output fails', async () => {
    const LONG = 1500;
    let pulled = 0;
    function* counted(): Generator<SubsidiaryLedgerPdfLine> {
      for (const line of ledgerLines(LONG)) {
        pulled++;
        yield line;
      }
    }
    const out = new PassThrough();
    const chunks: Buffer[] = [];
    const done = subsidiaryLedgerPdf({ ...ledgerInput([], LONG), rows: cursor(counted()) }, out);
    // Nobody reads yet: the writer stops once the output's buffers are full, whatever the time given.
    for (let before = -1; before !== pulled;) {
      before = pulled;
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    expect(pulled).toBeGreaterThan(0);
    expect(pulled).toBeLessThan(LONG / 2);
    out.on('data', (chunk: Buffer) => chunks.push(chunk));
    await done;
    const [whole] = await read(Buffer.concat(chunks));
    expect(whole.total).toBe(subsidiaryLedgerPageCount(LONG));

    const failing = new PassThrough();
    failing.once('data', () => failing.destroy(new Error('client went away')));
    await expect(subsidiaryLedgerPdf(ledgerInput(ledgerLines(LONG)), failing)).rejects.toThrow('client went away');
  }, 180_000);

  it.each([
    ['out of date order', [ledgerLines(6)[5], ledgerLines(6)[0]]],
    ['dated after the period', [{ ...ledgerLines(1)[0], effectiveDate: '2027-01-01' }]],
    ['dated before the period', [{ ...ledgerLines(1)[0], effectiveDate: '2025-12-31' }]],
  ])('refuses a line %s', async (_what, bad) => {
    const out = new PassThrough();
    out.resume();
    await expect(subsidiaryLedgerPdf(ledgerInput(bad), out)).rejects.toThrow(/out of date order or outside 2026-01-01 to 2026-12-31/);
  });

  it('refuses an amount that is not one', async () => {
    const out = new PassThrough();
    out.resume();
    const bad = [{ ...lines[0], debit: '-5.00' }];
    await expect(subsidiaryLedgerPdf(ledgerInput(bad), out)).rejects.toThrow('line 1 (00000000-7c1e-4b7a-9a55-0c1d2e3f4a5b): not an amount: -5.00');
  });
});

function trialBalanceRows(financial: number, budget: number): TrialBalancePdfRow[] {
  const row = (book: TrialBalancePdfRow['book'], i: number): TrialBalancePdfRow => {
    const opening = money(`${i * 1000}.50`);
    const debit = money(`${i * 250}.25`);
    const credit = money(`${i * 100}`);
    const closing = opening.plus(debit).minus(credit);
    return {
      book,
      code: `${book === 'financial' ? 'expense' : 'quota:spent'}:P${i}:A1`,
      name: `項目${i}支出`,
      govCode: book === 'financial' ? '5001' : '7101',
      govName: book === 'financial' ? '業務活動費用' : '行政支出',
      opening: [formatMoney(opening), '0.00'],
      period: [formatMoney(debit), formatMoney(credit)],
      closing: [formatMoney(closing), '0.00'],
    };
  };
  return [...Array.from({ length: financial }, (_, i) => row('financial', i + 1)), ...Array.from({ length: budget }, (_, i) => row('budget', i + 1))];
}

function trialBalanceInput(rows: TrialBalancePdfRow[], rowCount = rows.length): TrialBalancePdfInput {
  return { county: { name: '示範縣' }, period: { from: '2026-01-01', to: '2026-03-31' }, rows: cursor(rows), rowCount };
}

describe('trialBalancePdf', () => {
  const rows = trialBalanceRows(40, 25);
  let doc: Read;

  beforeAll(async () => {
    [doc] = await read(await pdfBytes((out) => trialBalancePdf(trialBalanceInput(rows), out)));
  });

  it('prints the headings in Chinese on every page, and 第 n 頁 / 共 N 頁 with N the pages it has', () => {
    expect(doc.total).toBe(trialBalancePageCount(rows.length));
    expect(doc.total).toBeGreaterThanOrEqual(3);
    doc.pages.forEach((page, i) => {
      const text = page.flat().join(' ');
      for (const heading of ['科目餘額表', '編制單位：示範縣', '期間：2026-01-01 至 2026-03-31', '金額單位：元']) expect(text).toContain(heading);
      expect(page.find((cells) => cells.includes('科目編碼'))).toEqual([
        '科目編碼',
        '科目名稱',
        '政府會計科目',
        '期初借方',
        '期初貸方',
        '本期借方',
        '本期貸方',
        '期末借方',
        '期末貸方',
      ]);
      expect(folio(page)).toBe(`第 ${i + 1} 頁 / 共 ${doc.total} 頁`);
    });
  });

  it('groups the accounts by book, each with its 合計', () => {
    const all = doc.pages.flat();
    const at = (label: string) => all.findIndex((cells) => cells.includes(label));
    expect(at('財務會計')).toBeLessThan(at('expense:P1:A1'));
    expect(at('expense:P40:A1')).toBeLessThan(at('財務會計合計'));
    expect(at('財務會計合計')).toBeLessThan(at('預算會計'));
    expect(at('預算會計')).toBeLessThan(at('quota:spent:P1:A1'));
    expect(at('quota:spent:P25:A1')).toBeLessThan(at('預算會計合計'));
    expect(all.find((cells) => cells[0] === 'expense:P7:A1')).toEqual([
      'expense:P7:A1',
      '項目7支出',
      '5001',
      '業務活動費用',
      '7,000.50',
      '1,750.25',
      '700.00',
      '8,050.75',
    ]);
    for (const book of ['financial', 'budget'] as const) {
      const mine = rows.filter((r) => r.book === book);
      const sum = (pick: (r: TrialBalancePdfRow) => string) => grouped(mine.reduce((s, r) => s.plus(pick(r)), ZERO));
      const total = all.find((cells) => cells.includes(book === 'financial' ? '財務會計合計' : '預算會計合計'));
      expect(figuresOf(total)).toEqual([sum((r) => r.opening[0]), '0.00', sum((r) => r.period[0]), sum((r) => r.period[1]), sum((r) => r.closing[0]), '0.00']);
    }
  });

  it('prints both books, their totals zero, for a period without accounts', async () => {
    const [empty] = await read(await pdfBytes((out) => trialBalancePdf(trialBalanceInput([]), out)));
    expect(empty.total).toBe(1);
    expect(folio(empty.pages[0])).toBe('第 1 頁 / 共 1 頁');
    expect(figuresOf(lineWith(empty.pages[0], '財務會計合計'))).toEqual(Array(6).fill('0.00'));
    expect(figuresOf(lineWith(empty.pages[0], '預算會計合計'))).toEqual(Array(6).fill('0.00'));
  });

  it('refuses a row whose closing balance is not its opening plus its period', async () => {
    const out = new PassThrough();
    out.resume();
    const bad = { ...rows[0], closing: ['1.00', '0.00'] as const };
    await expect(trialBalancePdf(trialBalanceInput([bad]), out)).rejects.toThrow('row 1 (expense:P1:A1): the closing balance is not');
    expect(out.destroyed).toBe(true);
  });

  it('refuses the financial book after the budget book, and a count that is not the rows', async () => {
    const out = new PassThrough();
    out.resume();
    await expect(trialBalancePdf(trialBalanceInput([...rows].reverse()), out)).rejects.toThrow(/the financial book's rows come after the budget book's/);
    await expect(trialBalancePdf(trialBalanceInput(rows, rows.length + 1), new PassThrough().resume())).rejects.toThrow(/announced/);
  });
});
