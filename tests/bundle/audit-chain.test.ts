/**
 * The keyed audit chain (DESIGN §6, §6.1): signed rows, a head kept outside the spreadsheet,
 * ISO text timestamps, the two-phase head, the v1 upgrade and the copy refusal, and the key
 * failing closed. Each attack names its oracle: detected (the daily check says where and
 * why) or refused with a sentence; nothing recorded is lost.
 */
import { storedDate } from '../../sandbox/gas/formats';
import { createHash, createHmac } from 'node:crypto';
import { AUDIT_LOG, headersOf, REGISTRY } from '../../src/domain/schema';
import type { GasRuntime } from '../../sandbox/gas/runtime';
import {
  ADMIN,
  addToSecurityTeam,
  auditRows,
  EMPLOYEE,
  SECURITY,
  expectedAuditMacs,
  personSheet,
  runtime,
  SETUP,
  setUpRuntime,
  v1Log,
} from '../helpers';

const CHECK = 'Security team > Run daily checks now';
const ROW = [EMPLOYEE, 'Marketing', 'Mailer', 'Sends mail', '1', '', 'ChatGPT', '4o', 'dev'];

function registered(n = 3): GasRuntime {
  const rt = setUpRuntime();
  rt.edit('Registry', `C2:K${n + 1}`, new Array(n).fill(ROW), EMPLOYEE);
  return rt;
}

function auditSheet(rt: GasRuntime) {
  return rt.world.spreadsheet.sheets.find((s) => s.name === 'Audit Log')!;
}

function check(rt: GasRuntime): string {
  return rt.clickMenu(CHECK, ADMIN).ui[0].message;
}

