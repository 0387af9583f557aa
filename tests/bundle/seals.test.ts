/**
 * Registry seals (DESIGN §6): the tamper suite through the paths people use. Each attack has
 * its own oracle: the add-on's cells come back exactly as the seal says (owned cells
 * restored), the change is logged as tampering, and honest work raises no alarm.
 */
import { INPUT_FIELDS } from '../../src/domain/entry';
import { AI_TOOLS, headersOf, REGISTRY, REVIEWS } from '../../src/domain/schema';
import type { GasRuntime } from '../../sandbox/gas/runtime';
import { addToSecurityTeam, auditRows, EMPLOYEE, SECURITY, setUpRuntime } from '../helpers';

const H = headersOf(REGISTRY);
const col = (header: string) => String.fromCharCode(65 + H.indexOf(header));
const OWNED = [
  'ID',
  'Registered',
  'Approval',
  'Review Due',
  'Last Confirmed',
  'Checks',
  'Registered By',
];
const MALLORY = 'mallory@example.com';

type Row = Record<string, string>;

function inputs(over: Partial<Row> = {}): string[] {
  const row: Row = {
    'Creator Email': EMPLOYEE,
    Department: 'Support',
    Project: 'Ticket drafter',
    'Business Purpose': 'Drafts first replies to support tickets.',
    'Data Tier': '3',
    'Data Stores': '',
    'AI Tool': 'Claude Code',
    'AI Tool Version': '1.0',
    'Deployment Status': 'dev',
    ...over,
  };
  return INPUT_FIELDS.map((f) => row[f]);
}

/** Three entries: a Tier 3 in review, a Tier 1 approved, a Tier 4 blocked. */
function registered(): GasRuntime {
  const rt = setUpRuntime();
  addToSecurityTeam(rt, SECURITY);
  rt.edit(
    'Registry',
    `C2:K4`,
    [
      inputs(),
      inputs({ Project: 'Mailer', 'Data Tier': '1' }),
      inputs({ Project: 'Card sync', 'Data Tier': '4' }),
    ],
    EMPLOYEE,
  );
  return rt;
}

function rows(rt: GasRuntime): Row[] {
  return rt
    .view('Registry')
    .values.slice(1)
    .map((v) => Object.fromEntries(H.map((h, i) => [h, v[i] ?? ''])))
    .filter((r) => r.ID !== '' || r.Project !== '');
}

function owned(rt: GasRuntime): Row[] {
  return rows(rt).map((r) => Object.fromEntries(OWNED.map((h) => [h, r[h]])));
}

function tampering(rt: GasRuntime): Row[] {
  const { values } = rt.view('Audit Log');
  return values
    .slice(1)
    .map((v) => Object.fromEntries(values[0].map((h, i) => [h, v[i]])))
    .filter((a) => a.Action === 'Tampering reverted');
}

function sealCell(rt: GasRuntime, row: number) {
  const sheet = rt.world.spreadsheet.sheets.find((s) => s.name === 'Registry')!;
  return sheet.grid[row - 1][H.indexOf('Seal')]!;
}

