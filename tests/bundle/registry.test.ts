import { INPUT_FIELDS } from '../../src/domain/entry';
import { headersOf, REGISTRY } from '../../src/domain/schema';
import type { GasRuntime } from '../../sandbox/gas/runtime';
import {
  addToSecurityTeam,
  ADMIN,
  EMPLOYEE,
  expectedAuditMacs,
  SECURITY,
  setUpRuntime,
} from '../helpers';

const H = headersOf(REGISTRY);
const col = (header: string) => String.fromCharCode(65 + H.indexOf(header));
const INPUTS: readonly string[] = INPUT_FIELDS;

type Row = Record<string, string>;

function entry(over: Partial<Row> = {}): Row {
  return {
    'Creator Email': EMPLOYEE,
    Department: 'Marketing',
    Project: 'Campaign mailer',
    'Business Purpose': 'Sends the weekly campaign email to subscribers.',
    'Data Tier': 'Tier 1 - Public',
    'Data Stores': '',
    'AI Tool': 'ChatGPT',
    'AI Tool Version': '4o',
    'Deployment Status': 'Development',
    ...over,
  };
}

/** Pastes rows into the input columns (C:K), as a person copying from another sheet. */
function paste(rt: GasRuntime, firstRow: number, rows: Row[], user = EMPLOYEE) {
  const range = `${col('Creator Email')}${firstRow}:${col('Deployment Status')}${firstRow + rows.length - 1}`;
  return rt.edit(
    'Registry',
    range,
    rows.map((r) => INPUTS.map((h) => r[h] ?? '')),
    user,
  );
}

function registry(rt: GasRuntime): Row[] {
  const { values } = rt.view('Registry');
  return values.slice(1).map((v) => Object.fromEntries(H.map((h, i) => [h, v[i] ?? ''])));
}

function audit(rt: GasRuntime): Row[] {
  const { values } = rt.view('Audit Log');
  const head = values[0];
  return values.slice(1).map((v) => Object.fromEntries(head.map((h, i) => [h, v[i]])));
}

/** The security team approves Claude Code for Tier 2–3 and lists a few data stores. */
function catalog(rt: GasRuntime) {
  rt.edit(
    'AI Tools',
    'A2:H2',
    [
      [
        'Claude Code',
        'Anthropic',
        'Approved',
        '3',
        '2026-06-01',
        'US',
        'Request it in the IT portal.',
        '',
      ],
    ],
    SECURITY,
  );
  rt.edit(
    'Data Stores',
    'A2:D4',
    [
      ['Marketing CMS', 'marketing@example.com', 'Tier 1 - Public', 'Campaign pages'],
      ['HR Database', 'hr@example.com', 'Tier 3 - Confidential', 'Employee records'],
      ['Payments Vault', 'finance@example.com', 'Tier 4 - Regulated', 'Cardholder data'],
    ],
    SECURITY,
  );
}

function ready(): GasRuntime {
  const rt = setUpRuntime();
  addToSecurityTeam(rt, SECURITY);
  catalog(rt);
  return rt;
}

