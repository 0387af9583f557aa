/**
 * Issue 18 in the sidebar, against the real bundle in the sandbox: the security team imports
 * an inventory (a CSV file with a title line, a blank line, a duplicate of an existing entry
 * and of an earlier line, messy values), through the guessed mapping and the dry run; a long
 * import stopped after a batch is continued after the dialog was closed; the Register panel
 * offers a person the project the security team found for them; Settings keeps the survey link.
 * Screenshots land in docs/screenshots/.
 */
import { mkdirSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { ROOT } from '../../sandbox/gas/runtime';
import { startSandbox, type Sandbox } from '../../sandbox/server';
import { requireDist, SANDBOX_START_MS } from '../helpers';
import { launch } from './chromium';

const SHOTS = join(ROOT, 'docs', 'screenshots');
const RESULTS = join(ROOT, 'test-results');
const SECURITY = 'security@example.com';

let browser: Browser;
let sb: Sandbox;

async function post(path: string, body: unknown): Promise<Record<string, unknown>> {
  const res = await fetch(`${sb.url}${path}`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify(body),
  });
  return (await res.json()) as Record<string, unknown>;
}

async function run(fn: string, args: unknown[], user = SECURITY): Promise<unknown> {
  const r = await post('/api/run', { fn, args, user });
  if (!r.ok) throw new Error(`${fn}: ${String(r.error)}`);
  return r.result;
}

async function sheet(name: string): Promise<string[][]> {
  const res = await fetch(`${sb.url}/api/sheets/${encodeURIComponent(name)}`);
  return ((await res.json()) as { values: string[][] }).values;
}

/** The Registry's rows as objects by header. */
async function registry(): Promise<Record<string, string>[]> {
  const [header, ...rows] = await sheet('Registry');
  return rows
    .filter((r) => r[0] !== '')
    .map((r) => Object.fromEntries(header.map((h, i) => [h, r[i]])));
}

beforeAll(async () => {
  requireDist();
  mkdirSync(SHOTS, { recursive: true });
  mkdirSync(RESULTS, { recursive: true });
  sb = await startSandbox({
    port: 0,
    state: mkdtempSync(join(tmpdir(), 'gp-import-')),
    fresh: true,
    demo: true,
  });
  browser = await launch();
}, SANDBOX_START_MS);
afterAll(async () => {
  await browser?.close();
  await sb?.close();
});

async function panel(
  name: string,
  user = SECURITY,
  width = 900,
  height = 680,
  context?: BrowserContext,
): Promise<Page> {
  const page = context
    ? await context.newPage()
    : await browser.newPage({ viewport: { width, height } });
  await page.goto(`${sb.url}/sidebar?user=${encodeURIComponent(user)}&panel=${name}`);
  return page;
}

/**
 * An inventory as real ones come: a title line above the header, headers that are not the
 * registry's words, a creator written "Name <address>", tier and status words of its own, a
 * tool's short name, day-first dates, a blank line, an existing entry (the demo's AI-0001),
 * a line repeating an earlier one, and a line with little more than a name.
 */
const CSV = [
  'Inventory export 2024,,,,,,,,',
  'Project,Owner,Team,What it does,Data,Tool,Version,Stage,Created',
  'Invoice helper,Jane Roe <jane@example.com>,Finance,Drafts invoice reminders,internal,copilot,1.0,Live,13/02/2024',
  'Marketing email automation,dana@example.com,Marketing,Sends the weekly campaign email,Tier 1,ChatGPT,4o,prod,01/03/2024',
  ',,,,,,,,',
  'Payroll bot,lee@example.com,People Ops,Answers payroll questions,T4,Claude Code,1.0,dev,2024-04-05',
  'Invoice helper,jane@example.com,Finance,Again,internal,copilot,1.0,Live,13/02/2024',
  '"Contract <summariser>",not-an-email,,,,,,,',
  '',
].join('\n');

