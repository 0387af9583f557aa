/**
 * The runtime refuses what Apps Script refuses (../shared/reference/apps-script.md), so a test
 * that passes here does not hide code that would fail in Sheets. Each case runs a small fixture
 * script, because these are facts about the platform rather than about the add-on.
 */
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Manifest } from '../../sandbox/gas/exec';
import { GasRuntime, ROOT, RuntimeInputError } from '../../sandbox/gas/runtime';
import { startSlackReceiver, type SlackReceiver } from '../../sandbox/slack/receiver';

const MANIFEST = JSON.parse(readFileSync(join(ROOT, 'appsscript.json'), 'utf8')) as Manifest;
const OWNER = 'admin@example.com';
const PERSON = 'dana@example.com';
const HOOK = 'https://hooks.slack.com/services/T000/B000/XXXX';

function fixture(
  code: string,
  options: {
    manifest?: Manifest;
    slackBaseUrl?: string;
    mailQuota?: number;
    deployment?: 'addon' | 'bound' | 'test';
  } = {},
) {
  return new GasRuntime({
    code,
    deployment: options.deployment,
    manifest: options.manifest ?? MANIFEST,
    now: '2026-11-24T15:00:00Z',
    slackBaseUrl: options.slackBaseUrl ?? null,
    mailQuota: options.mailQuota,
  });
}

const sheet = `function sheet() { return SpreadsheetApp.getActiveSpreadsheet().getSheets()[0]; }\n`;

