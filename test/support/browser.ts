import { existsSync, readFileSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';
import { seedDemo } from '../../src/cli/seed-demo';
import { TEST_JWT_SECRET, TestApp, startTestApp } from './app';
import { CHROMIUM, CHROMIUM_ARGS } from './chromium';

const CONSOLE_INDEX = join(__dirname, '..', '..', 'web', 'dist', 'index.html');

export interface DemoUser {
  username: string;
  password: string;
  roles: string[];
}

/** The service with its built console on the demo county (seed-demo), over real HTTP, and a real browser. */
export interface ConsoleUnderTest {
  t: TestApp;
  origin: string;
  browser: Browser;
  /** The demo county's users by role (the first user printed for it): `users.county_finance`. */
  users: Record<string, DemoUser>;
  /** Every demo user by username (`demo-finance-2`). */
  byName: Record<string, DemoUser>;
  /** A browser context of its own (cookies, storage, downloads) signed in as `username`, on the page of tasks. */
  signIn(username: string, viewport?: { width: number; height: number }): Promise<{ context: BrowserContext; page: Page }>;
  close(): Promise<void>;
}

export async function startConsole(): Promise<ConsoleUnderTest> {
  if (!existsSync(CONSOLE_INDEX)) throw new Error('the console is not built: run `npm run build:web` (npm test does it first)');
  if (!existsSync(CHROMIUM)) throw new Error(`no browser at ${CHROMIUM}: install Debian's chromium (apt-get install chromium); .ci/run does`);
  const printed: string[] = [];
  const t = await startTestApp({ prepare: (url) => seedDemo(url, TEST_JWT_SECRET, (line) => printed.push(line)) });
  const users: Record<string, DemoUser> = {};
  const byName: Record<string, DemoUser> = {};
  for (const line of printed) {
    const m = /^\s+(\S+)\s+password (\S+)\s+\(([^)]+)\)/.exec(line);
    if (!m) continue;
    const user = { username: m[1], password: m[2], roles: m[3].split(',').map((r) => r.trim()) };
    byName[user.username] = user;
    for (const role of user.roles) users[role] ??= user;
  }
  const origin = `http://127.0.0.1:${(t.app.getHttpServer() as { address(): AddressInfo }).address().port}`;
  const browser = await chromium.launch({ executablePath: CHROMIUM, args: CHROMIUM_ARGS });
  return {
    t,
    origin,
    browser,
    users,
    byName,
    async signIn(username, viewport = { width: 1366, height: 768 }) {
      const user = byName[username];
      if (!user) throw new Error(`no demo user ${username}`);
      const context = await browser.newContext({ viewport, acceptDownloads: true, locale: 'zh-CN' });
      const page = await context.newPage();
      await page.goto(`${origin}/login`);
      await page.getByLabel('用戶名').fill(user.username);
      await page.getByLabel('密碼').fill(user.password);
      await page.getByRole('button', { name: /登\s*錄/ }).click();
      await page.getByRole('heading', { name: '我的待辦' }).waitFor();
      return { context, page };
    },
    async close() {
      await browser.close();
      await t.close();
    },
  };
}

interface AxeViolation {
  id: string;
  impact: string | null;
  help: string;
  nodes: { target: string[] }[];
}

/**
 * Runs axe-core in the page (WCAG 2.1 A and AA rules) and answers its violations, each with the elements at fault.
 * The script goes in through the DevTools protocol, so the service's CSP (no inline script) stays as it is.
 */
export async function axeViolations(page: Page, include?: string): Promise<string[]> {
  await page.evaluate(readFileSync(require.resolve('axe-core/axe.min.js'), 'utf8'));
  const violations = await page.evaluate(async (context) => {
    const axe = (globalThis as unknown as { axe: { run(c: unknown, o: unknown): Promise<{ violations: AxeViolation[] }> } }).axe;
    const result = await axe.run(context, { runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'] } });
    return result.violations;
  }, include ?? 'html');
  return violations.map((v) => `${v.id} (${v.impact}): ${v.help} — ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`);
}

/**
 * Writes the page as docs' screenshot `name`.png when CONSOLE_SCREENSHOTS names a folder (docs/console), and does
 * nothing otherwise: the browser tests double as the script that keeps the documentation's pictures current.
 */
export async function screenshot(page: Page, name: string): Promise<void> {
  const dir = process.env.CONSOLE_SCREENSHOTS;
  if (!dir) return;
  await page.waitForLoadState('networkidle');
  await page.screenshot({ path: join(dir, `${name}.png`), fullPage: false });
}