describe('owned cells come back from the seal, however they were changed', () => {
  test.each([
    [
      'typing Approved over a Tier 3 entry in review (self-approval)',
      `${col('Approval')}2`,
      [['Approved']],
    ],
    [
      'pasting over Approval and Checks of several rows',
      `${col('Approval')}2:${col('Approval')}4`,
      [['Approved'], ['Approved'], ['Approved']],
    ],
    [
      'filling Review Due and Last Confirmed down',
      `${col('Review Due')}2:${col('Last Confirmed')}4`,
      [
        ['2030-01-01', '2030-01-01'],
        ['2030-01-01', '2030-01-01'],
        ['2030-01-01', '2030-01-01'],
      ],
    ],
    [
      'clearing the owned cells of a row',
      `${col('Approval')}3:${col('Checks')}3`,
      [['', '', '', '']],
    ],
    ['clearing an ID and its Registered date', `A4:B4`, [['', '']]],
    ['pasting a forged Registered By', `${col('Registered By')}2`, [[MALLORY]]],
    ['swapping two IDs', `A2:A3`, [['AI-0002'], ['AI-0001']]],
  ])('%s', (_name, range, values) => {
    const rt = registered();
    const before = owned(rt);
    rt.edit('Registry', range, values as string[][], MALLORY);
    expect(owned(rt)).toEqual(before);
    expect(tampering(rt).length).toBeGreaterThan(0);
    expect(tampering(rt).every((t) => t.Actor === MALLORY)).toBe(true);
  });

  test('a cleared seal is restored from the audit log’s snapshot of that ID', () => {
    const rt = registered();
    const before = owned(rt);
    delete sealCell(rt, 2).v;
    rt.edit('Registry', `${col('Approval')}2`, [['Approved']], MALLORY);
    expect(owned(rt)).toEqual(before);
    expect(tampering(rt).map((t) => t.Field)).toContain('Seal');
  });

  test('a forged seal (its Approval edited to Approved) is refused and put back from the snapshot', () => {
    const rt = registered();
    const before = owned(rt);
    const cell = sealCell(rt, 2);
    cell.v = String(cell.v).replace('"In Review"', '"Approved"');
    rt.edit('Registry', `${col('Approval')}2`, [['Approved']], MALLORY);
    expect(owned(rt)).toEqual(before);
    expect(rows(rt)[0].Approval).toBe('In Review');
  });

  test('a copied row (seal and all) is a duplicate: it becomes a new entry, the original is untouched', () => {
    const rt = registered();
    const original = rt.view('Registry').values[1];
    const end = col('Seal');
    const sheet = rt.world.spreadsheet.sheets.find((s) => s.name === 'Registry')!;
    const seal = String(sheet.grid[1][H.indexOf('Seal')]!.v);
    const copy = original.slice(0, H.length);
    copy[H.indexOf('Seal')] = seal;
    copy[H.indexOf('Registered')] = original[H.indexOf('Registered')];
    rt.edit('Registry', `A5:${end}5`, [copy], MALLORY);
    const all = rows(rt);
    expect(all.map((r) => r.ID)).toEqual(['AI-0001', 'AI-0002', 'AI-0003', 'AI-0004']);
    expect(all[0].Approval).toBe('In Review');
    expect(all[3]['Registered By']).toBe(MALLORY);
    const log = rt.view('Audit Log').values.map((r) => r[2]);
    expect(log).toContain('Duplicate row');
  });
});

describe('honest work raises no alarm', () => {
  test('a full-width paste of new rows with blank owned cells is not tampering', () => {
    const rt = registered();
    const blank = new Array(H.length).fill('');
    const row = (p: string) => {
      const r = blank.slice();
      inputs({ Project: p, 'Data Tier': '1' }).forEach((v, i) => (r[2 + i] = v));
      return r;
    };
    rt.edit('Registry', `A5:${col('Seal')}6`, [row('New one'), row('New two')], EMPLOYEE);
    expect(tampering(rt)).toEqual([]);
    expect(rows(rt).map((r) => r.ID)).toEqual([
      'AI-0001',
      'AI-0002',
      'AI-0003',
      'AI-0004',
      'AI-0005',
    ]);
  });

  test('sorting whole rows keeps every seal valid: the daily check passes', () => {
    const rt = registered();
    const sheet = rt.world.spreadsheet.sheets.find((s) => s.name === 'Registry')!;
    [sheet.grid[1], sheet.grid[3]] = [sheet.grid[3], sheet.grid[1]];
    const report = rt.clickMenu('Security team > Run daily checks now', SECURITY).ui[0].message;
    expect(report).toContain('Daily checks passed.');
    expect(tampering(rt)).toEqual([]);
  });

  test('editing a person-filled cell re-seals the row without an alarm', () => {
    const rt = registered();
    rt.edit('Registry', `${col('Project')}3`, [['Mailer v2']], EMPLOYEE);
    expect(tampering(rt)).toEqual([]);
    const report = rt.clickMenu('Security team > Run daily checks now', SECURITY).ui[0].message;
    expect(report).toContain('Daily checks passed.');
  });

  test('Registered By records who registered, apart from the Creator Email they typed', () => {
    const rt = setUpRuntime();
    rt.edit(
      'Registry',
      'C2:K2',
      [inputs({ 'Creator Email': 'ceo@example.com', 'Data Tier': '1' })],
      MALLORY,
    );
    expect(rows(rt)[0]).toMatchObject({
      'Creator Email': 'ceo@example.com',
      'Registered By': MALLORY,
    });
  });

  test('the Seal column is hidden from people', () => {
    const rt = setUpRuntime();
    const sheet = rt.world.spreadsheet.sheets.find((s) => s.name === 'Registry')!;
    expect(sheet.hiddenColumns).toEqual([H.indexOf('Seal') + 1]);
  });
});

