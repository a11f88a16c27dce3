import { App, Button, Card, Form, Input, Typography } from 'antd';
import { useNavigate } from 'react-router';
import { api, call, session } from '../api/client';
import { useAuth } from '../auth';
import { ErrorNote } from '../components/ErrorNote';
import { useAction } from '../components/useAction';

interface Fields {
  currentPassword: string;
  newPassword: string;
  repeat: string;
}

/** Change one's own password; `forced` when someone else set it and nothing else opens until it is changed. */
export default function ChangePassword({ forced = false }: { forced?: boolean }) {
  const { refresh, signOut } = useAuth();
  const { message } = App.useApp();
  const navigate = useNavigate();
  const [form] = Form.useForm<Fields>();
  const action = useAction(form);

  const submit = async (v: Fields) => {
    const done = await action.run(() => call(api.POST('/api/v1/auth/password', { body: { currentPassword: v.currentPassword, newPassword: v.newPassword } })));
    if (done === undefined) return;
    // The change ends every earlier token: the answer is this tab's new one.
    session.set(done.accessToken);
    void message.success('密碼已修改');
    await refresh();
    void navigate('/');
  };

  return (
    <Card style={{ maxWidth: 480, margin: forced ? '10vh auto' : undefined }}>
      <Typography.Title level={2} style={{ fontSize: 20 }}>
        修改密碼
      </Typography.Title>
      {forced && <Typography.Paragraph>您的密碼由他人設置，請先設置自己的密碼。</Typography.Paragraph>}
      <ErrorNote error={action.error} />
      <Form form={form} layout="vertical" onFinish={(v) => void submit(v)}>
        <Form.Item label="當前密碼" name="currentPassword" rules={[{ required: true, message: '請輸入當前密碼' }]}>
          <Input.Password autoComplete="current-password" />
        </Form.Item>
        <Form.Item
          label="新密碼"
          name="newPassword"
          rules={[{ required: true, message: '請輸入新密碼' }]}
          extra="至少 12 個字符，不要用常見的詞或與用戶名相近的密碼"
        >
          <Input.Password autoComplete="new-password" />
        </Form.Item>
        <Form.Item
          label="再次輸入新密碼"
          name="repeat"
          dependencies={['newPassword']}
          rules={[
            { required: true, message: '請再次輸入新密碼' },
            ({ getFieldValue }) => ({
              validator: (_, value) => (value === getFieldValue('newPassword') ? Promise.resolve() : Promise.reject(new Error('兩次輸入的密碼不一致'))),
            }),
          ]}
        >
          <Input.Password autoComplete="new-password" />
        </Form.Item>
        <Button type="primary" htmlType="submit" loading={action.busy}>
          保存
        </Button>
        {forced && (
          <Button type="link" onClick={signOut}>
            退出
          </Button>
        )}
      </Form>
    </Card>
  );
}
