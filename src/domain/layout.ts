import type { SheetSpec } from './schema';

/**
 * Where each known column sits in a sheet whose header row people may have reordered,
 * renamed in case, or extended with columns of their own.
 */
export interface HeaderPlan {
  /** 0-based column index of every spec header, after the missing ones are appended. */
  readonly columns: Readonly<Record<string, number>>;
  /** Spec headers absent from the sheet, to be appended after its last used column. */
  readonly missing: readonly string[];
  /** Existing header cells that match a spec header only loosely, with the exact word to write. */
  readonly renames: readonly { readonly index: number; readonly header: string }[];
  /** Spec headers that appear more than once (the first one is used). */
  readonly duplicates: readonly string[];
}

/** A header as compared: case and spacing do not matter. */
export const loose = (s: string): string => s.trim().replace(/\s+/g, ' ').toLowerCase();

/**
 * Matches headers exactly first, then loosely (case and spacing), never by position.
 * `lastUsedColumn` (1-based, as Sheet.getLastColumn) keeps appended headers clear of any
 * data a person keeps in columns without a header.
 */
export function planHeaders(
  existing: readonly unknown[],
  spec: SheetSpec,
  lastUsedColumn = 0,
): HeaderPlan {
  const cells = existing.map((v) => (v === null || v === undefined ? '' : String(v)));
  let width = cells.length;
  while (width > 0 && cells[width - 1].trim() === '') width--;
  width = Math.max(width, lastUsedColumn);

  const columns: Record<string, number> = {};
  const taken = new Set<number>();
  const renames: { index: number; header: string }[] = [];
  const duplicates: string[] = [];

  for (const { header } of spec.columns) {
    const exact = cells.findIndex((c, i) => !taken.has(i) && c === header);
    const found =
      exact >= 0 ? exact : cells.findIndex((c, i) => !taken.has(i) && loose(c) === loose(header));
    if (found < 0) continue;
    columns[header] = found;
    taken.add(found);
    if (cells[found] !== header) renames.push({ index: found, header });
    if (cells.some((c, i) => i !== found && loose(c) === loose(header))) duplicates.push(header);
  }

  const missing: string[] = [];
  for (const { header } of spec.columns) {
    if (columns[header] !== undefined) continue;
    columns[header] = width + missing.length;
    missing.push(header);
  }
  return { columns, missing, renames, duplicates };
}

/** A1 column letters of a 1-based column number (1 → A, 27 → AA). */
export function columnLetters(col: number): string {
  let s = '';
  for (let n = col; n > 0; n = Math.floor((n - 1) / 26))
    s = String.fromCharCode(65 + ((n - 1) % 26)) + s;
  return s;
}

/** Where the add-on's developer metadata says one of its columns is (0-based). */
export interface ColumnTag {
  readonly header: string;
  readonly index: number;
}

/** What a sheet's header row and the add-on's column tags say, and what to put right. */
export interface HeaderCheck {
  /** 0-based column of every spec header that has a column. */
  readonly columns: Readonly<Record<string, number>>;
  /** Add-on columns whose header cell says something else (renamed, cleared): write `header`. */
  readonly restore: readonly { index: number; header: string; was: string }[];
  /** Other header cells that read like an add-on header: renamed so nobody mistakes them. */
  readonly duplicates: readonly { index: number; header: string; was: string }[];
  /** Headers found by their text on a sheet without tags (set up before tags): to be tagged. */
  readonly untagged: readonly string[];
  /** Headers with no column: deleted (tagged sheet) or never there. */
  readonly missing: readonly string[];
  /** Tags that name no header of the spec, or a second tag of one header or column. */
  readonly strayTags: readonly number[];
}

/** What a duplicate of an add-on header is renamed to. */
export const duplicateName = (text: string): string => `${text.trim()} (copy)`;

/**
 * Finds the add-on's columns by their tags (developer metadata, which moves with its column
 * and which people cannot see or change), by header text only on a sheet that has no tags yet.
 * On a tagged sheet a header without a tag lost its column: it is missing, and a cell that
 * happens to carry its text elsewhere is a duplicate, never taken for it (no guessing).
 */
export function checkHeaders(
  existing: readonly unknown[],
  spec: SheetSpec,
  tags: readonly ColumnTag[],
): HeaderCheck {
  const cells = existing.map((v) => (v === null || v === undefined ? '' : String(v)));
  const known = new Map(spec.columns.map((c) => [c.header, c.header]));
  const columns: Record<string, number> = {};
  const claimed = new Set<number>();
  const strayTags: number[] = [];
  const tagged = tags.length > 0;
  // Tags first, in spec order; of several tags of one header the one whose cell agrees wins.
  for (const { header } of spec.columns) {
    const mine = tags
      .map((t, i) => ({ ...t, i }))
      .filter((t) => t.header === header && !claimed.has(t.index));
    if (mine.length === 0) continue;
    const best = mine.find((t) => loose(cells[t.index] ?? '') === loose(header)) ?? mine[0];
    columns[header] = best.index;
    claimed.add(best.index);
  }
  tags.forEach((t, i) => {
    if (!known.has(t.header) || columns[t.header] !== t.index) strayTags.push(i);
  });
  const untagged: string[] = [];
  if (!tagged)
    for (const { header } of spec.columns) {
      const free = (c: string, i: number) => !claimed.has(i) && c === header;
      const exact = cells.findIndex(free);
      const found =
        exact >= 0
          ? exact
          : cells.findIndex((c, i) => !claimed.has(i) && loose(c) === loose(header));
      if (found < 0) continue;
      columns[header] = found;
      claimed.add(found);
      untagged.push(header);
    }
  const restore = spec.columns
    .filter(({ header }) => columns[header] !== undefined && cells[columns[header]] !== header)
    .map(({ header }) => ({ index: columns[header], header, was: cells[columns[header]] ?? '' }));
  const headers = new Set(spec.columns.map((c) => loose(c.header)));
  const duplicates = cells
    .map((was, index) => ({ was, index }))
    .filter(({ was, index }) => !claimed.has(index) && headers.has(loose(was)))
    .map(({ was, index }) => ({
      index,
      was,
      header: spec.columns.find((c) => loose(c.header) === loose(was))!.header,
    }));
  const missing = spec.columns.map((c) => c.header).filter((h) => columns[h] === undefined);
  return { columns, restore, duplicates, untagged, missing, strayTags };
}
