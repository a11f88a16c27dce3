import { Button, Form, Input, Modal } from 'antd';
import { useState } from 'react';
import { useNavigate } from 'react-router';
import { api, call } from '../../api/client';
import { ErrorNote } from '../../components/ErrorNote';
import { useAction } from '../../components/useAction';
import { today } from '../../format';
import { DATE_RULE } from './labels';

interface Fields {
  reason: string;
  effectiveDate: string;
}

/** 紅字沖銷: drafts the reversal of a posted transaction as a new voucher, which another finance user approves. */
export function ReverseTransaction({ transactionId }: { transactionId: string }) {
  const [open, setOpen] = useState(false);
  const [form] = Form.useForm<Fields>();
  const action = useAction(form);
  const navigate = useNavigate();

  const submit = async (v: Fields) => {
    const voucher = await action.run((key) =>
      call(
        api.POST('/api/v1/ledger/transactions/{id}/reversal', {
          params: { path: { id: transactionId } },
          headers: { 'Idempotency-Key': key },
          body: { reason: v.reason.trim(), effectiveDate: v.effectiveDate.trim() || undefined },
        }),
      ),
    );
    if (!voucher) return;
    setOpen(false);
    void navigate(`/vouchers/${voucher.id}`);
  };

  return (
    <>
      <Button danger onClick={() => setOpen(true)}>
        紅字沖銷
      </Button>
      <Modal
        title="紅字沖銷"
        open={open}
        onCancel={() => setOpen(false)}
        okText="保存沖銷憑證"
        onOk={() => form.submit()}
        confirmLoading={action.busy}
        destroyOnHidden
      >
        <p>沖銷憑證記入與原交易方向相反的分錄，須由另一位縣財政局人員審批後過帳；每筆交易只能沖銷一次。</p>
        <ErrorNote error={action.error} />
        <Form<Fields> name="reversal" form={form} layout="vertical" initialValues={{ reason: '', effectiveDate: today() }} onFinish={(v) => void submit(v)}>
          <Form.Item label="沖銷原因" name="reason" rules={[{ required: true, whitespace: true, message: '請填寫沖銷原因' }, { max: 500 }]}>
            <Input.TextArea rows={2} placeholder="如：金額錄入錯誤" />
          </Form.Item>
          <Form.Item label="業務日期" name="effectiveDate" rules={[DATE_RULE]} extra="不早於原交易的業務日期">
            <Input placeholder="YYYY-MM-DD" inputMode="numeric" />
          </Form.Item>
        </Form>
      </Modal>
    </>
  );
}
