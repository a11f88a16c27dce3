import { Card, Descriptions, Space, Spin, Table, Tag, Typography } from 'antd';
import { Link, useParams } from 'react-router';
import { api, call, type Schema } from '../../api/client';
import { ErrorNote } from '../../components/ErrorNote';
import { Money, moneyColumn } from '../../components/Money';
import { formatDate } from '../../format';
import { CATEGORY_LABELS, LEVEL_LABELS, accountPath } from './labels';
import { useLoad } from '../../components/useLoad';

type ProjectRow = Schema<'AllocationProjectRow'>;

/** One allocation document: its figures from the ledger and the projects funded from it. */
export default function FundDetail() {
  const id = Number(useParams().id);
  const allocation = useLoad(() => call(api.GET('/api/v1/fund-allocations/{id}', { params: { path: { id } } })), id);
  const report = useLoad(() => call(api.GET('/api/v1/reports/allocations/{id}', { params: { path: { id } } })), id);
  const a = allocation.data;
  const r = report.data;

  return (
    <>
      <Typography.Title level={2}>資金文件 {a?.documentNumber}</Typography.Title>
      <Space style={{ marginBottom: 12 }}>
        <Link to="/funds">返回資金一本帳</Link>
      </Space>
      <ErrorNote error={allocation.error} />
      {allocation.loading && !a && <Spin />}
      {a && (
        <Card style={{ marginBottom: 16 }}>
          <Descriptions column={{ xs: 1, md: 2, lg: 3 }} size="small">
            <Descriptions.Item label="文號">{a.documentNumber}</Descriptions.Item>
            <Descriptions.Item label="級次">{LEVEL_LABELS[a.issuingLevel]}</Descriptions.Item>
            <Descriptions.Item label="資金類型">{a.fundType}</Descriptions.Item>
            <Descriptions.Item label="年度">{a.fiscalYear}</Descriptions.Item>
            <Descriptions.Item label="金額">
              <Money value={a.amount} />
            </Descriptions.Item>
            <Descriptions.Item label="到帳日期">{formatDate(a.receivedOn)}</Descriptions.Item>
            <Descriptions.Item label="專戶">
              <Link to="/dedicated-accounts">#{a.dedicatedAccountId}</Link>
            </Descriptions.Item>
            <Descriptions.Item label="資金帳戶">
              <Link to={accountPath(`fund:A${a.id}`)}>fund:A{a.id}</Link>
            </Descriptions.Item>
            <Descriptions.Item label="到帳交易">
              <Link to={`/ledger/transactions/${a.receiptTransactionId}`}>查看交易</Link>
            </Descriptions.Item>
            <Descriptions.Item label="允許用途">
              <Space size={[0, 4]} wrap>
                {a.permittedCategories.map((c) => (
                  <Tag key={c}>{CATEGORY_LABELS[c]}</Tag>
                ))}
              </Space>
            </Descriptions.Item>
          </Descriptions>
        </Card>
      )}
      <ErrorNote error={report.error} />
      {r && (
        <>
          <Card title="資金使用" style={{ marginBottom: 16 }}>
            <Descriptions column={{ xs: 1, md: 2, lg: 3 }} size="small">
              <Descriptions.Item label="到帳">
                <Money value={r.received} />
              </Descriptions.Item>
              <Descriptions.Item label="已分配到項目">
                <Money value={r.allocated} />
              </Descriptions.Item>
              <Descriptions.Item label="合同已承諾">
                <Money value={r.committed} />
              </Descriptions.Item>
              <Descriptions.Item label="已支出">
                <Money value={r.spent} />
              </Descriptions.Item>
              <Descriptions.Item label="可用">
                <Money value={r.available} />
              </Descriptions.Item>
              {a && (
                <Descriptions.Item label="未分配">
                  <Money value={a.unallocated} />
                </Descriptions.Item>
              )}
            </Descriptions>
          </Card>
          <Card title="資助的項目">
            <Table<ProjectRow>
              aria-label="資助的項目"
              rowKey="projectId"
              size="small"
              pagination={false}
              scroll={{ x: 'max-content' }}
              dataSource={r.projects}
              columns={[
                { title: '項目', dataIndex: 'name', render: (name: string, p) => <Link to={`/projects/${p.projectId}`}>{name}</Link> },
                { title: '分配金額', dataIndex: 'allocated', ...moneyColumn },
              ]}
            />
          </Card>
        </>
      )}
    </>
  );
}
