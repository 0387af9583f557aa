/**
 * The audit archive (issue 14, DESIGN §6): a workbook near its cells moves its oldest audit
 * entries to a file of their own; the chain goes on verifying, the head is carried over, and
 * the latest snapshot of every ID is still in the live log (a deleted row is restored from it).
 */
import type { GasRuntime } from '../../sandbox/gas/runtime';
import { ADMIN, auditRows, EMPLOYEE, SECURITY } from '../helpers';
import {
  busyRegistry,
  CHECK,
  ENTRIES,
  fillWorkbook,
  headRecord,
  HOUR,
  sheetNamed,
} from './archive-fixture';

function cells(rt: GasRuntime): number {
  return rt.world.spreadsheet.sheets.reduce((n, s) => n + s.maxRows * s.maxCols, 0);
}

/** What the head's record says moved out. */
function archived(rt: GasRuntime): { count: number; mac: string; move?: unknown } {
  return headRecord(rt).archived!;
}

function hashes(rt: GasRuntime): string[] {
  return auditRows(rt)
    .map((r) => r.Hash)
    .filter((h) => h !== '');
}

describe('the audit archive', () => {
  let rt: GasRuntime;
  let before: string[];
  let cellsBefore: number;
  beforeAll(() => {
    rt = busyRegistry();
    before = hashes(rt);
    fillWorkbook(rt);
    cellsBefore = cells(rt);
    // The first hourly run of the day is the daily job; the next one has room to archive.
    rt.advance(2 * HOUR);
  });

  test('moves the oldest verified entries to a file the trigger owner owns, shared with the team to read', () => {
    const files = rt.world.files ?? [];
    expect(files).toHaveLength(1);
    const [file] = files;
    expect(file.owner).toBe(ADMIN);
    expect(file.viewers).toContain(SECURITY);
    expect(file.editors ?? []).toEqual([]);
    const sheet = file.sheets[0];
    expect(sheet.name).toBe('Audit Log');
    const moved = sheet.grid
      .slice(1)
      .map((line) => String(line?.[7]?.v ?? ''))
      .filter((h) => h !== '');
    expect(moved.length).toBeGreaterThanOrEqual(1000);
    // Word for word the entries that were first in the log, in order.
    expect(moved).toEqual(before.slice(0, moved.length));
    expect(archived(rt).count).toBe(moved.length);
    // Recorded with who created it: only that account writes to it again.
    expect(JSON.parse(rt.registryProperties().auditArchive)).toEqual({
      files: [{ id: file.id, url: expect.any(String), owner: ADMIN, from: 0, to: moved.length }],
    });
  });

  test('the live log continues from there, and says what moved where', () => {
    const live = hashes(rt);
    const state = archived(rt);
    expect(live.slice(0, before.length - state.count)).toEqual(before.slice(state.count));
    const record = auditRows(rt, 'Audit Log archived');
    expect(record).toHaveLength(1);
    expect(record[0]['Old Value']).toContain(`entries 1–${state.count}`);
    expect(record[0]['New Value']).toBe(
      `https://docs.google.com/spreadsheets/d/${rt.world.files![0].id}/edit`,
    );
    expect(cells(rt)).toBeLessThan(cellsBefore);
  });

  test('the security team hears of it, and the evidence pack names the archive', () => {
    const messages = Object.entries(rt.registryProperties())
      .filter(([k, v]) => k.startsWith('outbox.') && !JSON.parse(v).channel)
      .map(([, v]) => v);
    expect(messages.some((m) => m.includes('Audit Log entries archived'))).toBe(true);
    rt.clickMenu('Security team > Audit evidence pack', SECURITY);
    const pack = rt.world.spreadsheet.sheets.find((s) => s.name.startsWith('Evidence - '))!;
    const lines = pack.grid.map((line) => (line ?? []).map((c) => String(c?.v ?? '')));
    const archived = lines.find((l) => l[0] === 'Archived entries');
    expect(archived?.[1]).toContain(rt.world.files![0].id);
    expect(lines.find((l) => l[0] === 'Verification')?.[1]).toContain('intact');
  });

  test('every ID still has its latest snapshot in the live log', () => {
    const ids = new Set(
      auditRows(rt)
        .filter((r) => r.Snapshot !== '')
        .map((r) => r['Registry ID']),
    );
    const registry = rt
      .view('Registry')
      .values.slice(1)
      .map((v) => v[0])
      .filter((id) => id);
    expect(registry).toHaveLength(ENTRIES);
    for (const id of registry) expect(ids.has(id)).toBe(true);
  });

  test('the chain verifies from the archive on: full check, daily job, and edits after it', () => {
    const edit = rt.edit('Registry', 'E3', [['Renamed helper']], EMPLOYEE);
    expect(edit.ok).toBe(true);
    expect(auditRows(rt, 'Integrity alert')).toEqual([]);
    const message = rt.clickMenu(CHECK, ADMIN).ui[0].message;
    expect(message).toContain('Daily checks passed.');
    rt.advance(24 * HOUR);
    expect(JSON.parse(rt.registryProperties().lastDailyCheck)).toMatchObject({ ok: true });
    expect(auditRows(rt, 'Integrity alert')).toEqual([]);
  });

  test('a deleted row whose snapshot was carried over is restored from the live log', () => {
    const values = rt.view('Registry').values;
    const id = values[5][0];
    const project = values[5][4];
    rt.deleteRows('Registry', 6, 1, EMPLOYEE);
    expect(rt.clickMenu(CHECK, ADMIN).ok).toBe(true);
    const restored = rt.view('Registry').values.find((v) => v[0] === id);
    expect(restored?.[4]).toBe(project);
  });

  test('a move stopped after the rows went and before it was recorded is taken as made', () => {
    const other = busyRegistry();
    fillWorkbook(other);
    other.advance(2 * HOUR);
    const props = other.registryProperties();
    const done = archived(other);
    const head = JSON.parse(props.auditHead) as { count: number; mac: string };
    const row2 = hashes(other)[0];
    // As the move leaves it between its two records: under way, rows already removed.
    props.auditHead = JSON.stringify({
      ...head,
      archived: { count: 0, mac: '', move: { count: done.count, mac: done.mac, keptMac: row2 } },
    });
    expect(other.clickMenu(CHECK, ADMIN).ui[0].message).toContain('Daily checks passed.');
    expect(archived(other)).toEqual({ count: done.count, mac: done.mac });
    // Stopped before the rows went: the log still starts where it did, nothing more moved.
    props.auditHead = JSON.stringify({
      ...(JSON.parse(props.auditHead) as object),
      archived: { ...done, move: { count: done.count + 500, mac: 'x', keptMac: 'not row 2' } },
    });
    expect(other.clickMenu(CHECK, ADMIN).ui[0].message).toContain('Daily checks passed.');
    expect(archived(other)).toEqual({ count: done.count, mac: done.mac });
  });

  test('a changed archived-to-be entry is not moved: the chain check names it', () => {
    const other = busyRegistry();
    const log = sheetNamed(other, 'Audit Log');
    log.grid[10][5] = { v: 'rewritten by hand' };
    fillWorkbook(other);
    other.advance(2 * HOUR);
    expect(other.world.files ?? []).toEqual([]);
    expect(other.clickMenu(CHECK, ADMIN).ui[0].message).toContain('broken at row 11');
  });

  test('nothing moves while the workbook has room', () => {
    const other = busyRegistry();
    other.advance(3 * HOUR);
    expect(other.world.files ?? []).toEqual([]);
    expect(auditRows(other, 'Audit Log archived')).toEqual([]);
  });
});
