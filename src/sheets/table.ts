import { keepAsText, neutralise } from '../domain/injection';
import { planHeaders } from '../domain/layout';
import type { SheetSpec } from '../domain/schema';
import { keepFormatted } from './column-formats';

export type Cell = string | number | boolean | Date;

export interface Table {
  readonly sheet: GoogleAppsScript.Spreadsheet.Sheet;
  /** The sheet's spec, when read by readTable: writes then keep new rows formatted. */
  readonly spec?: SheetSpec;
  /** 0-based column index by header; every spec header is present (setup guarantees it). */
  readonly columns: Readonly<Record<string, number>>;
  /** Data rows below the header, as getValues returns them. */
  readonly rows: readonly (readonly Cell[])[];
}

/**
 * Reads a whole sheet in one call and locates columns by header text. Returns null when the
 * sheet or one of its headers is missing: the registry needs "Set up or repair registry".
 */
export function readTable(
  ss: GoogleAppsScript.Spreadsheet.Spreadsheet,
  spec: SheetSpec,
): Table | null {
  const sheet = ss.getSheetByName(spec.name);
  if (!sheet) return null;
  const values = sheet.getDataRange().getValues() as Cell[][];
  const plan = planHeaders(values[0] ?? [], spec);
  if (plan.missing.length > 0) return null;
  return { sheet, spec, columns: plan.columns, rows: values.slice(1) };
}

/** A row as a record keyed by spec header. */
export function recordOf(table: Table, row: readonly Cell[]): Record<string, Cell> {
  const record: Record<string, Cell> = {};
  for (const [header, index] of Object.entries(table.columns)) record[header] = row[index] ?? '';
  return record;
}

/**
 * Writes rows back to a table in one call, starting at sheet row `firstRow`. Text in the
 * spec's columns is neutralised against formula injection; people's own columns keep their
 * formulas, and their text stays text even where it looks like a number or a date.
 * `formulas` may be passed when the caller has already read them.
 */
export function writeRows(
  table: Table,
  firstRow: number,
  rows: readonly (readonly Cell[])[],
  formulas?: readonly (readonly string[])[],
): void {
  if (rows.length === 0) return;
  const width = rows[0].length;
  const range = table.sheet.getRange(firstRow, 1, rows.length, width);
  const own = formulas ?? range.getFormulas();
  const known = new Set(Object.values(table.columns));
  range.setValues(
    rows.map((row, i) =>
      row.map((v, c) => {
        if (known.has(c)) return typeof v === 'string' ? neutralise(v) : v;
        if (own[i]?.[c]) return own[i][c];
        return typeof v === 'string' ? keepAsText(v) : v;
      }),
    ),
  );
  if (table.spec) keepFormatted(table.sheet, table.spec, table.columns, firstRow + rows.length - 1);
}

/** Generated sheets are replaced, never appended to: regenerating leaves one. */
export function replaceSheet(
  ss: GoogleAppsScript.Spreadsheet.Spreadsheet,
  name: string,
  rows: readonly (readonly (string | number)[])[],
): GoogleAppsScript.Spreadsheet.Sheet {
  const old = ss.getSheetByName(name);
  if (old) ss.deleteSheet(old);
  const sheet = ss.insertSheet(name);
  const width = Math.max(...rows.map((r) => r.length));
  if (width > sheet.getMaxColumns())
    sheet.insertColumnsAfter(sheet.getMaxColumns(), width - sheet.getMaxColumns());
  if (rows.length > sheet.getMaxRows())
    sheet.insertRowsAfter(sheet.getMaxRows(), rows.length - sheet.getMaxRows());
  // Trimmed to what it holds: every cell of every sheet counts against the 10 million.
  if (sheet.getMaxColumns() > width)
    sheet.deleteColumns(width + 1, sheet.getMaxColumns() - width);
  if (sheet.getMaxRows() > rows.length + 1)
    sheet.deleteRows(rows.length + 2, sheet.getMaxRows() - rows.length - 1);
  const padded = rows.map((r) => [
    ...r.map((v) => (typeof v === 'string' ? neutralise(v) : v)),
    ...new Array<string | number>(width - r.length).fill(''),
  ]);
  sheet.getRange(1, 1, padded.length, width).setValues(padded);
  sheet.getRange(1, 1).setFontWeight('bold');
  return sheet;
}
