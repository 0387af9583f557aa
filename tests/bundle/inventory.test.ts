/**
 * Issue 18: importing an inventory. A messy sheet (a title above the header, merged header
 * wording, dates in several formats, blank lines, duplicates) is read, mapped, dry-run and
 * imported through the normal decide-and-seal path; a 2,000-row one in resumable batches.
 */
import type { GasRuntime } from '../../sandbox/gas/runtime';
import {
  ADMIN,
  addToSecurityTeam,
  auditRows,
  EMPLOYEE,
  personSheet,
  SECURITY,
  setUpRuntime,
} from '../helpers';
import { records } from './lifecycle-fixture';
import { killAt, messyInventory } from './inventory-fixture';

const SOURCE = 'Old inventory';

function run<T>(rt: GasRuntime, fn: string, args: unknown[], user = SECURITY): T {
  const r = rt.run(fn, args, user);
  if (!r.ok) throw new Error(`${fn}: ${r.error}`);
  return r.result as T;
}

/** A registry with Claude Code approved for Tier 2 and one entry of Dana's already in it. */
function registry(): GasRuntime {
  const rt = setUpRuntime();
  addToSecurityTeam(rt, SECURITY);
  expect(rt.edit('AI Tools', 'C2:E2', [['Approved', '2', '2026-06-01']], SECURITY).ok).toBe(true);
  const r = rt.edit(
    'Registry',
    'C2:K2',
    [
      [
        EMPLOYEE,
        'Support',
        'Ticket drafter',
        'Drafts first replies.',
        '1',
        '',
        'Claude Code',
        '1.0',
        'dev',
      ],
    ],
    EMPLOYEE,
  );
  expect(r.ok).toBe(true);
  return rt;
}

/** The hand-made inventory: what each line is, and what it must become. */
const HAND: string[][] = [
  ['AI projects inventory (exported from the old tracker)'],
  [''],
  [
    'Project name (app)',
    'Owner / Creator Email',
    'Dept.',
    'What does it do?',
    'Data classification',
    'Systems touched',
    'Tool used (AI assistant)',
    'Tool version',
    'Prod / Dev status',
    'Date added',
  ],
  [
    'Expense helper',
    'Dana Doe <dana@example.com>',
    'Finance',
    'Summarises receipts',
    'Internal',
    '',
    'claude code',
    '1.0',
    'Live',
    '31/01/2025',
  ],
  [
    'Churn predictor',
    'kim@example.com',
    'Sales',
    'Scores churn risk',
    'Confidential',
    '',
    'ChatGPT',
    'Plus',
    'Pilot',
    '03/02/2025',
  ],
  [''],
  [
    'Card matcher',
    'lee@example.com',
    'Finance',
    'Matches card payments',
    'PCI',
    '',
    'Cursor',
    '0.4',
    'Prototype',
    '2025-03-15',
  ],
  [
    'Ticket drafter',
    'dana@example.com',
    'Support',
    'Drafts first replies',
    'Public',
    '',
    'Claude Code',
    '1.0',
    'dev',
    'March 7, 2025',
  ],
  [
    'Expense Helper',
    'DANA@example.com',
    'Finance',
    'the same project again',
    'Internal',
    '',
    'Claude Code',
    '1',
    'Live',
    '1 Feb 2025',
  ],
  ['Wiki bot', '', 'IT', 'Answers wiki questions', 'Tier 1', '', 'Copilot', 'x', 'Production', ''],
  [
    'Report writer',
    'sam@example.com',
    'Marketing',
    'Writes reports',
    'Internal',
    '',
    'Copilot',
    '1.2',
    'Development',
    '31/02/2025',
  ],
  [
    'Onboarding FAQ',
    'ana@example.com',
    'HR',
    'Answers onboarding questions',
    '1',
    '',
    'Gemini',
    '2',
    'Production',
    '2025-13-01',
  ],
];