test('a CSV file is mapped (guesses shown), dry-run (counts, duplicates) and imported', async () => {
  const page = await panel('import');
  await page.getByRole('heading', { name: 'Import an inventory' }).waitFor();
  await page.getByRole('heading', { name: 'From a CSV file' }).waitFor();
  // The demo's older inventory is offered as a sheet to import from.
  await page.getByText('IT inventory 2025', { exact: false }).first().waitFor();
  await page.getByLabel('Choose a .csv file').setInputFiles({
    name: 'inventory.csv',
    mimeType: 'text/csv',
    buffer: Buffer.from(CSV, 'utf8'),
  });
  await page.getByText('Read inventory.csv: 8 lines.').waitFor();
  expect(await page.locator('#csvText').inputValue()).toBe(CSV);
  await page.getByRole('button', { name: 'Use this CSV' }).click();

  // 2. Columns: the header found on line 2, each field's guess, why, and sample values.
  await page.getByRole('table', { name: 'Which column holds each field' }).waitFor();
  expect(await page.locator('.source-line').textContent()).toBe(
    'CSV "inventory.csv" — 5 rows below the header.', // the blank line is not a row
  );
  expect(await page.getByLabel('Header row').inputValue()).toBe('2');
  const row = (field: string) =>
    page.locator('table.mapping tbody tr').filter({ has: page.getByText(field, { exact: true }) });
  const chosen = async (field: string) => row(field).locator('select option:checked').textContent();
  expect(await chosen('Project')).toBe('A: Project');
  expect(await chosen('Creator Email')).toBe('B: Owner');
  expect(await chosen('Department')).toBe('C: Team');
  expect(await chosen('Business Purpose')).toBe('D: What it does');
  expect(await chosen('Data Tier')).toBe('E: Data');
  expect(await chosen('AI Tool')).toBe('F: Tool');
  expect(await chosen('Deployment Status')).toBe('H: Stage');
  expect(await chosen('First Recorded')).toBe('I: Created');
  expect(await chosen('Data Stores')).toBe('— not in the source —');
  expect(await row('Project').locator('.why').textContent()).toBe('guessed from header');
  // "Data" names no field: its values (internal, Tier 1, T4) say it is the tier.
  expect(await row('Data Tier').locator('.why').textContent()).toBe('guessed from values');
  expect(await row('Creator Email').locator('.samples').textContent()).toBe(
    'Jane Roe <jane@example.com> · dana@example.com · lee@example.com',
  );
  expect(await page.locator('#dateEvidence').textContent()).toBe(
    'Read as day first: "13/02/2024" can only be day-first.',
  );
  // Unmapping a required field says what it costs; unmapping Project stops the dry run.
  const version = row('AI Tool Version').locator('select');
  await version.selectOption('-1');
  await page
    .getByText(
      'Not mapped: AI Tool Version. Rows will be imported as Needs Info until their owners fill it in.',
    )
    .waitFor();
  await row('Project').locator('select').selectOption('-1');
  expect(await page.getByRole('alert').textContent()).toBe(
    'Choose the column that holds Project: an entry cannot be matched or owned without it.',
  );
  expect(await page.getByRole('button', { name: 'Dry run' }).isDisabled()).toBe(true);
  await row('Project').locator('select').selectOption('0');
  expect(await row('Project').locator('.why').textContent()).toBe('guessed from header');
  await page.screenshot({ path: join(SHOTS, 'import-mapping.png'), fullPage: true });

  // 3. The dry run with AI Tool Version left out: the warning, then back to map it.
  await page.getByRole('button', { name: 'Dry run' }).click();
  await page.getByRole('table', { name: 'Rows of the dry run' }).waitFor();
  await page.getByText('Not mapped: AI Tool Version.').waitFor();
  await page.getByRole('button', { name: 'Back to columns' }).click();
  await row('AI Tool Version').locator('select').selectOption('6');
  await page.getByRole('button', { name: 'Dry run' }).click();
  const plan = page.getByRole('table', { name: 'Rows of the dry run' });
  await plan.waitFor();
  expect(await page.getByText('Not mapped:', { exact: false }).count()).toBe(0);
  const counts = page.getByLabel('Dry run summary');
  expect(await counts.locator('.count').allTextContents()).toEqual([
    '3to import',
    '2duplicates',
    '1blank lines skipped',
  ]);
  expect(await counts.locator('.by-decision .decision').allTextContents()).toEqual([
    'Approved 1',
    'Needs Info 1',
    'Blocked 1',
  ]);
  const lines = plan.locator('tbody tr');
  expect(await lines.count()).toBe(5);
  const line = (n: number) =>
    lines.filter({ has: page.locator('td.line', { hasText: String(n) }) });
  expect(await line(3).locator('td.decision').textContent()).toBe(
    'Approvedfirst recorded 2024-02-13',
  );
  expect(await line(3).locator('li.note').allTextContents()).toEqual([
    'Deployment Status "Live" read as Production.',
    'AI Tool "copilot" read as GitHub Copilot.',
  ]);
  expect(await line(4).locator('td.decision').textContent()).toMatch(
    /^duplicate of AI-0001first recorded 2024-03-01$/,
  );
  expect(await line(7).locator('td.decision .dup').textContent()).toBe('duplicate of line 3');
  // The source's text is shown as text, never as markup.
  expect(await line(8).locator('td').nth(1).textContent()).toBe('Contract <summariser>');
  expect(await page.locator('summariser').count()).toBe(0);

  await page.getByRole('radio', { name: /^Problems/ }).check();
  expect(await lines.locator('td.line').allTextContents()).toEqual(['6', '8']);
  await page.getByRole('radio', { name: /^Duplicates/ }).check();
  expect(await lines.locator('td.line').allTextContents()).toEqual(['4', '7']);
  await page.getByRole('radio', { name: /^All/ }).check();
  await page.screenshot({ path: join(SHOTS, 'import-dryrun.png'), fullPage: true });

  // 4. Import: one batch, the summary, first and last IDs, and the Registry's rows.
  const before = (await registry()).length;
  await page.getByRole('button', { name: 'Import 3 entries' }).click();
  await page.getByRole('heading', { name: 'Import finished' }).waitFor();
  expect(await page.locator('.figures').textContent()).toBe('5 of 5 rows · 3 imported · 2 skipped');
  expect(await page.getByRole('progressbar').getAttribute('aria-valuenow')).toBe('100');
  const first = `AI-${String(before + 1).padStart(4, '0')}`;
  const last = `AI-${String(before + 3).padStart(4, '0')}`;
  expect(await page.locator('dl.finished dd').first().textContent()).toBe(
    `${first} to ${last} (3 entries)`,
  );
  expect(await page.getByRole('status').filter({ hasText: 'Import finished:' }).count()).toBe(1);
  await page.screenshot({ path: join(RESULTS, 'import-finished.png'), fullPage: true });

  const rows = await registry();
  expect(rows).toHaveLength(before + 3);
  const byProject = (p: string) => rows.find((r) => r.Project === p);
  expect(byProject('Invoice helper')).toMatchObject({
    ID: first,
    'Creator Email': 'jane@example.com',
    'Data Tier': 'Tier 2 - Internal',
    'AI Tool': 'GitHub Copilot',
    'Deployment Status': 'Production',
    Approval: 'Approved',
    'Registered By': `Imported by ${SECURITY}`,
  });
  expect(byProject('Payroll bot')).toMatchObject({ Approval: 'Blocked' });
  expect(byProject('Contract <summariser>')).toMatchObject({ ID: last, Approval: 'Needs Info' });
  expect(rows.filter((r) => r.Project === 'Marketing email automation')).toHaveLength(1);

  // The finished import is what the panel opens with next time.
  await page.reload();
  await page
    .getByText(`Last import: from CSV "inventory.csv" by ${SECURITY}`, { exact: false })
    .waitFor();
  await page.close();
});

