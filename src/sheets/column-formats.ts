/**
 * The add-on's number formats and dropdowns on its sheets' columns. Sheets keeps both per cell:
 * rows appended past the end of a sheet (a paste below the last row, appendRow) start bare,
 * and a range with a fixed end row does not grow over them. So the formats are applied to rows
 * as they appear: setup formats every row, and every write-back formats rows the sheet gained
 * since (two calls for the new block, whatever its size). Colours and protections use
 * open-ended ranges (`L2:L`), which do cover appended rows.
 */
import { columnLetters } from '../domain/layout';
import { NUMBER_FORMATS, type SheetSpec } from '../domain/schema';
import { formattedThrough, setFormattedThrough } from '../services/store';

type Sheet = GoogleAppsScript.Spreadsheet.Sheet;
type Columns = Readonly<Record<string, number>>;

/** `col` (1-based) from `row` to the sheet's end, however many rows it later gains. */
export function openColumn(sheet: Sheet, col: number, row = 2): GoogleAppsScript.Spreadsheet.Range {
  const letter = columnLetters(col);
  return sheet.getRange(`${letter}${row}:${letter}`);
}

function validationFor(choices: readonly string[]): GoogleAppsScript.Spreadsheet.DataValidation {
  return SpreadsheetApp.newDataValidation()
    .requireValueInList([...choices], true)
    .setAllowInvalid(true)
    .setHelpText(`Choose one of: ${choices.join(', ')}.`)
    .build();
}

/**
 * Number formats and dropdowns of `spec`'s columns on rows `first`..`last`, in one call each:
 * a block as wide as the add-on's columns; people's own columns in between keep theirs.
 */
export function formatRows(
  sheet: Sheet,
  spec: SheetSpec,
  columns: Columns,
  first: number,
  last: number,
): void {
  if (last < first) return;
  const placed = spec.columns
    .map((column) => ({ column, index: columns[column.header] }))
    .filter((p) => p.index !== undefined);
  if (placed.length === 0) return;
  const from = Math.min(...placed.map((p) => p.index));
  const to = Math.max(...placed.map((p) => p.index));
  const rows = last - first + 1;
  const range = sheet.getRange(first, from + 1, rows, to - from + 1);
  // Columns of people's own keep their formats: read them once for the block.
  const current = range.getNumberFormats();
  const byIndex = new Map(placed.map((p) => [p.index, p.column]));
  range.setNumberFormats(
    current.map((line) =>
      line.map((format, j) => {
        const column = byIndex.get(from + j);
        return column ? NUMBER_FORMATS[column.kind] : format;
      }),
    ),
  );
  const withChoices = placed.filter((p) => p.column.choices);
  if (withChoices.length === 0) return;
  const rules = new Map(withChoices.map((p) => [p.index, validationFor(p.column.choices!)]));
  const vFrom = Math.min(...withChoices.map((p) => p.index));
  const vTo = Math.max(...withChoices.map((p) => p.index));
  const vRange = sheet.getRange(first, vFrom + 1, rows, vTo - vFrom + 1);
  const existing = vTo > vFrom ? vRange.getDataValidations() : null;
  vRange.setDataValidations(
    Array.from({ length: rows }, (_, i) =>
      Array.from(
        { length: vTo - vFrom + 1 },
        (_, j) => rules.get(vFrom + j) ?? existing?.[i]?.[j] ?? null,
      ),
    ),
  );
}

/**
 * Adds `rows` rows at the sheet's end with the add-on's formats and dropdowns (a sheet that
 * grows by a row per write pays the formatting calls every time).
 */
export function growFormatted(sheet: Sheet, spec: SheetSpec, columns: Columns, rows: number): void {
  const before = sheet.getMaxRows();
  sheet.insertRowsAfter(before, rows);
  const mark = formattedThrough(spec.name);
  // Without a mark (never set up), what the rows above hold is not claimed.
  formatRows(
    sheet,
    spec,
    columns,
    mark >= 1 ? Math.min(mark, before) + 1 : before + 1,
    before + rows,
  );
  if (mark >= 1) setFormattedThrough(spec.name, before + rows);
}

/** Formats every data row of a sheet and remembers how far that reaches. */
export function formatAllRows(sheet: Sheet, spec: SheetSpec, columns: Columns): void {
  const last = sheet.getMaxRows();
  formatRows(sheet, spec, columns, 2, last);
  setFormattedThrough(spec.name, last);
}

/**
 * After a write that reached row `lastWritten`: rows the sheet gained past the last formatted
 * one get the column formats and dropdowns. Costs one store read when nothing is new.
 */
export function keepFormatted(
  sheet: Sheet,
  spec: SheetSpec,
  columns: Columns,
  lastWritten: number,
): void {
  const mark = formattedThrough(spec.name);
  if (mark < 1 || lastWritten <= mark) return;
  // Room for what comes next while formatting anyway (a paste that reached the sheet's end):
  // the next registrations then land on formatted rows without growing the sheet one by one.
  const max = sheet.getMaxRows();
  if (max - lastWritten < HEADROOM / 2) return growFormatted(sheet, spec, columns, HEADROOM);
  const last = Math.max(lastWritten, max);
  formatRows(sheet, spec, columns, mark + 1, last);
  setFormattedThrough(spec.name, last);
}

/** Blank formatted rows a sheet keeps at its end once it grows past them. */
export const HEADROOM = 100;

/** Rows were deleted: the formatted mark cannot be past the sheet's end. */
export function lowerFormattedMark(sheet: Sheet, spec: SheetSpec): void {
  const mark = formattedThrough(spec.name);
  const max = sheet.getMaxRows();
  if (mark > max) setFormattedThrough(spec.name, max);
}
