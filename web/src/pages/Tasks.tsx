import { Typography } from 'antd';

export default function Tasks() {
  return <Typography.Title level={2}>我的待辦</Typography.Title>;
}
