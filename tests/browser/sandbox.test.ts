import { mkdirSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { ROOT } from '../../sandbox/gas/runtime';
import { startSandbox, type Sandbox } from '../../sandbox/server';
import { requireDist, SANDBOX_START_MS } from '../helpers';
import { launch } from './chromium';

const SHOTS = join(ROOT, 'test-results');

let browser: Browser;
let sb: Sandbox;
let page: Page;

beforeAll(async () => {
  requireDist();
  mkdirSync(SHOTS, { recursive: true });
  sb = await startSandbox({
    port: 0,
    state: mkdtempSync(join(tmpdir(), 'gp-e2e-')),
    fresh: true,
    demo: true,
  });
  browser = await launch();
  page = await browser.newPage({ viewport: { width: 1400, height: 820 } });
  await page.goto(sb.url);
  await page.locator('td[data-cell="E2"]').getByText('Marketing email automation').waitFor();
}, SANDBOX_START_MS);

afterAll(async () => {
  await browser?.close();
  await sb?.close();
});

const cell = (ref: string) => page.locator(`td[data-cell="${ref}"]`);

test('the page shows the demo registry as a spreadsheet, with the add-on’s colours', async () => {
  await page.screenshot({ path: join(SHOTS, 'sandbox-registry.png') });
  expect(await page.locator('.tab').allTextContents()).toEqual([
    'Registry',
    'Reviews',
    'AI Tools',
    'Data Stores',
    'Audit Log',
    'Discovered',
    'Report - Monthly Review', // the demo's weeks of history include a month's first business day
    'IT inventory 2025', // issue 18: an older inventory to import
    'Report - Adoption & SLA',
    'Dashboard',
  ]);
  expect(await cell('L2').textContent()).toBe('Approved');
  expect(await cell('L2').evaluate((td) => getComputedStyle(td).backgroundColor)).toBe(
    'rgb(183, 225, 205)',
  );
  expect(await cell('L5').textContent()).toBe('Blocked');
});

test('an employee types a new row and sees its ID, colour and Checks appear', async () => {
  expect(await page.locator('#user').inputValue()).toBe('dana@example.com');
  await cell('C13').click();
  const row = [
    'dana@example.com',
    'Marketing',
    'Event sign-up bot',
    'Answers questions about our public events.',
    't2',
    '',
    'ChatGPT',
    '4o',
    'dev',
  ];
  for (const value of row) {
    if (value !== '') await page.keyboard.type(value);
    await page.keyboard.press(value === '' ? 'ArrowRight' : 'Tab');
  }
  await cell('K13').getByText('Development').waitFor(); // the last cell typed, corrected from "dev"
  expect(await cell('A13').textContent()).toBe('AI-0012');
  expect(await cell('L13').textContent()).toBe('Needs Info');
  expect(await cell('G13').textContent()).toBe('Tier 2 - Internal');
  expect(await cell('O13').getAttribute('title')).toContain(
    'ChatGPT is not approved for Tier 2 - Internal data',
  );
  expect(await cell('L13').evaluate((td) => getComputedStyle(td).backgroundColor)).toBe(
    'rgb(217, 217, 217)',
  );
  await page.screenshot({ path: join(SHOTS, 'sandbox-typed-row.png') });

  // Registered once complete, and announced in #security-updates.
  const message = page.locator('.slack-message').first();
  await message.getByText('AI-0012 Event sign-up bot').waitFor();
  expect(await message.locator('.slack-header').textContent()).toBe('New AI project registered');
  expect(await message.locator('.slack-fields').textContent()).toContain('Tier 2 - Internal');
  expect(await message.getByRole('link', { name: 'AI-0012 Event sign-up bot' }).count()).toBe(1);
  await page.locator('.side').screenshot({ path: join(SHOTS, 'sandbox-slack-new-entry.png') });
});

test('the security team clicks a menu item and reads what the add-on says', async () => {
  await page.locator('#user').selectOption('security@example.com');
  await page.locator('#status').getByText('Now acting as security@example.com.').waitFor();
  await page.getByRole('button', { name: 'Extensions' }).click();
  await page.getByRole('menuitem', { name: 'Governed Path' }).hover();
  await page.getByRole('menuitem', { name: 'Security team' }).hover();
  await page.getByRole('menuitem', { name: 'Run daily checks now' }).click();
  const dialog = page.getByRole('alertdialog');
  await dialog.waitFor();
  expect(await dialog.textContent()).toContain('Daily checks passed.');
  await page.screenshot({ path: join(SHOTS, 'sandbox-menu-dialog.png') });
  await dialog.getByRole('button', { name: 'OK' }).click();
});

test('moving the clock fires the hourly job, which does the daily work', async () => {
  const before = await page.locator('#now').textContent();
  await page.getByRole('button', { name: '+1 day' }).click();
  await page
    .locator('#status')
    .getByText(/runHourlyJob ×24/)
    .waitFor();
  expect(await page.locator('#now').textContent()).not.toBe(before);
  await page.screenshot({ path: join(SHOTS, 'sandbox-after-clock.png') });
});

test('a protected column warns, and a paste fills a block from the selected cell', async () => {
  await page.locator('#user').selectOption('dana@example.com');
  await page.locator('#status').getByText('Now acting as dana@example.com.').waitFor();
  await cell('C14').click();
  await page.evaluate(() => {
    const data = new DataTransfer();
    data.setData(
      'text/plain',
      'dana@example.com\tMarketing\tBanner resizer\tResizes campaign banners.\t1\t\tClaude Code\t1.0\tprod\n',
    );
    document
      .getElementById('grid')!
      .dispatchEvent(new ClipboardEvent('paste', { clipboardData: data, bubbles: true }));
  });
  await cell('A14').getByText('AI-0013').waitFor();
  expect(await cell('L14').textContent()).toBe('Approved');
});

test('the real sidebar runs against the sandbox through the google.script.run bridge', async () => {
  const sidebar = await browser.newPage({ viewport: { width: 300, height: 600 } });
  await sidebar.goto(`${sb.url}/sidebar?user=sam@example.com`);
  await sidebar.getByRole('heading', { name: 'Register an AI project' }).waitFor();
  expect(await sidebar.getByLabel('Your work email').inputValue()).toBe('sam@example.com');
  expect(await sidebar.locator('datalist#tools option').count()).toBe(3);
  await sidebar.screenshot({ path: join(SHOTS, 'sandbox-sidebar.png') });
  await sidebar.close();
});

test('the Slack panel renders Block Kit readably, and escaped text stays text', async () => {
  const payload = {
    text: 'New AI project registered: Icon exporter',
    blocks: [
      { type: 'header', text: { type: 'plain_text', text: 'New AI project registered' } },
      {
        type: 'section',
        text: {
          type: 'mrkdwn',
          text: '*Icon exporter* by kim@example.com &lt;!channel&gt; &amp; friends',
        },
        fields: [
          { type: 'mrkdwn', text: '*Tier*\nTier 1 - Public' },
          { type: 'mrkdwn', text: '*Approval*\nApproved' },
        ],
      },
      {
        type: 'context',
        elements: [
          { type: 'mrkdwn', text: '<https://docs.google.com/spreadsheets/d/x|Open the row>' },
        ],
      },
    ],
  };
  const res = await fetch(`${sb.slackUrl}/services/T0SANDBOX/B0SANDBOX/sandboxdemo01`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify(payload),
  });
  expect(res.status).toBe(200);
  await page.reload();
  const message = page.locator('.slack-message').first();
  await message.waitFor();
  expect(await message.locator('.slack-header').textContent()).toBe('New AI project registered');
  expect(await message.locator('strong').first().textContent()).toBe('Icon exporter');
  expect(await message.textContent()).toContain('by kim@example.com <!channel> & friends');
  expect(await message.locator('.mention').count()).toBe(0);
  expect(await message.getByRole('link', { name: 'Open the row' }).getAttribute('href')).toBe(
    'https://docs.google.com/spreadsheets/d/x',
  );
  await page.locator('.side').screenshot({ path: join(SHOTS, 'sandbox-slack-panel.png') });
});

