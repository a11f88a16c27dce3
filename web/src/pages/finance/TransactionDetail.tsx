import { Alert, Card, Descriptions, Space, Spin, Typography } from 'antd';
import { Link, useParams } from 'react-router';
import { api, call } from '../../api/client';
import { hasRole, useMe } from '../../auth';
import { ErrorNote } from '../../components/ErrorNote';
import { formatDate, formatDateTime } from '../../format';
import { ReverseTransaction } from './ReverseTransaction';
import { TransactionLines } from './TransactionLines';
import { textOf } from './ids';
import { PURPOSE_LABELS } from './labels';
import { useLoad } from '../../components/useLoad';

/** A posted transaction (from a statement or a voucher): its lines, what posted it, its reversal. */
export default function TransactionDetail() {
  const { id = '' } = useParams();
  const me = useMe();
  const loaded = useLoad(() => call(api.GET('/api/v1/ledger/transactions/{id}', { params: { path: { id } } })), id);
  const t = loaded.data;
  const voucherId = textOf(t?.voucherId);
  const reversesId = textOf(t?.reversesId);
  const reversedById = textOf(t?.reversedById);
  // Receipts registered in error are reversed by a voucher too; workflow postings are undone by their workflow.
  const reversible = t && (t.purpose === 'manual' || t.purpose === 'receipt') && !reversesId && !reversedById;

  return (
    <>
      <Typography.Title level={2}>記帳交易</Typography.Title>
      <ErrorNote error={loaded.error} />
      {loaded.loading && !t && <Spin />}
      {t && (
        <Space orientation="vertical" size={16} style={{ width: '100%' }}>
          <Card>
            <Descriptions column={{ xs: 1, md: 2, lg: 3 }} size="small">
              <Descriptions.Item label="交易編號">
                <Typography.Text copyable style={{ wordBreak: 'break-all' }}>
                  {t.id}
                </Typography.Text>
              </Descriptions.Item>
              <Descriptions.Item label="業務日期">{formatDate(t.effectiveDate)}</Descriptions.Item>
              <Descriptions.Item label="記帳時間">{formatDateTime(t.recordedAt)}</Descriptions.Item>
              <Descriptions.Item label="摘要">{t.memo}</Descriptions.Item>
              <Descriptions.Item label="來源">{PURPOSE_LABELS[t.purpose]}</Descriptions.Item>
              {voucherId && (
                <Descriptions.Item label="記帳憑證">
                  <Link to={`/vouchers/${voucherId}`}>查看憑證</Link>
                </Descriptions.Item>
              )}
              {reversesId && (
                <Descriptions.Item label="沖銷的交易">
                  <Link to={`/ledger/transactions/${reversesId}`}>{reversesId}</Link>
                </Descriptions.Item>
              )}
              {textOf(t.reversalReason) && <Descriptions.Item label="沖銷原因">{textOf(t.reversalReason)}</Descriptions.Item>}
            </Descriptions>
          </Card>
          <Card title="分錄">
            <TransactionLines lines={t.lines} caption="交易分錄" />
          </Card>
          {reversedById && (
            <Alert
              type="warning"
              role="status"
              showIcon
              title={
                <span>
                  已被沖銷：<Link to={`/ledger/transactions/${reversedById}`}>沖銷交易</Link>
                </span>
              }
            />
          )}
          {reversible && hasRole(me, 'county_finance') && <ReverseTransaction transactionId={t.id} />}
        </Space>
      )}
    </>
  );
}
