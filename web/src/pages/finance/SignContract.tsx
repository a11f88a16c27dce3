import { App, Button, Typography } from 'antd';
import { api, call } from '../../api/client';
import { ErrorNote } from '../../components/ErrorNote';
import { useAction } from '../../components/useAction';

/** 簽訂合同: a finance user other than the drafter signs, which commits the amount against the project's budget. */
export function SignContract({ contractId, onSigned }: { contractId: number; onSigned: () => void }) {
  const action = useAction();
  const { message } = App.useApp();
  const sign = async () => {
    const signed = await action.run((key) =>
      call(api.POST('/api/v1/contracts/{id}/sign', { params: { path: { id: contractId } }, headers: { 'Idempotency-Key': key } })),
    );
    if (!signed) return;
    void message.success('合同已簽訂');
    onSigned();
  };
  return (
    <section aria-label="簽訂合同">
      <Typography.Paragraph>簽訂後合同金額從項目預算中承諾；須由起草人以外的縣財政局人員簽訂。</Typography.Paragraph>
      <ErrorNote error={action.error} />
      <Button type="primary" onClick={() => void sign()} loading={action.busy}>
        簽訂合同
      </Button>
    </section>
  );
}
