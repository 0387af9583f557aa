/**
 * Second attack on issue 18: the exports (registry CSV/JSON, reviews for Jira) and the fixes
 * made to the Discovered sheet after the first attack. Each test states the property that
 * should hold: a failing test is a weakness found.
 */
import type { GasRuntime } from '../../sandbox/gas/runtime';
import { headersOf, REGISTRY as REGISTRY_SPEC } from '../../src/domain/schema';
import { ADMIN, addToSecurityTeam, auditRows, EMPLOYEE, SECURITY, setUpRuntime } from '../helpers';
import { goTo, records, register } from './lifecycle-fixture';

const JIRA = 'Security team > Export reviews for Jira (CSV)';
const REGISTRY = 'Security team > Export registry (CSV or JSON)';
const MALLORY = 'mallory@example.com';
const HOOK = 'https://hooks.slack.com/services/T0/B0/export-secret';
const H = headersOf(REGISTRY_SPEC);
const cellOf = (header: string, row: number) =>
  `${String.fromCharCode(65 + H.indexOf(header))}${row}`;

interface File {
  name: string;
  type: string;
  format: string;
  text?: string;
  fetch?: unknown[];
}

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

function base(): GasRuntime {
  const rt = setUpRuntime();
  addToSecurityTeam(rt, SECURITY);
  rt.registryProperties().slackWebhookUrl = HOOK;
  return rt;
}

function registerForm(rt: GasRuntime, over: Record<string, unknown>, user = EMPLOYEE): void {
  const result = rt.run('registerProject', [form(over)], user);
  if (!result.ok) throw new Error(result.error);
}

const grid = (rt: GasRuntime, name: string) =>
  rt.world.spreadsheet.sheets.find((s) => s.name === name)!;

/** Writes one cell straight into the grid, as the Sheets API or another script would. */
function apiWrite(rt: GasRuntime, sheet: string, row: number, header: string, value: string) {
  const s = grid(rt, sheet);
  const col = rt.view(sheet).values[0].indexOf(header);
  if (col < 0) throw new Error(`no ${header}`);
  s.grid[row - 1] = s.grid[row - 1] ?? [];
  s.grid[row - 1][col] = { v: value };
}

function registryExport(rt: GasRuntime): { csv: string[][]; json: Record<string, string>[] } {
  const shown = rt.clickMenu(REGISTRY, SECURITY).ui[0];
  if (shown.type !== 'dialog') throw new Error(`no dialog: ${shown.message}`);
  const [csv, json] = filesOf(shown.html!);
  return {
    csv: parseCsv(csv.text!.replace(/^\uFEFF/, '')),
    json: (JSON.parse(json.text!) as { rows: Record<string, string>[] }).rows,
  };
}

function jiraExport(rt: GasRuntime): Record<string, string>[] & { raw: string[][] } {
  const shown = rt.clickMenu(JIRA, SECURITY).ui[0];
  if (shown.type !== 'dialog') throw new Error(`no dialog: ${shown.message}`);
  const raw = parseCsv(filesOf(shown.html!)[0].text!);
  // Labels repeat: keep the row as an array too.
  return Object.assign(asRecords(raw), { raw });
}

// ---------------------------------------------------------------------------------------------
// E1-E3: what an auditor gets when cells were tampered with
// ---------------------------------------------------------------------------------------------

describe('E1: an owned cell changed through the API (no edit trigger, before the hourly sweep)', () => {
  test('the export carries what the seal says (or marks the row), not the forged Approval', () => {
    const rt = base();
    registerForm(rt, { dataTier: 'Tier 3 - Confidential', project: 'Claims triage' });
    const before = records(rt, 'Registry')[0];
    expect(before.Approval).not.toBe('Approved');
    apiWrite(rt, 'Registry', 2, 'Approval', 'Approved');
    apiWrite(rt, 'Registry', 2, 'Registered By', 'ciso@example.com');
    const { csv, json } = registryExport(rt);
    const row = asRecords(csv)[0];
    // Secure: the export says what the add-on decided (or at least that the row is out of seal).
    expect(json[0].Approval).toBe(before.Approval);
    expect(row.Approval).toBe(before.Approval);
    expect(json[0]['Registered By']).toBe(before['Registered By']);
  });
});

