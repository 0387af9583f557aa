import {
  catalogTool,
  dateOrderOf,
  emailIn,
  entryKey,
  findHeaderRow,
  guessMapping,
  importStatus,
  importTier,
  InventoryError,
  parseCsv,
  parseLooseDate,
  planImport,
  readMapping,
  readRows,
  type SourceCell,
} from '../../src/domain/inventory';

describe('parseCsv', () => {
  test.each<[string, string, string[][]]>([
    [
      'plain',
      'a,b\n1,2',
      [
        ['a', 'b'],
        ['1', '2'],
      ],
    ],
    [
      'CRLF and a last line end',
      'a,b\r\n1,2\r\n',
      [
        ['a', 'b'],
        ['1', '2'],
      ],
    ],
    [
      'lone CR',
      'a,b\r1,2',
      [
        ['a', 'b'],
        ['1', '2'],
      ],
    ],
    ['quoted comma', '"x, y",z', [['x, y', 'z']]],
    ['doubled quote', '"say ""hi""",z', [['say "hi"', 'z']]],
    [
      'line break in quotes',
      '"one\ntwo",z\n3,4',
      [
        ['one\ntwo', 'z'],
        ['3', '4'],
      ],
    ],
    [
      'byte order mark',
      '\ufeffa,b\n1,2',
      [
        ['a', 'b'],
        ['1', '2'],
      ],
    ],
    [
      'semicolons',
      'a;b;c\n1;2;3',
      [
        ['a', 'b', 'c'],
        ['1', '2', '3'],
      ],
    ],
    [
      'tabs',
      'a\tb\n1\t2',
      [
        ['a', 'b'],
        ['1', '2'],
      ],
    ],
    [
      'comma inside quotes does not decide',
      '"a;b",c,d\n1,2,3',
      [
        ['a;b', 'c', 'd'],
        ['1', '2', '3'],
      ],
    ],
    [
      'empty fields',
      'a,,c\n,,',
      [
        ['a', '', 'c'],
        ['', '', ''],
      ],
    ],
    ['a quote inside a field is text', 'a 5" screen,b', [['a 5" screen', 'b']]],
    ['one column', 'name\nx', [['name'], ['x']]],
  ])('%s', (_, text, rows) => {
    expect(parseCsv(text)).toEqual(rows);
  });

  test.each<[string, string]>([
    ['', 'the box is empty'],
    ['   \n ', 'the box is empty'],
    ['a,b\n"open,1\n2,3', 'never ends (it starts on line 2)'],
  ])('%j is refused with a sentence', (text, sentence) => {
    expect(() => parseCsv(text)).toThrow(InventoryError);
    expect(() => parseCsv(text)).toThrow(sentence);
  });

  it('refuses more rows than an import takes', () => {
    expect(() => parseCsv('a\n'.repeat(20100))).toThrow('more than 20,000 rows');
  });
});

describe('headers and guesses', () => {
  it('finds the header row under a title', () => {
    expect(
      findHeaderRow([['Inventory 2025'], [], ['Project name', 'Owner email', 'Tier'], ['x']]),
    ).toBe(2);
    expect(
      findHeaderRow([
        ['', ''],
        ['just', 'data'],
      ]),
    ).toBe(1);
  });

  test.each<[string, string]>([
    ['Owner / Creator Email', 'Creator Email'],
    ['Project name (app)', 'Project'],
    ['Dept.', 'Department'],
    ['What does it do?', 'Business Purpose'],
    ['Data classification level', 'Data Tier'],
    ['Systems / data sources', 'Data Stores'],
    ['AI assistant used', 'AI Tool'],
    ['Tool version', 'AI Tool Version'],
    ['Prod / Dev status', 'Deployment Status'],
    ['Date added', 'First Recorded'],
    ['REPO', 'Project'],
  ])('%s → %s', (header, field) => {
    const { mapping } = guessMapping([header], []);
    expect(Object.entries(mapping)).toEqual([[field, 0]]);
  });

  it('gives each column one field, longest wording first', () => {
    const { mapping } = guessMapping(['Tool', 'Tool version', 'Name'], []);
    expect(mapping).toEqual({ 'AI Tool': 0, 'AI Tool Version': 1, Project: 2 });
  });

  it('guesses from values where no header says', () => {
    const samples: SourceCell[][] = [
      ['x', 'a@example.com', 'Confidential', '2024-01-02', 'live'],
      ['y', 'b@example.com', 'Public', '2024-02-03', 'dev'],
    ];
    const guess = guessMapping(['Thing', 'Col B', 'Col C', 'Col D', 'Col E'], samples);
    expect(guess.mapping).toEqual({
      'Creator Email': 1,
      'Data Tier': 2,
      'First Recorded': 3,
      'Deployment Status': 4,
    });
    expect(guess.why['Creator Email']).toBe('values');
  });
});

