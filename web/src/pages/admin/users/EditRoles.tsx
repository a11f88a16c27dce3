import { App, Button, Checkbox, Form, Modal } from 'antd';
import { useState } from 'react';
import { api, call, type Schema } from '../../../api/client';
import { ErrorNote } from '../../../components/ErrorNote';
import { useAction } from '../../../components/useAction';
import { ROLE_OPTIONS } from './roles';

type User = Schema<'UserView'>;

/** Replaces a user's roles (nobody their own; the county keeps an enabled admin). */
export function EditRoles({ user, onDone }: { user: User; onDone: () => void }) {
  const { message } = App.useApp();
  const [open, setOpen] = useState(false);
  const [form] = Form.useForm<{ roles: User['roles'] }>();
  const action = useAction(form);

  const submit = async ({ roles }: { roles: User['roles'] }) => {
    const done = await action.run((key) =>
      call(api.PUT('/api/v1/admin/users/{id}/roles', { params: { path: { id: user.id } }, headers: { 'Idempotency-Key': key }, body: { roles } })),
    );
    if (!done) return;
    void message.success(`已修改 ${user.username} 的角色`);
    setOpen(false);
    onDone();
  };

  return (
    <>
      <Button size="small" onClick={() => setOpen(true)} aria-label={`修改角色 ${user.username}`}>
        修改角色
      </Button>
      <Modal
        open={open}
        title={`修改角色：${user.displayName}（${user.username}）`}
        okText="保存角色"
        cancelText="取消"
        confirmLoading={action.busy}
        onOk={() => form.submit()}
        onCancel={() => {
          setOpen(false);
          action.clear();
        }}
        destroyOnHidden
      >
        <Form form={form} layout="vertical" initialValues={{ roles: user.roles }} onFinish={(v) => void submit(v)}>
          <Form.Item label="角色" name="roles" rules={[{ required: true, type: 'array', min: 1, message: '請至少選一個角色' }]}>
            <Checkbox.Group options={ROLE_OPTIONS} />
          </Form.Item>
        </Form>
        <ErrorNote error={action.error} />
      </Modal>
    </>
  );
}
