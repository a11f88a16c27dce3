import { App, Button, Form, Input, Modal, Select, Switch } from 'antd';
import { useState } from 'react';
import { api, call, type Schema } from '../../api/client';
import { ErrorNote } from '../../components/ErrorNote';
import { useAction } from '../../components/useAction';
import { ACCOUNT_TYPE_LABELS, BOOK_LABELS, optionsOf } from './labels';

type Fields = Schema<'OpenAccountDto'>;

/** 開設科目: an account of the county's own (not a workflow family), which vouchers may then post to. */
export function OpenAccount({ onOpened }: { onOpened: () => void }) {
  const [open, setOpen] = useState(false);
  const [form] = Form.useForm<Fields>();
  const action = useAction(form);
  const { message } = App.useApp();

  const submit = async (v: Fields) => {
    const account = await action.run((key) =>
      call(api.POST('/api/v1/ledger/accounts', { headers: { 'Idempotency-Key': key }, body: { ...v, code: v.code.trim(), name: v.name.trim() } })),
    );
    if (!account) return;
    void message.success(`已開設科目 ${account.code}`);
    setOpen(false);
    form.resetFields();
    onOpened();
  };

  return (
    <>
      <Button type="primary" onClick={() => setOpen(true)}>
        開設科目
      </Button>
      <Modal
        title="開設科目"
        open={open}
        onCancel={() => setOpen(false)}
        okText="確認開設"
        onOk={() => form.submit()}
        confirmLoading={action.busy}
        destroyOnHidden
      >
        <ErrorNote error={action.error} />
        <Form<Fields>
          name="open-account"
          form={form}
          layout="vertical"
          initialValues={{ book: 'financial', type: 'revenue', allowNegative: false }}
          onFinish={(v) => void submit(v)}
        >
          <Form.Item
            label="科目代碼"
            name="code"
            rules={[{ required: true, whitespace: true, message: '請填寫科目代碼' }]}
            extra="字母、數字及 : . _ -，如 revenue:interest；fund:、quota:、appropriation:、retention:、expense:P… 為系統科目"
          >
            <Input />
          </Form.Item>
          <Form.Item label="科目名稱" name="name" rules={[{ required: true, whitespace: true, message: '請填寫科目名稱' }, { max: 200 }]}>
            <Input placeholder="如：專戶利息收入" />
          </Form.Item>
          <Form.Item label="帳簿" name="book" rules={[{ required: true }]}>
            <Select options={optionsOf(BOOK_LABELS)} />
          </Form.Item>
          <Form.Item label="科目類型" name="type" rules={[{ required: true }]}>
            <Select options={optionsOf(ACCOUNT_TYPE_LABELS)} />
          </Form.Item>
          <Form.Item label="允許負餘額" name="allowNegative" valuePropName="checked" extra="銀行及指標科目不允許">
            <Switch />
          </Form.Item>
        </Form>
      </Modal>
    </>
  );
}
