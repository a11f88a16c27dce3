import { App, Button, Card, Checkbox, Col, Form, Input, Row } from 'antd';
import { api, call, type Schema } from '../../../api/client';
import { ErrorNote } from '../../../components/ErrorNote';
import { useAction } from '../../../components/useAction';
import { OrgUnitSelect } from '../org-units/OrgUnitSelect';
import { PASSWORD_HINT, ROLE_OPTIONS } from './roles';

type Fields = Schema<'CreateUserDto'>;

/** A new user with a first password (they change it at first login) and roles held at their unit's level. */
export function CreateUser({ onCreated }: { onCreated: () => void }) {
  const { message } = App.useApp();
  const [form] = Form.useForm<Fields>();
  const action = useAction(form);

  const submit = async (v: Fields) => {
    const user = await action.run((key) =>
      call(
        api.POST('/api/v1/admin/users', {
          headers: { 'Idempotency-Key': key },
          body: { username: v.username.trim(), displayName: v.displayName.trim(), orgUnitId: v.orgUnitId, roles: v.roles, password: v.password },
        }),
      ),
    );
    if (!user) return;
    void message.success(`已新建用戶 ${user.username}`);
    form.resetFields();
    onCreated();
  };

  return (
    <Card title="新建用戶" style={{ marginBottom: 16 }}>
      <Form form={form} layout="vertical" onFinish={(v) => void submit(v)} initialValues={{ roles: [] }}>
        <Row gutter={16}>
          <Col xs={24} md={12} lg={6}>
            <Form.Item label="用戶名" name="username" rules={[{ required: true, whitespace: true, message: '請填寫用戶名' }]} extra="3–64 個字母、數字或 . _ -">
              <Input autoComplete="off" />
            </Form.Item>
          </Col>
          <Col xs={24} md={12} lg={6}>
            <Form.Item label="姓名" name="displayName" rules={[{ required: true, whitespace: true, message: '請填寫姓名' }]}>
              <Input autoComplete="off" />
            </Form.Item>
          </Col>
          <Col xs={24} md={12} lg={6}>
            <Form.Item label="所在單位" name="orgUnitId" rules={[{ required: true, message: '請選擇單位' }]} extra="縣級角色在縣，鄉鎮財政所在鄉鎮，村在村">
              <OrgUnitSelect placeholder="選擇單位" />
            </Form.Item>
          </Col>
          <Col xs={24} md={12} lg={6}>
            <Form.Item label="初始密碼" name="password" rules={[{ required: true, message: '請填寫初始密碼' }]} extra={PASSWORD_HINT}>
              <Input.Password autoComplete="new-password" />
            </Form.Item>
          </Col>
        </Row>
        <Form.Item label="角色" name="roles" rules={[{ required: true, type: 'array', min: 1, message: '請至少選一個角色' }]}>
          <Checkbox.Group options={ROLE_OPTIONS} />
        </Form.Item>
        <ErrorNote error={action.error} />
        <Button type="primary" htmlType="submit" loading={action.busy}>
          新建用戶
        </Button>
      </Form>
    </Card>
  );
}
