import { App, Button, Form, Input, Modal, Typography } from 'antd';
import { useState } from 'react';
import { api, call, type Schema } from '../../../api/client';
import { ErrorNote } from '../../../components/ErrorNote';
import { useAction } from '../../../components/useAction';
import { PASSWORD_HINT } from './roles';

type User = Schema<'UserView'>;

/**
 * Sets a password for another user: the admin chooses it (the API answers the user, never a password), the user's
 * tokens stop working and they must set their own at next login.
 */
export function ResetPassword({ user }: { user: User }) {
  const { message } = App.useApp();
  const [open, setOpen] = useState(false);
  const [form] = Form.useForm<{ password: string }>();
  const action = useAction(form);

  const submit = async ({ password }: { password: string }) => {
    const done = await action.run((key) =>
      call(api.POST('/api/v1/admin/users/{id}/password', { params: { path: { id: user.id } }, headers: { 'Idempotency-Key': key }, body: { password } })),
    );
    if (!done) return;
    void message.success(`已重置 ${user.username} 的密碼，請把新密碼當面告知本人`);
    setOpen(false);
  };

  return (
    <>
      <Button size="small" onClick={() => setOpen(true)} aria-label={`重置密碼 ${user.username}`}>
        重置密碼
      </Button>
      <Modal
        open={open}
        title={`重置密碼：${user.displayName}（${user.username}）`}
        okText="重置密碼"
        cancelText="取消"
        confirmLoading={action.busy}
        onOk={() => form.submit()}
        onCancel={() => {
          setOpen(false);
          action.clear();
        }}
        destroyOnHidden
      >
        <Typography.Paragraph>該用戶已登錄的會話將立即失效，下次登錄時須先改為自己的密碼。</Typography.Paragraph>
        <Form form={form} layout="vertical" onFinish={(v) => void submit(v)}>
          <Form.Item label="新密碼" name="password" rules={[{ required: true, message: '請填寫新密碼' }]} extra={PASSWORD_HINT}>
            <Input.Password autoComplete="new-password" />
          </Form.Item>
        </Form>
        <ErrorNote error={action.error} />
      </Modal>
    </>
  );
}
