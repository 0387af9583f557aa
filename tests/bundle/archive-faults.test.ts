/**
 * Faults and attacks on the audit archive (from a review that attacked it). Kills are
 * simulated by a hook injected into a copy of the bundle: at the named step the world is
 * snapshotted and the execution ends; whatever it did after (finally blocks, staged writes,
 * the lease's release) is thrown away. The hook points are lines of dist/Code.js: a change
 * to those lines fails this file loudly ("hook point found 0 times"), never silently.
 */
import { createHmac } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { WorldData } from '../../sandbox/gas/model';
import { GasRuntime, ROOT } from '../../sandbox/gas/runtime';
import {
  ADMIN,
  addToSecurityTeam,
  auditRows,
  EMPLOYEE,
  runtime,
  SECURITY,
  SETUP,
  setUpRuntime,
  v1Log,
} from '../helpers';
import {
  busyRegistry,
  CHECK,
  ENTRIES,
  fillRegistry,
  fillWorkbook,
  headRecord,
  HOUR,
  row,
  sheetNamed,
} from './archive-fixture';

// ---------------------------------------------------------------- kill injection

/**
 * Where the kills happen: a hook call goes in before each of these lines of dist/Code.js (a
 * pattern must match exactly once). The append's parts get theirs after each part but the last.
 */
