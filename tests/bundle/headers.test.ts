/**
 * Headers (issue 15, deliverable 1): the add-on's columns are found by developer metadata that
 * moves with them; a renamed, cleared, duplicated or deleted header is put right in place by
 * the next execution (data kept), logged and alerted, and nothing is decided on a guess.
 */
import { headersOf, REGISTRY, REVIEWS } from '../../src/domain/schema';
import type { GasRuntime } from '../../sandbox/gas/runtime';
import type { SheetData } from '../../sandbox/gas/model';
import {
  addToSecurityTeam,
  auditRows,
  EMPLOYEE,
  registryInputs,
  SECURITY,
  setUpRuntime,
} from '../helpers';

const MALLORY = 'mallory@example.com';
const CHECK = 'Security team > Run daily checks now';
const H = headersOf(REGISTRY);

function registered(): GasRuntime {
  const rt = setUpRuntime();
  addToSecurityTeam(rt, SECURITY);
  rt.edit(
    'Registry',
    'C2:K4',
    [
      registryInputs({ Project: 'Alpha', 'Data Tier': '3', Department: 'Finance' }),
      registryInputs({ Project: 'Beta', 'AI Tool Version': '1.0', Department: 'Sales' }),
      registryInputs({ Project: 'Gamma', 'AI Tool Version': '2.0', Department: 'Legal' }),
    ],
    EMPLOYEE,
  );
  return rt;
}

const sheetData = (rt: GasRuntime, name: string): SheetData =>
  rt.world.spreadsheet.sheets.find((s) => s.name === name)!;

/** A column's values by header (header row included), wherever the column is now. */
function column(rt: GasRuntime, sheet: string, header: string): unknown[] {
  const { values } = rt.view(sheet);
  const at = values[0].indexOf(header);
  if (at < 0) throw new Error(`no ${header} header in ${sheet}: ${values[0].join(' | ')}`);
  return values.map((r) => r[at]);
}

const columnOf = (rt: GasRuntime, sheet: string, header: string) =>
  rt.view(sheet).values[0].indexOf(header) + 1;
const letter = (n: number) => String.fromCharCode(64 + n);

/** Outbox alerts (queued or sent) are checked through the audit log and the outbox keys. */
const outboxTexts = (rt: GasRuntime) =>
  Object.entries(rt.registryProperties())
    .filter(([k, v]) => k.startsWith('outbox.') && !JSON.parse(v).channel)
    .map(([, v]) => v);

const headerTampering = (rt: GasRuntime) =>
  auditRows(rt, 'Tampering reverted').filter((a) => a.Field.endsWith(' header'));

describe('renamed headers', () => {
  test.each([
    ['Registry', 'Department', 'Team'],
    ['Registry', 'Approval', 'Approved?'],
    ['Reviews', 'Status', 'State'],
    ['Reviews', 'Registry ID', ''],
  ])('%s "%s" typed as "%s" is put back at once, logged and alerted', (sheet, header, typed) => {
    const rt = registered();
    const before = column(rt, sheet, header);
    const at = columnOf(rt, sheet, header);
    rt.edit(sheet, `${letter(at)}1`, [[typed]], MALLORY);
    expect(column(rt, sheet, header)).toEqual(before);
    const logged = headerTampering(rt);
    expect(logged).toHaveLength(1);
    expect(logged[0]).toMatchObject({
      Actor: MALLORY,
      Field: `${sheet} header`,
      'Old Value': typed,
      'New Value': header,
    });
    expect(outboxTexts(rt).join('\n')).toContain(`${sheet} header`);
  });

  test('a rename no trigger saw is put back by the next sidebar call, before its work', () => {
    const rt = registered();
    sheetData(rt, 'Reviews').grid[0][columnOf(rt, 'Reviews', 'Status') - 1]!.v = 'State';
    const queue = rt.run('listReviewQueue', [], SECURITY) as { ok: boolean; result: unknown };
    expect(queue.ok).toBe(true);
    expect(JSON.stringify(queue.result)).toContain('AI-0001');
    expect(column(rt, 'Reviews', 'Status')[0]).toBe('Status');
    expect(headerTampering(rt)[0]).toMatchObject({
      Actor: `unknown (found by ${SECURITY})`,
      'Old Value': 'State',
      'New Value': 'Status',
    });
  });

  test('header texts swapped where no trigger saw them: the tags decide, data stays put', () => {
    const rt = registered();
    const grid = sheetData(rt, 'Registry').grid[0];
    const d = H.indexOf('Department');
    const p = H.indexOf('Project');
    [grid[d]!.v, grid[p]!.v] = ['Project', 'Department'];
    rt.edit('Registry', `${letter(H.indexOf('AI Tool Version') + 1)}3`, [['1.1']], EMPLOYEE);
    expect(column(rt, 'Registry', 'Department').slice(1, 4)).toEqual(['Finance', 'Sales', 'Legal']);
    expect(column(rt, 'Registry', 'Project').slice(1, 4)).toEqual(['Alpha', 'Beta', 'Gamma']);
    expect(
      headerTampering(rt)
        .map((a) => a['New Value'])
        .sort(),
    ).toEqual(['Department', 'Project']);
  });
});

