import { Select, Space, Table, Typography } from 'antd';
import { useState } from 'react';
import { api, call, type Schema } from '../../api/client';
import { ErrorNote } from '../../components/ErrorNote';
import { Money, moneyColumn } from '../../components/Money';
import { sumMoney } from '../../format';
import { useLoad } from '../../components/useLoad';

type Row = Schema<'CountyReportRow'>;

const thisYear = new Date().getFullYear();
const YEARS = Array.from({ length: 6 }, (_, i) => thisYear - i);

/** Funds by source for a fiscal year: received, allocated to projects, still available. */
export function CountyFunds() {
  const [year, setYear] = useState<number | 'all'>(thisYear);
  const report = useLoad(() => call(api.GET('/api/v1/reports/county', { params: { query: { year: year === 'all' ? undefined : year } } })), year);
  const rows = report.data ?? [];
  return (
    <section aria-label="按資金來源">
      <Space wrap style={{ marginBottom: 12 }}>
        <Typography.Title level={3} style={{ fontSize: 18, margin: 0 }}>
          按資金來源
        </Typography.Title>
        <label htmlFor="funds-year">年度</label>
        <Select
          id="funds-year"
          value={year}
          onChange={setYear}
          style={{ width: 120 }}
          options={[...YEARS.map((y) => ({ value: y, label: `${y} 年` })), { value: 'all' as const, label: '全部年度' }]}
        />
      </Space>
      <ErrorNote error={report.error} />
      <Table<Row>
        aria-label="按資金來源匯總"
        rowKey={(r) => `${r.fiscalYear}:${r.fundType}`}
        size="small"
        loading={report.loading}
        pagination={false}
        scroll={{ x: 'max-content' }}
        dataSource={rows}
        columns={[
          { title: '年度', dataIndex: 'fiscalYear' },
          { title: '資金類型', dataIndex: 'fundType' },
          { title: '文件數', dataIndex: 'allocations', align: 'right' },
          { title: '到帳', dataIndex: 'received', ...moneyColumn },
          { title: '已分配到項目', dataIndex: 'allocated', ...moneyColumn },
          { title: '可用', dataIndex: 'available', ...moneyColumn },
        ]}
        summary={() =>
          rows.length > 1 && (
            <Table.Summary.Row>
              <Table.Summary.Cell index={0} colSpan={3}>
                <Typography.Text strong>合計</Typography.Text>
              </Table.Summary.Cell>
              {(['received', 'allocated', 'available'] as const).map((k, i) => (
                <Table.Summary.Cell key={k} index={3 + i} align="right">
                  <Money value={sumMoney(rows.map((r) => r[k]))} />
                </Table.Summary.Cell>
              ))}
            </Table.Summary.Row>
          )
        }
      />
    </section>
  );
}
