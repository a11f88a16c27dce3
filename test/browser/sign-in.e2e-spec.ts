import { ConsoleUnderTest, axeViolations, startConsole } from '../support/browser';

describe('console: signing in', () => {
  let c: ConsoleUnderTest;
  beforeAll(async () => {
    c = await startConsole();
  }, 180_000);
  afterAll(() => c?.close());

  it('serves the console at / on the API origin, and any page address reloads into it', async () => {
    const res = await fetch(`${c.origin}/vouchers/new`, { headers: { Accept: 'text/html' } });
    expect(res.status).toBe(200);
    expect(await res.text()).toContain('<div id="root">');
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
});