describe('rows people type into the Registry', () => {
  test.each([
    [
      'Marketing email automation',
      { 'Data Tier': 'Tier 1 - Public', 'AI Tool': 'ChatGPT' },
      'Approved',
      'Approved (self-service): Tier 1 - Public data may be used with any AI tool.',
    ],
    [
      'Internal dashboard with employee names',
      { 'Data Tier': 'Tier 2 - Internal', 'AI Tool': 'Claude Code' },
      'Approved',
      'Claude Code is approved for Tier 2 - Internal data',
    ],
    [
      'Customer support chatbot',
      { 'Data Tier': 'Tier 3 - Confidential', 'AI Tool': 'Claude Code' },
      'In Review',
      'Tier 3 - Confidential data needs a security review before AI processing; the review is due 2026-12-01.',
    ],
    [
      'Payment processing script',
      { 'Data Tier': 'Tier 4 - Regulated' },
      'Blocked',
      'may not be used with any AI tool',
    ],
    [
      'Prototype using synthetic data',
      { 'Data Tier': 'Tier 1 - Public', 'AI Tool': 'Cursor' },
      'Approved',
      'Cursor is not in the AI Tools catalog yet',
    ],
  ])('quick reference: %s', (project, over, approval, check) => {
    const rt = ready();
    paste(rt, 2, [entry({ Project: project, ...over })]);
    const [row] = registry(rt);
    expect(row).toMatchObject({ ID: 'AI-0001', Project: project, Approval: approval });
    expect(row.Checks).toContain(check);
    expect(row.Registered).toBe('2026-11-24 10:00');
    expect(rt.failures()).toEqual([]);
  });

  test('a Tier 3 entry opens a review due in 5 business days, shown in Review Due', () => {
    const rt = ready();
    paste(rt, 2, [entry({ Project: 'Support bot', 'Data Tier': '3', 'AI Tool': 'Claude Code' })]);
    expect(registry(rt)[0]).toMatchObject({
      'Data Tier': 'Tier 3 - Confidential',
      'Review Due': '2026-12-01',
      Approval: 'In Review',
    });
    const reviews = rt.view('Reviews').values;
    expect(reviews[1].slice(0, 7)).toEqual([
      'R-0001',
      'AI-0001',
      'Support bot',
      EMPLOYEE,
      '2026-11-24 10:00',
      '2026-12-01',
      'Open',
    ]);
  });

  test('each Approval gets its colour once decided', () => {
    const rt = ready();
    paste(rt, 2, [
      entry(),
      entry({ 'Data Tier': '4' }),
      entry({ 'Data Tier': '2', 'AI Tool': 'ChatGPT' }),
    ]);
    const c = H.indexOf('Approval');
    expect(
      rt
        .view('Registry')
        .backgrounds.slice(1, 4)
        .map((r) => r[c]),
    ).toEqual(['#b7e1cd', '#cc4125', '#d9d9d9']);
  });

  test('typed cell by cell, a row gets an ID at once but is registered only when complete', () => {
    const rt = ready();
    const row = entry({ 'Data Tier': 't2', 'AI Tool': 'claude code', 'Deployment Status': 'prod' });
    INPUTS.forEach((h, i) => {
      rt.edit('Registry', `${col(h)}2`, [[row[h]]], EMPLOYEE);
      const now = registry(rt)[0];
      expect(now.ID).toBe('AI-0001');
      if (i < INPUTS.length - 1) {
        expect(now).toMatchObject({ Approval: 'Needs Info', Registered: '' });
        expect(now.Checks).toContain('Deployment Status is missing');
      }
    });
    expect(registry(rt)[0]).toMatchObject({
      Approval: 'Approved',
      'Data Tier': 'Tier 2 - Internal',
      'Deployment Status': 'Production',
      Registered: '2026-11-24 10:00',
    });
    expect(audit(rt).filter((a) => a.Action === 'Registered')).toHaveLength(1);
    expect(
      audit(rt)
        .filter((a) => a.Action === 'Edited')
        .map((a) => a.Field),
    ).toEqual(INPUTS);
  });

  test('a data store of a higher tier raises the tier and says which store', () => {
    const rt = ready();
    paste(rt, 2, [
      entry({ 'Data Stores': 'marketing cms, HR Database', 'AI Tool': 'Claude Code' }),
    ]);
    const [row] = registry(rt);
    expect(row).toMatchObject({ 'Data Tier': 'Tier 3 - Confidential', Approval: 'In Review' });
    expect(row.Checks).toContain(
      'Data Tier raised from Tier 1 - Public to Tier 3 - Confidential: data store "HR Database"',
    );
    // The registration is one audit row; what the add-on corrected is in its Old Value.
    expect(audit(rt).find((a) => a.Action === 'Registered')).toMatchObject({
      'Old Value': 'as typed: Data Tier: Tier 1 - Public → Tier 3 - Confidential',
      'New Value': expect.stringMatching(
        /\(Tier 3 - Confidential, Claude Code, Development\): In Review$/,
      ),
    });
  });

  test('a 300-row paste is decided in one execution with a constant number of Sheets calls', () => {
    const pasteOf = (n: number) => {
      const rt = ready();
      const rows = Array.from({ length: n }, (_, i) =>
        entry({
          Project: `Project ${i + 1}`,
          'Data Tier': String((i % 4) + 1),
          'AI Tool': i % 3 ? 'Claude Code' : 'ChatGPT',
        }),
      );
      const handlers = paste(rt, 2, rows).executions.filter((x) => x.fn === 'handleRegistryEdit');
      return { rt, rows, handlers };
    };
    const small = pasteOf(8);
    const large = pasteOf(300);

    expect(large.handlers).toHaveLength(1);
    const calls = large.handlers[0].calls;
    const smallCalls = small.handlers[0].calls;
    // The same Sheets calls whatever the size; the only extra one is growing the Audit Log
    // past its rows. (Digests and MACs go with the rows: a seal and an audit entry each.)
    const withoutGrowth = (c: typeof calls) =>
      Object.entries(c.byMethod).filter(
        ([m]) => m !== 'Sheet.insertRowsAfter' && !m.startsWith('Utilities.'),
      );
    expect(withoutGrowth(calls)).toEqual(withoutGrowth(smallCalls));
    expect(calls.reads).toBeLessThanOrEqual(15);
    expect(calls.writes).toBeLessThanOrEqual(5);

    const decided = registry(large.rt);
    expect(decided.map((r) => r.ID)).toEqual(
      large.rows.map((_, i) => `AI-${String(i + 1).padStart(4, '0')}`),
    );
    expect(new Set(decided.map((r) => r.Approval))).toEqual(
      new Set(['Approved', 'Needs Info', 'In Review', 'Blocked']),
    );
    expect(reviewCount(large.rt)).toBe(75);
    expect(large.rt.failures()).toEqual([]);
  });

  test('a one-cell edit touches the same cells and makes the same calls at 1,000 and 10,000 entries (issue 14)', () => {
    const editIn = (size: number) => {
      const rt = ready();
      for (let first = 0; first < size; first += 2500) {
        const rows = Array.from({ length: Math.min(2500, size - first) }, (_, i) =>
          entry({ Project: `Project ${first + i}`, 'AI Tool': 'Claude Code' }),
        );
        expect(paste(rt, first + 2, rows).ok).toBe(true);
      }
      // An entry in the middle, decided for good: its Project renamed.
      const result = rt.edit(
        'Registry',
        `${col('Project')}${size / 2 + 2}`,
        [['Renamed']],
        EMPLOYEE,
      );
      const [run] = result.executions.filter((x) => x.fn === 'handleRegistryEdit');
      expect(run.ok).toBe(true);
      expect(registry(rt)[size / 2].Project).toBe('Renamed');
      const { cellsRead, cellsWritten, byMethod } = run.calls;
      return {
        cellsRead,
        cellsWritten,
        calls: Object.entries(byMethod).filter(([m]) => !m.startsWith('Utilities.')),
      };
    };
    expect(editIn(10000)).toEqual(editIn(1000));
  }, 240_000);

  test('only the tier, data stores, tool or deployment status re-evaluate a decided entry', () => {
    const rt = ready();
    paste(rt, 2, [entry({ 'Data Tier': '2', 'AI Tool': 'Claude Code' })]);
    expect(registry(rt)[0].Approval).toBe('Approved');
    rt.edit('AI Tools', 'C2', [['Pending']], SECURITY); // the catalog changes afterwards

    rt.edit(
      'Registry',
      `${col('Business Purpose')}2`,
      [['Sends a monthly digest instead.']],
      EMPLOYEE,
    );
    expect(registry(rt)[0].Approval).toBe('Approved');

    // The same tool typed again leaves the inputs as they were decided: nothing changes
    // (issue 15, idempotence by meaning); a change of the tier re-evaluates.
    rt.edit('Registry', `${col('AI Tool')}2`, [['Claude Code']], EMPLOYEE);
    expect(registry(rt)[0].Approval).toBe('Approved');
    rt.edit('Registry', `${col('Data Tier')}2`, [['1']], EMPLOYEE);
    rt.edit('Registry', `${col('Data Tier')}2`, [['2']], EMPLOYEE);
    expect(registry(rt)[0]).toMatchObject({ Approval: 'Needs Info' });
    expect(registry(rt)[0].Checks).toContain(
      'Claude Code is not approved for Tier 2 - Internal data (catalog status: Pending).',
    );
  });

  test('a Tier 3 entry switched to Production without an approved review stays unapproved and says why', () => {
    const rt = ready();
    paste(rt, 2, [entry({ 'Data Tier': '3', 'AI Tool': 'Claude Code' })]);
    const result = rt.edit('Registry', `${col('Deployment Status')}2`, [['prod']], EMPLOYEE);
    expect(registry(rt)[0]).toMatchObject({
      Approval: 'In Review',
      'Deployment Status': 'Production',
    });
    expect(registry(rt)[0].Checks).toContain(
      'need an approved security review with a threat model before they go to Production',
    );
    expect(result.executions.every((e) => e.ok)).toBe(true);
  });

  test('people’s own columns keep their text and formulas when the add-on writes a row', () => {
    const rt = ready();
    rt.edit('Registry', 'S1:T1', [['Ticket', 'Score']], SECURITY);
    paste(rt, 2, [entry(), entry({ Project: 'Second' })]);
    const registrySheet = rt.world.spreadsheet.sheets.find((s) => s.name === 'Registry')!;
    delete registrySheet.grid[2][18]; // an "Automatic" cell, as most people's columns are
    rt.edit(
      'Registry',
      'S2:T3',
      [
        ["'007", '=1+1'],
        ["'1.10", '=2*2'],
      ],
      SECURITY,
    );
    rt.edit('Registry', `${col('Project')}3`, [['Second, renamed']], EMPLOYEE);
    rt.edit('Registry', `${col('Department')}2`, [['Sales']], EMPLOYEE);
    const view = rt.view('Registry');
    expect(view.values.slice(1, 3).map((r) => r.slice(18, 20))).toEqual([
      ['007', '2'],
      ['1.10', '4'],
    ]);
    expect(view.formulas.slice(1, 3).map((r) => r[19])).toEqual(['=1+1', '=2*2']);
  });

  test('a Data Stores cell of 50,000 characters is a clear sentence, never a Checks cell past Sheets’ limit', () => {
    const rt = ready();
    const stores = 'Store, '.repeat(7143).slice(0, 50000).trim();
    expect(paste(rt, 2, [entry({ 'Data Stores': stores })]).ok).toBe(true);
    const row = registry(rt)[0];
    expect(row.Approval).toBe('Needs Info');
    expect(row.Checks).toContain(
      `Data Stores is ${stores.length.toLocaleString('en-US')} characters long; keep it to 500 characters or fewer.`,
    );
    expect(row.Checks.length).toBeLessThan(2000);
  });

  test('an ID and date pasted over a sealed row are put back from its seal', () => {
    const rt = ready();
    paste(rt, 2, [entry({ Project: 'A' }), entry({ Project: 'B' }), entry({ Project: 'C' })]);
    const before = registry(rt)[2];
    rt.edit('Registry', 'A4:B4', [['AI-0001', '']], EMPLOYEE);
    const rows = registry(rt);
    expect(rows.map((r) => r.ID)).toEqual(['AI-0001', 'AI-0002', 'AI-0003']);
    expect(rows[2].Registered).toBe(before.Registered);
    expect(audit(rt).filter((a) => a.Action === 'Tampering reverted')).toEqual([
      expect.objectContaining({ Field: 'ID', 'Old Value': 'AI-0003', 'New Value': 'AI-0001' }),
      expect.objectContaining({ Field: 'Registered', 'New Value': '' }),
    ]);
  });

  test('a row without a seal whose ID another row holds gets a new ID, explained', () => {
    const rt = ready();
    paste(rt, 2, [entry({ Project: 'A' }), entry({ Project: 'B' })]);
    rt.edit('Registry', 'A4', [['AI-0001']], EMPLOYEE);
    paste(rt, 4, [entry({ Project: 'C' })]);
    const rows = registry(rt);
    expect(rows.map((r) => r.ID)).toEqual(['AI-0001', 'AI-0002', 'AI-0003']);
  });

  test('a deleted row comes back from the audit log, and IDs are never reused', () => {
    const rt = ready();
    paste(rt, 2, [entry({ Project: 'A' }), entry({ Project: 'B' }), entry({ Project: 'C' })]);
    const before = registry(rt)[1];
    const deleted = rt.deleteRows('Registry', 3, 1, EMPLOYEE);
    expect(deleted.executions.map((e) => [e.fn, e.ok])).toEqual([['handleRegistryChange', true]]);
    expect(audit(rt).find((a) => a.Action === 'Row restored')).toMatchObject({
      'Registry ID': 'AI-0002',
      Actor: EMPLOYEE,
    });
    expect(registry(rt)[2]).toEqual(before); // appended after the rows left, exactly as it was
    paste(rt, 5, [entry({ Project: 'D' })]);
    expect(registry(rt).map((r) => `${r.ID} ${r.Project}`)).toEqual([
      'AI-0001 A',
      'AI-0003 C',
      'AI-0002 B',
      'AI-0004 D',
    ]);
    const report = rt.clickMenu('Security team > Run daily checks now', SECURITY).ui[0].message;
    expect(report).toContain('Daily checks passed.');
  });

  test('a row decided while another execution held the lock waits, then is decided by the next edit', () => {
    const rt = ready();
    rt.holdLock('document', '2026-11-24T15:10:00Z');
    paste(rt, 2, [entry({ Project: 'Waiting' })]);
    expect(registry(rt)[0]).toMatchObject({ ID: '', Approval: '' });
    rt.advance(15 * 60 * 1000);
    paste(rt, 3, [entry({ Project: 'Next' })]);
    expect(registry(rt).map((r) => [r.ID, r.Project, r.Approval])).toEqual([
      ['AI-0001', 'Waiting', 'Approved'],
      ['AI-0002', 'Next', 'Approved'],
    ]);
  });
});