describe('E2: a forged row carrying an issued ID inserted above the genuine one (API)', () => {
  test('the export keeps the authentic AI-0001, not the forgery', () => {
    const rt = base();
    registerForm(rt, { dataTier: 'Tier 3 - Confidential', project: 'Claims triage' });
    const genuine = rt.view('Registry').values[1];
    const forged = [...genuine];
    forged[H.indexOf('Project')] = 'Claims triage (approved)';
    forged[H.indexOf('Approval')] = 'Approved';
    forged[H.indexOf('Data Tier')] = 'Tier 1 - Public';
    forged[H.indexOf('Seal')] = '';
    const s = grid(rt, 'Registry');
    s.grid.splice(
      1,
      0,
      forged.map((v) => ({ v: v as string })),
    );
    s.maxRows += 1;
    const { json } = registryExport(rt);
    const ai1 = json.filter((r) => r.ID === 'AI-0001');
    expect(ai1).toHaveLength(1);
    expect(ai1[0].Project).toBe('Claims triage');
    expect(ai1[0].Approval).not.toBe('Approved');
    expect(ai1[0]['Data Tier']).toBe('Tier 3 - Confidential');
  });
});

describe('E3: the Jira file is built from the Reviews cells', () => {
  test('a Reviews Status forged through the API is not exported as the decision', () => {
    const rt = base();
    registerForm(rt, { dataTier: 'Tier 3 - Confidential', project: 'Claims triage' });
    const status = records(rt, 'Reviews')[0].Status;
    expect(status).not.toBe('Approved');
    apiWrite(rt, 'Reviews', 2, 'Status', 'Approved');
    const jira = jiraExport(rt);
    expect(jira[0].Status).toBe(status);
    expect(jira[0].Priority).not.toBe('Low');
  });
});

describe('E11: a partial sort of one people column (Data Tier) just before the export', () => {
  test('an auditor does not get a Tier 3 entry shown with a Tier 1 self-service approval', () => {
    const rt = base();
    registerForm(rt, { project: 'Public FAQ bot' }); // Tier 1: approved self-service
    registerForm(rt, { project: 'Wiki helper' }); // Tier 1
    registerForm(rt, { project: 'Meeting notes', dataTier: 'Tier 2 - Internal' });
    registerForm(rt, { project: 'Claims triage', dataTier: 'Tier 3 - Confidential' });
    const tierCol = H.indexOf('Data Tier') + 1;
    const letter = String.fromCharCode(64 + tierCol);
    // Sorted descending on Data Tier alone (the sort dialog without "expand the selection"),
    // no edit trigger fired, the hourly sweep not yet run: the export's own pass undoes it
    // (every row moved: a sort, not an edit).
    rt.sort('Registry', `${letter}2:${letter}5`, tierCol, false, MALLORY, false);
    const { json } = registryExport(rt);
    const faq = json.find((r) => r.ID === 'AI-0001')!;
    expect(faq['Data Tier']).toBe('Tier 1 - Public');
    for (const r of json)
      if (r['Data Tier'].startsWith('Tier 3')) expect(r.Approval).not.toMatch(/^Approved/);
  });

  test('two values swapped in one column are an edit (partialSortMoves): re-decided, never shown approved on the old tier', () => {
    const rt = base();
    registerForm(rt, { project: 'Public FAQ bot' });
    registerForm(rt, { project: 'Claims triage', dataTier: 'Tier 3 - Confidential' });
    const tierCol = H.indexOf('Data Tier') + 1;
    const letter = String.fromCharCode(64 + tierCol);
    rt.sort('Registry', `${letter}2:${letter}3`, tierCol, false, MALLORY, false);
    const { json } = registryExport(rt);
    for (const r of json)
      if (r['Data Tier'].startsWith('Tier 3')) expect(r.Approval).not.toMatch(/^Approved/);
  });
});

// ---------------------------------------------------------------------------------------------
// E4-E5: formula injection that might survive neutralisation
// ---------------------------------------------------------------------------------------------

/** People's text typed into their own row (people-owned columns: Project, Department, …). */
function withProjects(projects: string[]): GasRuntime {
  const rt = base();
  projects.forEach((_, i) => registerForm(rt, { project: `Project ${i}` }));
  projects.forEach((p, i) => apiWrite(rt, 'Registry', i + 2, 'Project', p));
  return rt;
}

