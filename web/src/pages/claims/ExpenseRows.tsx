import { Button, Card, Col, Form, Input, Row, Select } from 'antd';
import { EXPENSE_CATEGORY_LABELS, optionsOf } from './labels';
import { RowTotal } from './RowTotal';
import { addsUpRule, amountRule, required } from './rules';

/** The expense detail (支出明細): one row per line, stacked on a phone; its total is checked against the amount. */
export function ExpenseRows() {
  const form = Form.useFormInstance();
  return (
    <Form.List name="expenses" rules={[addsUpRule(form, '支出明細')]}>
      {(fields, { add, remove }, { errors }) => (
        <Card title="支出明細" size="small" style={{ marginBottom: 16 }}>
          {fields.map((field, i) => (
            <Row key={field.key} gutter={12} align="top" role="group" aria-label={`第${i + 1}行支出`}>
              <Col xs={24} md={10}>
                <Form.Item label={`${i + 1}. 支出說明`} name={[field.name, 'description']} rules={[required('請填寫支出說明')]}>
                  <Input aria-label={`第${i + 1}行支出說明`} maxLength={500} />
                </Form.Item>
              </Col>
              <Col xs={24} md={6}>
                <Form.Item label="類別" name={[field.name, 'category']}>
                  <Select aria-label={`第${i + 1}行支出類別`} allowClear options={optionsOf(EXPENSE_CATEGORY_LABELS)} />
                </Form.Item>
              </Col>
              <Col xs={16} md={5}>
                <Form.Item label="金額（元）" name={[field.name, 'amount']} rules={[required('請填寫金額'), amountRule]}>
                  <Input aria-label={`第${i + 1}行支出金額`} inputMode="decimal" />
                </Form.Item>
              </Col>
              <Col xs={8} md={3}>
                <Form.Item label=" " colon={false}>
                  <Button danger autoInsertSpace={false} onClick={() => remove(field.name)} disabled={fields.length === 1} aria-label={`刪除第${i + 1}行支出`}>
                    刪除
                  </Button>
                </Form.Item>
              </Col>
            </Row>
          ))}
          <Button onClick={() => add({})} style={{ marginBottom: 12 }}>
            添加支出
          </Button>
          <RowTotal list="expenses" label="支出明細合計" />
          <Form.ErrorList errors={errors} />
        </Card>
      )}
    </Form.List>
  );
}