describe('values', () => {
  test.each<[string, string]>([
    ['Jane Doe <Jane@Example.com>', 'jane@example.com'],
    ['jane@example.com; bob@example.com', 'jane@example.com'],
    ['mailto: jane@example.com.', 'jane@example.com'],
    ['IT team', ''],
  ])('email in %j', (text, email) => expect(emailIn(text)).toBe(email));

  test.each<[SourceCell, string | null]>([
    ['Public', 'Tier 1 - Public'],
    ['internal only', 'Tier 2 - Internal'],
    ['Sensitive', 'Tier 3 - Confidential'],
    ['Restricted', 'Tier 4 - Regulated'],
    ['PCI', 'Tier 4 - Regulated'],
    [3, 'Tier 3 - Confidential'],
    ['T2', 'Tier 2 - Internal'],
    ['maybe', null],
  ])('tier %j', (v, tier) => expect(importTier(v)).toBe(tier));

  test.each<[string, string | null]>([
    ['Live', 'Production'],
    ['In production', 'Production'],
    ['Pilot', 'Development'],
    ['proof-of-concept', 'Development'],
    ['Retired', 'Decommissioned'],
    ['TBD', null],
  ])('status %j', (v, status) => expect(importStatus(v)).toBe(status));

  test.each<[string, string]>([
    ['copilot', 'GitHub Copilot'],
    ['CLAUDE-CODE', 'Claude Code'],
    ['Claude', 'Claude Code'],
    ['Cursor', 'Cursor'],
    ['Gemini', 'Gemini'],
  ])('tool %j', (v, tool) =>
    expect(catalogTool(v, ['Claude Code', 'GitHub Copilot', 'ChatGPT'])).toBe(tool),
  );

  test.each<[SourceCell, 'dmy' | 'mdy', string | null]>([
    ['2024-03-07', 'mdy', '2024-03-07'],
    ['2024-03-07T10:00:00Z', 'dmy', '2024-03-07'],
    ['2024/3/7', 'dmy', '2024-03-07'],
    ['07/03/2024', 'dmy', '2024-03-07'],
    ['07/03/2024', 'mdy', '2024-07-03'],
    ['7.3.24', 'dmy', '2024-03-07'],
    ['7 Mar 2024', 'mdy', '2024-03-07'],
    ['March 7th, 2024', 'dmy', '2024-03-07'],
    ['Mar 2024', 'dmy', null],
    ['31/02/2024', 'dmy', null],
    ['29/02/2024', 'dmy', '2024-02-29'],
    ['2024-13-01', 'dmy', null],
    [45000, 'dmy', '2023-03-15'],
    [12, 'dmy', null],
    ['n/a', 'dmy', null],
  ])('date %j (%s) → %j', (v, order, day) => expect(parseLooseDate(v, order)).toBe(day));

  test.each<[SourceCell[], 'dmy' | 'mdy', string, string | null]>([
    [['01/02/2024', '31/01/2024'], 'mdy', 'dmy', '31/01/2024'],
    [['01/02/2024', '01/31/2024'], 'dmy', 'mdy', '01/31/2024'],
    [['01/02/2024', '2024-01-31'], 'dmy', 'dmy', null],
  ])('date order of %j', (values, fallback, order, evidence) =>
    expect(dateOrderOf(values, fallback)).toEqual({ order, evidence }),
  );
});

