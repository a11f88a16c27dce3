import { App, Button, Form, Input, Modal, Space } from 'antd';
import { useState } from 'react';
import { api, call, type Schema } from '../../../api/client';
import { ErrorNote } from '../../../components/ErrorNote';
import { useAction } from '../../../components/useAction';

type Change = Schema<'CalendarChangeView'>;

/** Approve or reject a pending day change: another admin than the proposer (SAME_HAND otherwise), each with its refusal. */
export function CalendarDecision({ change, onDone }: { change: Change; onDone: () => void }) {
  const { message } = App.useApp();
  const approve = useAction();
  const [form] = Form.useForm<{ reason: string }>();
  const reject = useAction(form);
  const [rejecting, setRejecting] = useState(false);
  const path = { params: { path: { id: change.id } } };

  const doApprove = async () => {
    const done = await approve.run((key) => call(api.POST('/api/v1/calendar/changes/{id}/approve', { ...path, headers: { 'Idempotency-Key': key } })));
    if (!done) return;
    void message.success(`已批准 ${change.day} 的變更`);
    onDone();
  };
  const doReject = async ({ reason }: { reason: string }) => {
    const done = await reject.run((key) =>
      call(api.POST('/api/v1/calendar/changes/{id}/reject', { ...path, headers: { 'Idempotency-Key': key }, body: { reason: reason.trim() } })),
    );
    if (!done) return;
    setRejecting(false);
    void message.success(`已駁回 ${change.day} 的變更`);
    onDone();
  };

  return (
    <Space orientation="vertical" size={4} style={{ maxWidth: 360 }}>
      <Space size={4}>
        <Button size="small" type="primary" loading={approve.busy} onClick={() => void doApprove()} aria-label={`批准 ${change.day}`}>
          批准
        </Button>
        <Button size="small" onClick={() => setRejecting(true)} aria-label={`駁回 ${change.day}`}>
          駁回
        </Button>
      </Space>
      <ErrorNote error={approve.error} onClose={approve.clear} />
      <Modal
        open={rejecting}
        title={`駁回 ${change.day} 的變更`}
        okText="駁回"
        cancelText="取消"
        confirmLoading={reject.busy}
        onOk={() => form.submit()}
        onCancel={() => setRejecting(false)}
        destroyOnHidden
      >
        <Form form={form} layout="vertical" onFinish={(v) => void doReject(v)}>
          <Form.Item label="駁回理由" name="reason" rules={[{ required: true, whitespace: true, message: '請填寫駁回理由' }]}>
            <Input.TextArea rows={2} />
          </Form.Item>
        </Form>
        <ErrorNote error={reject.error} />
      </Modal>
    </Space>
  );
}
