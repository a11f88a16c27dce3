import { App, Button, Form, Input, Modal, Select } from 'antd';
import { useState } from 'react';
import { api, call, type Schema } from '../../api/client';
import { ErrorNote } from '../../components/ErrorNote';
import { useAction } from '../../components/useAction';
import { formatMoney } from '../../format';
import { AMOUNT_RULE } from './labels';

interface Fields {
  amount: string;
  stage?: number;
  payeeAccount: string;
}

/** 支付: pays a stage of the contract; the retention is withheld and every gate refuses with its own reason. */
export function PayStage({ contract, onPaid }: { contract: Schema<'ContractView'>; onPaid: () => void }) {
  const [open, setOpen] = useState(false);
  const [form] = Form.useForm<Fields>();
  const action = useAction(form);
  const { message } = App.useApp();

  const submit = async (v: Fields) => {
    const body = { amount: v.amount.trim(), stage: v.stage, payeeAccount: v.payeeAccount.trim() };
    const payment = await action.run((key) =>
      call(api.POST('/api/v1/contracts/{id}/payments', { params: { path: { id: contract.id } }, headers: { 'Idempotency-Key': key }, body })),
    );
    if (!payment) return;
    void message.success(`已支付 ¥${formatMoney(payment.amount)}：實付 ¥${formatMoney(payment.net)}，扣留質保金 ¥${formatMoney(payment.retention)}`);
    setOpen(false);
    form.resetFields();
    onPaid();
  };

  return (
    <>
      <Button type="primary" onClick={() => setOpen(true)}>
        支付合同款
      </Button>
      <Modal
        title="支付合同款"
        open={open}
        onCancel={() => setOpen(false)}
        okText="確認支付"
        onOk={() => form.submit()}
        confirmLoading={action.busy}
        destroyOnHidden
      >
        <ErrorNote error={action.error} />
        <Form<Fields> name="pay" form={form} layout="vertical" initialValues={{ payeeAccount: contract.payee.account }} onFinish={(v) => void submit(v)}>
          <Form.Item
            label="金額"
            name="amount"
            rules={[{ required: true, whitespace: true, message: '請填寫金額' }, AMOUNT_RULE]}
            extra="含按比例扣留的質量保證金"
          >
            <Input inputMode="decimal" prefix="¥" placeholder="0.00" />
          </Form.Item>
          {contract.schedule.length > 0 && (
            <Form.Item label="付款階段" name="stage" rules={[{ required: true, message: '請選擇付款階段' }]}>
              <Select options={contract.schedule.map((s, i) => ({ value: i + 1, label: `第 ${i + 1} 階段：${s.milestone}（${s.percent}%）` }))} />
            </Form.Item>
          )}
          <Form.Item
            label="收款帳號"
            name="payeeAccount"
            rules={[{ required: true, whitespace: true, message: '請填寫收款帳號' }]}
            extra="須與合同收款帳號一致"
          >
            <Input inputMode="numeric" />
          </Form.Item>
        </Form>
      </Modal>
    </>
  );
}