describe('Reviews: decisions count only from the security team, and are never erased by a paste', () => {
  const RH = headersOf(REVIEWS);
  const rcol = (h: string) => String.fromCharCode(65 + RH.indexOf(h));
  const review = (rt: GasRuntime) =>
    Object.fromEntries(RH.map((h, i) => [h, rt.view('Reviews').values[1][i] ?? '']));

  test('an employee pasting Approved and a reviewer into their own review is put back', () => {
    const rt = registered();
    const before = review(rt);
    rt.edit(
      'Reviews',
      `${rcol('Status')}2:${rcol('Reviewer')}2`,
      [['Approved', SECURITY]],
      EMPLOYEE,
    );
    expect(review(rt)).toEqual(before);
    expect(rows(rt)[0].Approval).toBe('In Review');
    // And the daily check, which re-decides entries from Reviews, does not approve it either.
    rt.clickMenu('Security team > Run daily checks now', SECURITY);
    expect(rows(rt)[0].Approval).toBe('In Review');
  });

  test('swapping the Registry IDs of two reviews is put back', () => {
    const rt = registered();
    rt.edit('Registry', 'C5:K5', [inputs({ Project: 'Second' })], EMPLOYEE);
    const before = rt.view('Reviews').values.slice(1, 3);
    rt.edit(
      'Reviews',
      `${rcol('Registry ID')}2:${rcol('Registry ID')}3`,
      [['AI-0004'], ['AI-0001']],
      MALLORY,
    );
    expect(rt.view('Reviews').values.slice(1, 3)).toEqual(before);
  });

  test('a Status changed behind the add-on’s back is put back by the daily check', () => {
    const rt = registered();
    const sheet = rt.world.spreadsheet.sheets.find((s) => s.name === 'Reviews')!;
    sheet.grid[1][RH.indexOf('Status')] = { v: 'Approved' };
    const report = rt.clickMenu('Security team > Run daily checks now', SECURITY).ui[0].message;
    expect(report).toContain('Put back 1 Reviews row(s) changed outside Governed Path');
    expect(review(rt).Status).toBe('Open');
    expect(rows(rt)[0].Approval).toBe('In Review');
  });

  test('a security member’s typed decision counts; their note edit is kept and sealed', () => {
    const rt = registered();
    rt.edit('Reviews', `${rcol('Notes')}2`, [['Checked the data flow.']], SECURITY);
    expect(review(rt).Notes).toBe('Checked the data flow.');
    rt.edit('Reviews', `${rcol('Status')}2`, [['Approved']], SECURITY);
    expect(review(rt)).toMatchObject({ Status: 'Approved', Reviewer: SECURITY });
    expect(rows(rt)[0].Approval).toBe('Approved');
    const report = rt.clickMenu('Security team > Run daily checks now', SECURITY).ui[0].message;
    expect(report).toContain('Daily checks passed.');
  });

  test('nobody decides a review of an entry they registered', () => {
    const rt = registered();
    // The security member registers a Tier 3 project of their own.
    rt.edit(
      'Registry',
      'C5:K5',
      [inputs({ 'Creator Email': SECURITY, Project: 'Mine' })],
      SECURITY,
    );
    const id = rows(rt).find((r) => r.Project === 'Mine')!.ID;
    const reviewId = rt.view('Reviews').values.find((r) => r[1] === id)![0];
    expect(rt.run('decideReview', [reviewId, { decision: 'Approved' }], SECURITY)).toEqual({
      ok: false,
      error: `You own ${id} (you registered it, created it or co-own it), so another security-team member must decide its review.`,
    });
  });
});

