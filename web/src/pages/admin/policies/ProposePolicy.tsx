import { App, Button, Card, Col, Form, Input, Row, Select } from 'antd';
import { api, call, type Schema } from '../../../api/client';
import { ErrorNote } from '../../../components/ErrorNote';
import { useAction } from '../../../components/useAction';
import { POLICY_KEYS, POLICY_LABELS, VALUE_HINTS } from './policyLabels';

type Fields = Schema<'ProposePolicyDto'>;

/** Proposes a new value from a day on; it takes effect only once another person approves it. */
export function ProposePolicy({ onDone }: { onDone: () => void }) {
  const { message } = App.useApp();
  const [form] = Form.useForm<Fields>();
  const action = useAction(form);
  const key = Form.useWatch('key', form);

  const submit = async (v: Fields) => {
    const change = await action.run((idem) =>
      call(
        api.POST('/api/v1/policies/changes', {
          headers: { 'Idempotency-Key': idem },
          body: { key: v.key, value: (v.value ?? '').trim(), effectiveFrom: v.effectiveFrom.trim(), reason: v.reason.trim() },
        }),
      ),
    );
    if (!change) return;
    void message.success(change.warnings.length > 0 ? `已提出，請留意：${change.warnings.join('；')}` : '已提出，待另一人審批');
    form.resetFields();
    onDone();
  };

  return (
    <Card title="提出參數變更" size="small" style={{ marginBottom: 16 }}>
      <Form form={form} layout="vertical" onFinish={(v) => void submit(v)}>
        <Row gutter={16}>
          <Col xs={24} lg={12}>
            <Form.Item label="參數" name="key" rules={[{ required: true, message: '請選擇參數' }]}>
              <Select showSearch={{ optionFilterProp: 'label' }} options={POLICY_KEYS.map((k) => ({ value: k, label: POLICY_LABELS[k].label }))} />
            </Form.Item>
          </Col>
          <Col xs={24} sm={12} lg={6}>
            <Form.Item label="新取值" name="value" extra={key ? VALUE_HINTS[POLICY_LABELS[key].unit] : undefined}>
              <Input />
            </Form.Item>
          </Col>
          <Col xs={24} sm={12} lg={6}>
            <Form.Item label="生效日期" name="effectiveFrom" rules={[{ required: true, pattern: /^\d{4}-\d{2}-\d{2}$/, message: '請按 YYYY-MM-DD 填寫' }]}>
              <Input placeholder="YYYY-MM-DD" />
            </Form.Item>
          </Col>
        </Row>
        <Form.Item label="依據" name="reason" rules={[{ required: true, whitespace: true, message: '請填寫依據，如會議決定或文件' }]}>
          <Input placeholder="如 縣政府常務會議決定" />
        </Form.Item>
        <ErrorNote error={action.error} />
        <Button type="primary" htmlType="submit" loading={action.busy}>
          提出變更
        </Button>
      </Form>
    </Card>
  );
}
