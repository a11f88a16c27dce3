import { Form, Progress, Select, Typography, Upload } from 'antd';
import { useState } from 'react';
import { ErrorNote } from '../../components/ErrorNote';
import { useAction } from '../../components/useAction';
import { DOCUMENT_KIND_LABELS, optionsOf } from './labels';
import type { DocumentKind } from './types';
import { uploadScan } from './upload';

/** Drop (or pick) a scan of the packet and say what it is; the bar shows the upload as it goes. */
export function AttachmentUpload({ claimId, missing, onUploaded }: { claimId: number; missing: DocumentKind[]; onUploaded: () => Promise<void> }) {
  const [kind, setKind] = useState<DocumentKind>(missing[0] ?? 'other');
  const [percent, setPercent] = useState<number | null>(null);
  const [lastFile, setLastFile] = useState<string>();
  const action = useAction();

  return (
    <div>
      <ErrorNote error={action.error} />
      <Form layout="vertical">
        <Form.Item
          label="文件類型"
          htmlFor="attachment-kind"
          extra={missing.length > 0 ? `尚缺：${missing.map((k) => DOCUMENT_KIND_LABELS[k]).join('、')}` : '必需的材料已齊全'}
        >
          <Select id="attachment-kind" value={kind} onChange={setKind} options={optionsOf(DOCUMENT_KIND_LABELS)} style={{ maxWidth: 320 }} />
        </Form.Item>
      </Form>
      <Upload.Dragger
        name="file"
        accept=".pdf,.png,.jpg,.jpeg,application/pdf,image/png,image/jpeg"
        multiple={false}
        showUploadList={false}
        disabled={action.busy}
        customRequest={({ file }) => {
          const scan = file as File;
          setLastFile(scan.name);
          setPercent(0);
          void action
            .run(() => uploadScan(claimId, kind, scan, setPercent))
            .then(async (done) => {
              if (done === undefined) return;
              setPercent(100);
              const next = missing.find((k) => k !== kind);
              if (next) setKind(next);
              await onUploaded();
            });
        }}
      >
        <p className="ant-upload-text">將掃描件拖到此處，或點擊選擇文件上傳</p>
        <p className="ant-upload-hint">PDF、JPEG 或 PNG，每次一個文件，按上方所選類型歸檔</p>
      </Upload.Dragger>
      {percent !== null && (
        <div style={{ marginTop: 8 }}>
          <Typography.Text>
            {lastFile} {action.busy ? '上傳中' : action.error ? '上傳失敗' : '已上傳'}
          </Typography.Text>
          <Progress percent={percent} status={action.error ? 'exception' : action.busy ? 'active' : 'success'} aria-label="上傳進度" />
        </div>
      )}
    </div>
  );
}
