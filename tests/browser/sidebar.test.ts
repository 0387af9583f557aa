import { mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { SERVER_FUNCTIONS } from '../../src/api';
import { googleScriptRunShim } from '../../sandbox/bridge/google-script-run';
import { ROOT, type GasRuntime } from '../../sandbox/gas/runtime';
import { EMPLOYEE, setUpRuntime } from '../helpers';
import { launch } from './chromium';

const SHOTS = join(ROOT, 'test-results');
const SIDEBAR_URL = 'http://sidebar.invalid/Sidebar.html';

let browser: Browser;
beforeAll(async () => {
  browser = await launch();
  mkdirSync(SHOTS, { recursive: true });
});
afterAll(async () => {
  await browser?.close();
});

/** Opens the real dist/Sidebar.html at 300 px, its server calls answered by the real bundle. */
async function openSidebar(
  rt: GasRuntime | null,
  user: string,
): Promise<{ page: Page; calls: string[]; external: string[] }> {
  const page = await browser.newPage({ viewport: { width: 300, height: 700 } });
  const calls: string[] = [];
  const external: string[] = [];
  await page.exposeFunction('__gasTransport', (fn: string, args: unknown[]) => {
    calls.push(fn);
    if (!rt) throw new Error('offline');
    return rt.run(fn, args, user);
  });
  await page.addInitScript(googleScriptRunShim(SERVER_FUNCTIONS));
  await page.route('**/*', (route) => {
    if (route.request().url() === SIDEBAR_URL) {
      return route.fulfill({
        contentType: 'text/html',
        body: readFileSync(join(ROOT, 'dist/Sidebar.html'), 'utf8'),
      });
    }
    external.push(route.request().url());
    return route.abort();
  });
  await page.goto(SIDEBAR_URL);
  return { page, calls, external };
}

test('the sidebar loads its data through google.script.run from the real bundle', async () => {
  const rt = setUpRuntime();
  const { page, calls, external } = await openSidebar(rt, EMPLOYEE);

  await page.getByRole('heading', { name: 'Register an AI project' }).waitFor();
  expect(await page.getByLabel('Your work email').inputValue()).toBe(EMPLOYEE);
  expect(await page.locator('.tier-option strong').allTextContents()).toEqual([
    'Tier 1 - Public',
    'Tier 2 - Internal',
    'Tier 3 - Confidential',
    'Tier 4 - Regulated',
  ]);
  expect(calls).toEqual(['getSidebarData']);
  expect(external).toEqual([]);
  await page.close();
});

test('a failed server call shows a human sentence, not a stack trace', async () => {
  const { page } = await openSidebar(null, EMPLOYEE);
  const alert = page.getByRole('alert');
  await alert.waitFor();
  expect(await alert.textContent()).toBe(
    'Governed Path could not reach the spreadsheet. Check your connection and try again. If you are signed in to several Google accounts, Google blocks add-ons in all but the first one: open the spreadsheet in a private window (or a browser profile) signed in only to your work account.',
  );
  await page.close();
});

test('the shim refuses a Date argument as google.script.run does', async () => {
  const { page } = await openSidebar(setUpRuntime(), EMPLOYEE);
  const message = await page.evaluate(() => {
    try {
      (
        window as unknown as { google: { script: { run: Record<string, (d: Date) => void> } } }
      ).google.script.run.getSidebarData(new Date());
      return 'accepted';
    } catch (e) {
      return (e as Error).message;
    }
  });
  expect(message).toBe('Failed due to illegal value in property: 0');
  await page.close();
});
