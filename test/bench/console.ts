import type { INestApplication } from '@nestjs/common';
import type { AddressInfo } from 'node:net';
import { chromium, type Page } from 'playwright-core';
import { createApp } from '../../src/app';
import { seedDemo } from '../../src/cli/seed-demo';
import { CHROMIUM, CHROMIUM_ARGS } from '../support/chromium';

export interface ConsoleFigures {
  rounds: number;
  /** Per step, the milliseconds of each round (a new browser context each round: nothing cached). */
  steps: Record<string, number[]>;
  /** Bytes over the wire for the sign-in page and the home page, as the browser counted them (compressed). */
  firstLoadBytes: number;
}

/**
 * The console as a clerk meets it, on the demo county: a cold load of the sign-in page, signing in to the tasks,
 * then the trial balance, the claims list and the voucher editor, each until its content shows. One Chromium, a
 * fresh context (cold cache) per round.
 */
export async function consoleCase(url: string, jwtSecret: string, rounds: number): Promise<ConsoleFigures> {
  // A bench's own checkpoint key: the service on a database server signs with one it is given.
  process.env.AUDIT_SIGNING_KEY ??= Buffer.alloc(32, 5).toString('base64');
  const printed: string[] = [];
  await seedDemo(url, jwtSecret, (line) => printed.push(line));
  const password = /demo-finance-1\s+password (\S+)/.exec(printed.join('\n'))![1];
  const app: INestApplication = await createApp({ databaseUrl: url, jwtSecret, logLevel: false });
  await app.listen(0, '127.0.0.1');
  const origin = `http://127.0.0.1:${(app.getHttpServer() as { address(): AddressInfo }).address().port}`;
  const browser = await chromium.launch({ executablePath: CHROMIUM, args: CHROMIUM_ARGS });
  const steps: Record<string, number[]> = {};
  let firstLoadBytes = 0;
  const timed = async (name: string, work: () => Promise<unknown>) => {
    const started = performance.now();
    await work();
    (steps[name] ??= []).push(performance.now() - started);
  };
  try {
    for (let round = 0; round < rounds; round++) {
      const context = await browser.newContext({ viewport: { width: 1366, height: 768 } });
      const page = await context.newPage();
      await timed('sign-in page (cold)', async () => {
        await page.goto(`${origin}/login`);
        await page.getByLabel('用戶名').waitFor();
      });
      await page.getByLabel('用戶名').fill('demo-finance-1');
      await page.getByLabel('密碼').fill(password);
      await timed('sign in to my tasks', async () => {
        await page.getByRole('button', { name: '登錄' }).click();
        await page.getByRole('heading', { name: '我的待辦' }).waitFor();
        await page.locator('.ant-card').first().waitFor();
      });
      firstLoadBytes = await transferred(page);
      await timed('trial balance', async () => {
        await page.getByRole('navigation', { name: '主菜單' }).getByRole('link', { name: '科目餘額表' }).click();
        await page.getByTestId('total-debit-financial').waitFor();
      });
      await timed('claims list', async () => {
        await page.getByRole('navigation', { name: '主菜單' }).getByRole('link', { name: '報帳', exact: true }).click();
        await page.locator('.ant-table-row').first().waitFor();
      });
      await timed('voucher editor', async () => {
        await page.getByRole('navigation', { name: '主菜單' }).getByRole('link', { name: '錄入憑證' }).click();
        await page.getByRole('combobox', { name: '第1行科目' }).waitFor();
      });
      await context.close();
    }
  } finally {
    await browser.close();
    await app.close();
  }
  return { rounds, steps, firstLoadBytes };
}

/** What the page's document and resources cost on the wire so far (Resource Timing's transferSize). */
function transferred(page: Page): Promise<number> {
  return page.evaluate(() => (performance.getEntries() as unknown as { transferSize?: number }[]).reduce((sum, e) => sum + (e.transferSize ?? 0), 0));
}