test('the Dashboard’s native charts are drawn as pictures', async () => {
  await page.getByRole('tab', { name: 'Dashboard' }).click();
  const charts = page.locator('svg.chart');
  await charts.first().waitFor();
  expect(await charts.evaluateAll((all) => all.map((c) => c.getAttribute('aria-label')))).toEqual([
    'Registrations per month by tier',
    'Approval status',
    'Time to review',
    'Adoption over time (target 40%)',
  ]);
  expect(await page.locator('svg.chart rect').count()).toBeGreaterThan(5);
  await page.screenshot({ path: join(SHOTS, 'sandbox-dashboard.png') });
  await page.getByRole('tab', { name: 'Registry' }).click();
});

/** The body of the next POST to `path` the page sends while `act` runs. */
async function posted(path: string, act: () => Promise<void>): Promise<Record<string, unknown>> {
  const request = page.waitForRequest((r) => r.method() === 'POST' && r.url().endsWith(path));
  await act();
  return (await request).postDataJSON() as Record<string, unknown>;
}

test('typing is a typed edit, Ctrl+V a paste and Delete a clear, as the edit trigger sees them', async () => {
  await cell('F12').click();
  const typed = await posted('/api/edit', async () => {
    await page.keyboard.type('Summarises supplier contracts.');
    await page.keyboard.press('Enter');
  });
  expect(typed).toMatchObject({ range: 'F12', how: 'type', user: 'dana@example.com' });
  await cell('F12').getByText('Summarises supplier contracts.').waitFor();

  await cell('J12').click();
  const pasted = await posted('/api/edit', () =>
    page.evaluate(() => {
      const data = new DataTransfer();
      data.setData('text/plain', '2.1');
      document
        .getElementById('grid')!
        .dispatchEvent(new ClipboardEvent('paste', { clipboardData: data, bubbles: true }));
    }),
  );
  expect(pasted).toMatchObject({ range: 'J12', values: [['2.1']], how: 'paste' });
  await cell('J12').getByText('2.1').waitFor();

  // A block selected with Shift and cleared with Delete.
  await page.getByRole('tab', { name: 'Data Stores' }).click();
  await cell('A20').click();
  for (const value of ['Scratch store', 'Someone']) {
    await page.keyboard.type(value);
    await page.keyboard.press('Tab');
  }
  await cell('B20').getByText('Someone').waitFor();
  await cell('A20').click();
  await cell('B21').click({ modifiers: ['Shift'] });
  expect(await page.locator('#formula .ref').textContent()).toBe('A20:B21');
  const cleared = await posted('/api/edit', () => page.keyboard.press('Delete'));
  expect(cleared).toMatchObject({
    sheet: 'Data Stores',
    range: 'A20:B21',
    values: [
      ['', ''],
      ['', ''],
    ],
    how: 'clear',
  });
  await page.locator('#status').getByText('Cleared Data Stores!A20:B21').waitFor();
  expect(await cell('A20').textContent()).toBe('');
  await page.getByRole('tab', { name: 'Registry' }).click();
  await cell('A2').getByText(/^AI-/).waitFor();
});

