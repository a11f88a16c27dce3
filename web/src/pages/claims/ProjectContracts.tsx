import { Card, Space, Table } from 'antd';
import { Link } from 'react-router';
import { api, call, type Schema } from '../../api/client';
import { hasRole, useMe } from '../../auth';
import { ErrorNote } from '../../components/ErrorNote';
import { moneyColumn } from '../../components/Money';
import { CONTRACT_STATE_LABELS } from './labels';
import { useLoad } from '../../components/useLoad';

type Contract = Schema<'ContractView'>;

/** A project's contracts, each opening its contract page (payments, retention); a village claims on a signed one. */
export function ProjectContracts({ projectId }: { projectId: number }) {
  const me = useMe();
  const contracts = useLoad((signal) => call(api.GET('/api/v1/projects/{id}/contracts', { params: { path: { id: projectId } }, signal })), projectId);
  const village = hasRole(me, 'village');
  return (
    <Card title="合同" style={{ marginBottom: 16 }}>
      <ErrorNote error={contracts.error} />
      <Table<Contract>
        aria-label="合同列表"
        size="small"
        rowKey="id"
        pagination={false}
        scroll={{ x: 'max-content' }}
        loading={contracts.loading}
        dataSource={contracts.data ?? []}
        columns={[
          { title: '合同', dataIndex: 'title', render: (title: string, c) => <Link to={`/contracts/${c.id}`}>{title}</Link> },
          { title: '收款人', key: 'payee', render: (_, c) => c.payee.name },
          { title: '合同金額', dataIndex: 'amount', ...moneyColumn },
          { title: '狀態', dataIndex: 'state', render: (s: Contract['state']) => CONTRACT_STATE_LABELS[s] },
          {
            title: '報帳',
            key: 'claims',
            render: (_, c) => (
              <Space wrap>
                <Link to={`/claims?projectId=${projectId}`}>查看報帳</Link>
                {village && c.state === 'signed' && <Link to={`/claims/new?contractId=${c.id}&projectId=${projectId}`}>新建報帳</Link>}
              </Space>
            ),
          },
        ]}
      />
    </Card>
  );
}
