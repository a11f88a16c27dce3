import Decimal from 'decimal.js';
import { readFile } from 'node:fs/promises';
import { ConsoleUnderTest, axeViolations, screenshot, startConsole } from '../support/browser';
import { parseCsv } from '../support/csv';

// A browser, several signed-in people and their pages: slower than an API test.
jest.setTimeout(180_000);

describe('console: signing in, and what an auditor takes away', () => {
  let c: ConsoleUnderTest;
  beforeAll(async () => {
    c = await startConsole();
  }, 180_000);
  afterAll(() => c?.close());

  it('serves the console at / on the API origin, and any page address reloads into it', async () => {
    const res = await fetch(`${c.origin}/vouchers/new`, { headers: { Accept: 'text/html' } });
    expect(res.status).toBe(200);
    const html = await res.text();
    expect(html).toContain('<div id="root">');
    // The console's scripts travel compressed and are cached for good (their names change with their content).
    const script = await fetch(`${c.origin}${/src="(\/assets\/[^"]+\.js)"/.exec(html)![1]}`, { headers: { 'Accept-Encoding': 'gzip' } });
    expect(script.status).toBe(200);
    expect(script.headers.get('content-encoding')).toBe('gzip');
    expect(script.headers.get('cache-control')).toBe('public, max-age=31536000, immutable');
    // A script or font that is not there is a 404, never the page: a tab left open across an update fails loudly.
    const gone = await fetch(`${c.origin}/assets/index-gone.js`, { headers: { Accept: '*/*' } });
    expect(gone.status).toBe(404);
    // The API keeps its own answers: an unknown API route is the API's 404, not the console.
    const api = await fetch(`${c.origin}/api/v1/no-such-route`, { headers: { Accept: 'text/html' } });
    expect(api.status).toBe(404);
    expect(await api.json()).toMatchObject({ code: 'NOT_FOUND' });
  });

  it('refuses a wrong password in words, next to the form, and signs in with the right one', async () => {
    const context = await c.browser.newContext();
    const page = await context.newPage();
    await page.goto(`${c.origin}/`);
    await page.getByLabel('用戶名').fill(c.users.village.username);
    await page.getByLabel('密碼').fill('not-the-password');
    await page.getByRole('button', { name: /登\s*錄/ }).click();
    await page.getByRole('alert').filter({ hasText: '用戶名或密碼錯誤' }).waitFor();
    expect(await axeViolations(page)).toEqual([]);

    await page.getByLabel('密碼').fill(c.users.village.password);
    await page.getByRole('button', { name: /登\s*錄/ }).click();
    await page.getByRole('heading', { name: '我的待辦' }).waitFor();
    expect(await page.getByRole('navigation', { name: '主菜單' }).textContent()).toContain('我的待辦');
    await context.close();
  });

  it('lets an auditor download the trial balance as CSV: every account’s closing balance is the ledger’s', async () => {
    const { context, page } = await c.signIn(c.users.auditor.username);
    await page.getByRole('navigation', { name: '主菜單' }).getByRole('link', { name: '導出' }).click();
    await page.getByLabel('開始日期').fill('2026-01-01');
    await page.getByLabel('結束日期').fill('2026-12-31');
    await screenshot(page, 'audit-exports');
    const [download] = await Promise.all([page.waitForEvent('download'), page.getByRole('button', { name: '下載科目餘額表 CSV' }).click()]);
    expect(download.suggestedFilename()).toBe('421124-trial-balance-2026-01-01-2026-12-31.csv');
    const rows = parseCsv(await readFile(await download.path()));
    const accounts = rows.filter((r) => r.row_type === 'account');
    const ledger: { code: string; net: string }[] = await c.t.ds.query(
      `SELECT a.code, coalesce(sum(l.debit - l.credit), 0)::text AS net FROM ledger_accounts a LEFT JOIN ledger_lines l ON l.account_id = a.id
         AND l.effective_date <= '2026-12-31' GROUP BY a.code`,
    );
    expect(accounts.map((r) => r.code).sort()).toEqual(ledger.map((r) => r.code).sort());
    const net = new Map(ledger.map((r) => [r.code, r.net]));
    for (const r of accounts)
      expect([r.code, new Decimal(r.closing_debit).minus(r.closing_credit).toFixed(2)]).toEqual([r.code, new Decimal(net.get(r.code)!).toFixed(2)]);
    expect(accounts.some((r) => r.gov_code === '1002' && new Decimal(r.closing_debit).gt(0))).toBe(true);
    await context.close();
  });
});