test('a person sorts the sheet by the selected column, from the Data menu or a right-click', async () => {
  await cell('E3').click();
  await page.getByRole('button', { name: 'Data', exact: true }).click();
  await page.screenshot({ path: join(SHOTS, 'sandbox-sort-menu.png') });
  const sort = await posted('/api/sort', () =>
    page.getByRole('menuitem', { name: 'Sort sheet by column E (A to Z)' }).click(),
  );
  expect(sort).toMatchObject({ sheet: 'Registry', column: 'E', ascending: true });
  await page
    .locator('#status')
    .getByText('Sorted Registry by Project (column E), A to Z')
    .waitFor();
  const projects = async () =>
    (await page.locator('td[data-c="5"]').allTextContents()).slice(1).filter((p) => p !== '');
  const ascending = await projects();
  expect(ascending.length).toBeGreaterThanOrEqual(13);
  expect(ascending).toEqual([...ascending].sort((a, b) => a.localeCompare(b)));
  expect(await cell('E1').textContent()).toBe('Project');

  await cell('E4').click({ button: 'right' });
  await page.locator('#context-menu').waitFor();
  await page.screenshot({ path: join(SHOTS, 'sandbox-context-menu.png') });
  await page.getByRole('menuitem', { name: 'Sort sheet by column E (Z to A)' }).click();
  await page
    .locator('#status')
    .getByText('Sorted Registry by Project (column E), Z to A')
    .waitFor();
  expect(await projects()).toEqual([...ascending].reverse());
});

