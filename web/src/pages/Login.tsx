import { Button, Card, Form, Input, Typography } from 'antd';
import { useAuth } from '../auth';
import { ErrorNote } from '../components/ErrorNote';
import { useAction } from '../components/useAction';

export default function Login() {
  const { signIn } = useAuth();
  const [form] = Form.useForm<{ username: string; password: string }>();
  const action = useAction(form);
  return (
    <main style={{ display: 'flex', justifyContent: 'center', alignItems: 'center', minHeight: '100vh', padding: 16, background: '#f5f5f5' }}>
      <Card style={{ width: 380, maxWidth: '100%' }}>
        <Typography.Title level={1} style={{ fontSize: 22 }}>
          扶貧資金一本帳
        </Typography.Title>
        <Typography.Paragraph type="secondary">縣財政局 · 鄉鎮財政所 · 村 · 業務主管部門 · 審計</Typography.Paragraph>
        <ErrorNote error={action.error} />
        <Form form={form} layout="vertical" onFinish={(v) => void action.run(() => signIn(v.username, v.password))} requiredMark={false}>
          <Form.Item label="用戶名" name="username" rules={[{ required: true, message: '請輸入用戶名' }]}>
            <Input autoComplete="username" autoFocus />
          </Form.Item>
          <Form.Item label="密碼" name="password" rules={[{ required: true, message: '請輸入密碼' }]}>
            <Input.Password autoComplete="current-password" />
          </Form.Item>
          <Button type="primary" htmlType="submit" block loading={action.busy}>
            登錄
          </Button>
        </Form>
      </Card>
    </main>
  );
}
