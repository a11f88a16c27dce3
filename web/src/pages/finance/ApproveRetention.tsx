import { App, Button, Form, InputNumber } from 'antd';
import { api, call } from '../../api/client';
import { ErrorNote } from '../../components/ErrorNote';
import { useAction } from '../../components/useAction';

/**
 * 審批質保金變動: posts a proposed release or forfeit. No view of the API lists a contract's pending movements, so
 * the movement's number comes from its proposal (shown to the proposer) or a link carrying `?movement=`.
 */
export function ApproveRetention({ movementId, onApproved }: { movementId?: number; onApproved: () => void }) {
  const [form] = Form.useForm<{ movementId: number }>();
  const action = useAction(form);
  const { message } = App.useApp();

  const submit = async ({ movementId: id }: { movementId: number }) => {
    const movement = await action.run((key) =>
      call(api.POST('/api/v1/retention-movements/{id}/approve', { params: { path: { id } }, headers: { 'Idempotency-Key': key } })),
    );
    if (!movement) return;
    void message.success(`質保金${movement.kind === 'release' ? '退還' : '沒收'}已過帳`);
    onApproved();
  };

  return (
    <section aria-label="審批質保金變動">
      <ErrorNote error={action.error} />
      <Form name="approve-retention" form={form} layout="inline" initialValues={{ movementId }} onFinish={(v) => void submit(v)} style={{ rowGap: 8 }}>
        <Form.Item label="變動編號" name="movementId" rules={[{ required: true, message: '請填寫變動編號' }]}>
          <InputNumber min={1} precision={0} style={{ width: 140 }} />
        </Form.Item>
        <Form.Item>
          <Button type="primary" htmlType="submit" loading={action.busy}>
            審批質保金變動
          </Button>
        </Form.Item>
      </Form>
    </section>
  );
}
