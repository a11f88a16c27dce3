import { heapProbe } from '../../../test/support/heap';
import ExcelJS from 'exceljs';
import { PassThrough, Writable } from 'node:stream';
import { ExportRow, ExportTable, column } from '../table';
import { writeXlsx } from './xlsx';

const COLUMNS = [
  column('memo', '摘要', 'text', 'memo'),
  column('amount', '金額', 'money', 'amount'),
  column('line_count', '行數', 'integer', 'count'),
  column('effective_date', '業務日期', 'date', 'date'),
  column('recorded_at', '記賬時間', 'datetime', 'time'),
  column('reversed', '已沖銷', 'boolean', 'flag'),
];

/** Items as a cursor gives them: each after a turn of the microtask queue. */
async function* cursor<T>(items: Iterable<T>): AsyncGenerator<T> {
  for (const item of items) yield await Promise.resolve(item);
}

function table(title: string, rows: AsyncIterable<ExportRow>, columns = COLUMNS): ExportTable {
  return { name: 'journal', title, description: 'test', columns, rows };
}

async function xlsxBytes(tables: ExportTable[]): Promise<Buffer> {
  const chunks: Buffer[] = [];
  const sink = new PassThrough();
  sink.on('data', (chunk: Buffer) => chunks.push(chunk));
  await writeXlsx(tables, sink);
  return Buffer.concat(chunks);
}

async function readBack(bytes: Buffer): Promise<ExcelJS.Workbook> {
  const workbook = new ExcelJS.Workbook();
  await workbook.xlsx.load(bytes as unknown as ArrayBuffer);
  return workbook;
}

