import { Alert, Card, Descriptions, Space, Spin, Tag, Typography } from 'antd';
import { Link, useParams } from 'react-router';
import { api, call } from '../../api/client';
import { hasRole, useMe } from '../../auth';
import { ErrorNote } from '../../components/ErrorNote';
import { formatDate, formatDateTime } from '../../format';
import { ApproveVoucher } from './ApproveVoucher';
import { DraftedLines } from './DraftedLines';
import { ReverseTransaction } from './ReverseTransaction';
import { TransactionLines } from './TransactionLines';
import { draftedOf } from './drafted';
import { numberOf, textOf } from './ids';
import { VOUCHER_KIND_LABELS, VOUCHER_STATE_LABELS } from './labels';
import { useLoad } from '../../components/useLoad';

/** A voucher: its lines as drafted, who drafted and approved it; a draft is approved here, a posting reversed. */
export default function VoucherDetail() {
  const { id = '' } = useParams();
  const me = useMe();
  const finance = hasRole(me, 'county_finance');
  const voucher = useLoad(() => call(api.GET('/api/v1/ledger/vouchers/{id}', { params: { path: { id } } })), id);
  const v = voucher.data;
  const transactionId = textOf(v?.transactionId);
  const reversesId = textOf(v?.reversesId);
  const transaction = useLoad(
    async () => (transactionId ? call(api.GET('/api/v1/ledger/transactions/{id}', { params: { path: { id: transactionId } } })) : null),
    transactionId,
  );
  const original = useLoad(
    async () => (reversesId ? call(api.GET('/api/v1/ledger/transactions/{id}', { params: { path: { id: reversesId } } })) : null),
    reversesId,
  );

  const who = (userId: number | null) => (userId === null ? '' : userId === me.id ? `用戶 #${userId}（您）` : `用戶 #${userId}`);
  const t = transaction.data;
  const drafted = v ? draftedOf(v.request) : null;

  return (
    <>
      <Typography.Title level={2}>記帳憑證</Typography.Title>
      <Space style={{ marginBottom: 12 }} wrap>
        <Link to="/vouchers">返回憑證列表</Link>
        {finance && <Link to="/vouchers/new">錄入憑證</Link>}
      </Space>
      <ErrorNote error={voucher.error} />
      {voucher.loading && !v && <Spin />}
      {v && drafted && (
        <Space orientation="vertical" size={16} style={{ width: '100%' }}>
          <Card>
            <Descriptions column={{ xs: 1, md: 2, lg: 3 }} size="small">
              <Descriptions.Item label="憑證編號">
                <Typography.Text copyable style={{ wordBreak: 'break-all' }}>
                  {v.id}
                </Typography.Text>
              </Descriptions.Item>
              <Descriptions.Item label="類型">{VOUCHER_KIND_LABELS[v.kind]}</Descriptions.Item>
              <Descriptions.Item label="狀態">
                <Tag color={v.state === 'posted' ? 'green' : 'gold'}>{VOUCHER_STATE_LABELS[v.state]}</Tag>
              </Descriptions.Item>
              <Descriptions.Item label="業務日期">{formatDate(drafted.effectiveDate ?? t?.effectiveDate)}</Descriptions.Item>
              {drafted.memo !== undefined && <Descriptions.Item label="摘要">{drafted.memo}</Descriptions.Item>}
              {drafted.reason !== undefined && <Descriptions.Item label="沖銷原因">{drafted.reason}</Descriptions.Item>}
              <Descriptions.Item label="編製人">{who(v.draftedBy)}</Descriptions.Item>
              <Descriptions.Item label="編製時間">{formatDateTime(v.draftedAt)}</Descriptions.Item>
              <Descriptions.Item label="審批人">{who(numberOf(v.approvedBy)) || '—'}</Descriptions.Item>
              <Descriptions.Item label="審批時間">{formatDateTime(textOf(v.approvedAt)) || '—'}</Descriptions.Item>
              {reversesId && (
                <Descriptions.Item label="沖銷的交易">
                  <Link to={`/ledger/transactions/${reversesId}`}>{reversesId}</Link>
                </Descriptions.Item>
              )}
            </Descriptions>
          </Card>

          {v.kind === 'posting' && v.state === 'draft' && (
            <Card title="分錄（草稿）">
              <DraftedLines lines={drafted.lines} />
            </Card>
          )}
          {v.kind === 'reversal' && v.state === 'draft' && (
            <Card title="被沖銷交易的分錄">
              <ErrorNote error={original.error} />
              <Typography.Paragraph type="secondary">審批後按相反方向記入以下分錄。</Typography.Paragraph>
              {original.data && <TransactionLines lines={original.data.lines} caption="被沖銷交易的分錄" />}
            </Card>
          )}

          {v.state === 'draft' && finance && (
            <Card title="審批">
              <ApproveVoucher voucherId={v.id} ownDraft={v.draftedBy === me.id} onPosted={() => void voucher.reload()} />
            </Card>
          )}
          {v.state === 'draft' && !finance && <Alert type="info" role="status" showIcon title="待縣財政局人員審批過帳" />}

          {transactionId && (
            <Card title="過帳交易">
              <Typography.Paragraph>
                交易編號 <Link to={`/ledger/transactions/${transactionId}`}>{transactionId}</Link>
              </Typography.Paragraph>
              <ErrorNote error={transaction.error} />
              {t && <TransactionLines lines={t.lines} caption="過帳交易分錄" />}
              {t && textOf(t.reversedById) && (
                <Alert
                  type="warning"
                  role="status"
                  showIcon
                  style={{ marginTop: 12 }}
                  title={
                    <span>
                      已被沖銷：<Link to={`/ledger/transactions/${textOf(t.reversedById)}`}>沖銷交易</Link>
                    </span>
                  }
                />
              )}
              {t && finance && !textOf(t.reversedById) && !textOf(t.reversesId) && (
                <div style={{ marginTop: 12 }}>
                  <ReverseTransaction transactionId={t.id} />
                </div>
              )}
            </Card>
          )}
        </Space>
      )}
    </>
  );
}
