/**
 * Archiving the Audit Log's oldest entries to another file (issue 14, DESIGN §6): when the
 * workbook nears its 10 million cells, how many entries move, and which snapshots must stay
 * behind so the latest snapshot of every ID is still in the live log (DESIGN §6.1).
 */

/** Sheets' limit: cells in one spreadsheet, over all its sheets, used or empty. */
export const CELL_LIMIT = 10_000_000;

/** Above this many cells in the workbook, the oldest audit entries move to the archive. */
export const ARCHIVE_AT = 4_000_000;

/** Entries moved by one run at most (read, verified, copied and removed: ≈ 15 s). */
export const ARCHIVE_SLICE = 20_000;

/** Fewer entries than this are not worth a run (the workbook is then held by other sheets). */
export const ARCHIVE_MIN = 1_000;

/** Entries in one archive file: 9 columns each, 8.1 million cells, within a file's 10 million. */
export const ARCHIVE_FILE_ENTRIES = 900_000;

/** Rows per write into the archive: under the 20,000 cells past which writes slow down. */
export const ARCHIVE_WRITE_ROWS = 2_000;

export interface ArchiveFile {
  id: string;
  url: string;
  /** The account that created it (the trigger owner then): only it writes to the file. */
  owner?: string;
  /** Entries `from + 1` to `to` of the chain are in this file, in order, from its row 2. */
  from: number;
  to: number;
}

/**
 * Entries moved out, as the chain's head records them (read by every execution that appends):
 * the live log's row 2 holds entry `count + 1`, and its chain continues from `mac`. A move
 * begun and not yet seen through is `move`: which entry row 2 holds tells whether its rows went.
 */
export interface Archived {
  count: number;
  mac: string;
  move?: { count: number; mac: string; keptMac: string };
}

/** The archive's files, and when to try again after a try that freed too little. */
export interface ArchiveState {
  files: ArchiveFile[];
  /** No new try before the chain reaches this many entries. */
  idleUntil?: number;
}

export const NO_ARCHIVE: ArchiveState = { files: [] };

/** The files' record read from the store, or none when it is not one (ignored, not trusted). */
export function parseArchiveState(text: string | null): ArchiveState | null {
  if (text === null) return null;
  try {
    const s = JSON.parse(text) as ArchiveState;
    const filesOk =
      Array.isArray(s.files) &&
      s.files.every(
        (f: ArchiveFile) =>
          typeof f.id === 'string' &&
          typeof f.url === 'string' &&
          (f.owner === undefined || typeof f.owner === 'string') &&
          Number.isInteger(f.from) &&
          Number.isInteger(f.to) &&
          f.to >= f.from,
      );
    if (!filesOk) return null;
    if (s.idleUntil !== undefined && !Number.isInteger(s.idleUntil)) return null;
    return s;
  } catch {
    return null;
  }
}

/** The head's record of what moved out, or none when it is not one. */
export function archivedOf(value: unknown): Archived | null {
  const a = value as Archived | null | undefined;
  if (!a || !Number.isInteger(a.count) || a.count < 0 || typeof a.mac !== 'string') return null;
  const m = a.move;
  if (
    m !== undefined &&
    (!Number.isInteger(m.count) || typeof m.mac !== 'string' || typeof m.keptMac !== 'string')
  )
    return { count: a.count, mac: a.mac };
  return a;
}

/**
 * How many of the oldest entries this run moves: none while the workbook is under its mark,
 * only entries the daily check has verified (up to its checkpoint), at most a slice, and none
 * while an earlier try found too little to free.
 */
export function entriesToArchive(o: {
  cells: number;
  archived: number;
  verified: number;
  entries: number;
  idleUntil?: number;
}): number {
  if (o.cells <= ARCHIVE_AT) return 0;
  if (o.idleUntil !== undefined && o.entries < o.idleUntil) return 0;
  const n = Math.min(ARCHIVE_SLICE, o.verified - o.archived);
  return n >= ARCHIVE_MIN ? n : 0;
}

/** A live log entry as far as snapshots go: the ID it names and the snapshot it carries. */
export interface LoggedSnapshot {
  id: string;
  snapshot: string;
}

/**
 * The snapshots that must stay in the live log when its first `n` entries move out: for each
 * ID, its newest snapshot among them, unless a later entry of the log carries one. In order.
 */
export function snapshotsToCarry(
  rows: readonly LoggedSnapshot[],
  n: number,
): { index: number; id: string; snapshot: string }[] {
  const later = new Set<string>();
  for (let i = n; i < rows.length; i++) if (rows[i].snapshot !== '') later.add(rows[i].id);
  const newest = new Map<string, number>();
  for (let i = 0; i < Math.min(n, rows.length); i++) {
    const { id, snapshot } = rows[i];
    if (id !== '' && snapshot !== '' && !later.has(id)) newest.set(id, i);
  }
  return [...newest.values()]
    .sort((a, b) => a - b)
    .map((index) => ({ index, id: rows[index].id, snapshot: rows[index].snapshot }));
}

/** Whether moving `n` entries and carrying `carried` snapshots back frees a quarter of them. */
export function worthArchiving(n: number, carried: number): boolean {
  return n > 0 && n - carried >= n / 4;
}

/**
 * Where entries `first + 1` to `first + n` go: the last file while it has room for all of
 * them, a new file otherwise. A segment is never split across files.
 */
export function fileFor(
  files: readonly ArchiveFile[],
  first: number,
  n: number,
): { index: number; row: number } | 'new' {
  const last = files[files.length - 1];
  if (!last || first < last.from || first - last.from + n > ARCHIVE_FILE_ENTRIES) return 'new';
  return { index: files.length - 1, row: first - last.from + 2 };
}
