import type { Rect } from './a1';
import type { Stored } from './formats';

/**
 * The runtime's whole state as plain data: JSON-serialisable so the sandbox can persist it,
 * and independent of any execution (each execution gets fresh service objects over it).
 */
export interface CellData {
  v?: Stored;
  /** Formula text with its leading '='. */
  f?: string;
  /** Number format (Sheets pattern). */
  nf?: string;
  bg?: string;
  fc?: string;
  fw?: string;
  note?: string;
  /** Index into SheetData.validations. */
  dv?: number;
  /** Other formatting the add-on sets (alignment, wrap), kept so it can be read back. */
  x?: Record<string, string | boolean>;
}

export interface ValidationData {
  type: 'VALUE_IN_LIST' | 'CHECKBOX' | 'TEXT_IS_VALID_EMAIL' | 'NUMBER_BETWEEN';
  values: Stored[];
  showDropdown: boolean;
  allowInvalid: boolean;
  helpText: string;
}

export interface ConditionData {
  type: string;
  values: Stored[];
}

export interface CfRuleData {
  ranges: Rect[];
  condition: ConditionData;
  background: string | null;
  fontColor: string | null;
  bold: boolean | null;
}

export interface ProtectionData {
  id: number;
  type: 'RANGE' | 'SHEET';
  rect: Rect | null;
  description: string;
  warningOnly: boolean;
  editors: string[];
  /** Editors changed by the script: until then the protection mirrors the file's editors. */
  restricted?: boolean;
}

export interface ChartData {
  id: number;
  /** Charts.ChartType word: COLUMN, BAR, LINE, PIE, AREA. */
  type: string;
  ranges: Rect[];
  options: Record<string, string | number | boolean>;
  anchor: { row: number; col: number };
}

/**
 * Developer metadata: key/value pairs a script attaches to a sheet or a whole column. People
 * never see or edit it; a column's metadata moves when columns are inserted, deleted or moved
 * before it, and goes with its column when that is deleted. PROJECT metadata is visible only
 * to the script project that created it (`project`); DOCUMENT metadata to any script.
 */
export interface MetadataData {
  id: number;
  key: string;
  value: string | null;
  visibility: 'DOCUMENT' | 'PROJECT';
  /** The project that created it ('' for another script's). */
  project: string;
  /** 1-based column, or null for the sheet itself. */
  column: number | null;
}

export interface SheetData {
  id: number;
  name: string;
  hidden: boolean;
  maxRows: number;
  maxCols: number;
  frozenRows: number;
  frozenCols: number;
  /** grid[row-1][col-1]; missing rows/cells are empty. */
  grid: (CellData | null)[][];
  validations: ValidationData[];
  conditionalFormats: CfRuleData[];
  protections: ProtectionData[];
  columnWidths: Record<string, number>;
  /** Column positions hidden from view (1-based). */
  hiddenColumns?: number[];
  /** Developer metadata on the sheet or on its columns (it moves with its column). */
  metadata?: MetadataData[];
  tabColor: string | null;
  charts?: ChartData[];
}

export interface SpreadsheetData {
  id: string;
  name: string;
  timeZone: string;
  locale: string;
  owner: string;
  /** Shared with (another file only: everyone may edit the registry's own spreadsheet). */
  editors?: string[];
  viewers?: string[];
  sheets: SheetData[];
  nextSheetId: number;
  nextProtectionId: number;
}

export interface TimeSpec {
  kind: 'minutes' | 'hours' | 'days' | 'weeks' | 'monthDay' | 'at';
  every: number;
  hour: number | null;
  minute: number | null;
  monthDay: number | null;
  weekDay: number | null;
}

export interface TriggerData {
  id: string;
  owner: string;
  handler: string;
  eventType: 'ON_EDIT' | 'ON_CHANGE' | 'ON_OPEN' | 'CLOCK';
  sourceId: string | null;
  /**
   * The document an add-on trigger was created in. Add-on time-driven triggers count against
   * that document's one-per-type limit and are listed by getUserTriggers(ss), but they run with
   * no document at all (DESIGN §10).
   */
  documentId?: string | null;
  time: TimeSpec | null;
  nextRun: number | null;
}