/** The dry run, by hand: line → decision (or the duplicate it is), and the date kept. */
const EXPECTED: [number, string, string][] = [
  [4, 'Approved', '2025-01-31'],
  // Sheets itself read the typed 03/02/2025 month-first (a date cell): kept, with a note.
  [5, 'In Review', '2025-03-02'],
  [7, 'Blocked', '2025-03-15'],
  [8, 'duplicate of AI-0001', '2025-03-07'],
  [9, 'duplicate of line 4', '2025-02-01'],
  [10, 'Needs Info', ''],
  [11, 'Needs Info', ''],
  [12, 'Approved', ''],
];

const MAPPING = {
  Project: 0,
  'Creator Email': 1,
  Department: 2,
  'Business Purpose': 3,
  'Data Tier': 4,
  'Data Stores': 5,
  'AI Tool': 6,
  'AI Tool Version': 7,
  'Deployment Status': 8,
  'First Recorded': 9,
};

describe('importing a messy inventory sheet', () => {
  let rt: GasRuntime;
  let assignee = '';
  beforeAll(() => {
    rt = registry();
    rt.registryProperties().slackWebhookUrl = 'https://hooks.slack.com/services/T0/B0/import';
    personSheet(rt, SOURCE, HAND);
  });

  it('finds the header below the title and guesses every column from its wording', () => {
    const start = run<{ sheets: { name: string; rows: number }[]; job: null }>(
      rt,
      'startImportPanel',
      [],
    );
    expect(start.sheets).toEqual([{ name: SOURCE, rows: 12 }]);
    expect(start.job).toBeNull();
    const preview = run<{
      headerRow: number;
      mapping: Record<string, number>;
      dateOrder: string;
      dateEvidence: string;
      samples: string[][];
    }>(rt, 'previewImport', [{ sheet: SOURCE }, {}]);
    expect(preview.headerRow).toBe(3);
    expect(preview.mapping).toEqual(MAPPING);
    // 31/01/2025 can only be day-first.
    expect(preview.dateOrder).toBe('dmy');
    expect(preview.dateEvidence).toContain('31/01/2025');
    expect(preview.samples[0][0]).toBe('Expense helper');
  });

  it('dry-runs each row: decisions, Checks, duplicates by project + creator, dates kept', () => {
    const before = rt.view('Registry').values.length;
    const dry = run<{
      counts: Record<string, unknown>;
      rows: {
        line: number;
        status: string;
        duplicateOf: string;
        approval: string;
        checks: string[];
        firstRecorded: string;
        notes: string[];
      }[];
    }>(rt, 'dryRunImport', [{ sheet: SOURCE }, MAPPING, {}]);
    expect(
      dry.rows.map((r) => [
        r.line,
        r.status === 'duplicate' ? `duplicate of ${r.duplicateOf}` : r.approval,
        r.firstRecorded,
      ]),
    ).toEqual(EXPECTED);
    expect(dry.counts).toEqual({
      rows: 8,
      blank: 1,
      toImport: 6,
      duplicates: 2,
      byApproval: { Approved: 2, 'In Review': 1, Blocked: 1, 'Needs Info': 2 },
    });
    const line = (n: number) => dry.rows.find((r) => r.line === n)!;
    expect(line(10).checks.join(' ')).toContain('Creator Email is missing');
    expect(line(11).checks.join(' ')).toMatch(/approved/i);
    expect(line(4).notes).toEqual(
      expect.arrayContaining(['Deployment Status "Live" read as Production.']),
    );
    expect(line(7).notes).toEqual(
      expect.arrayContaining(['Data Tier "PCI" read as Tier 4 - Regulated.']),
    );
    expect(line(11).notes.join(' ')).toContain('"31/02/2025" is not a date');
    expect(line(5).notes.join(' ')).toContain(
      'First Recorded 2025-03-02 is a date cell in a column typed day-first',
    );
    expect(line(12).notes.join(' ')).toContain('"2025-13-01" is not a date');
    // Nothing was written.
    expect(rt.view('Registry').values.length).toBe(before);
    expect(auditRows(rt, 'Import started')).toEqual([]);
  });

  it('imports in one batch through the decide-and-seal path, with one digest', () => {
    rt.world.mail.length = 0;
    const progress = run<{
      done: boolean;
      imported: number;
      skipped: number;
      firstId: string;
      lastId: string;
      approvals: Record<string, number>;
      message: string;
    }>(rt, 'importBatch', [{ sheet: SOURCE }, MAPPING, {}]);
    expect(progress).toMatchObject({
      done: true,
      imported: 6,
      skipped: 2,
      firstId: 'AI-0002',
      lastId: 'AI-0007',
      approvals: { Approved: 2, 'In Review': 1, Blocked: 1, 'Needs Info': 2 },
    });
    expect(progress.message).toContain('Import finished: 6 entries imported');
    const rows = records(rt, 'Registry').slice(1);
    expect(
      rows.map((r) => [
        r.ID,
        r.Project,
        r['Creator Email'],
        r['Data Tier'],
        r['AI Tool'],
        r['Deployment Status'],
        r.Approval,
      ]),
    ).toEqual([
      [
        'AI-0002',
        'Expense helper',
        'dana@example.com',
        'Tier 2 - Internal',
        'Claude Code',
        'Production',
        'Approved',
      ],
      [
        'AI-0003',
        'Churn predictor',
        'kim@example.com',
        'Tier 3 - Confidential',
        'ChatGPT',
        'Development',
        'In Review',
      ],
      [
        'AI-0004',
        'Card matcher',
        'lee@example.com',
        'Tier 4 - Regulated',
        'Cursor',
        'Development',
        'Blocked',
      ],
      ['AI-0005', 'Wiki bot', '', 'Tier 1 - Public', 'GitHub Copilot', 'Production', 'Needs Info'],
      [
        'AI-0006',
        'Report writer',
        'sam@example.com',
        'Tier 2 - Internal',
        'GitHub Copilot',
        'Development',
        'Needs Info',
      ],
      [
        'AI-0007',
        'Onboarding FAQ',
        'ana@example.com',
        'Tier 1 - Public',
        'Gemini',
        'Production',
        'Approved',
      ],
    ]);
    // Registered is the import's time; the registrant is the import, who owns nothing.
    const expense = rows[0];
    expect(expense.Registered).toBe('2026-11-24 10:00');
    expect(expense['Registered By']).toBe(`Imported by ${SECURITY}`);
    expect(expense['Last Confirmed']).toBe('2026-11-24');
    // The incomplete row has an ID but is not registered until someone completes it.
    expect(rows[3].Registered).toBe('');
    // The original date is kept in the Imported record, and shown beside Registered.
    const imported = auditRows(rt, 'Imported');
    expect(imported.map((a) => [a['Registry ID'], a['Old Value'].split(';')[0]])).toEqual([
      ['AI-0002', 'first recorded 2025-01-31'],
      ['AI-0003', 'first recorded 2025-03-02'],
      ['AI-0004', 'first recorded 2025-03-15'],
      ['AI-0006', 'no date recorded'],
      ['AI-0007', 'no date recorded'],
    ]);
    expect(imported[0]['New Value']).toContain(`from sheet "${SOURCE}" line 4`);
    expect(auditRows(rt, 'Imported (incomplete)').map((a) => a['Registry ID'])).toEqual([
      'AI-0005',
    ]);
    const notes = rt.view('Registry').notes;
    expect(notes[2][1]).toBe(
      `Imported 2026-11-24 from sheet "${SOURCE}" (line 4). First recorded there: 2025-01-31.`,
    );
    expect(auditRows(rt, 'Import started')).toHaveLength(1);
    expect(auditRows(rt, 'Import finished')[0]['New Value']).toBe(
      '6 entries imported (2 Approved, 2 Needs Info, 1 In Review, 1 Blocked), 2 duplicate(s) skipped',
    );
    // One review opened for the Tier 3 entry, assigned to the team, not per-entry mail.
    const reviews = records(rt, 'Reviews');
    expect(reviews.map((r) => [r['Registry ID'], r.Status])).toEqual([['AI-0003', 'Open']]);
    assignee = reviews[0]['Assigned To'];
    expect([ADMIN, SECURITY]).toContain(assignee);
  });

  it('sends one digest to the team and one mail to the assignee', () => {
    const queued = Object.entries(rt.registryProperties())
      .filter(([k]) => k.startsWith('outbox.'))
      .map(
        ([, v]) =>
          JSON.parse(v) as {
            channel?: string;
            message?: { text: string };
            mail?: { to: string; subject: string };
          },
      );
    const posts = queued
      .filter((q) => !q.mail && (q.channel ?? 'slack') === 'slack')
      .map((q) => q.message!.text)
      .filter((t) => !t.includes('AI-0001 Ticket drafter')); // the seed entry's own post
    // One digest (and the Tier 4 alert), not a post per imported entry.
    expect(posts).toEqual([
      'Inventory imported: 4 item(s)',
      'Imported Tier 4 entries blocked: 1 item(s)',
    ]);
    const mails = queued.filter((q) => q.mail).map((q) => [q.mail!.to, q.mail!.subject]);
    expect(mails).toEqual([
      [assignee, 'Governed Path: 1 imported Tier 3 review(s) assigned to you'],
    ]);
  });

  it('gives imported entries to their creators, and the importer may review them', () => {
    const mine = run<{ id: string }[]>(rt, 'listMyProjects', [], EMPLOYEE);
    expect(mine.map((p) => p.id).sort()).toEqual(['AI-0001', 'AI-0002']);
    expect(run<{ id: string }[]>(rt, 'listMyProjects', [], SECURITY)).toEqual([]);
    const queue = run<{ items: { reviewId: string; registryId: string }[] }>(
      rt,
      'listReviewQueue',
      [],
    );
    const review = queue.items.find((i) => i.registryId === 'AI-0003')!;
    // The importer owns none of what they imported: they may decide its review.
    const decided = rt.run(
      'decideReview',
      [review.reviewId, { decision: 'Approved', note: '', threatModel: '' }],
      SECURITY,
    );
    expect(decided).toMatchObject({ ok: true });
    expect(records(rt, 'Registry').find((r) => r.ID === 'AI-0003')!.Approval).toBe('Approved');
  });

  it('refuses employees, and says what is wrong with a bad source or mapping', () => {
    const refused = rt.run('dryRunImport', [{ sheet: SOURCE }, MAPPING, {}], EMPLOYEE);
    expect(refused).toEqual({
      ok: false,
      error: expect.stringContaining('Only the security team'),
    });
    const cases: [unknown, unknown, string][] = [
      [{ sheet: 'Registry' }, MAPPING, "is one of the registry's own sheets"],
      [{ sheet: 'Nope' }, MAPPING, 'There is no sheet named "Nope"'],
      [{ csv: '' }, MAPPING, 'the box is empty'],
      [
        { csv: 'a,b\n"unclosed,1' },
        MAPPING,
        'a quoted value that never ends (it starts on line 2)',
      ],
      [{ sheet: SOURCE }, { Project: 0 }, 'Choose the column that holds Creator Email'],
      [{ sheet: SOURCE }, { Project: 0, 'Creator Email': 0 }, 'One column is chosen for both'],
      [{ sheet: SOURCE }, { Project: 0, 'Creator Email': 99 }, 'is not a column of the source'],
      [{}, MAPPING, 'Choose a sheet of this spreadsheet, or paste CSV text'],
    ];
    for (const [source, mapping, sentence] of cases) {
      const r = rt.run('dryRunImport', [source, mapping, {}], SECURITY);
      expect(r).toEqual({ ok: false, error: expect.stringContaining(sentence) });
    }
  });
});

