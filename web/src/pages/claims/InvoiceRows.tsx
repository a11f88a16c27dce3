import { Button, Card, Col, Form, Input, Row } from 'antd';
import { RowTotal } from './RowTotal';
import { addsUpRule, amountRule, dateRule, invoiceCodeRule, invoiceNumberRule, required, taxIdRule } from './rules';

/** The invoices of the claim: one card each, its fields stacked on a phone; their total is checked against the amount. */
export function InvoiceRows() {
  const form = Form.useFormInstance();
  return (
    <Form.List name="invoices" rules={[addsUpRule(form, '發票')]}>
      {(fields, { add, remove }, { errors }) => (
        <Card title="發票" size="small" style={{ marginBottom: 16 }}>
          {fields.map((field, i) => {
            const n = `第${i + 1}張發票`;
            return (
              <div key={field.key} role="group" aria-label={n} style={{ borderBottom: '1px solid #f0f0f0', marginBottom: 12 }}>
                <Row gutter={12} align="top">
                  <Col xs={24} md={8}>
                    <Form.Item label={`${i + 1}. 開票單位`} name={[field.name, 'issuer']} rules={[required('請填寫開票單位')]}>
                      <Input aria-label={`${n}開票單位`} maxLength={200} />
                    </Form.Item>
                  </Col>
                  <Col xs={24} md={8}>
                    <Form.Item label="統一社會信用代碼" name={[field.name, 'issuerTaxId']} rules={[required('請填寫開票單位的統一社會信用代碼'), taxIdRule]}>
                      <Input aria-label={`${n}統一社會信用代碼`} maxLength={18} style={{ textTransform: 'uppercase' }} />
                    </Form.Item>
                  </Col>
                  <Col xs={24} md={8}>
                    <Form.Item label="發票代碼" name={[field.name, 'code']} rules={[invoiceCodeRule]} extra="數電發票不填">
                      <Input aria-label={`${n}發票代碼`} inputMode="numeric" maxLength={12} />
                    </Form.Item>
                  </Col>
                  <Col xs={24} md={8}>
                    <Form.Item label="發票號碼" name={[field.name, 'number']} rules={[required('請填寫發票號碼'), invoiceNumberRule]}>
                      <Input aria-label={`${n}發票號碼`} inputMode="numeric" maxLength={20} />
                    </Form.Item>
                  </Col>
                  <Col xs={24} md={6}>
                    <Form.Item label="開票日期" name={[field.name, 'date']} rules={[required('請填寫開票日期'), dateRule]}>
                      <Input aria-label={`${n}開票日期`} placeholder="YYYY-MM-DD" maxLength={10} />
                    </Form.Item>
                  </Col>
                  <Col xs={16} md={6}>
                    <Form.Item label="金額（元）" name={[field.name, 'amount']} rules={[required('請填寫金額'), amountRule]}>
                      <Input aria-label={`${n}金額`} inputMode="decimal" />
                    </Form.Item>
                  </Col>
                  <Col xs={8} md={4}>
                    <Form.Item label=" " colon={false}>
                      <Button danger autoInsertSpace={false} onClick={() => remove(field.name)} disabled={fields.length === 1} aria-label={`刪除${n}`}>
                        刪除
                      </Button>
                    </Form.Item>
                  </Col>
                </Row>
              </div>
            );
          })}
          <Button onClick={() => add({})} style={{ marginBottom: 12 }}>
            添加發票
          </Button>
          <RowTotal list="invoices" label="發票合計" />
          <Form.ErrorList errors={errors} />
        </Card>
      )}
    </Form.List>
  );
}
