import { Card, Typography } from 'antd';
import { Link } from 'react-router';
import { api, call } from '../../api/client';
import { moneyColumn } from '../../components/Money';
import { PagedTable } from '../../components/PagedTable';
import { formatDateTime } from '../../format';
import { ProjectLink } from './names';
import { asClaim, asClaimDetail, type Claim } from './types';
import { useLoad } from '../../components/useLoad';

/** Line-reviewed claims read per request while looking for the ones left to a leader (the API filters by state only). */
const SCAN = 100;

/**
 * One page of claims waiting for a leader's signature: line-reviewed claims whose next step is the leader's, read
 * from the server after `afterId` until a page is full or the list ends.
 */
async function awaitingLeader(afterId: number | undefined, limit: number): Promise<Claim[]> {
  const found: Claim[] = [];
  let after = afterId ?? 0;
  for (;;) {
    const page = (await call(api.GET('/api/v1/claims', { params: { query: { state: 'line_reviewed', afterId: after, limit: SCAN } } }))).map(asClaim);
    for (const claim of page) {
      if (claim.next === 'leader_sign') found.push(claim);
      if (found.length === limit) return found;
    }
    if (page.length < SCAN) return found;
    after = page[page.length - 1].id;
  }
}

/** The county leader's signatures to give: claims county finance approved above the threshold. */
export default function Signoffs() {
  return (
    <>
      <Typography.Title level={2}>待簽批</Typography.Title>
      <Card title="待簽批的報帳" style={{ marginBottom: 16 }}>
        <PagedTable<Claim>
          aria-label="待簽批的報帳"
          rowKey="id"
          cursorOf={(c) => c.id}
          fetchPage={awaitingLeader}
          columns={[
            { title: '報帳', dataIndex: 'id', render: (id: number) => <Link to={`/claims/${id}`}>報帳 {id}</Link> },
            { title: '項目', dataIndex: 'projectId', render: (id: number) => <ProjectLink id={id} /> },
            { title: '金額', dataIndex: 'amount', ...moneyColumn },
            { title: '申請日期', dataIndex: 'applicationDate' },
            { title: '審批經過', key: 'approvals', render: (_, c) => <ApprovedBy id={c.id} /> },
          ]}
        />
      </Card>
      <Card title="待簽批的預算指標">
        <Typography.Paragraph>
          預算指標在各項目頁面的「預算指標」中簽批：<Link to="/projects">打開項目列表</Link>。
        </Typography.Paragraph>
      </Card>
    </>
  );
}

/** Who reviewed and approved the claim's current version before the leader (from its history). */
function ApprovedBy({ id }: { id: number }) {
  const detail = useLoad(async (signal) => asClaimDetail(await call(api.GET('/api/v1/claims/{id}', { params: { path: { id } }, signal }))), id);
  const c = detail.data;
  if (detail.error) return <Typography.Text type="danger">無法讀取</Typography.Text>;
  if (!c) return null;
  const labels: Record<string, string> = { township_review: '鄉鎮審核', line_review: '部門督查', approve: '縣財政審批' };
  return (
    <>
      {c.history
        .filter((h) => h.version === c.version && h.step in labels)
        .map((h) => (
          <div key={h.step}>
            {labels[h.step]}：{h.actor}（{formatDateTime(h.at)}）
          </div>
        ))}
    </>
  );
}
