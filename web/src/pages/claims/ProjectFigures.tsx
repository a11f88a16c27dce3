import { Card, Col, Row, Statistic, Table } from 'antd';
import { api, call, type Schema } from '../../api/client';
import { ErrorNote } from '../../components/ErrorNote';
import { Money, moneyColumn } from '../../components/Money';
import { useLoad } from '../../components/useLoad';

/** A project's figures from the books: budget, committed, paid, retention held, what is left, and where it came from. */
export function ProjectFigures({ projectId }: { projectId: number }) {
  const report = useLoad((signal) => call(api.GET('/api/v1/reports/projects/{id}', { params: { path: { id: projectId } }, signal })), projectId);
  const r = report.data;
  const figures: [string, string | undefined][] = [
    ['預算', r?.budget],
    ['已承諾（合同）', r?.committed],
    ['已支付', r?.spent],
    ['質保金餘額', r?.retentionHeld],
    ['可用', r?.available],
  ];
  return (
    <Card title="資金情況" loading={report.loading && !r} style={{ marginBottom: 16 }}>
      <ErrorNote error={report.error} />
      <Row gutter={[16, 16]}>
        {figures.map(([title, value]) => (
          <Col key={title} xs={12} md={8} lg={4}>
            <Statistic title={title} valueRender={() => <Money value={value} />} />
          </Col>
        ))}
      </Row>
      {r && r.sources.length > 0 && (
        <Table<Schema<'ProjectSourceRow'>>
          aria-label="資金來源"
          style={{ marginTop: 16 }}
          size="small"
          rowKey="allocationId"
          pagination={false}
          scroll={{ x: 'max-content' }}
          dataSource={r.sources}
          columns={[
            { title: '資金文號', dataIndex: 'documentNumber' },
            { title: '資金類型', dataIndex: 'fundType' },
            { title: '安排金額', dataIndex: 'allocated', ...moneyColumn },
          ]}
        />
      )}
    </Card>
  );
}
