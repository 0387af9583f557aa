/**
 * Attacks on issue 18 (inventory import, the Discovered sheet, measured adoption). Each test
 * states the property that should hold: a failing test is a weakness found.
 */
import type { GasRuntime } from '../../sandbox/gas/runtime';
import { ADMIN, auditRows, EMPLOYEE, personSheet, SECURITY, setUpRuntime } from '../helpers';
import { goTo, records, register } from './lifecycle-fixture';
import { killAt } from './inventory-fixture';

const MALLORY = 'mallory@example.com';
const MAP = {
  Project: 0,
  'Creator Email': 1,
  Department: 2,
  'Business Purpose': 3,
  'Data Tier': 4,
  'Data Stores': 5,
  'AI Tool': 6,
  'AI Tool Version': 7,
  'Deployment Status': 8,
};
const HEAD = [
  'Project',
  'Owner email',
  'Department',
  'Purpose',
  'Classification',
  'Data stores',
  'AI tool',
  'Tool version',
  'Environment',
];

function run<T>(rt: GasRuntime, fn: string, args: unknown[], user = SECURITY): T {
  const r = rt.run(fn, args, user);
  if (!r.ok) throw new Error(`${fn}: ${r.error}`);
  return r.result as T;
}

const row = (project: string, creator: string, over: Partial<Record<number, string>> = {}) => {
  const r = [project, creator, 'Support', 'Does a thing', '1', '', 'Claude Code', '1.0', 'dev'];
  for (const [i, v] of Object.entries(over)) r[Number(i)] = v!;
  return r;
};

const csvOf = (rows: string[][]) =>
  rows.map((r) => r.map((v) => `"${v.replace(/"/g, '""')}"`).join(',')).join('\r\n');