describe('a pasted CSV', () => {
  it('reads quotes, line breaks in quotes, semicolons, a byte order mark and CRLF', () => {
    const rt = registry();
    const csv =
      '\ufeffName;Owner;Purpose;Classification;Tool;Version;Stage;Created\r\n' +
      '"Quote; bot";"ana@example.com";"Says ""hi""\nand bye";Public;Gemini;2;Live;2024-05-06\r\n' +
      '=HYPERLINK("https://evil.example");ana@example.com;x;1;Gemini;1;dev;\r\n';
    const preview = run<{ mapping: Record<string, number> }>(rt, 'previewImport', [
      { csv, name: 'export.csv' },
      {},
    ]);
    expect(preview.mapping).toMatchObject({
      Project: 0,
      'Creator Email': 1,
      'Business Purpose': 2,
      'Data Tier': 3,
      'AI Tool': 4,
      'AI Tool Version': 5,
      'Deployment Status': 6,
      'First Recorded': 7,
    });
    const progress = run<{ done: boolean; imported: number; source: string }>(rt, 'importBatch', [
      { csv, name: 'export.csv' },
      preview.mapping,
      {},
    ]);
    expect(progress).toMatchObject({ done: true, imported: 2, source: 'CSV "export.csv"' });
    const rows = records(rt, 'Registry').slice(1);
    expect(rows[0].Project).toBe('Quote; bot');
    expect(rows[0]['Business Purpose']).toBe('Says "hi" and bye');
    // A formula from the file is text in the Registry, never a formula.
    expect(rows[1].Project).toBe('=HYPERLINK("https://evil.example")');
    const formulas = rt.view('Registry').formulas;
    expect(formulas.flat().filter((f) => f !== '')).toEqual([]);
  });
});

