import { Button, Form, InputNumber, Select, Space, Tabs, Typography } from 'antd';
import { Link, useNavigate, useSearchParams } from 'react-router';
import { api, call } from '../../api/client';
import { hasRole, useMe } from '../../auth';
import { moneyColumn } from '../../components/Money';
import { PagedTable } from '../../components/PagedTable';
import { CLAIM_STATE_LABELS, NEXT_LABELS, optionsOf } from './labels';
import { ProjectLink } from './names';
import { presetsFor } from './presets';
import { asClaim, type Claim, type ClaimState } from './types';

const ALL = 'all';

/**
 * Claims in the user's scope, paged on the server. The tabs are the role's presets (what waits for its step) and,
 * outside the inbox, every claim with a state filter; `?state=` and `?projectId=` keep the choice in the address.
 */
export function ClaimList({ inbox = false }: { inbox?: boolean }) {
  const me = useMe();
  const navigate = useNavigate();
  const [params, setParams] = useSearchParams();
  const presets = presetsFor(me);
  const asked = params.get('state');
  const state = (asked && asked !== ALL ? asked : asked === ALL ? undefined : presets[0]?.state) as ClaimState | undefined;
  const projectId = Number(params.get('projectId')) || undefined;
  const preset = presets.find((p) => p.state === state);
  const tab = preset && (asked !== ALL || inbox) ? preset.state : ALL;

  const set = (changes: Record<string, string | undefined>) => {
    const next = new URLSearchParams(params);
    for (const [k, v] of Object.entries(changes)) {
      if (v === undefined) next.delete(k);
      else next.set(k, v);
    }
    setParams(next, { replace: true });
  };

  const tabs = [...presets.map((p) => ({ key: p.state, label: p.label })), ...(inbox ? [] : [{ key: ALL, label: '全部報帳' }])];

  return (
    <>
      <Space wrap style={{ justifyContent: 'space-between', width: '100%' }}>
        <Typography.Title level={2}>{inbox ? '審核待辦' : '報帳'}</Typography.Title>
        {hasRole(me, 'village') && (
          <Button type="primary" onClick={() => void navigate('/claims/new')}>
            新建報帳
          </Button>
        )}
      </Space>
      {tabs.length > 1 && <Tabs activeKey={tab} onChange={(key) => set({ state: key })} items={tabs} />}
      <Form layout="inline" style={{ marginBottom: 16, rowGap: 8 }}>
        {!inbox && (
          <Form.Item label="狀態" htmlFor="claim-state">
            <Select
              id="claim-state"
              allowClear
              placeholder="全部"
              style={{ width: 160 }}
              value={state}
              onChange={(v?: ClaimState) => set({ state: v ?? ALL })}
              options={optionsOf(CLAIM_STATE_LABELS)}
            />
          </Form.Item>
        )}
        <Form.Item label="項目編號" htmlFor="claim-project">
          <InputNumber id="claim-project" min={1} precision={0} value={projectId} onChange={(v) => set({ projectId: v ? String(v) : undefined })} />
        </Form.Item>
      </Form>
      <PagedTable<Claim>
        aria-label="報帳列表"
        rowKey="id"
        query={{ state, projectId }}
        cursorOf={(c) => c.id}
        fetchPage={async (afterId, limit) => (await call(api.GET('/api/v1/claims', { params: { query: { afterId, limit, state, projectId } } }))).map(asClaim)}
        columns={[
          { title: '編號', dataIndex: 'id', render: (id: number) => <Link to={`/claims/${id}`}>報帳 {id}</Link> },
          { title: '項目', dataIndex: 'projectId', render: (id: number) => <ProjectLink id={id} /> },
          { title: '金額', dataIndex: 'amount', ...moneyColumn },
          { title: '狀態', dataIndex: 'state', render: (s: ClaimState) => CLAIM_STATE_LABELS[s] },
          { title: '申請日期', dataIndex: 'applicationDate' },
          { title: '下一步', dataIndex: 'next', render: (n: Claim['next']) => (n ? NEXT_LABELS[n] : '—') },
        ]}
      />
    </>
  );
}
