/**
 * Exports in the sandbox page (issue 18): the security team clicks Extensions › Governed Path ›
 * Security team › Export …, and the dialog's button downloads the file from inside the
 * dialog's frame, sandboxed as Apps Script sandboxes HtmlService (allow-downloads). The
 * screenshot lands in docs/screenshots/export.png.
 */
import { mkdirSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser, Download, Page } from 'playwright-core';
import { ROOT } from '../../sandbox/gas/runtime';
import { startSandbox, type Sandbox } from '../../sandbox/server';
import { requireDist, SANDBOX_START_MS } from '../helpers';
import { launch } from './chromium';

const SHOTS = join(ROOT, 'docs', 'screenshots');
const HOSTILE = '=HYPERLINK("https://evil.example","Open me")';

let browser: Browser;
let sb: Sandbox;
let page: Page;

beforeAll(async () => {
  requireDist();
  mkdirSync(SHOTS, { recursive: true });
  sb = await startSandbox({
    port: 0,
    state: mkdtempSync(join(tmpdir(), 'gp-export-')),
    fresh: true,
    demo: true,
  });
  // Someone registers a Tier 3 project whose name is a formula.
  const res = await fetch(`${sb.url}/api/run`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify({
      fn: 'registerProject',
      user: 'kim@example.com',
      args: [
        {
          creatorEmail: 'kim@example.com',
          department: 'Finance',
          project: HOSTILE,
          businessPurpose: 'Reconciles invoices, "fast"',
          dataTier: 'Tier 3 - Confidential',
          dataStores: [],
          aiTool: 'Claude Code',
          aiToolVersion: '-1',
          deploymentStatus: 'Development',
        },
      ],
    }),
  });
  expect(((await res.json()) as { ok: boolean }).ok).toBe(true);
  browser = await launch();
  page = await browser.newPage({ viewport: { width: 1280, height: 760 } });
  await page.goto(sb.url);
  await page.locator('td[data-cell="A2"]').waitFor();
  await page.locator('#user').selectOption('security@example.com');
  await page.locator('#status').getByText('Now acting as security@example.com.').waitFor();
}, SANDBOX_START_MS);

afterAll(async () => {
  await browser?.close();
  await sb?.close();
});

async function openExport(caption: string) {
  await page.getByRole('button', { name: 'Extensions' }).click();
  await page.getByRole('menuitem', { name: 'Governed Path' }).hover();
  await page.getByRole('menuitem', { name: 'Security team' }).hover();
  await page.getByRole('menuitem', { name: caption }).click();
  const dialog = page.getByRole('alertdialog');
  await dialog.waitFor();
  return { dialog, frame: page.frameLocator('iframe.dialog-frame') };
}

async function downloaded(click: () => Promise<void>): Promise<{ name: string; text: string }> {
  const [download] = (await Promise.all([page.waitForEvent('download'), click()])) as [
    Download,
    void,
  ];
  const path = await download.path();
  return { name: download.suggestedFilename(), text: readFileSync(path, 'utf8') };
}

test('the registry downloads from the dialog as CSV, neutralised, and as JSON, as recorded', async () => {
  const { dialog, frame } = await openExport('Export registry (CSV or JSON)');
  await frame.getByText(/entries of the registry/).waitFor();
  await page.screenshot({ path: join(SHOTS, 'export.png') });
  const csv = await downloaded(() => frame.getByRole('button', { name: 'Download CSV' }).click());
  expect(csv.name).toMatch(/^governed-path-registry-\d{4}-\d{2}-\d{2}\.csv$/);
  expect(csv.text.startsWith('\uFEFFID,Registered,Creator Email,')).toBe(true);
  expect(csv.text).toContain(`"'=HYPERLINK(""https://evil.example"",""Open me"")"`);
  expect(csv.text).toContain(",'-1,");
  expect(csv.text).not.toContain('Seal');
  await frame.getByText('Saved governed-path-registry-').waitFor();

  await frame.getByRole('radio', { name: /JSON/ }).check();
  expect(await frame.getByRole('button', { name: 'Download CSV' }).isVisible()).toBe(false);
  const json = await downloaded(() => frame.getByRole('button', { name: 'Download JSON' }).click());
  expect(json.name).toMatch(/\.json$/);
  const data = JSON.parse(json.text) as {
    export: { exportedBy: string; rowCount: number };
    rows: Record<string, string>[];
  };
  expect(data.export.exportedBy).toBe('security@example.com');
  expect(data.rows).toHaveLength(data.export.rowCount);
  expect(data.rows.map((r) => r.Project)).toContain(HOSTILE);
  await dialog.getByRole('button', { name: 'OK' }).click();
});

test('the Tier 3 reviews download as a CSV for Jira, and the Audit Log records both exports', async () => {
  const { dialog, frame } = await openExport('Export reviews for Jira (CSV)');
  const file = await downloaded(() => frame.getByRole('button', { name: 'Download CSV' }).click());
  expect(file.name).toMatch(/^governed-path-jira-reviews-\d{4}-\d{2}-\d{2}\.csv$/);
  expect(file.text.split('\r\n')[0]).toBe(
    'Summary,Issue Type,Description,Priority,Labels,Labels,Labels,Due Date,Created,Status,Reporter,Assignee,External ID',
  );
  expect(file.text).toContain(`"Tier 3 security review: AI-`);
  expect(file.text).toMatch(/,governed-path,tier-3,finance,\d{4}-\d{2}-\d{2} 00:00,/);
  await dialog.getByRole('button', { name: 'OK' }).click();
  const res = await fetch(`${sb.url}/api/sheets/${encodeURIComponent('Audit Log')}`);
  const log = ((await res.json()) as { values: string[][] }).values;
  expect(log.filter((r) => r[2] === 'Exported').map((r) => [r[1], r[4]])).toEqual([
    ['security@example.com', 'Registry (CSV and JSON)'],
    ['security@example.com', 'Reviews for Jira (CSV)'],
  ]);
});
