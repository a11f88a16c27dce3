import { Alert, Card, Descriptions, Table, Tag } from 'antd';
import Decimal from 'decimal.js';
import { Link } from 'react-router';
import type { Schema } from '../../api/client';
import { Money } from '../../components/Money';
import { formatDate } from '../../format';
import { numberOf, textOf } from './ids';
import { groupDigits } from './labels';

type Contract = Schema<'ContractView'>;
type Stage = Schema<'StageDto'> & { no: number };

const PAYEE_TYPES: Record<Contract['payee']['type'], string> = { company: '企業', cooperative: '合作社', individual: '個人' };

/** A rate such as "0.15" as a clerk reads it: 15%. */
function percent(rate: string | null): string {
  return rate === null ? '簽訂時確定' : `${new Decimal(rate).times(100).toString()}%`;
}

/** A contract as signed: payee, amount, retention, payment schedule, tender and responsibility letters. */
export function ContractInfo({ contract: c }: { contract: Contract }) {
  const stages: Stage[] = c.schedule.map((s, i) => ({ ...s, no: i + 1 }));
  return (
    <>
      {c.warnings.length > 0 && <Alert type="warning" role="status" showIcon title="提示" description={c.warnings.join('；')} style={{ marginBottom: 16 }} />}
      <Card title="合同" style={{ marginBottom: 16 }}>
        <Descriptions column={{ xs: 1, md: 2, lg: 3 }} size="small">
          <Descriptions.Item label="合同名稱">{c.title}</Descriptions.Item>
          <Descriptions.Item label="項目">
            <Link to={`/projects/${c.projectId}`}>項目 #{c.projectId}</Link>
          </Descriptions.Item>
          <Descriptions.Item label="狀態">
            <Tag color={c.state === 'signed' ? 'green' : 'gold'}>{c.state === 'signed' ? '已簽訂' : '草稿'}</Tag>
          </Descriptions.Item>
          <Descriptions.Item label="合同金額">
            <Money value={c.amount} />
          </Descriptions.Item>
          <Descriptions.Item label="質保金比例">{percent(textOf(c.retentionRate))}</Descriptions.Item>
          {c.retentionOverride && (
            <Descriptions.Item label="比例依據">
              {percent(c.retentionOverride.rate)}：{c.retentionOverride.reason}
            </Descriptions.Item>
          )}
          <Descriptions.Item label="收款人">
            {c.payee.name}（{PAYEE_TYPES[c.payee.type]}）
          </Descriptions.Item>
          <Descriptions.Item label="收款銀行">{c.payee.bank}</Descriptions.Item>
          <Descriptions.Item label="收款帳號">
            <span style={{ fontVariantNumeric: 'tabular-nums' }}>{groupDigits(c.payee.account)}</span>
          </Descriptions.Item>
          {c.payee.taxId && <Descriptions.Item label="統一社會信用代碼">{c.payee.taxId}</Descriptions.Item>}
          {c.payee.idNumber && <Descriptions.Item label="身份證號">{c.payee.idNumber}</Descriptions.Item>}
          <Descriptions.Item label="簽訂人">{numberOf(c.signedBy) === null ? '—' : `用戶 #${numberOf(c.signedBy)}`}</Descriptions.Item>
          <Descriptions.Item label="簽訂日期">{formatDate(textOf(c.signedOn)) || '—'}</Descriptions.Item>
          <Descriptions.Item label="招標">
            {c.tender ? `${c.tender.method}，${formatDate(c.tender.date)}，中標：${c.tender.winner}（投標 ${c.tender.bidders.length} 家）` : '無'}
          </Descriptions.Item>
          <Descriptions.Item label="縣→鄉責任書">
            {c.letters.countyToTownship.reference}（{formatDate(c.letters.countyToTownship.date)}）
          </Descriptions.Item>
          <Descriptions.Item label="鄉→村責任書">
            {c.letters.townshipToVillage.reference}（{formatDate(c.letters.townshipToVillage.date)}）
          </Descriptions.Item>
          <Descriptions.Item label="村→承建方責任書">
            {c.letters.villageToContractor.reference}（{formatDate(c.letters.villageToContractor.date)}）
          </Descriptions.Item>
        </Descriptions>
      </Card>
      {stages.length > 0 && (
        <Card title="付款進度" style={{ marginBottom: 16 }}>
          <Table<Stage>
            aria-label="付款進度"
            rowKey="no"
            size="small"
            pagination={false}
            scroll={{ x: 'max-content' }}
            dataSource={stages}
            columns={[
              { title: '階段', dataIndex: 'no' },
              { title: '節點', dataIndex: 'milestone' },
              { title: '比例', dataIndex: 'percent', align: 'right', render: (p: string) => `${p}%` },
            ]}
          />
        </Card>
      )}
    </>
  );
}
