import { Button, Card, Checkbox, Col, Form, Input, InputNumber, Row, Select, Space } from 'antd';
import { useCallback, useState } from 'react';
import { Link } from 'react-router';
import type { Schema } from '../../api/client';
import { ErrorNote } from '../../components/ErrorNote';
import { useAction } from '../../components/useAction';
import { formatMoney } from '../../format';
import { ContractPicker } from './ContractPicker';
import { ExpenseRows } from './ExpenseRows';
import { InvoiceRows } from './InvoiceRows';
import { packetBody, type PacketBody, type PacketValues } from './packet';
import { amountRule, dateRule, required } from './rules';

type Contract = Schema<'ContractView'>;

export interface ClaimFormProps {
  /** The claim's contract when it is fixed (a correction); otherwise the village picks one. */
  contract?: Contract;
  initial: PacketValues;
  submitLabel: string;
  /** Sends the packet with the action's key; answers the claim's id. */
  send: (body: PacketBody, contractId: number, idempotencyKey: string) => Promise<number>;
  onSaved: (claimId: number) => void;
  cancelTo: string;
}

/**
 * The claim's packet (報帳材料): amount, stage, final and acceptance, application date, expense lines and invoices.
 * Both lists must add up to the amount before it is sent; refusals of the API land on their fields.
 */
export function ClaimForm({ contract: fixed, initial, submitLabel, send, onSaved, cancelTo }: ClaimFormProps) {
  const [form] = Form.useForm<PacketValues>();
  const action = useAction(form);
  const [picked, setPicked] = useState<Contract>();
  const contract = fixed ?? picked;
  const onContract = useCallback((c: Contract | undefined) => setPicked(c), []);
  const final = Form.useWatch('final', form);
  const schedule = contract?.schedule ?? [];

  const save = async (v: PacketValues) => {
    if (!contract) return;
    const id = await action.run((key) => send(packetBody(v, schedule.length > 0), contract.id, key));
    if (id !== undefined) onSaved(id);
  };

  return (
    <Form<PacketValues>
      form={form}
      name="claim"
      layout="vertical"
      initialValues={initial}
      onFinish={(v) => void save(v)}
      onValuesChange={(changed: PacketValues) => {
        // A new amount changes what both lists must add up to; a corrected row clears its list's refusal.
        if ('amount' in changed) void form.validateFields(['expenses', 'invoices']).catch(() => undefined);
        for (const list of ['expenses', 'invoices'] as const) {
          if (list in changed && form.getFieldError(list).length > 0) void form.validateFields([list]).catch(() => undefined);
        }
      }}
      scrollToFirstError
    >
      <Card title="報帳信息" size="small" style={{ marginBottom: 16 }}>
        {fixed ? (
          <p>
            合同：<Link to={`/contracts/${fixed.id}`}>{fixed.title}</Link>（{fixed.payee.name}，{formatMoney(fixed.amount)} 元）
          </p>
        ) : (
          <ContractPicker onContract={onContract} />
        )}
        <Row gutter={12}>
          <Col xs={24} md={8}>
            <Form.Item label="報帳金額（元）" name="amount" rules={[required('請填寫報帳金額'), amountRule]}>
              <Input inputMode="decimal" placeholder="如 80000.00" />
            </Form.Item>
          </Col>
          <Col xs={24} md={8}>
            <Form.Item label="申請日期" name="applicationDate" rules={[required('請填寫申請日期'), dateRule]}>
              <Input placeholder="YYYY-MM-DD" maxLength={10} />
            </Form.Item>
          </Col>
          {schedule.length > 0 && (
            <Col xs={24} md={8}>
              <Form.Item label="付款階段" name="stage" rules={[{ required: true, message: '合同有付款進度，請選擇階段' }]}>
                <Select options={schedule.map((s, i) => ({ value: i + 1, label: `第${i + 1}期：${s.milestone}（${s.percent}%）` }))} />
              </Form.Item>
            </Col>
          )}
        </Row>
        <Space wrap align="start" size={24}>
          <Form.Item name="final" valuePropName="checked">
            <Checkbox>最後一次報帳（須竣工驗收合格）</Checkbox>
          </Form.Item>
          {final && (
            <Form.Item label="驗收編號" name="acceptanceId" rules={[{ required: true, message: '最後一次報帳須填寫合同的驗收編號' }]}>
              <InputNumber min={1} precision={0} />
            </Form.Item>
          )}
        </Space>
      </Card>
      <ExpenseRows />
      <InvoiceRows />
      <ErrorNote error={action.error} />
      <Space wrap>
        <Button type="primary" htmlType="submit" loading={action.busy} disabled={!contract}>
          {submitLabel}
        </Button>
        <Link to={cancelTo}>取消</Link>
      </Space>
    </Form>
  );
}