const HOOKS: [RegExp, string][] = [
  [/^ {2}const to = archived\.count \+ count;$/m, 'afterWrite'],
  [/^ {2}const moving = \{$/m, 'afterAppend'],
  [/^ {2}sheet\.deleteRows\(2, count\);$/m, 'beforeDelete'],
  [/^ {2}archivedCache = \{ count: to, mac: last \};$/m, 'afterDelete'],
  [/^ {2}loggedCache = null;\n(?= {2}const through)/m, 'afterRecord'],
  [/^ {2}for \(let i = 0; i < rows\.length; i \+= part\)$/m, 'appendPending'],
  [
    /^ {2}if \(\(0,\w+\.holdingRegistry\)\(\)\) store\.stage\(KEY\.head, headValue\(next\)\);$/m,
    'appendWritten',
  ],
];
const PART =
  /^( {4}sheet\.getRange\(Math\.max\(last, 1\) \+ 1 \+ i, .*\.setValues\(rows\.slice\(i, i \+ part\)\));$/m;

function patchedCode(): string {
  let code = readFileSync(join(ROOT, 'dist', 'Code.js'), 'utf8');
  const once = (pattern: RegExp) => {
    const n = code.match(new RegExp(pattern.source, 'gm'))?.length ?? 0;
    if (n !== 1) throw new Error(`hook point found ${n} times: ${pattern.source}`);
  };
  for (const [pattern, step] of HOOKS) {
    once(pattern);
    code = code.replace(pattern, (line) => `  __hook("${step}");\n${line}`);
  }
  once(PART);
  code = code.replace(
    PART,
    (_, write: string) =>
      `  { ${write.trim()}; if (i + part < rows.length) __hook("appendPart"); }`,
  );
  return (
    'var __hook = function (step) { var g = console.log.constructor("return globalThis")(); if (g.__kill) g.__kill(step); };\n' +
    code
  );
}

class Killed extends Error {}

/**
 * Runs `act` on a runtime whose bundle dies at `step` (the first time it is reached after
 * "afterWrite" for the append steps): the world is left as it was at that moment.
 */
function killAt(rt: GasRuntime, step: string, act: (k: GasRuntime) => void): boolean {
  const killer = new GasRuntime({ world: rt.world, code: patchedCode(), now: rt.world.now });
  let inArchive = false;
  let saved: WorldData | null = null;
  (globalThis as Record<string, unknown>).__kill = (s: string) => {
    if (saved) throw new Killed('killed');
    if (s === 'afterWrite') inArchive = true;
    const append = s.startsWith('append') && s !== 'appendPart';
    if (s === step && (!append || inArchive)) {
      saved = structuredClone(rt.world);
      throw new Killed(`killed at ${s}`);
    }
  };
  try {
    act(killer);
  } finally {
    delete (globalThis as Record<string, unknown>).__kill;
  }
  if (!saved) return false;
  const back = saved as WorldData;
  const now = rt.world.now;
  for (const k of Object.keys(rt.world) as (keyof WorldData)[]) delete (rt.world as never)[k];
  Object.assign(rt.world, back);
  rt.world.now = now;
  return true;
}

// ---------------------------------------------------------------- whole-chain check

/** Archive files (as recorded) + live log, recomputed as one chain from genesis. */
function wholeChain(rt: GasRuntime): { seqs: number; ok: boolean; firstBad: number } {
  const store = rt.registryProperties();
  const key = Buffer.from((JSON.parse(store.signingKey) as { key: string }).key, 'base64');
  const files = (
    JSON.parse(store.auditArchive ?? '{"files":[]}') as {
      files: { id: string; from: number; to: number }[];
    }
  ).files;
  const lines: string[][] = [];
  for (const f of files) {
    const file = rt.world.files!.find((x) => x.id === f.id)!;
    const grid = file.sheets[0].grid;
    for (let r = 1; r <= f.to - f.from; r++)
      lines.push((grid[r] ?? []).map((c) => String(c?.v ?? '')));
  }
  const archivedCount = headRecord(rt).archived?.count ?? 0;
  const inFiles = lines.length;
  const live = sheetNamed(rt, 'Audit Log')
    .grid.slice(1)
    .filter((l) => l?.[7]?.v)
    .map((l) => l.map((c) => String(c?.v ?? '')));
  lines.push(...live);
  let previous = '';
  let firstBad = -1;
  lines.forEach((v, i) => {
    const fields = [...v.slice(0, 7), ...(v[8] ? [v[8]] : [])].map((f) =>
      /^'[=+\-@\t\r]/.test(f) ? f.slice(1) : f,
    );
    previous = createHmac('sha256', key)
      .update(`${previous}\n${i + 1}\n${JSON.stringify(fields)}`, 'utf8')
      .digest('hex');
    if (previous !== v[7] && firstBad < 0) firstBad = i + 1;
    previous = v[7];
  });
  return {
    seqs: lines.length,
    ok: firstBad < 0 && inFiles === archivedCount,
    firstBad: firstBad >= 0 ? firstBad : inFiles === archivedCount ? -1 : -2,
  };
}

// ---------------------------------------------------------------- tests

describe('kills during the move', () => {
  for (const step of [
    'afterWrite',
    'appendPending',
    'appendWritten',
    'afterAppend',
    'beforeDelete',
    'afterDelete',
    'afterRecord',
  ]) {
    test(`killed at ${step}: next runs end consistent, nothing lost, no false alert`, () => {
      const rt = busyRegistry();
      const before = wholeChain(rt);
      expect(before.ok).toBe(true);
      fillWorkbook(rt);
      rt.advance(HOUR); // the daily job
      const killed = killAt(rt, step, (k) => k.advance(HOUR));
      expect(killed).toBe(true);
      // The next runs go on; then a day's checks, and an hour more.
      rt.advance(2 * HOUR);
      expect(auditRows(rt, 'Integrity alert')).toEqual([]);
      const message = rt.clickMenu(CHECK, ADMIN).ui[0].message;
      expect(message).toContain('Daily checks passed.');
      rt.advance(HOUR);
      const after = wholeChain(rt);
      expect(after).toMatchObject({ ok: true });
      expect(after.seqs).toBeGreaterThanOrEqual(before.seqs);
      expect(headRecord(rt).count).toBe(after.seqs);
      expect(headRecord(rt).archived?.count ?? 0).toBeGreaterThan(0);
      expect(auditRows(rt, 'Integrity alert')).toEqual([]);
    });
  }
});

describe('snapshots to carry', () => {
  test("a row pasted at the end of the log naming an ID keeps that ID's latest snapshot from being carried", () => {
    const rt = busyRegistry();
    const registry = rt.view('Registry').values;
    const victimRow = 4; // sheet row 4
    const id = registry[victimRow - 1][0];
    const project = registry[victimRow - 1][4];
    expect(id).toMatch(/^AI-/);
    // An editor pastes one row under the log: an ID and anything in the hidden Snapshot column.
    const at = auditRows(rt).length + 2;
    rt.edit(
      'Audit Log',
      `A${at}:I${at}`,
      [['2026-11-24T16:00:00Z', EMPLOYEE, 'Edited', id, 'Project', '', '', '', 'x']],
      EMPLOYEE,
    );
    fillWorkbook(rt);
    rt.advance(2 * HOUR); // the daily job (it alerts the broken chain), then the archive's hour
    // Nothing moves while the chain does not hold (a pasted row could hide a snapshot).
    expect(headRecord(rt).archived?.count ?? 0).toBe(0);
    // The victim's row is deleted; the daily check must bring it back from its latest snapshot.
    const now = rt.view('Registry').values;
    const rowNow = now.findIndex((v) => v[0] === id) + 1;
    rt.deleteRows('Registry', rowNow, 1, EMPLOYEE);
    rt.clickMenu(CHECK, ADMIN);
    const restored = rt.view('Registry').values.find((v) => v[0] === id);
    expect(restored?.[4]).toBe(project);
  });
});

describe('snapshots to carry: replay', () => {
  test('after the same paste and a move, an older sealed row of that ID pasted back stays', () => {
    const rt = setUpRuntime();
    addToSecurityTeam(rt, SECURITY);
    rt.edit(
      'Registry',
      `C2:K${ENTRIES + 1}`,
      Array.from({ length: ENTRIES }, (_, i) => row(i)),
      EMPLOYEE,
    );
    const reg = sheetNamed(rt, 'Registry');
    const old = JSON.parse(JSON.stringify(reg.grid[3])) as unknown[]; // row 4, first seal
    const id = rt.view('Registry').values[3][0];
    rt.edit(
      'Registry',
      `F2:F${ENTRIES + 1}`,
      Array.from({ length: ENTRIES }, (_, i) => [`Version ${i}.`]),
      EMPLOYEE,
    );
    expect(rt.clickMenu(CHECK, ADMIN).ui[0].message).toContain('Daily checks passed.');
    const at = auditRows(rt).length + 2;
    rt.edit('Audit Log', `A${at}:I${at}`, [['', '', '', id, '', '', '', '', 'x']], EMPLOYEE);
    fillWorkbook(rt);
    rt.advance(2 * HOUR);
    expect(headRecord(rt).archived?.count ?? 0).toBe(0);
    reg.grid[3] = old as never; // the older sealed row comes back (no trigger sees it)
    rt.clickMenu(CHECK, ADMIN);
    expect(rt.view('Registry').values[3][5]).toBe('Version 2.');
  });
});

/** A registry whose first move was killed at `step` (a second member on the team). */
function killedFirstMove(step: string): GasRuntime {
  const rt = busyRegistry();
  addToSecurityTeam(rt, 'second@example.com');
  fillWorkbook(rt);
  rt.advance(HOUR);
  expect(killAt(rt, step, (k) => k.advance(HOUR))).toBe(true);
  return rt;
}

describe('the first move stopped between removing the rows and recording it', () => {
  test('the first move records that it is under way before its rows go', () => {
    const rt = killedFirstMove('beforeDelete');
    // Rows about to go: the head's record must say which entry row 2 will hold after.
    expect(headRecord(rt).archived?.move).toBeDefined();
  });
  test('after the kill and a re-anchor, the head is not behind the entries issued', () => {
    const rt = killedFirstMove('afterDelete');
    const issued = headRecord(rt).count;
    rt.advance(HOUR); // the killed run's lease runs out
    // The move is settled by the MAC row 2 holds: nothing to re-anchor, nothing renumbered.
    expect(rt.clickMenu(CHECK, ADMIN).ui[0].message).toContain('Daily checks passed.');
    expect(headRecord(rt).count).toBeGreaterThanOrEqual(issued);
    expect(headRecord(rt).archived?.move).toBeUndefined();
  });

  test('after a first move killed midway (and a re-anchor asked for), an older sealed row pasted back is still put back', () => {
    const rt = killedFirstMove('afterDelete');
    rt.advance(HOUR);
    rt.clickMenu(CHECK, ADMIN);
    rt.run('reanchorAuditLog', [], SECURITY);
    rt.run('reanchorAuditLog', [], 'second@example.com');
    const sheet = sheetNamed(rt, 'Registry');
    const old = JSON.parse(JSON.stringify(sheet.grid[500])) as unknown[];
    const id = rt.view('Registry').values[500][0];
    expect(rt.edit('Registry', 'E501', [['Renamed after the re-anchor']], EMPLOYEE).ok).toBe(true);
    expect(rt.view('Registry').values[500][4]).toBe('Renamed after the re-anchor');
    // The row as it was sealed before comes back (Sheets API, another script: no trigger).
    sheet.grid[500] = old as never;
    rt.clickMenu(CHECK, ADMIN);
    const now = rt.view('Registry').values.find((v) => v[0] === id)!;
    expect(now[4]).toBe('Renamed after the re-anchor');
  });
});

describe('more archive scenarios', () => {
  test('a second move goes into the same file after the first, and everything chains', () => {
    const rt = busyRegistry();
    fillWorkbook(rt);
    rt.advance(2 * HOUR);
    expect(headRecord(rt).archived?.count ?? 0).toBeGreaterThan(0);
    const first = headRecord(rt).archived!.count;
    for (let v = 0; v < 2; v++)
      expect(
        rt.edit(
          'Registry',
          `F2:F${ENTRIES + 1}`,
          Array.from({ length: ENTRIES }, (_, i) => [`Drafts replies, round ${v} ${i}.`]),
          EMPLOYEE,
        ).ok,
      ).toBe(true);
    expect(rt.clickMenu(CHECK, ADMIN).ui[0].message).toContain('Daily checks passed.');
    rt.advance(HOUR);
    expect(headRecord(rt).archived!.count).toBeGreaterThan(first);
    expect(rt.world.files).toHaveLength(1);
    expect(wholeChain(rt)).toMatchObject({ ok: true });
    expect(rt.clickMenu(CHECK, ADMIN).ui[0].message).toContain('Daily checks passed.');
    expect(auditRows(rt, 'Integrity alert')).toEqual([]);
  });

  test('a pasted-back older Registry row is put back after its snapshot was archived', () => {
    const rt = busyRegistry();
    const sheet = sheetNamed(rt, 'Registry');
    const old = JSON.parse(JSON.stringify(sheet.grid[3])) as unknown[]; // row 4 as sealed now
    const id = rt.view('Registry').values[3][0];
    expect(rt.edit('Registry', 'E4', [['Renamed before the archive']], EMPLOYEE).ok).toBe(true);
    expect(rt.clickMenu(CHECK, ADMIN).ui[0].message).toContain('Daily checks passed.');
    fillWorkbook(rt);
    rt.advance(2 * HOUR);
    expect(headRecord(rt).archived?.count ?? 0).toBeGreaterThan(0);
    // The old row comes back into the sheet without any trigger (as the Sheets API would).
    sheet.grid[3] = old as never;
    rt.clickMenu(CHECK, ADMIN);
    const now = rt.view('Registry').values.find((v) => v[0] === id)!;
    expect(now[4]).toBe('Renamed before the archive');
  });

  test('a deleted Reviews row whose snapshot moved is restored from the carried snapshot', () => {
    const rt = setUpRuntime();
    addToSecurityTeam(rt, SECURITY);
    expect(
      rt.edit(
        'Registry',
        'C2:K2',
        [[EMPLOYEE, 'Legal', 'Contracts', 'Reads contracts.', '3', '', 'Claude Code', '1', 'dev']],
        EMPLOYEE,
      ).ok,
    ).toBe(true);
    const reviews = rt.view('Reviews').values;
    expect(reviews.length).toBeGreaterThan(1);
    const reviewId = reviews[1][0];
    fillRegistry(rt, 3);
    fillWorkbook(rt);
    rt.advance(2 * HOUR);
    expect(headRecord(rt).archived?.count ?? 0).toBeGreaterThan(0);
    rt.deleteRows('Reviews', 2, 1, EMPLOYEE);
    rt.clickMenu(CHECK, ADMIN);
    expect(rt.view('Reviews').values.some((v) => v[0] === reviewId)).toBe(true);
  });

  test('key rotation before the archive: moved entries verify with the retired key', () => {
    const rt = busyRegistry();
    expect(rt.run('rotateSigningKey', [], SECURITY)).toMatchObject({ ok: true });
    rt.advance(HOUR);
    expect(auditRows(rt, 'Key rotation completed')).toHaveLength(1);
    expect(rt.clickMenu(CHECK, ADMIN).ui[0].message).toContain('Daily checks passed.');
    fillWorkbook(rt);
    rt.advance(2 * HOUR);
    expect(headRecord(rt).archived?.count ?? 0).toBeGreaterThan(0);
    expect(rt.clickMenu(CHECK, ADMIN).ui[0].message).toContain('Daily checks passed.');
    const id = rt.view('Registry').values[5][0];
    rt.deleteRows('Registry', 6, 1, EMPLOYEE);
    rt.clickMenu(CHECK, ADMIN);
    expect(rt.view('Registry').values.some((v) => v[0] === id)).toBe(true);
  });

  test('re-anchored after a break, then archived: the chain verifies on', () => {
    const rt = busyRegistry();
    addToSecurityTeam(rt, 'second@example.com');
    // A row of the log changed by hand: broken.
    sheetNamed(rt, 'Audit Log').grid[700][5] = { v: 'changed by hand' };
    expect(rt.clickMenu(CHECK, ADMIN).ui[0].message).toContain('broken');
    expect(rt.run('reanchorAuditLog', [], SECURITY)).toMatchObject({ ok: true });
    expect(rt.run('reanchorAuditLog', [], 'second@example.com')).toMatchObject({
      ok: true,
      result: { done: true },
    });
    for (let v = 0; v < 2; v++)
      rt.edit(
        'Registry',
        `F2:F${ENTRIES + 1}`,
        Array.from({ length: ENTRIES }, (_, i) => [`r${v} ${i}`]),
        EMPLOYEE,
      );
    expect(rt.clickMenu(CHECK, ADMIN).ui[0].message).toContain('Daily checks passed.');
    fillWorkbook(rt);
    rt.advance(2 * HOUR);
    expect(headRecord(rt).archived?.count ?? 0).toBeGreaterThan(0);
    expect(rt.clickMenu(CHECK, ADMIN).ui[0].message).toContain('Daily checks passed.');
    expect(auditRows(rt, 'Integrity alert')).toEqual([]);
  });
});

describe('the trigger owner changes', () => {
  test('another member repairs the registry: the next move still happens and the hourly job does not fail', () => {
    const rt = busyRegistry();
    fillWorkbook(rt);
    rt.advance(2 * HOUR);
    const first = headRecord(rt).archived?.count ?? 0;
    expect(first).toBeGreaterThan(0);
    expect(rt.world.files![0].owner).toBe(ADMIN);
    // Another security-team member repairs the registry: their triggers run it from now on.
    expect(rt.clickMenu('Security team > Set up or repair registry', SECURITY).ok).toBe(true);
    for (let v = 0; v < 2; v++)
      rt.edit(
        'Registry',
        `F2:F${ENTRIES + 1}`,
        Array.from({ length: ENTRIES }, (_, i) => [`Round ${v} ${i}.`]),
        EMPLOYEE,
      );
    expect(rt.clickMenu(CHECK, SECURITY).ui[0].message).toContain('Daily checks passed.');
    // Someone writes an owned cell where no trigger sees it (the Sheets API): the hourly sweep's.
    const reg = sheetNamed(rt, 'Registry');
    const approval = rt.view('Registry').values[0].indexOf('Approval');
    reg.grid[9][approval] = { v: 'Approved by me' };
    const outbox = () =>
      Object.entries(rt.registryProperties())
        .filter(([k, v]) => k.startsWith('outbox.') && !JSON.parse(v).channel)
        .map(([, v]) => v);
    const before = outbox().length;
    rt.advance(2 * HOUR);
    const runs = rt.world.executions.filter((e) => e.fn === 'runHourlyJob').slice(-2);
    const failedRuns = runs.flatMap((e) => e.logs);
    // The sweep put the cell back; the team hears of it.
    expect(rt.view('Registry').values[9][approval]).not.toBe('Approved by me');
    expect(outbox().length).toBeGreaterThan(before);
    expect(failedRuns).toEqual([]);
    expect(headRecord(rt).archived!.count).toBeGreaterThan(first);
  });
});

describe('audit appends in parts', () => {
  test('an execution stopped between two parts of one append is not taken for tampering', () => {
    const rt = setUpRuntime();
    addToSecurityTeam(rt, SECURITY);
    const N = 2500; // 2,500 audit entries: two parts of at most 20,000 cells
    const killed = killAt(rt, 'appendPart', (k) =>
      k.edit(
        'Registry',
        `C2:K${N + 1}`,
        Array.from({ length: N }, (_, i) => row(i)),
        EMPLOYEE,
      ),
    );
    expect(killed).toBe(true);
    rt.advance(HOUR); // the killed run's lease runs out; the hourly sweep decides what is left
    expect(auditRows(rt, 'Integrity alert')).toEqual([]);
    expect(rt.clickMenu(CHECK, ADMIN).ui[0].message).toContain('Daily checks passed.');
  });
});

describe('formulas found by the sweep', () => {
  for (const n of [5, 30])
    test(`formulas written into ${n} scattered rows' inputs without a trigger are kept as text`, () => {
      const rt = setUpRuntime();
      addToSecurityTeam(rt, SECURITY);
      expect(
        rt.edit(
          'Registry',
          'C2:K101',
          Array.from({ length: 100 }, (_, i) => row(i)),
          EMPLOYEE,
        ).ok,
      ).toBe(true);
      const reg = sheetNamed(rt, 'Registry');
      const project = rt.view('Registry').values[0].indexOf('Project');
      const rows = Array.from({ length: n }, (_, k) => 3 + k * 3);
      for (const r of rows) reg.grid[r - 1][project] = { f: `=CONCAT("x","${r}")`, v: `x${r}` };
      rt.clickMenu(CHECK, ADMIN);
      const view = rt.view('Registry');
      for (const r of rows) {
        expect(view.formulas[r - 1][project] ?? '').toBe('');
        expect(view.values[r - 1][project]).toBe(`=CONCAT("x","${r}")`);
      }
    });
});

describe('a v1 log archived', () => {
  test('the v1 prefix moves whole and the chain verifies after', () => {
    const rt = runtime();
    v1Log(rt, [
      ['admin@example.com', 'Decision', 'AI-0001', 'Approval', '', 'Approved'],
      ['dana@example.com', 'Edited', 'AI-0001', 'Project', 'A', 'B'],
      ['dana@example.com', 'Sealed', 'AI-0002', 'Seal', '', 'not a seal'],
    ]);
    expect(rt.clickMenu(SETUP, ADMIN).ui[0].message).toContain('Verified the existing Audit Log');
    addToSecurityTeam(rt, SECURITY);
    fillRegistry(rt);
    fillWorkbook(rt);
    rt.advance(2 * HOUR);
    expect(headRecord(rt).archived?.count ?? 0).toBeGreaterThan(3);
    expect(rt.clickMenu(CHECK, ADMIN).ui[0].message).toContain('Daily checks passed.');
    rt.edit('Registry', 'E3', [['Renamed']], EMPLOYEE);
    rt.advance(24 * HOUR);
    expect(JSON.parse(rt.registryProperties().lastDailyCheck)).toMatchObject({ ok: true });
    expect(auditRows(rt, 'Integrity alert')).toEqual([]);
  });
});

describe('re-anchoring after an archive', () => {
  test('a live row changed after a move: re-anchored by two, then verified and archived on', () => {
    const rt = busyRegistry();
    addToSecurityTeam(rt, 'second@example.com');
    fillWorkbook(rt);
    rt.advance(2 * HOUR);
    const first = headRecord(rt).archived!.count;
    expect(first).toBeGreaterThan(0);
    const issued = headRecord(rt).count;
    sheetNamed(rt, 'Audit Log').grid[100][5] = { v: 'changed by hand' };
    expect(rt.clickMenu(CHECK, ADMIN).ui[0].message).toContain('broken at row 101');
    rt.run('reanchorAuditLog', [], SECURITY);
    expect(rt.run('reanchorAuditLog', [], 'second@example.com')).toMatchObject({
      ok: true,
      result: { done: true },
    });
    expect(headRecord(rt).count).toBeGreaterThanOrEqual(issued);
    expect(headRecord(rt).archived?.count).toBe(first);
    expect(rt.clickMenu(CHECK, ADMIN).ui[0].message).toContain('Daily checks passed.');
    for (let v = 0; v < 2; v++)
      rt.edit(
        'Registry',
        `F2:F${ENTRIES + 1}`,
        Array.from({ length: ENTRIES }, (_, i) => [`r${v} ${i}`]),
        EMPLOYEE,
      );
    expect(rt.clickMenu(CHECK, ADMIN).ui[0].message).toContain('Daily checks passed.');
    rt.advance(HOUR);
    expect(headRecord(rt).archived!.count).toBeGreaterThan(first);
    expect(rt.clickMenu(CHECK, ADMIN).ui[0].message).toContain('Daily checks passed.');
    rt.clickMenu('Security team > Audit evidence pack', SECURITY);
    const pack = rt.world.spreadsheet.sheets.find((s) => s.name.startsWith('Evidence - '))!;
    const lines = pack.grid.map((line) => (line ?? []).map((c) => String(c?.v ?? '')));
    expect(lines.find((l) => l[0] === 'Verification')?.[1]).toContain('intact');
  });
});

describe('kills during a second move (the move record is written)', () => {
  for (const step of ['beforeDelete', 'afterDelete'])
    test(`killed at ${step}`, () => {
      const rt = busyRegistry();
      fillWorkbook(rt);
      rt.advance(2 * HOUR);
      const first = headRecord(rt).archived!.count;
      for (let v = 0; v < 2; v++)
        rt.edit(
          'Registry',
          `F2:F${ENTRIES + 1}`,
          Array.from({ length: ENTRIES }, (_, i) => [`r${v} ${i}`]),
          EMPLOYEE,
        );
      expect(rt.clickMenu(CHECK, ADMIN).ui[0].message).toContain('Daily checks passed.');
      expect(killAt(rt, step, (k) => k.advance(HOUR))).toBe(true);
      expect(headRecord(rt).archived?.move).toBeDefined();
      rt.advance(2 * HOUR);
      expect(rt.clickMenu(CHECK, ADMIN).ui[0].message).toContain('Daily checks passed.');
      rt.advance(HOUR);
      expect(headRecord(rt).archived!.count).toBeGreaterThan(first);
      expect(wholeChain(rt)).toMatchObject({ ok: true });
      expect(auditRows(rt, 'Integrity alert')).toEqual([]);
    });
});

describe('decideReview with a hostile hint', () => {
  test('regex characters, an entry ID as the review ID: nothing decided', () => {
    const rt = setUpRuntime();
    addToSecurityTeam(rt, SECURITY);
    const t3 = (p: string) => [
      EMPLOYEE,
      'Legal',
      p,
      'Reads contracts.',
      '3',
      '',
      'Claude Code',
      '1',
      'dev',
    ];
    rt.edit('Registry', 'C2:K3', [t3('One'), t3('Two')], EMPLOYEE);
    const reviews = () =>
      rt
        .view('Reviews')
        .values.slice(1)
        .map((r) => r.slice(0, 8).join('|'));
    const before = reviews();
    expect(before).toHaveLength(2);
    for (const [id, hint] of [
      ['R-000.', 'AI-0001'],
      ['R-000[12]', 'AI-0001'],
      ['AI-0001', 'AI-0001'],
      ['.*', 'AI-0002'],
      ['R-0001|R-0002', 'AI-0001'],
    ]) {
      const r = rt.run(
        'decideReview',
        [id, { decision: 'Approved', note: '', threatModel: '', registryId: hint }],
        SECURITY,
      );
      expect(r).toMatchObject({ ok: false });
    }
    expect(reviews()).toEqual(before);
  });
});