export interface CacheEntry {
  value: string;
  expires: number;
}

export interface MailData {
  at: string;
  from: string;
  to: string;
  cc: string;
  bcc: string;
  subject: string;
  body: string;
  htmlBody: string;
  name: string;
  replyTo: string;
}

export interface ExecutionRecord {
  id: number;
  fn: string;
  kind: ExecutionKind;
  user: string;
  effectiveUser: string;
  started: string;
  ok: boolean;
  error: string | null;
  logs: string[];
  calls: CallCounts;
  /** What the execution showed (alerts, toasts, sidebars), as Sheets would show it. */
  ui: { type: string; title: string; message: string }[];
}

export type ExecutionKind = 'simple' | 'installable' | 'time' | 'menu' | 'run' | 'direct';

/** What one execution did, counted as Apps Script would bill it (sandbox/gas/cost.ts). */
export interface CallCounts {
  /** Sheets data calls that read, write and format. */
  reads: number;
  writes: number;
  formatting: number;
  /** Sheets metadata calls (getSheetByName, getLastRow, getDataRange …). */
  metadata: number;
  byMethod: Record<string, number>;
  cellsRead: number;
  cellsWritten: number;
  /** Cells written by calls of more than 20,000 cells (slower per cell). */
  bigWriteCells: number;
  /** Cells a TextFinder scanned on the server (nothing is sent for them). */
  cellsScanned: number;
  /** Digests and HMACs, and the bytes they hashed. */
  digests: number;
  digestBytes: number;
  propertyReads: number;
  propertyWrites: number;
  propertyBytes: number;
  locks: number;
  fetches: number;
  mails: number;
  /** Files created in Drive (SpreadsheetApp.create). */
  files: number;
  /** CPU time of the runtime while the script ran (ms). */
  cpuMs: number;
}

export function newCallCounts(): CallCounts {
  return {
    reads: 0,
    writes: 0,
    formatting: 0,
    metadata: 0,
    byMethod: {},
    cellsRead: 0,
    cellsWritten: 0,
    bigWriteCells: 0,
    cellsScanned: 0,
    digests: 0,
    digestBytes: 0,
    propertyReads: 0,
    propertyWrites: 0,
    propertyBytes: 0,
    locks: 0,
    fetches: 0,
    mails: 0,
    files: 0,
    cpuMs: 0,
  };
}

/**
 * How the project is deployed. `addon`: an Editor add-on (the supported way: add-on menu,
 * AuthMode NONE until the person uses it in the document, one trigger of each type per user
 * per document, time-driven at most hourly and with no document). `bound`: a script bound to
 * the spreadsheet (for trying it out). `test`: an add-on test deployment, which runs no
 * installable triggers.
 */
export type Deployment = 'addon' | 'bound' | 'test';

export interface WorldData {
  version: 1;
  now: number;
  /** Absent in state saved before add-on mode: treated as `addon`. */
  deployment?: Deployment;
  /** The add-on's name under Extensions. */
  addonName?: string;
  /** People who have used the add-on in this document (their onOpen runs in LIMITED, not NONE). */
  addonEnabledFor?: string[];
  /** The script's time zone (appsscript.json), used by time-driven triggers. */
  scriptTimeZone: string;
  spreadsheet: SpreadsheetData;
  /** Other spreadsheets in Drive (SpreadsheetApp.create): the audit archive. */
  files?: SpreadsheetData[];
  properties: {
    script: Record<string, string>;
    document: Record<string, string>;
    user: Record<string, Record<string, string>>;
  };
  cache: {
    script: Record<string, CacheEntry>;
    document: Record<string, CacheEntry>;
    user: Record<string, Record<string, CacheEntry>>;
  };
  triggers: TriggerData[];
  nextTriggerId: number;
  mail: MailData[];
  mailQuota: { perDay: number; day: string; used: number };
  /**
   * Fault injection: addresses MailApp refuses ("Invalid email") although they look valid, as
   * Gmail does for some (a test sets it; MailApp's own syntax check refuses the rest).
   */
  mailRefuses?: string[];
  executions: ExecutionRecord[];
  nextExecutionId: number;
  /**
   * People who must authorise the add-on again (a new version asked for a new scope): their
   * triggers keep firing and fail at the first call that needs authorisation.
   */
  needsReauthorization?: string[];
}

