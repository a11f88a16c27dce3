import { Alert, Card, Descriptions } from 'antd';
import type { Schema } from '../../api/client';
import { formatMoney, sumMoney } from '../../format';
import { DOCUMENT_KIND_LABELS, NEXT_LABELS, requiredDocuments } from './labels';
import type { ClaimDetail } from './types';
import { Verdict } from './Verdict';

const LINE_RESULTS: Record<string, string> = { pass: '通過', fail: '不通過' };

/** What the system tells of the claim: its next step, the leader's signature, the reviews so far, documents and sums. */
export function ClaimChecks({ claim, contract }: { claim: ClaimDetail; contract: Schema<'ContractView'> | undefined }) {
  const kinds = new Set(claim.attachments.map((a) => a.kind));
  const expenses = sumMoney(claim.expenses.map((e) => e.amount));
  const invoices = sumMoney(claim.invoices.map((i) => i.amount));
  const claimed = sumMoney([claim.amount]);
  const sum = (total: string) => <Verdict ok={total === claimed}>{total === claimed ? '與報帳金額相符' : `合計 ${formatMoney(total)}，不符`}</Verdict>;
  return (
    <Card title="系統檢查" style={{ marginBottom: 16 }}>
      <Descriptions column={{ xs: 1, md: 2, lg: 3 }} size="small">
        <Descriptions.Item label="下一步">{claim.next ? NEXT_LABELS[claim.next] : '已辦結'}</Descriptions.Item>
        <Descriptions.Item label="須縣領導簽批">{claim.needsLeader ? '是（超過簽批限額）' : '否'}</Descriptions.Item>
        <Descriptions.Item label="鄉鎮審核日期">{claim.townshipSignedOn ?? '未審核'}</Descriptions.Item>
        <Descriptions.Item label="部門督查結果">{claim.lineResult ? LINE_RESULTS[claim.lineResult] : '未督查'}</Descriptions.Item>
        <Descriptions.Item label="預算凍結">{claim.holdTransactionId ? '已凍結報帳金額' : '未凍結'}</Descriptions.Item>
        <Descriptions.Item label="支付記錄">{claim.paymentId !== null ? `支付編號 ${claim.paymentId}` : '未支付'}</Descriptions.Item>
        <Descriptions.Item label="支出明細合計">{sum(expenses)}</Descriptions.Item>
        <Descriptions.Item label="發票合計">{sum(invoices)}</Descriptions.Item>
        <Descriptions.Item label="必需材料" span="filled">
          <span>
            {requiredDocuments(claim.final).map((k) => (
              <Verdict key={k} ok={kinds.has(k)}>
                {DOCUMENT_KIND_LABELS[k]}：{kinds.has(k) ? '已上傳' : '缺'}
              </Verdict>
            ))}
          </span>
        </Descriptions.Item>
      </Descriptions>
      {claim.lineResult === 'fail' && <Alert type="warning" showIcon title="業務主管部門督查未通過：不能審批，只能退回村更正" style={{ marginTop: 12 }} />}
      {contract && contract.warnings.length > 0 && (
        <Alert
          type="warning"
          showIcon
          title="合同提示"
          description={
            <ul style={{ margin: 0, paddingInlineStart: 20 }}>
              {contract.warnings.map((w) => (
                <li key={w}>{w}</li>
              ))}
            </ul>
          }
          style={{ marginTop: 12 }}
        />
      )}
    </Card>
  );
}
