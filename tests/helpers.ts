import { INPUT_FIELDS } from '../src/domain/entry';
import { createHash, createHmac } from 'node:crypto';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { storedDate } from '../sandbox/gas/formats';
import { newSheet } from '../sandbox/gas/model';
import { GasRuntime, ROOT, type RuntimeOptions } from '../sandbox/gas/runtime';
import { startSlackReceiver, type SlackReceiver } from '../sandbox/slack/receiver';

export const ADMIN = 'admin@example.com';
export const SECURITY = 'security@example.com';
export const EMPLOYEE = 'dana@example.com';
export const SETUP = 'Security team > Set up or repair registry';

/** A Tuesday afternoon in New York, so business-day arithmetic starts mid-week. */
export const T0 = '2026-11-24T15:00:00Z';

export function requireDist(): void {
  for (const f of ['Code.js', 'Sidebar.html', 'Import.html', 'appsscript.json']) {
    if (!existsSync(join(ROOT, 'dist', f)))
      throw new Error(`dist/${f} is missing: run npm run build first`);
  }
}

export function runtime(options: RuntimeOptions = {}): GasRuntime {
  requireDist();
  return new GasRuntime({ now: T0, ...options });
}

/** A runtime whose registry the admin has set up. */
export function setUpRuntime(options: RuntimeOptions = {}): GasRuntime {
  const rt = runtime(options);
  const result = rt.clickMenu(SETUP, ADMIN);
  if (!result.ok) throw new Error(`setup failed: ${result.error}`);
  return rt;
}

/** Adds a sheet with the given rows the way a person would have typed them. */
export function personSheet(rt: GasRuntime, name: string, rows: string[][]): void {
  const ss = rt.world.spreadsheet;
  ss.sheets.push(newSheet(ss.nextSheetId++, name));
  const width = Math.max(...rows.map((r) => r.length));
  const padded = rows.map((r) => [...r, ...new Array<string>(width - r.length).fill('')]);
  const end = String.fromCharCode(64 + width);
  const result = rt.edit(name, `A1:${end}${rows.length}`, padded, ss.owner);
  if (!result.ok) throw new Error(`could not type into ${name}: ${result.refused}`);
}

export function headerRow(rt: GasRuntime, sheet: string): string[] {
  return rt.view(sheet).values[0].filter((h) => h !== '');
}

/** Adds people to the security team, as the Settings dialog will. */
export function addToSecurityTeam(rt: GasRuntime, ...emails: string[]): void {
  const props = rt.registryProperties();
  const settings = JSON.parse(props.settings) as { securityTeam: string[] };
  settings.securityTeam = [...settings.securityTeam, ...emails];
  props.settings = JSON.stringify(settings);
}

/** A local Slack receiver for the tests in this file (or describe block), emptied before each. */
export function useSlackReceiver(): () => SlackReceiver {
  let receiver: SlackReceiver | null = null;
  beforeAll(async () => {
    receiver = await startSlackReceiver();
  });
  afterAll(async () => {
    await receiver?.stop();
  });
  beforeEach(async () => {
    await receiver?.reset();
  });
  return () => {
    if (!receiver) throw new Error('the Slack receiver has not started');
    return receiver;
  };
}

/**
 * Recomputes the Audit Log's keyed chain outside the add-on, from the key in the registry's
 * store and the documented format (src/domain/audit.ts: HMAC-SHA256 over the previous MAC, the
 * sequence number and the row's fields). Returns each row's expected MAC, in order.
 */
export function expectedAuditMacs(rt: GasRuntime): { actual: string[]; expected: string[] } {
  const store = rt.registryProperties();
  const key = Buffer.from((JSON.parse(store.signingKey) as { key: string }).key, 'base64');
  const grid = rt.world.spreadsheet.sheets.find((s) => s.name === 'Audit Log')!.grid.slice(1);
  const lines = grid.filter((l) => l?.[7]?.v);
  const actual: string[] = [];
  const expected: string[] = [];
  let previous = '';
  lines.forEach((line, i) => {
    const v = line.map((c) => String(c?.v ?? ''));
    // The Snapshot column (9th) is chained when a row carries one.
    const fields = [...v.slice(0, 7), ...(v[8] ? [v[8]] : [])].map((f) =>
      /^'[=+\-@\t\r]/.test(f) ? f.slice(1) : f,
    );
    previous = createHmac('sha256', key)
      .update(`${previous}\n${i + 1}\n${JSON.stringify(fields)}`, 'utf8')
      .digest('hex');
    expected.push(previous);
    actual.push(v[7]);
  });
  return { actual, expected };
}

/** Audit Log rows as records by header, optionally only those of one action. */
export function auditRows(rt: GasRuntime, action?: string): Record<string, string>[] {
  const { values } = rt.view('Audit Log');
  return values
    .slice(1)
    .map((v) => Object.fromEntries(values[0].map((h, i) => [h, v[i]])))
    .filter((a) => action === undefined || a.Action === action);
}

/** One Registry row of people's inputs (a Tier 1 Claude Code project by Dana unless told). */
export function registryInputs(over: Record<string, string> = {}): string[] {
  const row: Record<string, string> = {
    'Creator Email': EMPLOYEE,
    Department: 'Support',
    Project: 'Ticket drafter',
    'Business Purpose': 'Drafts first replies.',
    'Data Tier': '1',
    'Data Stores': '',
    'AI Tool': 'Claude Code',
    'AI Tool Version': '1.0',
    'Deployment Status': 'dev',
    ...over,
  };
  return INPUT_FIELDS.map((f) => row[f]);
}

/**
 * Starting the sandbox seeds its demo through the real triggers (about 20 s alone): under a
 * full two-worker run that can pass the 60 s a test gets, so the hooks that start it get this.
 */
export const SANDBOX_START_MS = 180_000;

/** A v1 registry's log: rows hashed as the first build did (SHA-256, ISO timestamps). */
export function v1Log(rt: GasRuntime, rows: string[][]): void {
  const sheet = newSheet(rt.world.spreadsheet.nextSheetId++, 'Audit Log');
  rt.world.spreadsheet.sheets.push(sheet);
  const header = [
    'Timestamp',
    'Actor',
    'Action',
    'Registry ID',
    'Field',
    'Old Value',
    'New Value',
    'Hash',
  ];
  sheet.grid[0] = header.map((v) => ({ v }));
  let previous = '';
  rows.forEach((r, i) => {
    const ts = `2026-10-0${i + 1}T12:00:00Z`;
    previous = createHash('sha256')
      .update(`${previous}\n${JSON.stringify([ts, ...r])}`)
      .digest('hex');
    sheet.grid[i + 1] = [
      { v: storedDate(Date.parse(ts), rt.world.spreadsheet.timeZone) },
      ...r.map((v) => ({ v })),
      { v: previous },
    ];
  });
}