describe('SpreadsheetApp', () => {
  test('setValues refuses data whose shape differs from the range, and writes nothing', () => {
    const rt = fixture(
      sheet +
        `function rows() { sheet().getRange(1, 1, 2, 2).setValues([[1, 2]]); }
         function cols() { sheet().getRange(1, 1, 2, 2).setValues([[1, 2], [3]]); }
         function notArray() { sheet().getRange(1, 1).setValues('x'); }`,
    );
    expect(rt.execute('rows', { user: OWNER, kind: 'direct' }).error).toBe(
      'The number of rows in the data does not match the number of rows in the range. The data has 1 but the range has 2.',
    );
    expect(rt.execute('cols', { user: OWNER, kind: 'direct' }).error).toBe(
      'The number of columns in the data does not match the number of columns in the range. The data has 1 but the range has 2.',
    );
    expect(rt.execute('notArray', { user: OWNER, kind: 'direct' }).ok).toBe(false);
    expect(rt.view('Sheet1').values).toEqual([['']]);
  });

  test('a TextFinder pattern matches whole cells as shown; look-arounds are refused as RE2 does', () => {
    const rt = fixture(
      sheet +
        `function put() { sheet().getRange(1, 1, 4, 1).setValues([['AI-0001'], ['AI-00010'], ['ai-0002'], ['AI-0002']]); }
         function find(pattern, caseToo) {
           return sheet().getRange('A1:A4').createTextFinder(pattern).useRegularExpression(true)
             .matchEntireCell(true).matchCase(caseToo).findAll().map((r) => r.getRow());
         }
         function look() { return find('AI-(?=0)', true); }`,
    );
    rt.execute('put', { user: OWNER, kind: 'direct' });
    const find = (pattern: string, caseToo: boolean) =>
      rt.execute('find', { user: OWNER, kind: 'direct', args: [pattern, caseToo] }).value;
    expect(find('(?:AI-0001|AI-0002)', true)).toEqual([1, 4]);
    expect(find('(?:AI-0001|AI-0002)', false)).toEqual([1, 3, 4]);
    expect(rt.execute('look', { user: OWNER, kind: 'direct' }).error).toContain('Invalid argument');
  });

  test('a person pasting past the last row grows the sheet; the new rows do not take the formats above', () => {
    const rt = fixture(
      sheet + `function fmt() { sheet().getRange('A1000').setNumberFormat('@'); }`,
    );
    rt.execute('fmt', { user: OWNER, kind: 'direct' });
    expect(rt.edit('Sheet1', 'A999:A1002', [['1'], ['1.10'], ['1.10'], ['x']], PERSON).ok).toBe(
      true,
    );
    const data = rt.world.spreadsheet.sheets[0];
    expect(data.maxRows).toBe(1002);
    expect(
      rt
        .view('Sheet1')
        .values.slice(998)
        .map((r) => r[0]),
    ).toEqual(['1', '1.10', '1.1', 'x']);
  });

  test('a fixed-end conditional format and validation do not grow past appended rows; an open-ended one covers them', () => {
    const rt = fixture(
      sheet +
        `function rules() {
           const s = sheet();
           const red = (r) => SpreadsheetApp.newConditionalFormatRule().whenTextEqualTo('x').setBackground('#ff0000').setRanges([r]).build();
           s.setConditionalFormatRules([red(s.getRange('A1:A1000')), red(s.getRange('B1:B'))]);
           s.getRange('C1:C1000').setDataValidation(SpreadsheetApp.newDataValidation().requireValueInList(['x']).setAllowInvalid(false).build());
         }`,
    );
    rt.execute('rules', { user: OWNER, kind: 'direct' });
    expect(rt.edit('Sheet1', 'A1001:C1001', [['x', 'x', 'y']], PERSON).ok).toBe(true);
    const bg = rt.view('Sheet1').backgrounds[1000];
    expect(bg.slice(0, 2)).toEqual([null, '#ff0000']);
    expect(rt.edit('Sheet1', 'A1000', [['x']], PERSON).ok).toBe(true);
    expect(rt.view('Sheet1').backgrounds[999][0]).toBe('#ff0000');
  });

  test('a paste from another range brings its own format: a plain-text column can lose @', () => {
    const rt = fixture(
      sheet + `function fmt() { sheet().getRange('A1:A3').setNumberFormat('@'); }`,
    );
    rt.execute('fmt', { user: OWNER, kind: 'direct' });
    rt.edit('Sheet1', 'A1', [['007']], PERSON);
    rt.edit('Sheet1', 'A2:A3', [['007'], ['2026-01-02']], PERSON, 'paste', {
      formats: 'automatic',
    });
    expect(rt.view('Sheet1').values.map((r) => r[0])).toEqual(['007', '7', '2026-01-02']);
    expect(rt.world.spreadsheet.sheets[0].grid[2][0]?.v).toEqual({ d: Date.UTC(2026, 0, 2) });
  });

  test('a sort orders numbers and dates by value, then text without case, blanks last; deleting every row is refused', () => {
    const rt = fixture(sheet);
    rt.edit(
      'Sheet1',
      'A1:A6',
      [['10'], ['9'], ['banana'], [''], ['Apple'], ['2026-01-02']],
      PERSON,
    );
    rt.sort('Sheet1', 'A1:A6', 1, true, PERSON);
    expect(
      rt
        .view('Sheet1')
        .values.slice(0, 6)
        .map((r) => r[0]),
    ).toEqual(['9', '10', '2026-01-02', 'Apple', 'banana']);
    expect(rt.deleteRows('Sheet1', 1, 1000, PERSON).refused).toContain('not frozen');
  });

  test('ranges outside the sheet are refused', () => {
    const rt = fixture(
      sheet +
        `function far() { sheet().getRange(1001, 1); } function zero() { sheet().getRange(0, 1); }`,
    );
    expect(rt.execute('far', { user: OWNER, kind: 'direct' }).error).toBe(
      'The coordinates of the range are outside the dimensions of the sheet.',
    );
    expect(rt.execute('zero', { user: OWNER, kind: 'direct' }).error).toBe(
      'The starting row of the range is too small.',
    );
  });

  test('values: numbers, text, booleans, dates and formulas are stored and shown as Sheets does', () => {
    const rt = fixture(
      sheet +
        `function write() {
           const s = sheet();
           s.getRange('B1:B3').setNumberFormat('@');
           s.getRange('C1').setNumberFormat('yyyy-mm-dd');
           s.getRange('D1').setNumberFormat('yyyy-mm-dd hh:mm');
           s.getRange('A1:A6').setValues([['1.10'], ['=1+1'], ["'=not a formula"], ['TRUE'], ['2026-03-01'], ['hello']]);
           s.getRange('B1:B3').setValues([['1.10'], ['=1+1'], ['007']]);
           s.getRange('C1').setValue(new Date(Date.UTC(2026, 0, 2, 3, 0)));
           s.getRange('D1').setValue(new Date(Date.UTC(2026, 6, 2, 18, 30)));
         }
         function read() {
           const s = sheet();
           const v = s.getRange('A1:A6').getValues().map((r) => r[0]);
           return [typeof v[0], v[0], v[1], v[2], v[3], v[4] instanceof Date, s.getRange('A2').getFormula(), typeof s.getRange('B1').getValue()];
         }`,
    );
    expect(rt.execute('write', { user: OWNER, kind: 'direct' }).ok).toBe(true);
    const view = rt.view('Sheet1');
    expect(view.values.map((r) => r.slice(0, 4))).toEqual([
      ['1.1', '1.10', '2026-01-01', '2026-07-02 14:30'],
      ['2', '=1+1', '', ''],
      ['=not a formula', '007', '', ''],
      ['TRUE', '', '', ''],
      ['2026-03-01', '', '', ''],
      ['hello', '', '', ''],
    ]);
    expect(view.formulas[1][0]).toBe('=1+1');
    expect(view.formulas[1][1]).toBe('');
    const read = rt.execute('read', { user: OWNER, kind: 'direct' });
    expect(read.ok).toBe(true);
    expect(JSON.parse(read.realm.stringify(read.value)!)).toEqual([
      'number',
      1.1,
      2,
      '=not a formula',
      true,
      true,
      '=1+1',
      'string',
    ]);
  });

  test('getBackgrounds gives the cell’s own colour; what people see includes conditional formats', () => {
    const rt = fixture(
      sheet +
        `function setUp() {
           const s = sheet();
           const rule = SpreadsheetApp.newConditionalFormatRule().whenTextEqualTo('Blocked')
             .setBackground('#CC4125').setRanges([s.getRange('A1:A10')]).build();
           s.setConditionalFormatRules([rule]);
           s.getRange('A1:A2').setValues([['blocked'], ['Approved']]);
           return s.getRange('A1:A2').getBackgrounds();
         }`,
    );
    const result = rt.execute('setUp', { user: OWNER, kind: 'direct' });
    expect(JSON.parse(result.realm.stringify(result.value)!)).toEqual([['#ffffff'], ['#ffffff']]);
    expect(rt.view('Sheet1').backgrounds).toEqual([['#cc4125'], [null]]);
  });

  test('unsupported calls throw "not emulated", never succeed silently', () => {
    const rt = fixture(
      sheet +
        `function border() { sheet().getRange('A1').setBorder(true, true, true, true, true, true); }
      function chart() { sheet().getBandings(); }`,
    );
    expect(rt.execute('border', { user: OWNER, kind: 'direct' }).error).toBe(
      'not emulated: Range.setBorder',
    );
    expect(rt.execute('chart', { user: OWNER, kind: 'direct' }).error).toBe(
      'not emulated: Sheet.getBandings',
    );
  });

  test('protect() alone protects nothing: the editors mirror the spreadsheet’s until the script changes them', () => {
    const rt = fixture(
      sheet +
        `function protectIt() { sheet().getRange('A1:A5').protect().setDescription('open'); }
         function editors() { return sheet().getProtections(SpreadsheetApp.ProtectionType.RANGE)[0].canDomainEdit(); }`,
    );
    rt.execute('protectIt', { user: OWNER, kind: 'direct' });
    expect(rt.edit('Sheet1', 'A1', [['x']], PERSON)).toMatchObject({ ok: true, refused: null });
    expect(rt.run('editors', [], OWNER)).toEqual({ ok: true, result: true });
  });

  test('protected ranges refuse people and scripts that are not editors; warning-only ones only warn', () => {
    const rt = fixture(
      sheet +
        `function protectIt() {
           const p = sheet().getRange('A1:A5').protect().setDescription('locked');
           p.removeEditors(p.getEditors());
           p.setDomainEdit(false);
           sheet().getRange('B1:B5').protect().setDescription('careful').setWarningOnly(true);
         }
         function writeLocked() { sheet().getRange('A1').setValue('x'); }`,
    );
    rt.execute('protectIt', { user: OWNER, kind: 'direct' });
    expect(rt.edit('Sheet1', 'A1', [['x']], PERSON)).toMatchObject({
      ok: false,
      refused: expect.stringContaining('protected'),
    });
    expect(rt.edit('Sheet1', 'B1', [['x']], PERSON)).toMatchObject({
      ok: true,
      warnings: ['careful'],
    });
    expect(rt.execute('writeLocked', { user: PERSON, kind: 'direct' }).error).toContain(
      'protected cell',
    );
    expect(rt.execute('writeLocked', { user: OWNER, kind: 'direct' }).ok).toBe(true);
  });

  test('strict validation refuses a person’s edit; allow-invalid accepts and flags it', () => {
    const rt = fixture(
      sheet +
        `function validate() {
           const strict = SpreadsheetApp.newDataValidation().requireValueInList(['Yes', 'No']).setAllowInvalid(false).build();
           const lenient = SpreadsheetApp.newDataValidation().requireValueInList(['Yes', 'No']).setAllowInvalid(true).build();
           sheet().getRange('A1').setDataValidation(strict);
           sheet().getRange('B1').setDataValidation(lenient);
         }`,
    );
    rt.execute('validate', { user: OWNER, kind: 'direct' });
    expect(rt.edit('Sheet1', 'A1', [['Maybe']], PERSON)).toMatchObject({
      ok: false,
      refused: expect.stringContaining('data validation'),
    });
    expect(rt.view('Sheet1').values[0][0]).toBe('');
    expect(rt.edit('Sheet1', 'B1', [['Maybe']], PERSON)).toMatchObject({
      ok: true,
      invalid: ['B1'],
    });
    expect(rt.edit('Sheet1', 'A1', [['Yes']], PERSON).ok).toBe(true);
  });
});

