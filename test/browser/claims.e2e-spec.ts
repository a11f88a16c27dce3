import type { Page } from 'playwright-core';
import { ConsoleUnderTest, axeViolations, screenshot, startConsole } from '../support/browser';

const scan = (title: string) => ({
  name: `${title}.pdf`,
  mimeType: 'application/pdf',
  buffer: Buffer.from(`%PDF-1.4\n% ${title}\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n`),
});

/** Picks the option of an Ant Design select by its label's text. */
async function choose(page: Page, label: string, option: RegExp) {
  await page.getByLabel(label, { exact: true }).click();
  await page.locator('.ant-select-dropdown:visible').getByText(option).first().click();
}

const stateOf = (page: Page) => page.getByTestId('claim-state').innerText();

// A browser, several signed-in people and their pages: slower than an API test.
jest.setTimeout(180_000);

describe('console: a claim from the village to paid, each step by its own person in their own browser', () => {
  let c: ConsoleUnderTest;
  let contract: { id: number; projectId: number };

  beforeAll(async () => {
    c = await startConsole();
    // The demo's road contract has stage 1 claimed in full; the inspector passes stage 2 so the village may claim on it.
    [contract] = await c.t.ds.query(`SELECT id, project_id AS "projectId" FROM contracts ORDER BY id LIMIT 1`);
    const inspector = await c.t.token(c.users.inspector.username, c.users.inspector.password);
    const res = await c.t
      .api()
      .post(`/api/v1/contracts/${contract.id}/inspections`)
      .set('Authorization', `Bearer ${inspector}`)
      .send({ stage: 2, result: 'pass', notes: '路面完工，抽檢合格' });
    expect(res.status).toBe(201);
  }, 180_000);
  afterAll(() => c?.close());

  it('is drafted with its scans on a phone, reviewed by the township and the line department, approved, refused to its approver as payer, and paid', async () => {
    const village = await c.signIn(c.users.village.username, { width: 390, height: 844 });
    const page = village.page;
    await page.goto(`${c.origin}/claims/new`);
    await page.getByRole('heading', { name: '新建報帳' }).waitFor();
    await choose(page, '項目', new RegExp(`^${contract.projectId} `));
    await choose(page, '合同', /通村公路硬化工程/);
    await page.getByLabel('報帳金額（元）').fill('12000.00');
    await page.getByLabel('申請日期').fill('2026-11-20');
    await choose(page, '付款階段', /^第2期/);
    await page.getByLabel('第1行支出說明').fill('路面混凝土 C30');
    await page.getByLabel('第1行支出金額').fill('12000.00');
    await page.getByLabel('第1張發票開票單位').fill('英山縣路橋工程有限公司');
    await page.getByLabel('第1張發票統一社會信用代碼').fill('91421124MA4F0B3K57');
    await page.getByLabel('第1張發票發票代碼').fill('4200261130');
    await page.getByLabel('第1張發票發票號碼').fill('04209001');
    await page.getByLabel('第1張發票開票日期').fill('2026-11-18');
    await page.getByLabel('第1張發票金額').fill('11000.00');
    expect(await axeViolations(page, 'form')).toEqual([]);

    // Invoices that do not add up to the claim are refused before anything is sent.
    const claimsBefore = Number((await c.t.ds.query(`SELECT count(*) AS n FROM claims`))[0].n);
    await page.getByRole('button', { name: '保存草稿' }).click();
    await page
      .getByText(/發票合計 .* 與報帳金額 .* 不符/)
      .first()
      .waitFor();
    expect(Number((await c.t.ds.query(`SELECT count(*) AS n FROM claims`))[0].n)).toBe(claimsBefore);

    await page.getByLabel('第1張發票金額').fill('12000.00');
    await page.getByText(/發票合計 11000\.00 與報帳金額/).waitFor({ state: 'detached' });
    await screenshot(page, 'claim-new-phone');
    await page.getByRole('button', { name: '保存草稿' }).click();
    await page.waitForURL(/\/claims\/\d+$/);
    const id = Number(page.url().split('/').pop());
    expect(await stateOf(page)).toBe('草稿');

    // Five scans, one for each document of the packet; the upload moves on to the next missing kind by itself.
    for (const [i, title] of ['報帳申請書', '支出明細表', '發票', '縣鄉責任書', '鄉村責任書'].entries()) {
      await page.locator('input[type=file]').setInputFiles(scan(title));
      await page.getByRole('table', { name: '掃描件列表' }).locator('tbody tr.ant-table-row').nth(i).waitFor();
    }
    const { rows } = { rows: await c.t.ds.query(`SELECT kind FROM claim_attachments WHERE claim_id = $1 ORDER BY id`, [id]) };
    expect(rows.map((r: { kind: string }) => r.kind)).toEqual([
      'application',
      'expense_detail',
      'invoice',
      'letter_county_township',
      'letter_township_village',
    ]);
    await page.getByRole('button', { name: '預覽 發票.pdf' }).click();
    await page.locator('iframe[title="發票：發票.pdf"]').waitFor();
    await page.getByRole('button', { name: '提交', exact: true }).click();
    await page.getByTestId('claim-state').filter({ hasText: '已提交' }).waitFor();

    const township = await c.signIn(c.users.township_finance.username);
    await township.page.goto(`${c.origin}/claims/${id}`);
    await township.page.getByLabel('審核日期').fill('2026-11-21');
    await township.page.getByLabel('意見').fill('單據齊全，金額相符');
    await screenshot(township.page, 'claim-review');
    await township.page.getByRole('button', { name: '審核通過' }).click();
    await township.page.getByTestId('claim-state').filter({ hasText: '鄉鎮已審' }).waitFor();

    const line = await c.signIn(c.users.line_department.username);
    await line.page.goto(`${c.origin}/claims/${id}`);
    await line.page.getByRole('radio', { name: '通過', exact: true }).check();
    await line.page.getByLabel('意見').fill('工程量與合同一致');
    await line.page.getByRole('button', { name: '提交督查意見' }).click();
    await line.page.getByTestId('claim-state').filter({ hasText: '部門已審' }).waitFor();

    const approver = await c.signIn(c.users.county_finance.username);
    await approver.page.goto(`${c.origin}/claims/${id}`);
    await approver.page.getByLabel('意見').fill('同意撥付');
    await approver.page.getByRole('button', { name: '審批通過' }).click();
    await approver.page.getByTestId('claim-state').filter({ hasText: '已審批' }).waitFor();

    // Whoever approved may not pay: the refusal is said beside the button, and nothing is paid.
    await approver.page.getByLabel('收款帳號').fill('8201000000000999');
    await approver.page.getByRole('button', { name: '支付' }).click();
    await approver.page.getByRole('alert').filter({ hasText: '同一人不能經辦' }).waitFor();
    expect((await c.t.ds.query(`SELECT state FROM claims WHERE id = $1`, [id]))[0].state).toBe('approved');

    const payer = await c.signIn(c.byName['demo-finance-2'].username);
    await payer.page.goto(`${c.origin}/claims/${id}`);
    await payer.page.getByLabel('收款帳號').fill('8201000000000999');
    await payer.page.getByRole('button', { name: '支付' }).click();
    await payer.page.getByTestId('claim-state').filter({ hasText: '已支付' }).waitFor();
    const [paid] = await c.t.ds.query(`SELECT state, payment_id FROM claims WHERE id = $1`, [id]);
    expect(paid.state).toBe('paid');
    expect(paid.payment_id).not.toBeNull();

    // The village sees it paid, with every step and its person on the claim's page.
    await page.reload();
    await page.getByTestId('claim-state').filter({ hasText: '已支付' }).waitFor();
    for (const ctx of [village, township, line, approver, payer]) await ctx.context.close();
  });
});
