import { Col, Form, Row, Select, Tag, Typography, type TableColumnsType } from 'antd';
import { useEffect, useState } from 'react';
import { Link } from 'react-router';
import { api, call, type Schema } from '../../../api/client';
import { PagedTable } from '../../../components/PagedTable';
import { formatDate } from '../../../format';
import { AlertSummary } from './AlertSummary';
import { SEVERITY, STATE_LABELS, SeverityTag, type AlertState, type Severity } from './labels';

type Alert = Schema<'AlertView'>;
type Detector = Schema<'DetectorView'>;

interface Filters {
  severity?: Severity;
  state?: AlertState;
  detector?: string;
}

/** The detectors for the filter: a short fixed list (M01–M18), answered whole. */
function useDetectors(): Detector[] {
  const [detectors, setDetectors] = useState<Detector[]>([]);
  useEffect(() => {
    let live = true;
    call(api.GET('/api/v1/monitoring/detectors'))
      .then((d) => live && setDetectors(d))
      .catch(() => live && setDetectors([]));
    return () => {
      live = false;
    };
  }, []);
  return detectors;
}

const columns: TableColumnsType<Alert> = [
  { title: '編號', dataIndex: 'id' },
  { title: '等級', dataIndex: 'severity', render: (s: string) => <SeverityTag severity={s} /> },
  { title: '摘要', dataIndex: 'summary', render: (text: string, a) => <Link to={`/alerts/${a.id}`}>{text.length > 60 ? `${text.slice(0, 60)}…` : text}</Link> },
  { title: '監控規則', key: 'detector', render: (_, a) => `${a.detectorId} ${a.detectorName}` },
  { title: '責任單位', dataIndex: 'unitName' },
  { title: '狀態', dataIndex: 'state', render: (s: AlertState) => <Tag>{STATE_LABELS[s]}</Tag> },
  { title: '首次發現', dataIndex: 'firstSeenOn', render: formatDate },
  { title: '最近發現', dataIndex: 'lastSeenOn', render: formatDate },
];

/** 預警: what the monitoring detectors found, filtered by severity, state and detector, paged by id on the server. */
export default function Alerts() {
  const [filters, setFilters] = useState<Filters>({});
  const detectors = useDetectors();

  return (
    <>
      <Typography.Title level={2}>預警</Typography.Title>
      <AlertSummary />
      <Form layout="vertical" onValuesChange={(_, all: Filters) => setFilters(all)}>
        <Row gutter={16}>
          <Col xs={24} sm={8}>
            <Form.Item label="等級" name="severity">
              <Select allowClear placeholder="全部" options={(Object.keys(SEVERITY) as Severity[]).map((s) => ({ value: s, label: SEVERITY[s].label }))} />
            </Form.Item>
          </Col>
          <Col xs={24} sm={8}>
            <Form.Item label="狀態" name="state">
              <Select allowClear placeholder="全部" options={(Object.keys(STATE_LABELS) as AlertState[]).map((s) => ({ value: s, label: STATE_LABELS[s] }))} />
            </Form.Item>
          </Col>
          <Col xs={24} sm={8}>
            <Form.Item label="監控規則" name="detector">
              <Select
                allowClear
                showSearch={{ optionFilterProp: 'label' }}
                placeholder="全部"
                options={detectors.map((d) => ({ value: d.id, label: `${d.id} ${d.nameZh}` }))}
              />
            </Form.Item>
          </Col>
        </Row>
      </Form>
      <PagedTable<Alert>
        aria-label="預警"
        rowKey="id"
        columns={columns}
        query={filters}
        fetchPage={(afterId, limit) => call(api.GET('/api/v1/monitoring/alerts', { params: { query: { limit, afterId, ...filters } } }))}
        cursorOf={(a) => a.id}
      />
    </>
  );
}