function reviewCount(rt: GasRuntime): number {
  return rt
    .view('Reviews')
    .values.slice(1)
    .filter((r) => r[0] !== '').length;
}

describe('bad input gets a sentence and Needs Info, never an exception, never a change to other rows', () => {
  test.each([
    [
      'an unknown tier',
      { 'Data Tier': 'secret' },
      'Needs Info',
      'Data Tier "secret" is not a tier',
    ],
    [
      'a bad email',
      { 'Creator Email': 'dana at example' },
      'Needs Info',
      'Creator Email "dana at example" is not an email address.',
    ],
    ['an empty purpose', { 'Business Purpose': '' }, 'Needs Info', 'Business Purpose is missing'],
    [
      'a 10,000-character purpose',
      { 'Business Purpose': 'x'.repeat(10000) },
      'Needs Info',
      'Business Purpose is 10,000 characters long',
    ],
    [
      'a tool not in the catalog (Tier 2)',
      { 'Data Tier': '2', 'AI Tool': 'Bard' },
      'Needs Info',
      'Approved tools for Tier 2 - Internal data: Claude Code (Request it in the IT portal)',
    ],
    [
      'an unknown data store',
      { 'Data Stores': 'Shadow Sheet' },
      'Approved',
      'Data store "Shadow Sheet" is not in the Data Stores inventory',
    ],
    [
      'a date typed in a text column',
      { Project: '2026-01-01' },
      'Approved',
      'Approved (self-service)',
    ],
    [
      'formula-like text',
      { Project: '=HYPERLINK("http://evil.example","click")' },
      'Approved',
      'Approved (self-service)',
    ],
  ])('%s', (_name, over, approval, check) => {
    const rt = ready();
    paste(rt, 2, [entry({ Project: 'Neighbour' })]);
    const before = registry(rt)[0];
    paste(rt, 3, [entry(over)]);
    const [neighbour, row] = registry(rt);
    expect(neighbour).toEqual(before);
    expect(row.Approval).toBe(approval);
    expect(row.Checks).toContain(check);
    expect(rt.failures()).toEqual([]);
  });

  test('text that looks like a formula is stored as text and shown exactly as typed', () => {
    const rt = ready();
    const project = '=HYPERLINK("http://evil.example","click")';
    paste(rt, 2, [entry({ Project: project, Department: '+1 Sales', 'AI Tool Version': '-rc1' })]);
    const view = rt.view('Registry');
    expect(view.formulas[1].every((f) => f === '')).toBe(true);
    expect(registry(rt)[0]).toMatchObject({
      Project: project,
      Department: '+1 Sales',
      'AI Tool Version': '-rc1',
    });
  });

  test('a formula in an input cell (pasted with its formatting) is rewritten as its text', () => {
    const rt = ready();
    const sheet = rt.world.spreadsheet.sheets.find((s) => s.name === 'Registry')!;
    delete sheet.grid[1][H.indexOf('Project')]!.nf; // the paste brought "Automatic" formatting
    const formula = '=HYPERLINK("http://evil.example","click")';
    paste(rt, 2, [entry({ Project: formula })]);
    expect(rt.view('Registry').formulas[1][H.indexOf('Project')]).toBe('');
    expect(registry(rt)[0].Project).toBe(formula);
    expect(registry(rt)[0].Checks).toContain(
      'Project contained a formula; it is kept as plain text.',
    );
    expect(rt.failures()).toEqual([]);
  });

  test('a version like 1.10 keeps its trailing zero', () => {
    const rt = ready();
    paste(rt, 2, [entry({ 'AI Tool Version': '1.10' })]);
    expect(registry(rt)[0]['AI Tool Version']).toBe('1.10');
  });
});

