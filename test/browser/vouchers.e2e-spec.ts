import Decimal from 'decimal.js';
import type { Page } from 'playwright-core';
import { ConsoleUnderTest, axeViolations, screenshot, startConsole } from '../support/browser';

/** An amount as the console shows it (1,234.56) read back exactly. */
const amountOf = async (page: Page, testId: string) => new Decimal((await page.getByTestId(testId).innerText()).replace(/,/g, ''));

const isFocused = (page: Page, label: string) => page.getByLabel(label, { exact: true }).evaluate((el) => el.ownerDocument.activeElement === el);

/** Picks an account in the voucher editor's searchable account field of line `n`. */
async function pickAccount(page: Page, n: number, code: string) {
  const field = page.getByRole('combobox', { name: `第${n}行科目` });
  await field.click();
  await field.fill(code);
  await page.getByRole('option', { name: new RegExp(`^${code.replace(/[.:]/g, '\\$&')} `) }).click();
}

// A browser, several signed-in people and their pages: slower than an API test.
jest.setTimeout(180_000);

describe('console: a voucher drafted by one finance user and approved by another', () => {
  let c: ConsoleUnderTest;
  let bank: string;
  const vouchers = async () => Number((await c.t.ds.query(`SELECT count(*) AS n FROM ledger_vouchers`))[0].n);

  beforeAll(async () => {
    c = await startConsole();
    [{ code: bank }] = await c.t.ds.query(`SELECT code FROM ledger_accounts WHERE code LIKE 'bank:%' ORDER BY code LIMIT 1`);
    // The demo has no account a clerk moves by hand: county finance opens one for the interest the bank pays.
    const token = await c.t.token(c.users.county_finance.username, c.users.county_finance.password);
    const res = await c.t
      .api()
      .post('/api/v1/ledger/accounts')
      .set('Authorization', `Bearer ${token}`)
      .send({ code: 'revenue:interest', name: '專戶利息收入', book: 'financial', type: 'revenue', allowNegative: false });
    expect(res.status).toBe(201);
  }, 180_000);
  afterAll(() => c?.close());

  it('refuses an unbalanced voucher before sending, posts a balanced one only when a second user approves, and the trial balance moves by it', async () => {
    const maker = await c.signIn(c.users.county_finance.username);
    const checker = await c.signIn(c.byName['demo-finance-2'].username);

    await checker.page.goto(`${c.origin}/ledger/trial-balance`);
    const debitBefore = await amountOf(checker.page, 'total-debit-financial');

    const page = maker.page;
    await page.getByRole('navigation', { name: '主菜單' }).getByRole('link', { name: '錄入憑證' }).click();
    await page.getByRole('heading', { name: '錄入憑證' }).waitFor();
    // The form is walked with the keyboard in the order it reads.
    await page.getByLabel('業務日期', { exact: true }).focus();
    await page.keyboard.press('Tab');
    expect(await isFocused(page, '摘要')).toBe(true);

    await page.getByLabel('業務日期', { exact: true }).fill('2026-11-30');
    await page.getByLabel('摘要', { exact: true }).fill('專戶利息到帳');
    await pickAccount(page, 1, bank);
    await page.getByLabel('第1行借方金額').fill('1234.56');
    await pickAccount(page, 2, 'revenue:interest');
    await page.getByLabel('第2行貸方金額').fill('1234.50');
    expect(await axeViolations(page, 'main')).toEqual([]);

    const before = await vouchers();
    const drafts: string[] = [];
    page.on('request', (r) => r.method() === 'POST' && r.url().endsWith('/api/v1/ledger/transactions') && drafts.push(r.url()));
    await page.getByRole('button', { name: '保存草稿並提交審批' }).click();
    await page
      .getByRole('alert')
      .filter({ hasText: /借貸不平衡/ })
      .waitFor();
    await page
      .getByText(/借貸不平衡，差額 ¥0\.06/)
      .first()
      .waitFor();
    expect(drafts).toEqual([]);
    expect(await vouchers()).toBe(before);

    await page.getByLabel('第2行貸方金額').fill('1234.56');
    await screenshot(page, 'voucher-new');
    await page.getByRole('button', { name: '保存草稿並提交審批' }).click();
    await page.waitForURL(/\/vouchers\/[0-9a-f-]{36}$/);
    expect(drafts).toHaveLength(1);
    const id = page.url().split('/').pop()!;
    expect(await vouchers()).toBe(before + 1);

    // Its drafter may not approve it: the refusal is said next to the button, in words, and nothing is posted.
    await page.getByRole('button', { name: '審批過帳' }).click();
    await page.getByRole('alert').filter({ hasText: '同一人不能經辦' }).waitFor();
    const [{ state }] = await c.t.ds.query(`SELECT state FROM ledger_vouchers WHERE id = $1`, [id]);
    expect(state).toBe('draft');

    await checker.page.goto(`${c.origin}/vouchers/${id}`);
    await checker.page.getByRole('button', { name: '審批過帳' }).click();
    await checker.page.getByText('已過帳').first().waitFor();
    const [{ posted }] = await c.t.ds.query(`SELECT state AS posted FROM ledger_vouchers WHERE id = $1`, [id]);
    expect(posted).toBe('posted');

    await checker.page.goto(`${c.origin}/ledger/trial-balance`);
    await checker.page.getByTestId('balance-check-financial').filter({ hasText: '借貸平衡' }).waitFor();
    expect((await amountOf(checker.page, 'total-debit-financial')).minus(debitBefore).toFixed(2)).toBe('1234.56');
    expect((await amountOf(checker.page, 'total-credit-financial')).toFixed(2)).toBe((await amountOf(checker.page, 'total-debit-financial')).toFixed(2));
    await screenshot(checker.page, 'trial-balance');
    await maker.context.close();
    await checker.context.close();
  });
});
