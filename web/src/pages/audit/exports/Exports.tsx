import { Card, Col, Form, Input, Row, Typography } from 'antd';
import { PackageCard } from './PackageCard';
import { TableExports } from './TableExports';
import { BOOKS, REGISTERS } from './catalogue';

const DATE = /^\d{4}-\d{2}-\d{2}$/;
const dateRule = { pattern: DATE, message: '請按 YYYY-MM-DD 填寫' };

/** 導出: the books, the registers and the audit package of a period, each downloaded on its own. */
export default function Exports() {
  const [form] = Form.useForm();
  const year = new Date().getFullYear();

  return (
    <>
      <Typography.Title level={2}>導出</Typography.Title>
      <Form form={form} layout="vertical" initialValues={{ from: `${year}-01-01`, to: `${year}-12-31`, attachments: false }}>
        <Card title="期間（業務日期，含首尾兩天）" style={{ marginBottom: 16 }}>
          <Row gutter={16}>
            <Col xs={24} sm={12} md={8}>
              <Form.Item label="開始日期" name="from" rules={[{ required: true, message: '請填寫開始日期' }, dateRule]}>
                <Input placeholder="YYYY-MM-DD" />
              </Form.Item>
            </Col>
            <Col xs={24} sm={12} md={8}>
              <Form.Item label="結束日期" name="to" rules={[{ required: true, message: '請填寫結束日期' }, dateRule]}>
                <Input placeholder="YYYY-MM-DD" />
              </Form.Item>
            </Col>
          </Row>
        </Card>
        <PackageCard form={form} />
        <TableExports title="賬簿" family="books" entries={BOOKS} form={form} />
        <TableExports title="登記簿" family="registers" entries={REGISTERS} form={form} />
      </Form>
    </>
  );
}
