import { PROJECT_CATEGORY_LABELS } from '../../labels';
import Decimal from 'decimal.js';
import type { Schema } from '../../api/client';
import { AMOUNT_PATTERN } from '../../format';

export type FundType = Schema<'AllocationView'>['fundType'];
export type IssuingLevel = Schema<'AllocationView'>['issuingLevel'];
export type Category = Schema<'AllocationView'>['permittedCategories'][number];
export type Book = Schema<'AccountView'>['book'];
export type AccountType = Schema<'AccountView'>['type'];

/** The fund types the API knows, in the order a clerk lists them. */
export const FUND_TYPES: readonly FundType[] = [
  '財政專項扶貧資金',
  '以工代賑',
  '少數民族發展資金',
  '整合涉農資金',
  '社會捐贈',
  '銜接推進鄉村振興補助資金',
  '其他',
];

export const LEVEL_LABELS: Record<IssuingLevel, string> = { central: '中央', provincial: '省級', city: '市級', county: '縣級' };

export const CATEGORY_LABELS: Record<Category, string> = PROJECT_CATEGORY_LABELS;

export const BOOK_LABELS: Record<Book, string> = { financial: '財務會計', budget: '預算會計' };

export const ACCOUNT_TYPE_LABELS: Record<AccountType, string> = {
  asset: '資產',
  liability: '負債',
  net_assets: '淨資產',
  revenue: '收入',
  expense: '支出',
  quota: '指標',
  appropriation: '資金來源',
};

export const PURPOSE_LABELS: Record<Schema<'TransactionView'>['purpose'], string> = {
  manual: '手工憑證',
  receipt: '資金到帳',
  budget: '指標下達',
  payment: '項目支付',
  retention: '質量保證金',
  reversal: '紅字沖銷',
};

export const VOUCHER_STATE_LABELS: Record<Schema<'VoucherView'>['state'], string> = { draft: '待審批', posted: '已過帳' };
export const VOUCHER_KIND_LABELS: Record<Schema<'VoucherView'>['kind'], string> = { posting: '記帳', reversal: '紅字沖銷' };

/** Options of a Select from a label table. */
export function optionsOf<K extends string>(labels: Record<K, string>): { value: K; label: string }[] {
  return (Object.keys(labels) as K[]).map((value) => ({ value, label: labels[value] }));
}

/** A bank account number as printed on a passbook: groups of 4 digits. */
export function groupDigits(accountNumber: string): string {
  return accountNumber.replace(/\s+/g, '').replace(/(.{4})(?=.)/g, '$1 ');
}

/**
 * Codes of the families the workflows keep (the API refuses to open such a code by hand), so a clerk can tell a
 * system account in a list; the ledger still decides what a voucher may move.
 */
const WORKFLOW_CODE = /^(?:fund|quota|appropriation|retention):|^expense:P\d+:/;
export function isWorkflowAccount(code: string): boolean {
  return WORKFLOW_CODE.test(code);
}

/** The path of an account's page (codes hold `:`). */
export function accountPath(code: string): string {
  return `/ledger/accounts/${encodeURIComponent(code)}`;
}

/** A date field's rule: the API takes YYYY-MM-DD. */
export const DATE_RULE = { pattern: /^\d{4}-\d{2}-\d{2}$/, message: '日期格式為 YYYY-MM-DD' };

/** An amount field's rule, as the API checks it: a positive amount, at most two decimals. */
export const AMOUNT_RULE = {
  validator: (_: unknown, value: string | undefined) => {
    if (!value || !value.trim()) return Promise.resolve();
    if (!AMOUNT_PATTERN.test(value.trim())) return Promise.reject(new Error('金額格式為 1234.56（最多兩位小數）'));
    return new Decimal(value.trim()).isZero() ? Promise.reject(new Error('金額須大於 0')) : Promise.resolve();
  },
};
