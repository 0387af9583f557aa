import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ROOT } from '../../sandbox/gas/runtime';
import { startSandbox, type Sandbox } from '../../sandbox/server';
import { registryInputs, requireDist, SANDBOX_START_MS } from '../helpers';

async function call(sb: Sandbox, method: string, path: string, body?: unknown, raw?: string) {
  const res = await fetch(sb.url + path, {
    method,
    headers: { 'Content-Type': 'application/json' },
    body: raw ?? (body === undefined ? undefined : JSON.stringify(body)),
  });
  return { status: res.status, body: (await res.json()) as Record<string, unknown> };
}

describe('the sandbox API (DESIGN §8)', () => {
  let sb: Sandbox;
  let state: string;
  /** When the sandbox was started: its clock starts at the real time then. */
  let started = 0;
  beforeAll(async () => {
    started = Date.now();
    requireDist();
    state = mkdtempSync(join(tmpdir(), 'gp-sandbox-'));
    sb = await startSandbox({ port: 0, state, fresh: true, demo: true });
  }, SANDBOX_START_MS);
  afterAll(async () => {
    await sb.close();
  });

  test('GET /api/state lists the time, the user, the sheets, Slack, mail and the installed triggers', async () => {
    const { status, body } = await call(sb, 'GET', '/api/state');
    expect(status).toBe(200);
    expect((body.sheets as string[]).slice(0, 5)).toEqual([
      'Registry',
      'Reviews',
      'AI Tools',
      'Data Stores',
      'Audit Log',
    ]);
    expect(body).toMatchObject({
      user: 'dana@example.com',
      slack: { failed: 0 },
    });
    // The demo's mail: the daily Audit Log head to the security team, and the mail its
    // registrations made (reviewers of a Tier 3 review, the owner of a blocked project).
    const mail = body.mail as { subject: string; to: string }[];
    expect(mail.length).toBeGreaterThan(0);
    expect(mail.some((m) => m.subject.startsWith('Governed Path: Audit Log head for'))).toBe(true);
    for (const m of mail)
      expect(m.subject).toMatch(
        /^Governed Path: (Audit Log head for|AI-\d{4} .*: (new Tier 3 security review|blocked \(Tier 4 data\)|needs information|changes requested|security review \w+|your security review is late)|\d+ updates about AI projects|\d+ security review\(s\) overdue: escalated to you|please register .* in the AI registry)/,
      );
    const slack = (body.slack as { messages: { payload: { text: string } }[] }).messages;
    expect(slack.map((m) => m.payload.text)).toEqual(
      expect.arrayContaining([
        expect.stringContaining('New AI project registered: AI-0001 Marketing email automation'),
      ]),
    );
    expect((body.triggers as { handler: string }[]).map((t) => t.handler)).toEqual([
      'handleRegistryEdit',
      'handleRegistryChange',
      'runHourlyJob',
    ]);
    // The real time, as of some moment since the sandbox started (seeding the demo takes a
    // while on a busy machine): not a clock left in the demo's past.
    const now = Date.parse(body.now as string);
    expect(now).toBeGreaterThanOrEqual(started - 60000);
    expect(now).toBeLessThanOrEqual(Date.now() + 60000);
  });

  test('the demo holds the guide’s five scenarios and more, decided by the real triggers', async () => {
    const { body } = await call(sb, 'GET', '/api/sheets/Registry');
    const values = body.values as string[][];
    const projects = values.slice(1).map((r) => r[4]);
    expect(projects).toEqual(
      expect.arrayContaining([
        'Marketing email automation',
        'Internal dashboard with employee names',
        'Customer support chatbot',
        'Payment processing script',
        'Prototype using synthetic data',
      ]),
    );
    expect(new Set(values.slice(1).map((r) => r[11]))).toEqual(
      new Set(['Approved', 'In Review', 'Review Overdue', 'Blocked', 'Needs Info']),
    );
    expect(new Set(values.slice(1).map((r) => r[3])).size).toBeGreaterThanOrEqual(6);
    expect((body.backgrounds as (string | null)[][])[1][11]).toBe('#b7e1cd');
  });

  test('edits, menu clicks, server calls and the clock answer 200 with what the add-on did', async () => {
    const edit = await call(sb, 'POST', '/api/edit', {
      sheet: 'Registry',
      range: 'C20:K20',
      values: [
        [
          'kim@example.com',
          'Design',
          'Icon exporter',
          'Exports icons for the website.',
          '1',
          '',
          'Claude Code',
          '1.0',
          'dev',
        ],
      ],
      user: 'kim@example.com',
    });
    expect(edit.status).toBe(200);
    expect(edit.body).toMatchObject({ ok: true, refused: null });
    const sheet = await call(sb, 'GET', '/api/sheets/Registry');
    expect((sheet.body.values as string[][])[19].slice(0, 1)).toEqual(['AI-0012']);

    const menu = await call(sb, 'POST', '/api/menu', {
      item: 'Security team > Run daily checks now',
      user: 'security@example.com',
    });
    expect(menu.status).toBe(200);
    expect((menu.body.ui as { message: string }[])[0].message).toContain('Daily checks passed.');

    const run = await call(sb, 'POST', '/api/run', {
      fn: 'getSidebarData',
      args: [],
      user: 'kim@example.com',
    });
    expect(run.body).toMatchObject({
      ok: true,
      result: { user: 'kim@example.com', isSecurityTeam: false },
    });
    expect(await call(sb, 'POST', '/api/run', { fn: 'nope', args: [] })).toEqual({
      status: 200,
      body: { ok: false, error: 'Script function not found: nope' },
    });

    // Quiet: the clock moves, nothing fires on the way.
    const from = sb.runtime().world.now;
    const quiet = await call(sb, 'POST', '/api/clock', { advance: 'PT5H', quiet: true });
    expect(quiet).toMatchObject({ status: 200, body: { fired: [] } });
    expect(Date.parse(quiet.body.now as string)).toBe(from + 5 * 3600000);

    const before = sb.runtime().world.now;
    const clock = await call(sb, 'POST', '/api/clock', { advance: 'P1D' });
    expect(clock.status).toBe(200);
    const fired = clock.body.fired as { handler: string; ok: boolean }[];
    // One hourly trigger (add-on rules); the daily work runs in one of its runs.
    expect(fired.map((f) => f.handler)).toEqual(new Array(24).fill('runHourlyJob'));
    expect(fired.every((f) => f.ok)).toBe(true);
    // …once: the day's run is remembered, and it ran during this day.
    const props = sb.runtime().registryProperties();
    const lastCheck = JSON.parse(props.lastDailyCheck) as { at: string };
    expect(Date.parse(lastCheck.at)).toBeGreaterThanOrEqual(before);
    expect(props.lastDailyRun).toBe(
      new Date(lastCheck.at).toLocaleDateString('en-CA', { timeZone: 'America/New_York' }),
    );
  });

  test.each([
    ['GET', '/api/sheets/Nope', undefined, undefined, 404, 'There is no sheet named "Nope".'],
    [
      'GET',
      '/api/sheets/%E0%A4%A',
      undefined,
      undefined,
      400,
      'The sheet name in the address is not valid percent-encoding.',
    ],
    ['POST', '/api/edit', undefined, '{not json', 400, 'The request body is not valid JSON.'],
    ['POST', '/api/edit', [], undefined, 400, 'The request body must be a JSON object.'],
    [
      'POST',
      '/api/edit',
      { sheet: 'Registry', range: 'A1', values: 'x' },
      undefined,
      400,
      '"values" must be a 2-D array of values.',
    ],
    [
      'POST',
      '/api/edit',
      { sheet: 'Registry', range: 'A1:B1', values: [['x']] },
      undefined,
      400,
      'values must be 1 row(s) of 2 value(s) to fill A1:B1.',
    ],
    [
      'POST',
      '/api/edit',
      { sheet: 'Registry', range: 'not a range', values: [['x']] },
      undefined,
      400,
      '"not a range" is not an A1 range.',
    ],
    [
      'POST',
      '/api/edit',
      { sheet: 'Registry', range: 'A1', values: [['x']], user: 'nobody' },
      undefined,
      400,
      '"user" must be an email address.',
    ],
    [
      'POST',
      '/api/menu',
      { item: 'Security team > Nope' },
      undefined,
      400,
      'There is no menu item "Security team > Nope" for dana@example.com.',
    ],
    [
      'POST',
      '/api/clock',
      { advance: 'tomorrow' },
      undefined,
      400,
      'That is not an ISO 8601 duration or time.',
    ],
    [
      'POST',
      '/api/clock',
      { to: '2001-01-01T00:00:00Z' },
      undefined,
      400,
      'The clock only moves forward.',
    ],
    [
      'POST',
      '/api/clock',
      {},
      undefined,
      400,
      'Send {"advance": "P1D"} (an ISO 8601 duration) or {"to": "2027-01-01T09:00:00Z"}.',
    ],
    [
      'POST',
      '/api/slack/fail',
      { status: 200 },
      undefined,
      400,
      '"status" must be an HTTP error status (400–599).',
    ],
    [
      'POST',
      '/api/run',
      { fn: 'getSidebarData', args: 'x' },
      undefined,
      400,
      '"args" must be an array.',
    ],
    ['DELETE', '/api/state', undefined, undefined, 404, 'No such endpoint: DELETE /api/state'],
  ])('%s %s with bad input answers %p', async (method, path, body, raw, status, error) => {
    expect(await call(sb, method, path, body, raw)).toEqual({ status, body: { error } });
  });

  test('Slack fault injection and mail are exposed', async () => {
    expect((await call(sb, 'POST', '/api/slack/fail', { status: 500, count: 2 })).body).toEqual({
      ok: true,
    });
    expect((await call(sb, 'GET', '/api/slack')).body).toMatchObject({ failed: 0 });
    const { mail } = (await call(sb, 'GET', '/api/mail')).body as {
      mail: { subject: string; to: string }[];
    };
    expect(mail.length).toBeGreaterThan(0);
    expect(mail.every((m) => m.to.includes('@'))).toBe(true);
  });

  test('restarting with the same --state keeps the registry; --fresh starts over', async () => {
    await call(sb, 'POST', '/api/edit', {
      sheet: 'Registry',
      range: 'E2',
      values: [['Renamed before restart']],
      user: 'dana@example.com',
    });
    await sb.close();
    sb = await startSandbox({ port: 0, state, fresh: false, demo: true });
    const kept = await call(sb, 'GET', '/api/sheets/Registry');
    expect((kept.body.values as string[][])[1][4]).toBe('Renamed before restart');
    const filled = (kept.body.values as string[][]).slice(1).filter((r) => r[4] !== '');
    expect(filled.length).toBeGreaterThanOrEqual(11);
    expect(filled.every((r) => /^AI-\d{4}$/.test(r[0]))).toBe(true);
    await sb.close();
    sb = await startSandbox({ port: 0, state, fresh: true, demo: false });
    const fresh = await call(sb, 'GET', '/api/sheets/Registry');
    expect(fresh.body.values).toEqual([expect.arrayContaining(['ID', 'Approval'])]);
  });

  test(
    'POST /api/reset gives a fresh spreadsheet set up by the admin',
    async () => {
      const reset = await call(sb, 'POST', '/api/reset', { demo: true });
      expect(reset.body).toMatchObject({ ok: true });
      expect((reset.body.sheets as string[]).slice(0, 5)).toEqual([
        'Registry',
        'Reviews',
        'AI Tools',
        'Data Stores',
        'Audit Log',
      ]);
      const sheet = await call(sb, 'GET', '/api/sheets/Registry');
      expect((sheet.body.values as string[][]).length).toBe(12);
      // A demo reset replays weeks of hourly runs, as starting the sandbox does.
    },
    SANDBOX_START_MS,
  );
});