test('a person deletes the selected rows; a deleted registration comes back', async () => {
  const before = sb.runtime().world.spreadsheet.sheets.find((s) => s.name === 'Registry')!.maxRows;
  await page.locator('th.row-head[data-r="20"]').click();
  await page.locator('th.row-head[data-r="22"]').click({ modifiers: ['Shift'] });
  expect(await page.locator('#formula .ref').textContent()).toBe('20:22');
  await page.getByRole('button', { name: 'Edit', exact: true }).click();
  await page.screenshot({ path: join(SHOTS, 'sandbox-delete-rows.png') });
  const request = await posted('/api/delete-rows', () =>
    page.getByRole('menuitem', { name: 'Delete rows 20–22' }).click(),
  );
  expect(request).toMatchObject({ sheet: 'Registry', start: 20, count: 3 });
  await page.locator('#status').getByText('Deleted rows 20–22 of Registry').waitFor();
  expect(sb.runtime().world.spreadsheet.sheets.find((s) => s.name === 'Registry')!.maxRows).toBe(
    before - 3,
  );

  // Right-click a registration's row number: the add-on restores the row and logs it.
  const ids = async () =>
    (await page.locator('td[data-c="1"]').allTextContents()).slice(1).filter((v) => v !== '');
  const all = await ids();
  const id = (await cell('A3').textContent())!;
  await page.locator('th.row-head[data-r="3"]').click({ button: 'right' });
  await page.getByRole('menuitem', { name: 'Delete row 3' }).click();
  await page.locator('#status').getByText('Deleted row 3 of Registry').waitFor();
  expect((await ids()).sort()).toEqual([...all].sort());
  expect((await ids()).indexOf(id)).toBe(all.length - 1); // restored at the end
  await page.screenshot({ path: join(SHOTS, 'sandbox-after-delete.png') });
});

test('File › Settings changes the spreadsheet’s time zone', async () => {
  await page.getByRole('button', { name: 'File', exact: true }).click();
  await page.getByRole('menuitem', { name: 'Settings…' }).click();
  const dialog = page.getByRole('dialog', { name: 'Settings for this spreadsheet' });
  await dialog.waitFor();
  expect(await dialog.getByLabel('Time zone').inputValue()).toBe('America/New_York');
  await dialog.getByLabel('Time zone').selectOption('Europe/Berlin');
  await page.screenshot({ path: join(SHOTS, 'sandbox-settings.png') });
  const request = await posted('/api/spreadsheet', () =>
    dialog.getByRole('button', { name: 'Save settings' }).click(),
  );
  expect(request).toMatchObject({ timeZone: 'Europe/Berlin', user: 'dana@example.com' });
  await page
    .locator('#status')
    .getByText("The spreadsheet's time zone is now Europe/Berlin")
    .waitFor();
  expect(sb.runtime().world.spreadsheet.timeZone).toBe('Europe/Berlin');
  expect(await page.locator('#now').textContent()).toMatch(/GMT\+[12]$/);
  expect(await dialog.count()).toBe(0);
});

test('Reset starts a fresh spreadsheet on the date chosen', async () => {
  await page.getByRole('button', { name: 'Reset…' }).click();
  const dialog = page.getByRole('dialog', { name: 'Reset the sandbox' });
  await dialog.getByLabel('Start date').fill('2027-03-01');
  await dialog.getByLabel(/demo registrations/).uncheck();
  await page.screenshot({ path: join(SHOTS, 'sandbox-reset.png') });
  const request = await posted('/api/reset', () =>
    dialog.getByRole('button', { name: 'Reset', exact: true }).click(),
  );
  expect(request).toEqual({ demo: false, now: '2027-03-01' });
  await page.locator('#status').getByText('A fresh spreadsheet; it is now').waitFor();
  expect(await page.locator('#now').textContent()).toBe('Mon, 2027-03-01, 09:00 EST');
  expect(await cell('A2').textContent()).toBe('');
  expect(sb.runtime().world.now).toBe(Date.parse('2027-03-01T14:00:00Z'));
});
