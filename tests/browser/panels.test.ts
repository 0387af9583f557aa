/**
 * The sidebar's panels against the real bundle in the sandbox (google.script.run bridged over
 * /api/run), as people use them. Screenshots of each panel land in test-results/.
 */
import { mkdirSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { ROOT } from '../../sandbox/gas/runtime';
import { startSandbox, type Sandbox } from '../../sandbox/server';
import { requireDist, SANDBOX_START_MS } from '../helpers';
import { launch } from './chromium';

const SHOTS = join(ROOT, 'test-results');
const EMPLOYEE = 'kim@example.com';
const SECURITY = 'security@example.com';

let browser: Browser;
let sb: Sandbox;

beforeAll(async () => {
  requireDist();
  mkdirSync(SHOTS, { recursive: true });
  sb = await startSandbox({
    port: 0,
    state: mkdtempSync(join(tmpdir(), 'gp-panels-')),
    fresh: true,
    demo: true,
  });
  browser = await launch();
}, SANDBOX_START_MS);
afterAll(async () => {
  await browser?.close();
  await sb?.close();
});

async function sidebar(panel: string, user = EMPLOYEE): Promise<Page> {
  const page = await browser.newPage({ viewport: { width: 300, height: 900 } });
  await page.goto(`${sb.url}/sidebar?user=${encodeURIComponent(user)}&panel=${panel}`);
  return page;
}

async function registry(): Promise<string[][]> {
  const res = await fetch(`${sb.url}/api/sheets/Registry`);
  return ((await res.json()) as { values: string[][] }).values;
}

async function fill(
  page: Page,
  values: {
    department: string;
    project: string;
    purpose: string;
    tier: string;
    tool: string;
    version: string;
  },
) {
  await page.getByLabel('Department').fill(values.department);
  await page.getByLabel('Project name').fill(values.project);
  await page.getByLabel('Business purpose (one sentence)').fill(values.purpose);
  await page.getByRole('radio', { name: new RegExp(values.tier) }).check();
  await page.getByLabel('AI tool', { exact: true }).fill(values.tool);
  await page.getByLabel('AI tool version').fill(values.version);
}

test('a Tier 2 registration with an unapproved tool shows why and which tools are approved', async () => {
  const page = await sidebar('register');
  await page.getByRole('heading', { name: 'Register an AI project' }).waitFor();
  await fill(page, {
    department: 'Design',
    project: 'Copy helper',
    purpose: 'Drafts product copy for the team wiki.',
    tier: 'Tier 2',
    tool: 'ChatGPT',
    version: '4o',
  });
  expect(await page.locator('#aiTool-hint').textContent()).toBe(
    'ChatGPT is not approved for Tier 2 - Internal. Approved: Claude Code, GitHub Copilot.',
  );
  await page.screenshot({ path: join(SHOTS, 'panel-register.png'), fullPage: true });
  await page.getByRole('button', { name: 'Register project' }).dblclick();
  const result = page.locator('section.result');
  await result.getByRole('heading', { name: /^Registered AI-\d{4}$/ }).waitFor();
  expect(await result.locator('.badge').textContent()).toBe('Needs Info');
  expect(await result.textContent()).toContain(
    'ChatGPT is not approved for Tier 2 - Internal data (catalog status: Pending).',
  );
  expect(await result.textContent()).toContain(
    'Approved tools for Tier 2 - Internal data: Claude Code (Request a seat in the IT portal); GitHub Copilot',
  );
  await page.screenshot({ path: join(SHOTS, 'panel-register-result.png'), fullPage: true });
  expect((await registry()).filter((r) => r[4] === 'Copy helper')).toHaveLength(1); // the double-click registered once
  // Announced by the sidebar's follow-up call, which nobody waited for.
  expect(
    await slackTextWhere((t) => /^New AI project registered: AI-\d{4} Copy helper/.test(t)),
  ).toBeTruthy();
  await page.close();
});

/** The first Slack message text matching, waiting up to 10 s for it; null if none came. */
async function slackTextWhere(match: (text: string) => boolean): Promise<string | null> {
  for (const end = Date.now() + 10000; Date.now() < end;) {
    const res = await fetch(`${sb.url}/api/slack`);
    const body = (await res.json()) as { messages: { payload: { text: string } }[] };
    const found = body.messages.map((m) => m.payload.text).find(match);
    if (found) return found;
    await new Promise((r) => setTimeout(r, 200));
  }
  return null;
}

test('inline validation explains each problem before anything is sent', async () => {
  const page = await sidebar('register');
  await page.getByRole('heading', { name: 'Register an AI project' }).waitFor();
  await page.getByLabel('Your work email').fill('kim at example');
  await page.getByLabel('Project name').click();
  expect(await page.locator('#creatorEmail-error').textContent()).toBe(
    'Creator Email "kim at example" is not an email address.',
  );
  await page.getByRole('button', { name: 'Register project' }).click();
  expect(await page.getByRole('alert').textContent()).toBe(
    'Some details need fixing: see the messages above.',
  );
  expect(await page.locator('#businessPurpose-error').textContent()).toContain(
    'Business Purpose is missing',
  );
  await page.close();
});

test('a submit with the network failing shows an error and registers nothing', async () => {
  const page = await sidebar('register');
  await page.getByRole('heading', { name: 'Register an AI project' }).waitFor();
  await fill(page, {
    department: 'Design',
    project: 'Offline attempt',
    purpose: 'Never reaches the server.',
    tier: 'Tier 1',
    tool: 'Claude Code',
    version: '1',
  });
  const before = (await registry()).length;
  await page.route('**/api/run', (route) => route.abort('internetdisconnected'));
  await page.getByRole('button', { name: 'Register project' }).click();
  const alert = page.getByRole('alert');
  await alert.waitFor();
  expect(await alert.textContent()).toBe(
    'Governed Path could not reach the spreadsheet. Check your connection and try again. If you are signed in to several Google accounts, Google blocks add-ons in all but the first one: open the spreadsheet in a private window (or a browser profile) signed in only to your work account.',
  );
  expect(await page.getByRole('button', { name: 'Register project' }).isEnabled()).toBe(true);
  expect((await registry()).length).toBe(before);
  expect((await registry()).some((r) => r[4] === 'Offline attempt')).toBe(false);
  await page.close();
});

test('the decision tree reaching "Regulated" shows the block; a confidential answer carries into Register', async () => {
  const page = await sidebar('classify');
  await page.getByRole('heading', { name: 'Can I use AI with this data?' }).waitFor();
  await page.getByRole('button', { name: 'Yes' }).click();
  const card = page.locator('section.card');
  await card.getByRole('heading', { name: 'Tier 4 - Regulated' }).waitFor();
  expect(await card.textContent()).toContain('AI allowed?No');
  expect(await card.textContent()).toContain('No AI tool may be used with this data.');
  await page.getByLabel('Search data stores').fill('pay');
  expect(await page.locator('.store-results li').allTextContents()).toEqual([
    'Payments VaultTier 4 - Regulated',
  ]);
  await page.screenshot({ path: join(SHOTS, 'panel-classify-regulated.png'), fullPage: true });

  await page.getByRole('button', { name: 'Start again' }).click();
  await page.getByRole('button', { name: 'No' }).click();
  await page.getByRole('button', { name: 'Yes' }).click();
  await card.getByRole('heading', { name: 'Tier 3 - Confidential' }).waitFor();
  expect(await card.textContent()).toContain('Claude Code');
  await page.getByRole('button', { name: 'Register a Tier 3 project' }).click();
  expect(await page.getByRole('radio', { name: /Tier 3 - Confidential/ }).isChecked()).toBe(true);
  await page.close();
});

test('My projects lists the caller’s entries and confirms them', async () => {
  const page = await sidebar('mine', 'alex@example.com');
  await page.getByRole('heading', { name: 'My projects' }).waitFor();
  const cards = page.locator('article.project');
  await cards.first().waitFor();
  expect(await cards.locator('strong').allTextContents()).toEqual([
    'Prototype using synthetic data',
    'Release notes generator',
  ]);
  await cards.first().getByRole('button', { name: 'Still active' }).click();
  await cards
    .first()
    .getByText(/^Confirmed \d{4}-\d{2}-\d{2}$/)
    .waitFor();
  await cards.nth(1).getByRole('button', { name: 'Decommission' }).click();
  await cards.nth(1).getByRole('button', { name: 'Yes, decommission' }).click();
  await cards
    .nth(1)
    .getByText(/Decommissioned/)
    .waitFor();
  // Co-owners (DESIGN §6.1): an owner adds one; the card shows the new owner set.
  await cards.first().getByRole('button', { name: 'Co-owners…' }).click();
  await cards
    .first()
    .getByRole('textbox', { name: /Co-owners/ })
    .fill('kim@example.com');
  await cards.first().getByRole('button', { name: 'Save co-owners' }).click();
  await cards.first().getByText('Owners: alex@example.com, kim@example.com').waitFor();
  await page.screenshot({ path: join(SHOTS, 'panel-my-projects.png'), fullPage: true });
  await cards.nth(1).getByRole('button', { name: 'Co-owners…' }).click();
  await cards
    .nth(1)
    .getByRole('textbox', { name: /Co-owners/ })
    .fill('not-an-email');
  await cards.nth(1).getByRole('button', { name: 'Save co-owners' }).click();
  await cards.nth(1).getByText('"not-an-email" is not an email address.').waitFor();
  const rows = await registry();
  expect(rows.find((r) => r[4] === 'Release notes generator')?.[10]).toBe('Decommissioned');
  await page.close();
});

test('the security team decides a review; the registry row follows', async () => {
  const page = await sidebar('reviews', SECURITY);
  await page.getByRole('heading', { name: 'Review queue' }).waitFor();
  const first = page.locator('article.review').first();
  await first.waitFor();
  expect(await page.locator('article.review.overdue').count()).toBeGreaterThan(0);
  await page.screenshot({ path: join(SHOTS, 'panel-review-queue.png'), fullPage: true });
  const project = (await first.locator('strong').first().textContent())!;
  await first.getByRole('combobox', { name: /^Decision for/ }).selectOption('Approved');
  await first.getByRole('button', { name: 'Record decision' }).click();
  await first.getByText(/is now Approved/).waitFor();
  expect((await registry()).find((r) => r[4] === project)?.[11]).toBe('Approved');
  expect(
    await slackTextWhere((t) => t.startsWith('Review decided:') && t.includes(project)),
  ).toBeTruthy();
  await page.close();
});

test('an approved entry moved to Production without a threat model leads the queue; the team adds the link there', async () => {
  const api = async (path: string, body: unknown) =>
    (await fetch(`${sb.url}${path}`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify(body),
    }).then((r) => r.json())) as { ok: boolean; result?: unknown };
  const queue = (await api('/api/run', { fn: 'listReviewQueue', args: [], user: SECURITY }))
    .result as { items: { reviewId: string; registryId: string; project: string }[] };
  const target = queue.items[queue.items.length - 1];
  expect(
    await api('/api/run', {
      fn: 'decideReview',
      args: [target.reviewId, { decision: 'Approved', note: '', threatModel: '' }],
      user: SECURITY,
    }),
  ).toMatchObject({ ok: true });
  const rows = await registry();
  const at = rows.findIndex((r) => r[0] === target.registryId) + 1;
  const creator = rows[at - 1][2];
  expect(
    await api('/api/edit', {
      sheet: 'Registry',
      range: `K${at}`,
      values: [['prod']],
      user: creator,
    }),
  ).toMatchObject({ ok: true });
  expect((await registry())[at - 1][11]).toBe('In Review');

  const page = await sidebar('reviews', SECURITY);
  const card = page.locator('article.review').first();
  await card.getByText('Needs threat model').waitFor();
  expect(await card.locator('strong').first().textContent()).toBe(target.project);
  await page.screenshot({ path: join(SHOTS, 'panel-review-gate.png'), fullPage: true });
  await card
    .getByRole('textbox', { name: /Threat model link/ })
    .fill('https://docs.example.com/tm/gate');
  await card.getByRole('button', { name: 'Add threat model' }).click();
  await card.getByText(/threat model added\. .* is now Approved/).waitFor();
  expect((await registry())[at - 1][11]).toBe('Approved');
  await page.close();
});