describe('triggers', () => {
  const edits = `
    function install() {
      ScriptApp.newTrigger('onEditInstalled').forSpreadsheet(SpreadsheetApp.getActive()).onEdit().create();
    }
    function onEditInstalled(e) {
      const p = PropertiesService.getDocumentProperties();
      const seen = JSON.parse(p.getProperty('seen') || '[]');
      seen.push({ range: e.range.getA1Notation(), value: e.value, oldValue: e.oldValue, hasValue: 'value' in e,
                  user: e.user.getEmail(), effective: Session.getEffectiveUser().getEmail(), uid: !!e.triggerUid });
      p.setProperty('seen', JSON.stringify(seen));
    }
    function scriptWrite() { SpreadsheetApp.getActive().getSheets()[0].getRange('A1').setValue('by script'); }
  `;

  test('people’s edits fire installable edit triggers, as the creator, with value/oldValue only for one cell', () => {
    const rt = fixture(edits);
    rt.execute('install', { user: OWNER, kind: 'direct' });
    rt.edit('Sheet1', 'A1', [['first']], PERSON);
    rt.edit('Sheet1', 'A1', [['second']], PERSON);
    rt.edit(
      'Sheet1',
      'A2:B3',
      [
        ['1', '2'],
        ['3', '4'],
      ],
      PERSON,
    );
    expect(JSON.parse(rt.world.properties.document.seen)).toEqual([
      { range: 'A1', value: 'first', hasValue: true, user: PERSON, effective: OWNER, uid: true },
      {
        range: 'A1',
        value: 'second',
        oldValue: 'first',
        hasValue: true,
        user: PERSON,
        effective: OWNER,
        uid: true,
      },
      { range: 'A2:B3', hasValue: false, user: PERSON, effective: OWNER, uid: true },
    ]);
  });

  test('a one-cell paste or fill carries no value or oldValue; clearing one cell gives only oldValue', () => {
    const rt = fixture(edits);
    rt.execute('install', { user: OWNER, kind: 'direct' });
    rt.edit('Sheet1', 'A1', [['first']], PERSON);
    rt.edit('Sheet1', 'A1', [['pasted']], PERSON, 'paste');
    rt.edit('Sheet1', 'A1', [['']], PERSON, 'clear');
    const seen = JSON.parse(rt.world.properties.document.seen) as Record<string, unknown>[];
    expect(seen.slice(1)).toEqual([
      { range: 'A1', hasValue: false, user: PERSON, effective: OWNER, uid: true },
      {
        range: 'A1',
        oldValue: 'pasted',
        hasValue: false,
        user: PERSON,
        effective: OWNER,
        uid: true,
      },
    ]);
    expect(() => rt.edit('Sheet1', 'A1:B1', [['a', 'b']], PERSON, 'type')).toThrow(
      RuntimeInputError,
    );
  });

  test('a cut-and-move reports only the destination, with no values; the source is left empty', () => {
    const rt = fixture(edits);
    rt.execute('install', { user: OWNER, kind: 'direct' });
    rt.edit('Sheet1', 'A1', [['moved']], PERSON);
    rt.move('Sheet1', 'A1', 'C5', PERSON);
    const seen = JSON.parse(rt.world.properties.document.seen) as Record<string, unknown>[];
    expect(seen[1]).toEqual({
      range: 'C5',
      hasValue: false,
      user: PERSON,
      effective: OWNER,
      uid: true,
    });
    expect(rt.view('Sheet1').values[0][0]).toBe('');
    expect(rt.view('Sheet1').values[4][2]).toBe('moved');
  });

  test('a date cell’s oldValue is its serial number as text', () => {
    const rt = fixture(edits);
    rt.execute('install', { user: OWNER, kind: 'direct' });
    rt.edit('Sheet1', 'A1', [['2026-05-01']], PERSON);
    rt.edit('Sheet1', 'A1', [['later']], PERSON);
    const seen = JSON.parse(rt.world.properties.document.seen) as Record<string, unknown>[];
    expect(seen[1]).toMatchObject({ oldValue: '46143', value: 'later' });
  });

  test('an editor outside the trigger owner’s domain is blank to installable triggers (an unknown editor)', () => {
    const rt = fixture(edits);
    rt.execute('install', { user: OWNER, kind: 'direct' });
    rt.edit('Sheet1', 'A1', [['x']], 'contractor@partner.org');
    expect(JSON.parse(rt.world.properties.document.seen)).toEqual([
      { range: 'A1', value: 'x', hasValue: true, user: '', effective: OWNER, uid: true },
    ]);
  });

  test('script writes never fire edit triggers', () => {
    const rt = fixture(edits);
    rt.execute('install', { user: OWNER, kind: 'direct' });
    rt.execute('scriptWrite', { user: OWNER, kind: 'direct' });
    rt.run('scriptWrite', [], PERSON);
    expect(rt.world.properties.document.seen).toBeUndefined();
  });

  test('simple triggers may not use services that need authorization, nor know the user', () => {
    const rt = fixture(`
      function onEdit(e) {
        const p = PropertiesService.getDocumentProperties();
        p.setProperty('who', Session.getActiveUser().getEmail());
        p.setProperty('eventUser', e.user.getEmail());
        UrlFetchApp.fetch('${HOOK}', { method: 'post', payload: '{}' });
      }
      function onOpen() { MailApp.sendEmail('a@example.com', 's', 'b'); }
      function newTrigger() { ScriptApp.newTrigger('x').timeBased().everyHours(1).create(); }`);
    const edit = rt.edit('Sheet1', 'A1', [['x']], PERSON);
    expect(edit.executions[0]).toMatchObject({
      kind: 'simple',
      ok: false,
      error:
        'You do not have permission to call UrlFetchApp.fetch. Required permissions: https://www.googleapis.com/auth/script.external_request',
    });
    expect(rt.world.properties.document).toMatchObject({ who: '' });
    expect(() => rt.open(PERSON)).toThrow('MailApp.sendEmail');
    expect(rt.execute('newTrigger', { user: PERSON, kind: 'simple' }).error).toContain(
      'ScriptApp.newTrigger',
    );
  });

  test('time-driven triggers fire in order as the clock moves, in the script’s time zone', () => {
    const rt = fixture(
      `
      function install() {
        ScriptApp.newTrigger('daily').timeBased().everyDays(1).atHour(7).create();
        ScriptApp.newTrigger('hourly').timeBased().everyHours(6).create();
      }
      function daily() { log('daily'); }
      function hourly() { log('hourly'); }
      function log(what) {
        const p = PropertiesService.getScriptProperties();
        p.setProperty('log', (p.getProperty('log') || '') + what + '@' + new Date().toISOString() + ' by ' + Session.getEffectiveUser().getEmail() + '\\n');
      }
      function ui() { SpreadsheetApp.getUi(); }
      function installUi() { ScriptApp.newTrigger('ui').timeBased().everyHours(1).create(); }`,
      { deployment: 'bound' }, // a bound script may have several time-driven triggers
    );
    rt.execute('install', { user: OWNER, kind: 'direct' });
    const fired = rt.advance(26 * 3600 * 1000);
    expect(fired.map((f) => `${f.handler}@${f.at}`)).toEqual([
      'hourly@2026-11-24T21:00:00.000Z',
      'hourly@2026-11-25T03:00:00.000Z',
      'hourly@2026-11-25T09:00:00.000Z',
      'daily@2026-11-25T12:00:00.000Z', // 07:00 in New York
      'hourly@2026-11-25T15:00:00.000Z',
    ]);
    expect(rt.world.properties.script.log.split('\n')[3]).toBe(
      `daily@2026-11-25T12:00:00.000Z by ${OWNER}`,
    );
    rt.execute('installUi', { user: OWNER, kind: 'direct' });
    const ui = rt.advance(3600 * 1000).find((f) => f.handler === 'ui');
    expect(ui?.error).toBe('Cannot call SpreadsheetApp.getUi() from this context.');
  });

  test('the daily hour follows the time zone across a daylight-saving change', () => {
    const rt = new GasRuntime({
      code: `function install() { ScriptApp.newTrigger('d').timeBased().everyDays(1).atHour(6).create(); } function d() {}`,
      manifest: MANIFEST,
      now: '2026-10-31T12:00:00Z',
      deployment: 'bound',
    });
    rt.execute('install', { user: OWNER, kind: 'direct' });
    expect(rt.advance(3 * 86400000).map((f) => f.at)).toEqual([
      '2026-11-01T11:00:00.000Z', // 06:00 EST, the day DST ends
      '2026-11-02T11:00:00.000Z',
      '2026-11-03T11:00:00.000Z',
    ]);
  });
});

