import { Form, Input, Table, Typography } from 'antd';
import { useEffect, useState } from 'react';
import { api, call, type Schema } from '../../../api/client';
import { ErrorNote } from '../../../components/ErrorNote';
import { nullableNumber, nullableText } from '../../audit/nullable';
import { POLICY_LABELS, type PolicyKey } from './policyLabels';
import { PolicyValue } from './PolicyValue';

type Policy = Schema<'PolicyView'>;
interface Row {
  key: string;
  value: string;
  effectiveFrom: string | null;
  changeId: number | null;
}

const DATE = /^\d{4}-\d{2}-\d{2}$/;

/** The value of every parameter in force on a day (today unless asked), the default or the approved change that set it. */
export function PoliciesInForce({ version }: { version: number }) {
  const [asOf, setAsOf] = useState('');
  const [policy, setPolicy] = useState<Policy | null>(null);
  const [error, setError] = useState<unknown>(null);

  useEffect(() => {
    let live = true;
    setError(null);
    call(api.GET('/api/v1/policies', { params: { query: DATE.test(asOf) ? { asOf } : {} } }))
      .then((p) => live && setPolicy(p))
      .catch((e: unknown) => live && setError(e));
    return () => {
      live = false;
    };
  }, [asOf, version]);

  const rows: Row[] = Object.entries(policy?.values ?? {}).map(([key, v]) => ({
    key,
    value: v.value,
    effectiveFrom: nullableText(v.effectiveFrom),
    changeId: nullableNumber(v.changeId),
  }));

  return (
    <>
      <Form layout="inline" style={{ marginBottom: 12 }}>
        <Form.Item label="查看日期" htmlFor="policies-as-of" extra="留空為今天" validateStatus={asOf && !DATE.test(asOf) ? 'error' : undefined}>
          <Input id="policies-as-of" placeholder="YYYY-MM-DD" value={asOf} onChange={(e) => setAsOf(e.target.value.trim())} style={{ width: 160 }} />
        </Form.Item>
      </Form>
      {policy && <Typography.Paragraph type="secondary">以下為 {policy.asOf} 生效的參數。</Typography.Paragraph>}
      <ErrorNote error={error} />
      <Table<Row>
        aria-label="生效中的政策參數"
        rowKey="key"
        loading={!policy && !error}
        dataSource={rows}
        pagination={false}
        size="small"
        scroll={{ x: 'max-content' }}
        columns={[
          { title: '參數', dataIndex: 'key', render: (k: string) => POLICY_LABELS[k as PolicyKey]?.label ?? k },
          { title: '取值', dataIndex: 'value', render: (v: string, r) => <PolicyValue policyKey={r.key} value={v} /> },
          { title: '自何日起', dataIndex: 'effectiveFrom', render: (d: string | null) => d ?? '默認值' },
          { title: '依據的變更', dataIndex: 'changeId', render: (id: number | null) => (id === null ? '' : `#${id}`) },
          { title: '鍵名', dataIndex: 'key', key: 'code', render: (k: string) => <Typography.Text code>{k}</Typography.Text> },
        ]}
      />
    </>
  );
}
