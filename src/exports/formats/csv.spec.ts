import { heapProbe } from '../../../test/support/heap';
import { PassThrough, Writable } from 'node:stream';
import { setImmediate as tick } from 'node:timers/promises';
import { ExportRow, ExportTable, column } from '../table';
import { csvStream, writeCsv } from './csv';

const COLUMNS = [
  column('code', '科目編碼', 'text', 'code'),
  column('memo', '摘要', 'text', 'memo'),
  column('amount', '金額', 'money', 'amount'),
  column('effective_date', '日期', 'date', 'date'),
];

/** Items as a cursor gives them: each after a turn of the microtask queue. */
async function* cursor<T>(items: Iterable<T>): AsyncGenerator<T> {
  for (const item of items) yield await Promise.resolve(item);
}

function table(rows: AsyncIterable<ExportRow>, columns = COLUMNS): ExportTable {
  return { name: 'journal', title: '序時賬', description: 'test', columns, rows };
}

async function csvBytes(t: ExportTable): Promise<Buffer> {
  const chunks: Buffer[] = [];
  const sink = new PassThrough();
  sink.on('data', (chunk: Buffer) => chunks.push(chunk));
  await writeCsv(t, sink);
  return Buffer.concat(chunks);
}

/**
 * A strict RFC 4180 reader: records end with CRLF (the last one too), a field is quoted or holds no quote, CR or LF,
 * quotes inside a quoted field are doubled. Anything else throws, so a writer that leaves a bare LF unquoted fails.
 */
function parseCsv(text: string): string[][] {
  const records: string[][] = [];
  let record: string[] = [];
  let field = '';
  let quoted = false;
  let closed = false;
  for (let i = 0; i < text.length;) {
    const c = text[i];
    if (quoted) {
      if (c === '"' && text[i + 1] === '"') {
        field += '"';
        i += 2;
      } else if (c === '"') {
        quoted = false;
        closed = true;
        i++;
      } else {
        field += c;
        i++;
      }
      continue;
    }
    if (c === ',') {
      record.push(field);
      field = '';
      closed = false;
      i++;
    } else if (c === '\r') {
      if (text[i + 1] !== '\n') throw new Error(`bare CR at ${i}`);
      record.push(field);
      records.push(record);
      record = [];
      field = '';
      closed = false;
      i += 2;
    } else if (c === '\n') {
      throw new Error(`bare LF at ${i}`);
    } else if (c === '"') {
      if (field !== '' || closed) throw new Error(`quote inside an unquoted field at ${i}`);
      quoted = true;
      i++;
    } else {
      if (closed) throw new Error(`text after a closing quote at ${i}`);
      field += c;
      i++;
    }
  }
  if (quoted) throw new Error('unterminated quoted field');
  if (field !== '' || record.length > 0) throw new Error('last record not ended by CRLF');
  return records;
}

