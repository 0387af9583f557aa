import { keepAsText, neutralise } from '../domain/injection';
import { planHeaders } from '../domain/layout';
import type { SheetSpec } from '../domain/schema';
import { keepFormatted } from './column-formats';
import { forgetTags, locateColumns, recreateSheet, TAGGED_SHEETS } from './columns';

export type Cell = string | number | boolean | Date;

export interface Table {
  readonly sheet: GoogleAppsScript.Spreadsheet.Sheet;
  /** The sheet's spec, when read by readTable: writes then keep new rows formatted. */
  readonly spec?: SheetSpec;
  /** 0-based column index by header; every spec header is present (setup guarantees it). */
  readonly columns: Readonly<Record<string, number>>;
  /** Data rows below the header, as getValues returns them. */
  readonly rows: readonly (readonly Cell[])[];
  /** The sheet row of each of `rows` when they are some rows only (not 2, 3, 4 …). */
  readonly rowNumbers?: readonly number[];
}

/** A sheet's header and extent, without its rows: what an edit reads before the rows it needs. */
export interface Layout {
  readonly sheet: GoogleAppsScript.Spreadsheet.Sheet;
  readonly spec: SheetSpec;
  readonly columns: Readonly<Record<string, number>>;
  /** Columns to read for a whole row (people's own columns included). */
  readonly width: number;
  readonly lastRow: number;
}

/**
 * Headers read in this execution, by sheet name: a decision reads the Reviews and Registry
 * headers several times over (its review, its entry, the re-decision), each a sheet lookup, a
 * metadata call and a read. Dropped wherever the add-on changes a header row.
 */
const headersRead = new Map<
  string,
  Pick<Layout, 'sheet' | 'columns' | 'width'> & { spec: SheetSpec }
>();

/** The add-on changed a header row (repair, restore) or replaced a sheet. */
export function forgetLayouts(): void {
  headersRead.clear();
  forgetTags();
}

/**
 * The header row and the extent: one read, two metadata calls (one, for a header this
 * execution has read already). Null as for readTable.
 */
export function readLayout(
  ss: GoogleAppsScript.Spreadsheet.Spreadsheet,
  spec: SheetSpec,
): Layout | null {
  const known = headersRead.get(spec.name);
  if (known && known.spec === spec) return { ...known, lastRow: known.sheet.getLastRow() };
  const sheet = ss.getSheetByName(spec.name) ?? recreateSheet(ss, spec);
  if (!sheet) return null;
  const used = sheet.getLastColumn();
  const header = used > 0 ? (sheet.getRange(1, 1, 1, used).getValues()[0] as Cell[]) : [];
  const columns = columnsFor(sheet, spec, header);
  if (!columns) return null;
  const width = Math.max(header.length, ...Object.values(columns).map((c) => c + 1));
  headersRead.set(spec.name, { sheet, spec, columns, width });
  return { sheet, spec, columns, width, lastRow: sheet.getLastRow() };
}

/**
 * The spec's columns in a header row: by the add-on's tags on a sealed sheet (putting right a
 * renamed, duplicated or deleted header first; `header` follows), by header text on the
 * others. Null when a header is missing and cannot be placed.
 */
function columnsFor(
  sheet: GoogleAppsScript.Spreadsheet.Sheet,
  spec: SheetSpec,
  header: Cell[],
): Record<string, number> | null {
  if (TAGGED_SHEETS.has(spec.name)) return locateColumns(sheet, spec, header);
  const plan = planHeaders(header, spec);
  return plan.missing.length > 0 ? null : { ...plan.columns };
}

/** One column's data rows (2 to `lastRow`), in one read. */
export function readColumn(
  sheet: GoogleAppsScript.Spreadsheet.Sheet,
  column: number,
  lastRow: number,
): Cell[] {
  if (lastRow < 2) return [];
  return sheet
    .getRange(2, column, lastRow - 1, 1)
    .getValues()
    .map((r) => r[0] as Cell);
}

/**
 * Sheet rows (2 …) whose `column` holds `text` (the whole cell, case and all; or, with
 * `within`, anywhere in it, any case): one TextFinder call, no rows read.
 */
export function findRows(
  sheet: GoogleAppsScript.Spreadsheet.Sheet,
  column: number,
  lastRow: number,
  text: string,
  within = false,
): number[] {
  if (lastRow < 2 || text === '') return [];
  return sheet
    .getRange(2, column, lastRow - 1, 1)
    .createTextFinder(text)
    .matchEntireCell(!within)
    .matchCase(!within)
    .findAll()
    .map((r) => r.getRow());
}

/** Text as an RE2 literal (Google's TextFinder patterns are RE2). */
function literal(text: string): string {
  return text.replace(/[\\^$.|?*+()[\]{}]/g, '\\$&');
}

