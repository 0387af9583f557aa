/**
 * A registry whose audit log is worth archiving (tests/bundle/archive*.test.ts): entries
 * registered and then each changed once, so the oldest half of the log is superseded.
 */
import { newSheet, type WorldData } from '../../sandbox/gas/model';
import { GasRuntime } from '../../sandbox/gas/runtime';
import { ADMIN, addToSecurityTeam, EMPLOYEE, SECURITY, setUpRuntime } from '../helpers';

export const CHECK = 'Security team > Run daily checks now';
export const ENTRIES = 600;
export const HOUR = 3600 * 1000;

export function row(i: number): string[] {
  return [
    EMPLOYEE,
    'Support',
    `Helper ${i}`,
    'Drafts replies.',
    '1',
    '',
    'Claude Code',
    '1',
    'dev',
  ];
}

/** 600 entries from sheet row `first`, each then changed once, and the log verified. */
export function fillRegistry(rt: GasRuntime, first = 2): void {
  const last = first + ENTRIES - 1;
  const pasted = rt.edit(
    'Registry',
    `C${first}:K${last}`,
    Array.from({ length: ENTRIES }, (_, i) => row(i)),
    EMPLOYEE,
  );
  expect(pasted.ok).toBe(true);
  const changed = rt.edit(
    'Registry',
    `F${first}:F${last}`,
    Array.from({ length: ENTRIES }, (_, i) => [`Drafts replies, version ${i}.`]),
    EMPLOYEE,
  );
  expect(changed.ok).toBe(true);
  expect(rt.clickMenu(CHECK, ADMIN).ui[0].message).toContain('Daily checks passed.');
}

/** The first busy registry built in a test file, kept to start the others from a copy. */
let built: WorldData | null = null;

/**
 * A set-up registry with 1,200 audit entries, the oldest 600 superseded: built once per test
 * file, each caller gets its own copy of it (its own key, log and clock).
 */
export function busyRegistry(): GasRuntime {
  if (built) return new GasRuntime({ world: structuredClone(built) });
  const rt = setUpRuntime();
  addToSecurityTeam(rt, SECURITY);
  fillRegistry(rt);
  built = structuredClone(rt.world);
  return rt;
}

/** Someone's big sheet takes the workbook past the archive's mark (4 million cells). */
export function fillWorkbook(rt: GasRuntime): void {
  const ss = rt.world.spreadsheet;
  ss.sheets.push(newSheet(ss.nextSheetId++, 'Old exports', 160_000, 26));
}

export function sheetNamed(rt: GasRuntime, name: string) {
  return rt.world.spreadsheet.sheets.find((s) => s.name === name)!;
}

/** The chain's head record in the registry's store. */
export function headRecord(rt: GasRuntime): {
  count: number;
  mac: string;
  pending?: unknown;
  archived?: { count: number; mac: string; move?: unknown };
} {
  return JSON.parse(rt.registryProperties().auditHead);
}