function decode(bytes: Buffer): string {
  expect([...bytes.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
  return bytes.subarray(3).toString('utf8');
}

describe('csvStream / writeCsv', () => {
  it('starts with the UTF-8 byte-order mark and a header of the column names, records ended by CRLF', async () => {
    const bytes = await csvBytes(table(cursor([['bank:DA1', '收到撥款', '1234.56', '2026-03-01']])));
    const text = decode(bytes);
    expect(text).toBe('code,memo,amount,effective_date\r\nbank:DA1,收到撥款,1234.56,2026-03-01\r\n');
    expect(text.replace(/\r\n/g, '')).not.toMatch(/[\r\n]/);
  });

  it('writes only the BOM and the header for a table without rows', async () => {
    const bytes = await csvBytes(table(cursor([])));
    expect(decode(bytes)).toBe('code,memo,amount,effective_date\r\n');
  });

  it('gives back Chinese text, money and empty cells as written when read by an RFC 4180 reader', async () => {
    const rows: ExportRow[] = [
      ['expense:P3:A1:材料費', '張家村道路硬化工程——第二期進度款（含質保金）', '21714000.00', '2026-12-31'],
      ['quota:held:C7:K12:A1', '𠀀 生僻字與全角，標點；「引號」', '0.01', null],
      ['fund:A1', null, '999999999999999999.99', '2026-01-01'],
    ];
    const parsed = parseCsv(decode(await csvBytes(table(cursor(rows)))));
    expect(parsed).toEqual([COLUMNS.map((c) => c.name), ...rows.map((r) => r.map((cell) => cell ?? ''))]);
  });

  it.each([
    ['=1+1', "'=1+1"],
    ['+1', "'+1"],
    ['-1', "'-1"],
    ['@SUM(A1)', "'@SUM(A1)"],
    ['\tx', "'\tx"],
    ['\rx', "'\rx"],
    ['＝1+1', "'＝1+1"],
  ])('neutralises a formula: %j is read back as %j', async (cell, expected) => {
    const text = decode(await csvBytes(table(cursor([['c', cell, '1.00', '2026-03-01']]))));
    expect(parseCsv(text)[1][1]).toBe(expected);
    expect(text.split('\r\n')[1].startsWith(`c,${cell}`)).toBe(false);
  });

  it('leaves alone text that only contains a formula character later on', async () => {
    const cells = ['1+1=2', '中文-1', 'a@b.cn', 'x\t'];
    const parsed = parseCsv(decode(await csvBytes(table(cursor(cells.map((c) => ['c', c, '1.00', null]))))));
    expect(parsed.slice(1).map((r) => r[1])).toEqual(cells);
  });

  it('quotes a field with commas, quotes and line breaks, doubling the quotes', async () => {
    const cells = ['他說："a,b" 然後\r\n第二行', 'a\nb', 'c\rd', '"', ','];
    const text = decode(await csvBytes(table(cursor(cells.map((c) => ['c', c, '1.00', null])))));
    expect(text).toContain('c,"他說：""a,b"" 然後\r\n第二行",1.00,\r\n');
    expect(text).toContain('c,"a\nb",1.00,\r\n');
    expect(text).toContain('c,"c\rd",1.00,\r\n');
    expect(text).toContain('c,"""",1.00,\r\n');
    expect(
      parseCsv(text)
        .slice(1)
        .map((r) => r[1]),
    ).toEqual(cells);
  });

  it('rejects and destroys the output when the rows fail', async () => {
    function* failing(): Generator<ExportRow> {
      yield ['c', 'm', '1.00', null];
      throw new Error('cursor lost');
    }
    const sink = new PassThrough();
    sink.resume();
    await expect(writeCsv(table(cursor(failing())), sink)).rejects.toThrow('cursor lost');
    expect(sink.destroyed).toBe(true);
  });

  it('refuses a row whose length is not the number of columns', async () => {
    const sink = new PassThrough();
    sink.resume();
    await expect(writeCsv(table(cursor([['c', 'm', '1.00']])), sink)).rejects.toThrow('journal: row 1 has 3 cells, the table has 4 columns');
  });

  it('pulls rows only as the consumer reads, and stops the source when the stream is destroyed', async () => {
    let pulled = 0;
    let stopped = false;
    function* endless(): Generator<ExportRow> {
      try {
        for (;;) {
          pulled++;
          yield ['c', 'memo', '1.00', '2026-03-01'];
        }
      } finally {
        stopped = true;
      }
    }
    const stream = csvStream(table(cursor(endless())));
    for (let i = 0; i < 50; i++) await tick();
    // Nobody reads: the stream holds its buffers' worth (16 rows read ahead, 16 in the stringifier, 16 KB out).
    expect(pulled).toBeGreaterThan(0);
    expect(pulled).toBeLessThan(1000);
    stream.destroy();
    for (let i = 0; i < 10; i++) await tick();
    expect(stopped).toBe(true);
  });

  it('streams 300,000 rows in flat memory', async () => {
    const ROWS = 300_000;
    const { sample, peak } = heapProbe();
    function* generated(): Generator<ExportRow> {
      for (let i = 0; i < ROWS; i++) {
        if (i % 20_000 === 0) sample();
        yield [
          `expense:P${i % 977}:A${i % 13}:材料費`,
          `第${i}筆：張家村道路硬化工程進度款，含質保金與監理費用，按合同第${i % 7}期支付`,
          `${i}.${String(i % 100).padStart(2, '0')}`,
          '2026-03-01',
        ];
      }
    }
    let bytes = 0;
    const sink = new Writable({
      write(chunk: Buffer, _encoding, done) {
        bytes += chunk.length;
        done();
      },
    });
    await writeCsv(table(cursor(generated())), sink);
    sample();
    // About 45 MB of CSV went through (twice that as JavaScript strings): holding the rows would far exceed the bound.
    expect(bytes).toBeGreaterThan(40_000_000);
    expect(peak()).toBeLessThan(50 * 1024 * 1024);
  }, 180_000);
});

/** V8's full collection, so the test measures what is held, not garbage not yet collected. */
