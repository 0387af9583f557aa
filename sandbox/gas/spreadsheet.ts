import { columnLetters, contains, overlaps, parseA1, rectA1, type Rect } from './a1';
import { emulated, notEmulated, type Emulates } from './emulate';
import { count, isAddon, isForeignDate, requireScope, SCOPE, type Exec } from './exec';
import {
  checkNumberFormat,
  displayValue,
  instantOf,
  isDateValue,
  parseInput,
  storedDate,
  type Stored,
} from './formats';
import { evaluateFormula } from './formula';
import {
  addRangeMetadata,
  addSheetMetadata,
  DeveloperMetadataLocationType,
  DeveloperMetadataVisibility,
  metadataFinder,
  type MetadataHost,
} from './metadata';
import {
  CELL_CHARACTER_LIMIT,
  CELL_TOO_LONG,
  canEditFile,
  canOpen,
  cellAt,
  cellFor,
  deleteColumns,
  deleteRows,
  ensureCellRoom,
  insertColumns,
  insertRows,
  lastColumn,
  lastRow,
  newSheet,
  DEFAULT_COLS,
  DEFAULT_ROWS,
  spreadsheetOf,
  type CellData,
  type CfRuleData,
  type ChartData,
  type ConditionData,
  type ProtectionData,
  type SheetData,
  type SpreadsheetData,
  type ValidationData,
} from './model';
import { wallClock } from './time';

type GRange = GoogleAppsScript.Spreadsheet.Range;
type GSheet = GoogleAppsScript.Spreadsheet.Sheet;
type GSpreadsheet = GoogleAppsScript.Spreadsheet.Spreadsheet;

export const BooleanCriteria = {
  CELL_EMPTY: 'CELL_EMPTY',
  CELL_NOT_EMPTY: 'CELL_NOT_EMPTY',
  DATE_AFTER: 'DATE_AFTER',
  DATE_BEFORE: 'DATE_BEFORE',
  DATE_EQUAL_TO: 'DATE_EQUAL_TO',
  TEXT_CONTAINS: 'TEXT_CONTAINS',
  TEXT_DOES_NOT_CONTAIN: 'TEXT_DOES_NOT_CONTAIN',
  TEXT_EQUAL_TO: 'TEXT_EQUAL_TO',
  TEXT_NOT_EQUAL_TO: 'TEXT_NOT_EQUAL_TO',
  TEXT_STARTS_WITH: 'TEXT_STARTS_WITH',
  TEXT_ENDS_WITH: 'TEXT_ENDS_WITH',
  NUMBER_GREATER_THAN: 'NUMBER_GREATER_THAN',
  NUMBER_LESS_THAN: 'NUMBER_LESS_THAN',
  NUMBER_EQUAL_TO: 'NUMBER_EQUAL_TO',
  CUSTOM_FORMULA: 'CUSTOM_FORMULA',
} as const;

export const RelativeDate = {
  TODAY: 'TODAY',
  TOMORROW: 'TOMORROW',
  YESTERDAY: 'YESTERDAY',
  PAST_WEEK: 'PAST_WEEK',
  PAST_MONTH: 'PAST_MONTH',
  PAST_YEAR: 'PAST_YEAR',
} as const;

export const ProtectionType = { RANGE: 'RANGE', SHEET: 'SHEET' } as const;

export const DataValidationCriteria = {
  VALUE_IN_LIST: 'VALUE_IN_LIST',
  CHECKBOX: 'CHECKBOX',
  TEXT_IS_VALID_EMAIL: 'TEXT_IS_VALID_EMAIL',
  NUMBER_BETWEEN: 'NUMBER_BETWEEN',
} as const;

export const PROTECTED_MESSAGE =
  'You are trying to edit a protected cell or object. Please contact the spreadsheet owner to remove protection if you need to edit.';

// ------------------------------------------------------------------ cell semantics

/** The value a cell shows, computing a formula with the mini evaluator. */
export function cellValue(sheet: SheetData, cell: CellData | undefined): Stored {
  if (!cell) return '';
  if (cell.f) return evaluateFormula(cell.f, (r, c) => cellAt(sheet, r, c)?.v);
  return cell.v ?? '';
}

export function cellDisplay(sheet: SheetData, cell: CellData | undefined, tz: string): string {
  return displayValue(cellValue(sheet, cell), cell?.nf, tz);
}

/** Whether a value satisfies a data validation rule (Sheets compares list items as text). */
export function satisfies(rule: ValidationData, v: Stored, tz: string): boolean {
  if (v === '') return true;
  const text = displayValue(v, undefined, tz);
  switch (rule.type) {
    case 'VALUE_IN_LIST':
      return rule.values.some((x) => String(x) === text);
    case 'CHECKBOX':
      return typeof v === 'boolean';
    case 'TEXT_IS_VALID_EMAIL':
      return /^[^\s@]+@[^\s@]+\.[^\s@]+$/.test(text);
    case 'NUMBER_BETWEEN':
      return typeof v === 'number' && v >= Number(rule.values[0]) && v <= Number(rule.values[1]);
  }
}

/** The calendar day of a stored (wall-clock) date, as a day number. */
const dayOf = (v: { d: number }): number => Math.floor(v.d / 86400000);

/** The day number of a relative date, from the clock in the spreadsheet's zone. */
function relativeDate(name: string, now: number, tz: string): number {
  const w = wallClock(now, tz);
  const day = (y: number, m: number, d: number) => Math.floor(Date.UTC(y, m - 1, d) / 86400000);
  switch (name) {
    case 'TODAY':
      return day(w.year, w.month, w.day);
    case 'TOMORROW':
      return day(w.year, w.month, w.day + 1);
    case 'YESTERDAY':
      return day(w.year, w.month, w.day - 1);
    case 'PAST_WEEK':
      return day(w.year, w.month, w.day - 7);
    case 'PAST_MONTH':
      return day(w.year, w.month - 1, w.day);
    case 'PAST_YEAR':
      return day(w.year - 1, w.month, w.day);
    default:
      return notEmulated(`SpreadsheetApp.RelativeDate.${name}`);
  }
}

/** Sheets evaluates text conditions case-insensitively and dates by calendar day. */
export function conditionHolds(
  condition: ConditionData,
  v: Stored,
  display: string,
  now: number,
  tz: string,
): boolean {
  const arg = condition.values[0];
  const text = display.toLowerCase();
  const argText = typeof arg === 'string' ? arg.toLowerCase() : String(arg ?? '');
  const dateArg = (): number =>
    isDateValue(arg) ? dayOf(arg) : relativeDate(String(arg), now, tz);
  switch (condition.type) {
    case 'CELL_EMPTY':
      return v === '';
    case 'CELL_NOT_EMPTY':
      return v !== '';
    case 'TEXT_EQUAL_TO':
      return text === argText;
    case 'TEXT_NOT_EQUAL_TO':
      return text !== argText;
    case 'TEXT_CONTAINS':
      return text.includes(argText);
    case 'TEXT_DOES_NOT_CONTAIN':
      return !text.includes(argText);
    case 'TEXT_STARTS_WITH':
      return text.startsWith(argText);
    case 'TEXT_ENDS_WITH':
      return text.endsWith(argText);
    case 'NUMBER_GREATER_THAN':
      return typeof v === 'number' && v > Number(arg);
    case 'NUMBER_LESS_THAN':
      return typeof v === 'number' && v < Number(arg);
    case 'NUMBER_EQUAL_TO':
      return typeof v === 'number' && v === Number(arg);
    case 'DATE_BEFORE':
      return isDateValue(v) && dayOf(v) < dateArg();
    case 'DATE_AFTER':
      return isDateValue(v) && dayOf(v) > dateArg();
    case 'DATE_EQUAL_TO':
      return isDateValue(v) && dayOf(v) === dateArg();
    default:
      return notEmulated(`conditional format ${condition.type}`);
  }
}

/** What a person sees in a cell: the first matching conditional rule wins over the cell's own. */
export function displayedStyle(
  sheet: SheetData,
  row: number,
  col: number,
  now: number,
  tz: string,
): { background: string | null; fontColor: string | null; bold: boolean } {
  const cell = cellAt(sheet, row, col);
  const style = {
    background: cell?.bg ?? null,
    fontColor: cell?.fc ?? null,
    bold: cell?.fw === 'bold',
  };
  const v = cellValue(sheet, cell);
  const display = displayValue(v, cell?.nf, tz);
  for (const rule of sheet.conditionalFormats) {
    if (!rule.ranges.some((r) => contains(r, row, col, sheet.maxRows, sheet.maxCols))) continue;
    if (!conditionHolds(rule.condition, v, display, now, tz)) continue;
    return {
      background: rule.background ?? style.background,
      fontColor: rule.fontColor ?? style.fontColor,
      bold: rule.bold ?? style.bold,
    };
  }
  return style;
}

