import { checkHeaders, planHeaders } from '../../src/domain/layout';
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

  test('the Registry spec has the 17 headers of DESIGN §2 and issue 17’s Co-owners in order (Seal last, hidden)', () => {
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
      'Co-owners',
      'Seal',
    ]);
  });
});

describe('checkHeaders: tags first, text only on an untagged sheet', () => {
  const tags = (...headers: string[]) => headers.map((header, index) => ({ header, index }));
  test.each([
    {
      name: 'a tagged row that agrees needs nothing',
      cells: ['ID', 'Data Tier', 'Approval'],
      tags: tags('ID', 'Data Tier', 'Approval'),
      columns: { ID: 0, 'Data Tier': 1, Approval: 2 },
    },
    {
      name: 'a renamed header is restored where its tag is',
      cells: ['ID', 'Sensitivity', 'Approval'],
      tags: tags('ID', 'Data Tier', 'Approval'),
      columns: { ID: 0, 'Data Tier': 1, Approval: 2 },
      restore: [{ index: 1, header: 'Data Tier', was: 'Sensitivity' }],
    },
    {
      name: 'swapped texts: both restored, the tags decide',
      cells: ['ID', 'Approval', 'Data Tier'],
      tags: tags('ID', 'Data Tier', 'Approval'),
      columns: { ID: 0, 'Data Tier': 1, Approval: 2 },
      restore: [
        { index: 1, header: 'Data Tier', was: 'Approval' },
        { index: 2, header: 'Approval', was: 'Data Tier' },
      ],
    },
    {
      name: 'moved columns are found by their tags',
      cells: ['Approval', 'ID', 'Data Tier'],
      tags: [
        { header: 'Approval', index: 0 },
        { header: 'ID', index: 1 },
        { header: 'Data Tier', index: 2 },
      ],
      columns: { ID: 1, 'Data Tier': 2, Approval: 0 },
    },
    {
      name: 'a deleted column is missing, and its text elsewhere is a duplicate, not a guess',
      cells: ['ID', 'Approval', 'Data Tier'],
      tags: [
        { header: 'ID', index: 0 },
        { header: 'Approval', index: 1 },
      ],
      columns: { ID: 0, Approval: 1 },
      duplicates: [{ index: 2, header: 'Data Tier', was: 'Data Tier' }],
      missing: ['Data Tier'],
    },
    {
      name: 'an untagged sheet is read by text (exact, then loose) and tagged',
      cells: ['Mine', 'approval', 'ID', 'Data Tier'],
      tags: [],
      columns: { ID: 2, 'Data Tier': 3, Approval: 1 },
      restore: [{ index: 1, header: 'Approval', was: 'approval' }],
      untagged: ['ID', 'Data Tier', 'Approval'],
    },
    {
      name: 'an untagged sheet missing a header cannot be placed',
      cells: ['ID', 'Approval'],
      tags: [],
      columns: { ID: 0, Approval: 1 },
      untagged: ['ID', 'Approval'],
      missing: ['Data Tier'],
    },
    {
      name: 'a duplicate in a person’s column is found; the tagged one is kept',
      cells: ['ID', 'Data Tier', 'Approval', ' approval '],
      tags: tags('ID', 'Data Tier', 'Approval'),
      columns: { ID: 0, 'Data Tier': 1, Approval: 2 },
      duplicates: [{ index: 3, header: 'Approval', was: ' approval ' }],
    },
    {
      name: 'stray tags (unknown header, a second tag) are reported',
      cells: ['ID', 'Data Tier', 'Approval'],
      tags: [
        ...tags('ID', 'Data Tier', 'Approval'),
        { header: 'Old', index: 1 },
        { header: 'ID', index: 2 },
      ],
      columns: { ID: 0, 'Data Tier': 1, Approval: 2 },
      strayTags: [3, 4],
    },
  ])('$name', (c) => {
    const check = checkHeaders(c.cells, SPEC, c.tags);
    expect(check.columns).toEqual(c.columns);
    expect(check.restore).toEqual(c.restore ?? []);
    expect(check.duplicates).toEqual(c.duplicates ?? []);
    expect(check.untagged).toEqual(c.untagged ?? []);
    expect(check.missing).toEqual(c.missing ?? []);
    expect(check.strayTags).toEqual(c.strayTags ?? []);
  });
});