describe('catalog facts change only by the security team', () => {
  const TH = headersOf(AI_TOOLS);
  const tcol = (h: string) => String.fromCharCode(65 + TH.indexOf(h));
  const tier2 = (rt: GasRuntime, row: number, tool: string) =>
    rt.edit(
      'Registry',
      `C${row}:K${row}`,
      [inputs({ Project: `P${row}`, 'Data Tier': '2', 'AI Tool': tool })],
      EMPLOYEE,
    );
  const approveClaude = (rt: GasRuntime, who: string) =>
    rt.edit(
      'AI Tools',
      `${tcol('Status')}2:${tcol('SOC 2 Type II Verified')}2`,
      [['Approved', '3', '2026-06-01']],
      who,
    );

  test('an employee marking a tool Approved is put back, and the policy does not believe it', () => {
    const rt = setUpRuntime();
    approveClaude(rt, MALLORY);
    expect(rt.view('AI Tools').values[1].slice(2, 5)).toEqual(['Pending', '', '']);
    tier2(rt, 2, 'Claude Code');
    expect(rows(rt)[0].Approval).toBe('Needs Info');
    expect(tampering(rt).map((t) => t.Field)).toContain('AI Tools!Status row 2');
  });

  test('a security member’s change is the new fact: sealed in, and the policy follows', () => {
    const rt = setUpRuntime();
    addToSecurityTeam(rt, SECURITY);
    approveClaude(rt, SECURITY);
    tier2(rt, 2, 'Claude Code');
    expect(rows(rt)[0].Approval).toBe('Approved');
    expect(tampering(rt)).toEqual([]);
    const report = rt.clickMenu('Security team > Run daily checks now', SECURITY).ui[0].message;
    expect(report).toContain('Daily checks passed.');
  });

  test('a fact written behind the add-on’s back is not believed, and the daily check puts it back', () => {
    const rt = setUpRuntime();
    addToSecurityTeam(rt, SECURITY);
    const sheet = rt.world.spreadsheet.sheets.find((s) => s.name === 'AI Tools')!;
    sheet.grid[1][TH.indexOf('Status')] = { v: 'Approved' };
    sheet.grid[1][TH.indexOf('Max Tier')] = { v: 3 };
    tier2(rt, 2, 'Claude Code');
    expect(rows(rt)[0].Approval).toBe('Needs Info');
    const report = rt.clickMenu('Security team > Run daily checks now', SECURITY).ui[0].message;
    expect(report).toContain('Put back the catalog facts of 1 AI Tools row(s)');
    expect(rt.view('AI Tools').values[1][2]).toBe('Pending');
  });

  test('an employee declassifying a data store is put back; the store still raises the tier', () => {
    const rt = setUpRuntime();
    addToSecurityTeam(rt, SECURITY);
    rt.edit(
      'Data Stores',
      'A2:D2',
      [['HR Database', 'hr@example.com', 'Tier 3 - Confidential', '']],
      SECURITY,
    );
    rt.edit('Data Stores', 'C2', [['Tier 1 - Public']], MALLORY);
    expect(rt.view('Data Stores').values[1][2]).toBe('Tier 3 - Confidential');
    rt.edit(
      'Registry',
      'C2:K2',
      [inputs({ 'Data Tier': '1', 'Data Stores': 'HR Database' })],
      EMPLOYEE,
    );
    expect(rows(rt)[0]['Data Tier']).toBe('Tier 3 - Confidential');
  });

  test('a new tool row added by an employee keeps its name, not its claimed approval', () => {
    const rt = setUpRuntime();
    rt.edit(
      'AI Tools',
      `A5:${tcol('Max Tier')}5`,
      [['Shadow AI', 'Nobody', 'Approved', '3']],
      MALLORY,
    );
    expect(rt.view('AI Tools').values[4].slice(0, 4)).toEqual(['Shadow AI', 'Nobody', '', '']);
    tier2(rt, 2, 'Shadow AI');
    expect(rows(rt)[0].Approval).toBe('Needs Info');
  });
});

