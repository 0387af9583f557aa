import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startSandbox, type Sandbox } from '../../sandbox/server';
import { requireDist } from '../helpers';

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
  beforeAll(async () => {
    requireDist();
    state = mkdtempSync(join(tmpdir(), 'gp-sandbox-'));
    sb = await startSandbox({ port: 0, state, fresh: true, demo: true });
  });
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
    // The only mail of the demo so far: the daily Audit Log head to the security team.
    const mail = body.mail as { subject: string; to: string }[];
    expect(mail.length).toBeGreaterThan(0);
    expect(mail.every((m) => m.subject.startsWith('Governed Path: Audit Log head for'))).toBe(true);
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
    expect(Math.abs(Date.parse(body.now as string) - Date.now())).toBeLessThan(60000);
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
    const { mail } = (await call(sb, 'GET', '/api/mail')).body as { mail: { subject: string }[] };
    expect(mail.filter((m) => !/Audit Log head/.test(m.subject))).toEqual([]);
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

  test('POST /api/reset gives a fresh spreadsheet set up by the admin', async () => {
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
  });
});