test('an employee cannot open the review queue or save settings, even by calling the server directly', async () => {
  const page = await sidebar('reviews', EMPLOYEE);
  const refusal = page.getByRole('alert');
  await refusal.waitFor();
  expect(await refusal.textContent()).toBe(
    'Only the security team can do this. Ask them, or ask to be added in Settings.',
  );
  expect(await page.getByRole('button', { name: 'Reviews' }).count()).toBe(0);
  const direct = await page.evaluate(
    () =>
      new Promise<string>((resolve) => {
        type Run = {
          withSuccessHandler(f: () => void): Run;
          withFailureHandler(f: (e: Error) => void): Run;
          saveSettings(s: unknown): void;
        };
        const run = (window as unknown as { google: { script: { run: Run } } }).google.script.run;
        run
          .withSuccessHandler(() => resolve('saved'))
          .withFailureHandler((e: Error) => resolve(e.message))
          .saveSettings({ securityTeam: ['kim@example.com'] });
      }),
  );
  expect(direct).toBe(
    'Only the security team can do this. Ask them, or ask to be added in Settings.',
  );
  const api = await fetch(`${sb.url}/api/run`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify({ fn: 'listReviewQueue', args: [], user: EMPLOYEE }),
  });
  expect(await api.json()).toEqual({
    ok: false,
    error: 'Only the security team can do this. Ask them, or ask to be added in Settings.',
  });
  await page.close();
});

