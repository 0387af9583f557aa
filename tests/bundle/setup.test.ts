import {
  AI_TOOLS,
  APPROVAL_COLOURS,
  AUDIT_LOG,
  DATA_STORES,
  headersOf,
  REGISTRY,
  REVIEWS,
} from '../../src/domain/schema';
import {
  ADMIN,
  EMPLOYEE,
  headerRow,
  personSheet,
  runtime,
  SECURITY,
  SETUP,
  setUpRuntime,
} from '../helpers';

const SHEETS = [REGISTRY, REVIEWS, AI_TOOLS, DATA_STORES, AUDIT_LOG];

function settingsOf(rt: ReturnType<typeof runtime>): Record<string, unknown> {
  return JSON.parse(rt.registryProperties().settings) as Record<string, unknown>;
}

describe('Set up or repair registry', () => {
  test('creates every sheet and header of DESIGN §2, the settings, and one edit, one change and one hourly trigger (add-on rules)', () => {
    const rt = runtime();
    const result = rt.clickMenu(SETUP, ADMIN);

    expect(result.ok).toBe(true);
    expect(result.ui).toEqual([
      expect.objectContaining({
        type: 'alert',
        message: expect.stringContaining('The registry is set up.'),
      }),
    ]);
    expect(rt.sheetNames()).toEqual([
      'Registry',
      'Reviews',
      'AI Tools',
      'Data Stores',
      'Audit Log',
      'Discovered', // issue 18
    ]);
    for (const spec of SHEETS) {
      expect(headerRow(rt, spec.name)).toEqual(headersOf(spec));
      expect(rt.world.spreadsheet.sheets.find((s) => s.name === spec.name)?.frozenRows).toBe(1);
    }
    expect(rt.world.triggers.map((t) => [t.handler, t.eventType, t.owner])).toEqual([
      ['handleRegistryEdit', 'ON_EDIT', ADMIN],
      ['handleRegistryChange', 'ON_CHANGE', ADMIN],
      ['runHourlyJob', 'CLOCK', ADMIN],
    ]);
    expect(settingsOf(rt)).toMatchObject({
      securityTeam: [ADMIN],
      slackChannel: '#security-updates',
      reviewSlaDays: 5,
      timeZone: 'America/New_York',
      graceDays: 30,
      autoDecommission: false,
      emailCreators: true,
    });
    expect(rt.registryProperties().slackWebhookUrl).toBe('');
    expect(rt.failures()).toEqual([]);
  });

  test('seeds the AI tools the guide names as Pending for the security team to decide', () => {
    const rt = setUpRuntime();
    const tools = rt
      .view('AI Tools')
      .values.slice(1)
      .map((r) => [r[0], r[2]]);
    expect(tools).toEqual([
      ['Claude Code', 'Pending'],
      ['GitHub Copilot', 'Pending'],
      ['ChatGPT', 'Pending'],
    ]);
  });

  test('running it twice changes nothing and installs no duplicate trigger', () => {
    const rt = setUpRuntime();
    const before = JSON.stringify(rt.world.spreadsheet);
    const triggers = JSON.stringify(rt.world.triggers);

    const again = rt.clickMenu(SETUP, ADMIN);

    expect(again.ui[0].message).toContain('nothing needed repair');
    expect(JSON.stringify(rt.world.triggers)).toBe(triggers);
    const after = JSON.parse(JSON.stringify(rt.world.spreadsheet));
    const was = JSON.parse(before);
    for (let i = 0; i < was.sheets.length; i++) {
      expect(after.sheets[i].grid).toEqual(was.sheets[i].grid);
      expect(after.sheets[i].conditionalFormats).toEqual(was.sheets[i].conditionalFormats);
      expect(after.sheets[i].validations).toEqual(was.sheets[i].validations);
      expect(
        after.sheets[i].protections.map((p: { description: string }) => p.description),
      ).toEqual(was.sheets[i].protections.map((p: { description: string }) => p.description));
    }
  });

  test('repairing a registry with reordered and extra columns keeps people’s data and columns', () => {
    const rt = runtime();
    personSheet(rt, 'Registry', [
      ['Project', 'Team notes', 'ID', 'creator email', 'Data Tier'],
      ['Churn dashboard', 'ask Sam', 'AI-0007', 'sam@example.com', 'Tier 2 - Internal'],
    ]);

    const result = rt.clickMenu(SETUP, ADMIN);

    const view = rt.view('Registry');
    expect(view.values[0].slice(0, 5)).toEqual([
      'Project',
      'Team notes',
      'ID',
      'Creator Email',
      'Data Tier',
    ]);
    expect(view.values[1].slice(0, 5)).toEqual([
      'Churn dashboard',
      'ask Sam',
      'AI-0007',
      'sam@example.com',
      'Tier 2 - Internal',
    ]);
    const missing = headersOf(REGISTRY).filter(
      (h) => !['Project', 'ID', 'Creator Email', 'Data Tier'].includes(h),
    );
    expect(view.values[0].slice(5)).toEqual(missing);
    expect(result.ui[0].message).toContain('Added missing columns to Registry');
    expect(result.ui[0].message).toContain('Corrected headers in Registry: Creator Email');
  });

  test('only the security team may repair an existing registry', () => {
    const rt = setUpRuntime();
    const triggers = JSON.stringify(rt.world.triggers);

    const result = rt.clickMenu(SETUP, EMPLOYEE);

    expect(result.ok).toBe(true);
    expect(result.ui).toEqual([
      expect.objectContaining({
        type: 'alert',
        message: expect.stringContaining('Only the security team'),
      }),
    ]);
    expect(JSON.stringify(rt.world.triggers)).toBe(triggers);
  });

  test('colours each Approval word as the conditional format rules say', () => {
    const rt = setUpRuntime();
    const words = Object.keys(APPROVAL_COLOURS);
    const col = headersOf(REGISTRY).indexOf('Approval');
    // Written as the add-on would (a person's typing here is put back: these cells are owned).
    const grid = rt.world.spreadsheet.sheets.find((s) => s.name === 'Registry')!.grid;
    words.forEach((w, i) => {
      grid[i + 1] ??= [];
      grid[i + 1][col] = { v: w };
    });

    const view = rt.view('Registry');
    words.forEach((word, i) => {
      expect(view.backgrounds[i + 1][col]).toBe(
        APPROVAL_COLOURS[word as keyof typeof APPROVAL_COLOURS],
      );
      expect(view.backgrounds[i + 1][col - 1]).toBeNull();
    });
  });

  test('add-on-owned columns warn but do not block, so scripts running as employees still write', () => {
    const rt = setUpRuntime();
    const result = rt.edit('Registry', 'L2', [['Approved']], EMPLOYEE);
    expect(result.ok).toBe(true);
    expect(result.warnings).toEqual([expect.stringContaining('Governed Path fills this column')]);
    expect(rt.edit('Reviews', 'G2', [['Approved']], EMPLOYEE).warnings).toHaveLength(1);
  });

  test('dropdowns accept typed variants (flagged) so the add-on can normalise them', () => {
    const rt = setUpRuntime();
    const result = rt.edit('Registry', 'G2:G3', [['3'], ['Tier 1 - Public']], EMPLOYEE);
    expect(result.ok).toBe(true);
    expect(result.invalid).toEqual(['G2']);
  });

  test('when another security-team member repairs, the previous owner’s triggers retire themselves', () => {
    const rt = setUpRuntime();
    const settings = settingsOf(rt);
    rt.registryProperties().settings = JSON.stringify({
      ...settings,
      securityTeam: [ADMIN, SECURITY],
    });

    expect(rt.clickMenu(SETUP, SECURITY).ok).toBe(true);
    expect(rt.world.triggers.map((t) => t.owner)).toEqual([
      ...[ADMIN, ADMIN, ADMIN],
      ...[SECURITY, SECURITY, SECURITY],
    ]);

    rt.edit('Registry', 'C2', [['dana@example.com']], EMPLOYEE);

    expect(rt.world.triggers.filter((t) => t.eventType === 'ON_EDIT').map((t) => t.owner)).toEqual([
      SECURITY,
    ]);
    rt.advance(24 * 3600 * 1000);
    expect(rt.world.triggers.map((t) => t.owner)).toEqual([SECURITY, SECURITY, SECURITY]);
    expect(rt.failures()).toEqual([]);
  });
});

