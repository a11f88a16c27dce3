import { Button, Card, Descriptions, Space, Table, Tag, Typography } from 'antd';
import { useEffect, useState } from 'react';
import { Link, useParams } from 'react-router';
import { api, call, fetchFile, saveBlob, type Schema } from '../../../api/client';
import { ErrorNote } from '../../../components/ErrorNote';
import { useAction } from '../../../components/useAction';
import { formatDate } from '../../../format';
import { nullableText } from '../nullable';
import { CHANNEL_LABELS, KIND_LABELS, OBJECTION_STATE, OUTCOME_LABELS, STANDING, STATE_LABELS, publicPath } from './labels';

type Notice = Schema<'NoticeView'>;
type Objection = Schema<'ObjectionView'>;

function PdfButton({ notice }: { notice: Notice }) {
  const action = useAction();
  const download = async () => {
    const file = await action.run(() => fetchFile(`/api/v1/notices/${notice.id}/pdf`));
    if (file) saveBlob(file.blob, file.filename);
  };
  return (
    <Space orientation="vertical">
      <Button onClick={() => void download()} loading={action.busy}>
        下載公示 PDF
      </Button>
      <ErrorNote error={action.error} onClose={action.clear} />
    </Space>
  );
}

const objectionColumns = [
  { title: '收到日期', dataIndex: 'receivedOn', render: formatDate },
  { title: '渠道', dataIndex: 'channel', render: (c: Objection['channel']) => CHANNEL_LABELS[c] },
  { title: '反映人', key: 'name', render: (_: unknown, o: Objection) => nullableText(o.name) ?? '匿名' },
  { title: '內容', dataIndex: 'content' },
  { title: '處理', dataIndex: 'state', render: (s: Objection['state'], o: Objection) => `${OBJECTION_STATE[s]}${o.late ? '（逾期收到）' : ''}` },
  { title: '結論', key: 'outcome', render: (_: unknown, o: Objection) => (o.outcome ? OUTCOME_LABELS[o.outcome] : '') },
  { title: '核查意見', key: 'finding', render: (_: unknown, o: Objection) => nullableText(o.finding) ?? '' },
];

/** One notice: what was published and when, its objections, its public page and its PDF. */
export default function NoticeDetail() {
  const id = Number(useParams().id);
  const [notice, setNotice] = useState<Notice | null>(null);
  const [error, setError] = useState<unknown>(null);

  useEffect(() => {
    let live = true;
    call(api.GET('/api/v1/notices/{id}', { params: { path: { id } } }))
      .then((n) => live && setNotice(n))
      .catch((e: unknown) => live && setError(e));
    return () => {
      live = false;
    };
  }, [id]);

  const startsOn = nullableText(notice?.startsOn);
  return (
    <>
      <Typography.Title level={2}>{notice ? notice.title : '公示'}</Typography.Title>
      <Link to="/notices">返回公示列表</Link>
      <ErrorNote error={error} />
      {notice && (
        <>
          <Card style={{ margin: '16px 0' }}>
            <Descriptions column={{ xs: 1, md: 2, lg: 3 }} size="small">
              <Descriptions.Item label="編號">{notice.code}</Descriptions.Item>
              <Descriptions.Item label="文號">{notice.documentNumber}</Descriptions.Item>
              <Descriptions.Item label="類別">{KIND_LABELS[notice.kind]}</Descriptions.Item>
              <Descriptions.Item label="狀態">{STATE_LABELS[notice.state]}</Descriptions.Item>
              <Descriptions.Item label="公示情況">
                <Tag color={STANDING[notice.standing].color}>{STANDING[notice.standing].label}</Tag>
              </Descriptions.Item>
              <Descriptions.Item label="公示期">
                {startsOn ? `${formatDate(startsOn)} 至 ${formatDate(nullableText(notice.endsOn))}` : '未發布'}
              </Descriptions.Item>
              <Descriptions.Item label="發布單位">{notice.publisher}</Descriptions.Item>
              <Descriptions.Item label="信息形成日期">{formatDate(notice.formedOn)}</Descriptions.Item>
              <Descriptions.Item label="擬稿 / 審批">
                {notice.draftedBy} / {nullableText(notice.approvedBy) ?? '未審批'}
              </Descriptions.Item>
              <Descriptions.Item label="正文" span={{ xs: 1, md: 2, lg: 3 }}>
                {notice.body}
              </Descriptions.Item>
              {notice.state === 'published' && (
                <Descriptions.Item label="公開頁面" span={{ xs: 1, md: 2, lg: 3 }}>
                  <a href={publicPath(notice.code)} target="_blank" rel="noreferrer">
                    {`${window.location.origin}${publicPath(notice.code)}`}
                  </a>
                </Descriptions.Item>
              )}
            </Descriptions>
            {notice.state === 'published' && (
              <div style={{ marginTop: 16 }}>
                <PdfButton notice={notice} />
              </div>
            )}
          </Card>
          <Card title={`異議（${notice.objections.length}）`} size="small">
            <Table<Objection>
              aria-label="異議"
              rowKey="id"
              columns={objectionColumns}
              dataSource={notice.objections}
              pagination={false}
              size="small"
              scroll={{ x: 'max-content' }}
              locale={{ emptyText: '暫無異議' }}
            />
          </Card>
        </>
      )}
    </>
  );
}
