import { Period } from '../ledger/ledger-books';
import { ColumnType, TableShape } from './table';

/**
 * datapackage.json (Frictionless Data Package v1, tabular-data-package): every CSV of the audit package with its
 * table schema, so pandas, R and auditors' tools read types and units without guessing. Money is a number of yuan
 * with two decimals and never negative; text cells that started with a formula character carry a leading `'`.
 */
const FIELD_TYPES: Record<ColumnType, Record<string, unknown>> = {
  text: { type: 'string' },
  money: { type: 'number', decimalChar: '.', bareNumber: true, constraints: { minimum: 0 }, unit: 'CNY (元), two decimals' },
  integer: { type: 'integer', bareNumber: true },
  date: { type: 'date', format: 'default' },
  datetime: { type: 'datetime', format: 'default' },
  boolean: { type: 'boolean', trueValues: ['true'], falseValues: ['false'] },
};

export function dataPackage(
  county: { code: string; name: string },
  period: Period,
  tables: readonly { path: string; shape: TableShape; file: { bytes: number; sha256: string } }[],
): Record<string, unknown> {
  return {
    profile: 'tabular-data-package',
    name: `fund-ledger-${county.code}-${period.from}-${period.to}`.toLowerCase(),
    title: `${county.name} 扶貧資金賬簿 ${period.from} 至 ${period.to}`,
    description: 'Books and registers of a county poverty-alleviation fund ledger; docs/exports.md describes every column',
    created: new Date().toISOString(),
    resources: tables.map(({ path, shape, file }) => ({
      profile: 'tabular-data-resource',
      name: shape.name,
      path,
      title: shape.title,
      description: shape.description,
      format: 'csv',
      mediatype: 'text/csv',
      encoding: 'utf-8-sig',
      bytes: file.bytes,
      hash: `sha256:${file.sha256}`,
      dialect: { delimiter: ',', lineTerminator: '\r\n', quoteChar: '"', doubleQuote: true, header: true },
      schema: {
        fields: shape.columns.map((c) => ({ name: c.name, title: c.title, description: c.description, ...FIELD_TYPES[c.type] })),
        missingValues: [''],
      },
    })),
  };
}
