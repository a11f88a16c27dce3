import { Space, Table, Typography } from 'antd';
import { Link } from 'react-router';
import { api, call, type Schema } from '../../api/client';
import { hasRole, useMe } from '../../auth';
import { ErrorNote } from '../../components/ErrorNote';
import { moneyColumn } from '../../components/Money';
import { accountPath, groupDigits } from './labels';
import { OpenDedicatedAccount } from './OpenDedicatedAccount';
import { useLoad } from '../../components/useLoad';

type Account = Schema<'DedicatedAccountView'>;

/**
 * 專戶: the county's dedicated bank accounts with their balances. The API answers the list whole (no cursor): a
 * county has a handful of them.
 */
export default function DedicatedAccounts() {
  const me = useMe();
  const list = useLoad(() => call(api.GET('/api/v1/dedicated-accounts')), null);
  return (
    <>
      <Typography.Title level={2}>專戶</Typography.Title>
      <Space wrap style={{ marginBottom: 12 }}>
        {hasRole(me, 'county_finance') && <OpenDedicatedAccount onOpened={() => void list.reload()} />}
      </Space>
      <ErrorNote error={list.error} />
      <Table<Account>
        aria-label="專戶列表"
        rowKey="id"
        loading={list.loading}
        pagination={false}
        scroll={{ x: 'max-content' }}
        dataSource={list.data ?? []}
        columns={[
          { title: '代碼', dataIndex: 'code' },
          { title: '開戶銀行', dataIndex: 'bankName' },
          { title: '戶名', dataIndex: 'accountName' },
          {
            title: '銀行帳號',
            dataIndex: 'accountNumber',
            render: (n: string) => <span style={{ fontVariantNumeric: 'tabular-nums', whiteSpace: 'nowrap' }}>{groupDigits(n)}</span>,
          },
          { title: '專人（用戶編號）', dataIndex: 'officerId' },
          { title: '記帳科目', dataIndex: 'ledgerAccount', render: (code: string) => <Link to={accountPath(code)}>{code}</Link> },
          { title: '餘額', dataIndex: 'balance', ...moneyColumn },
        ]}
      />
    </>
  );
}
