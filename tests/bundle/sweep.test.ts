/**
 * What no trigger saw (DESIGN §6.1): partial sorts, writes behind the add-on's back, formats
 * and colour rules on owned columns; the hourly sweep and the head posted out of band.
 */
import { headersOf, REGISTRY } from '../../src/domain/schema';
import { GasRuntime } from '../../sandbox/gas/runtime';
import {
  ADMIN,
  addToSecurityTeam,
  EMPLOYEE,
  requireDist,
  SECURITY,
  SETUP,
  useSlackReceiver,
  auditRows,
  registryInputs,
} from '../helpers';

const H = headersOf(REGISTRY);
const letter = (header: string) => String.fromCharCode(65 + H.indexOf(header));
const HOUR = 3600 * 1000;
const slack = useSlackReceiver();
const posts = async () =>
  (await slack().messages()).messages.map((m) => m.payload as { text?: string; blocks?: unknown });

type Row = Record<string, string>;

const inputs = registryInputs;

/** Four entries of different tiers, set up at 13:00 New York (the daily work is done at 06:00). */
function registered(): GasRuntime {
  requireDist();
  const rt = new GasRuntime({ now: '2026-11-24T18:00:00Z', slackBaseUrl: slack().baseUrl });
  rt.clickMenu(SETUP, ADMIN);
  addToSecurityTeam(rt, SECURITY);
  rt.registryProperties().slackWebhookUrl = 'https://hooks.slack.com/services/T0/B0/sweep';
  rt.edit(
    'Registry',
    'C2:K5',
    [
      inputs({ Project: 'Zeta mailer', Department: 'Marketing', 'Data Tier': '1' }),
      inputs({ Project: 'Alpha claims', Department: 'Finance', 'Data Tier': '3' }),
      inputs({ Project: 'Mid notes', Department: 'Ops', 'Data Tier': '4' }),
      inputs({ Project: 'Beta wiki', Department: 'Legal', 'Data Tier': '1' }),
    ],
    EMPLOYEE,
  );
  rt.advance(HOUR); // the day's daily work (its first hourly run)
  return rt;
}

function rows(rt: GasRuntime): Row[] {
  return rt
    .view('Registry')
    .values.slice(1)
    .map((v) => Object.fromEntries(H.map((h, i) => [h, v[i] ?? ''])))
    .filter((r) => r.ID !== '');
}

const snapshot = (rt: GasRuntime) =>
  rows(rt).map((r) => [r.ID, r.Project, r.Department, r['Data Tier'], r.Approval]);

