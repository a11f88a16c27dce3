import { Table, Typography } from 'antd';
import Decimal from 'decimal.js';
import { Money } from '../../components/Money';
import { BOOK_LABELS } from './labels';
import type { Totals } from './voucherBalance';

/** The editor's live totals: debits, credits and the difference (red while not zero) per book and overall. */
export function VoucherTotals({ totals, problems, tried }: { totals: Totals[]; problems: string[]; tried: boolean }) {
  return (
    <div aria-live="polite">
      <Table<Totals>
        aria-label="借貸合計"
        size="small"
        pagination={false}
        rowKey={(t) => t.book ?? 'all'}
        dataSource={totals}
        scroll={{ x: 'max-content' }}
        columns={[
          { title: '帳簿', dataIndex: 'book', render: (b: Totals['book']) => (b ? BOOK_LABELS[b] : '合計') },
          { title: '借方合計', dataIndex: 'debit', align: 'right', render: (v: string) => <Money value={v} /> },
          { title: '貸方合計', dataIndex: 'credit', align: 'right', render: (v: string) => <Money value={v} /> },
          {
            title: '差額',
            dataIndex: 'difference',
            align: 'right',
            render: (v: string) => (
              <Typography.Text type={new Decimal(v).isZero() ? undefined : 'danger'}>
                <Money value={v} />
              </Typography.Text>
            ),
          },
        ]}
      />
      {problems.map((p) => (
        <Typography.Paragraph key={p} type="danger" strong role={tried ? 'alert' : undefined} style={{ margin: '8px 0 0' }}>
          {p}
        </Typography.Paragraph>
      ))}
    </div>
  );
}