describe('rows a paste adds below the sheet’s end (Sheets gives them no formats)', () => {
  const H = headersOf(REGISTRY);
  const at = (header: string) => H.indexOf(header);
  const registryData = (rt: ReturnType<typeof runtime>) =>
    rt.world.spreadsheet.sheets.find((s) => s.name === 'Registry')!;
  const pasteBelowEnd = (rt: ReturnType<typeof runtime>) => {
    const max = registryData(rt).maxRows;
    const row = [
      EMPLOYEE,
      'Support',
      'Late row',
      'Drafts replies.',
      'Tier 4 - Regulated',
      '',
      'Claude Code',
      '1.0',
      'Development',
    ];
    const r = max + 2; // one row of gap, as a paste far down does
    expect(rt.edit('Registry', `C${r}:K${r}`, [row], EMPLOYEE).ok).toBe(true);
    return r;
  };

  test('keep their dropdowns, number formats and Approval colours', () => {
    const rt = setUpRuntime();
    const r = pasteBelowEnd(rt);
    const cells = registryData(rt).grid[r - 1];
    expect(cells[at('Data Tier')]?.dv).toBeDefined();
    expect(cells[at('Deployment Status')]?.dv).toBeDefined();
    expect(cells[at('Registered')]?.nf).toBe('yyyy-mm-dd hh:mm');
    expect(cells[at('Approval')]?.v).toBe('Blocked');
    expect(rt.view('Registry').backgrounds[r - 1][at('Approval')]).toBe(APPROVAL_COLOURS.Blocked);
    // The gap row appended with it is formatted too.
    expect(registryData(rt).grid[r - 2]?.[at('Data Tier')]?.dv).toBeDefined();
  });

  test('keep them in a registry set up when each sheet had its own formatted-rows mark', () => {
    const rt = setUpRuntime();
    const store = rt.registryProperties();
    const marks = JSON.parse(store.formatted) as Record<string, number>;
    expect(Object.keys(marks).sort()).toEqual([
      'AI Tools',
      'Audit Log',
      'Data Stores',
      'Discovered',
      'Registry',
      'Reviews',
    ]);
    delete store.formatted;
    for (const [sheet, row] of Object.entries(marks)) store[`formatted.${sheet}`] = String(row);
    const r = pasteBelowEnd(rt);
    const cells = registryData(rt).grid[r - 1];
    expect(cells[at('Data Tier')]?.dv).toBeDefined();
    expect(cells[at('Registered')]?.nf).toBe('yyyy-mm-dd hh:mm');
    // The marks are one key from then on, the other sheets' carried over.
    expect(JSON.parse(store.formatted)).toMatchObject({ 'Audit Log': marks['Audit Log'] });
    expect(JSON.parse(store.formatted).Registry).toBeGreaterThanOrEqual(r);
  });

  test('that lost their formats are repaired by Set up or repair registry', () => {
    const rt = setUpRuntime();
    const sheet = registryData(rt);
    for (const line of sheet.grid.slice(1, 40)) {
      for (const cell of line ?? []) if (cell) delete cell.dv;
    }
    rt.clickMenu(SETUP, ADMIN);
    expect(sheet.grid[20]?.[at('Data Tier')]?.dv).toBeDefined();
    expect(sheet.grid[20]?.[at('Review Due')]?.nf).toBe('yyyy-mm-dd');
  });

  test('a review opened past the Reviews sheet’s end lands on a formatted row', () => {
    const rt = setUpRuntime();
    const reviews = rt.world.spreadsheet.sheets.find((s) => s.name === 'Reviews')!;
    // The sheet ends two rows below its header, as a full one would: its blank rows go.
    expect(rt.deleteRows('Reviews', 4, reviews.maxRows - 3, ADMIN).ok).toBe(true);
    expect(reviews.maxRows).toBe(3);
    const row = [
      EMPLOYEE,
      'Support',
      'Ticket triage',
      'Sorts tickets.',
      'Tier 3 - Confidential',
      '',
      'Claude Code',
      '1.0',
      'Development',
    ];
    for (let i = 0; i < 3; i++)
      expect(rt.edit('Registry', `C${i + 2}:K${i + 2}`, [row], EMPLOYEE).ok).toBe(true);
    const RV = headersOf(REVIEWS);
    const third = reviews.grid[3];
    expect(third[RV.indexOf('Status')]?.v).toBe('Open');
    expect(third[RV.indexOf('Status')]?.dv).toBeDefined();
    expect(third[RV.indexOf('Due')]?.nf).toBe('yyyy-mm-dd');
    // Room was made for the next ones, formatted too.
    expect(reviews.maxRows).toBeGreaterThan(4);
    expect(reviews.grid[reviews.maxRows - 1]?.[RV.indexOf('Status')]?.dv).toBeDefined();
    expect(rt.failures()).toEqual([]);
  });
});
