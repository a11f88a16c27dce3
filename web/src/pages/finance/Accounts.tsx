import { Button, Form, Input, Select, Space, Tag, Typography } from 'antd';
import { useState } from 'react';
import { Link } from 'react-router';
import { api, call, type Schema } from '../../api/client';
import { hasRole, useMe } from '../../auth';
import { moneyColumn } from '../../components/Money';
import { PagedTable } from '../../components/PagedTable';
import { ACCOUNT_TYPE_LABELS, BOOK_LABELS, accountPath, isWorkflowAccount, optionsOf, type AccountType, type Book } from './labels';
import { OpenAccount } from './OpenAccount';

type Account = Schema<'AccountView'>;

interface Filter {
  book?: Book;
  type?: AccountType;
  codePrefix?: string;
}

/** 科目: the county's ledger accounts in code order with their balances; county finance may open one. */
export default function Accounts() {
  const me = useMe();
  const [filter, setFilter] = useState<Filter>({});
  const [version, setVersion] = useState(0);

  return (
    <>
      <Typography.Title level={2}>科目</Typography.Title>
      <Space wrap style={{ marginBottom: 16, width: '100%', justifyContent: 'space-between' }}>
        <Form<Filter>
          name="account-filter"
          layout="inline"
          onFinish={(v) => setFilter({ ...v, codePrefix: v.codePrefix?.trim() || undefined })}
          style={{ rowGap: 8 }}
        >
          <Form.Item label="帳簿" name="book">
            <Select allowClear placeholder="全部" options={optionsOf(BOOK_LABELS)} style={{ width: 130 }} />
          </Form.Item>
          <Form.Item label="類型" name="type">
            <Select allowClear placeholder="全部" options={optionsOf(ACCOUNT_TYPE_LABELS)} style={{ width: 130 }} />
          </Form.Item>
          <Form.Item label="代碼開頭" name="codePrefix">
            <Input placeholder="如 bank" style={{ width: 160 }} />
          </Form.Item>
          <Form.Item>
            <Button htmlType="submit">篩選</Button>
          </Form.Item>
        </Form>
        {hasRole(me, 'county_finance') && <OpenAccount onOpened={() => setVersion((n) => n + 1)} />}
      </Space>
      <PagedTable<Account, string>
        aria-label="科目列表"
        rowKey="code"
        query={{ filter, version }}
        fetchPage={(afterCode, limit) => call(api.GET('/api/v1/ledger/accounts', { params: { query: { ...filter, limit, afterCode } } }))}
        cursorOf={(a) => a.code}
        columns={[
          {
            title: '科目代碼',
            dataIndex: 'code',
            render: (code: string) => (
              <Space size={4}>
                <Link to={accountPath(code)}>{code}</Link>
                {isWorkflowAccount(code) && <Tag>系統科目</Tag>}
              </Space>
            ),
          },
          { title: '科目名稱', dataIndex: 'name' },
          { title: '帳簿', dataIndex: 'book', render: (b: Book) => BOOK_LABELS[b] },
          { title: '類型', dataIndex: 'type', render: (t: AccountType) => ACCOUNT_TYPE_LABELS[t] },
          { title: '餘額方向', dataIndex: 'normalSide', render: (s: Account['normalSide']) => (s === 'debit' ? '借' : '貸') },
          { title: '餘額', dataIndex: 'balance', ...moneyColumn },
        ]}
      />
    </>
  );
}
