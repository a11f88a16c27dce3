import { Alert, Button } from 'antd';
import { Component, type ReactNode } from 'react';

/**
 * A page that fails to load or render (a page's script gone after the service was updated while the tab stayed
 * open, a bug) says so and offers a reload, instead of leaving the clerk a blank screen.
 */
export class PageErrorBoundary extends Component<{ children: ReactNode; page: string }, { error: Error | null }> {
  state = { error: null as Error | null };

  static getDerivedStateFromError(error: Error) {
    return { error };
  }

  componentDidUpdate(previous: { page: string }) {
    if (previous.page !== this.props.page && this.state.error) this.setState({ error: null });
  }

  render() {
    if (!this.state.error) return this.props.children;
    return (
      <Alert
        type="error"
        showIcon
        role="alert"
        title="此頁面無法打開"
        description={
          <>
            <p>系統可能剛更新過，請重新載入頁面。（{this.state.error.message}）</p>
            <Button type="primary" onClick={() => window.location.reload()}>
              重新載入
            </Button>
          </>
        }
      />
    );
  }
}
