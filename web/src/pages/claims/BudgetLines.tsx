import { Button, Card, Table } from 'antd';
import { api, call } from '../../api/client';
import { hasRole, useMe } from '../../auth';
import { ErrorNote } from '../../components/ErrorNote';
import { moneyColumn } from '../../components/Money';
import { useAction } from '../../components/useAction';
import { BUDGET_LINE_STATE_LABELS } from './labels';
import type { BudgetLine } from './types';
import { useLoad } from '../../components/useLoad';

/** A project's budget lines; a county leader signs a line that waits for the signature (it posts then). */
export function BudgetLines({ projectId }: { projectId: number }) {
  const me = useMe();
  const lines = useLoad(
    (signal) => call(api.GET('/api/v1/projects/{id}/budget-lines', { params: { path: { id: projectId } }, signal })) as Promise<BudgetLine[]>,
    projectId,
  );
  const leader = hasRole(me, 'county_leader');
  return (
    <Card title="預算指標" style={{ marginBottom: 16 }}>
      <ErrorNote error={lines.error} />
      <Table<BudgetLine>
        aria-label="預算指標"
        size="small"
        rowKey="id"
        pagination={false}
        scroll={{ x: 'max-content' }}
        loading={lines.loading}
        dataSource={lines.data ?? []}
        columns={[
          { title: '編號', dataIndex: 'id' },
          { title: '資金安排', dataIndex: 'allocationId' },
          { title: '金額', dataIndex: 'amount', ...moneyColumn },
          { title: '狀態', dataIndex: 'state', render: (s: BudgetLine['state']) => BUDGET_LINE_STATE_LABELS[s] },
          ...(leader
            ? [
                {
                  title: '操作',
                  key: 'sign',
                  render: (_: unknown, line: BudgetLine) =>
                    line.state === 'awaiting_signature' ? <SignLine projectId={projectId} line={line} onDone={lines.reload} /> : null,
                },
              ]
            : []),
        ]}
      />
    </Card>
  );
}

function SignLine({ projectId, line, onDone }: { projectId: number; line: BudgetLine; onDone: () => Promise<void> }) {
  const action = useAction();
  const sign = async () => {
    const done = await action.run((key) =>
      call(
        api.POST('/api/v1/projects/{id}/budget-lines/{lineId}/sign', {
          params: { path: { id: projectId, lineId: line.id } },
          headers: { 'Idempotency-Key': key },
        }),
      ),
    );
    if (done !== undefined) await onDone();
  };
  return (
    <div style={{ minWidth: 120 }}>
      <ErrorNote error={action.error} />
      <Button type="primary" size="small" autoInsertSpace={false} loading={action.busy} onClick={() => void sign()} aria-label={`簽批預算指標 ${line.id}`}>
        簽批
      </Button>
    </div>
  );
}
