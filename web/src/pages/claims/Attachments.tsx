import { Button, Card, Space, Table } from 'antd';
import { useState } from 'react';
import type { Schema } from '../../api/client';
import { formatDateTime } from '../../format';
import { AttachmentPreview } from './AttachmentPreview';
import { AttachmentUpload } from './AttachmentUpload';
import { DownloadButton } from './DownloadButton';
import { DOCUMENT_KIND_LABELS } from './labels';
import type { DocumentKind } from './types';

type Attachment = Schema<'AttachmentView'>;

/** The packet's scans: a list to preview and download each, and (while the village's draft) a drop zone for more. */
export function Attachments({
  claimId,
  attachments,
  missing,
  canUpload,
  onUploaded,
}: {
  claimId: number;
  attachments: Attachment[];
  missing: DocumentKind[];
  canUpload: boolean;
  onUploaded: () => Promise<void>;
}) {
  const [shown, setShown] = useState<Attachment | null>(null);
  return (
    <Card title="報帳材料掃描件" style={{ marginBottom: 16 }}>
      {canUpload && <AttachmentUpload claimId={claimId} missing={missing} onUploaded={onUploaded} />}
      <Table<Attachment>
        aria-label="掃描件列表"
        style={{ marginTop: 16 }}
        size="small"
        rowKey="id"
        pagination={false}
        scroll={{ x: 'max-content' }}
        dataSource={attachments}
        locale={{ emptyText: '尚未上傳掃描件' }}
        columns={[
          { title: '類型', dataIndex: 'kind', render: (k: DocumentKind) => DOCUMENT_KIND_LABELS[k] },
          { title: '文件名', dataIndex: 'filename' },
          { title: '大小', dataIndex: 'size', render: (n: number) => `${Math.ceil(n / 1024)} KB` },
          { title: '上傳人', dataIndex: 'uploadedBy' },
          { title: '上傳時間', dataIndex: 'at', render: formatDateTime },
          { title: '版本', dataIndex: 'version' },
          {
            title: '操作',
            key: 'actions',
            render: (_, a) => (
              <Space>
                <Button
                  size="small"
                  autoInsertSpace={false}
                  onClick={() => setShown(shown?.id === a.id ? null : a)}
                  aria-pressed={shown?.id === a.id}
                  aria-label={`預覽 ${a.filename}`}
                >
                  預覽
                </Button>
                <DownloadButton attachment={a} />
              </Space>
            ),
          },
        ]}
      />
      {shown && <AttachmentPreview key={shown.id} attachment={shown} onClose={() => setShown(null)} />}
    </Card>
  );
}