describe('rows and the plan', () => {
  const options = {
    order: 'dmy' as const,
    today: '2026-11-24',
    tools: ['Claude Code'],
    dateText: () => '',
  };
  const mapping = { Project: 0, 'Creator Email': 1, 'Data Tier': 2, 'First Recorded': 3 };

  it('skips blank lines, reads leniently, notes what it changed', () => {
    const { rows, blank } = readRows(
      [
        ['Project', 'Owner', 'Tier', 'Added'],
        ['  Expense   bot ', 'Ann <ann@example.com>, bob@example.com', 'Restricted', '2099-01-01'],
        ['', '', '', ''],
        ['Wiki', 'x@example.com', 'T1', '31/01/2024'],
      ],
      0,
      mapping,
      options,
    );
    expect(blank).toBe(1);
    expect(
      rows.map((r) => [
        r.line,
        r.raw.Project,
        r.raw['Creator Email'],
        r.raw['Data Tier'],
        r.firstRecorded,
      ]),
    ).toEqual([
      [2, 'Expense bot', 'ann@example.com', 'Tier 4 - Regulated', ''],
      [4, 'Wiki', 'x@example.com', 'Tier 1 - Public', '2024-01-31'],
    ]);
    expect(rows[0].notes).toEqual([
      'Creator Email: ann@example.com is the creator; bob@example.com can be added as co-owners in My projects.',
      'Data Tier "Restricted" read as Tier 4 - Regulated.',
      'First Recorded 2099-01-01 is in the future; it is not kept.',
    ]);
  });

  it('plans duplicates of entries and of earlier lines; unkeyed rows are never duplicates', () => {
    const { rows } = readRows(
      [
        ['Project', 'Owner'],
        ['A', 'a@example.com'],
        ['a ', 'A@EXAMPLE.COM'],
        ['B', 'b@example.com'],
        ['', 'c@example.com'],
        ['', 'c@example.com'],
      ],
      0,
      { Project: 0, 'Creator Email': 1 },
      options,
    );
    const plan = planImport(
      rows,
      0,
      new Map([[entryKey('b', 'b@example.com'), 'AI-0009']]),
      () => ({
        approval: 'Needs Info',
        checks: [],
      }),
    );
    expect(plan.rows.map((r) => r.duplicateOf || r.status)).toEqual([
      'import',
      'line 2',
      'AI-0009',
      'import',
      'import',
    ]);
    expect(plan.counts).toEqual({
      rows: 5,
      blank: 0,
      toImport: 3,
      duplicates: 2,
      byApproval: { 'Needs Info': 3 },
    });
  });

  test.each<[unknown, string]>([
    [null, 'Choose which column holds each field first.'],
    [{ Project: 0 }, 'Choose the column that holds Creator Email'],
    [{ Project: 0, 'Creator Email': 0 }, 'One column is chosen for both Project and Creator Email'],
    [{ Project: 0, 'Creator Email': 7 }, 'not a column of the source'],
    [{ Project: 0, 'Creator Email': 1.5 }, 'not a column of the source'],
  ])('mapping %j is refused', (input, sentence) => {
    expect(() => readMapping(input, 3)).toThrow(sentence);
  });

  it('takes a mapping, ignoring unknown fields and unmapped ones', () => {
    expect(readMapping({ Project: 0, 'Creator Email': '1', Seal: 2, 'AI Tool': -1 }, 3)).toEqual({
      Project: 0,
      'Creator Email': 1,
    });
  });
});