describe('moved and duplicated columns', () => {
  test('columns a person drags elsewhere keep working: found by their tags, no alarm', () => {
    const rt = registered();
    const dept = columnOf(rt, 'Registry', 'Department');
    rt.moveColumns('Registry', dept, 1, 1, MALLORY); // Department first
    expect(rt.view('Registry').values[0][0]).toBe('Department');
    rt.edit('Registry', 'A3', [['']], EMPLOYEE); // Beta's Department cleared
    const checks = column(rt, 'Registry', 'Checks')[2];
    expect(String(checks)).toContain('Department');
    expect(column(rt, 'Registry', 'Approval')[2]).toBe('Needs Info');
    expect(headerTampering(rt)).toEqual([]);
  });

  test('a second "Status" header typed over a person’s own column is renamed, the real one kept', () => {
    const rt = registered();
    const width = rt.view('Reviews').values[0].length;
    rt.edit('Reviews', `${letter(width + 1)}1`, [['status']], MALLORY);
    const header = rt.view('Reviews').values[0];
    expect(header[width]).toBe('status (copy)');
    expect(header.filter((h) => h === 'Status')).toHaveLength(1);
    expect(headerTampering(rt)[0]).toMatchObject({ 'Old Value': 'status', 'New Value': 'Status' });
    // The queue still reads the real Status column.
    const queue = rt.run('listReviewQueue', [], SECURITY) as { ok: boolean; result: unknown };
    expect(JSON.stringify(queue.result)).toContain('AI-0001');
  });

  test('another script’s metadata with the add-on’s key is not believed', () => {
    const rt = registered();
    const data = sheetData(rt, 'Registry');
    const own = data.metadata!.find((m) => m.value === 'Approval')!;
    // A DOCUMENT-visibility tag claiming Approval is the Department column, and a PROJECT one
    // of another project: neither is the add-on's.
    data.metadata!.push(
      {
        ...own,
        id: 9001,
        visibility: 'DOCUMENT',
        project: '',
        column: H.indexOf('Department') + 1,
      },
      { ...own, id: 9002, visibility: 'PROJECT', project: 'other', column: 1 },
    );
    rt.edit('Registry', `${letter(H.indexOf('AI Tool Version') + 1)}3`, [['1.1']], EMPLOYEE);
    expect(column(rt, 'Registry', 'Approval')[2]).toBe('Approved');
    expect(column(rt, 'Registry', 'Department')[2]).toBe('Sales');
  });
});

describe('deleted columns', () => {
  test.each(['Department', 'Approval', 'Seal', 'ID'])(
    'the Registry column "%s" deleted is inserted again where it was, with its values',
    (header) => {
      const rt = registered();
      const before = rt.view('Registry').values.slice(0, 4);
      const at = columnOf(rt, 'Registry', header);
      const result = rt.deleteColumns('Registry', at, 1, MALLORY);
      expect(result.ok).toBe(true);
      expect(rt.view('Registry').values.slice(0, 4)).toEqual(before);
      expect(headerTampering(rt)[0]).toMatchObject({
        Actor: MALLORY,
        'Old Value': '(column deleted)',
        'New Value': header,
      });
      // Still guarded: an owned cell typed over is put back.
      rt.edit(
        'Registry',
        `${letter(columnOf(rt, 'Registry', 'Approval'))}2`,
        [['Approved']],
        MALLORY,
      );
      expect(column(rt, 'Registry', 'Approval')[1]).toBe('In Review');
    },
  );

  test('a Reviews Status column deleted comes back with every decision', () => {
    const rt = registered();
    const decided = rt.run(
      'decideReview',
      ['R-0001', { decision: 'Approved', note: 'Fine.', threatModel: 'https://example.com/tm' }],
      SECURITY,
    );
    expect(decided.ok).toBe(true);
    const before = rt.view('Reviews').values;
    rt.deleteColumns('Reviews', columnOf(rt, 'Reviews', 'Status'), 1, MALLORY);
    expect(rt.view('Reviews').values).toEqual(before);
  });

  test('a column deleted where no change trigger saw it: the daily check puts it back and says so', () => {
    const rt = registered();
    const data = sheetData(rt, 'Registry');
    const at = H.indexOf('Department') + 1;
    // Through the model, as another script or the Sheets API would: no trigger fires.
    const before = column(rt, 'Registry', 'Department');
    data.grid.forEach((line) => line?.splice(at - 1, 1));
    data.maxCols -= 1;
    data.metadata = data
      .metadata!.filter((m) => m.column !== at)
      .map((m) => (m.column !== null && m.column > at ? { ...m, column: m.column - 1 } : m));
    const report = rt.clickMenu(CHECK, SECURITY).ui[0].message;
    expect(report).not.toContain('Daily checks passed.');
    expect(report).toContain('"Department" was deleted');
    expect(column(rt, 'Registry', 'Department')).toEqual(before);
  });
});

