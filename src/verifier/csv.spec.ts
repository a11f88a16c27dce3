import { stringify } from 'csv-stringify/sync';
import fc from 'fast-check';
import { CsvError, CsvReader, unneutralise } from './csv';

/** Reads `bytes` in chunks of `size` bytes; answers each record with the line it starts on. */
function read(bytes: Buffer, size = bytes.length || 1): { fields: string[]; line: number }[] {
  const records: { fields: string[]; line: number }[] = [];
  const reader = new CsvReader((fields, line) => records.push({ fields, line }));
  for (let i = 0; i < bytes.length; i += size) reader.write(bytes.subarray(i, i + size));
  reader.end();
  return records;
}

const text = (s: string) => Buffer.from(s, 'utf8');

describe('the CSV reader', () => {
  it('reads the BOM, a header, quoted fields with doubled quotes, commas and newlines inside quotes, CRLF', () => {
    const csv = '\uFEFFcode,name,memo\r\n1,"王, 建國","he said ""yes""\r\nthen left"\r\n2,,\r\n';
    expect(read(text(csv))).toEqual([
      { fields: ['code', 'name', 'memo'], line: 1 },
      { fields: ['1', '王, 建國', 'he said "yes"\r\nthen left'], line: 2 },
      { fields: ['2', '', ''], line: 4 },
    ]);
  });

  it('reads the same in chunks of any size, a multi-byte character split or not', () => {
    const csv = text('\uFEFFa,b\r\n"金額 ""一""",壹佰元整\r\n"x\r\ny",z');
    const whole = read(csv);
    for (let size = 1; size <= csv.length; size++) expect(read(csv, size)).toEqual(whole);
    expect(whole[2]).toEqual({ fields: ['x\r\ny', 'z'], line: 3 });
  });

  it('takes a last record without its line end, and a bare LF as a line end', () => {
    expect(read(text('a,b\nc,d')).map((r) => r.fields)).toEqual([
      ['a', 'b'],
      ['c', 'd'],
    ]);
  });

  it('gives back what the writer neutralised, and only that', () => {
    expect(read(text(`'=SUM(A1),'+86,'-1,'@x,"'\tt","'\rr",'plain,''=x`))[0].fields).toEqual(['=SUM(A1)', '+86', '-1', '@x', '\tt', '\rr', "'plain", "''=x"]);
    expect(unneutralise("'")).toBe("'");
    expect(unneutralise("'a")).toBe("'a");
  });

  it('refuses what is not RFC 4180, naming the line', () => {
    const fails = (csv: string, line: number) => {
      try {
        read(text(csv));
      } catch (err) {
        expect(err).toBeInstanceOf(CsvError);
        expect((err as CsvError).line).toBe(line);
        return;
      }
      throw new Error(`read ${JSON.stringify(csv)}`);
    };
    fails('a,b\r\nc,"d\r\n', 2);
    fails('a,b\r\nc,d"e\r\n', 2);
    fails('a\r\n"b"c\r\n', 2);
    fails('a\rb\r\n', 1);
  });

  it('reads back any cells written by csv-stringify with the package’s options and neutralised', () => {
    const neutralise = (cell: string) => (/^[=+\-@\t\r]/.test(cell) ? `'${cell}` : cell);
    const cell = fc.string({ unit: fc.constantFrom('a', '王', ',', '"', '\r', '\n', '=', '+', '-', '@', '\t', "'", ' ') }).filter((c) => !c.startsWith("'"));
    fc.assert(
      fc.property(fc.array(fc.array(cell, { minLength: 2, maxLength: 2 }), { minLength: 1, maxLength: 8 }), fc.integer({ min: 1, max: 7 }), (rows, size) => {
        // A record of one empty cell would be written as an empty line; the package's files have many columns.
        const csv = stringify(
          rows.map((r) => r.map(neutralise)),
          { bom: true, record_delimiter: 'windows', quoted_match: /[\r\n]/ },
        );
        expect(read(text(csv), size).map((r) => r.fields)).toEqual(rows);
      }),
      { numRuns: 300 },
    );
  });
});
