import {
  csvField,
  exportDialogHtml,
  JIRA_HEADERS,
  jiraCsv,
  jiraCsvSize,
  jiraPriority,
  jiraRow,
  labelSlug,
  partRequest,
  planParts,
  REGISTRY_EXPORT_COLUMNS,
  registryCsv,
  registryCsvSize,
  registryJson,
  registryJsonLine,
  toCsv,
  type ExportMeta,
  type JiraReview,
} from '../../src/domain/export';

describe('CSV (RFC 4180) with formula injection neutralised', () => {
  test.each([
    ['plain', 'plain'],
    ['', ''],
    ['comma, inside', '"comma, inside"'],
    ['say "hi"', '"say ""hi"""'],
    ['line\nbreak', '"line\nbreak"'],
    ['carriage\rreturn', '"carriage\rreturn"'],
    ['crlf\r\nend', '"crlf\r\nend"'],
    ['semi;colon', '"semi;colon"'],
    ['tab\tinside', '"tab\tinside"'],
    ['=1+1', "'=1+1"],
    ['=HYPERLINK("https://evil.example","x")', `"'=HYPERLINK(""https://evil.example"",""x"")"`],
    ['+1', "'+1"],
    ['-2', "'-2"],
    ['@SUM(A1)', "'@SUM(A1)"],
    ['\tcmd', `"'\tcmd"`],
    ['\rcmd', `"'\rcmd"`],
    ['a=1', 'a=1'],
    [" '=already", " '=already"],
    ["'=shown with its apostrophe", "'=shown with its apostrophe"],
    ['✓ 日本語 Ünïcödé', '✓ 日本語 Ünïcödé'],
  ])('text %p is written as %p', (value, field) => {
    expect(csvField(value)).toBe(field);
  });

  test.each([
    [-2, '-2'],
    [3, '3'],
    [0.5, '0.5'],
    [true, 'true'],
    [null, ''],
  ])('a value the add-on wrote, %p, is written as it is: %p', (value, field) => {
    expect(csvField(value)).toBe(field);
  });

  test.each([
    [[['a', 'b']], 'a,b'],
    [[['=HYPERLINK("x")', '+1', '-2', '@x', 3]], `"'=HYPERLINK(""x"")",'+1,'-2,'@x,3`],
    [[['comma, inside', 'line\nbreak']], '"comma, inside","line\nbreak"'],
    [[['a'], ['b']], 'a\r\nb'],
    [[[null, true]], ',true'],
    [
      [
        ['', ''],
        ['x', ''],
      ],
      ',\r\nx,',
    ],
  ])('CSV of %p', (rows, csv) => {
    expect(toCsv(rows)).toBe(csv);
  });
});

const ENTRY = Object.fromEntries(REGISTRY_EXPORT_COLUMNS.map((c) => [c, `${c} value`]));
const META: ExportMeta = {
  spreadsheet: 'AI Registry',
  exportedAt: '2026-11-24T10:00:00-05:00',
  exportedBy: 'security@example.com',
  timeZone: 'America/New_York',
};

