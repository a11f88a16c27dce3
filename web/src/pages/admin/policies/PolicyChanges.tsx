import { App, Button, Space, Table, Tag, Typography } from 'antd';
import { useEffect, useState } from 'react';
import { api, call, type Schema } from '../../../api/client';
import { hasRole, useMe } from '../../../auth';
import { ErrorNote } from '../../../components/ErrorNote';
import { useAction } from '../../../components/useAction';
import { nullableNumber } from '../../audit/nullable';
import { POLICY_LABELS, type PolicyKey } from './policyLabels';
import { PolicyValue } from './PolicyValue';

type Change = Schema<'PolicyChangeView'>;

const STATE: Record<Change['state'], { label: string; color: string }> = {
  proposed: { label: '待審批', color: 'gold' },
  approved: { label: '已批准', color: 'green' },
};

/** Approving is for a different person than the proposer: the API says SAME_HAND, shown beside this button. */
function Approve({ change, onDone }: { change: Change; onDone: () => void }) {
  const { message } = App.useApp();
  const action = useAction();
  const approve = async () => {
    const done = await action.run((key) =>
      call(api.POST('/api/v1/policies/changes/{id}/approve', { params: { path: { id: change.id } }, headers: { 'Idempotency-Key': key } })),
    );
    if (!done) return;
    void message.success('已批准');
    onDone();
  };
  return (
    <Space orientation="vertical" size={4} style={{ maxWidth: 360 }}>
      <Button size="small" type="primary" onClick={() => void approve()} loading={action.busy} aria-label={`批准變更 ${change.id}`}>
        批准
      </Button>
      <ErrorNote error={action.error} onClose={action.clear} />
    </Space>
  );
}

/**
 * Every proposed and approved change. The API answers them all at once (no pages: a county changes its parameters
 * a few times a year).
 */
export function PolicyChanges({ version, onDone }: { version: number; onDone: () => void }) {
  const me = useMe();
  const approver = hasRole(me, 'county_finance', 'county_leader');
  const [changes, setChanges] = useState<Change[] | null>(null);
  const [error, setError] = useState<unknown>(null);

  useEffect(() => {
    let live = true;
    call(api.GET('/api/v1/policies/changes'))
      .then((c) => live && setChanges(c))
      .catch((e: unknown) => live && setError(e));
    return () => {
      live = false;
    };
  }, [version]);

  const who = (id: number | null) => (id === null ? '' : id === me.id ? '本人' : `用戶 #${id}`);

  return (
    <>
      <ErrorNote error={error} />
      <Table<Change>
        aria-label="參數變更"
        rowKey="id"
        loading={changes === null && !error}
        dataSource={changes ?? []}
        pagination={false}
        size="small"
        scroll={{ x: 'max-content' }}
        locale={{ emptyText: '暫無變更' }}
        columns={[
          { title: '編號', dataIndex: 'id' },
          { title: '參數', dataIndex: 'key', render: (k: string) => POLICY_LABELS[k as PolicyKey]?.label ?? k },
          { title: '新取值', dataIndex: 'value', render: (v: string, c) => <PolicyValue policyKey={c.key} value={v} /> },
          { title: '生效日期', dataIndex: 'effectiveFrom' },
          { title: '依據', dataIndex: 'reason' },
          {
            title: '狀態',
            dataIndex: 'state',
            render: (s: Change['state'], c) => (
              <Space orientation="vertical" size={2}>
                <Tag color={STATE[s].color}>{STATE[s].label}</Tag>
                {c.warnings.map((w) => (
                  <Typography.Text key={w} type="warning">
                    {w}
                  </Typography.Text>
                ))}
              </Space>
            ),
          },
          { title: '提出人', dataIndex: 'proposedBy', render: (id: number) => who(id) },
          { title: '批准人', key: 'approvedBy', render: (_, c) => who(nullableNumber(c.approvedBy)) },
          ...(approver
            ? [{ title: '操作', key: 'approve', render: (_: unknown, c: Change) => (c.state === 'proposed' ? <Approve change={c} onDone={onDone} /> : null) }]
            : []),
        ]}
      />
    </>
  );
}