describe('the sandbox API: how people change the spreadsheet (DESIGN §8)', () => {
  let sb: Sandbox;
  const START = '2027-01-04T14:00:00.000Z'; // a Monday, 09:00 in New York
  const registry = async () =>
    (await call(sb, 'GET', '/api/sheets/Registry')).body.values as string[][];
  const sheetOf = (name: string) =>
    sb.runtime().world.spreadsheet.sheets.find((s) => s.name === name)!;

  beforeAll(async () => {
    requireDist();
    sb = await startSandbox({
      port: 0,
      state: mkdtempSync(join(tmpdir(), 'gp-sandbox-')),
      fresh: true,
      demo: false,
      now: Date.parse(START),
    });
    // Three registrations, pasted as people paste a row.
    for (const [row, project, creator] of [
      [2, 'Ticket drafter', 'dana@example.com'],
      [3, 'alpha tester', 'kim@example.com'],
      [4, 'Meeting notes', 'sam@example.com'],
    ] as const) {
      const res = await call(sb, 'POST', '/api/edit', {
        sheet: 'Registry',
        range: `C${row}:K${row}`,
        values: [registryInputs({ Project: project, 'Creator Email': creator })],
        user: creator,
        how: 'paste',
      });
      expect(res.body).toMatchObject({ ok: true });
    }
  });
  afterAll(async () => {
    await sb.close();
  });

  test('a fresh sandbox starts at the time it was given (--now)', async () => {
    const { body } = await call(sb, 'GET', '/api/state');
    expect(body.now).toBe(START);
    expect((await registry()).slice(1).map((r) => r[0])).toEqual(['AI-0001', 'AI-0002', 'AI-0003']);
  });

  test('POST /api/edit takes how: type one cell, paste, clear', async () => {
    const typed = await call(sb, 'POST', '/api/edit', {
      sheet: 'Registry',
      range: 'F2',
      values: [['Drafts first replies to tickets.']],
      user: 'dana@example.com',
      how: 'type',
    });
    expect(typed).toMatchObject({ status: 200, body: { ok: true, refused: null } });
    const pasted = await call(sb, 'POST', '/api/edit', {
      sheet: 'Registry',
      range: 'J2',
      values: [['2.0']],
      user: 'dana@example.com',
      how: 'paste',
    });
    expect(pasted).toMatchObject({ status: 200, body: { ok: true } });
    expect((await registry())[1].slice(5, 10)).toEqual([
      'Drafts first replies to tickets.',
      'Tier 1 - Public',
      '',
      'Claude Code',
      '2.0',
    ]);
    // Clearing blanks the cells whatever values came with it.
    const cleared = await call(sb, 'POST', '/api/edit', {
      sheet: 'Data Stores',
      range: 'A20:B20',
      values: [['x', 'y']],
      how: 'clear',
    });
    expect(cleared).toMatchObject({ status: 200, body: { ok: true } });
    await call(sb, 'POST', '/api/edit', {
      sheet: 'Data Stores',
      range: 'A20:B20',
      values: [['Scratch', 'x']],
    });
    expect(sb.runtime().view('Data Stores').values[19].slice(0, 2)).toEqual(['Scratch', 'x']);
    await call(sb, 'POST', '/api/edit', {
      sheet: 'Data Stores',
      range: 'A20:B20',
      values: [['', '']],
      how: 'clear',
    });
    expect(sb.runtime().view('Data Stores').values.length).toBeLessThan(20);
  });

  test('POST /api/sort sorts the data rows by a header or a column letter, hidden columns too', async () => {
    const before = sheetOf('Registry').maxRows;
    const byHeader = await call(sb, 'POST', '/api/sort', {
      sheet: 'Registry',
      column: 'project', // any case
      ascending: true,
      user: 'dana@example.com',
    });
    expect(byHeader.status).toBe(200);
    expect(byHeader.body).toMatchObject({ ok: true, refused: null, range: 'A2:R4' });
    expect((byHeader.body.executions as { fn: string }[]).map((e) => e.fn)).toContain(
      'handleRegistryChange',
    );
    let rows = await registry();
    expect(rows.slice(1).map((r) => [r[0], r[4]])).toEqual([
      ['AI-0002', 'alpha tester'],
      ['AI-0003', 'Meeting notes'],
      ['AI-0001', 'Ticket drafter'],
    ]);
    // The hidden seal column (R) moved with its row.
    const grid = sheetOf('Registry').grid;
    for (const r of [1, 2, 3]) expect(String(grid[r][17]?.v)).toContain(`"id":"${grid[r][0]?.v}"`);

    const byLetter = await call(sb, 'POST', '/api/sort', {
      sheet: 'Registry',
      column: 'e',
      ascending: false,
    });
    expect(byLetter.body).toMatchObject({ ok: true, range: 'A2:R4' });
    rows = await registry();
    expect(rows.slice(1).map((r) => r[4])).toEqual([
      'Ticket drafter',
      'Meeting notes',
      'alpha tester',
    ]);
    expect(rows[0][4]).toBe('Project'); // the header stays
    expect(sheetOf('Registry').maxRows).toBe(before);

    // A sheet with no data rows has nothing to sort.
    const empty = await call(sb, 'POST', '/api/sort', { sheet: 'Reviews', column: 'A' });
    expect(empty).toMatchObject({ status: 200, body: { ok: true, range: null, executions: [] } });
  });

  test('POST /api/delete-rows deletes rows and fires the change trigger', async () => {
    const before = sheetOf('Registry').maxRows;
    const blank = await call(sb, 'POST', '/api/delete-rows', {
      sheet: 'Registry',
      start: 500,
      count: 10,
      user: 'dana@example.com',
    });
    expect(blank.status).toBe(200);
    expect(blank.body).toMatchObject({ ok: true, refused: null });
    expect((blank.body.executions as { fn: string }[]).map((e) => e.fn)).toEqual([
      'handleRegistryChange',
    ]);
    expect(sheetOf('Registry').maxRows).toBe(before - 10);

    // Deleting a registration: the add-on puts it back and says so in the Audit Log.
    const id = (await registry())[1][0];
    const row = await call(sb, 'POST', '/api/delete-rows', {
      sheet: 'Registry',
      start: 2,
      count: 1,
      user: 'dana@example.com',
    });
    expect(row.body).toMatchObject({ ok: true });
    expect(
      (await registry())
        .slice(1)
        .map((r) => r[0])
        .sort(),
    ).toEqual(['AI-0001', 'AI-0002', 'AI-0003']);
    const audit = sb.runtime().view('Audit Log').values;
    expect(audit[audit.length - 1].slice(1, 4)).toEqual(['dana@example.com', 'Row restored', id]);

    // Sheets keeps one row that is not frozen: an outcome, not a malformed request.
    const all = await call(sb, 'POST', '/api/delete-rows', {
      sheet: 'Reviews',
      start: 2,
      count: sheetOf('Reviews').maxRows - 1,
    });
    expect(all).toEqual({
      status: 200,
      body: {
        ok: false,
        refused: 'Sheets cannot delete all the rows of a sheet that are not frozen.',
        warnings: [],
        invalid: [],
        executions: [],
      },
    });
  });

  test('POST /api/delete-columns, /api/move-columns and /api/delete-sheet: the add-on puts back what it needs', async () => {
    const before = await registry();
    const dept = before[0].indexOf('Department') + 1;
    const moved = await call(sb, 'POST', '/api/move-columns', {
      sheet: 'Registry',
      column: dept,
      before: 1,
      user: 'dana@example.com',
    });
    expect(moved.body).toMatchObject({ ok: true });
    expect((await registry())[0][0]).toBe('Department');
    const deleted = await call(sb, 'POST', '/api/delete-columns', {
      sheet: 'Registry',
      column: 1,
      user: 'dana@example.com',
    });
    expect(deleted.body).toMatchObject({ ok: true });
    // Back where the spec puts it (after Creator Email), with its values.
    const after = await registry();
    expect(after[0][dept - 1]).toBe('Department');
    expect(after.map((r) => r[dept - 1])).toEqual(before.map((r) => r[dept - 1]));
    const reviews = (await call(sb, 'GET', '/api/sheets/Reviews')).body.values;
    const gone = await call(sb, 'POST', '/api/delete-sheet', {
      sheet: 'Reviews',
      user: 'dana@example.com',
    });
    expect(gone.body).toMatchObject({ ok: true });
    expect((await call(sb, 'GET', '/api/sheets/Reviews')).body.values).toEqual(reviews);
    for (const [body, error] of [
      [{ sheet: 'Registry', column: 0 }, '"column" must be a column number (1 or more).'],
      [{ sheet: 'Registry', column: 900 }, 'Registry has'],
      [{ sheet: 'Nope', column: 1 }, 'There is no sheet named "Nope".'],
    ] as const) {
      const bad = await call(sb, 'POST', '/api/delete-columns', body);
      expect(bad.status).toBeGreaterThanOrEqual(400);
      expect(bad.status).toBeLessThan(500);
      expect(String(bad.body.error)).toContain(error);
    }
  });

  test('POST /api/spreadsheet changes the time zone (File › Settings)', async () => {
    const res = await call(sb, 'POST', '/api/spreadsheet', {
      timeZone: 'europe/berlin',
      user: 'admin@example.com',
    });
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ ok: true, timeZone: 'Europe/Berlin' });
    expect((res.body.executions as { fn: string }[]).map((e) => e.fn)).toEqual([
      'handleRegistryChange',
    ]);
    expect((await call(sb, 'GET', '/api/state')).body.timeZone).toBe('Europe/Berlin');
    await call(sb, 'POST', '/api/spreadsheet', { timeZone: 'America/New_York' });
    expect(sb.runtime().world.spreadsheet.timeZone).toBe('America/New_York');
  });

  test.each([
    [
      '/api/edit',
      { sheet: 'Registry', range: 'D2', values: [['x']], how: 'typed' },
      '"how" must be "type" (one cell typed), "paste" (a range pasted) or "clear".',
    ],
    [
      '/api/edit',
      { sheet: 'Registry', range: 'D2:E2', values: [['x', 'y']], how: 'type' },
      'Typing fills one cell; use paste for a range.',
    ],
    [
      '/api/edit',
      { sheet: 'Registry', range: 'A5000001', values: [['far']] },
      'A5000001 is beyond the largest sheet Sheets allows.',
    ],
    ['/api/delete-rows', { sheet: 'Registry' }, '"start" must be a row number (1 or more).'],
    [
      '/api/delete-rows',
      { sheet: 'Registry', start: 1.5 },
      '"start" must be a row number (1 or more).',
    ],
    [
      '/api/delete-rows',
      { sheet: 'Registry', start: 2, count: 0 },
      '"count" must be a number of rows (1 or more).',
    ],
    [
      '/api/delete-rows',
      { sheet: 'Reviews', start: 999, count: 5 },
      'Reviews has 1000 rows, so it has no rows 999 to 1003 to delete.',
    ],
    ['/api/delete-rows', { sheet: 'Nope', start: 2 }, 'There is no sheet named "Nope".'],
    ['/api/sort', { sheet: 'Registry' }, '"column" must be a header in row 1 or a column letter.'],
    [
      '/api/sort',
      { sheet: 'Registry', column: 'Budget' },
      'There is no column "Budget" in Registry: name a header in row 1 or a column letter from A to R.',
    ],
    [
      '/api/sort',
      { sheet: 'Registry', column: 'AZ' },
      'There is no column "AZ" in Registry: name a header in row 1 or a column letter from A to R.',
    ],
    [
      '/api/sort',
      { sheet: 'Registry', column: 'E', ascending: 'yes' },
      '"ascending" must be true (A to Z) or false (Z to A).',
    ],
    ['/api/spreadsheet', {}, '"timeZone" must be a time zone such as Europe/Berlin.'],
    [
      '/api/spreadsheet',
      { timeZone: 'Mars/Olympus_Mons' },
      '"Mars/Olympus_Mons" is not a time zone (for example Europe/Berlin).',
    ],
    [
      '/api/clock',
      { advance: 'P2Y' },
      'The clock moves at most a year at a time (every hourly trigger on the way runs); move it again for more.',
    ],
    [
      '/api/clock',
      { advance: 'P1D', quiet: 'yes' },
      '"quiet" must be true (nothing fires on the way) or false.',
    ],
    [
      '/api/clock',
      { to: '2031-01-01T00:00:00Z' },
      'The clock moves at most a year at a time (every hourly trigger on the way runs); move it again for more.',
    ],
    [
      '/api/reset',
      { now: 'next monday' },
      '"now" must be an ISO 8601 time from 2000 to 2099, such as 2027-01-04T09:00:00Z, or a date such as 2027-01-04 (09:00 New York time).',
    ],
    [
      '/api/reset',
      { now: '2027-02-30' },
      '"now" must be an ISO 8601 time from 2000 to 2099, such as 2027-01-04T09:00:00Z, or a date such as 2027-01-04 (09:00 New York time).',
    ],
    [
      '/api/reset',
      { now: 1798549200000 },
      '"now" must be an ISO 8601 time from 2000 to 2099, such as 2027-01-04T09:00:00Z, or a date such as 2027-01-04 (09:00 New York time).',
    ],
    ['/api/reset', { demo: 'no' }, '"demo" must be true (with the demo registrations) or false.'],
  ])('POST %s %j answers 400 with a sentence', async (path, body, error) => {
    expect(await call(sb, 'POST', path, body)).toEqual({ status: 400, body: { error } });
  });

  test('an edit far down the sheet is an outcome, never a server error', async () => {
    const res = await call(sb, 'POST', '/api/edit', {
      sheet: 'Data Stores',
      range: 'A4000000',
      values: [['far']],
    });
    expect(res).toMatchObject({
      status: 200,
      body: { ok: false, refused: expect.stringContaining('above the limit of 10000000 cells') },
    });
  });

  test('POST /api/reset starts at the time given: a date is 09:00 New York time', async () => {
    const byDate = await call(sb, 'POST', '/api/reset', { demo: false, now: '2027-03-01' });
    expect(byDate).toMatchObject({
      status: 200,
      body: { ok: true, now: '2027-03-01T14:00:00.000Z' },
    });
    expect(await registry()).toHaveLength(1);
    const summer = await call(sb, 'POST', '/api/reset', { demo: false, now: '2027-07-01' });
    expect(summer.body.now).toBe('2027-07-01T13:00:00.000Z'); // daylight saving time
    const byTime = await call(sb, 'POST', '/api/reset', {
      demo: false,
      now: '2027-06-01T09:30:00+02:00',
    });
    expect(byTime.body.now).toBe('2027-06-01T07:30:00.000Z');
    expect((await call(sb, 'GET', '/api/state')).body.now).toBe('2027-06-01T07:30:00.000Z');
  });
});

