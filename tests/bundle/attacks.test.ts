/**
 * Attacks found by an adversarial review of the sealed registry (issue 12), each kept as a
 * regression test with its own oracle, and the honest work that must stay silent.
 */
import { headersOf, REGISTRY } from '../../src/domain/schema';
import type { GasRuntime } from '../../sandbox/gas/runtime';
import {
  addToSecurityTeam,
  auditRows,
  EMPLOYEE,
  registryInputs,
  SECURITY,
  setUpRuntime,
} from '../helpers';

const H = headersOf(REGISTRY);
const letter = (header: string) => String.fromCharCode(65 + H.indexOf(header));
const MALLORY = 'mallory@example.com';
const CHECK = 'Security team > Run daily checks now';

function registered(): GasRuntime {
  const rt = setUpRuntime();
  addToSecurityTeam(rt, SECURITY);
  rt.edit(
    'Registry',
    'C2:K4',
    [
      registryInputs({ Project: 'Alpha', 'Data Tier': '3' }),
      registryInputs({ Project: 'Beta', 'AI Tool Version': '1.0' }),
      registryInputs({ Project: 'Gamma', 'AI Tool Version': '2.0' }),
    ],
    EMPLOYEE,
  );
  return rt;
}

const cell = (rt: GasRuntime, sheet: string, row: number, header: string) => {
  const { values } = rt.view(sheet);
  return values[row - 1][values[0].indexOf(header)];
};
const tampering = (rt: GasRuntime) => auditRows(rt, 'Tampering reverted');

describe('headers are part of the guard', () => {
  test('renaming the hidden Seal header is put back at once; the guard stays on', () => {
    const rt = registered();
    rt.edit('Registry', `${letter('Seal')}1`, [['Notes']], MALLORY);
    expect(rt.view('Registry').values[0][H.indexOf('Seal')]).toBe('Seal');
    expect(tampering(rt).map((a) => a.Field)).toContain('Registry header');
    rt.edit('Registry', `${letter('Approval')}2`, [['Approved']], MALLORY);
    expect(cell(rt, 'Registry', 2, 'Approval')).toBe('In Review');
  });

  test('a header renamed where no trigger saw it is put back by the hourly sweep', () => {
    const rt = registered();
    rt.advance(3600 * 1000); // the sweep learns the layout
    const sheet = rt.world.spreadsheet.sheets.find((s) => s.name === 'Data Stores')!;
    sheet.grid[0][2]!.v = 'Sensitivity';
    rt.advance(3600 * 1000);
    expect(rt.view('Data Stores').values[0][2]).toBe('Tier');
    const report = rt.clickMenu(CHECK, SECURITY).ui[0].message;
    expect(report).toContain('Daily checks passed.');
  });
});

test('an unclassified duplicate of a store’s name, sorted above it, does not hide its tier', () => {
  const rt = registered();
  rt.edit(
    'Data Stores',
    'A2:D2',
    [['HR Database', 'hr@example.com', 'Tier 4 - Regulated', 'Payroll']],
    SECURITY,
  );
  rt.edit('Data Stores', 'A3:D3', [['HR database', 'me', '', '']], MALLORY);
  rt.sort('Data Stores', 'A2:E3', 1, false, MALLORY);
  rt.edit(
    'Registry',
    'C5:K5',
    [registryInputs({ Project: 'Payroll bot', 'Data Stores': 'HR Database' })],
    MALLORY,
  );
  expect(cell(rt, 'Registry', 5, 'Approval')).toBe('Blocked');
});