/**
 * Some columns of every data row, by header: one read per run of adjacent columns, whatever
 * else the sheet holds. A Table of full-width rows whose other cells are blank (never to be
 * written back).
 */
export function readColumnsOf(layout: Layout, headers: readonly string[]): Table {
  const n = Math.max(0, layout.lastRow - 1);
  const rows: Cell[][] = Array.from({ length: n }, () => new Array<Cell>(layout.width).fill(''));
  if (n > 0)
    for (const [a, b] of adjacentRuns(headers.map((h) => layout.columns[h]))) {
      const values = layout.sheet.getRange(2, a + 1, n, b - a + 1).getValues() as Cell[][];
      values.forEach((line, r) => line.forEach((v, k) => (rows[r][a + k] = v)));
    }
  return { sheet: layout.sheet, spec: layout.spec, columns: layout.columns, rows };
}

/** Column indices as runs [first, last] of adjacent ones (a read or write per run). */
export function adjacentRuns(indices: Iterable<number>): [number, number][] {
  const runs: [number, number][] = [];
  for (const c of [...new Set(indices)].sort((a, b) => a - b)) {
    const last = runs[runs.length - 1];
    if (last && last[1] === c - 1) last[1] = c;
    else runs.push([c, c]);
  }
  return runs;
}

/** More runs of rows with formulas than this: the range's formulas are read in one call. */
const FORMULA_RUNS_MAX = 20;

/**
 * A range's formulas ('' where a cell has none), found by one search of formula text and read
 * only in the rows that have any: a sheet nobody typed formulas into costs one call, not a
 * read of every cell. Whatever the search finds is read back, so a search that also matched
 * values would cost reads, never wrong formulas.
 */
export function formulasFound(
  sheet: GoogleAppsScript.Spreadsheet.Sheet,
  row: number,
  column: number,
  rows: number,
  columns: number,
): string[][] {
  const out = Array.from({ length: Math.max(0, rows) }, () => new Array<string>(columns).fill(''));
  if (rows <= 0 || columns <= 0) return out;
  const range = sheet.getRange(row, column, rows, columns);
  const found = range
    .createTextFinder('^=')
    .useRegularExpression(true)
    .matchFormulaText(true)
    .findAll();
  if (found.length === 0) return out;
  const runs = adjacentRuns(found.map((r) => r.getRow()));
  if (runs.length > FORMULA_RUNS_MAX) return range.getFormulas();
  for (const [a, b] of runs) {
    const part = sheet.getRange(a, column, b - a + 1, columns).getFormulas();
    part.forEach((line, k) => (out[a - row + k] = line.map(String)));
  }
  return out;
}

/**
 * Sheet rows (2 …) whose `column` holds exactly one of `texts` (case and all): one TextFinder
 * call with a pattern of alternatives, whatever their number (at most 200 at a time).
 */
export function findRowsOf(
  sheet: GoogleAppsScript.Spreadsheet.Sheet,
  column: number,
  lastRow: number,
  texts: readonly string[],
  /** Columns searched from `column` on (a row is found by a match in any of them). */
  columns = 1,
): number[] {
  const wanted = [...new Set(texts.filter((t) => t !== ''))];
  if (lastRow < 2 || wanted.length === 0) return [];
  const rows: number[] = [];
  for (let i = 0; i < wanted.length; i += 200) {
    const pattern = wanted
      .slice(i, i + 200)
      .map(literal)
      .join('|');
    rows.push(
      ...sheet
        .getRange(2, column, lastRow - 1, columns)
        .createTextFinder(`(?:${pattern})`)
        .useRegularExpression(true)
        .matchEntireCell(true)
        .matchCase(true)
        .findAll()
        .map((r) => r.getRow()),
    );
  }
  return [...new Set(rows)].sort((a, b) => a - b);
}

/**
 * Reads some rows of a sheet (sorted sheet row numbers): rows close together in one read, far
 * apart one read each. Returns them with their row numbers, as a Table of those rows.
 */
export function readRowsAt(layout: Layout, numbers: readonly number[], gap = 10): Table {
  const sorted = [...new Set(numbers)]
    .filter((n) => n >= 2 && n <= layout.lastRow)
    .sort((a, b) => a - b);
  const rows: Cell[][] = [];
  const rowNumbers: number[] = [];
  for (let i = 0; i < sorted.length;) {
    let j = i;
    while (j + 1 < sorted.length && sorted[j + 1] - sorted[j] <= gap) j++;
    const first = sorted[i];
    const values = layout.sheet
      .getRange(first, 1, sorted[j] - first + 1, layout.width)
      .getValues() as Cell[][];
    for (let k = i; k <= j; k++) {
      rows.push(values[sorted[k] - first]);
      rowNumbers.push(sorted[k]);
    }
    i = j + 1;
  }
  return { sheet: layout.sheet, spec: layout.spec, columns: layout.columns, rows, rowNumbers };
}