describe('partial sorts (DESIGN §6.1)', () => {
  test('sorting some people columns on their own is undone per edit, reported once', async () => {
    const rt = registered();
    const before = snapshot(rt);
    // Project and Department only (E:F… here D:E), sorted by Project: the rows' tiers stay.
    const range = `${letter('Department')}2:${letter('Project')}5`;
    const result = rt.sort('Registry', range, H.indexOf('Project') + 1, true, EMPLOYEE);
    expect(result.ok).toBe(true);
    expect(snapshot(rt)).toEqual(before);
    const alarms = auditRows(rt, 'Tampering reverted');
    expect(alarms).toHaveLength(1);
    expect(alarms[0].Field).toMatch(/^Partial sort of (Department, Project|Project, Department)/);
    expect(alarms[0].Actor).toBe(EMPLOYEE);
    // Nothing re-decided (a registration's first decision is part of its one audit row) and
    // nothing logged as a change of inputs.
    expect(auditRows(rt, 'Decision')).toHaveLength(0);
    expect(auditRows(rt, 'Registered')).toHaveLength(4);
    expect(auditRows(rt, 'Pasted')).toHaveLength(0);
    const alerts = (await posts()).filter((m) => /tampering/i.test(m.text ?? ''));
    expect(alerts).toHaveLength(1);
  });

  test('a partial sort Sheets did not report is undone by the hourly sweep', () => {
    const rt = registered();
    const before = snapshot(rt);
    const range = `${letter('Department')}2:${letter('Data Tier')}5`;
    rt.sort('Registry', range, H.indexOf('Project') + 1, false, EMPLOYEE, false);
    expect(snapshot(rt)).not.toEqual(before);
    rt.advance(HOUR);
    expect(snapshot(rt)).toEqual(before);
    const alarms = auditRows(rt, 'Tampering reverted');
    expect(alarms).toHaveLength(1);
    expect(alarms[0].Actor).toBe('unknown (found by the hourly sweep)');
    expect(rt.failures()).toEqual([]);
  });

  test('sorting whole rows is silent, in the edit and in the sweep', () => {
    const rt = registered();
    const byId = (list: string[][]) => [...list].sort((a, b) => a[0].localeCompare(b[0]));
    const before = snapshot(rt);
    rt.sort('Registry', `A2:${letter('Seal')}5`, H.indexOf('Project') + 1, true, EMPLOYEE);
    expect(snapshot(rt).map((r) => r[1])).toEqual([
      'Alpha claims',
      'Beta wiki',
      'Mid notes',
      'Zeta mailer',
    ]);
    expect(byId(snapshot(rt))).toEqual(byId(before));
    rt.advance(HOUR);
    expect(auditRows(rt, 'Tampering reverted')).toEqual([]);
    const report = rt.clickMenu('Security team > Run daily checks now', SECURITY).ui[0].message;
    expect(report).toContain('Daily checks passed.');
  });

  test('an honest multi-row edit that moves nothing is not taken for a sort', () => {
    const rt = registered();
    rt.edit(
      'Registry',
      `${letter('Project')}2:${letter('Project')}3`,
      [['Zeta v2'], ['Alpha v2']],
      EMPLOYEE,
    );
    expect(auditRows(rt, 'Tampering reverted')).toEqual([]);
    expect(rows(rt).map((r) => r.Project)).toEqual([
      'Zeta v2',
      'Alpha v2',
      'Mid notes',
      'Beta wiki',
    ]);
  });
});

