import { Button, Card, Descriptions, Space, Table, Tag, Typography } from 'antd';
import { useCallback, useEffect, useState } from 'react';
import { Link, useParams } from 'react-router';
import { api, call, fetchFile, saveBlob, type Schema } from '../../../api/client';
import { ErrorNote } from '../../../components/ErrorNote';
import { useAction } from '../../../components/useAction';
import { formatDate, formatDateTime } from '../../../format';
import { AlertActions } from './AlertActions';
import { ACTION_LABELS, STATE_LABELS, SeverityTag } from './labels';

type Detail = Schema<'AlertDetailView'>;
type FileRow = Schema<'AlertEvidenceView'>;
type HistoryRow = Schema<'AlertHistoryView'>;

function FileDownload({ file }: { file: FileRow }) {
  const action = useAction();
  const download = async () => {
    const got = await action.run(() => fetchFile(`/api/v1/monitoring/alerts/${file.alertId}/files/${file.id}`));
    if (got) saveBlob(got.blob, got.filename || file.filename);
  };
  return (
    <Space orientation="vertical">
      <Button onClick={() => void download()} loading={action.busy} aria-label={`下載 ${file.filename}`}>
        下載
      </Button>
      <ErrorNote error={action.error} onClose={action.clear} />
    </Space>
  );
}

/** One alert: what was found and on what evidence, the files and history, and the steps the user may take. */
export default function AlertDetail() {
  const id = Number(useParams().id);
  const [alert, setAlert] = useState<Detail | null>(null);
  const [error, setError] = useState<unknown>(null);

  const load = useCallback(async () => {
    try {
      setAlert(await call(api.GET('/api/v1/monitoring/alerts/{id}', { params: { path: { id } } })));
      setError(null);
    } catch (e) {
      setError(e);
    }
  }, [id]);
  useEffect(() => {
    void load();
  }, [load]);

  return (
    <>
      <Typography.Title level={2}>預警 {id}</Typography.Title>
      <Link to="/alerts">返回預警列表</Link>
      <ErrorNote error={error} />
      {alert && (
        <>
          <Card style={{ margin: '16px 0' }}>
            <Descriptions column={{ xs: 1, md: 2, lg: 3 }} size="small">
              <Descriptions.Item label="等級">
                <SeverityTag severity={alert.severity} />
              </Descriptions.Item>
              <Descriptions.Item label="狀態">
                <Tag>{STATE_LABELS[alert.state]}</Tag>
                {alert.closedAutomatically && '（情況消除，自動關閉）'}
              </Descriptions.Item>
              <Descriptions.Item label="監控規則">
                {alert.detectorId} {alert.detectorName}
              </Descriptions.Item>
              <Descriptions.Item label="責任單位">{alert.unitName}</Descriptions.Item>
              <Descriptions.Item label="對象">
                {alert.subjectType} {alert.subjectId}
              </Descriptions.Item>
              <Descriptions.Item label="發現">
                {formatDate(alert.firstSeenOn)} 至 {formatDate(alert.lastSeenOn)}
              </Descriptions.Item>
              <Descriptions.Item label="摘要" span={{ xs: 1, md: 2, lg: 3 }}>
                {alert.summary}
              </Descriptions.Item>
              {alert.explanation && (
                <Descriptions.Item label="說明" span={{ xs: 1, md: 2, lg: 3 }}>
                  {alert.explanation}
                </Descriptions.Item>
              )}
              {alert.closeReason && (
                <Descriptions.Item label="關閉原因" span={{ xs: 1, md: 2, lg: 3 }}>
                  {alert.closeReason}
                </Descriptions.Item>
              )}
            </Descriptions>
          </Card>
          <AlertActions id={id} closed={alert.state === 'closed'} onDone={() => void load()} />
          <Card title="證據" size="small" style={{ marginBottom: 16 }}>
            <pre aria-label="證據" style={{ whiteSpace: 'pre-wrap', wordBreak: 'break-all', margin: 0 }}>
              {JSON.stringify(alert.evidence, null, 2)}
            </pre>
          </Card>
          <Card title="材料" size="small" style={{ marginBottom: 16 }}>
            <Table<FileRow>
              aria-label="材料"
              rowKey="id"
              dataSource={alert.files}
              pagination={false}
              size="small"
              scroll={{ x: 'max-content' }}
              locale={{ emptyText: '暫無材料' }}
              columns={[
                { title: '文件名', dataIndex: 'filename' },
                { title: '上傳人', dataIndex: 'uploadedBy' },
                { title: '上傳時間', dataIndex: 'createdAt', render: formatDateTime },
                { title: 'SHA-256', dataIndex: 'sha256', render: (v: string) => <Typography.Text code>{v.slice(0, 12)}</Typography.Text> },
                { title: '操作', key: 'download', render: (_, f) => <FileDownload file={f} /> },
              ]}
            />
          </Card>
          <Card title="處理記錄" size="small">
            <Table<HistoryRow>
              aria-label="處理記錄"
              rowKey={(h) => `${h.at}-${h.action}`}
              dataSource={alert.history}
              pagination={false}
              size="small"
              scroll={{ x: 'max-content' }}
              columns={[
                { title: '時間', dataIndex: 'at', render: formatDateTime },
                { title: '操作', dataIndex: 'action', render: (a: string) => ACTION_LABELS[a] ?? a },
                { title: '狀態', dataIndex: 'state', render: (s: string) => STATE_LABELS[s as keyof typeof STATE_LABELS] ?? s },
                { title: '等級', dataIndex: 'severity', render: (s: string) => <SeverityTag severity={s} /> },
                { title: '操作人', dataIndex: 'actor', render: (a: string | null, h) => a ?? `監控運行 ${h.runId ?? ''}` },
                { title: '備註', dataIndex: 'note' },
              ]}
            />
          </Card>
        </>
      )}
    </>
  );
}
