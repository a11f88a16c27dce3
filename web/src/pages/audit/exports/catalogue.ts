import type { paths } from '../../../api/schema';

export type BookName = paths['/api/v1/exports/books/{name}']['get']['parameters']['path']['name'];
export type RegisterName = paths['/api/v1/exports/registers/{name}']['get']['parameters']['path']['name'];
export type ExportFormat = NonNullable<NonNullable<paths['/api/v1/exports/books/{name}']['get']['parameters']['query']>['format']>;

export interface Entry<Name> {
  name: Name;
  label: string;
  formats: readonly ExportFormat[];
}

/**
 * The books in the audit package's order (src/exports/books/index.ts, docs/exports.md). PDF is written for the trial
 * balance and for the subsidiary ledger of one account only.
 */
export const BOOKS: readonly Entry<BookName>[] = [
  { name: 'journal', label: '序時賬', formats: ['csv', 'xlsx'] },
  { name: 'general-ledger', label: '總賬', formats: ['csv', 'xlsx'] },
  { name: 'subsidiary-ledger', label: '明細賬', formats: ['csv', 'xlsx', 'pdf'] },
  { name: 'trial-balance', label: '科目餘額表', formats: ['csv', 'xlsx', 'pdf'] },
  { name: 'fund-book', label: '資金一本帳', formats: ['csv', 'xlsx'] },
  { name: 'fund-book-transactions', label: '資金一本帳明細', formats: ['csv', 'xlsx'] },
  { name: 'accounts', label: '科目表', formats: ['csv', 'xlsx'] },
  { name: 'ledger-lines', label: '分錄明細', formats: ['csv', 'xlsx'] },
];

/** The registers (src/exports/registers/index.ts, docs/exports-registers.md): CSV or XLSX. */
export const REGISTERS: readonly Entry<RegisterName>[] = [
  { name: 'contracts', label: '合同登記', formats: ['csv', 'xlsx'] },
  { name: 'payments', label: '付款登記', formats: ['csv', 'xlsx'] },
  { name: 'claims', label: '報帳登記', formats: ['csv', 'xlsx'] },
  { name: 'claim-steps', label: '報帳流程', formats: ['csv', 'xlsx'] },
  { name: 'retention-movements', label: '質量保證金變動', formats: ['csv', 'xlsx'] },
  { name: 'alerts', label: '監控預警', formats: ['csv', 'xlsx'] },
  { name: 'notices', label: '公示', formats: ['csv', 'xlsx'] },
];

/** The query of a download, without the empty parts. */
export function withQuery(path: string, query: Record<string, string | undefined>): string {
  const params = new URLSearchParams();
  for (const [k, v] of Object.entries(query)) if (v) params.set(k, v);
  return `${path}?${params.toString()}`;
}