describe('a catalog fact cannot be erased by deleting its row', () => {
  const store = (rt: GasRuntime) =>
    rt.edit(
      'Data Stores',
      'A2:D2',
      [['HR Database', 'hr@example.com', 'Tier 3 - Confidential', 'Payroll and reviews']],
      SECURITY,
    );

  test('a data store deleted by an employee comes back whole, and still raises the tier', () => {
    const rt = setUpRuntime();
    addToSecurityTeam(rt, SECURITY);
    store(rt);
    rt.deleteRows('Data Stores', 2, 1, MALLORY);
    const back = rt.view('Data Stores').values.find((r) => r[0] === 'HR Database');
    expect(back?.slice(0, 4)).toEqual([
      'HR Database',
      'hr@example.com',
      'Tier 3 - Confidential',
      'Payroll and reviews',
    ]);
    rt.edit(
      'Registry',
      'C2:K2',
      [inputs({ 'Data Tier': '1', 'Data Stores': 'HR Database' })],
      EMPLOYEE,
    );
    expect(rows(rt)[0]['Data Tier']).toBe('Tier 3 - Confidential');
  });

  test('a tool row deleted where no trigger saw it is restored by the daily check', () => {
    const rt = setUpRuntime();
    addToSecurityTeam(rt, SECURITY);
    const sheet = rt.world.spreadsheet.sheets.find((s) => s.name === 'AI Tools')!;
    const name = String(sheet.grid[1][0]!.v);
    sheet.grid.splice(1, 1); // through the API
    const report = rt.clickMenu('Security team > Run daily checks now', SECURITY).ui[0].message;
    expect(report).toContain(`Restored 1 deleted AI Tools row(s) from the audit log: ${name}.`);
    expect(rt.view('AI Tools').values.some((r) => r[0] === name)).toBe(true);
  });

  test('a security-team member may remove a store; a renamed tool is not brought back under its old name', () => {
    const rt = setUpRuntime();
    addToSecurityTeam(rt, SECURITY);
    store(rt);
    rt.deleteRows('Data Stores', 2, 1, SECURITY);
    expect(rt.view('Data Stores').values.some((r) => r[0] === 'HR Database')).toBe(false);
    const tools = rt.view('AI Tools').values;
    const old = tools[1][0];
    rt.edit('AI Tools', 'A2', [['Renamed tool']], SECURITY);
    const report = rt.clickMenu('Security team > Run daily checks now', SECURITY).ui[0].message;
    expect(report).toContain('Daily checks passed.');
    expect(rt.view('AI Tools').values.filter((r) => r[0] === old)).toEqual([]);
    expect(rt.view('Data Stores').values.some((r) => r[0] === 'HR Database')).toBe(false);
  });
});