describe('the registry', () => {
  test('has every column of DESIGN §2 but the hidden seal', () => {
    expect(REGISTRY_EXPORT_COLUMNS[0]).toBe('ID');
    expect(REGISTRY_EXPORT_COLUMNS).toContain('Registered By');
    expect(REGISTRY_EXPORT_COLUMNS).not.toContain('Seal');
  });

  test('CSV: a UTF-8 byte-order mark, the header, an entry per line; sizes add up', () => {
    const rows = [ENTRY, { ...ENTRY, ID: 'AI-0002', Project: '=cmd|"/c calc"!A1' }];
    const csv = registryCsv(rows);
    expect(csv.startsWith(`\uFEFF${REGISTRY_EXPORT_COLUMNS.join(',')}\r\n`)).toBe(true);
    expect(csv).toContain(`"'=cmd|""/c calc""!A1"`);
    expect(csv.split('\r\n')).toHaveLength(3);
    const header = registryCsv([]).length;
    expect(header + rows.map(registryCsvSize).reduce((a, b) => a + b)).toBe(csv.length);
  });

  test('JSON: a header object and the values as recorded, nothing neutralised', () => {
    const hostile = { ...ENTRY, Project: '=HYPERLINK("x")', Department: '-2' };
    const data = JSON.parse(registryJson([ENTRY, hostile], META));
    expect(data.export).toEqual({
      kind: 'Governed Path registry',
      ...META,
      rowCount: 2,
      columns: REGISTRY_EXPORT_COLUMNS,
      values: expect.stringContaining('Nothing is neutralised'),
    });
    expect(data.rows[1]).toEqual(hostile);
    expect(Object.keys(data.rows[0])).toEqual(REGISTRY_EXPORT_COLUMNS);
    expect(JSON.parse(registryJsonLine(hostile))).toEqual(hostile);
  });

  test.each([
    [[], 0],
    [[ENTRY], 1],
  ])('JSON of %# entries parses', (rows, n) => {
    expect(JSON.parse(registryJson(rows, META)).rows).toHaveLength(n);
  });

  test('JSON of a part says which part, and only when there are several', () => {
    const part = { number: 2, of: 3, first: 41, last: 80, rows: 40 };
    expect(JSON.parse(registryJson([ENTRY], META, part)).export.part).toEqual({
      number: 2,
      of: 3,
      firstId: 'AI-0041',
      lastId: 'AI-0080',
    });
    expect(JSON.parse(registryJson([ENTRY], META, { ...part, number: 1, of: 1 })).export.part).toBe(
      undefined,
    );
  });
});

const REVIEW: JiraReview = {
  reviewId: 'R-0007',
  registryId: 'AI-0042',
  project: 'Claims triage',
  creator: 'dana@example.com',
  status: 'Open',
  opened: '2026-11-24 10:00',
  due: '2026-12-01 00:00',
  assignedTo: 'security@example.com',
  threatModel: 'https://wiki.example.com/tm/1',
  notes: '',
  entry: {
    purpose: 'Sorts claims.',
    creator: 'dana@example.com',
    registeredBy: 'dana@example.com',
    department: 'Claims',
    dataTier: 'Tier 3 - Confidential',
    dataStores: 'Claims DB, CRM',
    aiTool: 'Claude Code',
    aiToolVersion: '1.0',
    deploymentStatus: 'Development',
    link: 'https://docs.google.com/spreadsheets/d/x/edit#gid=0&range=A5',
  },
};

