/**
 * The sweep (DESIGN §6.1): what no trigger saw — a write through the Sheets API or another
 * script, an edit while the add-on was off, a sort Sheets did not report — is found from the
 * seals and put back. Run hourly by the job and as part of the daily check. Deleted rows come
 * back, replayed rows go forward to the latest, owned cells come back from their seals, moved
 * people's cells go back to their rows, and number formats and colour rules on owned columns
 * are reset (a custom format can display "Approved" over "Rejected").
 */
import { INPUT_FIELDS } from '../domain/entry';
import { NUMBER_FORMATS, REVIEW_COLOURS } from '../domain/schema';
import { registryProperties } from '../services/store';
import type { Settings } from '../domain/settings';
import { restoreDeletedRows, restoreReviewRows, restoreSealedRows, undoReplays } from './guards';
import { COUNTER, processRegistryEdit } from './registry';
import { fingerprint } from '../domain/seal';
import {
  REGISTRY_SEAL,
  REVIEWS_SEAL,
  rowsOutOfSeal,
  type SealSpec,
  type Sealer,
  rowsWithMovedInputs,
  sealer,
  sealsForSweep,
  STORES_SEAL,
  TOOLS_SEAL,
} from './seals';
import { applyApprovalColours, approvalColoursIntact, coloursKnown } from './setup';
import { asText } from './catalog';
import { adjacentRuns, readLayout, readRowsAt, readTable, type Table } from './table';
import { logHeaderRepairs } from './headers';
import { SYSTEM_ACTOR } from './audit-log';

type Spreadsheet = GoogleAppsScript.Spreadsheet.Spreadsheet;

/** The fingerprints of the sealed sheets as the last sweep read them. */
const SWEPT = 'sweptSheets';

export interface SweepReport {
  /** One line per finding (nothing found: none). */
  lines: string[];
  /** Registry rows decided that were waiting (not a finding). */
  decided: number;
}

const list = (rows: readonly number[]) =>
  `row(s) ${rows.slice(0, 20).join(', ')}${rows.length > 20 ? ' …' : ''}`;