test('a long import is stopped after a batch and continued after the dialog was closed', async () => {
  const header =
    'Project,Creator Email,Department,Business Purpose,Data Tier,AI Tool,Version,Status';
  const lines = Array.from(
    { length: 300 },
    (_, i) =>
      `Script ${i + 1},owner${i % 7}@example.com,Finance,Tidies report ${i + 1},Tier 1,Claude Code,1.0,dev`,
  );
  const csv = [header, ...lines].join('\n');
  // One browser profile: the panel keeps the job's columns in localStorage, never the CSV.
  const context = await browser.newContext({ viewport: { width: 900, height: 680 } });
  const page = await panel('import', SECURITY, 900, 680, context);
  await page.locator('#csvText').fill(csv);
  await page.getByRole('button', { name: 'Use this CSV' }).click();
  await page.getByRole('button', { name: 'Dry run' }).click();
  // The first batch (250 rows) is held on its way until Stop has been pressed.
  let release = (): void => undefined;
  const held = new Promise<void>((resolve) => (release = resolve));
  await page.route('**/api/run', async (route) => {
    if ((route.request().postData() ?? '').includes('"fn":"importBatch"')) await held;
    await route.continue();
  });
  await page.getByRole('button', { name: 'Import 300 entries' }).click();
  await page.getByRole('button', { name: 'Stop' }).click();
  await page.getByRole('button', { name: 'Stopping after this batch…' }).waitFor();
  release();
  await page.getByRole('heading', { name: 'Import stopped' }).waitFor();
  expect(await page.locator('.figures').textContent()).toBe(
    '250 of 300 rows · 250 imported · 0 skipped',
  );
  await page.close();

  // The dialog opened again: the unfinished import first; a CSV is asked for again.
  const again = await panel('import', SECURITY, 900, 680, context);
  const resume = again.getByRole('region', { name: 'Unfinished import' });
  await resume.waitFor();
  expect(await resume.locator('strong').textContent()).toBe(
    `An import from pasted CSV by ${SECURITY} stopped at 250 of 300 rows.`,
  );
  await again.screenshot({ path: join(RESULTS, 'import-resume.png'), fullPage: true });
  // Another source is refused while it is unfinished (the server's sentence).
  await resume.getByRole('button', { name: 'Continue' }).click();
  await again.getByText('paste it again, or choose the same file', { exact: false }).waitFor();
  await again.locator('#csvText').fill(csv.replace('Script 1,', 'Script one,'));
  await again.getByRole('button', { name: 'Continue with this CSV' }).click();
  await again
    .getByRole('alert')
    .filter({ hasText: 'is not finished (250 of 300 rows done)' })
    .waitFor();
  await again.getByRole('button', { name: 'Back to the start' }).click();
  await again
    .getByRole('region', { name: 'Unfinished import' })
    .getByRole('button', { name: 'Continue' })
    .click();
  await again.locator('#csvText').fill(csv);
  await again.getByRole('button', { name: 'Continue with this CSV' }).click();
  await again.getByRole('heading', { name: 'Import finished' }).waitFor();
  expect(await again.locator('.figures').textContent()).toBe(
    '300 of 300 rows · 300 imported · 0 skipped',
  );
  const rows = await registry();
  expect(rows.filter((r) => /^Script \d+$/.test(r.Project))).toHaveLength(300);
  await context.close();
});

