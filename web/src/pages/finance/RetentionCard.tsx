import { Card, Descriptions } from 'antd';
import type { Schema } from '../../api/client';
import { Money } from '../../components/Money';

/** The contract's retention (質量保證金) from the ledger: withheld, released, forfeited, and still held. */
export function RetentionCard({ summary: r }: { summary: Schema<'RetentionSummary'> }) {
  return (
    <Card title="質量保證金" style={{ marginBottom: 16 }}>
      <Descriptions column={{ xs: 1, md: 2, lg: 3 }} size="small">
        <Descriptions.Item label="合同金額">
          <Money value={r.contractAmount} />
        </Descriptions.Item>
        <Descriptions.Item label="已支付">
          <Money value={r.paid} />
        </Descriptions.Item>
        <Descriptions.Item label="累計扣留">
          <Money value={r.withheld} />
        </Descriptions.Item>
        <Descriptions.Item label="已退還">
          <Money value={r.released} />
        </Descriptions.Item>
        <Descriptions.Item label="已沒收">
          <Money value={r.forfeited} />
        </Descriptions.Item>
        <Descriptions.Item label="尚存">
          <Money value={r.held} />
        </Descriptions.Item>
        <Descriptions.Item label="合同狀態">{r.state === 'settled' ? '已結算' : '履行中'}</Descriptions.Item>
      </Descriptions>
    </Card>
  );
}