describe('the keyed audit chain detects what a person does to the log', () => {
  test('honest work verifies, with and without a full pass', () => {
    const rt = registered();
    expect(check(rt)).toContain('Daily checks passed.');
    rt.edit('Registry', 'E2', [['Mailer 2']], EMPLOYEE);
    rt.advance(24 * 3600 * 1000); // the daily job: from the checkpoint
    expect(JSON.parse(rt.registryProperties().lastDailyCheck)).toMatchObject({ ok: true });
    expect(JSON.parse(rt.registryProperties().lastDailyCheck).lines[0]).toContain(
      'since the last check',
    );
  });

  test('rows cut from the end are detected even though every remaining row verifies', () => {
    const rt = registered();
    const sheet = auditSheet(rt);
    const last = sheet.grid.filter((l) => l?.[7]?.v).length + 1;
    rt.deleteRows('Audit Log', last - 1, 2, EMPLOYEE);
    expect(check(rt)).toContain('rows were removed');
  });

  test('a log replaced by a forged one (recomputed as a plain SHA-256 chain) is detected at row 2', () => {
    const rt = registered();
    const sheet = auditSheet(rt);
    let previous = '';
    for (const line of sheet.grid.slice(1).filter((l) => l?.[7]?.v)) {
      line[5] = { v: 'forged' };
      const v = line.map((c) => String(c?.v ?? ''));
      previous = createHash('sha256')
        .update(`${previous}\n${JSON.stringify(v.slice(0, 7))}`)
        .digest('hex');
      line[7] = { v: previous };
    }
    expect(check(rt)).toContain("The Audit Log's hash chain is broken at row 2");
  });

  test('two rows swapped are detected', () => {
    const rt = registered();
    const grid = auditSheet(rt).grid;
    [grid[2], grid[3]] = [grid[3], grid[2]];
    expect(check(rt)).toContain('broken at row 3');
  });

  test('a deleted Audit Log sheet is recreated by the next write, alerted, and the check fails', () => {
    const rt = registered();
    const ss = rt.world.spreadsheet;
    ss.sheets = ss.sheets.filter((s) => s.name !== 'Audit Log');
    rt.edit('Registry', 'C5:K5', [ROW], EMPLOYEE);
    const alert = rt.view('Audit Log').values.find((r) => r[2] === 'Integrity alert')!;
    expect(alert[6]).toContain('was missing (deleted or renamed)');
    expect(check(rt)).toContain('Daily checks found problems.');
  });

  test('a renamed Audit Log sheet is kept as it is, and a new log carries on with an alert', () => {
    const rt = registered();
    auditSheet(rt).name = 'Old log';
    rt.edit('Registry', 'C5:K5', [ROW], EMPLOYEE);
    expect(rt.sheetNames()).toEqual(expect.arrayContaining(['Old log', 'Audit Log']));
    expect(rt.view('Audit Log').values.map((r) => r[2])).toContain('Integrity alert');
  });

  test('a change of the spreadsheet’s time zone leaves the chain intact (timestamps are ISO text)', () => {
    const rt = registered();
    rt.world.spreadsheet.timeZone = 'Asia/Tokyo';
    expect(check(rt)).toContain('Daily checks passed.');
    expect(expectedAuditMacs(rt).actual).toEqual(expectedAuditMacs(rt).expected);
  });

  test('a version-history restore of the file shows as a head behind the one on record, and is alerted', () => {
    const rt = registered();
    const earlier = structuredClone(rt.world.spreadsheet);
    rt.edit('Registry', 'E2', [['Mailer 2']], EMPLOYEE);
    rt.edit('Registry', 'C5:K5', [ROW], EMPLOYEE);
    rt.world.spreadsheet = earlier; // File › Version history › Restore (the store is not the file's)
    const report = check(rt);
    expect(report).toContain('rows were removed');
    expect(auditRows(rt, 'Integrity alert').length).toBeGreaterThan(0);
  });

  test('a typed change to an audit cell that Sheets holds as a date is put back as that date (oldValue is a serial)', () => {
    const rt = registered();
    const sheet = auditSheet(rt);
    // A paste that dropped the plain-text format left a date in the log (zone-less storage).
    sheet.grid[1][6] = {
      v: storedDate(Date.parse('2026-12-01T05:00:00Z'), 'America/New_York'),
      nf: 'yyyy-mm-dd',
    };
    const before = rt.view('Audit Log').values[1][6];
    expect(before).toBe('2026-12-01');
    rt.edit('Audit Log', 'G2', [['2027-01-01']], EMPLOYEE);
    expect(rt.view('Audit Log').values[1][6]).toBe('2026-12-01');
    expect(sheet.grid[1][6]!.v).toEqual(
      storedDate(Date.parse('2026-12-01T05:00:00Z'), 'America/New_York'),
    );
  });

  /** As if the last append's commit never happened: the head still names the entry before. */
  function killedBeforeCommit() {
    const rt = registered();
    const store = rt.registryProperties();
    const head = JSON.parse(store.auditHead) as { count: number; mac: string };
    const { expected } = expectedAuditMacs(rt);
    store.auditHead = JSON.stringify({
      count: head.count - 1,
      mac: expected[head.count - 2],
      pending: head,
    });
    return { rt, store, head };
  }

  test('an execution killed between the append and the head commit is not tampering', () => {
    const { rt, store, head } = killedBeforeCommit();
    expect(check(rt)).toContain('Daily checks passed.');
    expect(JSON.parse(store.auditHead)).toEqual(head);
  });

  test('a pending head kept where registries before this version kept it is still taken', () => {
    const rt = registered();
    const store = rt.registryProperties();
    const head = JSON.parse(store.auditHead) as { count: number; mac: string };
    const { expected } = expectedAuditMacs(rt);
    store.auditPending = JSON.stringify(head);
    store.auditHead = JSON.stringify({ count: head.count - 1, mac: expected[head.count - 2] });
    expect(check(rt)).toContain('Daily checks passed.');
    expect(JSON.parse(store.auditHead)).toEqual(head);
    expect(store.auditPending).toBeUndefined();
  });

  test('so is one killed before its commit went out with the lease: the next edit commits it and carries on', () => {
    const { rt, store } = killedBeforeCommit();
    expect(rt.edit('Registry', 'E2', [['Mailer two']], EMPLOYEE).ok).toBe(true);
    const actions = auditRows(rt).map((r) => r.Action);
    expect(actions).not.toContain('Integrity alert');
    // The new seal names the entry that carries its snapshot (replays are told by it).
    const seal = rt.view('Registry').values[1][headersOf(REGISTRY).indexOf('Seal')];
    const carrier =
      auditRows(rt).findIndex(
        (r) => r.Snapshot !== '' && (JSON.parse(r.Snapshot) as { seal: string }).seal === seal,
      ) + 1;
    expect(carrier).toBe(auditRows(rt).length);
    expect((JSON.parse(seal) as { q: number }).q).toBe(carrier);
    expect(JSON.parse(store.auditHead)).toEqual({
      count: auditRows(rt).length,
      mac: expect.any(String),
    });
    expect(check(rt)).toContain('Daily checks passed.');
  });

  test('rows written past the head by hand are not taken for a lost commit: alerted, head kept', () => {
    const rt = registered();
    const store = rt.registryProperties();
    const head = store.auditHead;
    const sheet = auditSheet(rt);
    const last = sheet.grid.slice(1).filter((l) => l?.[7]?.v).length;
    // A copy of the last row (its MAC included), added where no trigger sees it.
    sheet.grid[last + 1] = sheet.grid[last]!.map((c) => (c ? { ...c } : c));
    expect(check(rt)).toContain('added by hand');
    expect(rt.edit('Registry', 'E2', [['Mailer two']], EMPLOYEE).ok).toBe(true);
    expect(auditRows(rt).map((r) => r.Action)).toContain('Integrity alert');
    expect(JSON.parse(store.auditHead).count).toBeGreaterThan(JSON.parse(head).count);
    // The chain went on from the head on record: the copied row is not one of its entries.
    expect(JSON.parse(store.auditHead).count).toBe(auditRows(rt).length - 1);
  });

  test('uncommitted rows cut short are not taken for a shorter batch: the check fails, the append is alerted', () => {
    const rt = registered();
    const store = rt.registryProperties();
    const before = JSON.parse(store.auditHead) as { count: number };
    rt.edit('Registry', 'C5:K7', [ROW, ROW, ROW], EMPLOYEE); // three audit rows in one append
    const head = JSON.parse(store.auditHead) as { count: number; mac: string };
    expect(head.count).toBe(before.count + 3);
    const { expected } = expectedAuditMacs(rt);
    // Stopped before its commit went out, and then its last row removed by hand.
    store.auditPending = JSON.stringify(head);
    store.auditHead = JSON.stringify({ count: before.count, mac: expected[before.count - 1] });
    auditSheet(rt).grid[head.count] = [];
    expect(check(rt)).not.toContain('Daily checks passed.');
    expect(rt.edit('Registry', 'E2', [['Mailer two']], EMPLOYEE).ok).toBe(true);
    expect(auditRows(rt).map((r) => r.Action)).toContain('Integrity alert');
  });

  test('a pending head the log does not end with is not taken: the append is alerted', () => {
    const rt = registered();
    const store = rt.registryProperties();
    const head = JSON.parse(store.auditHead) as { count: number; mac: string };
    // The last row was cut and the pending head forged to match the shorter log.
    rt.deleteRows('Audit Log', head.count + 1, 1, ADMIN);
    store.auditPending = JSON.stringify({ count: head.count - 1, mac: 'f'.repeat(64) });
    expect(rt.edit('Registry', 'E2', [['Mailer two']], EMPLOYEE).ok).toBe(true);
    expect(auditRows(rt).map((r) => r.Action)).toContain('Integrity alert');
  });
});

