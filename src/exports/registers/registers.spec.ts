import { EntityManager } from 'typeorm';
import { documentedColumns } from '../../../test/support/documented-columns';
import { safeFileName } from './file-names';
import { REGISTERS } from './index';
import { periodInstants } from './register';

const PERIOD = { from: '2026-01-01', to: '2026-12-31' };
/** Building a table reads nothing: its rows are read when asked for. */
const NO_DATABASE = {} as EntityManager;

describe('the registers', () => {
  it('are documented column by column, in order and with their types, in docs/exports-registers.md', () => {
    const documented = documentedColumns('exports-registers.md', 'registers');
    expect([...documented.keys()]).toEqual(REGISTERS.map((r) => r.name));
    for (const { name, build } of REGISTERS) {
      const table = build(NO_DATABASE, 1, PERIOD);
      expect(table.name).toBe(name);
      expect(documented.get(name)).toEqual(table.columns.map((c) => ({ name: c.name, type: c.type })));
    }
  });

  it('name their columns in snake_case once each, with a Chinese title and a description', () => {
    for (const { build } of REGISTERS) {
      const table = build(NO_DATABASE, 1, PERIOD);
      expect(table.title).toMatch(/\p{Script=Han}/u);
      expect(new Set(table.columns.map((c) => c.name)).size).toBe(table.columns.length);
      for (const c of table.columns) {
        expect(c.name).toMatch(/^[a-z][a-z0-9_]*$/);
        expect(c.title).toMatch(/\p{Script=Han}/u);
        expect(c.description.length).toBeGreaterThan(10);
      }
    }
  });

  it('refuse a period that is not two days in order', () => {
    for (const { build } of REGISTERS) {
      expect(() => build(NO_DATABASE, 1, { from: '2026-08-31', to: '2026-08-01' })).toThrow(/ends before it starts/);
      expect(() => build(NO_DATABASE, 1, { from: '2026-8-1', to: '2026-08-31' })).toThrow(/Not a day/);
      expect(() => build(NO_DATABASE, 1, { from: '2026-02-30', to: '2026-03-31' })).toThrow(/Not a day/);
      expect(() => build(NO_DATABASE, 1, { from: '2026-01-01', to: '2026-13-01' })).toThrow(/Not a day/);
    }
  });

  it('judge timestamps by the days of China: from 00:00 of the first day to 00:00 after the last', () => {
    expect(periodInstants({ from: '2026-08-01', to: '2026-08-31' })).toEqual({
      start: new Date('2026-07-31T16:00:00.000Z'),
      end: new Date('2026-08-31T16:00:00.000Z'),
    });
  });
});

describe('safeFileName', () => {
  it('keeps a plain name, Chinese included', () => {
    expect(safeFileName('申請表.pdf')).toBe('申請表.pdf');
    expect(safeFileName('invoice 2026-06.png')).toBe('invoice 2026-06.png');
  });

  it('makes any name one path component that cannot climb, hide or reorder', () => {
    expect(safeFileName('../../etc/passwd')).toBe('_.._etc_passwd');
    expect(safeFileName('a\\b:c*?"<>|.png')).toBe('a_b_c______.png');
    expect(safeFileName('..')).toBe('file');
    expect(safeFileName('')).toBe('file');
    expect(safeFileName(' 報告\u202e.gpj.pdf. ')).toBe('報告_.gpj.pdf');
    expect(safeFileName('a\u0000b\u200bc.pdf')).toBe('a_b_c.pdf');
  });

  it('shortens a long name to 200 bytes of UTF-8, keeping its extension', () => {
    const long = safeFileName(`${'驗'.repeat(100)}.pdf`);
    expect(Buffer.byteLength(long)).toBeLessThanOrEqual(200);
    expect(long).toMatch(/^驗+\.pdf$/);
  });
});
