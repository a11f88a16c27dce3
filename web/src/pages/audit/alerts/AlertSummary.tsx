import { Card, Table, Typography } from 'antd';
import { useEffect, useState } from 'react';
import { api, call, type Schema } from '../../../api/client';
import { ErrorNote } from '../../../components/ErrorNote';
import { SEVERITY, type Severity } from './labels';

type Summary = Schema<'SummaryView'>;
type Row = Schema<'SummaryRowView'>;

const SEVERITIES: Severity[] = ['red', 'yellow', 'blue'];

/** Alerts not closed, severity × township, with the county's totals in the title. */
export function AlertSummary() {
  const [summary, setSummary] = useState<Summary | null>(null);
  const [error, setError] = useState<unknown>(null);

  useEffect(() => {
    let live = true;
    call(api.GET('/api/v1/monitoring/summary'))
      .then((s) => live && setSummary(s))
      .catch((e: unknown) => live && setError(e));
    return () => {
      live = false;
    };
  }, []);

  return (
    <Card
      size="small"
      style={{ marginBottom: 16 }}
      title={
        <span>
          未關閉的預警
          {summary && (
            <Typography.Text type="secondary" style={{ marginInlineStart: 8, fontWeight: 'normal' }}>
              紅 {summary.red} · 黃 {summary.yellow} · 藍 {summary.blue}
            </Typography.Text>
          )}
        </span>
      }
    >
      <ErrorNote error={error} />
      <Table<Row>
        aria-label="預警匯總"
        loading={!summary && !error}
        rowKey={(r) => String(r.townshipId ?? 'county')}
        dataSource={summary?.byTownship ?? []}
        pagination={false}
        size="small"
        scroll={{ x: 'max-content' }}
        columns={[
          { title: '鄉鎮', dataIndex: 'townshipName' },
          ...SEVERITIES.map((s) => ({ title: SEVERITY[s].label, dataIndex: s, align: 'right' as const })),
        ]}
      />
    </Card>
  );
}