test('the Register panel offers a person the project the security team found for them', async () => {
  // Below the demo's own lines (one of them Dana's, invited by the demo's daily run).
  const found = await post('/api/edit', {
    sheet: 'Discovered',
    range: 'A9:E10',
    values: [
      [
        'GitHub scan',
        'Ticket triage <bot>',
        'dana@example.com',
        '2026-11-02',
        'https://github.example.com/dana/triage',
      ],
      ['Expense review', 'Receipt reader', 'dana@example.com', '2026-11-03', 'javascript:alert(1)'],
    ],
    user: SECURITY,
  });
  expect(found.ok).toBe(true);
  const page = await panel('register', 'dana@example.com', 300, 900);
  const section = page.getByRole('region', { name: 'Projects the security team found for you' });
  await section.waitFor();
  const items = section.locator('li');
  expect(await items.locator('strong').allTextContents()).toEqual([
    'Expense approvals script',
    'Ticket triage <bot>',
    'Receipt reader',
  ]);
  // A link only when it is https.
  expect(await items.nth(1).getByRole('link', { name: 'Open' }).getAttribute('href')).toBe(
    'https://github.example.com/dana/triage',
  );
  expect(await items.nth(2).getByRole('link').count()).toBe(0);
  await page.screenshot({ path: join(SHOTS, 'register-found.png'), fullPage: true });

  await section.getByRole('button', { name: 'Register Ticket triage <bot>' }).click();
  expect(await page.getByLabel('Project name').inputValue()).toBe('Ticket triage <bot>');
  expect(await page.evaluate(() => document.activeElement?.id)).toBe('businessPurpose');
  // The rest of the form keeps its defaults.
  expect(await page.getByLabel('Your work email').inputValue()).toBe('dana@example.com');
  expect(await page.getByLabel('Deployment status').inputValue()).toBe('Development');
  await page.screenshot({ path: join(RESULTS, 'register-found-chosen.png'), fullPage: true });
  await page.close();
});

test('settings keep the survey link: https only', async () => {
  const page = await panel('settings', SECURITY, 520, 640);
  const survey = page.getByLabel('Survey link');
  await survey.waitFor();
  await page
    .getByText(
      'Invitations to register a discovered project link to it: a short survey on why it had not been registered',
      { exact: false },
    )
    .waitFor();
  await survey.fill('http://forms.example.com/why');
  await page.getByRole('button', { name: 'Save' }).click();
  await page
    .getByRole('alert')
    .filter({ hasText: 'The survey link must be one https:// address' })
    .waitFor();
  await survey.fill('https://forms.example.com/why');
  await page.getByRole('button', { name: 'Save' }).click();
  await page.getByRole('status').filter({ hasText: 'Saved.' }).waitFor();
  expect(((await run('getSettings', [])) as { surveyUrl: string }).surveyUrl).toBe(
    'https://forms.example.com/why',
  );
  await page.close();
});