export const DEFAULT_ROWS = 1000;
export const DEFAULT_COLS = 26;

export function newSheet(
  id: number,
  name: string,
  rows = DEFAULT_ROWS,
  cols = DEFAULT_COLS,
): SheetData {
  return {
    id,
    name,
    hidden: false,
    maxRows: rows,
    maxCols: cols,
    frozenRows: 0,
    frozenCols: 0,
    grid: [],
    validations: [],
    conditionalFormats: [],
    protections: [],
    columnWidths: {},
    tabColor: null,
  };
}

export interface NewWorldOptions {
  now: number;
  owner: string;
  timeZone: string;
  scriptTimeZone: string;
  name?: string;
  mailQuota?: number;
  deployment?: Deployment;
}

export function newWorld(o: NewWorldOptions): WorldData {
  return {
    version: 1,
    now: o.now,
    deployment: o.deployment ?? 'addon',
    addonName: 'Governed Path',
    addonEnabledFor: [],
    scriptTimeZone: o.scriptTimeZone,
    spreadsheet: {
      id: 'sandbox-spreadsheet',
      name: o.name ?? 'AI Use-Case Registry',
      timeZone: o.timeZone,
      locale: 'en_US',
      owner: o.owner,
      sheets: [newSheet(0, 'Sheet1')],
      nextSheetId: 1,
      nextProtectionId: 1,
    },
    properties: { script: {}, document: {}, user: {} },
    cache: { script: {}, document: {}, user: {} },
    triggers: [],
    nextTriggerId: 1,
    mail: [],
    mailQuota: { perDay: o.mailQuota ?? 100, day: '', used: 0 },
    executions: [],
    nextExecutionId: 1,
  };
}

/** A spreadsheet holds at most 10 million cells, over all its sheets, used or empty. */
export const CELL_LIMIT = 10_000_000;
/** And at most 50,000 characters in one cell. */
export const CELL_CHARACTER_LIMIT = 50_000;

/** The spreadsheet a sheet belongs to: the registry's own, or another file. */
export function spreadsheetOf(world: WorldData, sheet: SheetData): SpreadsheetData {
  if (world.spreadsheet.sheets.includes(sheet)) return world.spreadsheet;
  return world.files?.find((f) => f.sheets.includes(sheet)) ?? world.spreadsheet;
}

/** Whether `user` may open file `ss` (the registry's own spreadsheet: everyone in the test). */
export function canOpen(world: WorldData, ss: SpreadsheetData, user: string): boolean {
  if (ss === world.spreadsheet) return true;
  return ss.owner === user || !!ss.editors?.includes(user) || !!ss.viewers?.includes(user);
}

/** Whether `user` may change file `ss`. */
export function canEditFile(world: WorldData, ss: SpreadsheetData, user: string): boolean {
  if (ss === world.spreadsheet) return true;
  return ss.owner === user || !!ss.editors?.includes(user);
}

export function cellsUsed(ss: SpreadsheetData): number {
  return ss.sheets.reduce((n, sheet) => n + sheet.maxRows * sheet.maxCols, 0);
}

/** Throws Sheets' error when growing the grid by `extra` cells would pass the limit. */
export function ensureCellRoom(ss: SpreadsheetData, extra: number): void {
  if (extra > 0 && cellsUsed(ss) + extra > CELL_LIMIT)
    throw new Error(
      `This action would increase the number of cells in the workbook above the limit of ${CELL_LIMIT} cells.`,
    );
}

export const CELL_TOO_LONG = `Your input contains more than the maximum of ${CELL_CHARACTER_LIMIT} characters in a single cell.`;

