import { App as AntApp, ConfigProvider, Spin } from 'antd';
import zhCN from 'antd/locale/zh_CN';
import dayjs from 'dayjs';
import 'dayjs/locale/zh-cn';
import { Suspense } from 'react';
import { BrowserRouter, Navigate, Route, Routes, useLocation } from 'react-router';
import { AuthProvider, useAuth } from './auth';
import { Shell } from './Shell';
import { PageErrorBoundary } from './components/PageErrorBoundary';
import { ALL_ROUTES } from './routes';
import ChangePassword from './pages/ChangePassword';
import Login from './pages/Login';

dayjs.locale('zh-cn');

const FONT_FAMILY =
  "-apple-system, BlinkMacSystemFont, 'Segoe UI', 'PingFang SC', 'Hiragino Sans GB', 'Microsoft YaHei', 'Noto Sans SC', 'Helvetica Neue', Arial, sans-serif";

/**
 * Ant Design's defaults with the contrast WCAG AA asks of small text (4.5:1): its grey secondary text, blue links and
 * red, green and orange texts are lighter than that on white; the axe-core check in the browser tests holds every page to it.
 */
const THEME = {
  colorPrimary: '#b71c1c',
  colorLink: '#0b57b8',
  colorTextSecondary: 'rgba(0, 0, 0, 0.64)',
  colorTextDescription: 'rgba(0, 0, 0, 0.64)',
  colorTextTertiary: 'rgba(0, 0, 0, 0.64)',
  colorTextPlaceholder: 'rgba(0, 0, 0, 0.56)',
  colorError: '#c62828',
  colorSuccess: '#2e7d32',
  colorWarning: '#a15c00',
  borderRadius: 4,
  fontFamily: FONT_FAMILY,
};

/** The console: Chinese by default, one browser tab one signed-in user, every page under the shell. */
export function App() {
  return (
    <ConfigProvider locale={zhCN} theme={{ token: THEME }} button={{ autoInsertSpace: false }}>
      <AntApp>
        <AuthProvider>
          <BrowserRouter>
            <Pages />
          </BrowserRouter>
        </AuthProvider>
      </AntApp>
    </ConfigProvider>
  );
}

function Pages() {
  const { me, loading } = useAuth();
  const location = useLocation();
  if (loading) return <Spin fullscreen />;
  if (!me) {
    return (
      <Routes>
        <Route path="/login" element={<Login />} />
        <Route path="*" element={<Navigate to="/login" replace state={{ from: location.pathname + location.search }} />} />
      </Routes>
    );
  }
  // A password someone else set (the first one, a reset) is changed before anything else opens.
  if (me.passwordChangeRequired) {
    return (
      <Routes>
        <Route path="*" element={<ChangePassword forced />} />
      </Routes>
    );
  }
  return (
    <Shell>
      <PageErrorBoundary page={location.pathname}>
        <Suspense fallback={<Spin />}>
          <Routes>
            <Route path="/login" element={<Navigate to={(location.state as { from?: string } | null)?.from ?? '/'} replace />} />
            <Route path="/password" element={<ChangePassword />} />
            {ALL_ROUTES.map((r) => (
              <Route key={r.path} path={r.path} element={<r.page />} />
            ))}
            <Route path="*" element={<NotFound />} />
          </Routes>
        </Suspense>
      </PageErrorBoundary>
    </Shell>
  );
}

function NotFound() {
  return <p>找不到此頁面。</p>;
}