export function sweepRegistry(
  ss: Spreadsheet,
  settings: Settings,
  now: Date,
  /** Who the findings are attributed to, e.g. "unknown (found by the hourly sweep)". */
  actor: string,
  /**
   * The daily pass also reads the audit log: deleted rows no trigger saw come back, and
   * replayed rows go forward to the latest snapshot. The hourly pass reads only the sheets.
   */
  daily: boolean,
): SweepReport {
  const lines: string[] = [];
  if (daily) {
    // Deleted rows come back first: nothing issued is ever lost.
    lines.push(...restoreDeletedRows(ss, actor, now));
    // Older sealed rows pasted back are put back to the latest (DESIGN §6.1, replay).
    for (const spec of [REVIEWS_SEAL, REGISTRY_SEAL])
      lines.push(...undoReplays(ss, spec, actor, now));
  }

  // Reviews first, since the registry's decisions follow them. Each sheet is read once: whole,
  // or in the hourly pass a sheet longer than a slice by its slice of the hour.
  const s = sealer(ss);
  const store = registryProperties();
  const cursors = daily ? {} : readCursors(store.getProperty(SLICE_FROM));
  const tables = new Map<SealSpec, Table>();
  for (const spec of [REVIEWS_SEAL, TOOLS_SEAL, STORES_SEAL, REGISTRY_SEAL]) {
    // Reading a sheet puts right what no trigger saw happen to its header row (columns.ts).
    const table = readForSweep(ss, spec, daily, cursors);
    if (!table && ss.getSheetByName(spec.sheet.name))
      lines.push(
        `The ${spec.sheet.name} sheet is missing one of its headers, so it cannot be checked: run Set up or repair registry.`,
      );
    if (!table) continue;
    tables.set(spec, table);
  }
  lines.push(...logHeaderRepairs(ss, actor, now).lines);
  const sliced = [...tables.values()].some((t) => t.rowNumbers);
  if (sliced) {
    store.setProperty(SLICE_FROM, JSON.stringify(cursors));
    // A slice with nothing to put back is the hour's whole work; anything found in it, and the
    // sheets are read whole and swept as below (a partial sort moves cells between any rows).
    if (lines.length === 0 && !sliceFindings(s, tables))
      return { lines: resetOwnedFormats(tables), decided: 0 };
    for (const spec of [...tables.keys()]) {
      const whole = readTable(ss, spec.sheet);
      if (whole) tables.set(spec, whole);
      else tables.delete(spec);
    }
  }
  // The hourly pass examines seals only when a sheet changed since the last pass (a checksum
  // of its cells, kept in the store: computed in the script, no digest service call). A sheet
  // longer than a slice has none and never takes that shortcut: its hourly passes read slices
  // (a finding reads it whole), or it is read whole and examined every hour.
  const digests = Object.fromEntries(
    [...tables].map(([spec, t]) => [
      spec.sheet.name,
      t.rows.length > SWEEP_SLICE ? `${t.rows.length} rows` : fingerprint(JSON.stringify(t.rows)),
    ]),
  );
  // Each day a seventh of every sheet's seals have their MACs checked even where they agree
  // with the cells; where they disagree, always.
  const share = daily ? dayNumber(now) % 7 : -1;
  const verify = (i: number) => i % 7 === share;
  const sealsOf = (spec: SealSpec, table: Table) =>
    sealsForSweep(s, table.rows, table.columns, spec, verify);
  const long = [...tables.values()].some((t) => t.rows.length > SWEEP_SLICE);
  // (A sliced sheet is long: its slice found something, and it was read whole.)
  const unchanged = !daily && !long && store.getProperty(SWEPT) === JSON.stringify(digests);
  if (!unchanged) store.setProperty(SWEPT, JSON.stringify(digests));
  if (unchanged) return { lines: [...lines, ...resetOwnedFormats(tables)], decided: 0 };
  for (const spec of [REVIEWS_SEAL, TOOLS_SEAL, STORES_SEAL]) {
    const table = tables.get(spec);
    if (!table) continue;
    const out = rowsOutOfSeal(s, table.rows, table.columns, spec, sealsOf(spec, table));
    if (out.length === 0) continue;
    if (spec === REVIEWS_SEAL) {
      restoreReviewRows(ss, out, actor, now);
      lines.push(
        `Put back ${out.length} Reviews row(s) changed outside Governed Path: ${list(out)} (see the Audit Log).`,
      );
    } else {
      restoreSealedRows(ss, spec, out, actor, now);
      lines.push(
        `Put back the catalog facts of ${out.length} ${spec.sheet.name} row(s) changed outside Governed Path: ${list(out)}.`,
      );
    }
  }

  // Registry rows whose owned cells disagree with their seals, and rows whose people's cells
  // changed without an edit the add-on saw (a partial sort is undone there).
  const registry = tables.get(REGISTRY_SEAL);
  let decided = 0;
  if (registry) {
    const cols = registry.columns;
    const seals = sealsOf(REGISTRY_SEAL, registry);
    const outOfSeal = rowsOutOfSeal(s, registry.rows, cols, REGISTRY_SEAL, seals);
    const moved = rowsWithMovedInputs(s, registry.rows, cols, seals);
    const rows = [...new Set([...outOfSeal, ...moved])].sort((a, b) => a - b);
    if (rows.length > 0 || hasWaitingRows(registry)) {
      const outcome = processRegistryEdit(
        ss,
        {
          user: SYSTEM_ACTOR,
          row: 0,
          column: 0,
          numRows: 0,
          numColumns: 0,
          source: 'system',
          actor,
          ...(rows.length > 0 ? { rows } : {}),
        },
        settings,
        now,
        // The Registry as the sweep read it (restoring Reviews and catalog rows wrote none of
        // it); the Reviews are read again, as they stand after being put back.
        { registry },
      );
      decided = Math.max(0, outcome.rowsDecided - rows.length);
      if (outOfSeal.length > 0)
        lines.push(
          `Put back what the add-on owns in ${outOfSeal.length} registry row(s) changed outside Governed Path: ${list(outOfSeal)} (see the Audit Log).`,
        );
      if (outcome.sortsUndone > 0)
        lines.push(
          `Put back people's cells a partial sort had moved between registry rows (${outcome.sortsUndone} row(s)).`,
        );
      const inputsChanged =
        moved.filter((r) => !outOfSeal.includes(r)).length - outcome.sortsUndone;
      if (inputsChanged > 0)
        lines.push(
          `Re-decided ${inputsChanged} registry row(s) whose inputs changed outside the add-on's sight.`,
        );
    }
  }
  // Formats of a long sheet are the hourly slices' to reset (each row within five hours at
  // 50,000 rows): the daily check does not read them all again.
  lines.push(
    ...resetOwnedFormats(
      daily ? new Map([...tables].filter(([, t]) => t.rows.length <= SWEEP_SLICE)) : tables,
    ),
  );
  return { lines, decided };
}