const same = (a: Cell | undefined, b: Cell | undefined): boolean =>
  a instanceof Date && b instanceof Date ? a.getTime() === b.getTime() : a === b;

/** Index runs [from, to] of rows that differ between `before` and `after` (what to write). */
export function changedRuns(
  before: readonly (readonly Cell[])[],
  after: readonly (readonly Cell[])[],
): [number, number][] {
  const runs: [number, number][] = [];
  after.forEach((row, i) => {
    const old = before[i] ?? [];
    if (row.length === old.length && row.every((v, j) => same(v, old[j]))) return;
    const last = runs[runs.length - 1];
    if (last && last[1] === i - 1) last[1] = i;
    else runs.push([i, i]);
  });
  return runs;
}

/**
 * Whole sheets read while `readingOnce` runs (the daily job): each is read once, and any write
 * to a table drops them all (`wrote`), so the next step reads what the last one wrote.
 */
let readOnce: Map<string, Table | null> | null = null;

/** Runs `work` with each whole sheet read at most once between writes. */
export function readingOnce<T>(work: () => T): T {
  const outer = readOnce;
  readOnce = new Map();
  try {
    return work();
  } finally {
    readOnce = outer;
  }
}

/** A sheet's rows were written or moved: whole sheets read before are read again. */
export function wrote(): void {
  readOnce?.clear();
}

/**
 * Rows written to a sheet at `firstRow`, from column `fromColumn` (0-based): the sheet's read
 * kept by readingOnce follows the write instead of being read again (tens of thousands of
 * rows, for a handful changed). What Sheets returns is what was written, text without the
 * apostrophe that keeps it text; where that is not known (a formula kept, rows apart from the
 * end) the read is dropped.
 */
function wroteRows(
  table: Table,
  firstRow: number,
  rows: readonly (readonly Cell[])[],
  fromColumn: number,
  known: boolean,
): void {
  if (!readOnce) return;
  const name = table.spec?.name;
  if (!name) return readOnce.clear();
  const cached = readOnce.get(name);
  if (!cached) return;
  const at = firstRow - 2;
  if (!known || at < 0 || at > cached.rows.length) {
    readOnce.delete(name);
    return;
  }
  const next = cached.rows.slice();
  const width = cached.rows[0]?.length ?? 0;
  rows.forEach((row, i) => {
    const line = (next[at + i] ?? new Array<Cell>(width).fill('')).slice();
    row.forEach((v, k) => (line[fromColumn + k] = v));
    next[at + i] = line;
  });
  readOnce.set(name, { ...cached, rows: next });
}

/**
 * Reads a whole sheet in one call and locates columns by header text. Returns null when the
 * sheet or one of its headers is missing: the registry needs "Set up or repair registry".
 */
export function readTable(
  ss: GoogleAppsScript.Spreadsheet.Spreadsheet,
  spec: SheetSpec,
): Table | null {
  if (readOnce?.has(spec.name)) return readOnce.get(spec.name)!;
  const sheet = ss.getSheetByName(spec.name) ?? recreateSheet(ss, spec);
  let values = sheet ? (sheet.getDataRange().getValues() as Cell[][]) : [];
  let table: Table | null = null;
  if (sheet) {
    const header = (values[0] ?? []).slice();
    const width = header.length;
    const columns = columnsFor(sheet, spec, header);
    // A deleted column was inserted again (and refilled): the rows are read again.
    if (columns && header.length !== width) values = sheet.getDataRange().getValues() as Cell[][];
    else if (values[0]) values[0] = header;
    if (columns) {
      headersRead.set(spec.name, {
        sheet,
        spec,
        columns,
        width: Math.max(header.length, ...Object.values(columns).map((c) => c + 1)),
      });
      table = { sheet, spec, columns, rows: values.slice(1) };
    }
  }
  readOnce?.set(spec.name, table);
  return table;
}