/** A registry whose team is the admin and Security (through Settings: Discovered follows). */
function registry(): GasRuntime {
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

const outboxTexts = (rt: GasRuntime) =>
  Object.entries(rt.registryProperties())
    .filter(([k]) => k.startsWith('outbox.'))
    .map(([, v]) => v);

// ---------------------------------------------------------------------------------------------
// Import: who may call it
// ---------------------------------------------------------------------------------------------

describe('I1: only an identified security-team member may use the import functions', () => {
  const rt = registry();
  personSheet(rt, 'Inv', [HEAD, row('Bot', EMPLOYEE)]);
  const calls: [string, unknown[]][] = [
    ['startImportPanel', []],
    ['previewImport', [{ sheet: 'Inv' }, {}]],
    ['dryRunImport', [{ sheet: 'Inv' }, MAP, {}]],
    ['importBatch', [{ sheet: 'Inv' }, MAP, {}]],
    ['discardUnfinishedImport', []],
  ];
  test.each(calls)('%s refused for an employee and an unknown editor', (fn, args) => {
    for (const user of [EMPLOYEE, '']) {
      const r = rt.run(fn, args, user);
      expect(r).toEqual({ ok: false, error: expect.stringContaining('Only the security team') });
    }
    expect(records(rt, 'Registry')).toHaveLength(1);
  });
});

// ---------------------------------------------------------------------------------------------
// Import: a hostile file
// ---------------------------------------------------------------------------------------------

describe('I2: formula injection in every CSV cell is text in the Registry and the log', () => {
  test('no cell the import writes is a formula', () => {
    const rt = registry();
    const evil = [
      '=HYPERLINK("https://evil.example","x")',
      '+1+cmd|calc',
      '-2+3',
      '@SUM(A1)',
      '\t=1+1',
      '\r=1+1',
    ];
    const rows = evil.map((e, i) => [
      `${e} p${i}`,
      `user${i}@example.com`,
      e,
      e,
      '1',
      e,
      e,
      e,
      'dev',
    ]);
    const csv = csvOf([HEAD, ...rows]);
    const progress = run<{ done: boolean; imported: number }>(rt, 'importBatch', [
      { csv, name: '=evil().csv' },
      MAP,
      {},
    ]);
    expect(progress.done).toBe(true);
    expect(progress.imported).toBe(evil.length);
    for (const sheet of ['Registry', 'Audit Log', 'Reviews'])
      expect(
        rt
          .view(sheet)
          .formulas.flat()
          .filter((f) => f !== ''),
      ).toEqual([]);
  });
});

describe('I3: a sheet named like markup and formulas reaches Slack, mail and the log escaped', () => {
  test('the digest and the audit hold no live markup or formula', () => {
    const rt = registry();
    const name = '<!channel> <https://evil.example|click> =1+1';
    personSheet(rt, name, [HEAD, row('Churn', 'kim@example.com', { 4: '3' })]);
    run(rt, 'importBatch', [{ sheet: name }, MAP, {}]);
    // Slack posts (a plain-text mail body may say it as it is).
    const posts = outboxTexts(rt)
      .map((v) => JSON.parse(v) as { mail?: unknown; message?: unknown })
      .filter((o) => !o.mail)
      .map((o) => JSON.stringify(o.message));
    expect(posts.join('\n')).toContain('Inventory imported');
    expect(posts.join('\n')).not.toContain('<!channel>');
    expect(posts.join('\n')).not.toContain('<https://evil.example|click>');
    for (const v of outboxTexts(rt)) {
      const o = JSON.parse(v) as { mail?: { htmlBody?: string } };
      if (o.mail?.htmlBody) expect(o.mail.htmlBody).not.toMatch(/<(?!\/?(p|b|a|ul|li|br)\b)/);
    }
    expect(
      rt
        .view('Audit Log')
        .formulas.flat()
        .filter((f) => f !== ''),
    ).toEqual([]);
  });
});

describe('I4: huge cells', () => {
  test('a 60,000-character purpose and a 49,000-character project: a sentence or bounded entries, never a stuck import', () => {
    const rt = registry();
    const csv = csvOf([
      HEAD,
      row('x'.repeat(49_000), 'kim@example.com', { 3: 'y'.repeat(60_000) }),
      row('Normal bot', 'lee@example.com'),
    ]);
    const r = rt.run('importBatch', [{ csv }, MAP, {}], SECURITY);
    if (r.ok) {
      const rows = records(rt, 'Registry');
      for (const line of rows)
        for (const v of Object.values(line)) expect(String(v).length).toBeLessThan(50_000);
      expect(rows.map((x) => x.Project)).toContain('Normal bot');
    } else {
      // A clear sentence, and no import left half-way holding the registry.
      expect(r.error).not.toMatch(/at |Error:|undefined|TypeError/);
      const start = run<{ job: { done: boolean } | null }>(rt, 'startImportPanel', []);
      expect(start.job === null || start.job.done).toBe(true);
    }
  });
});

describe('I5: size limits', () => {
  test('a CSV of 20,001 data rows is refused (at most 20,000)', () => {
    const rt = registry();
    const lines = ['Project,Owner'];
    for (let i = 0; i < 20_001; i++) lines.push(`p${i},u${i % 50}@example.com`);
    const r = rt.run('previewImport', [{ csv: lines.join('\n') }, {}], SECURITY);
    expect(r).toEqual({ ok: false, error: expect.stringContaining('20,000') });
  });
  test('a CSV over 10 MB is refused with a sentence', () => {
    const rt = registry();
    const csv = `Project,Owner\n${'a'.repeat(10_000_001)},x@example.com`;
    const r = rt.run('previewImport', [{ csv }, {}], SECURITY);
    expect(r).toEqual({ ok: false, error: expect.stringContaining('characters long') });
  });
  test('a source of 61+ columns keeps the first 60 (no crash)', () => {
    const rt = registry();
    const wide = [...HEAD, ...Array.from({ length: 200 }, (_, i) => `c${i}`)];
    const line = [...row('Wide bot', 'kim@example.com'), ...Array.from({ length: 200 }, () => 'v')];
    const r = rt.run('previewImport', [{ csv: csvOf([wide, line]) }, {}], SECURITY);
    expect(r.ok).toBe(true);
    const bad = rt.run(
      'dryRunImport',
      [{ csv: csvOf([wide, line]) }, { ...MAP, 'AI Tool Version': 150 }, {}],
      SECURITY,
    );
    expect(bad).toEqual({ ok: false, error: expect.stringContaining('not a column') });
  });
});

describe('I6: a mapping or source that tries to fill owned columns', () => {
  test('mapping ID, Approval, Seal, Registered By, __proto__ is ignored; prefilled owned values never land', () => {
    const rt = registry();
    const head = [...HEAD, 'ID', 'Approval', 'Registered By', 'Seal', 'Last Confirmed'];
    const line = [
      ...row('Forged', 'kim@example.com', { 4: '4' }),
      'AI-0001',
      'Approved',
      'kim@example.com',
      '{"v":1}',
      '2030-01-01',
    ];
    const mapping = {
      ...MAP,
      ID: 9,
      Approval: 10,
      'Registered By': 11,
      Seal: 12,
      'Last Confirmed': 13,
      ...(JSON.parse('{"__proto__": {"Approval": 10}, "constructor": 10}') as object),
    };
    const r = rt.run('importBatch', [{ csv: csvOf([head, line]) }, mapping, {}], SECURITY);
    expect(r.ok).toBe(true);
    const e = records(rt, 'Registry').find((x) => x.Project === 'Forged')!;
    expect(e.ID).toBe('AI-0002');
    expect(e.Approval).toBe('Blocked');
    expect(e['Registered By']).toBe(`Imported by ${SECURITY}`);
    expect(e['Last Confirmed']).toBe('2026-11-24');
  });
});

describe('I7: duplicates found only after normalisation', () => {
  test('full-width, case, spaces and "Name <addr>" forms are the existing entry', () => {
    const rt = registry();
    const csv = csvOf([
      HEAD,
      row('Ｔｉｃｋｅｔ　ｄｒａｆｔｅｒ', ' DANA@EXAMPLE.COM '),
      row('ticket-drafter', `Dana <${EMPLOYEE}>`),
    ]);
    const dry = run<{ counts: { duplicates: number } }>(rt, 'dryRunImport', [{ csv }, MAP, {}]);
    expect(dry.counts.duplicates).toBe(2);
  });
  test('a project named in a non-Latin script is a duplicate of its entry (and of an earlier line)', () => {
    const rt = registry();
    register(rt, 3, { Project: '経費ボット', 'Creator Email': EMPLOYEE, 'Data Tier': '1' });
    const csv = csvOf([
      HEAD,
      row('経費ボット', EMPLOYEE),
      row('Бот', EMPLOYEE),
      row('Бот', EMPLOYEE),
    ]);
    const dry = run<{ counts: { duplicates: number; toImport: number } }>(rt, 'dryRunImport', [
      { csv },
      MAP,
      {},
    ]);
    expect(dry.counts).toMatchObject({ duplicates: 2, toImport: 1 });
    run(rt, 'importBatch', [{ csv }, MAP, {}]);
    expect(records(rt, 'Registry').filter((r) => r.Project === '経費ボット')).toHaveLength(1);
    expect(records(rt, 'Registry').filter((r) => r.Project === 'Бот')).toHaveLength(1);
  });
});

describe('I8: resuming an unfinished import', () => {
  const big = (n: number, tag = 'P') =>
    Array.from({ length: n }, (_, i) => row(`${tag} ${i}`, `p${i % 97}@example.com`));

  test('the source edited between batches: refused with a sentence, nothing written from it', () => {
    const rt = registry();
    personSheet(rt, 'Inv', [HEAD, ...big(300)]);
    const first = run<{ position: number; done: boolean }>(rt, 'importBatch', [
      { sheet: 'Inv' },
      MAP,
      {},
    ]);
    expect(first).toMatchObject({ position: 250, done: false });
    // Mallory-on-the-team edits a row not yet imported: its creator becomes someone else.
    expect(rt.edit('Inv', 'B280', [[ADMIN]], SECURITY).ok).toBe(true);
    const again = rt.run('importBatch', [{ sheet: 'Inv' }, MAP, {}], SECURITY);
    expect(again).toEqual({ ok: false, error: expect.stringContaining('is not finished') });
    expect(records(rt, 'Registry').filter((r) => r['Creator Email'] === ADMIN)).toEqual([]);
  });

  test('a different mapping: refused', () => {
    const rt = registry();
    personSheet(rt, 'Inv', [HEAD, ...big(300)]);
    run(rt, 'importBatch', [{ sheet: 'Inv' }, MAP, {}]);
    const swapped = { ...MAP, Department: 3, 'Business Purpose': 2 };
    const r = rt.run('importBatch', [{ sheet: 'Inv' }, swapped, {}], SECURITY);
    expect(r).toEqual({ ok: false, error: expect.stringContaining('is not finished') });
  });

  test('discarded mid-way, then imported again: nothing twice', () => {
    const rt = registry();
    personSheet(rt, 'Inv', [HEAD, ...big(300)]);
    run(rt, 'importBatch', [{ sheet: 'Inv' }, MAP, {}]);
    const d = run<{ message: string }>(rt, 'discardUnfinishedImport', [], ADMIN);
    expect(d.message).toContain('discarded after 250 of 300');
    let p = run<{ done: boolean }>(rt, 'importBatch', [{ sheet: 'Inv' }, MAP, {}]);
    while (!p.done) p = run(rt, 'importBatch', [{ sheet: 'Inv' }, MAP, {}]);
    expect(records(rt, 'Registry')).toHaveLength(301);
    expect(auditRows(rt, 'Import discarded')).toHaveLength(1);
  });
});

describe('I9: ownership of imported entries', () => {
  test("an imported incomplete entry stays its imported creator's: another employee completing it gets a claim, not the entry", () => {
    const rt = registry();
    // Kim's project, imported without a purpose: Needs Info, with an ID.
    run(rt, 'importBatch', [
      { csv: csvOf([HEAD, row('Kim secret bot', 'kim@example.com', { 3: '' })]) },
      MAP,
      {},
    ]);
    const e = records(rt, 'Registry').find((r) => r.Project === 'Kim secret bot')!;
    expect(e.Approval).toBe('Needs Info');
    const at = records(rt, 'Registry').indexOf(e) + 2;
    // Mallory puts her address in and completes it.
    expect(rt.edit('Registry', `C${at}`, [[MALLORY]], MALLORY).ok).toBe(true);
    expect(rt.edit('Registry', `F${at}`, [['Mine now']], MALLORY).ok).toBe(true);
    const mine = run<{ id: string }[]>(rt, 'listMyProjects', [], MALLORY);
    expect(mine.map((p) => p.id)).not.toContain(e.ID);
    const kims = run<{ id: string }[]>(rt, 'listMyProjects', [], 'kim@example.com');
    expect(kims.map((p) => p.id)).toContain(e.ID);
  });
});

describe("I10: the source must not be one of the add-on's own sheets, however it is spelled", () => {
  test.each(['Registry', 'Audit Log', 'Discovered', 'Report - Adoption & SLA'])('%s', (name) => {
    const rt = registry();
    const r = rt.run('previewImport', [{ sheet: name }, {}], SECURITY);
    expect(r.ok).toBe(false);
  });
});

describe('I11: a batch cut off after writing, then the import discarded (by another member)', () => {
  test('the rows it wrote are imported entries of their creators, not anonymous rows or tampering', () => {
    const rt = registry();
    const rows = Array.from({ length: 5 }, (_, i) => row(`Cut ${i}`, `p${i}@example.com`));
    const csv = csvOf([HEAD, ...rows]);
    expect(killAt(rt, 'written', (k) => k.run('importBatch', [{ csv }, MAP, {}], SECURITY))).toBe(
      true,
    );
    rt.advance(10 * 60 * 1000);
    const d = run<{ message: string }>(rt, 'discardUnfinishedImport', [], ADMIN);
    expect(d.message).toContain('discarded');
    goTo(rt, '2026-11-25');
    const cut = records(rt, 'Registry').filter((r) => r.Project.startsWith('Cut '));
    expect(cut).toHaveLength(5);
    const registeredBy: string[] = [];
    for (const e of cut) {
      expect(e.ID).toMatch(/^AI-\d{4}$/);
      registeredBy.push(e['Registered By']);
    }
    // Their creators own them; nobody else does.
    expect(run<{ id: string }[]>(rt, 'listMyProjects', [], 'p0@example.com')).toHaveLength(1);
    expect(auditRows(rt, 'Tampering reverted')).toEqual([]);
    expect(registeredBy).toEqual(cut.map(() => `Imported by ${SECURITY}`));
    // The log says what happened: the import started, and its discard counts what it wrote.
    expect(auditRows(rt, 'Import started')).toHaveLength(1);
    expect(auditRows(rt, 'Import discarded')[0]['New Value']).not.toContain('0 entries imported');
  });
});

// ---------------------------------------------------------------------------------------------
// The Discovered sheet
// ---------------------------------------------------------------------------------------------

const discovered = (rt: GasRuntime) =>
  rt.world.spreadsheet.sheets.find((s) => s.name === 'Discovered')!;
const status = (rt: GasRuntime) =>
  records(rt, 'Discovered').map((r) => [r.Name, r['Owner Email'], r.Status, r.Reason]);
const invitations = (rt: GasRuntime) =>
  rt.world.mail.filter((m) => m.subject.includes('in the AI registry'));

/** Registry with Dana's Ticket drafter; Discovered lines the team pasted, reconciled once. */
function withLines(lines: string[][]): GasRuntime {
  const rt = registry();
  const r = rt.edit('Discovered', `A2:E${lines.length + 1}`, lines, SECURITY);
  expect(r.ok).toBe(true);
  return rt;
}
const LINES = [
  ['GitHub export', 'acme/ticket-drafter', EMPLOYEE, '2026-11-01', ''],
  ['GitHub export', 'acme/slack-digest', 'kim@example.com', '2026-11-01', ''],
  ['Admin console', 'Old prototype', 'lee@example.com', '2026-11-02', ''],
  ['Apps Script list', 'Budget sync', 'sam@example.com', '2026-11-03', ''],
];

describe('D1: the protection removed (world-level), an employee lists projects of colleagues', () => {
  test('the daily check restores it and mails nobody on the strength of unprotected lines', () => {
    const rt = withLines(LINES);
    goTo(rt, '2026-11-25');
    expect(invitations(rt).length).toBe(3);
    rt.world.mail.length = 0;
    discovered(rt).protections = [];
    const phish = Array.from({ length: 30 }, (_, i) => [
      'Admin console',
      'Your access expires: re-register here',
      `person${i}@example.com`,
      '2026-11-25',
      'https://evil.example/login',
    ]);
    expect(rt.edit('Discovered', 'A6:E35', phish, MALLORY).ok).toBe(true);
    goTo(rt, '2026-11-26');
    // Protected again for the team only.
    expect(rt.edit('Discovered', 'A40', [['x']], MALLORY).ok).toBe(false);
    // No official mail carries the line an employee typed while the sheet was open.
    const mails = rt.world.mail.filter((m) => m.body.includes('evil.example'));
    expect(mails.map((m) => m.to)).toEqual([]);
  });
});

describe('D2: the protection kept but widened (an editor added, world-level)', () => {
  test('the daily check sees it and puts the team-only editors back', () => {
    const rt = withLines(LINES);
    discovered(rt).protections.forEach((p) => p.editors.push(MALLORY));
    expect(rt.edit('Discovered', 'A20', [['x']], MALLORY).ok).toBe(true);
    goTo(rt, '2026-11-25');
    expect(rt.edit('Discovered', 'A21', [['y']], MALLORY).ok).toBe(false);
  });
});

describe('D3: a team member re-purposes a sealed line by changing its Name or Owner', () => {
  test('an Ignored line renamed to another project is logged (not silently ignored)', () => {
    const rt = withLines(LINES);
    expect(rt.edit('Discovered', 'F4', [['Ignored']], SECURITY).ok).toBe(true);
    const before = rt.view('Audit Log').values.length;
    // The same line now names an unregistered project of somebody else.
    expect(rt.edit('Discovered', 'B4', [['Payroll exporter']], SECURITY).ok).toBe(true);
    expect(rt.edit('Discovered', 'C4', [['ana@example.com']], SECURITY).ok).toBe(true);
    const line = records(rt, 'Discovered')[2];
    if (line.Status === 'Ignored') {
      const logged = rt
        .view('Audit Log')
        .values.slice(before)
        .map((r) => r.join(' '));
      expect(logged.join('\n')).toContain('Payroll exporter');
      expect(logged.join('\n')).toContain('ana@example.com');
    }
  });
  test('a Registered line renamed to an unregistered project does not count as registered', () => {
    const rt = withLines(LINES);
    goTo(rt, '2026-11-25');
    expect(status(rt)[0].slice(2)).toEqual(['Registered', 'AI-0001']);
    expect(rt.edit('Discovered', 'B2', [['Secret scraper']], SECURITY).ok).toBe(true);
    expect(rt.edit('Discovered', 'C2', [['ana@example.com']], SECURITY).ok).toBe(true);
    goTo(rt, '2026-11-26');
    const line = records(rt, 'Discovered')[0];
    expect(line.Name).toBe('Secret scraper');
    expect(line.Status).not.toBe('Registered');
  });
});

describe('D4: a careless partial sort of Status · Reason · Seal', () => {
  test('nobody is invited twice, and the Ignored decision is not lost', () => {
    const rt = withLines(LINES);
    expect(rt.edit('Discovered', 'F4', [['Ignored']], SECURITY).ok).toBe(true);
    expect(rt.edit('Discovered', 'G4', [['Archived, never used']], SECURITY).ok).toBe(true);
    goTo(rt, '2026-11-25');
    const day1 = invitations(rt)
      .map((m) => m.to)
      .sort();
    expect(day1).toEqual(['kim@example.com', 'sam@example.com']);
    rt.world.mail.length = 0;
    // Only columns F:H sorted (by Status): the seals leave their lines.
    rt.sort('Discovered', 'F2:H5', 6, true, SECURITY);
    goTo(rt, '2026-11-26');
    expect(invitations(rt).map((m) => m.to)).toEqual([]);
    const lee = records(rt, 'Discovered').find((r) => r.Name === 'Old prototype')!;
    expect([lee.Status, lee.Reason]).toEqual(['Ignored', 'Archived, never used']);
  });
});

describe('D5: the hidden Seal column deleted by a team member', () => {
  test('the sheet is still reconciled and guarded (or the loss is reported), and adoption still measured', () => {
    const rt = withLines(LINES);
    expect(rt.edit('Discovered', 'F4', [['Ignored']], SECURITY).ok).toBe(true);
    const seal = rt.view('Discovered').values[0].indexOf('Seal') + 1;
    expect(rt.deleteColumns('Discovered', seal, 1, SECURITY).ok).toBe(true);
    goTo(rt, '2026-11-25');
    const texts = outboxTexts(rt).join('\n');
    const reported = /Discovered/.test(texts.replace(/Discovered: \d+ line/g, ''));
    // Either it keeps working (kim and sam invited) or the security team is told it stopped.
    const invited = invitations(rt)
      .map((m) => m.to)
      .sort();
    expect(reported || invited.join() === 'kim@example.com,sam@example.com').toBe(true);
    // A typed Registered is not kept.
    expect(rt.edit('Discovered', 'F3', [['Registered']], SECURITY).ok).toBe(true);
    expect(records(rt, 'Discovered')[1].Status).not.toBe('Registered');
    rt.clickMenu('Security team > Adoption & SLA report', SECURITY);
    const measured = rt
      .view('Report - Adoption & SLA')
      .values.find((r) => r[0] === 'Measured adoption');
    expect(String(measured?.[1])).toMatch(/%/);
  });
});

describe('D6: whole-row moves keep every status', () => {
  test('sorting the whole sheet and inserting a column: no tampering, no re-invite', () => {
    const rt = withLines(LINES);
    expect(rt.edit('Discovered', 'F4', [['Ignored']], SECURITY).ok).toBe(true);
    goTo(rt, '2026-11-25');
    const before = status(rt);
    rt.world.mail.length = 0;
    rt.sort('Discovered', 'A2:H5', 2, false, SECURITY);
    expect(rt.insertColumns('Discovered', 3, 1, SECURITY).ok).toBe(true);
    goTo(rt, '2026-11-26');
    const after = status(rt);
    expect([...after].sort()).toEqual([...before].sort());
    expect(invitations(rt)).toEqual([]);
    expect(auditRows(rt, 'Tampering reverted')).toEqual([]);
  });
});

describe('D7: a seal copied from an Ignored line onto another line', () => {
  test('pasted with the Status: put back, the other line is not Ignored', () => {
    const rt = withLines(LINES);
    expect(rt.edit('Discovered', 'F4', [['Ignored']], SECURITY).ok).toBe(true);
    const v = rt.view('Discovered').values;
    const c = v[0].indexOf('Seal');
    const sealText = v[3][c];
    const sCol = String.fromCharCode(65 + v[0].indexOf('Status'));
    const hCol = String.fromCharCode(65 + c);
    expect(
      rt.edit('Discovered', `${sCol}3:${hCol}3`, [['Ignored', 'meh', sealText]], SECURITY).ok,
    ).toBe(true);
    goTo(rt, '2026-11-25');
    expect(records(rt, 'Discovered')[1].Status).toBe('Invited');
  });
  test('the seal alone pasted, then the Name corrected: not Ignored', () => {
    const rt = withLines(LINES);
    expect(rt.edit('Discovered', 'F4', [['Ignored']], SECURITY).ok).toBe(true);
    const v = rt.view('Discovered').values;
    const c = v[0].indexOf('Seal');
    const hCol = String.fromCharCode(65 + c);
    expect(rt.edit('Discovered', `${hCol}3`, [[v[3][c]]], SECURITY, 'paste').ok).toBe(true);
    expect(rt.edit('Discovered', 'B3', [['acme/slack-digest2']], SECURITY).ok).toBe(true);
    expect(records(rt, 'Discovered')[1].Status).not.toBe('Ignored');
  });
});

describe('D8: an employee makes her unregistered discovered project look registered', () => {
  test("a Creator Email claim on someone else's entry does not reconcile her line", () => {
    const rt = withLines([['GitHub export', 'acme/ticket-drafter', MALLORY, '2026-11-01', '']]);
    // Dana's AI-0001 "Ticket drafter" is in row 2. Mallory claims it for a day.
    expect(rt.edit('Registry', 'C2', [[MALLORY]], MALLORY).ok).toBe(true);
    goTo(rt, '2026-11-25');
    expect(rt.edit('Registry', 'C2', [[EMPLOYEE]], MALLORY).ok).toBe(true);
    goTo(rt, '2026-11-26');
    const line = records(rt, 'Discovered')[0];
    expect(line.Status).not.toBe('Registered');
    // She is invited to register it instead.
    expect(
      invitations(rt)
        .map((m) => m.to)
        .concat(rt.world.mail.filter((m) => m.to === MALLORY).map((m) => m.to)),
    ).toContain(MALLORY);
  });
});

describe('D9: getSidebarData().found shows a person only their own lines', () => {
  test('case, substrings, lists and addresses in other columns do not leak', () => {
    const rt = withLines([
      ['GitHub export', 'Mine', 'KIM@Example.com', '2026-11-01', ''],
      ['GitHub export', 'Substring', 'xkim@example.com', '2026-11-01', ''],
      ['GitHub export', 'Suffix', 'kim@example.com.evil.org', '2026-11-01', ''],
      ['GitHub export', 'List', 'kim@example.com, lee@example.com', '2026-11-01', ''],
      ['kim@example.com', 'Other column', 'lee@example.com', '2026-11-01', ''],
      ['GitHub export', 'kim@example.com', 'sam@example.com', '2026-11-01', 'kim@example.com'],
    ]);
    const data = run<{ found: { name: string }[] }>(rt, 'getSidebarData', [], 'kim@example.com');
    expect(data.found.map((f) => f.name)).toEqual(['Mine']);
    const nobody = run<{ found: unknown[] }>(rt, 'getSidebarData', [], '');
    expect(nobody.found).toEqual([]);
    const wildcard = run<{ found: unknown[] }>(rt, 'getSidebarData', [], '*@example.com');
    expect(wildcard.found).toEqual([]);
  });
});

describe('D10: the invitation mail, with hostile names and links from an export', () => {
  test('HTML escaped, only https links, no line break in the subject', () => {
    const rt = withLines([
      [
        '<b>Admin</b>',
        '<img src=x onerror=alert(1)>"><script>alert(2)</script>',
        'kim@example.com',
        '2026-11-01',
        'javascript:alert(1)',
      ],
    ]);
    rt.edit(
      'Discovered',
      'A3:E4',
      [
        [
          'Export',
          'Bot\r\nBcc: all@example.com',
          'lee@example.com',
          '2026-11-01',
          'http://plain.example',
        ],
        ['Export', 'Linky', 'sam@example.com', '2026-11-01', 'https://ok.example/a"onmouseover="x'],
      ],
      SECURITY,
    );
    goTo(rt, '2026-11-25');
    const mails = invitations(rt);
    expect(mails.map((m) => m.to).sort()).toEqual([
      'kim@example.com',
      'lee@example.com',
      'sam@example.com',
    ]);
    for (const m of mails) {
      expect(m.htmlBody).not.toMatch(/<img|<script|<b>Admin/i);
      expect(m.htmlBody).not.toContain('javascript:');
      expect(m.body).not.toContain('javascript:');
      expect(m.body + m.htmlBody).not.toContain('http://plain.example');
      expect(m.htmlBody).not.toContain('onmouseover="');
      expect(m.subject).not.toMatch(/[\r\n]/);
    }
  });
});

describe('D11: invitations to thousands stay within the mail budget', () => {
  test('300 owners: at most 40 a run, the rest later, nobody twice', () => {
    const rt = registry();
    const lines = Array.from({ length: 300 }, (_, i) => [
      'GitHub export',
      `repo-${i}`,
      `owner${i}@example.com`,
      '2026-11-01',
      '',
    ]);
    expect(rt.edit('Discovered', 'A2:E301', lines, SECURITY).ok).toBe(true);
    goTo(rt, '2026-11-25');
    expect(invitations(rt).length).toBeLessThanOrEqual(40);
    goTo(rt, '2026-11-26');
    const to = invitations(rt).map((m) => m.to);
    expect(new Set(to).size).toBe(to.length);
    expect(to.length).toBeLessThanOrEqual(80);
  });
  test('a low daily quota keeps the reserve for the rest of the day', () => {
    const rt = registry();
    rt.world.mailQuota.perDay = 30;
    const lines = Array.from({ length: 50 }, (_, i) => [
      'GitHub export',
      `repo-${i}`,
      `owner${i}@example.com`,
      '2026-11-01',
      '',
    ]);
    expect(rt.edit('Discovered', 'A2:E51', lines, SECURITY).ok).toBe(true);
    goTo(rt, '2026-11-25');
    expect(invitations(rt).length).toBeLessThanOrEqual(5);
  });
});

describe('D12: an owner address MailApp rejects', () => {
  test('the others are still invited; the line says why and is not Invited', () => {
    const rt = withLines(LINES);
    rt.world.mailRefuses = ['kim@example.com'];
    goTo(rt, '2026-11-25');
    expect(
      invitations(rt)
        .map((m) => m.to)
        .sort(),
    ).toEqual(['lee@example.com', 'sam@example.com']);
    const kim = records(rt, 'Discovered')[1];
    expect(kim.Status).toBe('');
    expect(kim.Reason).toContain('Could not be emailed');
    expect(
      rt
        .view('Discovered')
        .formulas.flat()
        .filter((f) => f !== ''),
    ).toEqual([]);
  });
});

describe('D13: the survey link through saveSettings', () => {
  test.each([
    'javascript:alert(1)',
    'http://forms.example.com/x',
    'https://forms.example.com/x" onclick="alert(1)',
    'https://forms.example.com/<script>',
    `https://forms.example.com/${'a'.repeat(600)}`,
    ' JAVASCRIPT:alert(1)',
    'data:text/html,<script>alert(1)</script>',
  ])('%s is refused', (url) => {
    const rt = registry();
    const r = rt.run('saveSettings', [{ surveyUrl: url }], ADMIN);
    expect(r.ok).toBe(false);
    const s = run<{ surveyUrl: string }>(rt, 'getSettings', [], ADMIN);
    expect(s.surveyUrl).toBe('');
  });
  test('an employee cannot set it', () => {
    const rt = registry();
    const r = rt.run('saveSettings', [{ surveyUrl: 'https://evil.example' }], EMPLOYEE);
    expect(r.ok).toBe(false);
  });
});

describe('D14: an employee against the real protection', () => {
  test('typing, pasting, clearing, deleting rows and columns are refused', () => {
    const rt = withLines(LINES);
    expect(rt.edit('Discovered', 'F3', [['Ignored']], EMPLOYEE).ok).toBe(false);
    expect(rt.edit('Discovered', 'A10:E10', [['a', 'b', EMPLOYEE, '', '']], EMPLOYEE).ok).toBe(
      false,
    );
    expect(
      rt.edit(
        'Discovered',
        'A2:H5',
        LINES.map(() => Array(8).fill('')),
        EMPLOYEE,
        'clear',
      ).ok,
    ).toBe(false);
    expect(rt.deleteRows('Discovered', 2, 1, EMPLOYEE).ok).toBe(false);
    expect(rt.deleteColumns('Discovered', 8, 1, EMPLOYEE).ok).toBe(false);
  });
});

describe('D15: the team edits the Owner Email of an Invited line back and forth', () => {
  test('no invitation storm', () => {
    const rt = withLines(LINES);
    goTo(rt, '2026-11-25');
    rt.world.mail.length = 0;
    for (const who of ['ana@example.com', 'kim@example.com', 'ana@example.com']) {
      expect(rt.edit('Discovered', 'C3', [[who]], SECURITY).ok).toBe(true);
    }
    goTo(rt, '2026-11-26');
    goTo(rt, '2026-11-27');
    expect(invitations(rt).length).toBeLessThanOrEqual(1);
  });
});

describe('D16: a renamed header', () => {
  test('Status renamed to State: put right (or reported), and the sheet still reconciled', () => {
    const rt = withLines(LINES);
    goTo(rt, '2026-11-25');
    rt.world.mail.length = 0;
    const col = String.fromCharCode(65 + rt.view('Discovered').values[0].indexOf('Status'));
    expect(rt.edit('Discovered', `${col}1`, [['State']], SECURITY).ok).toBe(true);
    expect(
      rt.edit(
        'Discovered',
        'A6:E6',
        [['Export', 'New repo', 'ana@example.com', '2026-11-25', '']],
        SECURITY,
      ).ok,
    ).toBe(true);
    goTo(rt, '2026-11-26');
    expect(rt.view('Discovered').values[0]).toContain('Status');
    expect(invitations(rt).map((m) => m.to)).toEqual(['ana@example.com']);
  });
});

describe('D17: measured adoption with odd inputs', () => {
  test('every line Ignored, blank-but-formatted lines, and the report still reads', () => {
    const rt = withLines(LINES);
    for (const r of [2, 3, 4, 5])
      expect(rt.edit('Discovered', `F${r}`, [['Ignored']], SECURITY).ok).toBe(true);
    // Spaces only: not lines.
    expect(
      rt.edit(
        'Discovered',
        'A8:E9',
        [
          [' ', ' ', ' ', '', ' '],
          [' ', '', '', '', ''],
        ],
        SECURITY,
      ).ok,
    ).toBe(true);
    goTo(rt, '2026-11-25');
    const r = rt.clickMenu('Security team > Adoption & SLA report', SECURITY);
    expect(r.ok).toBe(true);
    const report = Object.fromEntries(
      rt.view('Report - Adoption & SLA').values.map((row) => [String(row[0]).trim(), row[1]]),
    );
    // 1 live entry, nothing unregistered: 100 %, never NaN or Infinity.
    expect(String(report['Measured adoption'])).toBe('100%');
    expect(report['Discovered projects']).toBe('4');
    expect(JSON.stringify(rt.view('Report - Adoption & SLA').values)).not.toMatch(/NaN|Infinity/);
  });
  test('a hostile adoption history in the store does not break or inject into the report', () => {
    const rt = withLines(LINES);
    rt.registryProperties().adoptionHistory = JSON.stringify([
      { month: '=HYPERLINK("https://evil")', registered: 'x', unregistered: null },
      { month: '2026-10', registered: 1e308, unregistered: 1e308 },
      null,
    ]);
    const r = rt.clickMenu('Security team > Adoption & SLA report', SECURITY);
    expect(r.ok).toBe(true);
    const v = rt.view('Report - Adoption & SLA');
    expect(v.formulas.flat().filter((f) => f.includes('evil'))).toEqual([]);
    expect(JSON.stringify(v.values)).not.toMatch(/NaN|Infinity/);
  });
});

describe('D18: a member who takes themself off the team through Settings', () => {
  test('is no longer an editor of the Discovered sheet (at the latest after the daily check)', () => {
    const rt = withLines(LINES);
    const saved = rt.run('saveSettings', [{ securityTeam: [ADMIN, 'sam@example.com'] }], SECURITY);
    // Refusing to take oneself off holds too.
    if (!saved.ok) return;
    goTo(rt, '2026-11-25');
    expect(rt.edit('Discovered', 'A20:C20', [['x', 'y', 'ana@example.com']], SECURITY).ok).toBe(
      false,
    );
  });
  test('removed by another member: refused at once', () => {
    const rt = withLines(LINES);
    expect(rt.run('saveSettings', [{ securityTeam: [ADMIN] }], ADMIN)).toMatchObject({ ok: true });
    expect(rt.edit('Discovered', 'A20:C20', [['x', 'y', 'ana@example.com']], SECURITY).ok).toBe(
      false,
    );
  });
});
