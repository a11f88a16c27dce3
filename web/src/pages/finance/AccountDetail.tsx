import { Button, Card, Descriptions, Form, Input, Space, Typography } from 'antd';
import { useState } from 'react';
import { Link, useParams } from 'react-router';
import { api, call, type Schema } from '../../api/client';
import { ErrorNote } from '../../components/ErrorNote';
import { Money, moneyColumn } from '../../components/Money';
import { PagedTable } from '../../components/PagedTable';
import { formatDate } from '../../format';
import { textOf } from './ids';
import { ACCOUNT_TYPE_LABELS, BOOK_LABELS, DATE_RULE } from './labels';
import { useLoad } from '../../components/useLoad';

/** A statement line with the cursor of the page it came on (the API pages statements by a cursor of the page). */
type Line = Schema<'StatementLineView'> & { pageCursor: string };

interface Period {
  from?: string;
  to?: string;
}

/** An account with its balance, and its statement: each line with the balance after it, by period. */
export default function AccountDetail() {
  const { code = '' } = useParams();
  const [period, setPeriod] = useState<Period>({});
  const account = useLoad(() => call(api.GET('/api/v1/ledger/accounts/{code}', { params: { path: { code } } })), code);
  const a = account.data;

  // The next page starts after the page's `nextCursor`; an empty cursor means the last page was read.
  const fetchPage = async (cursor: string | undefined, limit: number): Promise<Line[]> => {
    if (cursor === '') return [];
    const page = await call(api.GET('/api/v1/ledger/accounts/{code}/statement', { params: { path: { code }, query: { ...period, limit, cursor } } }));
    const pageCursor = textOf(page.nextCursor) ?? '';
    return page.items.map((item) => ({ ...item, pageCursor }));
  };

  return (
    <>
      <Typography.Title level={2}>科目明細帳</Typography.Title>
      <Space style={{ marginBottom: 12 }}>
        <Link to="/ledger/accounts">返回科目列表</Link>
      </Space>
      <ErrorNote error={account.error} />
      {a && (
        <Card style={{ marginBottom: 16 }}>
          <Descriptions column={{ xs: 1, md: 2, lg: 3 }} size="small">
            <Descriptions.Item label="科目代碼">{a.code}</Descriptions.Item>
            <Descriptions.Item label="科目名稱">{a.name}</Descriptions.Item>
            <Descriptions.Item label="帳簿">{BOOK_LABELS[a.book]}</Descriptions.Item>
            <Descriptions.Item label="類型">{ACCOUNT_TYPE_LABELS[a.type]}</Descriptions.Item>
            <Descriptions.Item label="餘額方向">{a.normalSide === 'debit' ? '借' : '貸'}</Descriptions.Item>
            <Descriptions.Item label="允許負餘額">{a.allowNegative ? '是' : '否'}</Descriptions.Item>
            <Descriptions.Item label="餘額">
              <Money value={a.balance} />
            </Descriptions.Item>
          </Descriptions>
        </Card>
      )}
      <Form<Period>
        name="statement-period"
        layout="inline"
        onFinish={(v) => setPeriod({ from: v.from?.trim() || undefined, to: v.to?.trim() || undefined })}
        style={{ marginBottom: 16, rowGap: 8 }}
      >
        <Form.Item label="起始日期" name="from" rules={[DATE_RULE]}>
          <Input placeholder="YYYY-MM-DD" style={{ width: 140 }} />
        </Form.Item>
        <Form.Item label="截止日期" name="to" rules={[DATE_RULE]}>
          <Input placeholder="YYYY-MM-DD" style={{ width: 140 }} />
        </Form.Item>
        <Form.Item>
          <Button htmlType="submit">查詢</Button>
        </Form.Item>
      </Form>
      <PagedTable<Line, string>
        aria-label="科目明細"
        rowKey={(l) => `${l.transactionId}:${l.lineNo}`}
        query={{ code, period }}
        fetchPage={fetchPage}
        cursorOf={(l) => l.pageCursor}
        columns={[
          { title: '業務日期', dataIndex: 'effectiveDate', render: (d: string) => formatDate(d) },
          { title: '摘要', dataIndex: 'memo' },
          { title: '借方', dataIndex: 'debit', ...moneyColumn },
          { title: '貸方', dataIndex: 'credit', ...moneyColumn },
          { title: '餘額', dataIndex: 'balanceAfter', ...moneyColumn },
          { title: '交易', dataIndex: 'transactionId', render: (id: string) => <Link to={`/ledger/transactions/${id}`}>查看交易</Link> },
        ]}
      />
    </>
  );
}