export function cellAt(sheet: SheetData, row: number, col: number): CellData | undefined {
  return sheet.grid[row - 1]?.[col - 1] ?? undefined;
}

export function cellFor(sheet: SheetData, row: number, col: number): CellData {
  let line = sheet.grid[row - 1];
  if (!line) {
    line = [];
    sheet.grid[row - 1] = line;
  }
  let cell = line[col - 1];
  if (!cell) {
    cell = {};
    line[col - 1] = cell;
  }
  return cell;
}

export function hasContent(cell: CellData | null | undefined): boolean {
  return !!cell && ((cell.v !== undefined && cell.v !== '') || !!cell.f);
}

/** Content, or anything a person would see in an otherwise empty cell. */
export function isVisible(cell: CellData | null | undefined): boolean {
  return hasContent(cell) || !!cell?.bg || !!cell?.note;
}

/** Sheet.getLastRow: the last row with content (or, given `used`, with anything it counts). */
export function lastRow(sheet: SheetData, used = hasContent): number {
  for (let r = sheet.grid.length; r > 0; r--) {
    if (sheet.grid[r - 1]?.some(used)) return r;
  }
  return 0;
}

export function lastColumn(sheet: SheetData, used = hasContent): number {
  let last = 0;
  for (const line of sheet.grid) {
    if (!line) continue;
    for (let c = line.length; c > last; c--) {
      if (used(line[c - 1])) {
        last = c;
        break;
      }
    }
  }
  return last;
}

function shiftRects(sheet: SheetData, adjust: (rect: Rect) => Rect | null): void {
  for (const rule of sheet.conditionalFormats) {
    rule.ranges = rule.ranges.map(adjust).filter((r): r is Rect => r !== null);
  }
  sheet.conditionalFormats = sheet.conditionalFormats.filter((r) => r.ranges.length > 0);
  sheet.protections = sheet.protections.filter((p) => {
    if (!p.rect) return true;
    p.rect = adjust(p.rect);
    return p.rect !== null;
  });
}

/**
 * Inserts rows after `after` as Sheets does. Rows inserted inside the sheet take the
 * formatting and validation of the row above, and ranges spanning the insertion point grow.
 * Rows appended past the last row (a paste or appendRow beyond the grid) start bare: cell
 * formats and validation do not follow, and a range with a fixed end row does not grow;
 * only open-ended ranges (`L2:L`) cover them.
 */
export function insertRows(sheet: SheetData, after: number, count: number): void {
  const appended = after >= sheet.maxRows;
  // Appended rows are bare, and rows the grid does not hold yet are empty: nothing to add.
  if (!appended && after < sheet.grid.length) {
    const template = after >= 1 ? sheet.grid[after - 1] : undefined;
    const fresh: (CellData | null)[][] = [];
    for (let i = 0; i < count; i++) {
      fresh.push(
        (template ?? []).map((cell) => {
          if (!cell) return null;
          const { v: _v, f: _f, note: _n, ...format } = cell;
          return Object.keys(format).length > 0 ? { ...format } : null;
        }),
      );
    }
    sheet.grid = [...sheet.grid.slice(0, after), ...fresh, ...sheet.grid.slice(after)];
  }
  sheet.maxRows += count;
  shiftRects(sheet, (rect) => {
    if (rect.nr === null) return rect.r > after ? { ...rect, r: rect.r + count } : rect;
    const end = rect.r + rect.nr - 1;
    if (rect.r > after) return { ...rect, r: rect.r + count };
    if (end > after) return { ...rect, nr: rect.nr + count };
    return rect;
  });
}

export function deleteRows(sheet: SheetData, start: number, count: number): void {
  sheet.grid.splice(start - 1, count);
  sheet.maxRows -= count;
  const last = start + count - 1;
  shiftRects(sheet, (rect) => {
    if (rect.nr === null) {
      if (rect.r > last) return { ...rect, r: rect.r - count };
      if (rect.r >= start) return { ...rect, r: start };
      return rect;
    }
    const end = rect.r + rect.nr - 1;
    if (end < start) return rect;
    if (rect.r > last) return { ...rect, r: rect.r - count };
    const keptAbove = Math.max(0, start - rect.r);
    const keptBelow = Math.max(0, end - last);
    const nr = keptAbove + keptBelow;
    return nr === 0 ? null : { ...rect, r: Math.min(rect.r, start), nr };
  });
}

