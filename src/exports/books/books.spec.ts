import { documentedColumns } from '../../../test/support/documented-columns';
import { BOOKS } from './index';
import { BookContext } from './context';

/** Building a book reads nothing: its rows are read when asked for. */
const NO_DATABASE = { period: { from: '2026-01-01', to: '2026-12-31' }, accounts: new Map(), dims: {} } as unknown as BookContext;

describe('the books', () => {
  it('are documented column by column, in order and with their types, in docs/exports.md', () => {
    const documented = documentedColumns('exports.md', 'books');
    expect([...documented.keys()]).toEqual(Object.keys(BOOKS));
    for (const [name, build] of Object.entries(BOOKS)) {
      const table = build(NO_DATABASE);
      expect(table.name).toBe(name);
      expect(documented.get(name)).toEqual(table.columns.map((c) => ({ name: c.name, type: c.type })));
    }
  });

  it('name their columns in snake_case once each, with a Chinese title and a description', () => {
    for (const build of Object.values(BOOKS)) {
      const table = build(NO_DATABASE);
      expect(table.title).toMatch(/\p{Script=Han}/u);
      expect(new Set(table.columns.map((c) => c.name)).size).toBe(table.columns.length);
      for (const c of table.columns) {
        expect(c.name).toMatch(/^[a-z][a-z0-9_]*$/);
        expect(c.title).toMatch(/\p{Script=Han}/u);
        expect(c.description.length).toBeGreaterThan(3);
      }
    }
  });
});