describe('google.script.run', () => {
  const rt = fixture(`
    function echo(x) { return x; }
    function when() { return { at: new Date() }; }
    function secret_() { return 'hidden'; }
    function fails() { throw new Error('Nope, and here is why.'); }`);

  test('refuses Date and function arguments before anything runs', () => {
    expect(() => rt.run('echo', [new Date()], PERSON)).toThrow(RuntimeInputError);
    expect(() => rt.run('echo', [{ f: () => 1 }], PERSON)).toThrow(
      'Failed due to illegal value in property: f',
    );
  });

  test('passes plain JSON both ways; a Date in the result arrives as null', () => {
    expect(rt.run('echo', [{ a: [1, 'two', null, true] }], PERSON)).toEqual({
      ok: true,
      result: { a: [1, 'two', null, true] },
    });
    expect(rt.run('when', [], PERSON)).toEqual({ ok: true, result: null });
  });

  test('private functions are not callable and errors reach the failure handler', () => {
    expect(rt.run('secret_', [], PERSON)).toEqual({
      ok: false,
      error: 'Script function not found: secret_',
    });
    expect(rt.run('fails', [], PERSON)).toEqual({ ok: false, error: 'Nope, and here is why.' });
  });
});

describe('other services', () => {
  test('a lock held by another execution: tryLock times out, waitLock throws, both wait on the clock', () => {
    const rt = fixture(`
      function tryIt(ms) { const l = LockService.getDocumentLock(); const ok = l.tryLock(ms); return [ok, l.hasLock(), new Date().toISOString()]; }
      function waitIt() { LockService.getDocumentLock().waitLock(1000); }`);
    rt.holdLock('document', '2026-11-24T15:00:05Z');
    expect(rt.run('tryIt', [1000], PERSON)).toEqual({
      ok: true,
      result: [false, false, '2026-11-24T15:00:01.000Z'],
    });
    expect(rt.run('waitIt', [], PERSON)).toEqual({
      ok: false,
      error: 'Lock timeout: another process was holding the lock for too long.',
    });
    expect(rt.run('tryIt', [10000], PERSON)).toEqual({
      ok: true,
      result: [true, true, '2026-11-24T15:00:05.000Z'],
    });
  });

  test('properties: 8 KB per value (the measured limit, under the documented 9 KB) and 500 KB per store; a refused write keeps what was there', () => {
    const rt = fixture(`
      function put(key, size) { PropertiesService.getDocumentProperties().setProperty(key, 'x'.repeat(size)); }`);
    expect(rt.run('put', ['big', 8 * 1024 + 1], PERSON)).toMatchObject({
      ok: false,
      error: expect.stringContaining('Argument too large'),
    });
    for (let i = 0; i < 62; i++) expect(rt.run('put', [`k${i}`, 8 * 1024], PERSON).ok).toBe(true);
    expect(rt.run('put', ['k62', 8 * 1024], PERSON)).toMatchObject({
      ok: false,
      error:
        'You have exceeded the property storage quota. Please remove some properties and try again.',
    });
    expect(Object.keys(rt.world.properties.document)).toHaveLength(62);
  });

  test('the bundle’s clock, dates and digests match Apps Script', () => {
    const rt = fixture(`
      function facts() {
        const now = new Date();
        const digest = Utilities.computeDigest(Utilities.DigestAlgorithm.SHA_256, 'héllo');
        return [now.toISOString(), Date.now() === now.getTime(), now instanceof Date,
                Utilities.formatDate(now, 'America/New_York', "yyyy-MM-dd HH:mm 'at' EEE Z"),
                digest.slice(0, 4), Math.min.apply(null, digest) < 0];
      }`);
    rt.advance(90 * 60 * 1000);
    const expected = [...createHash('sha256').update('héllo', 'utf8').digest()]
      .slice(0, 4)
      .map((b) => (b > 127 ? b - 256 : b));
    expect(rt.run('facts', [], PERSON)).toEqual({
      ok: true,
      result: [
        '2026-11-24T16:30:00.000Z',
        true,
        true,
        '2026-11-24 11:30 at Tue -0500',
        expected,
        true,
      ],
    });
  });

  test('dates are stored without a zone: changing the spreadsheet’s zone keeps what cells show and moves what getValues returns', () => {
    const rt = fixture(
      sheet +
        `function write() { sheet().getRange('A1').setValue(new Date('2026-05-01T16:00:00Z')); }
         function read() { return sheet().getRange('A1').getValue().toISOString(); }
         function zone(tz) { SpreadsheetApp.getActive().setSpreadsheetTimeZone(tz); }`,
    );
    rt.execute('write', { user: OWNER, kind: 'direct' });
    expect(rt.run('read', [], OWNER)).toEqual({ ok: true, result: '2026-05-01T16:00:00.000Z' });
    expect(rt.view('Sheet1').values[0][0]).toBe('5/1/2026 12:00:00');
    rt.run('zone', ['Asia/Tokyo'], OWNER);
    expect(rt.view('Sheet1').values[0][0]).toBe('5/1/2026 12:00:00');
    expect(rt.run('read', [], OWNER)).toEqual({ ok: true, result: '2026-05-01T03:00:00.000Z' });
  });

  test('MailApp rejects a malformed address (and sends nothing)', () => {
    const rt = fixture(`function mail(to) { MailApp.sendEmail(to, 'Hi', 'Body'); }`);
    for (const bad of ['dana', 'dana@', 'dana@example', 'da na@example.com', 'a@b.com, x'])
      expect(rt.run('mail', [bad], PERSON)).toMatchObject({
        ok: false,
        error: expect.stringContaining('Invalid email'),
      });
    expect(rt.run('mail', ['dana@example.com, lee@example.com'], PERSON).ok).toBe(true);
    expect(rt.world.mail).toHaveLength(1);
  });

  test('a spreadsheet holds at most 10 million cells, and a cell at most 50,000 characters', () => {
    const rt = fixture(
      sheet +
        `function grow(n) { sheet().insertRowsAfter(sheet().getMaxRows(), n); return sheet().getMaxRows(); }
         function more() { SpreadsheetApp.getActive().insertSheet('More'); }
         function long(n) { sheet().getRange('A1:B1').setValues([['ok', 'x'.repeat(n)]]); }`,
    );
    // 26 columns: 384,615 rows make 9,999,990 cells.
    expect(rt.run('grow', [384_615 - 1000], OWNER)).toEqual({ ok: true, result: 384_615 });
    expect(rt.run('grow', [1], OWNER)).toMatchObject({
      ok: false,
      error:
        'This action would increase the number of cells in the workbook above the limit of 10000000 cells.',
    });
    expect(rt.run('more', [], OWNER).ok).toBe(false);
    expect(rt.run('long', [50_001], OWNER)).toMatchObject({
      ok: false,
      error: 'Your input contains more than the maximum of 50000 characters in a single cell.',
    });
    expect(rt.view('Sheet1').values[0][0]).toBe('');
    expect(rt.run('long', [50_000], OWNER).ok).toBe(true);
    expect(rt.edit('Sheet1', 'C1', [['y'.repeat(50_001)]], PERSON).refused).toContain(
      'maximum of 50000 characters',
    );
  });

  test('MailApp counts recipients against the daily quota, which resets the next day', () => {
    const rt = fixture(
      `function send(to) { MailApp.sendEmail(to, 'Subject', 'Body'); return MailApp.getRemainingDailyQuota(); }`,
      {
        mailQuota: 3,
      },
    );
    expect(rt.run('send', ['a@example.com,b@example.com'], PERSON)).toEqual({
      ok: true,
      result: 1,
    });
    expect(rt.run('send', ['c@example.com,d@example.com'], PERSON)).toEqual({
      ok: false,
      error: 'Service invoked too many times for one day: email.',
    });
    rt.advance(24 * 3600 * 1000);
    expect(rt.run('send', ['c@example.com'], PERSON)).toEqual({ ok: true, result: 2 });
    expect(rt.world.mail.map((m) => m.to)).toEqual([
      'a@example.com,b@example.com',
      'c@example.com',
    ]);
  });

  test('a call the manifest has no scope for is refused', () => {
    const manifest = {
      ...MANIFEST,
      oauthScopes: MANIFEST.oauthScopes.filter((s) => !s.endsWith('send_mail')),
    };
    const rt = fixture(`function send() { MailApp.sendEmail('a@example.com', 's', 'b'); }`, {
      manifest,
    });
    expect(rt.run('send', [], PERSON)).toEqual({
      ok: false,
      error:
        'You do not have permission to call MailApp.sendEmail. Required permissions: https://www.googleapis.com/auth/script.send_mail',
    });
  });

  test('the cache forgets entries when the clock passes their expiry', () => {
    const rt = fixture(`function put() { CacheService.getScriptCache().put('k', 'v', 60); }
      function get() { return CacheService.getScriptCache().get('k'); }`);
    rt.run('put', [], PERSON);
    expect(rt.run('get', [], PERSON)).toEqual({ ok: true, result: 'v' });
    rt.advance(61 * 1000);
    expect(rt.run('get', [], PERSON)).toEqual({ ok: true, result: null });
  });
});

