import { Col, Form, Row, Select, Table, Tag, Typography, type TableColumnsType } from 'antd';
import { useEffect, useState } from 'react';
import { Link } from 'react-router';
import { api, call, type Schema } from '../../../api/client';
import { ErrorNote } from '../../../components/ErrorNote';
import { formatDate } from '../../../format';
import { nullableText } from '../nullable';
import { KIND_LABELS, STANDING, STATE_LABELS } from './labels';

type Notice = Schema<'NoticeView'>;

interface Filters {
  state?: Notice['state'];
  kind?: Notice['kind'];
}

const columns: TableColumnsType<Notice> = [
  { title: '編號', dataIndex: 'code', render: (code: string, n) => <Link to={`/notices/${n.id}`}>{code}</Link> },
  { title: '類別', dataIndex: 'kind', render: (k: Notice['kind']) => KIND_LABELS[k] },
  { title: '標題', dataIndex: 'title' },
  { title: '狀態', dataIndex: 'state', render: (s: Notice['state']) => STATE_LABELS[s] },
  { title: '公示情況', dataIndex: 'standing', render: (s: Notice['standing']) => <Tag color={STANDING[s].color}>{STANDING[s].label}</Tag> },
  {
    title: '公示期',
    key: 'period',
    render: (_, n) => (n.startsOn ? `${formatDate(nullableText(n.startsOn))} 至 ${formatDate(nullableText(n.endsOn))}` : ''),
  },
  { title: '異議', key: 'objections', align: 'right', render: (_, n) => n.objections.length },
];

/**
 * 公示: the county's notices. The API answers every notice in the caller's scope at once (no pages: a county publishes
 * a few dozen a year), so the list is shown whole, filtered on the server by state and kind.
 */
export default function Notices() {
  const [filters, setFilters] = useState<Filters>({});
  const [rows, setRows] = useState<Notice[] | null>(null);
  const [error, setError] = useState<unknown>(null);

  useEffect(() => {
    let live = true;
    setRows(null);
    setError(null);
    call(api.GET('/api/v1/notices', { params: { query: filters } }))
      .then((n) => live && setRows(n))
      .catch((e: unknown) => live && setError(e));
    return () => {
      live = false;
    };
  }, [filters]);

  return (
    <>
      <Typography.Title level={2}>公示</Typography.Title>
      <Form layout="vertical" onValuesChange={(_, all: Filters) => setFilters(all)}>
        <Row gutter={16}>
          <Col xs={24} sm={12} md={8}>
            <Form.Item label="狀態" name="state">
              <Select allowClear placeholder="全部" options={Object.entries(STATE_LABELS).map(([value, label]) => ({ value, label }))} />
            </Form.Item>
          </Col>
          <Col xs={24} sm={12} md={8}>
            <Form.Item label="類別" name="kind">
              <Select allowClear placeholder="全部" options={Object.entries(KIND_LABELS).map(([value, label]) => ({ value, label }))} />
            </Form.Item>
          </Col>
        </Row>
      </Form>
      <ErrorNote error={error} />
      <Table<Notice>
        aria-label="公示"
        rowKey="id"
        columns={columns}
        dataSource={rows ?? []}
        loading={rows === null && !error}
        pagination={false}
        scroll={{ x: 'max-content' }}
        size="middle"
      />
    </>
  );
}
