import { Button, Form, Select, Space, Tag, Typography } from 'antd';
import { useState } from 'react';
import { Link, useNavigate } from 'react-router';
import { api, call, type Schema } from '../../api/client';
import { hasRole, useMe } from '../../auth';
import { Money } from '../../components/Money';
import { PagedTable } from '../../components/PagedTable';
import { formatDate, formatDateTime } from '../../format';
import { textOf } from './ids';
import { VOUCHER_KIND_LABELS, VOUCHER_STATE_LABELS, optionsOf } from './labels';

type Row = Schema<'VoucherListItemView'>;

interface Filter {
  state?: Row['state'];
  kind?: Row['kind'];
}

/** 記帳憑證: the county's vouchers, newest first; drafts wait for a second finance user to approve them. */
export default function Vouchers() {
  const me = useMe();
  const navigate = useNavigate();
  const [filter, setFilter] = useState<Filter>({});
  return (
    <>
      <Typography.Title level={2}>記帳憑證</Typography.Title>
      <Space wrap style={{ marginBottom: 16, width: '100%', justifyContent: 'space-between' }}>
        <Form<Filter> name="voucher-filter" layout="inline" onFinish={setFilter} style={{ rowGap: 8 }}>
          <Form.Item label="狀態" name="state">
            <Select allowClear placeholder="全部" options={optionsOf(VOUCHER_STATE_LABELS)} style={{ width: 120 }} />
          </Form.Item>
          <Form.Item label="類型" name="kind">
            <Select allowClear placeholder="全部" options={optionsOf(VOUCHER_KIND_LABELS)} style={{ width: 120 }} />
          </Form.Item>
          <Form.Item>
            <Button htmlType="submit">篩選</Button>
          </Form.Item>
        </Form>
        {hasRole(me, 'county_finance') && (
          <Button type="primary" onClick={() => void navigate('/vouchers/new')}>
            錄入憑證
          </Button>
        )}
      </Space>
      <PagedTable<Row, string>
        aria-label="記帳憑證列表"
        rowKey="id"
        query={filter}
        fetchPage={(after, limit) => call(api.GET('/api/v1/ledger/vouchers', { params: { query: { ...filter, limit, after } } }))}
        cursorOf={(v) => v.cursor}
        columns={[
          { title: '業務日期', dataIndex: 'effectiveDate', render: (d: unknown) => formatDate(textOf(d)) },
          {
            title: '摘要',
            dataIndex: 'memo',
            render: (memo: unknown, v) => <Link to={`/vouchers/${v.id}`}>{textOf(memo) || '（無摘要）'}</Link>,
          },
          { title: '類型', dataIndex: 'kind', render: (k: Row['kind']) => VOUCHER_KIND_LABELS[k] },
          {
            title: '狀態',
            dataIndex: 'state',
            render: (s: Row['state']) => <Tag color={s === 'posted' ? 'green' : 'gold'}>{VOUCHER_STATE_LABELS[s]}</Tag>,
          },
          { title: '借方合計（兩本帳）', dataIndex: 'amount', align: 'right', render: (a: unknown) => <Money value={textOf(a)} /> },
          { title: '編製人', dataIndex: 'draftedByName' },
          { title: '編製時間', dataIndex: 'draftedAt', render: (t: string) => formatDateTime(t) },
          { title: '審批時間', dataIndex: 'approvedAt', render: (t: unknown) => formatDateTime(textOf(t)) },
        ]}
      />
    </>
  );
}