describe('Jira', () => {
  test('one issue per review, in the headers’ order', () => {
    const row = jiraRow(REVIEW, '2026-11-25');
    expect(row).toHaveLength(JIRA_HEADERS.length);
    const issue = JIRA_HEADERS.map((h, i) => [h, row[i]]);
    expect(issue).toEqual([
      ['Summary', 'Tier 3 security review: AI-0042 Claims triage'],
      ['Issue Type', 'Task'],
      ['Description', expect.any(String)],
      ['Priority', 'Medium'],
      ['Labels', 'governed-path'],
      ['Labels', 'tier-3'],
      ['Labels', 'claims'],
      ['Due Date', '2026-12-01 00:00'],
      ['Created', '2026-11-24 10:00'],
      ['Status', 'Open'],
      ['Reporter', 'dana@example.com'],
      ['Assignee', 'security@example.com'],
      ['External ID', 'R-0007'],
    ]);
    expect(row[2].split('\n')).toEqual([
      'Governed Path review R-0007 of registry entry AI-0042 (Claims triage).',
      '',
      'Business purpose: Sorts claims.',
      'Creator: dana@example.com',
      'Department: Claims',
      'Data tier: Tier 3 - Confidential',
      'Data stores: Claims DB, CRM',
      'AI tool: Claude Code 1.0',
      'Deployment status: Development',
      'Registry row (at export): https://docs.google.com/spreadsheets/d/x/edit#gid=0&range=A5',
      'Threat model: https://wiki.example.com/tm/1',
      'Notes: none',
    ]);
  });

  test.each([
    ['Open', '2026-12-01 00:00', 'Development', '2026-11-30', 'Medium'],
    ['Open', '2026-12-01 00:00', 'Production', '2026-11-30', 'High'],
    ['Open', '2026-12-01 00:00', 'Development', '2026-12-01', 'Medium'],
    ['Open', '2026-12-01 00:00', 'Development', '2026-12-02', 'Highest'],
    ['Re-review Due', '2026-12-01 00:00', 'Production', '2026-12-02', 'Highest'],
    ['First Approval', '', 'Production', '2026-12-02', 'High'],
    ['Approved', '2026-12-01 00:00', 'Production', '2026-12-09', 'Low'],
    ['Closed', '2026-12-01 00:00', 'Development', '2026-12-09', 'Low'],
  ])('a review %s due %p, entry in %s, on %s: priority %s', (status, due, deployment, today, p) => {
    const review = {
      ...REVIEW,
      status,
      due,
      entry: { ...REVIEW.entry!, deploymentStatus: deployment },
    };
    expect(jiraPriority(review, today)).toBe(p);
  });

  test.each([
    ['Claims', 'claims'],
    ['Research & Développement', 'research-developpement'],
    ['-2+3', '2-3'],
    ['=cmd', 'cmd'],
    ['  Data   Science  ', 'data-science'],
    ['日本 営業', '日本-営業'],
    ['', ''],
    ['x'.repeat(80), 'x'.repeat(50)],
  ])('department %p is the label %p', (department, label) => {
    expect(labelSlug(department)).toBe(label);
  });

  test('a summary is one line of at most 255 characters', () => {
    const long = { ...REVIEW, project: `Line one\nline two ${'x'.repeat(400)}` };
    const summary = jiraRow(long, '2026-11-25')[0];
    expect(summary).toHaveLength(255);
    expect(summary).toMatch(/^Tier 3 security review: AI-0042 Line one line two x+…$/);
  });

  test('only https threat models and real email addresses are passed on', () => {
    const row = jiraRow(
      {
        ...REVIEW,
        threatModel: 'javascript:alert(1)',
        assignedTo: '=HYPERLINK("x")',
        entry: { ...REVIEW.entry!, registeredBy: 'not an address' },
      },
      '2026-11-25',
    );
    expect(row[2]).toContain('Threat model: none yet');
    // The reporter is who registered it (an address the add-on wrote), never the typed creator.
    expect(row[10]).toBe('');
    expect(row[11]).toBe('');
  });

  test('a review whose entry was not found still becomes an issue, and says so', () => {
    const row = jiraRow({ ...REVIEW, entry: null, notes: 'Closed: decommissioned' }, '2026-11-25');
    expect(row[2]).toContain(
      'The registry entry AI-0042 was not found when this file was exported.',
    );
    expect(row[2]).toContain('Notes: Closed: decommissioned');
    expect(row[6]).toBe('');
  });

  test('the file: the header row, then an issue per review; sizes add up; no BOM', () => {
    const csv = jiraCsv([REVIEW, { ...REVIEW, reviewId: 'R-0008' }], '2026-11-25');
    expect(csv.startsWith('Summary,Issue Type,Description,Priority,Labels,Labels,Labels,')).toBe(
      true,
    );
    expect(jiraCsv([], '2026-11-25').length + 2 * jiraCsvSize(REVIEW, '2026-11-25')).toBe(
      csv.length,
    );
  });
});

