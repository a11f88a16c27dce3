import Decimal from 'decimal.js';
import { ZERO, formatMoney, money } from '../../common/money';
import { AccountKind } from '../../ledger/domain/account-refs';
import { FundBookFigure, fundBookFigures, fundBookLines } from '../../ledger/ledger-books';
import { ExportRow, ExportTable, column } from '../table';
import { BookContext, idCell } from './context';

/**
 * 資金一本帳 (design §2): per source (allocation) what was received and is still unallocated, and per project and
 * source what was budgeted, is uncommitted, committed, held by claims, paid, and the retention withheld, released,
 * forfeited and still held — as at the period's end. Every figure is a sum of ledger lines, listed in
 * fund-book-transactions.csv under the figure's account kind.
 */
export const FUND_BOOK_FIGURES: readonly { name: string; title: string; description: string; value: (f: Figures) => Decimal }[] = [
  { name: 'received', title: '到位資金', description: "The allocation's fund received (allocation rows)", value: (f) => f.net('fund').neg() },
  { name: 'unallocated', title: '未分配', description: 'Quota not yet allocated to a project (allocation rows)', value: (f) => f.net('quota_unallocated') },
  {
    name: 'budgeted',
    title: '已安排',
    description: "The project's budget from the source: uncommitted + committed + spent",
    value: (f) => f.net('quota_project').plus(f.net('quota_committed')).plus(f.net('quota_held')).plus(f.net('quota_spent')),
  },
  { name: 'uncommitted', title: '未承諾', description: 'Budget not yet committed to a contract', value: (f) => f.net('quota_project') },
  {
    name: 'committed',
    title: '已承諾',
    description: 'Committed to contracts and not yet spent (claims’ holds included)',
    value: (f) => f.net('quota_committed').plus(f.net('quota_held')),
  },
  { name: 'held', title: '報帳凍結', description: 'Of the committed, held by claims under review', value: (f) => f.net('quota_held') },
  { name: 'paid', title: '已支付', description: 'Spent: payments gross of retention, less forfeited retention', value: (f) => f.net('quota_spent') },
  { name: 'expenditure', title: '項目支出', description: "The financial book's expenditure of the project from the source", value: (f) => f.net('expense') },
  { name: 'retention_withheld', title: '質保金扣留', description: 'Retention withheld from payments', value: (f) => f.credit('retention') },
  { name: 'retention_released', title: '質保金返還', description: 'Retention released to the payee', value: (f) => money(f.of('retention')?.released ?? ZERO) },
  {
    name: 'retention_forfeited',
    title: '質保金扣罰',
    description: 'Retention forfeited to repairs',
    value: (f) => money(f.of('retention')?.forfeited ?? ZERO),
  },
  { name: 'retention_held', title: '質保金餘額', description: 'Retention still held', value: (f) => f.net('retention').neg() },
];

/** The figures of one allocation and project (or of the allocation itself), by kind. */
export class Figures {
  constructor(private readonly byKind: Map<AccountKind, FundBookFigure>) {}

  of(kind: AccountKind): FundBookFigure | undefined {
    return this.byKind.get(kind);
  }

  net(kind: AccountKind): Decimal {
    return money(this.byKind.get(kind)?.net ?? ZERO);
  }

  credit(kind: AccountKind): Decimal {
    return money(this.byKind.get(kind)?.credit ?? ZERO);
  }
}

export function fundBookTable(ctx: BookContext): ExportTable {
  return {
    name: 'fund-book',
    title: '資金一本帳',
    description: 'Per source, and per project and source: received, budgeted, committed, held, paid and retention, as at the period’s end',
    columns: [
      column('allocation_id', '資金來源編號', 'integer', 'The fund allocation (source)'),
      column('allocation_document', '資金文號', 'text', "The allocation's document number"),
      column('fund_type', '資金類型', 'text', "The allocation's fund type"),
      column('project_id', '項目編號', 'integer', 'The project; empty on the allocation’s own row'),
      column('project_name', '項目名稱', 'text', "The project's name"),
      column('functional_class', '功能分類', 'text', "The project's functional class"),
      ...FUND_BOOK_FIGURES.map((f) => column(f.name, f.title, 'money', `${f.description}; as at the period's end`)),
    ],
    rows: (async function* (): AsyncGenerator<ExportRow> {
      const figures = await fundBookFigures(ctx.em, ctx.countyId, ctx.period.to);
      const groups = new Map<string, { allocationId: number; projectId: number | null; byKind: Map<AccountKind, FundBookFigure> }>();
      for (const f of figures) {
        const key = `${f.allocationId}:${f.projectId ?? ''}`;
        const g = groups.get(key) ?? { allocationId: f.allocationId, projectId: f.projectId, byKind: new Map() };
        g.byKind.set(f.kind, f);
        groups.set(key, g);
      }
      for (const g of groups.values()) {
        const allocation = ctx.dims.allocation(g.allocationId);
        const project = ctx.dims.project(g.projectId);
        const f = new Figures(g.byKind);
        yield [
          String(g.allocationId),
          allocation?.documentNumber ?? null,
          allocation?.fundType ?? null,
          idCell(g.projectId),
          project?.name ?? null,
          project?.functionalClass?.code ?? null,
          // Never negative in a ledger the guards kept (a reversal is not dated before its original); were one, it would
          // show with its sign rather than pass for money that arrived.
          ...FUND_BOOK_FIGURES.map((figure) => formatMoney(figure.value(f))),
        ];
      }
    })(),
  };
}

/** Which figure an account kind's lines make up. */
const FIGURE_OF_KIND: Partial<Record<AccountKind, string>> = {
  fund: 'received',
  quota_unallocated: 'unallocated',
  quota_project: 'uncommitted',
  quota_committed: 'committed',
  quota_held: 'held',
  quota_spent: 'paid',
  expense: 'expenditure',
  retention: 'retention',
};

export function fundBookTransactionsTable(ctx: BookContext): ExportTable {
  return {
    name: 'fund-book-transactions',
    title: '資金一本帳明細',
    description: "The ledger lines behind every fund-book figure (dated up to the period's end), by source, project, figure and date",
    columns: [
      column('allocation_id', '資金來源編號', 'integer', 'The source'),
      column('project_id', '項目編號', 'integer', 'The project; empty for the allocation’s own accounts'),
      column('figure', '項目', 'text', 'The figure the line moves: received, unallocated, uncommitted, committed, held, paid, expenditure, retention'),
      column('account_code', '科目編碼', 'text', 'Our account'),
      column('effective_date', '業務日期', 'date', "The line's effective date"),
      column('transaction_id', '交易號', 'text', 'The transaction'),
      column('purpose', '用途', 'text', "The transaction's purpose"),
      column('memo', '摘要', 'text', "The transaction's memo"),
      column('debit', '借方', 'money', 'Debit'),
      column('credit', '貸方', 'money', 'Credit'),
    ],
    rows: (async function* (): AsyncGenerator<ExportRow> {
      for await (const l of fundBookLines(ctx.em, ctx.countyId, ctx.period.to)) {
        yield [
          String(l.allocationId),
          idCell(l.projectId),
          FIGURE_OF_KIND[l.kind] ?? l.kind,
          l.accountCode,
          l.effectiveDate,
          l.transactionId,
          l.purpose,
          l.memo,
          l.debit,
          l.credit,
        ];
      }
    })(),
  };
}
