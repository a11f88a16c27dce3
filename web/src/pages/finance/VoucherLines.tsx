import { Button, Col, Form, Grid, Input, Row, Typography, type FormInstance } from 'antd';
import type { Schema } from '../../api/client';
import { AccountSelect } from './AccountSelect';
import { AMOUNT_RULE } from './labels';
import type { LineInput } from './voucherBalance';

const MIN_LINES = 2;
const filled = (v: unknown) => typeof v === 'string' && v.trim() !== '';

interface Props {
  form: FormInstance;
  onAccount: (account: Schema<'AccountView'>) => void;
  newLine: () => LineInput;
}

/**
 * The voucher's lines: an account and exactly one of debit and credit each, at least two. On a wide screen the column
 * heads label the inputs; on a phone each input shows its own label. Every input is named 第n行… for assistive tech.
 */
export function VoucherLines({ form, onAccount, newLine }: Props) {
  const narrow = !Grid.useBreakpoint().md;
  const label = (text: string) => (narrow ? text : undefined);
  return (
    <Form.List
      name="lines"
      rules={[{ validator: (_, lines: unknown[]) => (lines.length >= MIN_LINES ? Promise.resolve() : Promise.reject(new Error('至少兩行分錄'))) }]}
    >
      {(fields, { add, remove }, { errors }) => (
        <section aria-label="分錄">
          <Typography.Title level={3} style={{ fontSize: 16 }}>
            分錄
          </Typography.Title>
          {!narrow && (
            <Row gutter={8} aria-hidden style={{ fontWeight: 600, marginBottom: 8 }}>
              <Col md={1}>行</Col>
              <Col md={11}>科目</Col>
              <Col md={5}>借方金額</Col>
              <Col md={5}>貸方金額</Col>
            </Row>
          )}
          {fields.map((field, i) => {
            const n = i + 1;
            return (
              <Row key={field.key} gutter={8} align="top" style={narrow ? { borderTop: '1px solid #f0f0f0', paddingTop: 8 } : undefined}>
                <Col xs={24} md={1} style={{ paddingTop: narrow ? 0 : 5 }}>
                  {narrow ? <Typography.Text strong>第 {n} 行</Typography.Text> : n}
                </Col>
                <Col xs={24} md={11}>
                  <Form.Item label={label('科目')} name={[field.name, 'account']} rules={[{ required: true, message: '請選擇科目' }]}>
                    <AccountSelect aria-label={`第${n}行科目`} onAccount={onAccount} />
                  </Form.Item>
                </Col>
                <Col xs={12} md={5}>
                  <Form.Item
                    label={label('借方金額')}
                    name={[field.name, 'debit']}
                    dependencies={[['lines', field.name, 'credit']]}
                    rules={[
                      AMOUNT_RULE,
                      {
                        validator: () => {
                          const both = [form.getFieldValue(['lines', field.name, 'debit']), form.getFieldValue(['lines', field.name, 'credit'])].filter(filled);
                          if (both.length === 1) return Promise.resolve();
                          return Promise.reject(new Error(both.length === 0 ? '借方、貸方須填一項' : '借方、貸方只能填一項'));
                        },
                      },
                    ]}
                  >
                    <Input aria-label={`第${n}行借方金額`} inputMode="decimal" placeholder="0.00" style={{ textAlign: 'right' }} />
                  </Form.Item>
                </Col>
                <Col xs={12} md={5}>
                  <Form.Item label={label('貸方金額')} name={[field.name, 'credit']} rules={[AMOUNT_RULE]}>
                    <Input aria-label={`第${n}行貸方金額`} inputMode="decimal" placeholder="0.00" style={{ textAlign: 'right' }} />
                  </Form.Item>
                </Col>
                <Col xs={24} md={2} style={{ marginBottom: narrow ? 8 : 0 }}>
                  <Button aria-label={`刪除第${n}行`} onClick={() => remove(field.name)} disabled={fields.length <= MIN_LINES} autoInsertSpace={false}>
                    刪除
                  </Button>
                </Col>
              </Row>
            );
          })}
          <Form.ErrorList errors={errors} />
          <Button onClick={() => add(newLine())} style={{ marginBottom: 16 }}>
            添加一行
          </Button>
        </section>
      )}
    </Form.List>
  );
}
