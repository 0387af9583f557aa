/**
 * The Editor add-on (DESIGN §10): the runtime models add-on rules, and the built add-on lives
 * by them: its menu in every auth mode, one trigger of each type, an hourly job with no
 * document, entry points that refuse anyone but the recorded trigger owner, the first-run rule,
 * and edits the registry was too busy to take.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Manifest } from '../../sandbox/gas/exec';
import { GasRuntime, ROOT } from '../../sandbox/gas/runtime';
import {
  ADMIN,
  addToSecurityTeam,
  EMPLOYEE,
  runtime,
  SECURITY,
  SETUP,
  setUpRuntime,
  T0,
} from '../helpers';

const HOUR = 3600 * 1000;
const MANIFEST = JSON.parse(readFileSync(join(ROOT, 'appsscript.json'), 'utf8')) as Manifest;

function fixture(code: string, deployment: 'addon' | 'bound' | 'test' = 'addon') {
  return new GasRuntime({ code, manifest: MANIFEST, now: T0, deployment });
}

describe('the runtime models an Editor add-on', () => {
  test('onOpen runs in AuthMode NONE until the person has used the add-on, then LIMITED', () => {
    const rt = fixture(`
      function onOpen(e) {
        SpreadsheetApp.getUi().createAddonMenu().addItem('Use ' + e.authMode, 'use').addToUi();
        PropertiesService.getDocumentProperties();
      }
      function use() {}`);
    expect(() => rt.open(EMPLOYEE)).toThrow(
      'You do not have permission to call PropertiesService in AuthMode.NONE.',
    );
    const quiet = fixture(`
      function onOpen(e) {
        SpreadsheetApp.getUi().createAddonMenu().addItem('Use ' + e.authMode, 'use').addToUi();
      }
      function use() {}`);
    expect(quiet.open(EMPLOYEE)).toEqual([
      {
        caption: 'Extensions',
        submenu: [{ caption: 'Governed Path', submenu: [{ caption: 'Use NONE', fn: 'use' }] }],
      },
    ]);
    expect(quiet.clickMenu('Use NONE', EMPLOYEE).ok).toBe(true);
    expect(JSON.stringify(quiet.open(EMPLOYEE))).toContain('Use LIMITED');
  });

  test('an add-on cannot add a top-level menu; a bound script can', () => {
    const code = `function onOpen() { SpreadsheetApp.getUi().createMenu('Mine').addItem('x', 'x').addToUi(); } function x() {}`;
    expect(() => fixture(code).open(EMPLOYEE)).toThrow('An add-on cannot add a top-level menu');
    expect(fixture(code, 'bound').open(EMPLOYEE)).toEqual([
      { caption: 'Mine', submenu: [{ caption: 'x', fn: 'x' }] },
    ]);
  });

  test('one trigger of each type per user per document, and time-driven at most hourly', () => {
    const rt = fixture(`
      function edit() { ScriptApp.newTrigger('h').forSpreadsheet(SpreadsheetApp.getActive()).onEdit().create(); }
      function hourly() { ScriptApp.newTrigger('h').timeBased().everyHours(1).create(); }
      function often() { ScriptApp.newTrigger('h').timeBased().everyMinutes(5).create(); }
      function h() {}`);
    expect(rt.execute('often', { user: ADMIN, kind: 'menu' }).error).toBe(
      'Add-ons can only create time-driven triggers that run at most once an hour.',
    );
    expect(rt.execute('edit', { user: ADMIN, kind: 'menu' }).ok).toBe(true);
    expect(rt.execute('edit', { user: ADMIN, kind: 'menu' }).error).toBe(
      'This add-on has created too many edit triggers in this document for this Google user account.',
    );
    expect(rt.execute('hourly', { user: ADMIN, kind: 'menu' }).ok).toBe(true);
    expect(rt.execute('hourly', { user: ADMIN, kind: 'menu' }).error).toContain(
      'too many time-based triggers',
    );
    // Another person has their own allowance.
    expect(rt.execute('edit', { user: SECURITY, kind: 'menu' }).ok).toBe(true);
  });

  test('a time-driven trigger has no active spreadsheet, document properties or document lock', () => {
    const rt = fixture(`
      function install() { ScriptApp.newTrigger('tick').timeBased().everyHours(1).create(); }
      function tick() {
        const seen = [
          SpreadsheetApp.getActiveSpreadsheet() === null,
          PropertiesService.getDocumentProperties() === null,
          LockService.getDocumentLock() === null,
          SpreadsheetApp.openById('sandbox-spreadsheet').getName(),
          ScriptApp.getProjectTriggers().length,
          ScriptApp.getUserTriggers(SpreadsheetApp.openById('sandbox-spreadsheet')).length,
        ];
        PropertiesService.getScriptProperties().setProperty('seen', JSON.stringify(seen));
      }`);
    rt.execute('install', { user: ADMIN, kind: 'menu' });
    rt.advance(HOUR);
    expect(JSON.parse(rt.world.properties.script.seen)).toEqual([
      true,
      true,
      true,
      'AI Use-Case Registry',
      1,
      1, // the time trigger belongs to the document it was created in
    ]);
  });

  test('getProjectTriggers spans documents; getUserTriggers(ss) does not', () => {
    const rt = fixture(`
      function count() {
        return [ScriptApp.getProjectTriggers().length, ScriptApp.getUserTriggers(SpreadsheetApp.getActive()).length];
      }`);
    rt.world.triggers.push({
      id: '99',
      owner: ADMIN,
      handler: 'runHourlyJob',
      eventType: 'CLOCK',
      sourceId: null,
      documentId: 'another-spreadsheet',
      time: { kind: 'hours', every: 1, hour: null, minute: null, monthDay: null, weekDay: null },
      nextRun: null,
    });
    expect(rt.execute('count', { user: ADMIN, kind: 'menu' }).value).toEqual([1, 0]);
  });

  test('a test deployment runs no installable triggers', () => {
    const rt = runtime({ deployment: 'test' });
    expect(rt.clickMenu(SETUP, ADMIN).ok).toBe(true);
    const edit = rt.edit('Registry', 'C2', [[EMPLOYEE]], EMPLOYEE);
    expect(edit.executions).toEqual([]);
    expect(rt.advance(24 * HOUR)).toEqual([]);
  });
});

describe('the add-on on the registry', () => {
  test('the whole menu is built in AuthMode NONE, reading nothing', () => {
    const rt = setUpRuntime();
    const menus = rt.open(EMPLOYEE); // never used it: NONE
    expect(rt.lastExecution?.ok).toBe(true);
    expect(JSON.stringify(menus)).toContain('Set up or repair registry');
  });

  test('the hourly job has no document, yet delivers, checks and runs the daily work once a day', () => {
    const rt = setUpRuntime();
    const fired = rt.advance(48 * HOUR);
    expect(fired.every((f) => f.handler === 'runHourlyJob' && f.ok)).toBe(true);
    expect(fired).toHaveLength(48);
    const props = rt.registryProperties();
    expect(props.lastDailyRun).toBe('2026-11-26');
    const check = JSON.parse(props.lastDailyCheck) as { at: string; ok: boolean };
    // The daily work ran in the first hourly run at or after 06:00 in New York.
    expect(check.at).toBe('2026-11-26T11:00:00.000Z');
    expect(JSON.parse(props['heartbeat.hourly'])).toMatchObject({
      owner: ADMIN,
      authorization: 'ok',
      ok: true,
    });
    expect(JSON.parse(props['heartbeat.daily'])).toMatchObject({
      at: '2026-11-26T11:00:00.000Z',
      owner: ADMIN,
    });
    expect(rt.failures()).toEqual([]);
  });

  test('job and trigger functions called directly (google.script.run) do nothing', () => {
    const rt = setUpRuntime();
    rt.edit(
      'Registry',
      'C2:K2',
      [[EMPLOYEE, 'Marketing', 'Mailer', 'Sends mail', '1', '', 'ChatGPT', '4o', 'dev']],
      EMPLOYEE,
    );
    const before = JSON.stringify(rt.world.spreadsheet);
    for (const fn of ['runHourlyJob', 'handleRegistryEdit', 'handleRegistryChange']) {
      rt.run(fn, [{ triggerUid: rt.world.triggers[0].id }], EMPLOYEE);
      rt.run(fn, [{}], ADMIN);
    }
    expect(JSON.stringify(rt.world.spreadsheet)).toBe(before);
    expect(rt.registryProperties().lastDailyRun).toBeUndefined();
  });

  test('only the spreadsheet owner, or a bootstrap admin the publisher names, sets up a new registry', () => {
    const rt = runtime();
    const refused = rt.clickMenu(SETUP, SECURITY);
    expect(refused.ui.map((u) => u.message).join(' ')).toContain(
      "Only the spreadsheet's owner can set up Governed Path in it for the first time.",
    );
    expect(rt.world.triggers).toEqual([]);
    expect(rt.sheetNames()).toEqual(['Sheet1']);

    rt.world.properties.script.bootstrapAdmins = `someone@example.com, ${SECURITY}`;
    expect(rt.clickMenu(SETUP, SECURITY).ui[0].message).toContain('The registry is set up.');
    expect(rt.world.triggers.map((t) => t.owner)).toEqual([SECURITY, SECURITY, SECURITY]);
  });

  test('an edit that arrives while the registry is busy is queued and decided by the next execution', () => {
    const rt = setUpRuntime();
    // Busy for longer than the trigger waits (30 s), not for longer than the next edit waits.
    rt.holdLock('document', rt.world.now + 35000);
    rt.edit(
      'Registry',
      'C2:K2',
      [[EMPLOYEE, 'Marketing', 'Mailer', 'Sends mail', '1', '', 'ChatGPT', '4o', 'dev']],
      EMPLOYEE,
    );
    expect(rt.view('Registry').values[1][0]).toBe(''); // not decided yet
    expect(Object.keys(rt.registryProperties()).some((k) => k.startsWith('queue.'))).toBe(true);

    // The next edit, anywhere, takes the queue first.
    rt.edit('Registry', 'E3', [['Notes bot']], EMPLOYEE);
    const row = rt.view('Registry').values[1];
    expect(row[0]).toBe('AI-0001');
    expect(row[11]).toBe('Approved');
    expect(Object.keys(rt.registryProperties()).some((k) => k.startsWith('queue.'))).toBe(false);
  });

  test('a queued tampering edit is still examined: an employee’s Reviews change is put back and logged', () => {
    const rt = setUpRuntime();
    addToSecurityTeam(rt, SECURITY);
    rt.holdLock('document', rt.world.now + 120000);
    rt.edit('Reviews', 'G2', [['Approved']], EMPLOYEE);
    rt.advance(HOUR); // the hourly job takes the queue
    const log = rt.view('Audit Log').values.map((r) => `${r[1]} ${r[2]} ${r[4]}`);
    expect(log).toContainEqual(
      expect.stringMatching(new RegExp(`^${EMPLOYEE} Tampering reverted Reviews!Status row 2`)),
    );
    expect(rt.view('Reviews').values[1]?.[6] ?? '').toBe(''); // and put back
  });

  test('when another member repairs the registry, the old owner’s hourly job forgets it', () => {
    const rt = setUpRuntime();
    addToSecurityTeam(rt, SECURITY);
    expect(rt.clickMenu(SETUP, SECURITY).ok).toBe(true);
    rt.advance(2 * HOUR);
    expect(rt.world.triggers.map((t) => t.owner)).toEqual([SECURITY, SECURITY, SECURITY]);
    expect(rt.world.properties.user[ADMIN]['governedPath.registries']).toBe('[]');
    expect(rt.failures()).toEqual([]);
  });
});

test('the script lock spans documents and users; the document lock does not exist without a document', () => {
  const rt = fixture(`
    function script() { return LockService.getScriptLock().tryLock(1000); }
    function doc() { return LockService.getDocumentLock() === null ? 'none' : LockService.getDocumentLock().tryLock(1000); }`);
  rt.holdLock('script', rt.world.now + 60000); // another document's execution holds it
  expect(rt.run('script', [], EMPLOYEE)).toEqual({ ok: true, result: false });
  expect(rt.execute('script', { user: ADMIN, kind: 'time' }).value).toBe(false);
  expect(rt.execute('doc', { user: ADMIN, kind: 'time' }).value).toBe('none');
  expect(rt.run('doc', [], EMPLOYEE)).toEqual({ ok: true, result: true });
});

describe('the watchdog: every trigger run leaves a heartbeat, and silence is reported', () => {
  const CHECK = 'Security team > Run daily checks now';
  const sidebarHealth = (rt: GasRuntime, user: string) =>
    (rt.run('getSidebarData', [], user) as { result: { health: string[] } }).result.health;

  test('a healthy registry says who runs its triggers and how much mail they have left', () => {
    const rt = setUpRuntime();
    addToSecurityTeam(rt, SECURITY);
    rt.advance(26 * HOUR);
    rt.edit('Registry', 'E2', [['Watched']], EMPLOYEE);
    const props = rt.registryProperties();
    for (const kind of ['setup', 'edit', 'hourly', 'daily'])
      expect(JSON.parse(props[`heartbeat.${kind}`])).toMatchObject({ owner: ADMIN, ok: true });
    const report = rt.clickMenu(CHECK, SECURITY).ui[0].message;
    expect(report).toContain('Daily checks passed.');
    expect(report).toMatch(
      /Triggers: last hourly run .* as admin@example\.com; \d+ mail recipient/,
    );
    expect(sidebarHealth(rt, SECURITY)).toEqual([]);
  });

  test('triggers that stopped (the owner left, the add-on was disabled) are noticed from their silence', () => {
    const rt = setUpRuntime();
    addToSecurityTeam(rt, SECURITY);
    rt.advance(2 * HOUR);
    rt.world.triggers = []; // Google removes them without a word
    rt.advance(6 * HOUR);
    const report = rt.clickMenu(CHECK, SECURITY).ui[0].message;
    expect(report).toContain('Daily checks found problems.');
    expect(report).toContain('The hourly job last ran');
    expect(report).toContain('Set up or repair registry');
    expect(sidebarHealth(rt, SECURITY)[0]).toContain('The hourly job last ran');
    expect(sidebarHealth(rt, EMPLOYEE)).toEqual([]);
  });

  test('an owner who must authorise again is named; their runs fail and say so', () => {
    const rt = setUpRuntime();
    addToSecurityTeam(rt, SECURITY);
    rt.world.needsReauthorization = [ADMIN];
    rt.advance(2 * HOUR);
    const beat = JSON.parse(rt.registryProperties()['heartbeat.hourly']);
    expect(beat).toMatchObject({ owner: ADMIN, authorization: 'required', mailQuota: null });
    const health = sidebarHealth(rt, SECURITY);
    expect(health.join('\n')).toContain('admin@example.com must authorise Governed Path again');
  });
});
