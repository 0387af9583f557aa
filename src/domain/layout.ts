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