/** Whether `user` may change cells of this rectangle despite protections (owner always may). */
export function blockingProtection(
  ss: SpreadsheetData,
  sheet: SheetData,
  user: string,
  r: number,
  c: number,
  nr: number,
  nc: number,
): { blocked: ProtectionData | null; warnings: ProtectionData[] } {
  const warnings: ProtectionData[] = [];
  for (const p of sheet.protections) {
    const hit = p.rect === null || overlaps(p.rect, r, c, nr, nc, sheet.maxRows, sheet.maxCols);
    if (!hit) continue;
    if (p.warningOnly) warnings.push(p);
    else if (p.restricted && user !== ss.owner && !p.editors.includes(user))
      return { blocked: p, warnings };
  }
  return { blocked: null, warnings };
}

// ------------------------------------------------------------------ builders

class DataValidationBuilder {
  constructor(private rule: ValidationData) {}
  requireValueInList(values: string[], showDropdown = true) {
    this.rule.type = 'VALUE_IN_LIST';
    this.rule.values = values.map(String);
    this.rule.showDropdown = showDropdown;
    return this;
  }
  requireCheckbox() {
    this.rule.type = 'CHECKBOX';
    return this;
  }
  requireTextIsEmail() {
    this.rule.type = 'TEXT_IS_VALID_EMAIL';
    return this;
  }
  requireNumberBetween(start: number, end: number) {
    this.rule.type = 'NUMBER_BETWEEN';
    this.rule.values = [start, end];
    return this;
  }
  setAllowInvalid(allow: boolean) {
    this.rule.allowInvalid = allow;
    return this;
  }
  setHelpText(text: string) {
    this.rule.helpText = text;
    return this;
  }
  build() {
    return emulated(
      new DataValidation({ ...this.rule, values: [...this.rule.values] }),
      'DataValidation',
    );
  }
}

export class DataValidation {
  constructor(readonly _data: ValidationData) {}
  getCriteriaType() {
    return this._data.type;
  }
  getCriteriaValues() {
    return this._data.type === 'VALUE_IN_LIST'
      ? [this._data.values.slice(), this._data.showDropdown]
      : this._data.values.slice();
  }
  getAllowInvalid() {
    return this._data.allowInvalid;
  }
  getHelpText() {
    return this._data.helpText;
  }
  copy() {
    return emulated(
      new DataValidationBuilder({ ...this._data, values: [...this._data.values] }),
      'DataValidationBuilder',
    );
  }
}

class BooleanCondition {
  constructor(
    readonly _rule: CfRuleData,
    private exec: Exec,
  ) {}
  getCriteriaType() {
    return this._rule.condition.type;
  }
  getCriteriaValues() {
    const tz = this.exec.world.spreadsheet.timeZone;
    return this._rule.condition.values.map((v) =>
      isDateValue(v) ? this.exec.realm.date(instantOf(v, tz)) : v,
    );
  }
  getBackground() {
    return this._rule.background;
  }
  getFontColor() {
    return this._rule.fontColor;
  }
  getBold() {
    return this._rule.bold;
  }
}

export class ConditionalFormatRule {
  constructor(
    readonly _data: CfRuleData,
    readonly _sheetId: number | null,
    private exec: Exec,
  ) {}
  getBooleanCondition() {
    return emulated(new BooleanCondition(this._data, this.exec), 'BooleanCondition');
  }
  getRanges() {
    const ss = this.exec.world.spreadsheet;
    const sheet = ss.sheets.find((s) => s.id === this._sheetId);
    if (!sheet) return [];
    return this._data.ranges.map((r) => makeRange(this.exec, sheet, r));
  }
  getGradientCondition() {
    return null;
  }
  copy() {
    return emulated(
      new ConditionalFormatRuleBuilder(this.exec, structuredClone(this._data), this._sheetId),
      'ConditionalFormatRuleBuilder',
    );
  }
}

class ConditionalFormatRuleBuilder {
  constructor(
    private exec: Exec,
    private data: CfRuleData = {
      ranges: [],
      condition: { type: '', values: [] },
      background: null,
      fontColor: null,
      bold: null,
    },
    private sheetId: number | null = null,
  ) {}
  private when(type: string, values: Stored[] = []) {
    this.data.condition = { type, values };
    return this;
  }
  whenTextEqualTo(text: string) {
    return this.when('TEXT_EQUAL_TO', [text]);
  }
  whenTextDoesNotContain(text: string) {
    return this.when('TEXT_DOES_NOT_CONTAIN', [text]);
  }
  whenTextContains(text: string) {
    return this.when('TEXT_CONTAINS', [text]);
  }
  whenTextStartsWith(text: string) {
    return this.when('TEXT_STARTS_WITH', [text]);
  }
  whenTextEndsWith(text: string) {
    return this.when('TEXT_ENDS_WITH', [text]);
  }
  whenCellEmpty() {
    return this.when('CELL_EMPTY');
  }
  whenCellNotEmpty() {
    return this.when('CELL_NOT_EMPTY');
  }
  whenNumberGreaterThan(n: number) {
    return this.when('NUMBER_GREATER_THAN', [n]);
  }
  whenNumberLessThan(n: number) {
    return this.when('NUMBER_LESS_THAN', [n]);
  }
  whenNumberEqualTo(n: number) {
    return this.when('NUMBER_EQUAL_TO', [n]);
  }
  private dateArg(date: unknown): Stored {
    if (isForeignDate(date))
      return storedDate(date.getTime(), this.exec.world.spreadsheet.timeZone);
    if (typeof date === 'string' && date in RelativeDate) return date;
    return notEmulated('ConditionalFormatRuleBuilder date argument of this type');
  }
  whenDateBefore(date: unknown) {
    return this.when('DATE_BEFORE', [this.dateArg(date)]);
  }
  whenDateAfter(date: unknown) {
    return this.when('DATE_AFTER', [this.dateArg(date)]);
  }
  whenDateEqualTo(date: unknown) {
    return this.when('DATE_EQUAL_TO', [this.dateArg(date)]);
  }
  setBackground(color: string | null) {
    this.data.background = color === null ? null : color.toLowerCase();
    return this;
  }
  setFontColor(color: string | null) {
    this.data.fontColor = color === null ? null : color.toLowerCase();
    return this;
  }
  setBold(bold: boolean | null) {
    this.data.bold = bold;
    return this;
  }
  setRanges(ranges: RangeImpl[]) {
    if (ranges.length === 0) throw new Error('Rule must have at least one range.');
    this.sheetId = ranges[0]._sheet.id;
    this.data.ranges = ranges.map((r) => ({ ...r._rect }));
    return this;
  }
  build() {
    if (this.data.condition.type === '')
      throw new Error('Conditional format rule must have a condition.');
    if (this.data.ranges.length === 0)
      throw new Error('Conditional format rule must have at least one range.');
    return emulated(
      new ConditionalFormatRule(structuredClone(this.data), this.sheetId, this.exec),
      'ConditionalFormatRule',
    );
  }
}

export class Protection {
  constructor(
    private exec: Exec,
    private sheet: SheetData,
    readonly _data: ProtectionData,
  ) {}
  private changed(method: string) {
    count(this.exec, 'formatting', `Protection.${method}`);
    return this;
  }
  getDescription() {
    return this._data.description;
  }
  setDescription(description: string) {
    this._data.description = description;
    return this.changed('setDescription');
  }
  isWarningOnly() {
    return this._data.warningOnly;
  }
  setWarningOnly(warningOnly: boolean) {
    this._data.warningOnly = warningOnly;
    return this.changed('setWarningOnly');
  }
  getProtectionType() {
    return this._data.type;
  }
  getRange() {
    return makeRange(this.exec, this.sheet, this._data.rect ?? { r: 1, c: 1, nr: null, nc: null });
  }
  /**
   * A new protection mirrors the spreadsheet's permissions: it protects nothing until the
   * script changes its editors (removeEditors, setDomainEdit(false)). Its editors are then
   * whoever is listed (the owner always may edit).
   */
  getEditors() {
    const listed = this._data.restricted
      ? this._data.editors
      : [spreadsheetOf(this.exec.world, this.sheet).owner, ...this._data.editors];
    return [...new Set(listed)].map((e) => userObject(e));
  }
  addEditor(email: string) {
    return this.addEditors([email]).changed('addEditor');
  }
  addEditors(emails: string[]) {
    for (const email of emails.map((e) => (typeof e === 'string' ? e : userEmail(e))))
      if (!this._data.editors.includes(email)) this._data.editors.push(email);
    return this.changed('addEditors');
  }
  removeEditors(emails: unknown[]) {
    const gone = emails.map((e) => (typeof e === 'string' ? e : userEmail(e)));
    this._data.editors = this._data.editors.filter((e) => !gone.includes(e));
    this._data.restricted = true;
    return this.changed('removeEditors');
  }
  removeEditor(email: unknown) {
    return this.removeEditors([email]);
  }
  canDomainEdit() {
    return !this._data.restricted;
  }
  setDomainEdit(editable: boolean) {
    if (!editable) this._data.restricted = true;
    else notEmulated('Protection.setDomainEdit(true)');
    return this.changed('setDomainEdit');
  }
  canEdit() {
    return (
      this._data.warningOnly ||
      !this._data.restricted ||
      this.exec.effectiveUser === spreadsheetOf(this.exec.world, this.sheet).owner ||
      this._data.editors.includes(this.exec.effectiveUser)
    );
  }
  remove() {
    this.sheet.protections = this.sheet.protections.filter((p) => p !== this._data);
    count(this.exec, 'formatting', 'Protection.remove');
  }
}

