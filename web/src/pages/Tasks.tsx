import { Badge, Card, Col, Empty, List, Row, Space, Spin, Typography } from 'antd';
import { useEffect, useState } from 'react';
import { Link } from 'react-router';
import { api, call, type Schema } from '../api/client';
import { ErrorNote } from '../components/ErrorNote';
import { Money } from '../components/Money';
import { formatDate } from '../format';

type Group = Schema<'TaskGroupView'>;
type Task = Schema<'TaskView'>;
type Kind = Group['kind'];

/** What each kind of task is called, where one opens, and where the whole list of that kind is. */
const KINDS: Record<Kind, { label: string; open: (t: Task) => string; all: string }> = {
  voucher_approval: { label: '待審批憑證', open: (t) => `/vouchers/${t.id}`, all: '/vouchers' },
  claim_township_review: { label: '待鄉鎮審核的報帳', open: (t) => `/claims/${t.id}`, all: '/claims' },
  claim_line_review: { label: '待部門督查的報帳', open: (t) => `/claims/${t.id}`, all: '/claims' },
  claim_approval: { label: '待審批的報帳', open: (t) => `/claims/${t.id}`, all: '/claims' },
  claim_leader_sign: { label: '待領導簽批的報帳', open: (t) => `/claims/${t.id}`, all: '/signoffs' },
  claim_payment: { label: '待支付的報帳', open: (t) => `/claims/${t.id}`, all: '/claims' },
  claim_rework: { label: '待修改或提交的報帳', open: (t) => `/claims/${t.id}`, all: '/claims' },
  budget_line_signature: { label: '待簽批的資金分配', open: (t) => `/projects/${t.parentId ?? ''}`, all: '/signoffs' },
  retention_approval: { label: '待審批的質量保證金', open: (t) => `/contracts/${t.parentId ?? ''}?movement=${t.id}`, all: '/funds' },
  policy_approval: { label: '待審批的政策參數', open: () => '/admin/policies', all: '/admin/policies' },
  calendar_approval: { label: '待審批的工作日曆', open: () => '/admin/policies', all: '/admin/policies' },
  notice_approval: { label: '待審批的公示', open: (t) => `/notices/${t.id}`, all: '/notices' },
  alert: { label: '未處理的預警', open: (t) => `/alerts/${t.id}`, all: '/alerts' },
};

/** The home page: what waits for the signed-in person, by kind, the longest waiting first. */
export default function Tasks() {
  const [groups, setGroups] = useState<Group[] | null>(null);
  const [error, setError] = useState<unknown>(null);
  useEffect(() => {
    call(api.GET('/api/v1/tasks')).then((v) => setGroups(v.groups), setError);
  }, []);

  return (
    <>
      <Typography.Title level={2}>我的待辦</Typography.Title>
      <ErrorNote error={error} />
      {!groups && !error && <Spin />}
      {groups && groups.length === 0 && <Empty description="您的角色沒有需要審批或處理的事項；查閱與導出請用左側菜單。" />}
      {groups && (
        <Row gutter={[16, 16]}>
          {groups.map((g) => (
            <Col key={g.kind} xs={24} lg={12}>
              <TaskGroup group={g} />
            </Col>
          ))}
        </Row>
      )}
    </>
  );
}

function TaskGroup({ group }: { group: Group }) {
  const kind = KINDS[group.kind];
  const more = group.count - group.items.length;
  return (
    <Card
      size="small"
      title={
        <Space>
          <span>{kind.label}</span>
          <Badge count={group.count} showZero color={group.count > 0 ? '#b71c1c' : '#595959'} aria-label={`${group.count} 項`} />
        </Space>
      }
      extra={<Link to={kind.all}>全部</Link>}
    >
      <List
        size="small"
        dataSource={group.items}
        locale={{ emptyText: '沒有待辦' }}
        renderItem={(t) => (
          <List.Item>
            <List.Item.Meta
              title={<Link to={kind.open(t)}>{t.title}</Link>}
              description={[t.detail, `自 ${formatDate(t.since)}`].filter(Boolean).join(' · ')}
            />
            {t.amount && <Money value={t.amount} />}
          </List.Item>
        )}
        footer={more > 0 ? <Link to={kind.all}>還有 {more} 項</Link> : undefined}
      />
    </Card>
  );
}