test('a sheet set up before tags is tagged by its first execution, silently', () => {
  const rt = registered();
  for (const name of ['Registry', 'Reviews']) delete sheetData(rt, name).metadata;
  rt.edit('Registry', `${letter(H.indexOf('AI Tool Version') + 1)}3`, [['1.1']], EMPLOYEE);
  rt.run('listReviewQueue', [], SECURITY);
  const tags = (name: string) =>
    (sheetData(rt, name).metadata ?? []).filter((m) => m.key === 'governedPath.column');
  expect(tags('Registry').map((m) => m.value)).toEqual(H);
  expect(
    tags('Reviews')
      .map((m) => m.value)
      .sort(),
  ).toEqual([...headersOf(REVIEWS)].sort());
  expect(headerTampering(rt)).toEqual([]);
});

test('a decision typed while Status was renamed where no trigger saw it counts as a decision', () => {
  const rt = registered();
  const status = columnOf(rt, 'Reviews', 'Status');
  sheetData(rt, 'Reviews').grid[0][status - 1]!.v = 'State';
  rt.edit('Reviews', `${letter(status)}2`, [['Approved']], SECURITY);
  expect(column(rt, 'Reviews', 'Status').slice(0, 2)).toEqual(['Status', 'Approved']);
  expect(column(rt, 'Registry', 'Approval')[1]).toBe('Approved');
  expect(headerTampering(rt)[0]).toMatchObject({
    Actor: `unknown (found during an edit by ${SECURITY})`,
    'Old Value': 'State',
  });
});

describe('a sealed sheet deleted is recreated with its rows (deliverable 4)', () => {
  test.each(['Reviews', 'AI Tools', 'Data Stores', 'Registry'])(
    'the %s sheet deleted: the change trigger recreates it, rows and decisions kept, alerted',
    (name) => {
      const rt = registered();
      rt.edit(
        'Data Stores',
        'A2:D2',
        [['HR Database', 'hr@example.com', 'Tier 4 - Regulated', 'Payroll']],
        SECURITY,
      );
      rt.run(
        'decideReview',
        ['R-0001', { decision: 'Approved', note: 'Fine.', threatModel: '' }],
        SECURITY,
      );
      // Rows come back in the order the log names them (the catalogs by name): compared as sets.
      const rows = () =>
        rt
          .view(name)
          .values.map((r) => JSON.stringify(r))
          .sort();
      const before = rows();
      const result = rt.deleteSheet(name, MALLORY);
      expect(result.ok).toBe(true);
      expect(rows()).toEqual(before);
      const logged = auditRows(rt, 'Tampering reverted').filter((a) => a.Field === name);
      expect(logged[0]).toMatchObject({ 'Old Value': '(sheet deleted)', 'New Value': 'recreated' });
      expect(outboxTexts(rt).join('\n')).toContain(`${name} sheet`);
    },
  );

  test('deleted where no trigger saw it: a Tier 3 registration recreates Reviews and opens its review', () => {
    const rt = registered();
    const ws = rt.world.spreadsheet;
    ws.sheets = ws.sheets.filter((s) => s.name !== 'Reviews');
    const r = rt.run(
      'registerProject',
      [
        {
          creatorEmail: EMPLOYEE,
          department: 'Finance',
          project: 'Delta',
          businessPurpose: 'Summarises contracts.',
          dataTier: 'Tier 3 - Confidential',
          dataStores: [],
          aiTool: 'Claude Code',
          aiToolVersion: '1.0',
          deploymentStatus: 'Development',
        },
      ],
      EMPLOYEE,
    ) as { ok: boolean; result: { approval: string } };
    expect(r.ok).toBe(true);
    const ids = column(rt, 'Reviews', 'Registry ID');
    expect(ids).toContain('AI-0001');
    expect(ids).toContain('AI-0004');
    const report = rt.clickMenu(CHECK, SECURITY).ui[0].message;
    expect(report).toContain('Daily checks passed.');
  });
});

test('a sheet set up before tags with a header gone: nothing is guessed, the sentence names it', () => {
  const rt = registered();
  delete sheetData(rt, 'Registry').metadata;
  sheetData(rt, 'Registry').grid[0][H.indexOf('Department')]!.v = 'Team';
  const r = rt.run('listMyProjects', [], EMPLOYEE) as { ok: boolean; error: string };
  const mine = rt.run('attestProject', ['AI-0001', 'active'], EMPLOYEE) as {
    ok: boolean;
    error: string;
  };
  expect(mine).toEqual({
    ok: false,
    error:
      'The Registry sheet has no "Department" header, so Governed Path will not guess where it is: ask the security team to run "Set up or repair registry".',
  });
  expect(r.ok).toBe(true);
  // Set up or repair puts it back, tagged, and the data is where it was.
  rt.clickMenu('Security team > Set up or repair registry', SECURITY);
  expect(rt.run('attestProject', ['AI-0001', 'active'], EMPLOYEE)).toMatchObject({ ok: true });
});
