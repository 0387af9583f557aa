/**
 * Attacks on header repair (issue 15, deliverable 1). Each failed before its fix (a helper’s attack on issue 15’s changes).
 */
import type { GasRuntime } from '../../sandbox/gas/runtime';
import {
  addToSecurityTeam,
  auditRows,
  EMPLOYEE,
  registryInputs,
  SECURITY,
  setUpRuntime,
} from '../helpers';

const MALLORY = 'mallory@example.com';

function registered(): GasRuntime {
  const rt = setUpRuntime();
  addToSecurityTeam(rt, SECURITY);
  rt.edit(
    'Registry',
    'C2:K4',
    [
      registryInputs({ Project: 'Alpha', 'Data Tier': '3', Department: 'Finance' }),
      registryInputs({ Project: 'Beta', Department: 'Sales' }),
      registryInputs({ Project: 'Gamma', 'AI Tool Version': '2.0', Department: 'Legal' }),
    ],
    EMPLOYEE,
  );
  const decided = rt.run(
    'decideReview',
    ['R-0001', { decision: 'Approved', note: 'Fine.', threatModel: '' }],
    SECURITY,
  );
  expect(decided.ok).toBe(true);
  return rt;
}

const columnOf = (rt: GasRuntime, sheet: string, header: string) =>
  rt.view(sheet).values[0].indexOf(header) + 1;

const headerTampering = (rt: GasRuntime) =>
  auditRows(rt, 'Tampering reverted').filter((a) => a.Field.endsWith(' header'));

describe('the ID and Seal columns deleted in one go (Seal dragged next to ID first)', () => {
  test.each([
    ['Registry', 'ID'],
    ['Reviews', 'Review ID'],
  ])('%s: both come back with their values, no entry re-issued or duplicated', (sheet, id) => {
    const rt = registered();
    const before = rt.view(sheet).values;
    const registryBefore = rt.view('Registry').values;
    // A person unhides nothing: dragging the (hidden) Seal column beside the ID column and
    // deleting the two adjacent columns is one structural change, seen by one change trigger.
    expect(rt.moveColumns(sheet, columnOf(rt, sheet, 'Seal'), 1, 2, MALLORY).ok).toBe(true);
    expect(rt.view(sheet).values[0].slice(0, 2)).toEqual([id, 'Seal']);
    expect(rt.deleteColumns(sheet, 1, 2, MALLORY).ok).toBe(true);
    // The next execution anyone makes (here the daily check) sees the repaired sheet.
    rt.clickMenu('Security team > Run daily checks now', SECURITY);
    const after = rt.view(sheet).values;
    // Same rows, same IDs, in the same order (Seal back at its place, hidden).
    expect(after.map((r) => r[0])).toEqual(before.map((r) => r[0]));
    expect(after).toHaveLength(before.length);
    // No entry was re-registered under a new ID, and none came back twice.
    expect(rt.view('Registry').values.map((r) => r[0])).toEqual(registryBefore.map((r) => r[0]));
    expect(auditRows(rt, 'Row restored')).toEqual([]);
    expect(auditRows(rt, 'ID assigned')).toEqual([]);
    expect(rt.view('Registry').values[1][11]).toBe('Approved'); // AI-0001 keeps its approval
  });
});

test('a column deleted while the registry is busy and put back by an employee’s sidebar is logged', () => {
  const rt = registered();
  // Another execution holds the document lock: the change trigger cannot take the registry
  // and leaves the repair to "the next execution that reads the sheets".
  rt.holdLock('document', Date.parse('2026-11-24T15:10:00Z'));
  const maxTier = columnOf(rt, 'AI Tools', 'Max Tier');
  expect(rt.deleteColumns('AI Tools', maxTier, 1, MALLORY).ok).toBe(true);
  // Mallory opens the sidebar: its data call reads the catalog and repairs the column.
  const data = rt.run('getSidebarData', [], MALLORY) as { ok: boolean };
  expect(data.ok).toBe(true);
  expect(rt.view('AI Tools').values[0][maxTier - 1]).toBe('Max Tier');
  rt.advance(15 * 60 * 1000);
  rt.clickMenu('Security team > Run daily checks now', SECURITY);
  // The deletion was tampering: it must be in the Audit Log and alerted, like any other repair.
  expect(headerTampering(rt)).toEqual([
    expect.objectContaining({ Field: 'AI Tools header', 'Old Value': '(column deleted)' }),
  ]);
});