describe('E4: classic payloads (DDE, tab, CR, quote already there)', () => {
  const payloads = [
    "-2+3+cmd|' /C calc'!A0",
    "=cmd|' /C calc'!A0",
    "+cmd|' /C calc'!A0",
    "@SUM(1+1)*cmd|' /C calc'!A0",
    '\t=1+1',
    '\r=1+1',
    '\r\n=1+1',
    "'=1+1",
    '"=1+1"',
    'a";=1+1;"b',
    'x,=1+1',
  ];
  test('no field of the CSV starts a formula where a spreadsheet opens it', () => {
    const rt = withProjects(payloads);
    const { csv, json } = registryExport(rt);
    const rows = asRecords(csv);
    // Every value comes back, with at most a leading ' added.
    rows.forEach((r, i) => expect([json[i].Project, `'${json[i].Project}`]).toContain(r.Project));
    for (const r of csv) for (const cell of r) expect(cell).not.toMatch(/^[=+\-@\t\r]/);
  });
});

describe('E5: payloads behind leading whitespace or a line break (defence in depth: Excel/LibreOffice trimming)', () => {
  const payloads = [' =1+1', '  +1+1', '\n=1+1', '\u00a0=1+1'];
  test.each(payloads)('%j is neutralised', (p) => {
    const rt = withProjects([p]);
    const { csv } = registryExport(rt);
    const value = asRecords(csv)[0].Project;
    // What LibreOffice ("Trim spaces") or an NFKC-normalising reader would see.
    const seen = value.normalize('NFKC').replace(/^[\s\u200b-\u200f\u202a-\u202e\ufeff]+/, '');
    expect(seen).not.toMatch(/^[=+\-@]/);
  });
});

// ---------------------------------------------------------------------------------------------
// E6: Jira's importer
// ---------------------------------------------------------------------------------------------

describe('E6: the Jira CSV with hostile or awkward values', () => {
  function jiraWith(over: Record<string, unknown>) {
    const rt = base();
    registerForm(rt, { dataTier: 'Tier 3 - Confidential', ...over });
    return { rt, jira: jiraExport(rt) };
  }

  test('a Summary over 255 characters with an emoji at the cut is one line of at most 255, no broken character', () => {
    const rt = base();
    registerForm(rt, { dataTier: 'Tier 3 - Confidential' });
    // Typed by the employee into her own row (the sheet keeps what was typed).
    const r = rt.edit(
      'Registry',
      cellOf('Project', 2),
      [[`${'a'.repeat(221)}😀😀\n${'b'.repeat(300)}`]],
      EMPLOYEE,
    );
    expect(r.ok).toBe(true);
    const jira = jiraExport(rt);
    const summary = jira[0].Summary;
    expect(summary.length).toBeLessThanOrEqual(255);
    expect([...summary].length).toBeLessThanOrEqual(255);
    expect(summary).not.toMatch(/[\r\n]/);
    // No lone surrogate (it would be saved as U+FFFD or refused).
    expect(summary).not.toMatch(
      /[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/,
    );
  });

  test('labels never hold spaces, and a department of only punctuation gives no empty label column trouble', () => {
    for (const department of ['Sales & Ops Team', '   ', '—', 'R&D\tLab', '日本 語']) {
      const rt = base();
      registerForm(rt, { dataTier: 'Tier 3 - Confidential' });
      apiWrite(rt, 'Registry', 2, 'Department', department);
      const { raw } = jiraExport(rt);
      for (const i of [4, 5, 6]) expect(raw[1][i]).not.toMatch(/\s/);
    }
  });

  test('Reporter and Assignee are addresses or blank, never a name, a list or markup', () => {
    const rt = base();
    registerForm(rt, { dataTier: 'Tier 3 - Confidential' });
    apiWrite(rt, 'Reviews', 2, 'Assigned To', 'Kim <kim@example.com>, ann@example.com');
    apiWrite(rt, 'Registry', 2, 'Creator Email', '=HYPERLINK("x")');
    const jira = jiraExport(rt);
    expect(jira[0].Assignee).toMatch(/^$|^[^\s<>,@]+@[^\s<>,@]+$/);
    expect(jira[0].Reporter).toMatch(/^$|^[^\s<>,@]+@[^\s<>,@]+$/);
  });

  test("people's text reaches Jira's Description as text, not as Jira wiki markup (links, images, mentions, macros)", () => {
    const { jira } = jiraWith({
      businessPurpose:
        'Summaries. [Threat model approved|https://evil.example/login] !https://evil.example/pixel.png! [~admin] {html}<img src=x>{html}',
      department: 'Support',
      project: 'Claims [security sign-off|https://evil.example/ok]',
    });
    const d = jira[0].Description;
    // Jira renders [text|url] as a link, !url! as an image fetched by everyone who opens the
    // issue, [~user] as a mention (a notification), {html} as a macro.
    expect(d).not.toMatch(/(?<!\\)\[[^\]]*\|https?:[^\]]*\]/);
    expect(d).not.toMatch(/(?<!\\)!https?:\/\/[^!\s]+!/);
    expect(d).not.toMatch(/(?<!\\)\[~[^\]]+\]/);
    expect(d).not.toMatch(/(?<!\\)\{html\}/);
  });

  test('the Description stays within Jira’s 32,767 characters with long purposes and notes', () => {
    const rt = base();
    registerForm(rt, { dataTier: 'Tier 3 - Confidential' });
    // Typed by the employee into her own row.
    expect(
      rt.edit('Registry', cellOf('Business Purpose', 2), [['p'.repeat(40_000)]], EMPLOYEE).ok,
    ).toBe(true);
    const jira = jiraExport(rt);
    expect(jira[0].Description.length).toBeLessThanOrEqual(32_767);
  });
});

