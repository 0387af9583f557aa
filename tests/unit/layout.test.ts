import { planHeaders } from '../../src/domain/layout';
import { REGISTRY, type SheetSpec } from '../../src/domain/schema';

const SPEC: SheetSpec = {
  name: 'T',
  columns: [
    { header: 'ID', kind: 'text' },
    { header: 'Data Tier', kind: 'text' },
    { header: 'Approval', kind: 'text' },
  ],
};

describe('planHeaders', () => {
  test.each([
    [
      'an empty sheet gets every header',
      [],
      0,
      { ID: 0, 'Data Tier': 1, Approval: 2 },
      ['ID', 'Data Tier', 'Approval'],
      [],
    ],
    [
      'a complete header row needs nothing',
      ['ID', 'Data Tier', 'Approval'],
      3,
      { ID: 0, 'Data Tier': 1, Approval: 2 },
      [],
      [],
    ],
    [
      'reordered columns are found by header',
      ['Approval', 'ID', 'Data Tier'],
      3,
      { Approval: 0, ID: 1, 'Data Tier': 2 },
      [],
      [],
    ],
    [
      'people’s columns are kept; missing headers go after them',
      ['Notes', 'ID'],
      2,
      { ID: 1, 'Data Tier': 2, Approval: 3 },
      ['Data Tier', 'Approval'],
      [],
    ],
    [
      'a data column without a header is not overwritten',
      ['ID'],
      4,
      { ID: 0, 'Data Tier': 4, Approval: 5 },
      ['Data Tier', 'Approval'],
      [],
    ],
    [
      'case and spacing differences match loosely and are corrected',
      [' data  tier', 'ID', 'APPROVAL'],
      3,
      { 'Data Tier': 0, ID: 1, Approval: 2 },
      [],
      ['Data Tier', 'Approval'],
    ],
    [
      'trailing blank header cells do not count',
      ['ID', '', ''],
      1,
      { ID: 0, 'Data Tier': 1, Approval: 2 },
      ['Data Tier', 'Approval'],
      [],
    ],
  ])('%s', (_name, existing, lastUsed, columns, missing, renamed) => {
    const plan = planHeaders(existing, SPEC, lastUsed);
    expect(plan.columns).toEqual(columns);
    expect(plan.missing).toEqual(missing);
    expect(plan.renames.map((r) => r.header)).toEqual(renamed);
  });

  test('an exact match wins over an earlier loose one, and duplicates are reported', () => {
    const plan = planHeaders(['approval', 'Approval', 'ID', 'ID'], SPEC);
    expect(plan.columns.Approval).toBe(1);
    expect(plan.columns.ID).toBe(2);
    expect(plan.renames).toEqual([]);
    expect(plan.duplicates).toEqual(['ID', 'Approval']);
  });

  test('the Registry spec has the 17 headers of DESIGN §2 in order (Seal last, hidden)', () => {
    expect(planHeaders([], REGISTRY).missing).toEqual([
      'ID',
      'Registered',
      'Creator Email',
      'Department',
      'Project',
      'Business Purpose',
      'Data Tier',
      'Data Stores',
      'AI Tool',
      'AI Tool Version',
      'Deployment Status',
      'Approval',
      'Review Due',
      'Last Confirmed',
      'Checks',
      'Registered By',
      'Seal',
    ]);
  });
});
