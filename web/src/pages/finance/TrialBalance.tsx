import { Button, Card, Form, Grid, Input, Select, Space, Table, Tag, Typography, type TableColumnsType } from 'antd';
import Decimal from 'decimal.js';
import { useState } from 'react';
import { Link } from 'react-router';
import { api, call, type Schema } from '../../api/client';
import { ErrorNote } from '../../components/ErrorNote';
import { Money, moneyColumn } from '../../components/Money';
import { ACCOUNT_TYPE_LABELS, BOOK_LABELS, DATE_RULE, accountPath, optionsOf, type Book } from './labels';
import { useLoad } from '../../components/useLoad';

type Row = Schema<'TrialBalanceRow'>;
type BookView = Schema<'TrialBalanceBook'>;

/** The financial book first, as the books are read. */
const BOOK_ORDER: readonly Book[] = ['financial', 'budget'];

interface Query {
  book?: Book;
  asOf?: string;
}

/** 科目餘額表: each book's accounts with their debit or credit balance, the totals, and whether they agree. */
export default function TrialBalance() {
  const [query, setQuery] = useState<Query>({});
  const [form] = Form.useForm<{ book?: Book; asOf?: string }>();
  const loaded = useLoad(() => call(api.GET('/api/v1/ledger/trial-balance', { params: { query } })), query);

  return (
    <>
      <Typography.Title level={2}>科目餘額表</Typography.Title>
      <Form
        name="trial-balance"
        form={form}
        layout="inline"
        onFinish={(v) => setQuery({ book: v.book, asOf: v.asOf?.trim() || undefined })}
        style={{ marginBottom: 16, rowGap: 8 }}
      >
        <Form.Item label="帳簿" name="book">
          <Select allowClear placeholder="全部帳簿" options={optionsOf(BOOK_LABELS)} style={{ width: 140 }} />
        </Form.Item>
        <Form.Item label="截至日期" name="asOf" rules={[DATE_RULE]}>
          <Input placeholder="YYYY-MM-DD（默認今天）" style={{ width: 200 }} />
        </Form.Item>
        <Form.Item>
          <Space>
            <Button type="primary" htmlType="submit" loading={loaded.loading}>
              查詢
            </Button>
            <Button onClick={() => void loaded.reload()}>刷新</Button>
          </Space>
        </Form.Item>
      </Form>
      <ErrorNote error={loaded.error} />
      <Space orientation="vertical" size={16} style={{ width: '100%' }}>
        {[...(loaded.data?.books ?? [])]
          .sort((a, b) => BOOK_ORDER.indexOf(a.book) - BOOK_ORDER.indexOf(b.book))
          .map((b) => (
            <BookBalance key={b.book} book={b} />
          ))}
        {loaded.data && loaded.data.books.length === 0 && <Typography.Text type="secondary">沒有科目</Typography.Text>}
      </Space>
    </>
  );
}

function BookBalance({ book }: { book: BookView }) {
  const balanced = new Decimal(book.totalDebit).equals(book.totalCredit);
  const caption = `${BOOK_LABELS[book.book]}科目餘額`;
  // On a phone the name goes under the code and the type is left out, so both amounts stay in view.
  const narrow = !Grid.useBreakpoint().md;
  const labelColumns: TableColumnsType<Row> = narrow
    ? [
        {
          title: '科目',
          dataIndex: 'code',
          render: (code: string, r) => (
            <div style={{ maxWidth: 120, wordBreak: 'break-all' }}>
              <Link to={accountPath(code)}>{code}</Link>
              <br />
              <Typography.Text type="secondary" ellipsis={{ tooltip: r.name }} style={{ maxWidth: 120 }}>
                {r.name}
              </Typography.Text>
            </div>
          ),
        },
      ]
    : [
        { title: '科目代碼', dataIndex: 'code', render: (code: string) => <Link to={accountPath(code)}>{code}</Link> },
        { title: '科目名稱', dataIndex: 'name' },
        { title: '類型', dataIndex: 'type', render: (t: Row['type']) => ACCOUNT_TYPE_LABELS[t] },
      ];
  return (
    <Card
      size={narrow ? 'small' : undefined}
      title={BOOK_LABELS[book.book]}
      extra={
        <Tag color={balanced ? 'green' : 'red'} data-testid={`balance-check-${book.book}`}>
          {balanced ? '借貸平衡' : '借貸不平衡'}
        </Tag>
      }
    >
      <Table<Row>
        aria-label={caption}
        rowKey="code"
        size="small"
        pagination={false}
        scroll={{ x: 'max-content' }}
        dataSource={book.accounts}
        columns={[...labelColumns, { title: '借方餘額', dataIndex: 'debit', ...moneyColumn }, { title: '貸方餘額', dataIndex: 'credit', ...moneyColumn }]}
        summary={() => (
          <Table.Summary>
            <Table.Summary.Row>
              <Table.Summary.Cell index={0} colSpan={labelColumns.length}>
                <Typography.Text strong>合計</Typography.Text>
              </Table.Summary.Cell>
              <Table.Summary.Cell index={labelColumns.length} align="right">
                <Typography.Text strong data-testid={`total-debit-${book.book}`}>
                  <Money value={book.totalDebit} />
                </Typography.Text>
              </Table.Summary.Cell>
              <Table.Summary.Cell index={labelColumns.length + 1} align="right">
                <Typography.Text strong data-testid={`total-credit-${book.book}`}>
                  <Money value={book.totalCredit} />
                </Typography.Text>
              </Table.Summary.Cell>
            </Table.Summary.Row>
          </Table.Summary>
        )}
      />
    </Card>
  );
}
