import { Button, Card, Space, Spin } from 'antd';
import { useEffect, useState } from 'react';
import { fetchFile, type Schema } from '../../api/client';
import { ErrorNote } from '../../components/ErrorNote';
import { DownloadButton, attachmentUrl } from './DownloadButton';
import { DOCUMENT_KIND_LABELS } from './labels';

/** A scan shown in the page from a blob: URL (the token cannot ride on an <img> or <iframe> src): an image inline, a PDF in a frame. */
export function AttachmentPreview({ attachment, onClose }: { attachment: Schema<'AttachmentView'>; onClose: () => void }) {
  const [url, setUrl] = useState<string | null>(null);
  const [error, setError] = useState<unknown>(null);

  useEffect(() => {
    const controller = new AbortController();
    let objectUrl: string | null = null;
    fetchFile(attachmentUrl(attachment), controller.signal).then(
      ({ blob }) => {
        objectUrl = URL.createObjectURL(new Blob([blob], { type: attachment.contentType }));
        setUrl(objectUrl);
      },
      (e: unknown) => !controller.signal.aborted && setError(e),
    );
    return () => {
      controller.abort();
      if (objectUrl) URL.revokeObjectURL(objectUrl);
    };
  }, [attachment]);

  const title = `${DOCUMENT_KIND_LABELS[attachment.kind]}：${attachment.filename}`;
  return (
    <Card
      size="small"
      title={`預覽 ${title}`}
      style={{ marginTop: 16 }}
      extra={
        <Space>
          <DownloadButton attachment={attachment} />
          <Button size="small" onClick={onClose}>
            關閉預覽
          </Button>
        </Space>
      }
    >
      <ErrorNote error={error} />
      {!url && !error && <Spin />}
      {url &&
        (attachment.contentType === 'application/pdf' ? (
          <iframe title={title} src={url} style={{ width: '100%', height: '70vh', border: '1px solid #f0f0f0' }} />
        ) : (
          <img src={url} alt={title} style={{ maxWidth: '100%', height: 'auto' }} />
        ))}
    </Card>
  );
}