describe('writeXlsx', () => {
  const rows: ExportRow[] = [
    ['張家村道路硬化工程——第二期進度款（含質保金）', '1234.56', '12', '2026-03-01', '2026-03-01T08:00:00.000Z', 'true'],
    ['=1+1', '12345678901234567.89', '12345678901234567890', '2026-12-31', null, 'false'],
    ['@SUM(A1)', '9999999999999.99', '900000000001', null, null, null],
    [null, '1234567890123456.00', '-3', '2024-02-29', null, null],
    ['-1', '0.00', '0', '1999-01-01', null, null],
    [null, null, null, '1900-02-28', null, null],
  ];

  let workbook: ExcelJS.Workbook;
  beforeAll(async () => {
    workbook = await readBack(await xlsxBytes([table('序時賬', cursor(rows)), table('科目餘額表', cursor([]))]));
  });

  it('writes one sheet per table, named after its title, with a bold frozen header of the column titles', () => {
    expect(workbook.worksheets.map((w) => w.name)).toEqual(['序時賬', '科目餘額表']);
    for (const sheet of workbook.worksheets) {
      const header = sheet.getRow(1);
      expect(COLUMNS.map((_, i) => header.getCell(i + 1).value)).toEqual(COLUMNS.map((c) => c.title));
      expect(COLUMNS.every((_, i) => header.getCell(i + 1).font?.bold === true)).toBe(true);
      expect(sheet.views[0]).toMatchObject({ state: 'frozen', ySplit: 1 });
    }
    expect(workbook.worksheets[1].rowCount).toBe(1);
  });

  it('writes an exactly representable amount as a number formatted #,##0.00, and a longer one as text', () => {
    const sheet = workbook.worksheets[0];
    const amount = (row: number) => sheet.getRow(row).getCell(2);
    expect(amount(2).value).toBe(1234.56);
    expect(amount(2).numFmt).toBe('#,##0.00');
    expect(amount(4).value).toBe(9999999999999.99);
    expect(amount(4).numFmt).toBe('#,##0.00');
    expect(amount(6).value).toBe(0);
    // 19 and 16 significant digits: Excel would show and sum other amounts.
    expect(amount(3).value).toBe('12345678901234567.89');
    expect(amount(3).type).toBe(ExcelJS.ValueType.String);
    expect(amount(5).value).toBe('1234567890123456.00');
  });

  it('writes integers as numbers formatted 0 when safe, as text otherwise', () => {
    const sheet = workbook.worksheets[0];
    const count = (row: number) => sheet.getRow(row).getCell(3);
    expect(count(2).value).toBe(12);
    expect(count(4).value).toBe(900000000001);
    expect(count(4).numFmt).toBe('0');
    expect(count(5).value).toBe(-3);
    expect(count(3).value).toBe('12345678901234567890');
  });

  it('writes dates as real dates of that day, date-times as text, booleans as booleans, null as an empty cell', () => {
    const sheet = workbook.worksheets[0];
    const cell = (row: number, col: number) => sheet.getRow(row).getCell(col);
    expect(cell(2, 4).value).toEqual(new Date('2026-03-01T00:00:00.000Z'));
    expect(cell(2, 4).numFmt).toBe('yyyy-mm-dd');
    expect(cell(5, 4).value).toEqual(new Date('2024-02-29T00:00:00.000Z'));
    expect(cell(6, 4).value).toEqual(new Date('1999-01-01T00:00:00.000Z'));
    // Before 1900-03-01 Excel's serial days are off by one: the date stays as written.
    expect(cell(7, 4).value).toBe('1900-02-28');
    expect(cell(2, 5).value).toBe('2026-03-01T08:00:00.000Z');
    expect(cell(2, 6).value).toBe(true);
    expect(cell(3, 6).value).toBe(false);
    expect(cell(4, 4).value).toBeNull();
    expect(cell(5, 1).value).toBeNull();
  });

  it('keeps Chinese text, and text that looks like a formula, as text', () => {
    const sheet = workbook.worksheets[0];
    const memo = (row: number) => sheet.getRow(row).getCell(1);
    expect(memo(2).value).toBe('張家村道路硬化工程——第二期進度款（含質保金）');
    for (const [row, text] of [
      [3, '=1+1'],
      [4, '@SUM(A1)'],
      [6, '-1'],
    ] as const) {
      expect(memo(row).value).toBe(text);
      expect(memo(row).type).toBe(ExcelJS.ValueType.String);
      expect(memo(row).formula).toBeUndefined();
    }
  });

  it('sizes columns for Chinese text: a character counts twice', () => {
    const sheet = workbook.worksheets[0];
    // The memo sampled is 22 characters wide in Chinese: 44 units and a margin.
    expect(sheet.getColumn(1).width).toBe(46);
    expect(sheet.getColumn(4).width).toBeGreaterThanOrEqual(10);
  });

  it('makes sheet names valid and unique: 31 characters at most, no reserved characters', async () => {
    const long = '扶貧項目資金一本帳明細表按項目按資金來源按合同按收款人分列共計三十五字';
    const book = await readBack(
      await xlsxBytes([table(long, cursor([])), table(long, cursor([])), table('賬簿/明細[1]', cursor([])), table("'History'", cursor([]))]),
    );
    const names = book.worksheets.map((w) => w.name);
    expect(names[0]).toBe(long.slice(0, 31));
    expect(names[1]).toBe(`${long.slice(0, 27)} (2)`);
    expect(names[2]).toBe('賬簿_明細_1_');
    expect(names[3]).toBe('History (2)');
    expect(names.every((n) => n.length <= 31)).toBe(true);
  });

  it('refuses a cell that is not of its column type, and destroys the output', async () => {
    const sink = new PassThrough();
    sink.resume();
    const bad = table('序時賬', cursor([['x', '12.3', '1', '2026-03-01', null, null]]));
    await expect(writeXlsx([bad], sink)).rejects.toThrow('journal: row 1, column amount: not a money value: 12.3');
    expect(sink.destroyed).toBe(true);
  });

  it.each([
    ['an amount with a sign', ['x', '-1.00', null, null, null, null]],
    ['a date that does not exist', ['x', null, null, '2026-02-30', null, null]],
    ['a boolean spelled otherwise', ['x', null, null, null, null, '是']],
    ['an integer with a fraction', ['x', null, '1.5', null, null, null]],
  ])('refuses %s', async (_what, row) => {
    const sink = new PassThrough();
    sink.resume();
    await expect(writeXlsx([table('t', cursor([row]))], sink)).rejects.toThrow('journal: row 1');
  });

  it('refuses to write a workbook without a sheet', async () => {
    const sink = new PassThrough();
    sink.resume();
    await expect(writeXlsx([], sink)).rejects.toThrow('a workbook needs at least one table');
  });

  it('rejects and destroys the output when the rows fail', async () => {
    function* failing(): Generator<ExportRow> {
      yield ['x', '1.00', '1', '2026-03-01', null, null];
      throw new Error('cursor lost');
    }
    const sink = new PassThrough();
    sink.resume();
    await expect(writeXlsx([table('t', cursor(failing()))], sink)).rejects.toThrow('cursor lost');
    expect(sink.destroyed).toBe(true);
  });

  it('rejects when the output fails midway', async () => {
    function* many(): Generator<ExportRow> {
      for (let i = 0; i < 100_000; i++) yield [`第${i}筆`, '1.00', String(i), '2026-03-01', null, null];
    }
    let written = 0;
    const failing = new Writable({
      write(chunk: Buffer, _encoding, done) {
        written += chunk.length;
        done(written > 100_000 ? new Error('client went away') : null);
      },
    });
    await expect(writeXlsx([table('序時賬', cursor(many()))], failing)).rejects.toThrow('client went away');
  });

  it('writes 200,000 rows to a slow output in flat memory', async () => {
    const ROWS = 200_000;
    const { sample, peak } = heapProbe();
    function* generated(): Generator<ExportRow> {
      for (let i = 0; i < ROWS; i++) {
        if (i % 20_000 === 0) sample();
        yield [`第${i}筆：張家村道路硬化工程進度款，按合同第${i % 7}期支付`, `${i}.${String(i % 100).padStart(2, '0')}`, String(i), '2026-03-01', null, 'true'];
      }
    }
    let bytes = 0;
    // One chunk per turn of the event loop: slower than the writer, as a client on a slow link is.
    const sink = new Writable({
      write(chunk: Buffer, _encoding, done) {
        bytes += chunk.length;
        setImmediate(done);
      },
    });
    await writeXlsx([table('序時賬', cursor(generated()))], sink);
    sample();
    expect(bytes).toBeGreaterThan(3_000_000);
    // Held, the sheet's XML would take about 60 MB here; streamed, a few.
    expect(peak()).toBeLessThan(30 * 1024 * 1024);
  }, 180_000);
});

/** V8's full collection, so the test measures what is held, not garbage not yet collected. */
