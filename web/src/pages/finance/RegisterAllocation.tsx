import { App, Button, Checkbox, Drawer, Form, Grid, Input, InputNumber, Select, Space } from 'antd';
import { useState } from 'react';
import { api, call, type Schema } from '../../api/client';
import { ErrorNote } from '../../components/ErrorNote';
import { useAction } from '../../components/useAction';
import { today } from '../../format';
import { AMOUNT_RULE, CATEGORY_LABELS, DATE_RULE, FUND_TYPES, LEVEL_LABELS, groupDigits, optionsOf } from './labels';
import { useLoad } from '../../components/useLoad';

type Fields = Schema<'RegisterAllocationDto'>;

/** 登記資金: an allocation document whose money reached a dedicated account; its receipt posts in both books. */
export function RegisterAllocation({ onRegistered }: { onRegistered: () => void }) {
  const [open, setOpen] = useState(false);
  const [form] = Form.useForm<Fields>();
  const action = useAction(form);
  const { message } = App.useApp();
  const narrow = !Grid.useBreakpoint().md;
  // The county has a handful of dedicated accounts; the API lists them whole.
  const accounts = useLoad(async () => (open ? call(api.GET('/api/v1/dedicated-accounts')) : []), open);

  const submit = async (v: Fields) => {
    const body = { ...v, documentNumber: v.documentNumber.trim(), amount: v.amount.trim(), receivedOn: v.receivedOn.trim() };
    const allocation = await action.run((key) => call(api.POST('/api/v1/fund-allocations', { headers: { 'Idempotency-Key': key }, body })));
    if (!allocation) return;
    void message.success(`已登記 ${allocation.documentNumber}`);
    setOpen(false);
    form.resetFields();
    onRegistered();
  };

  return (
    <>
      <Button type="primary" onClick={() => setOpen(true)}>
        登記資金
      </Button>
      <Drawer
        title="登記資金（指標文件）"
        open={open}
        onClose={() => setOpen(false)}
        size={narrow ? '100%' : 520}
        destroyOnHidden
        footer={
          <Space>
            <Button type="primary" onClick={() => form.submit()} loading={action.busy}>
              確認登記
            </Button>
            <Button onClick={() => setOpen(false)}>取消</Button>
          </Space>
        }
      >
        <ErrorNote error={action.error} />
        <ErrorNote error={accounts.error} />
        <Form<Fields>
          name="register-allocation"
          form={form}
          layout="vertical"
          initialValues={{ issuingLevel: 'provincial', fiscalYear: new Date().getFullYear(), receivedOn: today(), permittedCategories: [] }}
          onFinish={(v) => void submit(v)}
        >
          <Form.Item label="文號" name="documentNumber" rules={[{ required: true, whitespace: true, message: '請填寫文號' }]}>
            <Input placeholder="如：鄂財農發〔2026〕12號" />
          </Form.Item>
          <Form.Item label="下達級次" name="issuingLevel" rules={[{ required: true }]}>
            <Select options={optionsOf(LEVEL_LABELS)} />
          </Form.Item>
          <Form.Item label="資金類型" name="fundType" rules={[{ required: true, message: '請選擇資金類型' }]}>
            <Select options={FUND_TYPES.map((t) => ({ value: t, label: t }))} />
          </Form.Item>
          <Form.Item label="年度" name="fiscalYear" rules={[{ required: true, message: '請填寫年度' }]}>
            <InputNumber min={2000} max={2100} precision={0} style={{ width: '100%' }} />
          </Form.Item>
          <Form.Item label="金額" name="amount" rules={[{ required: true, whitespace: true, message: '請填寫金額' }, AMOUNT_RULE]}>
            <Input inputMode="decimal" placeholder="0.00" prefix="¥" />
          </Form.Item>
          <Form.Item label="允許用途（項目類別）" name="permittedCategories" rules={[{ required: true, type: 'array', min: 1, message: '至少選一類' }]}>
            <Checkbox.Group options={optionsOf(CATEGORY_LABELS)} />
          </Form.Item>
          <Form.Item label="專戶" name="dedicatedAccountId" rules={[{ required: true, message: '請選擇專戶' }]}>
            <Select
              loading={accounts.loading}
              options={(accounts.data ?? []).map((a) => ({ value: a.id, label: `${a.code} ${a.accountName}（${groupDigits(a.accountNumber)}）` }))}
            />
          </Form.Item>
          <Form.Item label="到帳日期" name="receivedOn" rules={[{ required: true, message: '請填寫到帳日期' }, DATE_RULE]}>
            <Input placeholder="YYYY-MM-DD" inputMode="numeric" />
          </Form.Item>
        </Form>
      </Drawer>
    </>
  );
}
