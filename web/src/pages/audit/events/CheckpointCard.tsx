import { Alert, Card, Descriptions, Tag, Typography } from 'antd';
import { ErrorNote } from '../../../components/ErrorNote';
import type { CheckpointState } from './useCheckpoint';

/** Where the log stands: the latest signed checkpoint, its signatures, and the key it verifies against. */
export function CheckpointCard({ state, error }: { state: CheckpointState | null; error: unknown }) {
  if (error) return <ErrorNote error={error} />;
  if (!state) return <Card loading title="簽名檢查點" />;
  const { checkpoint, note, verifierKey, signature } = state;
  const cosigners = checkpoint?.signatures.filter((s) => s.name !== verifierKey.split('+')[0]) ?? [];
  return (
    <Card title="簽名檢查點" style={{ marginBottom: 16 }}>
      {!checkpoint ? (
        <Alert type="info" showIcon title="尚無已簽名的檢查點：事件封存後，系統會定期簽名。" style={{ marginBottom: 16 }} />
      ) : (
        <>
          <Descriptions column={{ xs: 1, md: 2, lg: 3 }} size="small" bordered>
            <Descriptions.Item label="已簽名事件數（樹大小）">{checkpoint.size.toString()}</Descriptions.Item>
            <Descriptions.Item label="日誌">{checkpoint.origin}</Descriptions.Item>
            <Descriptions.Item label="簽名">
              {signature?.valid ? <Tag color="green">簽名有效</Tag> : <Tag color="red">簽名未通過：{signature?.reason}</Tag>}
            </Descriptions.Item>
            <Descriptions.Item label="根哈希" span={{ xs: 1, md: 2, lg: 3 }}>
              <Typography.Text code copyable style={{ wordBreak: 'break-all' }}>
                {checkpoint.rootHex}
              </Typography.Text>
            </Descriptions.Item>
            <Descriptions.Item label="聯署（見證人）" span={{ xs: 1, md: 2, lg: 3 }}>
              {cosigners.length > 0 ? cosigners.map((s) => <Tag key={`${s.name}+${s.keyIdHex}`}>{s.name}</Tag>) : '暫無'}
            </Descriptions.Item>
          </Descriptions>
          <Typography.Paragraph type="secondary" style={{ marginTop: 8 }}>
            簽名檢查點不帶簽名時間；序號不大於樹大小的事件已收錄在這個檢查點下。
          </Typography.Paragraph>
          <Typography.Text strong>簽名文本</Typography.Text>
          <pre aria-label="簽名文本" style={{ whiteSpace: 'pre-wrap', wordBreak: 'break-all', background: '#fafafa', padding: 8 }}>
            {note}
          </pre>
        </>
      )}
      <Typography.Text strong>驗證密鑰</Typography.Text>
      <Typography.Paragraph>
        <Typography.Text code copyable style={{ wordBreak: 'break-all' }}>
          {verifierKey}
        </Typography.Text>
      </Typography.Paragraph>
      <Typography.Paragraph type="secondary">此密鑰由本系統提供，請與事先從其他渠道取得的密鑰核對後再信任上面的簽名結果。</Typography.Paragraph>
    </Card>
  );
}
