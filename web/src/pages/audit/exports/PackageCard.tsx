import { Card, Checkbox, Form, Space, Typography, type FormInstance } from 'antd';
import { useEffect, useState } from 'react';
import { api, call } from '../../../api/client';
import { DownloadButton } from './DownloadButton';
import { withQuery } from './catalogue';

/** The verifier key, for the command; only auditors and admins may read it, so others see a placeholder. */
function useVerifierKey(): string | null {
  const [key, setKey] = useState<string | null>(null);
  useEffect(() => {
    let live = true;
    call(api.GET('/api/v1/audit/verifier-key', { parseAs: 'text' }))
      .then((k) => live && setKey(k.trim()))
      .catch(() => live && setKey(null));
    return () => {
      live = false;
    };
  }, []);
  return key;
}

/** The audit package: every book and register of the period, the events and their checkpoints, in one signed zip. */
export function PackageCard({ form }: { form: FormInstance }) {
  const key = useVerifierKey();
  const [filename, setFilename] = useState('package.zip');
  const attachments = Form.useWatch<boolean | undefined>('attachments', form);
  const command = `npm run cli -- verify-package ${filename} --key '${key ?? '<驗證密鑰>'}'`;

  return (
    <Card title="審計包" style={{ marginBottom: 16 }}>
      <Typography.Paragraph>期間內全部賬簿、登記簿、審計事件與簽名檢查點，打包為一個 zip 文件，可離線核驗。</Typography.Paragraph>
      <Space wrap align="start">
        <Form.Item name="attachments" valuePropName="checked" noStyle>
          <Checkbox>包含報帳附件（掃描件較大）</Checkbox>
        </Form.Item>
        <DownloadButton
          form={form}
          fields={['from', 'to']}
          url={() => {
            const { from, to } = form.getFieldsValue(['from', 'to']) as { from: string; to: string };
            return withQuery('/api/v1/exports/audit-package', { from, to, attachments: attachments ? 'true' : undefined });
          }}
          onSaved={setFilename}
        >
          下載審計包
        </DownloadButton>
      </Space>
      <Typography.Paragraph style={{ marginTop: 12 }}>離線核驗審計包（在本系統的程序目錄下運行）：</Typography.Paragraph>
      <Typography.Paragraph>
        <Typography.Text code copyable style={{ wordBreak: 'break-all' }} aria-label="核驗命令">
          {command}
        </Typography.Text>
      </Typography.Paragraph>
      {key === null && <Typography.Paragraph type="secondary">驗證密鑰只有審計和系統管理員可以讀取，請向他們索取後填入。</Typography.Paragraph>}
    </Card>
  );
}