test('settings: the webhook is write-only and masked, bad values get a sentence, a test message is sent', async () => {
  const page = await sidebar('settings', SECURITY);
  await page.getByRole('heading', { name: 'Settings' }).waitFor();
  const webhook = page.getByLabel('Slack webhook URL');
  expect(await webhook.inputValue()).toBe('https://hooks.slack.com/…mo01');
  expect(await page.content()).not.toContain('sandboxdemo01');
  await page.getByLabel('Review SLA (business days)').fill('0');
  await page.getByRole('button', { name: 'Save' }).click();
  expect(await page.getByRole('alert').textContent()).toBe(
    'Review SLA must be a whole number from 1 to 30.',
  );
  await page.getByLabel('Review SLA (business days)').fill('5');
  await page.getByLabel('Holidays (yyyy-mm-dd, one per line)').fill('2026-12-25\n2027-01-01');
  await page.getByRole('button', { name: 'Save' }).click();
  await page.getByRole('status').filter({ hasText: 'Saved.' }).waitFor();
  expect(await webhook.inputValue()).toBe('https://hooks.slack.com/…mo01');
  await page.getByRole('button', { name: 'Send test message' }).click();
  await page.getByText('Sent: check #security-updates in Slack.').waitFor();
  await page.screenshot({ path: join(SHOTS, 'panel-settings.png'), fullPage: true });
  const slack = (await (await fetch(`${sb.url}/api/slack`)).json()) as {
    messages: { payload: { text: string } }[];
  };
  expect(
    slack.messages.some((m) => m.payload.text.startsWith('Test message from Governed Path')),
  ).toBe(true);
  // Rotating the signing key asks first, then reports; the new key never reaches the page.
  await page.getByRole('button', { name: 'Rotate signing key…' }).click();
  await page.getByRole('button', { name: 'Cancel' }).click();
  await page.getByRole('button', { name: 'Rotate signing key…' }).click();
  await page.getByRole('button', { name: 'Rotate now' }).click();
  await page.getByText(/The signing key was rotated/).waitFor();
  const store = (await (await fetch(`${sb.url}/api/state`)).json()) as Record<string, unknown>;
  expect(JSON.stringify(store)).not.toMatch(/"key":"/);
  expect(await page.content()).not.toMatch(/k-[0-9a-f]{12}/);
  await page.close();
});

test('settings › notifications: a Teams webhook saved masked, routed, tested; a retired one refused', async () => {
  const page = await sidebar('settings', SECURITY);
  await page.getByRole('heading', { name: 'Notifications' }).waitFor();
  // The demo has Chat and Teams: shown masked, never the token.
  expect(await page.getByLabel('Google Chat webhook URL').inputValue()).toBe(
    'https://chat.googleapis.com/…en01',
  );
  expect(await page.content()).not.toContain('sandboxChatToken01');
  const teams = page.getByLabel('Microsoft Teams webhook URL (Workflows)');
  await teams.fill('https://acme.webhook.office.com/webhookb2/abc/IncomingWebhook/def');
  await page.getByRole('button', { name: 'Save' }).click();
  expect(await page.getByRole('alert').textContent()).toMatch(/Microsoft retired/);
  await teams.fill(
    'https://prod-01.westus.logic.azure.com:443/workflows/new0/triggers/manual/paths/invoke?api-version=2016-06-01&sig=NewSig42',
  );
  // Reviews due and overdue to Teams only.
  await page.getByLabel('Reviews due and overdue to Slack').uncheck();
  await page.getByLabel('Reviews due and overdue to Chat').uncheck();
  await page.getByRole('button', { name: 'Save' }).click();
  await page.getByRole('status').filter({ hasText: 'Saved.' }).waitFor();
  expect(await teams.inputValue()).toBe('https://prod-01.westus.logic.azure.com/…ig42');
  await page.getByRole('button', { name: 'Send test to Teams' }).click();
  await page.getByText('Sent: check the Microsoft Teams space or channel.').waitFor();
  const got = (await (await fetch(`${sb.url}/api/teams`)).json()) as {
    messages: { path: string; raw: string }[];
  };
  const last = got.messages.at(-1)!;
  expect(last.path).toContain('/workflows/new0/');
  expect(last.raw).toContain('Test message from Governed Path');
  const settings = (await (
    await fetch(`${sb.url}/api/run`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify({ fn: 'getSettings', args: [], user: SECURITY }),
    })
  ).json()) as { result: { routes: Record<string, string[]> } };
  expect(settings.result.routes.overdue).toEqual(['teams']);
  await page.screenshot({ path: join(SHOTS, 'panel-settings-notifications.png'), fullPage: true });
  await page.close();
});

test('the menu opens the sidebar in the page’s 300 px panel', async () => {
  const page = await browser.newPage({ viewport: { width: 1400, height: 900 } });
  await page.goto(sb.url);
  await page.getByRole('button', { name: 'Extensions' }).click();
  await page.getByRole('menuitem', { name: 'Governed Path' }).hover();
  await page.getByRole('menuitem', { name: 'Register an AI project' }).click();
  const frame = page.frameLocator('iframe.sidebar-frame');
  await frame.getByRole('heading', { name: 'Register an AI project' }).waitFor();
  expect(
    await page.locator('iframe.sidebar-frame').evaluate((f) => f.getBoundingClientRect().width),
  ).toBe(300);
  await page.screenshot({ path: join(SHOTS, 'sandbox-with-sidebar.png') });
  await page.close();
});
