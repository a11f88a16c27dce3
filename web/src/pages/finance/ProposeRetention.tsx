import { Button, Form, Input, Modal } from 'antd';
import { useState } from 'react';
import { api, call, type Schema } from '../../api/client';
import { ErrorNote } from '../../components/ErrorNote';
import { useAction } from '../../components/useAction';
import { AMOUNT_RULE } from './labels';

type Fields = Schema<'RetentionMoveDto'>;
type Movement = Schema<'RetentionMovementView'>;

const WORDS = {
  release: { button: '申請退還質保金', ok: '提交退還申請', reason: '如：缺陷責任期滿，質量無問題' },
  forfeit: { button: '申請沒收質保金', ok: '提交沒收申請', reason: '如：承建方拒不維修，用於修復' },
} as const;

/** Proposes releasing retention to the payee or forfeiting it; another finance user approves the movement. */
export function ProposeRetention({ contractId, kind, onProposed }: { contractId: number; kind: Movement['kind']; onProposed: (m: Movement) => void }) {
  const [open, setOpen] = useState(false);
  const [form] = Form.useForm<Fields>();
  const action = useAction(form);
  const words = WORDS[kind];

  const submit = async (v: Fields) => {
    const body = { amount: v.amount.trim(), reason: v.reason.trim() };
    const params = { path: { id: contractId } };
    const movement = await action.run((key) =>
      call(
        kind === 'release'
          ? api.POST('/api/v1/contracts/{id}/retention/release', { params, headers: { 'Idempotency-Key': key }, body })
          : api.POST('/api/v1/contracts/{id}/retention/forfeit', { params, headers: { 'Idempotency-Key': key }, body }),
      ),
    );
    if (!movement) return;
    setOpen(false);
    form.resetFields();
    onProposed(movement);
  };

  return (
    <>
      <Button danger={kind === 'forfeit'} onClick={() => setOpen(true)}>
        {words.button}
      </Button>
      <Modal
        title={words.button}
        open={open}
        onCancel={() => setOpen(false)}
        okText={words.ok}
        onOk={() => form.submit()}
        confirmLoading={action.busy}
        destroyOnHidden
      >
        <ErrorNote error={action.error} />
        <Form<Fields> name={`retention-${kind}`} form={form} layout="vertical" onFinish={(v) => void submit(v)}>
          <Form.Item label="金額" name="amount" rules={[{ required: true, whitespace: true, message: '請填寫金額' }, AMOUNT_RULE]}>
            <Input inputMode="decimal" prefix="¥" placeholder="0.00" />
          </Form.Item>
          <Form.Item label="原因" name="reason" rules={[{ required: true, whitespace: true, message: '請填寫原因' }]}>
            <Input.TextArea rows={2} placeholder={words.reason} />
          </Form.Item>
        </Form>
      </Modal>
    </>
  );
}