function userEmail(user: unknown): string {
  const get = (user as { getEmail?: () => unknown } | null)?.getEmail;
  if (typeof get !== 'function')
    return notEmulated('Protection editors other than emails and Users');
  return String(get.call(user));
}

export function userObject(email: string) {
  return emulated({ getEmail: () => email }, 'User');
}

// ------------------------------------------------------------------ TextFinder

/**
 * Range.createTextFinder: searches what cells show, row by row, left to right. Each find is one
 * call; what it scans is counted apart from cells read (the server scans, nothing is sent).
 */
export class TextFinderImpl {
  private entire = false;
  private caseSensitive = false;
  private regex = false;
  private from: { r: number; c: number } | null = null;
  constructor(
    private exec: Exec,
    private sheet: SheetData,
    private row: number,
    private col: number,
    private rows: number,
    private cols: number,
    private text: string,
  ) {
    if (typeof text !== 'string' || text === '') throw new Error('Invalid argument: findText');
  }
  matchEntireCell(on: boolean) {
    this.entire = !!on;
    this.pattern = null;
    return this;
  }
  matchCase(on: boolean) {
    this.caseSensitive = !!on;
    this.pattern = null;
    return this;
  }
  /**
   * Google's patterns are RE2; the runtime uses JavaScript's, and refuses what RE2 would not
   * take the same way (look-arounds and back-references), so a pattern that works here works
   * there.
   */
  useRegularExpression(on: boolean) {
    if (on && /\(\?[=!<]|\\[1-9]/.test(this.text))
      throw new Error(`Invalid argument: findText (RE2 has no look-arounds or back-references)`);
    this.regex = !!on;
    this.pattern = null;
    return this;
  }
  startFrom(range: RangeImpl) {
    this.from = { r: range.row, c: range.col };
    return this;
  }
  /**
   * Searches formulas' text (with its '='). Google does not say what a cell without a formula
   * offers then: the runtime takes the less forgiving reading, its value as shown, so code
   * must check what it finds.
   */
  matchFormulaText(on: boolean) {
    this.formulaText = !!on;
    return this;
  }
  private formulaText = false;
  private pattern: RegExp | null = null;
  private matches(cell: CellData | undefined): boolean {
    const shown =
      this.formulaText && cell?.f
        ? cell.f
        : cellDisplay(this.sheet, cell, spreadsheetOf(this.exec.world, this.sheet).timeZone);
    if (this.regex) {
      // Compiled once per search (a search over a whole sheet tests every cell).
      this.pattern ??= new RegExp(
        this.entire ? `^(?:${this.text})$` : this.text,
        this.caseSensitive ? 'u' : 'iu',
      );
      return this.pattern.test(shown);
    }
    const a = this.caseSensitive ? shown : shown.toLowerCase();
    const b = this.caseSensitive ? this.text : this.text.toLowerCase();
    return this.entire ? a === b : a.includes(b);
  }
  /** Cell positions in search order, from the start (or after `from`), optionally backwards. */
  private scan(backwards: boolean, stopAtFirst: boolean): { r: number; c: number }[] {
    const cells: { r: number; c: number }[] = [];
    const total = this.rows * this.cols;
    const index = (r: number, c: number) => (r - this.row) * this.cols + (c - this.col);
    let k = this.from
      ? index(this.from.r, this.from.c) + (backwards ? -1 : 1)
      : backwards
        ? total - 1
        : 0;
    let scanned = 0;
    for (; k >= 0 && k < total; k += backwards ? -1 : 1) {
      scanned++;
      const r = this.row + Math.floor(k / this.cols);
      const c = this.col + (k % this.cols);
      if (this.matches(cellAt(this.sheet, r, c))) {
        cells.push({ r, c });
        if (stopAtFirst) break;
      }
    }
    this.exec.counts.cellsScanned += scanned;
    return cells;
  }
  findAll() {
    count(this.exec, 'reads', 'TextFinder.findAll');
    const out = this.exec.realm.array();
    this.from = null;
    out.push(
      ...this.scan(false, false).map((p) =>
        makeRange(this.exec, this.sheet, { r: p.r, c: p.c, nr: 1, nc: 1 }),
      ),
    );
    return out;
  }
  private step(backwards: boolean) {
    count(this.exec, 'reads', backwards ? 'TextFinder.findPrevious' : 'TextFinder.findNext');
    const [p] = this.scan(backwards, true);
    if (!p) return null;
    this.from = p;
    return makeRange(this.exec, this.sheet, { r: p.r, c: p.c, nr: 1, nc: 1 });
  }
  findNext() {
    return this.step(false);
  }
  findPrevious() {
    return this.step(true);
  }
}

// ------------------------------------------------------------------ Range

type RangeMethods =
  | 'getValue'
  | 'getValues'
  | 'setValue'
  | 'setValues'
  | 'getDisplayValue'
  | 'getDisplayValues'
  | 'getFormula'
  | 'getFormulas'
  | 'setFormula'
  | 'getBackground'
  | 'getBackgrounds'
  | 'setBackground'
  | 'getNote'
  | 'getNotes'
  | 'setNote'
  | 'setNotes'
  | 'getNumberFormat'
  | 'getNumberFormats'
  | 'setNumberFormat'
  | 'setFontWeight'
  | 'setFontColor'
  | 'setDataValidation'
  | 'getDataValidation'
  | 'getDataValidations'
  | 'setDataValidations'
  | 'clearDataValidations'
  | 'getRow'
  | 'getColumn'
  | 'getLastRow'
  | 'getLastColumn'
  | 'getNumRows'
  | 'getNumColumns'
  | 'getA1Notation'
  | 'getSheet'
  | 'getCell'
  | 'offset'
  | 'clearContent'
  | 'clearNote'
  | 'setHorizontalAlignment'
  | 'setVerticalAlignment'
  | 'setWrap'
  | 'isBlank'
  | 'getFontWeight'
  | 'createTextFinder'
  | 'addDeveloperMetadata'
  | 'createDeveloperMetadataFinder';

export class RangeImpl implements Partial<Emulates<GRange, RangeMethods>> {
  readonly row: number;
  readonly col: number;
  readonly rows: number;
  readonly cols: number;

  constructor(
    private exec: Exec,
    readonly _sheet: SheetData,
    readonly _rect: Rect,
  ) {
    this.row = _rect.r;
    this.col = _rect.c;
    this.rows = _rect.nr ?? _sheet.maxRows - _rect.r + 1;
    this.cols = _rect.nc ?? _sheet.maxCols - _rect.c + 1;
  }

  private get tz(): string {
    return spreadsheetOf(this.exec.world, this._sheet).timeZone;
  }

  private map<T>(fn: (cell: CellData | undefined, r: number, c: number) => T): unknown[] {
    const out = this.exec.realm.array();
    for (let i = 0; i < this.rows; i++) {
      const line = this._sheet.grid[this.row + i - 1];
      const row = this.exec.realm.array();
      for (let j = 0; j < this.cols; j++)
        row.push(fn(line?.[this.col + j - 1] ?? undefined, this.row + i, this.col + j));
      out.push(row);
    }
    return out;
  }

  private forEachCell(fn: (cell: CellData, i: number, j: number) => void): void {
    for (let i = 0; i < this.rows; i++) {
      for (let j = 0; j < this.cols; j++)
        fn(cellFor(this._sheet, this.row + i, this.col + j), i, j);
    }
  }

  private toBundle(v: Stored): unknown {
    return isDateValue(v) ? this.exec.realm.date(instantOf(v, this.tz)) : v;
  }

  private checkShape(values: unknown, method: string): unknown[][] {
    if (!Array.isArray(values) || !values.every((r) => Array.isArray(r))) {
      throw new Error(
        `The parameters (${typeof values}) don't match the method signature for SpreadsheetApp.Range.${method}.`,
      );
    }
    if (values.length !== this.rows) {
      throw new Error(
        `The number of rows in the data does not match the number of rows in the range. The data has ${values.length} but the range has ${this.rows}.`,
      );
    }
    for (const row of values as unknown[][]) {
      if (row.length !== this.cols) {
        throw new Error(
          `The number of columns in the data does not match the number of columns in the range. The data has ${row.length} but the range has ${this.cols}.`,
        );
      }
    }
    return values as unknown[][];
  }

  private checkWritable(): void {
    const ss = spreadsheetOf(this.exec.world, this._sheet);
    if (!canEditFile(this.exec.world, ss, this.exec.effectiveUser)) throw new Error(NO_FILE_ACCESS);
    const { blocked } = blockingProtection(
      ss,
      this._sheet,
      this.exec.effectiveUser,
      this.row,
      this.col,
      this.rows,
      this.cols,
    );
    if (blocked) throw new Error(PROTECTED_MESSAGE);
  }

