import { Table, Typography } from 'antd';
import { Link } from 'react-router';
import { Money, moneyColumn } from '../../components/Money';
import { sumMoney } from '../../format';
import { accountPath } from './labels';
import type { LineInput } from './voucherBalance';

type Row = LineInput & { no: number };

/** A voucher's lines as drafted (before posting they have no book or balance yet). */
export function DraftedLines({ lines }: { lines: LineInput[] }) {
  const rows: Row[] = lines.map((l, i) => ({ ...l, no: i + 1 }));
  return (
    <Table<Row>
      aria-label="憑證分錄"
      rowKey="no"
      size="small"
      pagination={false}
      scroll={{ x: 'max-content' }}
      dataSource={rows}
      columns={[
        { title: '行', dataIndex: 'no' },
        { title: '科目', dataIndex: 'account', render: (code: string) => <Link to={accountPath(code)}>{code}</Link> },
        { title: '借方', dataIndex: 'debit', ...moneyColumn },
        { title: '貸方', dataIndex: 'credit', ...moneyColumn },
      ]}
      summary={() => (
        <Table.Summary.Row>
          <Table.Summary.Cell index={0} colSpan={2}>
            <Typography.Text strong>合計</Typography.Text>
          </Table.Summary.Cell>
          <Table.Summary.Cell index={2} align="right">
            <Money value={sumMoney(lines.map((l) => l.debit))} />
          </Table.Summary.Cell>
          <Table.Summary.Cell index={3} align="right">
            <Money value={sumMoney(lines.map((l) => l.credit))} />
          </Table.Summary.Cell>
        </Table.Summary.Row>
      )}
    />
  );
}
