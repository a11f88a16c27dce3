import { Table, Typography } from 'antd';
import { Link } from 'react-router';
import type { Schema } from '../../api/client';
import { Money, moneyColumn } from '../../components/Money';
import { sumMoney } from '../../format';
import { BOOK_LABELS, accountPath } from './labels';

type Line = Schema<'LineView'>;

/** A posted transaction's lines with each account's balance after it, and the totals per book. */
export function TransactionLines({ lines, caption }: { lines: Line[]; caption: string }) {
  const books = [...new Set(lines.map((l) => l.book))].sort();
  return (
    <Table<Line>
      aria-label={caption}
      rowKey="lineNo"
      size="small"
      pagination={false}
      scroll={{ x: 'max-content' }}
      dataSource={lines}
      columns={[
        { title: '行', dataIndex: 'lineNo' },
        { title: '科目', dataIndex: 'account', render: (code: string) => <Link to={accountPath(code)}>{code}</Link> },
        { title: '帳簿', dataIndex: 'book', render: (b: Line['book']) => BOOK_LABELS[b] },
        { title: '借方', dataIndex: 'debit', ...moneyColumn },
        { title: '貸方', dataIndex: 'credit', ...moneyColumn },
        { title: '過帳後餘額', dataIndex: 'balanceAfter', ...moneyColumn },
      ]}
      summary={() =>
        books.map((book) => {
          const mine = lines.filter((l) => l.book === book);
          return (
            <Table.Summary.Row key={book}>
              <Table.Summary.Cell index={0} colSpan={3}>
                <Typography.Text strong>{BOOK_LABELS[book]}合計</Typography.Text>
              </Table.Summary.Cell>
              <Table.Summary.Cell index={3} align="right">
                <Money value={sumMoney(mine.map((l) => l.debit))} />
              </Table.Summary.Cell>
              <Table.Summary.Cell index={4} align="right">
                <Money value={sumMoney(mine.map((l) => l.credit))} />
              </Table.Summary.Cell>
              <Table.Summary.Cell index={5} />
            </Table.Summary.Row>
          );
        })
      }
    />
  );
}
