import { Card, Timeline, Typography } from 'antd';
import { formatDateTime } from '../../format';
import { STEP_LABELS } from './labels';
import type { ClaimDetail } from './types';

/** What a step's result says: the line department's verdict, or whether finance left the claim to a leader. */
const RESULTS: Record<string, string> = { pass: '通過', fail: '不通過', leader: '報縣領導簽批', alone: '無須縣領導簽批' };

/** The steps so far, oldest first: who did what, when, with which opinion, on which version. */
export function ClaimTimeline({ claim }: { claim: ClaimDetail }) {
  return (
    <Card title="辦理經過" style={{ marginBottom: 16 }}>
      <Timeline
        items={claim.history.map((h, i) => ({
          key: i,
          color: h.step === 'reject' || h.result === 'fail' ? 'red' : h.step === 'pay' ? 'green' : 'blue',
          content: (
            <>
              <Typography.Text strong>{STEP_LABELS[h.step]}</Typography.Text>
              {h.result && <Typography.Text>（{RESULTS[h.result] ?? h.result}）</Typography.Text>}
              <div>
                <Typography.Text type="secondary">
                  {h.actor} · {formatDateTime(h.at)} · 第 {h.version} 版
                </Typography.Text>
              </div>
              {h.note && <div>意見：{h.note}</div>}
            </>
          ),
        }))}
      />
      {claim.versions.length > 1 && (
        <Typography.Paragraph type="secondary">
          共 {claim.versions.length} 個版本：
          {claim.versions.map((v) => `第${v.version}版（${v.createdBy}，${formatDateTime(v.at)}）`).join('；')}
        </Typography.Paragraph>
      )}
    </Card>
  );
}