describe('parts of a large export', () => {
  test.each([
    ['nothing', [], 10, []],
    [
      'all in one',
      [
        [1, 3],
        [2, 3],
        [3, 3],
      ],
      10,
      [[1, 3, 3]],
    ],
    [
      'split when the next would not fit',
      [
        [1, 4],
        [2, 4],
        [3, 4],
      ],
      8,
      [
        [1, 2, 2],
        [3, 3, 1],
      ],
    ],
    [
      'in ID order, whatever the sheet’s',
      [
        [5, 4],
        [1, 4],
        [9, 4],
      ],
      8,
      [
        [1, 5, 2],
        [9, 9, 1],
      ],
    ],
    [
      'a row larger than a part is a part of its own',
      [
        [1, 20],
        [2, 1],
      ],
      8,
      [
        [1, 1, 1],
        [2, 2, 1],
      ],
    ],
  ])('%s', (_, items, max, expected) => {
    const parts = planParts(
      (items as number[][]).map(([id, size]) => ({ id, size })),
      max as number,
    );
    expect(parts.map((p) => [p.first, p.last, p.rows])).toEqual(expected);
    parts.forEach((p, i) => expect([p.number, p.of]).toEqual([i + 1, parts.length]));
  });

  test.each([
    [['registry', 'csv', 1, 40, 1, 3], { kind: 'registry', format: 'csv' }],
    [['registry', 'json', 41, 80, 2, 3], { kind: 'registry', format: 'json' }],
    [['jira', 'csv', 1, 9, 1, 1], { kind: 'jira', format: 'csv' }],
    [['jira', 'json', 1, 9, 1, 1], 'The Jira export is a CSV file.'],
    [['registry', 'xlsx', 1, 9, 1, 1], 'Choose CSV or JSON.'],
    [[], 'Choose the registry or the Jira export.'],
    [
      ['registry', 'csv', '1', 9, 1, 1],
      'The part names no range of IDs: close the dialog and export again.',
    ],
    [
      ['registry', 'csv', 0, 9, 1, 1],
      'The part names no range of IDs: close the dialog and export again.',
    ],
    [
      ['registry', 'csv', 9, 1, 1, 1],
      'The part names no range of IDs: close the dialog and export again.',
    ],
    [
      ['registry', 'csv', 1, 9, 4, 3],
      'The part number is not one of the parts: close the dialog and export again.',
    ],
    [
      ['registry', 'csv', 1, 9, 1, 5000],
      'The part number is not one of the parts: close the dialog and export again.',
    ],
  ])('the request %p', (args, expected) => {
    const request = partRequest(args);
    if (typeof expected === 'string') expect(request).toBe(expected);
    else expect(request).toMatchObject(expected);
  });
});

describe('the dialog', () => {
  const filesIn = (html: string) =>
    JSON.parse(
      /<script type="application\/json" id="export-files">(.*?)<\/script>/s.exec(html)![1],
    );

  test('carries the files as data its script reads, and people’s text only escaped', () => {
    const hostile = 'x</script><script>alert(1)</script>\u2028<b>bold</b>';
    const html = exportDialogHtml({
      intro: `2 entries <b>from</b> "${hostile}"`,
      help: 'Import & go',
      files: [
        { label: 'Download CSV', name: 'a.csv', type: 'text/csv', format: 'csv', text: hostile },
        {
          label: 'Download JSON',
          name: 'a.json',
          type: 'application/json',
          format: 'json',
          text: '{}',
        },
      ],
    });
    expect(html.match(/<\/script>/g)).toHaveLength(2);
    expect(html).not.toContain('<b>');
    expect(html).toContain('2 entries &lt;b&gt;from&lt;/b&gt; &quot;x&lt;/script&gt;');
    expect(html).toContain('Import &amp; go');
    expect(filesIn(html)).toEqual([
      { name: 'a.csv', type: 'text/csv;charset=utf-8', format: 'csv', text: hostile },
      { name: 'a.json', type: 'application/json;charset=utf-8', format: 'json', text: '{}' },
    ]);
    // A choice of format, CSV first; the JSON button waits for its radio; a copy button.
    expect(html).toContain('value="csv" checked');
    expect(html).toContain('data-format="json" hidden>Download JSON</button>');
    expect(html).toContain('id="copy"');
    expect(html).not.toMatch(/<script src=|<link /);
  });

  test('parts are fetched when clicked; one format needs no choice', () => {
    const html = exportDialogHtml({
      intro: 'Large',
      help: '',
      files: [
        {
          label: 'Part 1 of 2: R-0001 to R-0400',
          name: 'p1.csv',
          type: 'text/csv',
          format: '',
          fetch: ['jira', 'csv', 1, 400, 1, 2],
        },
      ],
    });
    expect(filesIn(html)[0].fetch).toEqual(['jira', 'csv', 1, 400, 1, 2]);
    expect(html).not.toContain('name="format"');
    expect(html).not.toContain('id="copy"');
    expect(html).toContain('.exportPart(file.fetch[0]');
    expect(html).toContain('withFailureHandler');
  });
});