// ---------------------------------------------------------------------------------------------
// E7: the dialog page
// ---------------------------------------------------------------------------------------------

describe('E7: the dialog built from hostile project names and spreadsheet name', () => {
  test('no markup or script from people’s text, the files still parse', () => {
    const rt = base();
    rt.world.spreadsheet.name = '</script><script>alert(1)</script>';
    const evil = [
      '</script><script>alert(document.domain)</script>',
      '</SCRIPT ><img src=x onerror=alert(1)>',
      '<!--<script>',
      '\u2028\u2029 line separators',
      ']]></script>',
      '${alert(1)}`',
    ];
    evil.forEach((_, i) => registerForm(rt, { project: `P${i}` }));
    evil.forEach((p, i) => apiWrite(rt, 'Registry', i + 2, 'Project', p));
    for (const item of [REGISTRY]) {
      const html = rt.clickMenu(item, SECURITY).ui[0].html!;
      expect(html.match(/<\/script/gi)).toHaveLength(2);
      expect(html.match(/<script/gi)).toHaveLength(2);
      expect(html).not.toContain('<!--');
      // Outside the JSON data element, nothing of people's text.
      const outside = html.replace(/<script type="application\/json"[^>]*>.*?<\/script>/s, '');
      expect(outside).not.toMatch(/onerror|alert|line separators/i);
      expect(filesOf(html)).toHaveLength(2);
      const files = filesOf(html);
      const json = JSON.parse(files[1].text!) as {
        export: { spreadsheet: string };
        rows: { Project: string }[];
      };
      expect(json.rows.map((r) => r.Project)).toEqual(evil);
      expect(json.export.spreadsheet).toBe('</script><script>alert(1)</script>');
    }
  });
});

// ---------------------------------------------------------------------------------------------
// E8: secrets and the seal
// ---------------------------------------------------------------------------------------------