  /** Writes one value as Apps Script does: strings are read like typed input. */
  private store(cell: CellData, value: unknown): void {
    delete cell.f;
    if (value === null || value === undefined || value === '') {
      cell.v = '';
    } else if (typeof value === 'string') {
      if (value.length > CELL_CHARACTER_LIMIT) throw new Error(CELL_TOO_LONG);
      const parsed = parseInput(value, cell.nf);
      cell.v = parsed.value;
      if (parsed.formula) cell.f = parsed.formula;
      if (parsed.format && !cell.nf) cell.nf = parsed.format;
    } else if (typeof value === 'number') {
      if (!Number.isFinite(value)) throw new Error(`Invalid value: ${value}`);
      cell.v = value;
    } else if (typeof value === 'boolean') {
      cell.v = value;
    } else if (isForeignDate(value)) {
      cell.v = storedDate(value.getTime(), this.tz);
    } else {
      notEmulated(`Range.setValues with a value of type ${Object.prototype.toString.call(value)}`);
    }
  }

  getValue() {
    count(this.exec, 'reads', 'Range.getValue', this.rows * this.cols);
    return this.toBundle(cellValue(this._sheet, cellAt(this._sheet, this.row, this.col)));
  }
  getValues() {
    count(this.exec, 'reads', 'Range.getValues', this.rows * this.cols);
    return this.map((cell) => this.toBundle(cellValue(this._sheet, cell))) as never;
  }
  getDisplayValue() {
    count(this.exec, 'reads', 'Range.getDisplayValue', this.rows * this.cols);
    return cellDisplay(this._sheet, cellAt(this._sheet, this.row, this.col), this.tz);
  }
  getDisplayValues() {
    count(this.exec, 'reads', 'Range.getDisplayValues', this.rows * this.cols);
    return this.map((cell) => cellDisplay(this._sheet, cell, this.tz)) as never;
  }
  getFormula() {
    count(this.exec, 'reads', 'Range.getFormula', this.rows * this.cols);
    return cellAt(this._sheet, this.row, this.col)?.f ?? '';
  }
  getFormulas() {
    count(this.exec, 'reads', 'Range.getFormulas', this.rows * this.cols);
    return this.map((cell) => cell?.f ?? '') as never;
  }
  setValue(value: unknown) {
    count(this.exec, 'writes', 'Range.setValue', this.rows * this.cols);
    this.checkWritable();
    this.forEachCell((cell) => this.store(cell, value));
    return this;
  }
  setValues(values: unknown[][]) {
    count(this.exec, 'writes', 'Range.setValues', this.rows * this.cols);
    const rows = this.checkShape(values, 'setValues');
    this.checkWritable();
    // The whole call fails, writing nothing, when one value is too long for a cell.
    if (
      rows.some((row) => row.some((v) => typeof v === 'string' && v.length > CELL_CHARACTER_LIMIT))
    )
      throw new Error(CELL_TOO_LONG);
    this.forEachCell((cell, i, j) => this.store(cell, rows[i][j]));
    return this;
  }
  setFormula(formula: string) {
    count(this.exec, 'writes', 'Range.setFormula', this.rows * this.cols);
    this.checkWritable();
    this.forEachCell((cell) => {
      cell.f = formula.startsWith('=') ? formula : `=${formula}`;
      cell.v = '';
    });
    return this;
  }
  clearContent() {
    count(this.exec, 'writes', 'Range.clearContent', this.rows * this.cols);
    this.checkWritable();
    this.forEachCell((cell) => {
      delete cell.f;
      cell.v = '';
    });
    return this;
  }
  clear() {
    count(this.exec, 'writes', 'Range.clear', this.rows * this.cols);
    this.checkWritable();
    this.forEachCell((cell) => {
      for (const key of Object.keys(cell)) delete (cell as Record<string, unknown>)[key];
    });
    return this;
  }
  getBackground() {
    count(this.exec, 'reads', 'Range.getBackground', this.rows * this.cols);
    return cellAt(this._sheet, this.row, this.col)?.bg ?? '#ffffff';
  }
  getBackgrounds() {
    count(this.exec, 'reads', 'Range.getBackgrounds', this.rows * this.cols);
    return this.map((cell) => cell?.bg ?? '#ffffff') as never;
  }
  setBackground(color: string | null) {
    count(this.exec, 'formatting', 'Range.setBackground', this.rows * this.cols);
    this.forEachCell((cell) => {
      if (color === null) delete cell.bg;
      else cell.bg = color.toLowerCase();
    });
    return this;
  }
  setBackgrounds(colors: (string | null)[][]) {
    count(this.exec, 'formatting', 'Range.setBackgrounds', this.rows * this.cols);
    const rows = this.checkShape(colors, 'setBackgrounds') as (string | null)[][];
    this.forEachCell((cell, i, j) => {
      const color = rows[i][j];
      if (color === null || color === '') delete cell.bg;
      else cell.bg = color.toLowerCase();
    });
    return this;
  }
  getNote() {
    count(this.exec, 'reads', 'Range.getNote', this.rows * this.cols);
    return cellAt(this._sheet, this.row, this.col)?.note ?? '';
  }
  getNotes() {
    count(this.exec, 'reads', 'Range.getNotes', this.rows * this.cols);
    return this.map((cell) => cell?.note ?? '') as never;
  }
  setNote(note: string | null) {
    count(this.exec, 'formatting', 'Range.setNote', this.rows * this.cols);
    this.forEachCell((cell) => {
      if (note === null || note === '') delete cell.note;
      else cell.note = String(note);
    });
    return this;
  }
  setNotes(notes: (string | null)[][]) {
    count(this.exec, 'formatting', 'Range.setNotes', this.rows * this.cols);
    const rows = this.checkShape(notes, 'setNotes') as (string | null)[][];
    this.forEachCell((cell, i, j) => {
      const note = rows[i][j];
      if (note === null || note === '') delete cell.note;
      else cell.note = String(note);
    });
    return this;
  }
  clearNote() {
    return this.setNote(null);
  }
  getNumberFormat() {
    count(this.exec, 'reads', 'Range.getNumberFormat', this.rows * this.cols);
    return cellAt(this._sheet, this.row, this.col)?.nf ?? 'General';
  }
  getNumberFormats() {
    count(this.exec, 'reads', 'Range.getNumberFormats', this.rows * this.cols);
    return this.map((cell) => cell?.nf ?? 'General') as never;
  }
  setNumberFormat(format: string) {
    count(this.exec, 'formatting', 'Range.setNumberFormat', this.rows * this.cols);
    checkNumberFormat(format);
    this.forEachCell((cell) => {
      cell.nf = format;
    });
    return this;
  }
  setNumberFormats(formats: string[][]) {
    count(this.exec, 'formatting', 'Range.setNumberFormats', this.rows * this.cols);
    const rows = this.checkShape(formats, 'setNumberFormats') as string[][];
    rows.flat().forEach(checkNumberFormat);
    this.forEachCell((cell, i, j) => {
      cell.nf = rows[i][j];
    });
    return this;
  }
  getFontWeight() {
    count(this.exec, 'reads', 'Range.getFontWeight', this.rows * this.cols);
    return cellAt(this._sheet, this.row, this.col)?.fw ?? 'normal';
  }
  setFontWeight(weight: string | null) {
    count(this.exec, 'formatting', 'Range.setFontWeight', this.rows * this.cols);
    this.forEachCell((cell) => {
      if (weight === null || weight === 'normal') delete cell.fw;
      else cell.fw = weight;
    });
    return this;
  }
  setFontColor(color: string | null) {
    count(this.exec, 'formatting', 'Range.setFontColor', this.rows * this.cols);
    this.forEachCell((cell) => {
      if (color === null) delete cell.fc;
      else cell.fc = color.toLowerCase();
    });
    return this;
  }
  private style(method: string, key: string, value: string | boolean | null) {
    count(this.exec, 'formatting', `Range.${method}`, this.rows * this.cols);
    this.forEachCell((cell) => {
      cell.x = { ...(cell.x ?? {}) };
      if (value === null) delete cell.x[key];
      else cell.x[key] = value;
    });
    return this;
  }
  setHorizontalAlignment(alignment: string | null) {
    return this.style('setHorizontalAlignment', 'ha', alignment);
  }
  setVerticalAlignment(alignment: string | null) {
    return this.style('setVerticalAlignment', 'va', alignment);
  }
  setWrap(wrap: boolean) {
    return this.style('setWrap', 'wrap', wrap);
  }
  setDataValidation(rule: DataValidation | null) {
    count(this.exec, 'formatting', 'Range.setDataValidation', this.rows * this.cols);
    let index: number | undefined;
    if (rule !== null) {
      this._sheet.validations.push(structuredClone(rule._data));
      index = this._sheet.validations.length - 1;
    }
    this.forEachCell((cell) => {
      if (index === undefined) delete cell.dv;
      else cell.dv = index;
    });
    this.compactValidations();
    return this;
  }
  clearDataValidations() {
    return this.setDataValidation(null);
  }
  setDataValidations(rules: (DataValidation | null)[][]) {
    count(this.exec, 'formatting', 'Range.setDataValidations', this.rows * this.cols);
    const rows = this.checkShape(rules, 'setDataValidations') as (DataValidation | null)[][];
    const indexOf = new Map<DataValidation, number>();
    for (const row of rows)
      for (const rule of row) {
        if (rule === null || indexOf.has(rule)) continue;
        if (!(rule as { _data?: unknown })._data)
          notEmulated('Range.setDataValidations with a value that is not a DataValidation');
        this._sheet.validations.push(structuredClone(rule._data));
        indexOf.set(rule, this._sheet.validations.length - 1);
      }
    this.forEachCell((cell, i, j) => {
      const rule = rows[i][j];
      if (rule === null) delete cell.dv;
      else cell.dv = indexOf.get(rule);
    });
    this.compactValidations();
    return this;
  }
  /** Drops validation rules no cell refers to any more, so repeated setups do not pile up. */
  private compactValidations(): void {
    const used = new Map<number, number>();
    const kept: ValidationData[] = [];
    for (const line of this._sheet.grid) {
      for (const cell of line ?? []) {
        if (!cell || cell.dv === undefined) continue;
        let next = used.get(cell.dv);
        if (next === undefined) {
          next = kept.length;
          kept.push(this._sheet.validations[cell.dv]);
          used.set(cell.dv, next);
        }
        cell.dv = next;
      }
    }
    this._sheet.validations = kept;
  }
  getDataValidation() {
    count(this.exec, 'reads', 'Range.getDataValidation', this.rows * this.cols);
    const dv = cellAt(this._sheet, this.row, this.col)?.dv;
    return dv === undefined
      ? null
      : emulated(new DataValidation(this._sheet.validations[dv]), 'DataValidation');
  }
  getDataValidations() {
    count(this.exec, 'reads', 'Range.getDataValidations', this.rows * this.cols);
    return this.map((cell) =>
      cell?.dv === undefined
        ? null
        : emulated(new DataValidation(this._sheet.validations[cell.dv]), 'DataValidation'),
    ) as never;
  }
  protect() {
    count(this.exec, 'formatting', 'Range.protect');
    const ss = spreadsheetOf(this.exec.world, this._sheet);
    const data: ProtectionData = {
      id: ss.nextProtectionId++,
      type: 'RANGE',
      rect: { ...this._rect },
      description: '',
      warningOnly: false,
      editors: [this.exec.effectiveUser],
    };
    this._sheet.protections.push(data);
    return emulated(new Protection(this.exec, this._sheet, data), 'Protection');
  }
  getRow() {
    return this.row;
  }
  getColumn() {
    return this.col;
  }
  getLastRow() {
    return this.row + this.rows - 1;
  }
  getLastColumn() {
    return this.col + this.cols - 1;
  }
  getNumRows() {
    return this.rows;
  }
  getNumColumns() {
    return this.cols;
  }
  getA1Notation() {
    if (this._rect.nr === null && this._rect.nc !== null) {
      const from = `${columnLetters(this.col)}${this.row === 1 ? '' : this.row}`;
      return `${from}:${columnLetters(this.col + this.cols - 1)}`;
    }
    return rectA1(this.row, this.col, this.rows, this.cols);
  }
  getSheet() {
    return makeSheet(this.exec, this._sheet);
  }
  getGridId() {
    return this._sheet.id;
  }
  createTextFinder(findText: string) {
    return emulated(
      new TextFinderImpl(
        this.exec,
        this._sheet,
        this.row,
        this.col,
        this.rows,
        this.cols,
        findText,
      ),
      'TextFinder',
    );
  }
  getCell(row: number, column: number) {
    if (row < 1 || column < 1 || row > this.rows || column > this.cols) {
      throw new Error('Cell reference out of range');
    }
    return makeRange(this.exec, this._sheet, {
      r: this.row + row - 1,
      c: this.col + column - 1,
      nr: 1,
      nc: 1,
    });
  }
  offset(rowOffset: number, columnOffset: number, numRows?: number, numColumns?: number) {
    return checkedRange(
      this.exec,
      this._sheet,
      this.row + rowOffset,
      this.col + columnOffset,
      numRows ?? this.rows,
      numColumns ?? this.cols,
    );
  }
  addDeveloperMetadata(key: unknown, value?: unknown, visibility?: unknown) {
    // addDeveloperMetadata(key, visibility) is the two-argument form with a visibility.
    if (visibility === undefined && (value === 'PROJECT' || value === 'DOCUMENT'))
      [value, visibility] = [undefined, value];
    addRangeMetadata(
      this.exec,
      spreadsheetOf(this.exec.world, this._sheet),
      this._sheet,
      this._rect,
      key,
      value,
      visibility,
    );
    return this;
  }
  createDeveloperMetadataFinder() {
    return metadataFinder(this.exec, HOST, [this._sheet], [this.col, this.col + this.cols - 1]);
  }
  isBlank() {
    count(this.exec, 'reads', 'Range.isBlank', this.rows * this.cols);
    let blank = true;
    this.map((cell) => {
      if (cellValue(this._sheet, cell) !== '' || cell?.f) blank = false;
    });
    return blank;
  }
  activate() {
    return this;
  }
}

function makeRange(exec: Exec, sheet: SheetData, rect: Rect): GRange {
  return emulated(new RangeImpl(exec, sheet, rect), 'Range') as unknown as GRange;
}

const HOST: MetadataHost = {
  makeRange: (exec, sheet, rect) => makeRange(exec, sheet, rect),
  makeSheet: (exec, sheet) => makeSheet(exec, sheet),
};

function checkedRange(
  exec: Exec,
  sheet: SheetData,
  r: number,
  c: number,
  nr: number,
  nc: number,
): GRange {
  for (const [name, v] of [
    ['row', r],
    ['column', c],
    ['number of rows', nr],
    ['number of columns', nc],
  ] as const) {
    if (typeof v !== 'number' || !Number.isInteger(v)) {
      throw new Error(
        `The parameters don't match the method signature for SpreadsheetApp.Sheet.getRange (${name}).`,
      );
    }
  }
  if (r < 1) throw new Error('The starting row of the range is too small.');
  if (c < 1) throw new Error('The starting column of the range is too small.');
  if (nr < 1) throw new Error('The number of rows in the range must be at least 1.');
  if (nc < 1) throw new Error('The number of columns in the range must be at least 1.');
  if (r + nr - 1 > sheet.maxRows || c + nc - 1 > sheet.maxCols) {
    throw new Error('The coordinates of the range are outside the dimensions of the sheet.');
  }
  return makeRange(exec, sheet, { r, c, nr, nc });
}

// ------------------------------------------------------------------ charts

export const ChartType = {
  AREA: 'AREA',
  BAR: 'BAR',
  COLUMN: 'COLUMN',
  LINE: 'LINE',
  PIE: 'PIE',
} as const;

class EmbeddedChartImpl {
  constructor(readonly _data: ChartData) {}
  getChartId() {
    return this._data.id;
  }
  getOptions() {
    return emulated({ get: (key: string) => this._data.options[key] ?? null }, 'ChartOptions');
  }
  modify() {
    return notEmulated('EmbeddedChart.modify');
  }
}

class EmbeddedChartBuilderImpl {
  private data: ChartData = {
    id: 0,
    type: '',
    ranges: [],
    options: {},
    anchor: { row: 1, col: 1 },
  };
  addRange(range: RangeImpl) {
    this.data.ranges.push({ ...range._rect, nr: range.rows, nc: range.cols });
    return this;
  }
  setChartType(type: string) {
    if (!(type in ChartType)) notEmulated(`Charts.ChartType.${type}`);
    this.data.type = type;
    return this;
  }
  setOption(option: string, value: unknown) {
    if (typeof value === 'object' && value !== null)
      notEmulated(`EmbeddedChartBuilder.setOption with an object (${option})`);
    this.data.options[option] = value as string | number | boolean;
    return this;
  }
  setPosition(anchorRowPos: number, anchorColPos: number, _offsetX: number, _offsetY: number) {
    this.data.anchor = { row: anchorRowPos, col: anchorColPos };
    return this;
  }
  build() {
    if (this.data.type === '') throw new Error('The chart type must be set.');
    if (this.data.ranges.length === 0) throw new Error('The chart needs at least one range.');
    return emulated(new EmbeddedChartImpl(structuredClone(this.data)), 'EmbeddedChart');
  }
}

// ------------------------------------------------------------------ Sheet

type SheetMethods =
  | 'getName'
  | 'setName'
  | 'getIndex'
  | 'getSheetId'
  | 'getRange'
  | 'getDataRange'
  | 'getLastRow'
  | 'getLastColumn'
  | 'getMaxRows'
  | 'getMaxColumns'
  | 'insertRowsAfter'
  | 'deleteColumns'
  | 'insertColumnsAfter'
  | 'insertColumnsBefore'
  | 'deleteRow'
  | 'deleteRows'
  | 'appendRow'
  | 'getFrozenRows'
  | 'setFrozenRows'
  | 'hideSheet'
  | 'showSheet'
  | 'isSheetHidden'
  | 'setColumnWidth'
  | 'getColumnWidth'
  | 'getConditionalFormatRules'
  | 'setConditionalFormatRules'
  | 'getProtections'
  | 'protect'
  | 'clear'
  | 'activate'
  | 'setTabColor'
  | 'addDeveloperMetadata'
  | 'createDeveloperMetadataFinder';

export class SheetImpl implements Partial<Emulates<GSheet, SheetMethods>> {
  constructor(
    private exec: Exec,
    readonly _data: SheetData,
  ) {}