describe('the hourly sweep', () => {
  test('an owned cell written behind the add-on’s back is put back within the hour, one alert', async () => {
    const rt = registered();
    const sheet = rt.world.spreadsheet.sheets.find((s) => s.name === 'Registry')!;
    const approval = H.indexOf('Approval');
    sheet.grid[2][approval]!.v = 'Approved'; // the Tier 3 entry, through the API
    rt.advance(HOUR);
    expect(rows(rt)[1].Approval).toBe('In Review');
    expect(auditRows(rt, 'Tampering reverted').map((a) => a.Actor)).toEqual([
      'unknown (found by the hourly sweep)',
    ]);
    expect((await posts()).filter((m) => /put back/.test(m.text ?? ''))).toHaveLength(1);
    rt.advance(HOUR);
    expect((await posts()).filter((m) => /put back/.test(m.text ?? ''))).toHaveLength(1);
  });

  test('a registry longer than a slice is swept a slice an hour; a finding sweeps it whole at once', () => {
    const rt = registered();
    const sheet = rt.world.spreadsheet.sheets.find((s) => s.name === 'Registry')!;
    // As if 10,008 IDs had been issued (entries deleted since): the next is AI-10009.
    rt.registryProperties().nextRegistryId = '10009';
    // One entry far down: the Registry runs to row 10,005, past one slice of 10,000 rows.
    const far = 10005;
    expect(
      rt.edit(
        'Registry',
        `C${far}:K${far}`,
        [inputs({ Project: 'Far away', 'Data Tier': '3' })],
        EMPLOYEE,
      ).ok,
    ).toBe(true);
    const approval = H.indexOf('Approval');
    expect(sheet.grid[far - 1][approval]!.v).toBe('In Review');
    const hourly = () => {
      const before = rt.world.executions.length;
      rt.advance(HOUR);
      const runs = rt.world.executions.slice(before).filter((e) => e.fn === 'runHourlyJob');
      expect(runs).toHaveLength(1);
      return runs[0].calls.cellsRead;
    };
    // A slice's cells, and its owned columns' number formats.
    const width = H.length * 1.5;
    // The first hour reads rows 2–10,001; the next, the rest (it wraps round after them).
    expect(hourly()).toBeLessThan(10100 * width);
    expect(hourly()).toBeLessThan(100 * width);
    // Written behind the add-on's back, in the slice the next hour does not read:
    sheet.grid[far - 1][approval]!.v = 'Approved';
    expect(hourly()).toBeLessThan(10100 * width);
    expect(sheet.grid[far - 1][approval]!.v).toBe('Approved');
    // …and the hour after, whose slice holds it: put back, the sheet swept whole.
    expect(hourly()).toBeGreaterThan(10000 * H.length);
    expect(sheet.grid[far - 1][approval]!.v).toBe('In Review');
    expect(auditRows(rt, 'Tampering reverted').map((a) => a['Registry ID'])).toEqual(['AI-10009']);
    // The top rows' slice, meanwhile, had found nothing to do.
    expect(rows(rt).map((r) => r.Approval)).toEqual([
      'Approved',
      'In Review',
      'Blocked',
      'Approved',
      'In Review',
    ]);
    expect(rt.failures()).toEqual([]);
  });

  test('one cell typed far below a short registry does not stretch its hourly window', () => {
    const rt = registered();
    const sheet = rt.world.spreadsheet.sheets.find((s) => s.name === 'Registry')!;
    // An editor's own note right of the table, 30,000 rows down (no entry, nothing to put back).
    const far = 30002;
    sheet.maxRows = Math.max(sheet.maxRows, far + 10);
    sheet.maxCols = Math.max(sheet.maxCols, H.length + 3);
    sheet.grid[far - 1] = [];
    sheet.grid[far - 1][H.length + 2] = { v: 'x' };
    rt.advance(HOUR);
    const approval = H.indexOf('Approval');
    sheet.grid[2][approval]!.v = 'Approved'; // Alpha (In Review), where no trigger sees it
    rt.advance(HOUR);
    expect(sheet.grid[2][approval]!.v).toBe('In Review');
  });

  test('a forged seal written with matching cells behind the add-on’s back is caught within a week (a seventh of the MACs each day)', () => {
    const rt = registered();
    const sheet = rt.world.spreadsheet.sheets.find((x) => x.name === 'Registry')!;
    const row = sheet.grid[2]; // Alpha claims, Tier 3, In Review
    const seal = JSON.parse(String(row[H.indexOf('Seal')]!.v)) as { o: Record<string, string> };
    seal.o.Approval = 'Approved';
    row[H.indexOf('Seal')]!.v = JSON.stringify(seal); // the MAC no longer matches
    row[H.indexOf('Approval')]!.v = 'Approved';
    rt.advance(7 * 24 * HOUR);
    expect(rows(rt)[1].Approval).toBe('In Review');
    expect(auditRows(rt, 'Tampering reverted').length).toBeGreaterThan(0);
  });

  test('a formula written into an input behind the add-on’s back is kept as its text by the daily check, which reads formulas only where there are some', () => {
    const rt = registered();
    const daily = () => {
      expect(rt.clickMenu('Security team > Run daily checks now', ADMIN).ok).toBe(true);
      return rt.world.executions[rt.world.executions.length - 1].calls.byMethod;
    };
    // No formula anywhere: a search for them, no formula read.
    expect(daily()['Range.getFormulas'] ?? 0).toBe(0);
    const sheet = rt.world.spreadsheet.sheets.find((s) => s.name === 'Registry')!;
    const purpose = H.indexOf('Business Purpose');
    // Into the Tier 3 entry waiting on its review (re-decided by every daily check).
    sheet.grid[2][purpose] = { f: '=1+1', v: 2 };
    const calls = daily();
    expect(sheet.grid[2][purpose]?.f).toBeUndefined();
    expect(rows(rt)[1]['Business Purpose']).toBe('=1+1');
    // Found by the sweep's and the review sweep's searches, read back in that row alone.
    expect(calls['Range.getFormulas']).toBeGreaterThan(0);
    expect(calls['Range.getFormulas']).toBeLessThanOrEqual(calls['TextFinder.findAll']);
  });

  test('a custom number format on an owned column and a colour rule over Approval are reset', () => {
    const rt = registered();
    const sheet = rt.world.spreadsheet.sheets.find((s) => s.name === 'Registry')!;
    const approval = H.indexOf('Approval');
    sheet.grid[2][approval]!.nf = '0.00';
    // Someone's own rule, put first: a Rejected (or any) Approval painted green.
    sheet.conditionalFormats.unshift({
      ...structuredClone(sheet.conditionalFormats[0]),
      background: '#00ff00',
    });
    rt.advance(HOUR);
    expect(sheet.grid[2][approval]!.nf).toBe('@');
    expect(sheet.conditionalFormats[0].background).not.toBe('#00ff00');
    const report = JSON.stringify(rt.world.properties);
    expect(report).not.toContain('#00ff00');
  });
});