/** Rows with people's content but no ID or no Approval: a decision no trigger made. */
function hasWaitingRows(registry: Table): boolean {
  const cols = registry.columns;
  return registry.rows.some(
    (row) =>
      (asText(row[cols['ID']]).trim() === '' || asText(row[cols['Approval']]).trim() === '') &&
      INPUT_FIELDS.some((f) => asText(row[cols[f]]).trim() !== ''),
  );
}

/**
 * The hourly pass reads a sheet longer than this many rows a slice at a time, the next slice
 * each hour (a 50,000-row Registry in five hours); the daily check reads every row.
 */
export const SWEEP_SLICE = 10000;

/** Where each sliced sheet's next hourly slice starts (sheet row), by sheet name. */
const SLICE_FROM = 'sweepSliceFrom';

function readCursors(stored: string | null): Record<string, number> {
  try {
    const parsed = JSON.parse(stored ?? '{}') as unknown;
    if (typeof parsed !== 'object' || parsed === null) return {};
    return Object.fromEntries(
      Object.entries(parsed).filter(([, v]) => Number.isInteger(v) && (v as number) >= 2),
    ) as Record<string, number>;
  } catch {
    return {};
  }
}

/**
 * A sealed sheet as the sweep reads it: whole (the daily pass, or a sheet of at most a slice),
 * or the hour's slice, whose cursor moves on (back to the top after the last rows).
 */
function readForSweep(
  ss: Spreadsheet,
  spec: SealSpec,
  daily: boolean,
  cursors: Record<string, number>,
): Table | null {
  if (daily) return readTable(ss, spec.sheet);
  const layout = readLayout(ss, spec.sheet);
  if (!layout) return null;
  // Long by what the add-on issued, not by where the last cell is: one cell typed far below a
  // short table must not stretch its hourly window (it makes the read longer, never later).
  if (Math.min(layout.lastRow - 1, issued(spec)) <= SWEEP_SLICE) return readTable(ss, spec.sheet);
  const name = spec.sheet.name;
  const from = (cursors[name] ?? 2) <= layout.lastRow ? (cursors[name] ?? 2) : 2;
  const to = Math.min(layout.lastRow, from + SWEEP_SLICE - 1);
  cursors[name] = to >= layout.lastRow ? 2 : to + 1;
  return readRowsAt(
    layout,
    Array.from({ length: to - from + 1 }, (_, i) => from + i),
  );
}

/** IDs the add-on has issued for a sheet (from its counter); the catalogs are never sliced. */
function issued(spec: SealSpec): number {
  const key =
    spec === REGISTRY_SEAL ? COUNTER.registry : spec === REVIEWS_SEAL ? COUNTER.review : null;
  if (!key) return 0;
  const next = Number(registryProperties().getProperty(key));
  return Number.isInteger(next) && next > 0 ? next - 1 : Infinity;
}

