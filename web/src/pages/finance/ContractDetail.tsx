import { Alert, Card, Space, Spin, Typography } from 'antd';
import { useState } from 'react';
import { useParams, useSearchParams } from 'react-router';
import { api, call, type Schema } from '../../api/client';
import { hasRole, useMe } from '../../auth';
import { ErrorNote } from '../../components/ErrorNote';
import { formatMoney } from '../../format';
import { ApproveRetention } from './ApproveRetention';
import { ContractInfo } from './ContractInfo';
import { PayStage } from './PayStage';
import { ProposeRetention } from './ProposeRetention';
import { RetentionCard } from './RetentionCard';
import { SignContract } from './SignContract';
import { useLoad } from '../../components/useLoad';

/** 合同: the contract, its retention, and county finance's actions on it (sign, pay, release or forfeit retention). */
export default function ContractDetail() {
  const id = Number(useParams().id);
  const [search] = useSearchParams();
  const me = useMe();
  const finance = hasRole(me, 'county_finance');
  const contract = useLoad(() => call(api.GET('/api/v1/contracts/{id}', { params: { path: { id } } })), id);
  const retention = useLoad(() => call(api.GET('/api/v1/contracts/{id}/retention', { params: { path: { id } } })), id);
  const [proposed, setProposed] = useState<Schema<'RetentionMovementView'> | null>(null);
  const linked = Number(search.get('movement')) || undefined;
  const c = contract.data;
  const reload = () => {
    void contract.reload();
    void retention.reload();
  };

  return (
    <>
      <Typography.Title level={2}>合同 {c?.title}</Typography.Title>
      <ErrorNote error={contract.error} />
      {contract.loading && !c && <Spin />}
      {c && <ContractInfo contract={c} />}
      <ErrorNote error={retention.error} />
      {retention.data && <RetentionCard summary={retention.data} />}
      {c && finance && (
        <Card title="財政操作">
          <Space orientation="vertical" size={16} style={{ width: '100%' }}>
            {c.state === 'draft' && <SignContract contractId={c.id} onSigned={reload} />}
            {c.state === 'signed' && retention.data?.state !== 'settled' && (
              <>
                <Space wrap>
                  <PayStage contract={c} onPaid={reload} />
                  <ProposeRetention contractId={c.id} kind="release" onProposed={setProposed} />
                  <ProposeRetention contractId={c.id} kind="forfeit" onProposed={setProposed} />
                </Space>
                {proposed && (
                  <Alert
                    type="success"
                    role="status"
                    showIcon
                    title={`已提交質保金${proposed.kind === 'release' ? '退還' : '沒收'}申請 ¥${formatMoney(proposed.amount)}，變動編號 ${proposed.id}`}
                    description="須由另一位縣財政局人員在本頁以此編號審批後過帳。"
                  />
                )}
                <ApproveRetention movementId={linked} onApproved={reload} />
              </>
            )}
          </Space>
        </Card>
      )}
    </>
  );
}
