/**
 * What the add-on itself sends, drawn on the sandbox page (issue 16): a creator registers a
 * Tier 3 project by typing it, the security team asks for changes from the queue, the hourly
 * run mails the creator. The Chat card, the Teams card and the mail are the README's
 * screenshots (docs/screenshots/), taken from this real run, not from hand-made payloads.
 */
import { copyFileSync, mkdirSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser, Locator, Page } from 'playwright-core';
import { ROOT } from '../../sandbox/gas/runtime';
import { startSandbox, type Sandbox } from '../../sandbox/server';
import { requireDist, SANDBOX_START_MS } from '../helpers';
import { launch } from './chromium';

const SHOTS = join(ROOT, 'test-results');
const DOCS = join(ROOT, 'docs', 'screenshots');
const ADMIN = 'admin@example.com';
const SECURITY = 'security@example.com';
const EMPLOYEE = 'dana@example.com';
const PROJECT = 'Contract summariser <users/all> [click](http://evil.example)';

let browser: Browser;
let sb: Sandbox;
let page: Page;

async function api(method: string, path: string, body?: unknown): Promise<unknown> {
  const res = await fetch(`${sb.url}${path}`, {
    method,
    headers: { 'Content-Type': 'application/json' },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
  const json = (await res.json()) as Record<string, unknown>;
  if (res.status !== 200 || json.ok === false) throw new Error(`${path}: ${JSON.stringify(json)}`);
  return json;
}

beforeAll(async () => {
  requireDist();
  mkdirSync(SHOTS, { recursive: true });
  mkdirSync(DOCS, { recursive: true });
  sb = await startSandbox({
    port: 0,
    state: mkdtempSync(join(tmpdir(), 'gp-notify-')),
    fresh: true,
    demo: false,
  });
  await api('POST', '/api/run', {
    fn: 'saveSettings',
    user: ADMIN,
    args: [
      {
        chatWebhookUrl:
          'https://chat.googleapis.com/v1/spaces/AAAAsecurity/messages?key=AIzaSySandbox&token=sandboxChatToken',
        teamsWebhookUrl:
          'https://prod-12.westus.logic.azure.com:443/workflows/5ec0a1b2/triggers/manual/paths/invoke?api-version=2016-06-01&sig=sandboxTeamsSig',
      },
    ],
  });
  await api('POST', '/api/run', { fn: 'deliverNotifications', user: ADMIN, args: [] });
  await api('POST', '/api/edit', {
    sheet: 'Registry',
    range: 'C2:K2',
    user: EMPLOYEE,
    values: [
      [
        EMPLOYEE,
        'Legal',
        PROJECT,
        'Summarises supplier contracts for the legal team.',
        '3',
        '',
        'Claude Code',
        '1.0',
        'dev',
      ],
    ],
  });
  await api('POST', '/api/run', {
    fn: 'decideReview',
    user: SECURITY,
    args: [
      'R-0001',
      {
        decision: 'Changes Requested',
        note: 'Add where the contract text is stored and who can read the summaries.',
        threatModel: '',
      },
    ],
  });
  await api('POST', '/api/clock', { advance: 'PT1H' });
  browser = await launch();
  page = await browser.newPage({ viewport: { width: 1400, height: 2400 } });
  await page.goto(sb.url);
  await page.locator('.tab').first().waitFor();
}, SANDBOX_START_MS);

afterAll(async () => {
  await browser?.close();
  await sb?.close();
});

async function shoot(what: Locator, name: string): Promise<void> {
  const path = join(SHOTS, name);
  await what.screenshot({ path });
  copyFileSync(path, join(DOCS, name));
}

test('the Chat space shows the review request and its decision in the entry’s thread', async () => {
  await page.getByRole('tab', { name: /^Chat/ }).click();
  const thread = page.locator('#chat .chat-thread[data-thread="AI-0001"]');
  await thread.waitFor();
  const card = thread.locator('.chat-card').first();
  expect(await card.locator('.chat-card-title').textContent()).toBe(
    'Tier 3 security review requested',
  );
  // People's words show as typed: no mention, no link but the add-on's own.
  expect(await thread.textContent()).toContain('<users/all>');
  expect(await thread.locator('.mention').count()).toBe(0);
  const hrefs = await thread
    .locator('a')
    .evaluateAll((as) => as.map((a) => (a as HTMLAnchorElement).href));
  expect(hrefs.every((h) => h.startsWith('https://docs.google.com/'))).toBe(true);
  expect(await thread.locator('.chat-reply-count').textContent()).toBe('1 reply');
  await shoot(thread, 'chat-card.png');
});

test('the Teams channel shows the same request as an Adaptive Card', async () => {
  await page.getByRole('tab', { name: /^Teams/ }).click();
  const card = page
    .locator('#teams .ac-card')
    .filter({ hasText: 'Tier 3 security review requested' })
    .first();
  await card.waitFor();
  expect(await card.textContent()).toContain('[click](http://evil.example)');
  const hrefs = await card
    .locator('a')
    .evaluateAll((as) => as.map((a) => (a as HTMLAnchorElement).href));
  expect(hrefs.every((h) => h.startsWith('https://docs.google.com/'))).toBe(true);
  await shoot(card, 'teams-card.png');
});

test('the creator’s mail says what to change, with the note and a link to the entry', async () => {
  await page.getByRole('tab', { name: /^Mail/ }).click();
  const picker = page.locator('#mail-recipient');
  await picker.waitFor();
  await picker.selectOption(EMPLOYEE);
  const item = page.locator('#mail .mail-item').first();
  expect(await item.locator('.mail-subject').textContent()).toContain('changes requested');
  // The HTML body, in its frame where nothing runs: escaped, the note as typed.
  const body = item.frameLocator('iframe.mail-html').locator('body');
  await body.getByText('Note from the reviewer').waitFor();
  expect(await body.textContent()).toContain('<users/all>');
  expect(await body.locator('a').count()).toBe(2); // the entry and the registry, nothing else
  await shoot(item, 'mail.png');
});