describe('UrlFetchApp', () => {
  let receiver: SlackReceiver;
  beforeAll(async () => {
    receiver = await startSlackReceiver();
  });
  afterAll(async () => {
    await receiver.stop();
  });
  beforeEach(async () => {
    await receiver.reset();
  });

  const code = `
    function post(url, mute) {
      const r = UrlFetchApp.fetch(url, { method: 'post', contentType: 'application/json',
        payload: JSON.stringify({ text: 'hello <world>' }), muteHttpExceptions: mute });
      return [r.getResponseCode(), r.getContentText(), r.getHeaders()['Retry-After'] || null];
    }`;

  test('delivers https://hooks.slack.com/… to the local receiver, synchronously', async () => {
    const rt = fixture(code, { slackBaseUrl: receiver.baseUrl });
    expect(rt.run('post', [HOOK, false], PERSON)).toEqual({ ok: true, result: [200, 'ok', null] });
    const { messages } = await receiver.messages();
    expect(messages.map((m) => m.payload)).toEqual([{ text: 'hello <world>' }]);
    expect(messages[0].contentType).toBe('application/json');
  });

  test('HTTP errors throw unless muted; Retry-After is visible', async () => {
    const rt = fixture(code, { slackBaseUrl: receiver.baseUrl });
    await receiver.fail({ status: 429, count: 1, retryAfter: 30 });
    expect(rt.run('post', [HOOK, true], PERSON)).toEqual({
      ok: true,
      result: [429, 'rate_limited', '30'],
    });
    await receiver.fail({ status: 410, count: 1 });
    expect(rt.run('post', [HOOK, false], PERSON)).toEqual({
      ok: false,
      error:
        'Request failed for https://hooks.slack.com returned code 410. Truncated server response: channel_is_archived (use muteHttpExceptions option to examine full response)',
    });
    expect(await receiver.messages()).toEqual({ messages: [], failed: 2 });
  });

  test('the receiver answers like Slack for an invalid payload', async () => {
    const rt = fixture(
      `function raw(body) {
         const r = UrlFetchApp.fetch('${HOOK}', { method: 'post', contentType: 'application/json',
           payload: body, muteHttpExceptions: true });
         return [r.getResponseCode(), r.getContentText()];
       }`,
      { slackBaseUrl: receiver.baseUrl },
    );
    const send = (body: string) => rt.run('raw', [body], PERSON);
    expect(send(JSON.stringify({ text: 'x', blocks: [] }))).toEqual({
      ok: true,
      result: [400, 'invalid_blocks'],
    });
    expect(send(JSON.stringify({ blocks: [{ type: 'divider' }] }))).toEqual({
      ok: true,
      result: [400, 'invalid_payload'],
    });
    expect(send('not json')).toEqual({ ok: true, result: [400, 'invalid_payload'] });
    expect(send(JSON.stringify({ text: 'fine', blocks: [{ type: 'divider' }] }))).toEqual({
      ok: true,
      result: [200, 'ok'],
    });
  });

  test('hosts outside urlFetchWhitelist are refused; other hosts are unreachable', () => {
    const rt = fixture(code, { slackBaseUrl: receiver.baseUrl });
    expect(rt.run('post', ['https://example.com/x', true], PERSON)).toMatchObject({
      ok: false,
      error: expect.stringContaining('not permitted'),
    });
    const open = fixture(code, {
      manifest: { ...MANIFEST, urlFetchWhitelist: undefined },
      slackBaseUrl: receiver.baseUrl,
    });
    expect(open.run('post', ['https://example.com/x', true], PERSON)).toEqual({
      ok: false,
      error: 'Address unavailable: https://example.com',
    });
  });
});
