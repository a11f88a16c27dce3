import { Button, Card, Form, Input, Space, Typography } from 'antd';
import { useNavigate } from 'react-router';
import { api, call } from '../../api/client';
import { ErrorNote } from '../../components/ErrorNote';
import { useAction } from '../../components/useAction';
import { DOCUMENT_KIND_LABELS } from './labels';
import { required } from './rules';
import { StepForm } from './StepForm';
import type { ClaimDetail, DocumentKind } from './types';

interface Props {
  claim: ClaimDetail;
  missing: DocumentKind[];
  onDone: () => Promise<void>;
}

/** The village's own steps: submit a complete draft, correct it as a new version, or give it up. */
export function VillageActions({ claim, missing, onDone }: Props) {
  const navigate = useNavigate();
  const path = { id: claim.id };
  return (
    <>
      {claim.state === 'draft' && <SubmitAction claim={claim} missing={missing} onDone={onDone} />}
      <Card size="small" title="更正" style={{ marginBottom: 16 }}>
        <Typography.Paragraph>更正後成為新的版本，須重新經過每一步審核。</Typography.Paragraph>
        <Button onClick={() => void navigate(`/claims/${claim.id}/edit`)}>更正報帳</Button>
      </Card>
      <StepForm<{ reason: string }>
        name="withdraw"
        title="撤回"
        submitLabel="撤回"
        danger
        intro={<Typography.Paragraph>撤回後報帳不再辦理，其發票可重新報帳。</Typography.Paragraph>}
        onDone={onDone}
        send={(body, key) => call(api.POST('/api/v1/claims/{id}/withdraw', { params: { path }, headers: { 'Idempotency-Key': key }, body }))}
      >
        <Form.Item label="撤回原因" name="reason" rules={[required('請填寫撤回原因')]}>
          <Input.TextArea rows={2} maxLength={2000} />
        </Form.Item>
      </StepForm>
    </>
  );
}

function SubmitAction({ claim, missing, onDone }: Props) {
  const action = useAction();
  const submit = async () => {
    const done = await action.run((key) =>
      call(api.POST('/api/v1/claims/{id}/submit', { params: { path: { id: claim.id } }, headers: { 'Idempotency-Key': key } })),
    );
    if (done !== undefined) await onDone();
  };
  return (
    <Card size="small" title="提交鄉鎮審核" style={{ marginBottom: 16 }}>
      {missing.length > 0 && <Typography.Paragraph type="warning">提交前須上傳：{missing.map((k) => DOCUMENT_KIND_LABELS[k]).join('、')}</Typography.Paragraph>}
      <ErrorNote error={action.error} />
      <Space>
        <Button type="primary" loading={action.busy} onClick={() => void submit()} autoInsertSpace={false}>
          提交
        </Button>
      </Space>
    </Card>
  );
}