describe('the head out of band', () => {
  test('the daily job posts the head to Slack and mails it to the security team, once a day', async () => {
    const rt = registered();
    rt.advance(24 * HOUR); // two daily runs: the one after setup, and the next day's
    const store = rt.registryProperties();
    const head = JSON.parse(store.auditHead) as { count: number; mac: string };
    const heads = (await posts()).filter((m) => /Audit Log head/.test(m.text ?? ''));
    expect(heads).toHaveLength(2);
    // One mail to each member (each in its own try), each day.
    const mails = rt.world.mail.filter((m) => /Audit Log head/.test(m.subject));
    expect(mails).toHaveLength(4);
    expect(
      mails
        .slice(0, 2)
        .map((m) => m.to)
        .sort(),
    ).toEqual([ADMIN, SECURITY]);
    // What was posted is a head the log really had, and the log continues it.
    const posted = /(\d+) entries, last MAC `([0-9a-f]{64})`/.exec(JSON.stringify(heads[1].blocks));
    expect(posted).not.toBeNull();
    const log = rt.view('Audit Log').values;
    expect(log[Number(posted![1])][7]).toBe(posted![2]);
    expect(Number(posted![1])).toBeLessThanOrEqual(head.count);
    expect(mails[3].body).toContain(posted![2]);
    expect(mails[0].body).not.toContain(store.slackWebhookUrl);
  });
});

describe('zone and links', () => {
  test('a change of the spreadsheet’s time zone is alerted once; nothing the add-on owns moves', () => {
    const rt = registered();
    const shown = (sheet: string) => rt.view(sheet).values;
    const before = { registry: shown('Registry'), reviews: shown('Reviews') };
    rt.world.spreadsheet.timeZone = 'Asia/Tokyo'; // File › Settings: dates are kept zone-less
    expect(shown('Registry')).toEqual(before.registry);
    const report = rt.clickMenu('Security team > Run daily checks now', SECURITY).ui[0].message;
    expect(report).toContain(
      "The spreadsheet's time zone was changed from America/New_York to Asia/Tokyo",
    );
    rt.advance(48 * HOUR);
    const alerts = auditRows(rt, 'Integrity alert').filter((a) => a.Field === 'Time zone');
    expect(alerts).toHaveLength(1);
    expect(alerts[0]).toMatchObject({ 'Old Value': 'America/New_York', 'New Value': 'Asia/Tokyo' });
    expect(auditRows(rt, 'Tampering reverted')).toEqual([]);
    // What people see stays (the daily re-decision may re-seal a row: the hidden Seal aside).
    const visible = (rows: string[][]) => rows.map((r) => r.slice(0, r.length - 1));
    expect(visible(shown('Registry').slice(0, 4))).toEqual(visible(before.registry.slice(0, 4)));
    expect(visible(shown('Reviews'))).toEqual(visible(before.reviews));
    expect(rt.run('getSettings', [], SECURITY)).toMatchObject({
      ok: true,
      result: { timeZone: 'Asia/Tokyo' },
    });
  });

  test('only an https:// threat model link is kept, even from the security team', () => {
    const rt = registered();
    const reviews = rt.view('Reviews').values;
    const column = String.fromCharCode(65 + reviews[0].indexOf('Threat Model'));
    const edit = rt.edit('Reviews', `${column}2`, [['javascript:alert(1)']], SECURITY);
    expect(rt.view('Reviews').values[1][reviews[0].indexOf('Threat Model')]).toBe('');
    expect(edit.executions.flatMap((e) => e.ui.map((u) => u.message))).toContain(
      'The threat model link must be an https:// address.',
    );
    rt.edit('Reviews', `${column}2`, [['https://wiki.example.com/tm/ai-0002']], SECURITY);
    expect(rt.view('Reviews').values[1][reviews[0].indexOf('Threat Model')]).toBe(
      'https://wiki.example.com/tm/ai-0002',
    );
  });
});
