import { readFileSync, readdirSync } from 'node:fs';
import { join, relative } from 'node:path';
import { getMetadataArgsStorage } from 'typeorm';

const ROOT = join(__dirname, '..');
const LEDGER = join(ROOT, 'src', 'ledger');

/** Every .ts file under `dir`, as paths relative to the repository. */
function sources(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) return sources(path);
    return entry.name.endsWith('.ts') ? [relative(ROOT, path)] : [];
  });
}

/** The tables whose entities live in src/ledger/entities: the ones the ledger owns. */
function ledgerTables(): string[] {
  const dir = join(LEDGER, 'entities');
  // eslint-disable-next-line @typescript-eslint/no-require-imports -- every entity file of the folder, whatever it is named
  const classes = readdirSync(dir).flatMap((file) => Object.values(require(join(dir, file)) as Record<string, unknown>));
  return getMetadataArgsStorage()
    .tables.filter((t) => classes.includes(t.target))
    .map((t) => t.name!)
    .sort();
}

/**
 * The ledger's boundary (docs/architecture.md, "Who reads and writes the ledger"): outside src/ledger, application code
 * asks the ledger for balances by account reference and dimension (`LedgerReadingService`) and posts through
 * `LedgerPostingService`; it never names the ledger's tables and never spells an account code.
 *
 * Allowed to name the tables: `migrations/` (the schema's history) and `src/database/service-role.ts` (the grants of
 * every table). Not checked: `test/` and the unit specs beside the code. The tests read and attack the schema as its owner on purpose, to check what the
 * service wrote without trusting it (a test that asked the ledger's own read API would trust what it checks), and the
 * benchmarks generate ledgers by plain SQL through the guards.
 */
describe('the ledger boundary', () => {
  // Unit specs beside the code are tests like those of test/: their sample rows may name any account.
  const outside = sources(join(ROOT, 'src')).filter((file) => !file.startsWith('src/ledger/') && !file.endsWith('.spec.ts'));

  it('knows the ledger’s tables', () => {
    expect(ledgerTables()).toEqual(['ledger_accounts', 'ledger_closing_balances', 'ledger_lines', 'ledger_transactions']);
  });

  it('no file outside src/ledger and migrations/ names a ledger table', () => {
    const names = new RegExp(`\\b(${ledgerTables().join('|')})\\b`);
    const naming = outside.filter((file) => file !== 'src/database/service-role.ts' && names.test(readFileSync(join(ROOT, file), 'utf8')));
    expect(naming).toEqual([]);
  });

  it('no file outside src/ledger spells an account code (an OpenAPI example shows one, it builds nothing)', () => {
    const spelled = /['"`](bank:|fund:A|appropriation:A|quota:|retention:C|expense:P)/;
    const spelling = outside.flatMap((file) =>
      readFileSync(join(ROOT, file), 'utf8')
        .split('\n')
        .flatMap((line, i) => (spelled.test(line) && !/\bexample:/.test(line) ? [`${file}:${i + 1}`] : [])),
    );
    expect(spelling).toEqual([]);
  });
});

describe('the clock', () => {
  // The demo replays its county's year on the demo's own dates (publicity periods must run before the steps they open).
  it('is moved by tests and the demo only: no other file in src calls travelTo', () => {
    const moving = sources(join(ROOT, 'src')).filter(
      (file) => !['src/common/clock.ts', 'src/cli/seed-demo.ts'].includes(file) && /\btravelTo\(/.test(readFileSync(join(ROOT, file), 'utf8')),
    );
    expect(moving).toEqual([]);
  });

  it('is the one source of "today": no file in src reads the date but the clock', () => {
    const reading = sources(join(ROOT, 'src')).filter(
      (file) => file !== 'src/common/clock.ts' && /\bchinaDate\(new Date\(\)\)/.test(readFileSync(join(ROOT, file), 'utf8')),
    );
    expect(reading).toEqual([]);
  });
});
