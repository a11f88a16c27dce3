import { Button, Card, Col, Form, Input, Row, Space, Typography } from 'antd';
import { useState } from 'react';
import { Link, useNavigate } from 'react-router';
import { api, call, type Schema } from '../../api/client';
import { ErrorNote } from '../../components/ErrorNote';
import { useAction } from '../../components/useAction';
import { today } from '../../format';
import { DATE_RULE, type Book } from './labels';
import { VoucherLines } from './VoucherLines';
import { VoucherTotals } from './VoucherTotals';
import { imbalances, voucherTotals, type LineInput } from './voucherBalance';
import { markRefusedAccount } from './voucherErrors';

interface Fields {
  effectiveDate: string;
  memo: string;
  lines: LineInput[];
}

const blank = (): LineInput => ({ account: undefined, debit: '', credit: '' });
const amount = (v: string | undefined) => (v && v.trim() ? v.trim() : undefined);

/** 錄入憑證: a balanced manual entry drafted here, posted only when another finance user approves it. */
export default function VoucherNew() {
  const navigate = useNavigate();
  const [form] = Form.useForm<Fields>();
  const action = useAction(form);
  const [books, setBooks] = useState<Record<string, Book>>({});
  const [tried, setTried] = useState(false);
  const lines = Form.useWatch('lines', form) ?? [];

  const totals = voucherTotals(lines, (code) => books[code]);
  const problems = imbalances(totals);

  const submit = async (v: Fields) => {
    setTried(true);
    if (imbalances(voucherTotals(v.lines, (code) => books[code])).length > 0) return;
    const body = {
      effectiveDate: v.effectiveDate.trim(),
      memo: v.memo.trim(),
      lines: v.lines.map((l) => ({ account: l.account!, debit: amount(l.debit), credit: amount(l.credit) })),
    };
    const voucher = await action.run(async (key) => {
      try {
        return await call(api.POST('/api/v1/ledger/transactions', { headers: { 'Idempotency-Key': key }, body }));
      } catch (e) {
        markRefusedAccount(form, v.lines, e);
        throw e;
      }
    });
    if (voucher) void navigate(`/vouchers/${voucher.id}`);
  };

  const remember = (account: Schema<'AccountView'>) => setBooks((b) => ({ ...b, [account.code]: account.book }));

  return (
    <>
      <Typography.Title level={2}>錄入憑證</Typography.Title>
      <Typography.Paragraph type="secondary">
        保存後為草稿，須由另一位縣財政局人員審批過帳（不相容崗位分離）。系統科目（指標、資金、質保金、項目支出）由業務流程記帳，不能手工記帳；專戶只能手工記收入（借方）。
      </Typography.Paragraph>
      <Card>
        <Form<Fields>
          name="voucher"
          form={form}
          layout="vertical"
          initialValues={{ effectiveDate: today(), memo: '', lines: [blank(), blank()] }}
          onFinish={(v) => void submit(v)}
          onFinishFailed={() => setTried(true)}
        >
          <Row gutter={16}>
            <Col xs={24} md={8}>
              <Form.Item label="業務日期" name="effectiveDate" rules={[{ required: true, message: '請填寫業務日期' }, DATE_RULE]}>
                <Input placeholder="YYYY-MM-DD" inputMode="numeric" />
              </Form.Item>
            </Col>
            <Col xs={24} md={16}>
              <Form.Item label="摘要" name="memo" rules={[{ required: true, whitespace: true, message: '請填寫摘要' }, { max: 500 }]}>
                <Input placeholder="如：專戶利息收入" />
              </Form.Item>
            </Col>
          </Row>
          <VoucherLines form={form} onAccount={remember} newLine={blank} />
          <VoucherTotals totals={totals} problems={problems} tried={tried} />
          <div style={{ marginTop: 16 }}>
            <ErrorNote error={action.error} />
            <Space wrap>
              <Button type="primary" htmlType="submit" loading={action.busy}>
                保存草稿並提交審批
              </Button>
              <Link to="/vouchers">返回憑證列表</Link>
            </Space>
          </div>
        </Form>
      </Card>
    </>
  );
}