/** A row as a record keyed by spec header. */
export function recordOf(
  table: Pick<Table, 'columns'>,
  row: readonly Cell[],
): Record<string, Cell> {
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
  const known = new Set(Object.values(table.columns));
  // Formulas matter only in columns that are not the add-on's (its own are written as text):
  // a row of the add-on's columns alone needs no read of them.
  const others = Array.from({ length: width }, (_, c) => c).some((c) => !known.has(c));
  const own = formulas ?? (others ? range.getFormulas() : []);
  const keptFormula = own.some((line) => (line ?? []).some((f, c) => f !== '' && !known.has(c)));
  wroteRows(table, firstRow, rows, 0, !keptFormula);
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

/** A write call of more cells than this is slower per cell (apps-script-costs.md). */
const FAST_WRITE_CELLS = 20000;
/** Unchanged rows between changed ones are rewritten when fewer than this (a call costs more). */
const WRITE_GAP = 400;

/**
 * Writes what changed between `before` and `after` (rows from sheet row `firstRow`), for many
 * scattered rows at once (a sweep re-deciding thousands): rows where only `owned` columns
 * changed are written as blocks of those columns alone, spanning nearby rows (their owned
 * cells rewritten as read: nobody may change them) in calls of at most 20,000 cells; rows
 * where people's cells changed are written whole, in runs, as `writeRows` does. People's
 * cells of rows that did not change are never written, so nobody's typing is overwritten.
 */
export function writeChanged(
  table: Table,
  firstRow: number,
  before: readonly (readonly Cell[])[],
  after: readonly (readonly Cell[])[],
  owned: readonly number[],
): void {
  const ownedSet = new Set(owned);
  const whole: number[] = [];
  const ownedOnly: number[] = [];
  after.forEach((row, i) => {
    const old = before[i] ?? [];
    let changed = false;
    let people = false;
    row.forEach((v, j) => {
      if (same(v, old[j])) return;
      changed = true;
      if (!ownedSet.has(j)) people = true;
    });
    if (changed) (people ? whole : ownedOnly).push(i);
  });
  if (whole.length === 0 && ownedOnly.length === 0) return;
  // Whole rows, in runs of adjacent rows.
  for (let k = 0; k < whole.length;) {
    let m = k;
    while (m + 1 < whole.length && whole[m + 1] === whole[m] + 1) m++;
    writeRows(table, firstRow + whole[k], after.slice(whole[k], whole[m] + 1));
    k = m + 1;
  }
  // Owned columns, in runs of adjacent columns, over chunks of nearby rows.
  const runs = adjacentRuns(ownedSet);
  const width = ownedSet.size;
  const maxRows = Math.max(1, Math.floor(FAST_WRITE_CELLS / Math.max(1, width)));
  for (let k = 0; k < ownedOnly.length;) {
    let m = k;
    while (
      m + 1 < ownedOnly.length &&
      ownedOnly[m + 1] - ownedOnly[m] <= WRITE_GAP &&
      ownedOnly[m + 1] - ownedOnly[k] < maxRows
    )
      m++;
    const from = ownedOnly[k];
    const to = ownedOnly[m];
    for (const [a, b] of runs) {
      const block = after.slice(from, to + 1).map((row) => row.slice(a, b + 1));
      wroteRows(table, firstRow + from, block, a, true);
      table.sheet
        .getRange(firstRow + from, a + 1, to - from + 1, b - a + 1)
        .setValues(block.map((row) => row.map((v) => (typeof v === 'string' ? neutralise(v) : v))));
    }
    k = m + 1;
  }
}

/** Generated sheets are replaced, never appended to: regenerating leaves one. */
export function replaceSheet(
  ss: GoogleAppsScript.Spreadsheet.Spreadsheet,
  name: string,
  rows: readonly (readonly (string | number)[])[],
): GoogleAppsScript.Spreadsheet.Sheet {
  wrote();
  forgetLayouts();
  const old = ss.getSheetByName(name);
  if (old) ss.deleteSheet(old);
  const sheet = ss.insertSheet(name);
  const width = Math.max(...rows.map((r) => r.length));
  if (width > sheet.getMaxColumns())
    sheet.insertColumnsAfter(sheet.getMaxColumns(), width - sheet.getMaxColumns());
  if (rows.length > sheet.getMaxRows())
    sheet.insertRowsAfter(sheet.getMaxRows(), rows.length - sheet.getMaxRows());
  // Trimmed to what it holds: every cell of every sheet counts against the 10 million.
  if (sheet.getMaxColumns() > width) sheet.deleteColumns(width + 1, sheet.getMaxColumns() - width);
  if (sheet.getMaxRows() > rows.length + 1)
    sheet.deleteRows(rows.length + 2, sheet.getMaxRows() - rows.length - 1);
  const padded = rows.map((r) => [
    ...r.map((v) => (typeof v === 'string' ? neutralise(v) : v)),
    ...new Array<string | number>(width - r.length).fill(''),
  ]);
  // Calls of more than 20,000 cells write several times slower per cell: a long sheet is
  // written in blocks below that.
  const step = Math.max(1, Math.floor(FAST_WRITE_CELLS / width));
  for (let from = 0; from < padded.length; from += step)
    sheet
      .getRange(from + 1, 1, Math.min(step, padded.length - from), width)
      .setValues(padded.slice(from, from + step));
  sheet.getRange(1, 1).setFontWeight('bold');
  return sheet;
}
