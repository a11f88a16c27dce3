import { App, Button, Popconfirm, Space, Tag, Typography, type TableColumnsType } from 'antd';
import { useState } from 'react';
import { api, call, type Schema } from '../../../api/client';
import { hasRole, useMe } from '../../../auth';
import { ErrorNote } from '../../../components/ErrorNote';
import { PagedTable } from '../../../components/PagedTable';
import { useAction } from '../../../components/useAction';
import { ROLE_LABELS } from '../../../nav';
import { OrgUnitName } from '../org-units/OrgUnitName';
import { CreateUser } from './CreateUser';
import { EditRoles } from './EditRoles';
import { ResetPassword } from './ResetPassword';

type User = Schema<'UserView'>;

/** Disabling stops the user's tokens at once; asked to confirm first. Its refusal shows under the row's buttons. */
function UserActions({ user, onDone }: { user: User; onDone: () => void }) {
  const { message } = App.useApp();
  const disable = useAction();
  const run = async () => {
    const done = await disable.run((key) =>
      call(api.POST('/api/v1/admin/users/{id}/disable', { params: { path: { id: user.id } }, headers: { 'Idempotency-Key': key } })),
    );
    if (!done) return;
    void message.success(`已停用 ${user.username}`);
    onDone();
  };
  return (
    <Space orientation="vertical" size={4} style={{ maxWidth: 360 }}>
      <Space wrap size={4}>
        <EditRoles user={user} onDone={onDone} />
        <ResetPassword user={user} />
        {!user.disabled && (
          <Popconfirm
            title={`停用 ${user.username}？`}
            description="停用後該用戶立即不能登錄和操作。"
            okText="停用"
            cancelText="取消"
            onConfirm={() => void run()}
          >
            <Button size="small" danger loading={disable.busy} aria-label={`停用 ${user.username}`}>
              停用
            </Button>
          </Popconfirm>
        )}
      </Space>
      <ErrorNote error={disable.error} onClose={disable.clear} />
    </Space>
  );
}

/** 用戶與角色: the county's users paged by id; admins create users, change roles, reset passwords and disable. */
export default function Users() {
  const me = useMe();
  const admin = hasRole(me, 'admin');
  const [version, setVersion] = useState(0);
  const reload = () => setVersion((v) => v + 1);

  const columns: TableColumnsType<User> = [
    { title: '用戶名', dataIndex: 'username' },
    { title: '姓名', dataIndex: 'displayName' },
    { title: '單位', dataIndex: 'orgUnitId', render: (id: number) => <OrgUnitName id={id} /> },
    {
      title: '角色',
      dataIndex: 'roles',
      render: (roles: User['roles']) => (
        <Space wrap size={4}>
          {roles.map((r) => (
            <Tag key={r}>{ROLE_LABELS[r]}</Tag>
          ))}
        </Space>
      ),
    },
    { title: '狀態', dataIndex: 'disabled', render: (d: boolean) => (d ? <Tag color="red">已停用</Tag> : <Tag color="green">正常</Tag>) },
    ...(admin ? [{ title: '操作', key: 'actions', render: (_: unknown, u: User) => <UserActions user={u} onDone={reload} /> }] : []),
  ];

  return (
    <>
      <Typography.Title level={2}>用戶與角色</Typography.Title>
      {admin && <CreateUser onCreated={reload} />}
      <PagedTable<User>
        aria-label="用戶"
        rowKey="id"
        columns={columns}
        query={version}
        fetchPage={(afterId, limit) => call(api.GET('/api/v1/admin/users', { params: { query: { limit, afterId } } }))}
        cursorOf={(u) => u.id}
      />
    </>
  );
}