describe('npm start -- --now', () => {
  const tsx = join(ROOT, 'node_modules', '.bin', 'tsx');

  test('a value that is not an ISO time stops the server with a sentence', () => {
    const run = spawnSync(tsx, ['sandbox/server.ts', '--now', 'tomorrow'], {
      cwd: ROOT,
      encoding: 'utf8',
      timeout: 30000,
    });
    expect(run.status).toBe(2);
    expect(run.stderr.trim()).toBe(
      '--now takes an ISO 8601 time from 2000 to 2099, such as 2027-01-04T09:00:00Z, or a date such as 2027-01-04 (09:00 New York time); "tomorrow" is not one.',
    );
  });

  test('sets the clock of a fresh sandbox', async () => {
    requireDist();
    const state = mkdtempSync(join(tmpdir(), 'gp-sandbox-now-'));
    const child = spawn(
      tsx,
      [
        'sandbox/server.ts',
        '--port',
        '0',
        '--state',
        state,
        '--fresh',
        '--no-demo',
        '--now',
        '2027-01-04T09:00:00-05:00',
      ],
      { cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'] },
    );
    try {
      const url = await new Promise<string>((resolve, reject) => {
        let out = '';
        child.stdout.on('data', (chunk: Buffer) => {
          out += chunk.toString();
          const m = /http:\/\/127\.0\.0\.1:\d+/.exec(out);
          if (m) resolve(m[0]);
        });
        child.once('exit', (code) => reject(new Error(`the sandbox exited with ${code}`)));
      });
      const state = (await (await fetch(`${url}/api/state`)).json()) as { now: string };
      expect(state.now).toBe('2027-01-04T14:00:00.000Z');
    } finally {
      child.kill();
    }
  });
});