describe('tampering and the audit log', () => {
  test('an employee changing Approval to Approved sees it reverted and an audit row saying so', () => {
    const rt = ready();
    paste(rt, 2, [entry({ 'Data Tier': '4' })]);
    const result = rt.edit('Registry', `${col('Approval')}2`, [['Approved']], EMPLOYEE);
    expect(result.ok).toBe(true);
    expect(registry(rt)[0].Approval).toBe('Blocked');
    expect(audit(rt).find((a) => a.Action === 'Tampering reverted')).toMatchObject({
      Actor: EMPLOYEE,
      'Registry ID': 'AI-0001',
      Field: 'Approval',
      'Old Value': 'Blocked',
      'New Value': 'Approved',
    });
  });

  test('an ID typed by hand is put back', () => {
    const rt = ready();
    paste(rt, 2, [entry()]);
    rt.edit('Registry', 'A2', [['AI-9999']], EMPLOYEE);
    expect(registry(rt)[0].ID).toBe('AI-0001');
  });

  test('a decision typed into Reviews by an employee is reverted; the security team’s edit stays', () => {
    const rt = ready();
    paste(rt, 2, [entry({ 'Data Tier': '3' })]);
    rt.edit('Reviews', 'G2', [['Approved']], EMPLOYEE);
    expect(rt.view('Reviews').values[1][6]).toBe('Open');
    expect(audit(rt).find((a) => a.Action === 'Tampering reverted')).toMatchObject({
      Field: 'Reviews!Status row 2',
      'Old Value': 'Open',
    });
    rt.edit('Reviews', 'H2', [[SECURITY]], SECURITY);
    expect(rt.view('Reviews').values[1][7]).toBe(SECURITY);
  });

  test('every row of the audit log is signed (HMAC-SHA256) and chained to the one before', () => {
    const rt = ready();
    paste(rt, 2, [entry(), entry({ 'Data Tier': '3' })]);
    expect(audit(rt).length).toBeGreaterThan(5);
    const { actual, expected } = expectedAuditMacs(rt);
    expect(actual).toEqual(expected);
    // Timestamps are ISO text, not Sheets dates: a time-zone change cannot move them.
    const first = rt.world.spreadsheet.sheets.find((s) => s.name === 'Audit Log')!.grid[1][0]!;
    expect(first.v).toMatch(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z$/);
    expect(JSON.parse(rt.registryProperties().auditHead)).toEqual({
      count: actual.length,
      mac: expected[expected.length - 1],
    });
  });

  test('editing a middle audit row makes the chain check name that row', () => {
    const rt = ready();
    paste(rt, 2, [entry(), entry(), entry()]);
    const ok = rt.clickMenu('Security team > Run daily checks now', SECURITY);
    expect(ok.ui[0].message).toContain('Daily checks passed.');
    const n = audit(rt).length;
    const middle = Math.floor(n / 2) + 1;
    rt.edit('Audit Log', `F${middle}:G${middle}`, [['forged', 'forged']], EMPLOYEE); // a paste cannot be reverted
    const check = rt.clickMenu('Security team > Run daily checks now', SECURITY);
    expect(check.ui[0].message).toContain(`The Audit Log's hash chain is broken at row ${middle}`);
  });

  test('employees cannot run the daily checks', () => {
    const rt = ready();
    expect(rt.clickMenu('Security team > Run daily checks now', EMPLOYEE).ui[0].message).toContain(
      'Only the security team',
    );
    expect(rt.clickMenu('Security team > Run daily checks now', ADMIN).ui[0].message).toContain(
      'Daily checks passed.',
    );
  });
});

test('without an ID counter on record (an older registry), new IDs follow the highest in the sheet', () => {
  const rt = setUpRuntime();
  paste(rt, 2, [entry({ Project: 'One' }), entry({ Project: 'Two' }), entry({ Project: 'Three' })]);
  const store = rt.registryProperties();
  delete store.nextRegistryId;
  delete store.nextReviewId;
  paste(rt, 5, [entry({ Project: 'Four', 'Data Tier': '3' })]);
  expect(registry(rt).map((r) => r.ID)).toEqual(['AI-0001', 'AI-0002', 'AI-0003', 'AI-0004']);
});