/** Deletes columns `start`..`start+count-1`: cells to the right move left, ranges shrink. */
export function deleteColumns(sheet: SheetData, start: number, count: number): void {
  for (const line of sheet.grid) if (line && line.length >= start) line.splice(start - 1, count);
  sheet.maxCols -= count;
  const last = start + count - 1;
  if (sheet.hiddenColumns)
    sheet.hiddenColumns = sheet.hiddenColumns
      .filter((c) => c < start || c > last)
      .map((c) => (c > last ? c - count : c));
  if (sheet.metadata)
    sheet.metadata = sheet.metadata
      .filter((m) => m.column === null || m.column < start || m.column > last)
      .map((m) => (m.column !== null && m.column > last ? { ...m, column: m.column - count } : m));
  shiftRects(sheet, (rect) => {
    if (rect.nc === null) {
      if (rect.c > last) return { ...rect, c: rect.c - count };
      if (rect.c >= start) return { ...rect, c: start };
      return rect;
    }
    const end = rect.c + rect.nc - 1;
    if (end < start) return rect;
    if (rect.c > last) return { ...rect, c: rect.c - count };
    const keptLeft = Math.max(0, start - rect.c);
    const keptRight = Math.max(0, end - last);
    const nc = keptLeft + keptRight;
    return nc === 0 ? null : { ...rect, c: Math.min(rect.c, start), nc };
  });
}

export function insertColumns(sheet: SheetData, after: number, count: number): void {
  for (const line of sheet.grid) {
    if (line && line.length > after) line.splice(after, 0, ...new Array<null>(count).fill(null));
  }
  sheet.maxCols += count;
  if (sheet.hiddenColumns)
    sheet.hiddenColumns = sheet.hiddenColumns.map((c) => (c > after ? c + count : c));
  for (const m of sheet.metadata ?? [])
    if (m.column !== null && m.column > after) m.column += count;
  shiftRects(sheet, (rect) => {
    if (rect.nc === null) return rect.c > after ? { ...rect, c: rect.c + count } : rect;
    const end = rect.c + rect.nc - 1;
    if (rect.c > after) return { ...rect, c: rect.c + count };
    if (end > after) return { ...rect, nc: rect.nc + count };
    return rect;
  });
}

/**
 * Moves columns `start`..`start+count-1` so they sit before column `before` (as dragging
 * them in Sheets, or Sheet.moveColumns): cells, hidden flags and column metadata go with them.
 * Other ranges (formats, rules, protections) keep their positions, an approximation.
 */
export function moveColumns(sheet: SheetData, start: number, count: number, before: number): void {
  const order = Array.from({ length: Math.max(sheet.maxCols, before) }, (_, i) => i + 1);
  const moved = order.splice(start - 1, count);
  const at = before > start ? before - 1 - count : before - 1;
  order.splice(at, 0, ...moved);
  const newPlace = new Map(order.map((old, i) => [old, i + 1]));
  for (const [r, line] of sheet.grid.entries()) {
    if (!line) continue;
    const next: (CellData | null)[] = [];
    line.forEach((cell, i) => {
      if (cell) next[newPlace.get(i + 1)! - 1] = cell;
    });
    sheet.grid[r] = Array.from(next, (c) => c ?? null);
  }
  if (sheet.hiddenColumns)
    sheet.hiddenColumns = sheet.hiddenColumns
      .map((c) => newPlace.get(c) ?? c)
      .sort((a, b) => a - b);
  for (const m of sheet.metadata ?? [])
    if (m.column !== null) m.column = newPlace.get(m.column) ?? m.column;
  for (const [k, w] of Object.entries({ ...sheet.columnWidths })) {
    delete sheet.columnWidths[k];
    sheet.columnWidths[String(newPlace.get(Number(k)) ?? k)] = w;
  }
}