describe('an older authentic seal pasted back is a replay', () => {
  test('it cannot bring back a removed co-owner', () => {
    const rt = registered();
    rt.run('setCoOwners', ['AI-0002', [MALLORY]], EMPLOYEE);
    const old = cell(rt, 'Registry', 3, 'Seal');
    rt.run('setCoOwners', ['AI-0002', []], EMPLOYEE);
    rt.edit('Registry', `${letter('Seal')}3`, [[old]], MALLORY);
    const mine = rt.run('listMyProjects', [], MALLORY) as { result: unknown[] };
    expect(mine.result).toEqual([]);
    expect(rt.run('attestProject', ['AI-0002', 'decommission'], MALLORY)).toMatchObject({
      ok: false,
    });
    expect(tampering(rt).map((a) => a.Field)).toContain('Seal');
  });

  test('it cannot bring back an approval the inputs no longer earn', () => {
    const rt = registered();
    const old = cell(rt, 'Registry', 3, 'Seal');
    expect(cell(rt, 'Registry', 3, 'Approval')).toBe('Approved');
    rt.edit('Registry', `${letter('Data Tier')}3`, [['2']], EMPLOYEE); // Claude Code is Pending
    expect(cell(rt, 'Registry', 3, 'Approval')).toBe('Needs Info');
    rt.edit('Registry', `${letter('Seal')}3`, [[old]], MALLORY);
    expect(cell(rt, 'Registry', 3, 'Approval')).toBe('Needs Info');
    expect(rt.clickMenu(CHECK, SECURITY).ui[0].message).toContain('Daily checks passed.');
  });

  test('an older Reviews seal cannot reopen a decided review', () => {
    const rt = registered();
    const { values } = rt.view('Reviews');
    const sealCol = String.fromCharCode(65 + values[0].indexOf('Seal'));
    const old = cell(rt, 'Reviews', 2, 'Seal');
    rt.run(
      'decideReview',
      ['R-0001', { decision: 'Rejected', note: 'No.', threatModel: '' }],
      SECURITY,
    );
    rt.edit('Reviews', `${sealCol}2`, [[old]], MALLORY);
    expect(cell(rt, 'Reviews', 2, 'Status')).toBe('Rejected');
    expect(cell(rt, 'Registry', 2, 'Approval')).toBe('Rejected');
  });
});

test('a sidebar change never seals owned cells written behind the add-on’s back', () => {
  const rt = registered();
  const sheet = rt.world.spreadsheet.sheets.find((s) => s.name === 'Registry')!;
  sheet.grid[1][H.indexOf('Approval')]!.v = 'Approved'; // the Tier 3 entry, no trigger
  rt.run('attestProject', ['AI-0001', 'active'], EMPLOYEE);
  expect(cell(rt, 'Registry', 2, 'Approval')).toBe('In Review');
  rt.run('setCoOwners', ['AI-0001', []], EMPLOYEE);
  expect(cell(rt, 'Registry', 2, 'Approval')).toBe('In Review');
  expect(rt.clickMenu(CHECK, SECURITY).ui[0].message).toContain('Daily checks passed.');
});

describe('honest work stays silent', () => {
  test('two values swapped in one column by a paste are an edit, not a sort', () => {
    const rt = registered();
    const col = letter('AI Tool Version');
    rt.edit('Registry', `${col}3:${col}4`, [['2.0'], ['1.0']], EMPLOYEE);
    expect(tampering(rt)).toEqual([]);
    expect(cell(rt, 'Registry', 3, 'AI Tool Version')).toBe('2.0');
  });

  test('sorting every visible column (the hidden Seal left out) keeps every seal with its row', () => {
    const rt = registered();
    const lastVisible = String.fromCharCode(65 + H.indexOf('Seal') - 1);
    rt.sort('Registry', `A2:${lastVisible}4`, H.indexOf('Project') + 1, false, EMPLOYEE);
    expect(
      rt
        .view('Registry')
        .values.slice(1, 4)
        .map((r) => r[H.indexOf('Project')]),
    ).toEqual(['Gamma', 'Beta', 'Alpha']);
    expect(tampering(rt)).toEqual([]);
    rt.advance(3600 * 1000);
    expect(tampering(rt)).toEqual([]);
    expect(rt.clickMenu(CHECK, SECURITY).ui[0].message).toContain('Daily checks passed.');
  });
});

test('a cut-and-move of an owned cell (Sheets reports only the destination) comes back on both ends', () => {
  const rt = registered();
  const sheet = rt.world.spreadsheet.sheets.find((s) => s.name === 'Registry')!;
  const approval = H.indexOf('Approval');
  const moved = String(cell(rt, 'Registry', 2, 'Approval'));
  sheet.grid[1][approval] = { v: '' }; // the source is emptied without an event…
  rt.edit('Registry', `${letter('Approval')}3`, [[moved]], MALLORY); // …the destination is reported
  expect(cell(rt, 'Registry', 3, 'Approval')).toBe('Approved');
  rt.advance(3600 * 1000); // the sweep finds the source
  expect(cell(rt, 'Registry', 2, 'Approval')).toBe('In Review');
  expect(rt.clickMenu(CHECK, SECURITY).ui[0].message).toContain('Daily checks passed.');
});
