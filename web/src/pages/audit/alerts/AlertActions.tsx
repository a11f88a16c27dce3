import { App, Button, Card, Col, Form, Input, Row } from 'antd';
import { api, call } from '../../../api/client';
import { hasRole, useMe } from '../../../auth';
import { ErrorNote } from '../../../components/ErrorNote';
import { useAction } from '../../../components/useAction';
import { ALERT_ANSWERERS, ALERT_DECIDERS } from './roles';

type Step = 'acknowledge' | 'explain' | 'close' | 'escalate';

const STEPS: Record<Step, { button: string; note: string; required: boolean; done: string }> = {
  acknowledge: { button: '確認', note: '確認備註（可不填）', required: false, done: '已確認' },
  explain: { button: '說明', note: '情況說明', required: true, done: '已提交說明' },
  close: { button: '關閉', note: '關閉原因', required: true, done: '已關閉' },
  escalate: { button: '升級', note: '升級原因', required: true, done: '已升級' },
};

/** One step on the alert: its note, its button, and its own refusal beside it. */
function StepForm({ id, step, onDone }: { id: number; step: Step; onDone: () => void }) {
  const { message } = App.useApp();
  const [form] = Form.useForm<{ note?: string }>();
  const action = useAction(form);
  const s = STEPS[step];

  const submit = async ({ note }: { note?: string }) => {
    const text = note?.trim();
    const done = await action.run((key) => {
      const init = { params: { path: { id } }, headers: { 'Idempotency-Key': key } };
      switch (step) {
        case 'acknowledge':
          return call(api.POST('/api/v1/monitoring/alerts/{id}/acknowledge', { ...init, body: text ? { note: text } : {} }));
        case 'explain':
          return call(api.POST('/api/v1/monitoring/alerts/{id}/explain', { ...init, body: { note: text ?? '' } }));
        case 'close':
          return call(api.POST('/api/v1/monitoring/alerts/{id}/close', { ...init, body: { note: text ?? '' } }));
        case 'escalate':
          return call(api.POST('/api/v1/monitoring/alerts/{id}/escalate', { ...init, body: { note: text ?? '' } }));
      }
    });
    if (!done) return;
    form.resetFields();
    void message.success(s.done);
    onDone();
  };

  return (
    <Form form={form} layout="vertical" onFinish={(v) => void submit(v)}>
      <Form.Item label={s.note} name="note" rules={s.required ? [{ required: true, whitespace: true, message: `請填寫${s.note}` }] : []}>
        <Input.TextArea rows={2} maxLength={2000} />
      </Form.Item>
      <ErrorNote error={action.error} />
      <Button htmlType="submit" type={step === 'escalate' ? 'default' : 'primary'} danger={step === 'escalate'} loading={action.busy}>
        {s.button}
      </Button>
    </Form>
  );
}

/** The steps the user's roles may take: answerers acknowledge and explain, deciders close and escalate. */
export function AlertActions({ id, closed, onDone }: { id: number; closed: boolean; onDone: () => void }) {
  const me = useMe();
  const steps: Step[] = [
    ...(hasRole(me, ...ALERT_ANSWERERS) ? (['acknowledge', 'explain'] as const) : []),
    ...(hasRole(me, ...ALERT_DECIDERS) ? (['close', 'escalate'] as const) : []),
  ];
  if (closed || steps.length === 0) return null;
  return (
    <Card title="處理" style={{ marginBottom: 16 }}>
      <Row gutter={[24, 16]}>
        {steps.map((step) => (
          <Col key={step} xs={24} md={12} xl={6}>
            <StepForm id={id} step={step} onDone={onDone} />
          </Col>
        ))}
      </Row>
    </Card>
  );
}
