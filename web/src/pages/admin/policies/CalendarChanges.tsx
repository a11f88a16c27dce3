import { Tag, type TableColumnsType } from 'antd';
import { useState } from 'react';
import { api, call, type Schema } from '../../../api/client';
import { hasRole, useMe } from '../../../auth';
import { PagedTable } from '../../../components/PagedTable';
import { formatDateTime } from '../../../format';
import { nullableNumber, nullableText } from '../../audit/nullable';
import { CalendarDecision } from './CalendarDecision';
import { ProposeCalendarChange } from './ProposeCalendarChange';

type Change = Schema<'CalendarChangeView'>;

const STATE: Record<Change['state'], { label: string; color: string }> = {
  proposed: { label: '待審批', color: 'gold' },
  approved: { label: '已批准', color: 'green' },
  rejected: { label: '已駁回', color: 'default' },
};

/** The county calendar's day changes, paged by id; admins propose, and another admin approves or rejects. */
export function CalendarChanges() {
  const me = useMe();
  const admin = hasRole(me, 'admin');
  const [version, setVersion] = useState(0);
  const reload = () => setVersion((v) => v + 1);
  const who = (id: number | null) => (id === null ? '' : id === me.id ? '本人' : `用戶 #${id}`);

  const columns: TableColumnsType<Change> = [
    { title: '日期', dataIndex: 'day' },
    {
      title: '變更',
      key: 'what',
      render: (_, c) => (c.action === 'remove' ? '恢復默認' : `${c.kind === 'workday' ? '調休上班' : '放假'}：${nullableText(c.name) ?? ''}`),
    },
    { title: '依據', dataIndex: 'reason' },
    { title: '狀態', dataIndex: 'state', render: (s: Change['state']) => <Tag color={STATE[s].color}>{STATE[s].label}</Tag> },
    { title: '提出', key: 'proposed', render: (_, c) => `${who(c.proposedBy)} ${formatDateTime(c.proposedAt)}` },
    {
      title: '審批',
      key: 'decided',
      render: (_, c) =>
        [who(nullableNumber(c.decidedBy)), formatDateTime(nullableText(c.decidedAt)), nullableText(c.rejectionReason)].filter(Boolean).join(' '),
    },
    ...(admin
      ? [{ title: '操作', key: 'decide', render: (_: unknown, c: Change) => (c.state === 'proposed' ? <CalendarDecision change={c} onDone={reload} /> : null) }]
      : []),
  ];

  return (
    <>
      {admin && <ProposeCalendarChange onDone={reload} />}
      <PagedTable<Change>
        aria-label="日曆變更"
        rowKey="id"
        columns={columns}
        query={version}
        fetchPage={(afterId, limit) => call(api.GET('/api/v1/calendar/changes', { params: { query: { limit, afterId } } }))}
        cursorOf={(c) => c.id}
      />
    </>
  );
}