describe('one audit row per event (issue 14): the snapshot rides on its event', () => {
  test('an edit writes one row that carries the sealed row; the chain covers it', () => {
    const rt = registered(1);
    const before = auditRows(rt).length;
    expect(rt.edit('Registry', 'E2', [['Mailer two']], EMPLOYEE).ok).toBe(true);
    const added = auditRows(rt).slice(before);
    expect(added.map((a) => a.Action)).toEqual(['Edited']);
    const snapshot = JSON.parse(added[0].Snapshot) as {
      seal: string;
      cells: Record<string, string>;
    };
    expect(snapshot.cells.Project).toBe('Mailer two');
    expect(rt.view('Registry').values[1]).toContain(snapshot.seal);
    const { actual, expected } = expectedAuditMacs(rt);
    expect(actual).toEqual(expected);
    expect(check(rt)).toContain('Daily checks passed.');
  });

  test('a log from before the Snapshot column still restores rows, and gains the column when next written', () => {
    const rt = registered(3);
    const store = rt.registryProperties();
    const key = Buffer.from((JSON.parse(store.signingKey) as { key: string }).key, 'base64');
    // The log as an older version wrote it: eight columns, each snapshot a "Sealed" row of its
    // own with the snapshot in New Value, chained as such.
    const legacy: string[][] = [];
    for (const r of auditRows(rt)) {
      const fields = [r.Timestamp, r.Actor, r.Action, r['Registry ID'], r.Field, r['Old Value']];
      if (!r.Snapshot) legacy.push([...fields, r['New Value']]);
      else if (r.Action === 'Sealed') legacy.push([...fields, r.Snapshot]);
      else {
        legacy.push([...fields, r['New Value']]);
        legacy.push([
          r.Timestamp,
          'Governed Path',
          'Sealed',
          r['Registry ID'],
          'Seal',
          '',
          r.Snapshot,
        ]);
      }
    }
    let previous = '';
    const sheet = auditSheet(rt);
    const header = headersOf(AUDIT_LOG).slice(0, 8);
    sheet.grid = [header, ...legacy].map((line, i) => {
      if (i > 0) {
        const fields = line.map((f) => (/^'[=+\-@\t\r]/.test(f) ? f.slice(1) : f));
        previous = createHmac('sha256', key)
          .update(`${previous}\n${i}\n${JSON.stringify(fields)}`, 'utf8')
          .digest('hex');
        return [...line, previous].map((v) => ({ v }));
      }
      return line.map((v) => ({ v }));
    });
    sheet.maxCols = 8;
    sheet.hiddenColumns = [];
    store.auditHead = JSON.stringify({ count: legacy.length, mac: previous });
    for (const k of ['auditCheckpoint', 'auditRollingCheck', 'auditLastFullCheck']) delete store[k];
    expect(check(rt)).toContain('Daily checks passed.');

    // A deleted row comes back from its snapshot in a "Sealed" row.
    const project = rt.view('Registry').values[2][4];
    rt.deleteRows('Registry', 3, 1, EMPLOYEE);
    expect(rt.view('Registry').values.map((r) => r[4])).toContain(project);

    // The next write adds the Snapshot column (hidden); old and new rows verify together.
    expect(rt.edit('Registry', 'E2', [['Mailer two']], EMPLOYEE).ok).toBe(true);
    expect(rt.view('Audit Log').values[0]).toEqual([...header, 'Snapshot']);
    expect(sheet.hiddenColumns).toEqual([9]);
    expect(auditRows(rt).at(-1)!.Snapshot).toContain('Mailer two');
    expect(check(rt)).toContain('Daily checks passed.');
  });
});

describe('the signing key', () => {
  test('is 256 bits with an ID, created once at setup, and never shown', () => {
    const rt = setUpRuntime();
    const stored = JSON.parse(rt.registryProperties().signingKey) as { id: string; key: string };
    expect(Buffer.from(stored.key, 'base64')).toHaveLength(32);
    expect(stored.id).toMatch(/^k-[0-9a-f]{12}$/);
    expect(rt.clickMenu(SETUP, ADMIN).ok).toBe(true);
    expect(JSON.parse(rt.registryProperties().signingKey)).toEqual(stored);
    const visible = JSON.stringify([
      rt.world.spreadsheet,
      rt.world.executions.map((e) => [e.logs, e.ui]),
    ]);
    expect(visible).not.toContain(stored.key);
  });

  test('a missing key fails closed: nothing is decided or written, and setup will not start over', () => {
    const rt = registered(1);
    const before = JSON.stringify(rt.view('Registry'));
    delete rt.registryProperties().signingKey;
    rt.edit('Registry', 'C3:K3', [ROW], EMPLOYEE);
    expect(rt.view('Registry').values[2][0]).toBe(''); // not decided
    expect(JSON.stringify(rt.view('Registry').values[1])).toBe(
      JSON.stringify(JSON.parse(before).values[1]),
    );
    expect(rt.run('registerProject', [{}], EMPLOYEE)).toEqual({
      ok: false,
      error: expect.stringContaining("This registry's signing key is missing"),
    });
    expect(rt.clickMenu(SETUP, ADMIN).ui[0].message).toContain(
      'Governed Path will not start a new chain over it',
    );
  });
});

describe('upgrading a v1 registry, and refusing a copy', () => {
  const V1 = [
    ['admin@example.com', 'Decision', 'AI-0001', 'Approval', '', 'Approved'],
    ['dana@example.com', 'Edited', 'AI-0001', 'Project', 'A', 'B'],
  ];

  test('a v1 log is verified, kept, and continued as a keyed chain once (logged)', () => {
    const rt = runtime();
    v1Log(rt, V1);
    const setup = rt.clickMenu(SETUP, ADMIN);
    expect(setup.ui[0].message).toContain(
      'Verified the existing Audit Log (2 entries) and continued it as a keyed chain.',
    );
    const log = rt.view('Audit Log').values;
    expect(log[1].slice(1, 3)).toEqual(['admin@example.com', 'Decision']);
    expect(log[1][0]).toBe('2026-10-01T12:00:00Z');
    expect(log[3].slice(1, 3)).toEqual([ADMIN, 'Chain re-anchored']);
    expect(check(rt)).toContain('Daily checks passed.');
    // Later, a change to a v1 row is still detected by the full check.
    rt.world.spreadsheet.sheets.find((s) => s.name === 'Audit Log')!.grid[2]![6] = { v: 'C' };
    expect(check(rt)).toContain('a row of the v1 log was changed');
    // And the upgrade happens once.
    expect(rt.clickMenu(SETUP, ADMIN).ui[0].message).not.toContain('Verified the existing');
  });

  test('a v1 registry’s entries are sealed once at the upgrade, then guarded', () => {
    const rt = runtime();
    // A v1 Registry: the headers of the first build (no Registered By, no Seal).
    const v1Headers = headersOf(REGISTRY).slice(0, 15);
    personSheet(rt, 'Registry', [
      v1Headers,
      [
        'AI-0001',
        '2026-10-01 08:00',
        EMPLOYEE,
        'Marketing',
        'Mailer',
        'Sends mail',
        'Tier 1 - Public',
        '',
        'ChatGPT',
        '4o',
        'Development',
        'Approved',
        '',
        '2026-10-01',
        'Approved (self-service).',
      ],
    ]);
    v1Log(rt, V1);
    expect(rt.clickMenu(SETUP, ADMIN).ui[0].message).toContain(
      'Sealed the 1 existing registry entries.',
    );
    rt.edit('Registry', 'L2', [['Rejected']], EMPLOYEE);
    expect(rt.view('Registry').values[1][11]).toBe('Approved');
    expect(check(rt)).toContain('Daily checks passed.');
  });

  test('a copy of a registry (signed under a key this one does not have) is refused', () => {
    const original = registered(2);
    const copy = runtime();
    const log = original.world.spreadsheet.sheets.find((s) => s.name === 'Audit Log')!;
    copy.world.spreadsheet.sheets.push(JSON.parse(JSON.stringify(log)));
    const result = copy.clickMenu(SETUP, ADMIN);
    expect(result.ui[0].message).toContain('This spreadsheet is a copy of another registry');
    expect(copy.world.triggers).toEqual([]);
    expect(copy.registryProperties().signingKey).toBeUndefined();
  });
});

describe('re-anchoring a broken chain takes two security-team members', () => {
  const reanchor = (rt: GasRuntime, user: string) =>
    rt.run('reanchorAuditLog', [], user) as {
      ok: boolean;
      result?: { done: boolean; message: string };
      error?: string;
    };

  function broken(): GasRuntime {
    const rt = registered();
    addToSecurityTeam(rt, SECURITY);
    const sheet = auditSheet(rt);
    const last = sheet.grid.filter((l) => l?.[7]?.v).length + 1;
    rt.deleteRows('Audit Log', last - 1, 2, EMPLOYEE); // rows cut from the end: lost for good
    expect(check(rt)).toContain('rows were removed');
    return rt;
  }

  test('one asks, another confirms; the chain verifies from there on; the heads go out of band', () => {
    const rt = broken();
    const settings = rt.run('getSettings', [], ADMIN) as {
      result: { chain: { ok: boolean; brokenRow: number } };
    };
    expect(settings.result.chain).toMatchObject({ ok: false });
    expect(reanchor(rt, ADMIN)).toMatchObject({ ok: true, result: { done: false } });
    expect(check(rt)).toContain('hash chain is broken'); // still broken until confirmed
    expect(reanchor(rt, ADMIN)).toMatchObject({
      ok: false,
      error: 'You asked for this re-anchor: another security-team member must confirm it.',
    });
    const done = reanchor(rt, SECURITY);
    expect(done).toMatchObject({ ok: true, result: { done: true } });
    expect(check(rt)).toContain('Daily checks passed.');
    expect(auditRows(rt, 'Re-anchor requested')).toHaveLength(1);
    const record = auditRows(rt, 'Chain re-anchored');
    expect(record).toHaveLength(1);
    expect(record[0]['New Value']).toContain(`asked by ${ADMIN}, confirmed by ${SECURITY}`);
    const mail = rt.world.mail.filter((m) => /re-anchored/.test(m.subject));
    expect(mail.map((m) => m.to).sort()).toEqual([ADMIN, SECURITY]); // one each
    expect(mail[0].body).toContain('Old head:');
    // After the re-anchor, a new change is still caught.
    rt.edit('Registry', 'E2', [['Mailer 3']], EMPLOYEE);
    const sheet = auditSheet(rt);
    const lastRow = sheet.grid.filter((l) => l?.[7]?.v).length;
    sheet.grid[lastRow - 1]![6]!.v = 'forged';
    expect(check(rt)).not.toContain('Daily checks passed.');
  });

  test('an employee cannot ask; an intact chain has nothing to re-anchor; a request expires after a day', () => {
    const ok = registered();
    addToSecurityTeam(ok, SECURITY);
    expect(reanchor(ok, ADMIN)).toMatchObject({
      ok: false,
      error: 'The Audit Log verifies: there is nothing to re-anchor.',
    });
    const rt = broken();
    expect(reanchor(rt, EMPLOYEE)).toMatchObject({ ok: false });
    expect(auditRows(rt, 'Re-anchor requested')).toEqual([]);
    reanchor(rt, ADMIN);
    rt.advance(25 * 3600 * 1000);
    // The request expired: the second member's click is a new request, not a confirmation.
    expect(reanchor(rt, SECURITY)).toMatchObject({ ok: true, result: { done: false } });
    expect(auditRows(rt, 'Chain re-anchored')).toEqual([]);
  });
});

describe('rotating the signing key', () => {
  const keyIds = (rt: GasRuntime, sheet: string) => {
    const { values } = rt.view(sheet);
    const col = values[0].indexOf('Seal');
    return [
      ...new Set(
        values
          .slice(1)
          .filter((r) => r[col])
          .map((r) => (JSON.parse(r[col]) as { k: string }).k),
      ),
    ];
  };

  test('recorded in the chain; every seal re-signed; the old log still verifies; old seals no longer count', () => {
    const rt = registered();
    addToSecurityTeam(rt, SECURITY);
    const oldKey = (JSON.parse(rt.registryProperties().signingKey) as { id: string }).id;
    const oldSeal = rt.view('Registry').values[1][headersOf(REGISTRY).indexOf('Seal')];
    expect(rt.run('rotateSigningKey', [], EMPLOYEE)).toMatchObject({ ok: false });
    const result = rt.run('rotateSigningKey', [], SECURITY) as {
      ok: boolean;
      result: { message: string };
    };
    expect(result.result.message).toContain('every row re-sealed');
    const newKey = (JSON.parse(rt.registryProperties().signingKey) as { id: string }).id;
    expect(newKey).not.toBe(oldKey);
    for (const sheet of ['Registry', 'AI Tools']) expect(keyIds(rt, sheet)).toEqual([newKey]);
    expect(auditRows(rt, 'Key rotated')).toMatchObject([{ Actor: SECURITY, 'Old Value': oldKey }]);
    expect(auditRows(rt, 'Key rotation completed')).toHaveLength(1);
    expect(check(rt)).toContain('Daily checks passed.'); // full pass: both keys' segments
    // A row sealed under the retired key, pasted back, is no longer authentic.
    const col = String.fromCharCode(65 + headersOf(REGISTRY).indexOf('Seal'));
    rt.edit('Registry', `${col}2`, [[oldSeal]], EMPLOYEE);
    expect(keyIds(rt, 'Registry')).toEqual([newKey]);
    expect(auditRows(rt, 'Tampering reverted').map((a) => a.Field)).toContain('Seal');
    expect(check(rt)).toContain('Daily checks passed.');
  });

  test('a large registry is re-sealed in batches; old seals count until the last batch', () => {
    const rt = registered(2001);
    addToSecurityTeam(rt, SECURITY);
    const oldKey = (JSON.parse(rt.registryProperties().signingKey) as { id: string }).id;
    const result = rt.run('rotateSigningKey', [], SECURITY) as { result: { message: string } };
    expect(result.result.message).toContain('more are re-sealed by the hourly job');
    expect(keyIds(rt, 'Registry').sort()).toHaveLength(2);
    expect(keyIds(rt, 'Registry')).toContain(oldKey);
    expect(auditRows(rt, 'Tampering reverted')).toEqual([]);
    rt.advance(3600 * 1000);
    expect(keyIds(rt, 'Registry')).not.toContain(oldKey);
    expect(auditRows(rt, 'Key rotation completed')).toHaveLength(1);
    expect(auditRows(rt, 'Tampering reverted')).toEqual([]);
    expect(check(rt)).toContain('Daily checks passed.');
  });
});

describe('a long log is verified in a rolling pass (issue 14)', () => {
  test('older entries are verified a stretch a day: a change far back is found within the week', () => {
    // 5,200 registrations: an entry each (the snapshot on its row), more than one day's
    // stretch (5,000).
    const rt = registered(5200);
    const HOUR = 3600 * 1000;
    // The next day's daily run only (the hourly runs between change nothing here).
    const daily = () => {
      rt.jumpTo(rt.now.getTime() + 23 * HOUR);
      rt.advance(HOUR);
      return JSON.parse(rt.registryProperties().lastDailyCheck) as { ok: boolean; lines: string[] };
    };
    // (Only the chain's line is looked at: the watchdog notices the hours jumped over.)
    // The first daily run verifies every entry and sets the checkpoint; then the rolling pass.
    expect(daily().lines[0]).toContain('(every entry: full check)');
    const today = daily();
    expect(today.lines[0]).toContain('entries 1–5000 of the weekly pass over older ones');
    expect(auditRows(rt).length).toBeGreaterThan(5100);
    // An entry the pass has just verified is changed by hand (the Audit Log's editors).
    auditSheet(rt).grid[101]![5] = { v: 'changed by hand' };
    // The next stretch ends the round: it holds, though the change is not yet seen…
    const tomorrow = daily();
    expect(tomorrow.lines[0]).toMatch(/entries 5001–\d+ of the weekly pass/);
    // …and the next round finds it, on the third day.
    const third = daily();
    expect(third.ok).toBe(false);
    expect(third.lines[0]).toContain('broken at row 102');
  });
});

describe('a log far longer than the checkpoint is caught up over several runs (issue 14)', () => {
  test('20,000 entries a pass, then the rest to the head on record; a change in either part is found', () => {
    const rt = registered(1);
    const store = rt.registryProperties();
    const key = Buffer.from((JSON.parse(store.signingKey) as { key: string }).key, 'base64');
    const sheet = auditSheet(rt);
    // The log grows by 25,000 entries the checks have not seen (as a registry upgraded from a
    // version without checkpoints would have): each signed and chained as the add-on does.
    const existing = sheet.grid.slice(1).filter((l) => l?.[7]?.v).length;
    let previous = String(sheet.grid[existing]![7]!.v);
    for (let i = 0; i < 25000; i++) {
      const seq = existing + i + 1;
      const fields = [
        '2026-11-24T15:00:00Z',
        EMPLOYEE,
        'Edited',
        'AI-0001',
        'Project',
        `P${i}`,
        `P${i + 1}`,
      ];
      previous = createHmac('sha256', key)
        .update(`${previous}\n${seq}\n${JSON.stringify(fields)}`, 'utf8')
        .digest('hex');
      sheet.grid[seq] = [...fields, previous].map((v) => ({ v }));
    }
    sheet.maxRows = Math.max(sheet.maxRows, existing + 25001);
    store.auditHead = JSON.stringify({ count: existing + 25000, mac: previous });
    delete store.auditCheckpoint;
    delete store.auditRollingCheck;
    const HOUR = 3600 * 1000;
    const daily = () => {
      rt.jumpTo(rt.now.getTime() + 23 * HOUR);
      rt.advance(HOUR);
      return (JSON.parse(store.lastDailyCheck) as { lines: string[] }).lines[0];
    };
    expect(daily()).toBe(
      `Audit log: verified entries 1–20000 of ${existing + 25000} so far; a log this long is verified over several daily runs, the next one goes on from there.`,
    );
    // A change past the verified stretch is found when the next pass reaches it.
    sheet.grid[22000]![5] = { v: 'changed by hand' };
    expect(daily()).toContain('broken at row 22001');
  });
});