describe('E8: headers swapped so the hidden Seal column sits under an exported header', () => {
  test('the export never carries a seal', () => {
    const rt = base();
    registerForm(rt, { project: 'Claims triage' });
    const s = grid(rt, 'Registry');
    const seal = H.indexOf('Seal');
    const notes = H.indexOf('Business Purpose');
    const sealText = String(rt.view('Registry').values[1][seal]);
    expect(sealText).not.toBe('');
    // Header cells swapped through the API (the columns' contents stay where they are).
    s.grid[0][seal] = { v: 'Business Purpose' };
    s.grid[0][notes] = { v: 'Seal' };
    const shown = rt.clickMenu(REGISTRY, SECURITY).ui[0];
    const text = JSON.stringify(shown);
    expect(text).not.toContain(sealText.slice(0, 40).replace(/"/g, '\\"'));
    expect(text).not.toMatch(/\\"m\\":/);
    const key = (JSON.parse(rt.registryProperties().signingKey) as { key: string }).key;
    expect(text).not.toContain(key);
    expect(text).not.toContain('hooks.slack.com');
  });

  test('a project named like a settings key does not pull the setting in', () => {
    const rt = base();
    registerForm(rt, { project: 'slackWebhookUrl' });
    apiWrite(rt, 'Registry', 2, 'Business Purpose', '{{slackWebhookUrl}} ${signingKey}');
    const text = JSON.stringify(rt.clickMenu(REGISTRY, SECURITY).ui);
    expect(text).not.toContain('hooks.slack.com');
    const key = (JSON.parse(rt.registryProperties().signingKey) as { key: string }).key;
    expect(text).not.toContain(key);
  });
});

// ---------------------------------------------------------------------------------------------
// E9: exportPart with hostile arguments
// ---------------------------------------------------------------------------------------------

describe('E9: exportPart called by anyone with anything', () => {
  const hostile: unknown[][] = [
    ['registry', 'csv', -1, 3, 1, 1],
    ['registry', 'csv', 0, 3, 1, 1],
    ['registry', 'csv', 1, 3, 2, 1],
    ['registry', 'csv', 1, 3, 0, 0],
    ['registry', 'csv', 1.5, 3, 1, 1],
    ['registry', 'csv', Number.NaN, 3, 1, 1],
    ['registry', 'csv', 1, Number.POSITIVE_INFINITY, 1, 1],
    ['registry', 'csv', '1', '3', '1', '1'],
    ['registry', 'csv', [1], [3], 1, 1],
    ['registry', 'csv', { first: 1 }, 3, 1, 1],
    ['registry', 'csv', 1, 3, 1, 1e9],
    ['registry', 'xml', 1, 3, 1, 1],
    ['__proto__', 'csv', 1, 3, 1, 1],
    ['jira', 'json', 1, 3, 1, 1],
    [],
    [null, null, null, null, null, null],
  ];
  test('an employee and an unknown editor get the team sentence; nothing is recorded', () => {
    const rt = base();
    registerForm(rt, {});
    for (const user of [EMPLOYEE, '', MALLORY])
      for (const args of [['registry', 'json', 1, 9_999_999, 1, 1], ...hostile]) {
        const r = rt.run('exportPart', args, user);
        expect(r.ok).toBe(false);
        if (!r.ok) expect(r.error).toContain('Only the security team');
      }
    expect(auditRows(rt, 'Exported')).toEqual([]);
  });
  test.each(hostile.map((a) => [JSON.stringify(a), a]))(
    'the team with %s gets a sentence, no stack trace, nothing recorded',
    (_, args) => {
      const rt = base();
      registerForm(rt, {});
      const r = rt.run('exportPart', args as unknown[], SECURITY);
      expect(r.ok).toBe(false);
      if (!r.ok) expect(r.error).not.toMatch(/TypeError|undefined|at \w|Error:/);
      expect(auditRows(rt, 'Exported')).toEqual([]);
    },
  );
  test('a part asking for the whole ID space is recorded as what it returned', () => {
    const rt = base();
    registerForm(rt, {});
    registerForm(rt, { project: 'Second' });
    const r = rt.run('exportPart', ['registry', 'csv', 1, 9_999_999, 1, 1], SECURITY);
    expect(r.ok).toBe(true);
    const rec = auditRows(rt, 'Exported');
    expect(rec).toHaveLength(1);
    expect(rec[0]['New Value']).toBe('2 entries');
    expect(rec[0].Actor).toBe(SECURITY);
  });
});

// ---------------------------------------------------------------------------------------------
// E10: the record of an export
// ---------------------------------------------------------------------------------------------

describe('E10: the Audit Log record of an export', () => {
  test('holds no formula and no people text, whatever the registry holds', () => {
    const rt = withProjects(['=HYPERLINK("https://evil.example","x")']);
    rt.world.spreadsheet.name = '=IMPORTXML("https://evil.example","//a")';
    rt.clickMenu(REGISTRY, SECURITY);
    rt.clickMenu(JIRA, SECURITY);
    const log = rt.view('Audit Log');
    expect(log.formulas.flat().filter((f) => f !== '')).toEqual([]);
    expect(JSON.stringify(auditRows(rt, 'Exported'))).not.toContain('evil.example');
  });
});

// ---------------------------------------------------------------------------------------------
// The Discovered sheet: held lines, protection, seals
// ---------------------------------------------------------------------------------------------

/** Registry whose team is the admin and Security (through Settings: Discovered follows). */
function discoveredRegistry(): GasRuntime {
  const rt = setUpRuntime();
  const saved = rt.run(
    'saveSettings',
    [{ securityTeam: [ADMIN, SECURITY], estimatedProjects: 10 }],
    ADMIN,
  );
  expect(saved).toMatchObject({ ok: true });
  register(rt, 2, { Project: 'Ticket drafter', 'Creator Email': EMPLOYEE, 'Data Tier': '1' });
  return rt;
}
const invitations = (rt: GasRuntime) =>
  rt.world.mail.filter((m) => m.subject.includes('in the AI registry'));
const LINES = [
  ['GitHub export', 'acme/ticket-drafter', EMPLOYEE, '2026-11-01', ''],
  ['GitHub export', 'acme/slack-digest', 'kim@example.com', '2026-11-01', ''],
  ['Admin console', 'Old prototype', 'lee@example.com', '2026-11-02', ''],
  ['Apps Script list', 'Budget sync', 'sam@example.com', '2026-11-03', ''],
];
function withLines(lines: string[][]): GasRuntime {
  const rt = discoveredRegistry();
  expect(rt.edit('Discovered', `A2:E${lines.length + 1}`, lines, SECURITY).ok).toBe(true);
  return rt;
}
const col = (rt: GasRuntime, header: string) =>
  String.fromCharCode(65 + rt.view('Discovered').values[0].indexOf(header));
const PHISH = 'https://evil.example/login';
const phishMails = (rt: GasRuntime) =>
  rt.world.mail.filter((m) => `${m.body} ${m.htmlBody ?? ''}`.includes('evil.example'));

describe('D20: unprotected, an employee adds a line and types something in its Status', () => {
  test('the add-on does not seal her line for her: it is held, nobody is mailed her link', () => {
    const rt = withLines(LINES);
    goTo(rt, '2026-11-25');
    rt.world.mail.length = 0;
    grid(rt, 'Discovered').protections = [];
    const s = col(rt, 'Status');
    expect(
      rt.edit(
        'Discovered',
        `A6:${s}6`,
        [['Admin console', 'Expense approvals', 'ana@example.com', '2026-11-25', PHISH, 'x']],
        MALLORY,
      ).ok,
    ).toBe(true);
    goTo(rt, '2026-11-26');
    expect(phishMails(rt).map((m) => m.to)).toEqual([]);
    const line = records(rt, 'Discovered').find((r) => r.Name === 'Expense approvals')!;
    expect(String(line.Reason)).toMatch(/^Held:/);
  });
});

describe('D21: unprotected, an employee changes the Link of a known line not yet invited', () => {
  test('the invitation that goes out later does not carry her link', () => {
    const rt = withLines(LINES);
    // A low quota: Sam's line is sealed "To be invited at the next daily run".
    rt.world.mailQuota.perDay = 27;
    goTo(rt, '2026-11-25');
    const waiting = records(rt, 'Discovered').filter((r) =>
      String(r.Reason).startsWith('To be invited'),
    );
    expect(waiting.length).toBeGreaterThan(0);
    rt.world.mailQuota.perDay = 100;
    rt.world.mail.length = 0;
    grid(rt, 'Discovered').protections = [];
    const link = col(rt, 'Link');
    const rowOf = (name: string) =>
      rt.view('Discovered').values.findIndex((r) => r[1] === name) + 1;
    for (const w of waiting)
      expect(rt.edit('Discovered', `${link}${rowOf(String(w.Name))}`, [[PHISH]], MALLORY).ok).toBe(
        true,
      );
    goTo(rt, '2026-11-26');
    expect(phishMails(rt).map((m) => m.to)).toEqual([]);
  });
});

describe('D22: unprotected, an employee adds lines; a team member then changes the team in Settings', () => {
  test('Settings putting the protection back does not launder her lines: they are held', () => {
    const rt = withLines(LINES);
    goTo(rt, '2026-11-25');
    rt.world.mail.length = 0;
    grid(rt, 'Discovered').protections = [];
    expect(
      rt.edit(
        'Discovered',
        'A6:E6',
        [['Admin console', 'Expense approvals', 'ana@example.com', '2026-11-25', PHISH]],
        MALLORY,
      ).ok,
    ).toBe(true);
    const saved = rt.run(
      'saveSettings',
      [{ securityTeam: [ADMIN, SECURITY, 'sam@example.com'] }],
      ADMIN,
    );
    expect(saved).toMatchObject({ ok: true });
    goTo(rt, '2026-11-26');
    expect(phishMails(rt).map((m) => m.to)).toEqual([]);
  });
});

describe('D23: a held line', () => {
  function held(): GasRuntime {
    const rt = withLines(LINES);
    goTo(rt, '2026-11-25');
    rt.world.mail.length = 0;
    grid(rt, 'Discovered').protections = [];
    expect(
      rt.edit(
        'Discovered',
        'A6:E6',
        [['Admin console', 'Expense approvals', 'ana@example.com', '2026-11-25', '']],
        MALLORY,
      ).ok,
    ).toBe(true);
    goTo(rt, '2026-11-26');
    const line = records(rt, 'Discovered').find((r) => r.Name === 'Expense approvals')!;
    expect(String(line.Reason)).toMatch(/^Held:/);
    return rt;
  }

  test('an employee clearing its Reason while the sheet is open again does not release it', () => {
    const rt = held();
    grid(rt, 'Discovered').protections = [];
    expect(rt.edit('Discovered', `${col(rt, 'Reason')}6`, [['']], MALLORY).ok).toBe(true);
    goTo(rt, '2026-11-27');
    expect(invitations(rt).map((m) => m.to)).not.toContain('ana@example.com');
  });

  test('an employee clearing (or overwriting) the Seal cell of a held line does not release it', () => {
    const rt = held();
    grid(rt, 'Discovered').protections = [];
    const seal = col(rt, 'Seal');
    expect(rt.edit('Discovered', `${seal}6`, [['']], MALLORY, 'clear').ok).toBe(true);
    goTo(rt, '2026-11-27');
    expect(invitations(rt).map((m) => m.to)).not.toContain('ana@example.com');
    const line = records(rt, 'Discovered').find((r) => r.Name === 'Expense approvals')!;
    expect(String(line.Reason)).toMatch(/^Held:/);
  });

  test('released once the team clears its Reason: invited at the next daily run', () => {
    const rt = held();
    expect(rt.edit('Discovered', `${col(rt, 'Reason')}6`, [['']], SECURITY).ok).toBe(true);
    goTo(rt, '2026-11-27');
    expect(invitations(rt).map((m) => m.to)).toContain('ana@example.com');
    expect(auditRows(rt, 'Discovered released')).toHaveLength(1);
  });

  test('held lines (unverified, typed by someone outside the team) do not lower measured adoption', () => {
    const rt = withLines(LINES);
    goTo(rt, '2026-11-25');
    grid(rt, 'Discovered').protections = [];
    const fake = Array.from({ length: 30 }, (_, i) => [
      'Admin console',
      `Fake ${i}`,
      `person${i}@example.com`,
      '2026-11-25',
      '',
    ]);
    expect(rt.edit('Discovered', 'A6:E35', fake, MALLORY).ok).toBe(true);
    goTo(rt, '2026-11-26');
    rt.clickMenu('Security team > Adoption & SLA report', SECURITY);
    const report = Object.fromEntries(
      rt.view('Report - Adoption & SLA').values.map((row) => [String(row[0]).trim(), row[1]]),
    );
    // 1 registered of 1 + 3 unregistered real lines: 25 %, not 1 of 34.
    expect(String(report['Measured adoption'])).toBe('25%');
  });
});

describe('D24: the team types a Reason starting with "Held:"', () => {
  test('on an Ignored line, then un-ignores it: the line is not trapped as held', () => {
    const rt = withLines(LINES);
    const s = col(rt, 'Status');
    const reason = col(rt, 'Reason');
    expect(rt.edit('Discovered', `${s}5`, [['Ignored']], SECURITY).ok).toBe(true);
    expect(rt.edit('Discovered', `${reason}5`, [['Held: ask Sam first']], SECURITY).ok).toBe(true);
    expect(rt.edit('Discovered', `${s}5`, [['']], SECURITY).ok).toBe(true);
    goTo(rt, '2026-11-25');
    expect(invitations(rt).map((m) => m.to)).toContain('sam@example.com');
  });
  test('on a plain line: not taken as a hold the add-on set (or the team can release it)', () => {
    const rt = withLines(LINES);
    const reason = col(rt, 'Reason');
    rt.edit('Discovered', `${reason}5`, [['Held: ask Sam first']], SECURITY);
    rt.edit('Discovered', `${reason}5`, [['']], SECURITY);
    goTo(rt, '2026-11-25');
    expect(invitations(rt).map((m) => m.to)).toContain('sam@example.com');
  });
});