/**
 * Whether a slice shows anything to put back: owned cells out of their seal, a copied seal,
 * people's cells that moved, a row no trigger decided. Seals are read, not verified, where they
 * agree with the cells (as in the hourly pass over a whole sheet).
 */
function sliceFindings(s: Sealer, tables: ReadonlyMap<SealSpec, Table>): boolean {
  for (const [spec, table] of tables) {
    const seals = sealsForSweep(s, table.rows, table.columns, spec, () => false);
    if (rowsOutOfSeal(s, table.rows, table.columns, spec, seals).length > 0) return true;
    if (spec !== REGISTRY_SEAL) continue;
    if (rowsWithMovedInputs(s, table.rows, table.columns, seals).length > 0) return true;
    if (hasWaitingRows(table)) return true;
  }
  return false;
}

/** Days since 1970 (UTC): which seventh of the seals today's pass verifies. */
function dayNumber(now: Date): number {
  return Math.floor(now.getTime() / 86400000);
}

/**
 * Number formats on owned columns back to the schema's, and the Approval colours back: one
 * read of formats per sheet the sweep has already read.
 */
function resetOwnedFormats(tables: ReadonlyMap<SealSpec, Table>): string[] {
  const lines: string[] = [];
  for (const [spec, table] of tables) {
    if (table.rows.length === 0) continue;
    // The rows read: the sheet's data rows, or the hour's slice of them.
    const from = table.rowNumbers?.[0] ?? 2;
    const reset: string[] = [];
    // The owned columns' formats only, a read per run of adjacent owned columns.
    const owned = spec.owned
      .map((c) => ({ column: c, index: table.columns[c.header] }))
      .filter((o) => o.index !== undefined);
    const formatOf = new Map<number, string[]>();
    for (const [a, b] of adjacentRuns(owned.map((o) => o.index))) {
      const read = table.sheet
        .getRange(from, a + 1, table.rows.length, b - a + 1)
        .getNumberFormats();
      for (let c = a; c <= b; c++)
        formatOf.set(
          c,
          read.map((line) => line[c - a]),
        );
    }
    for (const { column, index } of owned) {
      const want = NUMBER_FORMATS[column.kind];
      if (formatOf.get(index)!.every((f) => f === want)) continue;
      table.sheet.getRange(from, index + 1, table.rows.length, 1).setNumberFormat(want);
      reset.push(column.header);
    }
    if (reset.length > 0)
      lines.push(
        `Reset the number format of ${spec.sheet.name} ${reset.join(', ')}: a custom format can show one word over another.`,
      );
  }
  const registry = tables.get(REGISTRY_SEAL);
  const approval = registry ? registry.columns['Approval'] + 1 : 0;
  const through = registry
    ? (registry.rowNumbers?.[registry.rowNumbers.length - 1] ?? registry.rows.length + 1)
    : 0;
  if (registry && !approvalColoursIntact(registry.sheet, approval, through)) {
    // New words of this version (an upgrade) are added quietly; anything else was changed.
    const known = coloursKnown(registry.sheet);
    applyApprovalColours(registry.sheet, approval);
    if (known)
      lines.push('Restored the Approval colours: a colour rule on that column had been changed.');
  }
  const reviews = tables.get(REVIEWS_SEAL);
  if (reviews && reviews.columns['Status'] !== undefined) {
    const status = reviews.columns['Status'] + 1;
    const last = reviews.rowNumbers?.[reviews.rowNumbers.length - 1] ?? reviews.rows.length + 1;
    if (!approvalColoursIntact(reviews.sheet, status, last, REVIEW_COLOURS)) {
      const known = coloursKnown(reviews.sheet, REVIEW_COLOURS);
      applyApprovalColours(reviews.sheet, status, REVIEW_COLOURS);
      if (known)
        lines.push(
          'Restored the Reviews Status colours: a colour rule on that column had been changed.',
        );
    }
  }
  return lines;
}
