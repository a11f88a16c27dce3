import { App, Button, Card, Col, Form, Input, Row } from 'antd';
import { api, call, type Schema } from '../../../api/client';
import { ErrorNote } from '../../../components/ErrorNote';
import { useAction } from '../../../components/useAction';
import { OrgUnitSelect } from './OrgUnitSelect';

type Fields = Schema<'CreateOrgUnitDto'>;

/** A township under the county or a village under a township; the parent's level decides which. */
export function CreateOrgUnit({ onCreated }: { onCreated: () => void }) {
  const { message } = App.useApp();
  const [form] = Form.useForm<Fields>();
  const action = useAction(form);

  const submit = async (v: Fields) => {
    const unit = await action.run((key) =>
      call(api.POST('/api/v1/org-units', { headers: { 'Idempotency-Key': key }, body: { parentId: v.parentId, code: v.code.trim(), name: v.name.trim() } })),
    );
    if (!unit) return;
    void message.success(`已新建 ${unit.name}`);
    form.resetFields();
    onCreated();
  };

  return (
    <Card title="新建單位" style={{ marginBottom: 16 }}>
      <Form form={form} layout="vertical" onFinish={(v) => void submit(v)}>
        <Row gutter={16}>
          <Col xs={24} md={8}>
            <Form.Item label="上級單位" name="parentId" rules={[{ required: true, message: '請選擇上級單位' }]} extra="鄉鎮建在縣下，村建在鄉鎮下">
              <OrgUnitSelect levels={['county', 'township']} placeholder="選擇縣或鄉鎮" />
            </Form.Item>
          </Col>
          <Col xs={24} md={8}>
            <Form.Item label="單位代碼" name="code" rules={[{ required: true, whitespace: true, message: '請填寫單位代碼' }]}>
              <Input placeholder="如 421124101" />
            </Form.Item>
          </Col>
          <Col xs={24} md={8}>
            <Form.Item label="單位名稱" name="name" rules={[{ required: true, whitespace: true, message: '請填寫單位名稱' }]}>
              <Input placeholder="如 溫泉鎮" />
            </Form.Item>
          </Col>
        </Row>
        <ErrorNote error={action.error} />
        <Button type="primary" htmlType="submit" loading={action.busy}>
          新建單位
        </Button>
      </Form>
    </Card>
  );
}
