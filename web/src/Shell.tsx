import { Button, Drawer, Grid, Layout, Menu, Space, Tag, Typography, type MenuProps } from 'antd';
import { useState, type ReactNode } from 'react';
import { Link, useLocation, useNavigate } from 'react-router';
import { useAuth, useMe } from './auth';
import { ROLE_LABELS, type MenuGroup } from './nav';
import { ALL_ROUTES } from './routes';

const GROUPS: MenuGroup[] = ['資金', '記帳', '項目與報帳', '審計與監督', '系統管理'];

/** The signed-in frame: the menu of the pages the user's roles use, who is signed in, and the page. */
export function Shell({ children }: { children: ReactNode }) {
  const me = useMe();
  const { signOut } = useAuth();
  const location = useLocation();
  const navigate = useNavigate();
  const screens = Grid.useBreakpoint();
  const narrow = !screens.lg;
  const [menuOpen, setMenuOpen] = useState(false);

  const mine = ALL_ROUTES.filter((r) => r.menu && (!r.roles || r.roles.some((role) => me.roles.includes(role))));
  const items: MenuProps['items'] = [
    ...mine.filter((r) => !r.group).map((r) => ({ key: r.path, label: <Link to={r.path}>{r.menu}</Link> })),
    ...GROUPS.map((group) => ({ group, entries: mine.filter((r) => r.group === group) }))
      .filter((g) => g.entries.length > 0)
      .map((g) => ({
        type: 'group' as const,
        key: g.group,
        label: g.group,
        children: g.entries.map((r) => ({ key: r.path, label: <Link to={r.path}>{r.menu}</Link> })),
      })),
  ];
  const selected = mine
    .map((r) => r.path)
    .filter((p) => location.pathname === p || (p !== '/' && location.pathname.startsWith(`${p}/`)))
    .sort((a, b) => b.length - a.length)
    .slice(0, 1);

  const menu = <Menu mode="inline" selectedKeys={selected} items={items} onClick={() => setMenuOpen(false)} />;

  return (
    <Layout style={{ minHeight: '100vh' }}>
      {narrow ? (
        // On a phone the menu is a drawer opened from the header, so it never covers the page's own heading.
        <Drawer title="扶貧資金一本帳" placement="left" open={menuOpen} onClose={() => setMenuOpen(false)} size={260} styles={{ body: { padding: 0 } }}>
          <nav aria-label="主菜單">{menu}</nav>
        </Drawer>
      ) : (
        <Layout.Sider width={200} theme="light">
          <nav aria-label="主菜單">
            <div style={{ padding: '16px 16px 8px', fontWeight: 600 }}>扶貧資金一本帳</div>
            {menu}
          </nav>
        </Layout.Sider>
      )}
      <Layout>
        <Layout.Header style={{ background: '#fff', padding: '0 16px', display: 'flex', alignItems: 'center', justifyContent: 'space-between', gap: 8 }}>
          {narrow && (
            <Button onClick={() => setMenuOpen(true)} aria-expanded={menuOpen}>
              菜單
            </Button>
          )}
          <Typography.Text ellipsis style={{ minWidth: 0, flex: 1 }}>
            {me.county} · {me.displayName}
            {!narrow &&
              me.roles.map((r) => (
                <Tag key={r} style={{ marginInlineStart: 8 }}>
                  {ROLE_LABELS[r]}
                </Tag>
              ))}
          </Typography.Text>
          <Space size={4}>
            <Button type="link" onClick={() => void navigate('/password')}>
              修改密碼
            </Button>
            <Button onClick={signOut}>退出</Button>
          </Space>
        </Layout.Header>
        {/* Ant Design's Content is the page's <main> landmark. */}
        <Layout.Content style={{ padding: narrow ? 12 : 24 }}>{children}</Layout.Content>
      </Layout>
    </Layout>
  );
}
