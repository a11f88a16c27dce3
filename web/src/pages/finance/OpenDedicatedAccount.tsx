import { App, Button, Form, Input, InputNumber, Modal } from 'antd';
import { useState } from 'react';
import { api, call, type Schema } from '../../api/client';
import { useMe } from '../../auth';
import { ErrorNote } from '../../components/ErrorNote';
import { useAction } from '../../components/useAction';

type Fields = Schema<'OpenDedicatedAccountDto'>;

/** 開設專戶: a dedicated bank account with its responsible officer (專人); it opens its ledger account bank:<code>. */
export function OpenDedicatedAccount({ onOpened }: { onOpened: () => void }) {
  const me = useMe();
  const [open, setOpen] = useState(false);
  const [form] = Form.useForm<Fields>();
  const action = useAction(form);
  const { message } = App.useApp();

  const submit = async (v: Fields) => {
    const body = {
      ...v,
      code: v.code.trim(),
      bankName: v.bankName.trim(),
      accountName: v.accountName.trim(),
      accountNumber: v.accountNumber.replace(/[\s-]/g, ''),
    };
    const account = await action.run((key) => call(api.POST('/api/v1/dedicated-accounts', { headers: { 'Idempotency-Key': key }, body })));
    if (!account) return;
    void message.success(`已開設專戶 ${account.code}`);
    setOpen(false);
    form.resetFields();
    onOpened();
  };

  return (
    <>
      <Button type="primary" onClick={() => setOpen(true)}>
        開設專戶
      </Button>
      <Modal
        title="開設專戶"
        open={open}
        onCancel={() => setOpen(false)}
        okText="確認開設"
        onOk={() => form.submit()}
        confirmLoading={action.busy}
        destroyOnHidden
      >
        <ErrorNote error={action.error} />
        <Form<Fields> name="open-dedicated-account" form={form} layout="vertical" initialValues={{ officerId: me.id }} onFinish={(v) => void submit(v)}>
          <Form.Item label="專戶代碼" name="code" rules={[{ required: true, whitespace: true, message: '請填寫專戶代碼' }]} extra="記帳科目為 bank:代碼">
            <Input placeholder="如 D001" />
          </Form.Item>
          <Form.Item label="開戶銀行" name="bankName" rules={[{ required: true, whitespace: true, message: '請填寫開戶銀行' }]}>
            <Input placeholder="如：湖北英山農村商業銀行" />
          </Form.Item>
          <Form.Item label="戶名" name="accountName" rules={[{ required: true, whitespace: true, message: '請填寫戶名' }]}>
            <Input placeholder="如：英山縣財政局扶貧資金專戶" />
          </Form.Item>
          <Form.Item label="銀行帳號" name="accountNumber" rules={[{ required: true, whitespace: true, message: '請填寫銀行帳號' }]}>
            <Input inputMode="numeric" />
          </Form.Item>
          <Form.Item label="專人（負責人用戶編號）" name="officerId" rules={[{ required: true, message: '請填寫負責人' }]} extra={`您的用戶編號是 ${me.id}`}>
            <InputNumber min={1} precision={0} style={{ width: '100%' }} />
          </Form.Item>
        </Form>
      </Modal>
    </>
  );
}
