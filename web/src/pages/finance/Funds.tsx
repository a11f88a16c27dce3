import { Button, Form, InputNumber, Select, Space, Tag, Typography } from 'antd';
import { useState } from 'react';
import { Link } from 'react-router';
import { api, call, type Schema } from '../../api/client';
import { hasRole, useMe } from '../../auth';
import { moneyColumn } from '../../components/Money';
import { PagedTable } from '../../components/PagedTable';
import { formatDate } from '../../format';
import { CountyFunds } from './CountyFunds';
import { CATEGORY_LABELS, FUND_TYPES, LEVEL_LABELS, type Category, type FundType, type IssuingLevel } from './labels';
import { RegisterAllocation } from './RegisterAllocation';
import { useLoad } from '../../components/useLoad';

type Allocation = Schema<'AllocationView'>;

interface Filter {
  year?: number;
  fundType?: FundType;
}

/** 資金一本帳: the county's funds by source, and every allocation document with what is left of it. */
export default function Funds() {
  const me = useMe();
  const [filter, setFilter] = useState<Filter>({});
  const [version, setVersion] = useState(0);
  // A county keeps a handful of dedicated accounts (the API lists them whole): their codes label the column.
  const dedicated = useLoad(() => call(api.GET('/api/v1/dedicated-accounts')), null);
  const codeOf = (id: number) => dedicated.data?.find((d) => d.id === id)?.code ?? `#${id}`;
  return (
    <>
      <Typography.Title level={2}>資金一本帳</Typography.Title>
      <CountyFunds key={version} />
      <section aria-label="資金文件" style={{ marginTop: 24 }}>
        <Typography.Title level={3} style={{ fontSize: 18 }}>
          資金文件
        </Typography.Title>
        <Space wrap style={{ marginBottom: 12, width: '100%', justifyContent: 'space-between' }}>
          <Form<Filter>
            name="allocation-filter"
            layout="inline"
            onFinish={(v) => setFilter({ year: v.year ?? undefined, fundType: v.fundType })}
            style={{ rowGap: 8 }}
          >
            <Form.Item label="年度" name="year">
              <InputNumber min={2000} max={2100} precision={0} placeholder="全部" style={{ width: 110 }} />
            </Form.Item>
            <Form.Item label="資金類型" name="fundType">
              <Select allowClear placeholder="全部" options={FUND_TYPES.map((t) => ({ value: t, label: t }))} style={{ width: 200 }} />
            </Form.Item>
            <Form.Item>
              <Button htmlType="submit">篩選</Button>
            </Form.Item>
          </Form>
          {hasRole(me, 'county_finance') && <RegisterAllocation onRegistered={() => setVersion((n) => n + 1)} />}
        </Space>
        <PagedTable<Allocation>
          aria-label="資金文件列表"
          rowKey="id"
          query={{ filter, version }}
          fetchPage={(afterId, limit) => call(api.GET('/api/v1/fund-allocations', { params: { query: { ...filter, limit, afterId } } }))}
          cursorOf={(a) => a.id}
          columns={[
            { title: '文號', dataIndex: 'documentNumber', render: (t: string, a) => <Link to={`/funds/${a.id}`}>{t}</Link> },
            { title: '級次', dataIndex: 'issuingLevel', render: (l: IssuingLevel) => LEVEL_LABELS[l] },
            { title: '資金類型', dataIndex: 'fundType' },
            { title: '年度', dataIndex: 'fiscalYear' },
            { title: '金額', dataIndex: 'amount', ...moneyColumn },
            { title: '到帳', dataIndex: 'received', ...moneyColumn },
            { title: '未分配', dataIndex: 'unallocated', ...moneyColumn },
            { title: '到帳日期', dataIndex: 'receivedOn', render: (d: string) => formatDate(d) },
            { title: '專戶', dataIndex: 'dedicatedAccountId', render: (id: number) => <Link to="/dedicated-accounts">{codeOf(id)}</Link> },
            {
              title: '允許用途',
              dataIndex: 'permittedCategories',
              render: (cs: Category[]) => (
                <Space size={[0, 4]} wrap>
                  {cs.map((c) => (
                    <Tag key={c}>{CATEGORY_LABELS[c]}</Tag>
                  ))}
                </Space>
              ),
            },
          ]}
        />
      </section>
    </>
  );
}