describe('2,000 messy rows in resumable batches', () => {
  const inventory = messyInventory(2000, 7);
  let rt: GasRuntime;
  beforeAll(() => {
    rt = registry();
    personSheet(rt, 'Inventory 2024', inventory.rows);
  }, 120_000);

  it('dry-runs to the counts the generator tallied', () => {
    const dry = run<{ counts: Record<string, unknown>; rows: { status: string }[] }>(
      rt,
      'dryRunImport',
      [{ sheet: 'Inventory 2024' }, inventory.mapping, { dateOrder: 'auto' }],
    );
    expect(dry.counts).toEqual(inventory.expected);
  });

  it('imports batch by batch, survives a batch cut off after writing, and ends with one digest', () => {
    const args = [{ sheet: 'Inventory 2024' }, inventory.mapping, { dateOrder: 'auto' }];
    let progress = run<{ done: boolean; position: number; imported: number; rows: number }>(
      rt,
      'importBatch',
      args,
    );
    expect(progress).toMatchObject({ done: false, position: 250 });
    // Another import is refused while this one is unfinished.
    const other = rt.run(
      'importBatch',
      [{ csv: 'Project,Owner\nx,a@example.com' }, { Project: 0, 'Creator Email': 1 }, {}],
      SECURITY,
    );
    expect(other).toEqual({ ok: false, error: expect.stringContaining('is not finished (250 of') });
    progress = run(rt, 'importBatch', args);
    expect(progress.position).toBe(500);
    // Executions killed after writing a batch: before it was decided, and after (before the
    // job saved its place). The same call goes on, with no row written twice.
    for (const step of ['written', 'decided']) {
      const at = progress.position;
      expect(killAt(rt, step, (k) => k.run('importBatch', args, SECURITY))).toBe(true);
      rt.advance(10 * 60 * 1000); // the killed execution's hold on the registry runs out
      progress = run(rt, 'importBatch', args);
      expect(progress.position).toBe(at + 250);
    }
    let calls = 0;
    while (!progress.done && calls++ < 20) progress = run(rt, 'importBatch', args);
    expect(progress.done).toBe(true);
    const registry = records(rt, 'Registry');
    // The seed entry plus every row the generator meant to be imported, each once.
    expect(registry).toHaveLength(1 + inventory.expected.toImport);
    const keys = registry.map((r) => `${r.Project.toLowerCase()}|${r['Creator Email']}`);
    expect(new Set(keys.filter((k) => !k.endsWith('|'))).size).toBe(
      keys.filter((k) => !k.endsWith('|')).length,
    );
    const counts: Record<string, number> = {};
    for (const r of registry.slice(1)) counts[r.Approval] = (counts[r.Approval] ?? 0) + 1;
    expect(counts).toEqual(inventory.expected.byApproval);
    expect(auditRows(rt, 'Import finished')).toHaveLength(1);
    expect(auditRows(rt, 'Import started')).toHaveLength(1);
    // Every imported entry was registered with its Imported record, once.
    const ids = auditRows(rt, 'Imported').map((a) => a['Registry ID']);
    expect(new Set(ids).size).toBe(ids.length);
    expect(ids.length + auditRows(rt, 'Imported (incomplete)').length).toBe(
      inventory.expected.toImport,
    );
  }, 300_000);
});