  private get ss(): SpreadsheetData {
    return spreadsheetOf(this.exec.world, this._data);
  }
  private checkStructureEdit(): void {
    const { blocked } = blockingProtection(
      this.ss,
      this._data,
      this.exec.effectiveUser,
      1,
      1,
      this._data.maxRows,
      this._data.maxCols,
    );
    if (blocked && blocked.type === 'SHEET') throw new Error(PROTECTED_MESSAGE);
  }

  getName() {
    return this._data.name;
  }
  setName(name: string) {
    count(this.exec, 'writes', 'Sheet.setName');
    if (
      this.ss.sheets.some((s) => s !== this._data && s.name.toLowerCase() === name.toLowerCase())
    ) {
      throw new Error(`A sheet with the name "${name}" already exists. Please enter another name.`);
    }
    this._data.name = name;
    return this;
  }
  getIndex() {
    return this.ss.sheets.indexOf(this._data) + 1;
  }
  getSheetId() {
    return this._data.id;
  }
  getParent() {
    return makeSpreadsheet(this.exec);
  }
  getRange(a: number | string, column?: number, numRows?: number, numColumns?: number) {
    if (typeof a === 'string') {
      let rect: Rect;
      try {
        rect = parseA1(a.includes('!') ? a.slice(a.indexOf('!') + 1) : a);
      } catch {
        throw new Error('Range not found');
      }
      const rows = rect.nr ?? this._data.maxRows - rect.r + 1;
      const cols = rect.nc ?? this._data.maxCols - rect.c + 1;
      if (rect.r + rows - 1 > this._data.maxRows || rect.c + cols - 1 > this._data.maxCols) {
        throw new Error('Range not found');
      }
      return makeRange(this.exec, this._data, rect);
    }
    return checkedRange(this.exec, this._data, a, column as number, numRows ?? 1, numColumns ?? 1);
  }
  getDataRange() {
    count(this.exec, 'reads', 'Sheet.getDataRange');
    return makeRange(this.exec, this._data, {
      r: 1,
      c: 1,
      nr: Math.max(1, lastRow(this._data)),
      nc: Math.max(1, lastColumn(this._data)),
    });
  }
  getLastRow() {
    count(this.exec, 'reads', 'Sheet.getLastRow');
    return lastRow(this._data);
  }
  getLastColumn() {
    count(this.exec, 'reads', 'Sheet.getLastColumn');
    return lastColumn(this._data);
  }
  getMaxRows() {
    return this._data.maxRows;
  }
  getMaxColumns() {
    return this._data.maxCols;
  }
  insertRowsAfter(afterPosition: number, howMany: number) {
    count(this.exec, 'writes', 'Sheet.insertRowsAfter');
    this.checkStructureEdit();
    if (afterPosition < 1 || afterPosition > this._data.maxRows)
      throw new Error('Those rows are out of bounds.');
    ensureCellRoom(this.ss, howMany * this._data.maxCols);
    insertRows(this._data, afterPosition, howMany);
    return this;
  }
  insertRowsBefore(beforePosition: number, howMany: number) {
    count(this.exec, 'writes', 'Sheet.insertRowsBefore');
    this.checkStructureEdit();
    ensureCellRoom(this.ss, howMany * this._data.maxCols);
    insertRows(this._data, beforePosition - 1, howMany);
    return this;
  }
  insertColumnsAfter(afterPosition: number, howMany: number) {
    count(this.exec, 'writes', 'Sheet.insertColumnsAfter');
    this.checkStructureEdit();
    ensureCellRoom(this.ss, howMany * this._data.maxRows);
    insertColumns(this._data, afterPosition, howMany);
    return this;
  }
  insertColumnsBefore(beforePosition: number, howMany: number) {
    count(this.exec, 'writes', 'Sheet.insertColumnsBefore');
    this.checkStructureEdit();
    if (beforePosition < 1 || beforePosition > this._data.maxCols || howMany < 1)
      throw new Error('Those columns are out of bounds.');
    ensureCellRoom(this.ss, howMany * this._data.maxRows);
    insertColumns(this._data, beforePosition - 1, howMany);
    return this;
  }
  deleteColumns(columnPosition: number, howMany: number) {
    count(this.exec, 'writes', 'Sheet.deleteColumns');
    this.checkStructureEdit();
    if (columnPosition < 1 || howMany < 1 || columnPosition + howMany - 1 > this._data.maxCols)
      throw new Error('Those columns are out of bounds.');
    if (howMany >= this._data.maxCols - this._data.frozenCols)
      throw new Error('Sorry, it is not possible to delete all non-frozen columns.');
    deleteColumns(this._data, columnPosition, howMany);
    return this;
  }
  deleteRow(rowPosition: number) {
    return this.deleteRows(rowPosition, 1, 'deleteRow');
  }
  deleteRows(rowPosition: number, howMany: number, method = 'deleteRows') {
    count(this.exec, 'writes', `Sheet.${method}`);
    this.checkStructureEdit();
    if (rowPosition < 1 || rowPosition + howMany - 1 > this._data.maxRows)
      throw new Error('Those rows are out of bounds.');
    if (howMany >= this._data.maxRows - this._data.frozenRows) {
      throw new Error('Sorry, it is not possible to delete all non-frozen rows.');
    }
    deleteRows(this._data, rowPosition, howMany);
    return this;
  }
  appendRow(rowContents: unknown[]) {
    count(this.exec, 'writes', 'Sheet.appendRow');
    if (!Array.isArray(rowContents) || rowContents.length === 0) {
      throw new Error(
        "The parameters (number[]) don't match the method signature for SpreadsheetApp.Sheet.appendRow.",
      );
    }
    const row = lastRow(this._data) + 1;
    const cols = Math.max(this._data.maxCols, rowContents.length);
    ensureCellRoom(
      this.ss,
      Math.max(0, row - this._data.maxRows) * cols +
        (cols - this._data.maxCols) * this._data.maxRows,
    );
    if (row > this._data.maxRows)
      insertRows(this._data, this._data.maxRows, row - this._data.maxRows);
    if (rowContents.length > this._data.maxCols) {
      insertColumns(this._data, this._data.maxCols, rowContents.length - this._data.maxCols);
    }
    const range = new RangeImpl(this.exec, this._data, {
      r: row,
      c: 1,
      nr: 1,
      nc: rowContents.length,
    });
    const before = this.exec.counts.writes;
    range.setValues([rowContents]);
    this.exec.counts.writes = before;
    this.exec.counts.byMethod['Range.setValues']--;
    return this;
  }
  getFrozenRows() {
    return this._data.frozenRows;
  }
  setFrozenRows(rows: number) {
    count(this.exec, 'formatting', 'Sheet.setFrozenRows');
    this._data.frozenRows = rows;
  }
  getFrozenColumns() {
    return this._data.frozenCols;
  }
  setFrozenColumns(columns: number) {
    count(this.exec, 'formatting', 'Sheet.setFrozenColumns');
    this._data.frozenCols = columns;
  }
  hideSheet() {
    count(this.exec, 'formatting', 'Sheet.hideSheet');
    if (this.ss.sheets.filter((s) => !s.hidden && s !== this._data).length === 0) {
      throw new Error("You can't hide all the sheets in a document.");
    }
    this._data.hidden = true;
    return this;
  }
  showSheet() {
    count(this.exec, 'formatting', 'Sheet.showSheet');
    this._data.hidden = false;
    return this;
  }
  isSheetHidden() {
    return this._data.hidden;
  }
  setColumnWidth(columnPosition: number, width: number) {
    count(this.exec, 'formatting', 'Sheet.setColumnWidth');
    this._data.columnWidths[String(columnPosition)] = width;
    return this;
  }
  hideColumns(columnIndex: number, numColumns = 1) {
    count(this.exec, 'formatting', 'Sheet.hideColumns');
    const hidden = new Set(this._data.hiddenColumns ?? []);
    for (let c = columnIndex; c < columnIndex + numColumns; c++) hidden.add(c);
    this._data.hiddenColumns = [...hidden].sort((a, b) => a - b);
  }
  showColumns(columnIndex: number, numColumns = 1) {
    count(this.exec, 'formatting', 'Sheet.showColumns');
    this._data.hiddenColumns = (this._data.hiddenColumns ?? []).filter(
      (c) => c < columnIndex || c >= columnIndex + numColumns,
    );
  }
  isColumnHiddenByUser(columnPosition: number) {
    return (this._data.hiddenColumns ?? []).includes(columnPosition);
  }
  getColumnWidth(columnPosition: number) {
    return this._data.columnWidths[String(columnPosition)] ?? 100;
  }
  setTabColor(color: string | null) {
    count(this.exec, 'formatting', 'Sheet.setTabColor');
    this._data.tabColor = color;
    return this;
  }
  getConditionalFormatRules() {
    count(this.exec, 'reads', 'Sheet.getConditionalFormatRules');
    return this._data.conditionalFormats.map((rule) =>
      emulated(
        new ConditionalFormatRule(structuredClone(rule), this._data.id, this.exec),
        'ConditionalFormatRule',
      ),
    );
  }
  setConditionalFormatRules(rules: ConditionalFormatRule[]) {
    count(this.exec, 'formatting', 'Sheet.setConditionalFormatRules');
    for (const rule of rules) {
      if (rule._sheetId !== null && rule._sheetId !== this._data.id) {
        throw new Error('Conditional format rule cannot reference a different sheet.');
      }
    }
    this._data.conditionalFormats = rules.map((rule) => structuredClone(rule._data));
  }
  getProtections(type: string) {
    count(this.exec, 'reads', 'Sheet.getProtections');
    return this._data.protections
      .filter((p) => p.type === type)
      .map((p) => emulated(new Protection(this.exec, this._data, p), 'Protection'));
  }
  protect() {
    count(this.exec, 'formatting', 'Sheet.protect');
    const existing = this._data.protections.find((p) => p.type === 'SHEET');
    if (existing) return emulated(new Protection(this.exec, this._data, existing), 'Protection');
    const data: ProtectionData = {
      id: this.ss.nextProtectionId++,
      type: 'SHEET',
      rect: null,
      description: '',
      warningOnly: false,
      editors: [this.exec.effectiveUser],
    };
    this._data.protections.push(data);
    return emulated(new Protection(this.exec, this._data, data), 'Protection');
  }
  clear() {
    count(this.exec, 'writes', 'Sheet.clear');
    this.checkStructureEdit();
    this._data.grid = [];
    this._data.validations = [];
    return this;
  }
  clearContents() {
    count(this.exec, 'writes', 'Sheet.clearContents');
    this.checkStructureEdit();
    for (const line of this._data.grid) {
      for (const cell of line ?? []) {
        if (!cell) continue;
        delete cell.f;
        cell.v = '';
      }
    }
    return this;
  }
  activate() {
    return this;
  }
  newChart() {
    return emulated(new EmbeddedChartBuilderImpl(), 'EmbeddedChartBuilder');
  }
  insertChart(chart: EmbeddedChartImpl) {
    count(this.exec, 'formatting', 'Sheet.insertChart');
    this._data.charts ??= [];
    const id = Math.max(0, ...this._data.charts.map((c) => c.id)) + 1;
    this._data.charts.push({ ...structuredClone(chart._data), id });
  }
  getCharts() {
    return (this._data.charts ?? []).map((c) =>
      emulated(new EmbeddedChartImpl(c), 'EmbeddedChart'),
    );
  }
  addDeveloperMetadata(key: unknown, value?: unknown, visibility?: unknown) {
    if (visibility === undefined && (value === 'PROJECT' || value === 'DOCUMENT'))
      [value, visibility] = [undefined, value];
    addSheetMetadata(this.exec, this.ss, this._data, key, value, visibility);
    return this;
  }
  createDeveloperMetadataFinder() {
    return metadataFinder(this.exec, HOST, [this._data]);
  }
  removeChart(chart: EmbeddedChartImpl) {
    count(this.exec, 'formatting', 'Sheet.removeChart');
    this._data.charts = (this._data.charts ?? []).filter((c) => c.id !== chart._data.id);
  }
}

function makeSheet(exec: Exec, data: SheetData): GSheet {
  return emulated(new SheetImpl(exec, data), 'Sheet') as unknown as GSheet;
}

// ------------------------------------------------------------------ Spreadsheet

type SpreadsheetMethods =
  | 'getId'
  | 'getName'
  | 'getUrl'
  | 'getSpreadsheetTimeZone'
  | 'setSpreadsheetTimeZone'
  | 'getSheets'
  | 'getSheetByName'
  | 'insertSheet'
  | 'deleteSheet'
  | 'getActiveSheet'
  | 'toast'
  | 'createDeveloperMetadataFinder'
  | 'getRange';

export class SpreadsheetImpl implements Partial<Emulates<GSpreadsheet, SpreadsheetMethods>> {
  constructor(
    private exec: Exec,
    /** Another file (SpreadsheetApp.create / openById); the registry's own when absent. */
    private file?: SpreadsheetData,
  ) {}
  private get data(): SpreadsheetData {
    return this.file ?? this.exec.world.spreadsheet;
  }
  private share(role: 'editors' | 'viewers', method: string, users: unknown[]) {
    count(this.exec, 'writes', `Spreadsheet.${method}`);
    if (!this.file) return notEmulated(`Spreadsheet.${method} on the registry's own spreadsheet`);
    if (
      this.file.owner !== this.exec.effectiveUser &&
      !this.file.editors?.includes(this.exec.effectiveUser)
    )
      throw new Error(NO_FILE_ACCESS);
    for (const user of users) {
      const email =
        typeof user === 'string' ? user : (user as { getEmail?: () => string })?.getEmail?.();
      if (typeof email !== 'string' || !/^[^@\s]+@[^@\s]+\.[^@\s]+$/.test(email))
        throw new Error(`Invalid email: ${String(email)}`);
      const list = (this.file[role] ??= []);
      if (email !== this.file.owner && !list.includes(email)) list.push(email);
      // A viewer made an editor is no longer a viewer (Drive keeps one role per person).
      if (role === 'editors')
        this.file.viewers = (this.file.viewers ?? []).filter((v) => v !== email);
    }
    return this;
  }
  addEditor(user: unknown) {
    return this.share('editors', 'addEditor', [user]);
  }
  addEditors(users: unknown[]) {
    return this.share('editors', 'addEditors', Array.isArray(users) ? users : [users]);
  }
  addViewer(user: unknown) {
    return this.share('viewers', 'addViewer', [user]);
  }
  addViewers(users: unknown[]) {
    return this.share('viewers', 'addViewers', Array.isArray(users) ? users : [users]);
  }
  getEditors() {
    count(this.exec, 'other', 'Spreadsheet.getEditors');
    const data = this.data;
    return [data.owner, ...(data.editors ?? [])].map((e) => userObject(e));
  }
  getViewers() {
    count(this.exec, 'other', 'Spreadsheet.getViewers');
    const data = this.data;
    return [data.owner, ...(data.editors ?? []), ...(data.viewers ?? [])].map((e) => userObject(e));
  }
  getId() {
    return this.data.id;
  }
  getName() {
    return this.data.name;
  }
  rename(name: string) {
    this.data.name = name;
  }
  getUrl() {
    return `https://docs.google.com/spreadsheets/d/${this.data.id}/edit`;
  }
  getSpreadsheetTimeZone() {
    return this.data.timeZone;
  }
  setSpreadsheetTimeZone(timezone: string) {
    this.data.timeZone = timezone;
  }
  getSpreadsheetLocale() {
    return this.data.locale;
  }
  getOwner() {
    return userObject(this.data.owner);
  }
  getSheets() {
    count(this.exec, 'other', 'Spreadsheet.getSheets');
    return this.data.sheets.map((s) => makeSheet(this.exec, s));
  }
  getSheetByName(name: string) {
    count(this.exec, 'other', 'Spreadsheet.getSheetByName');
    const sheet = this.data.sheets.find((s) => s.name === name);
    return sheet ? makeSheet(this.exec, sheet) : null;
  }
  getSheetById(id: number) {
    const sheet = this.data.sheets.find((s) => s.id === id);
    return sheet ? makeSheet(this.exec, sheet) : null;
  }
  insertSheet(nameOrIndex?: string | number, index?: number) {
    count(this.exec, 'writes', 'Spreadsheet.insertSheet');
    const name =
      typeof nameOrIndex === 'string' ? nameOrIndex : `Sheet${this.data.nextSheetId + 1}`;
    const at = typeof nameOrIndex === 'number' ? nameOrIndex : (index ?? this.data.sheets.length);
    if (this.data.sheets.some((s) => s.name.toLowerCase() === name.toLowerCase())) {
      throw new Error(`A sheet with the name "${name}" already exists. Please enter another name.`);
    }
    const sheet = newSheet(this.data.nextSheetId, name);
    ensureCellRoom(this.data, sheet.maxRows * sheet.maxCols);
    this.data.nextSheetId++;
    this.data.sheets.splice(Math.min(Math.max(at, 0), this.data.sheets.length), 0, sheet);
    return makeSheet(this.exec, sheet);
  }
  deleteSheet(sheet: SheetImpl) {
    count(this.exec, 'writes', 'Spreadsheet.deleteSheet');
    if (this.data.sheets.length === 1) {
      throw new Error("You can't remove all the sheets in a document.");
    }
    this.data.sheets = this.data.sheets.filter((s) => s !== sheet._data);
  }
  getActiveSheet() {
    return makeSheet(this.exec, this.data.sheets.find((s) => !s.hidden) ?? this.data.sheets[0]);
  }
  setActiveSheet(sheet: SheetImpl) {
    return makeSheet(this.exec, sheet._data);
  }
  getRange(a1: string) {
    const bang = a1.indexOf('!');
    const name = bang >= 0 ? a1.slice(0, bang).replace(/^'|'$/g, '') : null;
    const sheet =
      name === null ? this.data.sheets[0] : this.data.sheets.find((s) => s.name === name);
    if (!sheet) throw new Error('Range not found');
    return makeSheet(this.exec, sheet).getRange(a1.slice(bang + 1));
  }
  createDeveloperMetadataFinder() {
    return metadataFinder(this.exec, HOST, this.data.sheets);
  }
  toast(msg: string, title?: string, _timeoutSeconds?: number) {
    this.exec.ui.push({ type: 'toast', title: title ?? '', message: String(msg) });
  }
}

export function makeSpreadsheet(exec: Exec, file?: SpreadsheetData): GSpreadsheet {
  return emulated(new SpreadsheetImpl(exec, file), 'Spreadsheet') as unknown as GSpreadsheet;
}

/** What Apps Script says when a file is not shared with the person running the script. */
export const NO_FILE_ACCESS = 'You do not have permission to access the requested document.';

// ------------------------------------------------------------------ Ui

class MenuImpl {
  readonly items: MenuEntry[] = [];
  constructor(
    private ui: UiImpl,
    readonly title: string,
    private addon = false,
    /** A custom top-level menu in an add-on: usable only as a submenu of the add-on menu. */
    private onlySubmenu = false,
  ) {}
  addItem(caption: string, functionName: string) {
    this.items.push({ caption, fn: functionName });
    return this;
  }
  addSeparator() {
    this.items.push('separator');
    return this;
  }
  addSubMenu(menu: MenuImpl) {
    this.items.push({ caption: menu.title, submenu: menu.items });
    return this;
  }
  addToUi() {
    if (this.onlySubmenu) {
      throw new Error(
        'An add-on cannot add a top-level menu: build it with Ui.createAddonMenu(), under Extensions.',
      );
    }
    const menu: MenuEntry = { caption: this.title, submenu: this.items };
    // An add-on's menu lives under Extensions, named after the add-on.
    this.ui.menus.push(this.addon ? { caption: 'Extensions', submenu: [menu] } : menu);
  }
}

export type MenuEntry = 'separator' | { caption: string; fn?: string; submenu?: MenuEntry[] };

export const ButtonSet = {
  OK: 'OK',
  OK_CANCEL: 'OK_CANCEL',
  YES_NO: 'YES_NO',
  YES_NO_CANCEL: 'YES_NO_CANCEL',
} as const;
export const Button = { OK: 'OK', CANCEL: 'CANCEL', YES: 'YES', NO: 'NO', CLOSE: 'CLOSE' } as const;

export class UiImpl {
  readonly menus: MenuEntry[] = [];
  readonly ButtonSet = ButtonSet;
  readonly Button = Button;
  constructor(private exec: Exec) {}
  createMenu(caption: string) {
    return emulated(new MenuImpl(this, caption, false, isAddon(this.exec.world)), 'Menu');
  }
  createAddonMenu() {
    // A bound script's add-on menu is named after the project; an add-on's after its listing.
    return emulated(new MenuImpl(this, this.exec.world.addonName ?? 'Governed Path', true), 'Menu');
  }
  private answer(buttons: string): { button: string; text: string } {
    const queued = this.exec.host.uiAnswers.shift();
    const fallback = buttons === 'YES_NO' || buttons === 'YES_NO_CANCEL' ? 'YES' : 'OK';
    return { button: queued?.button ?? fallback, text: queued?.text ?? '' };
  }
  alert(titleOrPrompt: string, prompt?: string | string, buttons?: string) {
    if (this.exec.authMode !== 'FULL' && this.exec.kind === 'simple') {
      throw new Error('Cannot call SpreadsheetApp.getUi().alert() from a simple trigger.');
    }
    const hasTitle = typeof prompt === 'string' && !(prompt in ButtonSet);
    const title = hasTitle ? titleOrPrompt : '';
    const message = hasTitle ? (prompt as string) : titleOrPrompt;
    const set = hasTitle ? (buttons ?? 'OK') : (prompt ?? 'OK');
    this.exec.ui.push({ type: 'alert', title, message });
    return this.answer(set).button;
  }
  prompt(titleOrPrompt: string, prompt?: string, buttons?: string) {
    const hasTitle = typeof prompt === 'string' && !(prompt in ButtonSet);
    const title = hasTitle ? titleOrPrompt : '';
    const message = hasTitle ? (prompt as string) : titleOrPrompt;
    const set = hasTitle ? (buttons ?? 'OK') : (prompt ?? 'OK');
    this.exec.ui.push({ type: 'prompt', title, message });
    const { button, text } = this.answer(set);
    return emulated(
      { getSelectedButton: () => button, getResponseText: () => text },
      'PromptResponse',
    );
  }
  showSidebar(html: { _content(): string; _title(): string }) {
    this.exec.ui.push({
      type: 'sidebar',
      title: html._title(),
      message: '',
      html: html._content(),
      width: 300,
    });
  }
  showModalDialog(html: { _content(): string; _size(): [number, number] }, title: string) {
    const [width, height] = html._size();
    this.exec.ui.push({ type: 'dialog', title, message: '', html: html._content(), width, height });
  }
  showModelessDialog(html: { _content(): string; _size(): [number, number] }, title: string) {
    this.showModalDialog(html, title);
  }
}

// ------------------------------------------------------------------ SpreadsheetApp

export function spreadsheetApp(exec: Exec, ui: UiImpl) {
  const app = {
    BooleanCriteria,
    RelativeDate,
    ProtectionType,
    DataValidationCriteria,
    DeveloperMetadataVisibility,
    DeveloperMetadataLocationType,
    getActiveSpreadsheet() {
      requireScope(
        exec,
        'SpreadsheetApp.getActiveSpreadsheet',
        [SCOPE.currentOnly, SCOPE.spreadsheets],
        false,
      );
      if (exec.authMode === 'NONE') {
        throw new Error(
          'You do not have permission to call SpreadsheetApp.getActiveSpreadsheet in AuthMode.NONE.',
        );
      }
      // An add-on's time-driven trigger has no document (DESIGN §10).
      if (!exec.hasDocument) return null;
      return makeSpreadsheet(exec);
    },
    getActive() {
      return app.getActiveSpreadsheet();
    },
    getActiveSheet() {
      return app.getActiveSpreadsheet()?.getActiveSheet() ?? null;
    },
    openById(id: string) {
      requireScope(exec, 'SpreadsheetApp.openById', [SCOPE.spreadsheets], true);
      count(exec, 'other', 'SpreadsheetApp.openById');
      if (id === exec.world.spreadsheet.id) return makeSpreadsheet(exec);
      const file = exec.world.files?.find((f) => f.id === id);
      if (!file)
        throw new Error(
          `Unexpected error while getting the method or property openById on object SpreadsheetApp.`,
        );
      if (!canOpen(exec.world, file, exec.effectiveUser)) throw new Error(NO_FILE_ACCESS);
      return makeSpreadsheet(exec, file);
    },
    /** A new spreadsheet in the Drive of the person the script runs as. */
    create(name: string, rows?: number, columns?: number) {
      requireScope(exec, 'SpreadsheetApp.create', [SCOPE.spreadsheets], true);
      count(exec, 'files', 'SpreadsheetApp.create');
      if (typeof name !== 'string' || name === '') throw new Error('Invalid argument: name');
      const world = exec.world;
      const files = (world.files ??= []);
      const file: SpreadsheetData = {
        id: `sandbox-file-${files.length + 1}-${world.now.toString(36)}`,
        name,
        timeZone: world.spreadsheet.timeZone,
        locale: world.spreadsheet.locale,
        owner: exec.effectiveUser,
        editors: [],
        viewers: [],
        sheets: [newSheet(0, 'Sheet1', rows ?? DEFAULT_ROWS, columns ?? DEFAULT_COLS)],
        nextSheetId: 1,
        nextProtectionId: 1,
      };
      files.push(file);
      return makeSpreadsheet(exec, file);
    },
    flush() {
      count(exec, 'other', 'SpreadsheetApp.flush');
    },
    getUi() {
      if (exec.kind === 'time')
        throw new Error('Cannot call SpreadsheetApp.getUi() from this context.');
      requireScope(exec, 'SpreadsheetApp.getUi', [SCOPE.ui], false);
      return emulated(ui, 'Ui');
    },
    newDataValidation() {
      return emulated(
        new DataValidationBuilder({
          type: 'VALUE_IN_LIST',
          values: [],
          showDropdown: true,
          allowInvalid: true,
          helpText: '',
        }),
        'DataValidationBuilder',
      );
    },
    newConditionalFormatRule() {
      return emulated(new ConditionalFormatRuleBuilder(exec), 'ConditionalFormatRuleBuilder');
    },
  };
  return emulated(app, 'SpreadsheetApp');
}
