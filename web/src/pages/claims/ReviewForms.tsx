import { Descriptions, Form, Input, Radio } from 'antd';
import { api, call } from '../../api/client';
import { Money } from '../../components/Money';
import { formatDateTime, today } from '../../format';
import { dateRule, required } from './rules';
import { StepForm } from './StepForm';
import type { ClaimDetail } from './types';

interface StepProps {
  claim: ClaimDetail;
  onDone: () => Promise<void>;
}

const opinion = (
  <Form.Item label="意見" name="opinion" rules={[required('請填寫意見')]}>
    <Input.TextArea rows={2} maxLength={2000} />
  </Form.Item>
);

/** 鄉鎮財政所 signs off: the amount is held in the budget book from now on. */
export function TownshipReviewForm({ claim, onDone }: StepProps) {
  const path = { id: claim.id };
  return (
    <StepForm<{ signedOn: string; opinion: string }>
      name="townshipReview"
      title="鄉鎮審核"
      submitLabel="審核通過"
      initialValues={{ signedOn: today() }}
      onDone={onDone}
      send={(body, key) => call(api.POST('/api/v1/claims/{id}/township-review', { params: { path }, headers: { 'Idempotency-Key': key }, body }))}
    >
      <Form.Item label="審核日期" name="signedOn" rules={[required('請填寫審核日期'), dateRule]} extra={`不早於申請日期 ${claim.applicationDate}`}>
        <Input placeholder="YYYY-MM-DD" maxLength={10} />
      </Form.Item>
      {opinion}
    </StepForm>
  );
}

/** 督查一把尺: the line department's verdict; a fail keeps county finance from approving. */
export function LineReviewForm({ claim, onDone }: StepProps) {
  const path = { id: claim.id };
  return (
    <StepForm<{ result: 'pass' | 'fail'; opinion: string }>
      name="lineReview"
      title="業務主管部門督查"
      submitLabel="提交督查意見"
      initialValues={{ result: 'pass' }}
      onDone={onDone}
      send={(body, key) => call(api.POST('/api/v1/claims/{id}/line-review', { params: { path }, headers: { 'Idempotency-Key': key }, body }))}
    >
      <Form.Item label="督查結果" name="result" rules={[{ required: true, message: '請選擇督查結果' }]}>
        <Radio.Group
          options={[
            { value: 'pass', label: '通過' },
            { value: 'fail', label: '不通過' },
          ]}
        />
      </Form.Item>
      {opinion}
    </StepForm>
  );
}

/** County finance approves (and, above the threshold, leaves the claim to a leader). */
export function ApproveForm({ claim, onDone }: StepProps) {
  const path = { id: claim.id };
  return (
    <StepForm<{ opinion: string }>
      name="approve"
      title="縣財政局審批"
      submitLabel="審批通過"
      intro={claim.needsLeader ? <p>金額超過縣領導簽批限額：審批後還須縣領導簽批。</p> : undefined}
      onDone={onDone}
      send={(body, key) => call(api.POST('/api/v1/claims/{id}/approve', { params: { path }, headers: { 'Idempotency-Key': key }, body }))}
    >
      {opinion}
    </StepForm>
  );
}

/** The county leader signs after county finance, on the same route; what they sign for is shown above. */
export function LeaderSignForm({ claim, onDone }: StepProps) {
  const path = { id: claim.id };
  const before = claim.history.filter((h) => h.version === claim.version && ['township_review', 'line_review', 'approve'].includes(h.step));
  const labels: Record<string, string> = { township_review: '鄉鎮審核', line_review: '部門督查', approve: '縣財政審批' };
  return (
    <StepForm<{ opinion: string }>
      name="leaderSign"
      title="縣領導簽批"
      submitLabel="簽批"
      intro={
        <Descriptions column={1} size="small" style={{ marginBottom: 12 }}>
          <Descriptions.Item label="報帳金額">
            <Money value={claim.amount} />
          </Descriptions.Item>
          {before.map((h) => (
            <Descriptions.Item key={h.step} label={labels[h.step]}>
              {h.actor}，{formatDateTime(h.at)}
              {h.note ? `：${h.note}` : ''}
            </Descriptions.Item>
          ))}
        </Descriptions>
      }
      onDone={onDone}
      send={(body, key) => call(api.POST('/api/v1/claims/{id}/approve', { params: { path }, headers: { 'Idempotency-Key': key }, body }))}
    >
      {opinion}
    </StepForm>
  );
}

/** A county finance user other than the approver pays, to the contract's payee account (typed, so a wrong one is caught). */
export function PayForm({ claim, onDone }: StepProps) {
  const path = { id: claim.id };
  return (
    <StepForm<{ payeeAccount: string }>
      name="pay"
      title="支付"
      submitLabel="支付"
      intro={
        <p>
          支付金額 <Money value={claim.amount} /> 元（按合同扣留質量保證金）。
        </p>
      }
      onDone={onDone}
      send={(body, key) =>
        call(api.POST('/api/v1/claims/{id}/pay', { params: { path }, headers: { 'Idempotency-Key': key }, body: { payeeAccount: body.payeeAccount.trim() } }))
      }
    >
      <Form.Item label="收款帳號" name="payeeAccount" rules={[required('請填寫收款帳號')]} extra="須與合同的收款帳號一致">
        <Input inputMode="numeric" maxLength={40} autoComplete="off" />
      </Form.Item>
    </StepForm>
  );
}

/** Whoever's step is next sends the claim back to the village with a reason; a held amount is released. */
export function RejectForm({ claim, onDone }: StepProps) {
  const path = { id: claim.id };
  return (
    <StepForm<{ reason: string }>
      name="reject"
      title="退回"
      submitLabel="退回"
      danger
      onDone={onDone}
      send={(body, key) => call(api.POST('/api/v1/claims/{id}/reject', { params: { path }, headers: { 'Idempotency-Key': key }, body }))}
    >
      <Form.Item label="退回原因" name="reason" rules={[required('請填寫退回原因')]}>
        <Input.TextArea rows={2} maxLength={2000} />
      </Form.Item>
    </StepForm>
  );
}
