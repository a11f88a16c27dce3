import { App, Button, Card, Col, Form, Input, Radio, Row } from 'antd';
import { api, call, type Schema } from '../../../api/client';
import { ErrorNote } from '../../../components/ErrorNote';
import { useAction } from '../../../components/useAction';

type Fields = Schema<'ProposeCalendarChangeDto'>;

/** A day made a holiday or a worked weekend day, or returned to the default rule; another admin approves it. */
export function ProposeCalendarChange({ onDone }: { onDone: () => void }) {
  const { message } = App.useApp();
  const [form] = Form.useForm<Fields>();
  const action = useAction(form);
  const kindOfChange = Form.useWatch('action', form);

  const submit = async (v: Fields) => {
    const body: Fields =
      v.action === 'set'
        ? { day: v.day.trim(), action: 'set', kind: v.kind, name: v.name?.trim(), reason: v.reason.trim() }
        : { day: v.day.trim(), action: 'remove', reason: v.reason.trim() };
    const change = await action.run((key) => call(api.POST('/api/v1/calendar/changes', { headers: { 'Idempotency-Key': key }, body })));
    if (!change) return;
    void message.success(`已提出 ${change.day} 的變更，待另一位管理員審批`);
    form.resetFields();
    onDone();
  };

  return (
    <Card title="提出日曆變更" size="small" style={{ marginBottom: 16 }}>
      <Form form={form} layout="vertical" initialValues={{ action: 'set', kind: 'holiday' }} onFinish={(v) => void submit(v)}>
        <Row gutter={16}>
          <Col xs={24} sm={12} lg={6}>
            <Form.Item label="日期" name="day" rules={[{ required: true, pattern: /^\d{4}-\d{2}-\d{2}$/, message: '請按 YYYY-MM-DD 填寫' }]} extra="今天或以後">
              <Input placeholder="YYYY-MM-DD" />
            </Form.Item>
          </Col>
          <Col xs={24} sm={12} lg={6}>
            <Form.Item label="變更" name="action">
              <Radio.Group
                options={[
                  { value: 'set', label: '設為' },
                  { value: 'remove', label: '恢復默認' },
                ]}
              />
            </Form.Item>
          </Col>
          {kindOfChange === 'set' && (
            <>
              <Col xs={24} sm={12} lg={6}>
                <Form.Item label="類型" name="kind">
                  <Radio.Group
                    options={[
                      { value: 'holiday', label: '放假' },
                      { value: 'workday', label: '調休上班' },
                    ]}
                  />
                </Form.Item>
              </Col>
              <Col xs={24} sm={12} lg={6}>
                <Form.Item label="名稱" name="name" rules={[{ required: true, whitespace: true, message: '請填寫名稱，如 縣慶' }]}>
                  <Input placeholder="如 縣慶" />
                </Form.Item>
              </Col>
            </>
          )}
        </Row>
        <Form.Item label="依據" name="reason" rules={[{ required: true, whitespace: true, message: '請填寫依據' }]}>
          <Input placeholder="如 縣人民政府關於縣慶放假的通知" />
        </Form.Item>
        <ErrorNote error={action.error} />
        <Button type="primary" htmlType="submit" loading={action.busy}>
          提出日曆變更
        </Button>
      </Form>
    </Card>
  );
}
