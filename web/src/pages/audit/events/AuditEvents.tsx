import { Space, Tag, Typography, type TableColumnsType } from 'antd';
import { api, call, type Schema } from '../../../api/client';
import { PagedTable } from '../../../components/PagedTable';
import { formatDateTime } from '../../../format';
import { CheckpointCard } from './CheckpointCard';
import { InclusionCheck } from './InclusionCheck';
import type { Checkpoint } from './note';
import { useCheckpoint } from './useCheckpoint';

type Event = Schema<'EventView'>;

/** The body is canonical JSON (one line); shown indented for reading, the hashed text stays as the API gave it. */
function pretty(body: string): string {
  try {
    return JSON.stringify(JSON.parse(body), null, 2);
  } catch {
    return body;
  }
}

function EventBody({ event, checkpoint }: { event: Event; checkpoint: Checkpoint | null }) {
  return (
    <Space orientation="vertical" style={{ width: '100%' }}>
      <Typography.Text type="secondary" style={{ wordBreak: 'break-all' }}>
        哈希 {event.hash}
      </Typography.Text>
      <Typography.Text type="secondary" style={{ wordBreak: 'break-all' }}>
        前一事件哈希 {event.prevHash}
      </Typography.Text>
      <pre aria-label={`事件 ${event.seq} 內容`} style={{ whiteSpace: 'pre-wrap', wordBreak: 'break-all', background: '#fafafa', padding: 8, margin: 0 }}>
        {pretty(event.body)}
      </pre>
      {checkpoint && BigInt(event.seq) <= checkpoint.size ? (
        <InclusionCheck event={event} checkpoint={checkpoint} />
      ) : (
        <Typography.Text type="secondary">此事件尚未收錄在簽名檢查點下，下次簽名後可驗證收錄證明。</Typography.Text>
      )}
    </Space>
  );
}

/** 審計日誌: the county's sealed events in seq order, each checkable against the latest signed checkpoint. */
export default function AuditEvents() {
  const { state, error } = useCheckpoint();
  const checkpoint = state?.checkpoint ?? null;

  const columns: TableColumnsType<Event> = [
    { title: '序號', dataIndex: 'seq' },
    { title: '類型', dataIndex: 'type' },
    { title: '操作人', dataIndex: 'actor' },
    { title: '記錄時間', dataIndex: 'recordedAt', render: (v: string) => formatDateTime(v) },
    { title: '哈希', dataIndex: 'hash', render: (v: string) => <Typography.Text code>{v.slice(0, 12)}</Typography.Text> },
    {
      title: '簽名狀態',
      key: 'signed',
      render: (_, e) => (checkpoint && BigInt(e.seq) <= checkpoint.size ? <Tag color="green">已簽名</Tag> : <Tag>待簽名</Tag>),
    },
  ];

  return (
    <>
      <Typography.Title level={2}>審計日誌</Typography.Title>
      <CheckpointCard state={state} error={error} />
      <PagedTable<Event, string>
        aria-label="審計事件"
        rowKey="seq"
        columns={columns}
        expandable={{ expandedRowRender: (e) => <EventBody event={e} checkpoint={checkpoint} /> }}
        fetchPage={async (afterSeq, limit) => (await call(api.GET('/api/v1/audit/events', { params: { query: { limit, afterSeq } } }))).items}
        cursorOf={(e) => e.seq}
      />
    </>
  );
}
