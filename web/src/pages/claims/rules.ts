import type { FormInstance, FormRule } from 'antd';
import { AMOUNT_PATTERN } from '../../format';
import { totalOf } from './packet';

export const required = (message: string): FormRule => ({ required: true, whitespace: true, message });

export const amountRule: FormRule = { pattern: AMOUNT_PATTERN, message: '金額格式：如 1234.56（最多兩位小數）' };

export const dateRule: FormRule = { pattern: /^\d{4}-\d{2}-\d{2}$/, message: '日期格式：YYYY-MM-DD' };

/** 統一社會信用代碼 (GB 32100): 18 characters; the API checks its check digit. */
export const taxIdRule: FormRule = { pattern: /^[0-9A-HJ-NPQRTUWXYa-hj-npqrtuwxy]{18}$/, message: '統一社會信用代碼為 18 位數字或大寫字母' };

export const invoiceCodeRule: FormRule = { pattern: /^(\d{10}|\d{12})$/, message: '發票代碼為 10 或 12 位數字（數電發票不填）' };

export const invoiceNumberRule: FormRule = { pattern: /^(\d{8}|\d{20})$/, message: '發票號碼為 8 位數字（數電發票 20 位）' };

/**
 * A list's rule: its rows add up to the claimed amount, refused before anything is sent (the API refuses it too, as
 * EXPENSE_TOTAL_MISMATCH or INVOICE_TOTAL_MISMATCH).
 */
export function addsUpRule(form: FormInstance, what: string): { validator: (_: unknown, rows: { amount?: string }[] | undefined) => Promise<void> } {
  return {
    validator: (_, rows) => {
      if (!rows || rows.length === 0) return Promise.reject(new Error(`至少填寫一${what === '發票' ? '張發票' : '行支出明細'}`));
      const { total, claimed, matches } = totalOf(rows, form.getFieldValue('amount') as string | undefined);
      return matches ? Promise.resolve() : Promise.reject(new Error(`${what}合計 ${total} 與報帳金額 ${claimed} 不符`));
    },
  };
}
