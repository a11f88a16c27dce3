import { App, Button, Space, Typography } from 'antd';
import { api, call } from '../../api/client';
import { ErrorNote } from '../../components/ErrorNote';
import { useAction } from '../../components/useAction';

/** 審批過帳: a second finance user posts the draft; the drafter is refused (SAME_HAND), said right here. */
export function ApproveVoucher({ voucherId, ownDraft, onPosted }: { voucherId: string; ownDraft: boolean; onPosted: () => void }) {
  const action = useAction();
  const { message } = App.useApp();
  const approve = async () => {
    const posted = await action.run((key) =>
      call(api.POST('/api/v1/ledger/transactions/{id}/approve', { params: { path: { id: voucherId } }, headers: { 'Idempotency-Key': key } })),
    );
    if (!posted) return;
    void message.success('已審批過帳');
    onPosted();
  };
  return (
    <section aria-label="審批">
      <ErrorNote error={action.error} />
      <Space wrap>
        <Button type="primary" onClick={() => void approve()} loading={action.busy}>
          審批過帳
        </Button>
        {ownDraft && <Typography.Text type="secondary">這是您編製的憑證，須由另一位縣財政局人員審批。</Typography.Text>}
      </Space>
    </section>
  );
}