describe('a decision cannot be erased by deleting its row', () => {
  test('a deleted Reviews row holding a Rejected decision is restored, and the entry stays Rejected', () => {
    const rt = registered();
    const RH = headersOf(REVIEWS);
    expect(
      rt.run(
        'decideReview',
        ['R-0001', { decision: 'Rejected', note: 'Customer data may not leave the EU.' }],
        SECURITY,
      ),
    ).toMatchObject({ ok: true });
    const decided = rt.view('Reviews').values[1].slice(0, RH.length - 1);
    rt.deleteRows('Reviews', 2, 1, EMPLOYEE);
    expect(rt.view('Reviews').values[1].slice(0, RH.length - 1)).toEqual(decided);
    rt.clickMenu('Security team > Run daily checks now', SECURITY);
    expect(rows(rt)[0].Approval).toBe('Rejected');
  });

  test('rows deleted while no trigger saw it come back with the daily check', () => {
    const rt = registered();
    const before = rows(rt);
    const sheet = rt.world.spreadsheet.sheets.find((s) => s.name === 'Registry')!;
    sheet.grid.splice(1, 2); // two rows gone, no change event
    const report = rt.clickMenu('Security team > Run daily checks now', SECURITY).ui[0].message;
    expect(report).toContain(
      'Restored 2 deleted Registry row(s) from the audit log: AI-0001, AI-0002.',
    );
    expect(
      rows(rt)
        .map((r) => r.ID)
        .sort(),
    ).toEqual(before.map((r) => r.ID));
    // As it was (the daily re-decision may seal it again: only the seal's sequence differs).
    const { Seal: _s1, ...restored } = rows(rt).find((r) => r.ID === 'AI-0001')!;
    const { Seal: _s2, ...original } = before[0];
    expect(restored).toEqual(original);
  });
});

describe('an older sealed row pasted back (replay)', () => {
  test('is put back to the latest by the daily check, inputs included', () => {
    const rt = registered();
    const sheet = rt.world.spreadsheet.sheets.find((s) => s.name === 'Registry')!;
    const old = JSON.parse(JSON.stringify(sheet.grid[2])); // Mailer, Tier 1, as first sealed
    rt.edit('Registry', `${col('Data Tier')}3`, [['3']], EMPLOYEE); // now Tier 3, in review
    const latest = rows(rt)[1];
    expect(latest.Approval).toBe('In Review');
    sheet.grid[2] = old; // the old row, seal and all, pasted back over it
    expect(rows(rt)[1].Approval).toBe('Approved');
    const report = rt.clickMenu('Security team > Run daily checks now', SECURITY).ui[0].message;
    expect(report).toContain(
      'Put back 1 Registry row(s) pasted back from an older version: row 3.',
    );
    const { Seal: _a, ...now } = rows(rt)[1];
    const { Seal: _b, ...expected } = latest;
    expect(now).toEqual(expected);
  });
});

describe('one-cell pastes (Sheets reports no value and no old value)', () => {
  test('a security member’s pasted Status is a decision, whatever its case; a word that is not one is put back with a sentence', () => {
    const rt = registered();
    const reviews = rt.view('Reviews').values;
    const at = (h: string) => String.fromCharCode(65 + reviews[0].indexOf(h));
    rt.edit(
      'Reviews',
      `${at('Threat Model')}2`,
      [['https://wiki.example.com/tm']],
      SECURITY,
      'paste',
    );
    const odd = rt.edit('Reviews', `${at('Status')}2`, [['maybe']], SECURITY, 'paste');
    expect(odd.executions.flatMap((e) => e.ui.map((u) => u.message))).toContain(
      '"maybe" is not a decision: type Approved, Changes Requested or Rejected, or use the Review queue.',
    );
    expect(rt.view('Reviews').values[1][reviews[0].indexOf('Status')]).toBe('Open');
    rt.edit('Reviews', `${at('Status')}2`, [['approved']], SECURITY, 'paste');
    expect(rt.view('Reviews').values[1][reviews[0].indexOf('Status')]).toBe('Approved');
    expect(rows(rt)[0].Approval).toBe('Approved');
  });

  test('an employee’s one-cell paste over Approval is put back; a pasted input is logged as pasted', () => {
    const rt = registered();
    rt.edit('Registry', `${col('Approval')}2`, [['Approved']], EMPLOYEE, 'paste');
    expect(rows(rt)[0].Approval).toBe('In Review');
    rt.edit('Registry', `${col('Deployment Status')}3`, [['Production']], EMPLOYEE, 'paste');
    expect(auditRows(rt, 'Edited').pop()).toMatchObject({
      Field: 'Deployment Status',
      'Old Value': '(not reported: pasted)',
      'New Value': 'Production',
    });
  });
});
