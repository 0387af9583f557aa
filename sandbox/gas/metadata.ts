/**
 * Developer metadata (SpreadsheetApp): what a script attaches to a sheet or a whole column,
 * invisible to people, moving with its column (model.ts keeps it in place). Only what the
 * add-on uses is emulated: sheet and column locations, finders by key, value, id, location
 * type and visibility. Rows, the spreadsheet itself and several columns at once throw
 * `not emulated`.
 */
import type { Rect } from './a1';
import { emulated, notEmulated } from './emulate';
import { count, type Exec } from './exec';
import type { MetadataData, SheetData, SpreadsheetData } from './model';

type GRange = GoogleAppsScript.Spreadsheet.Range;
type GSheet = GoogleAppsScript.Spreadsheet.Sheet;

/** The one script project the runtime runs: the add-on. */
export const PROJECT = 'addon';

export const DeveloperMetadataVisibility = { DOCUMENT: 'DOCUMENT', PROJECT: 'PROJECT' } as const;
export const DeveloperMetadataLocationType = {
  SPREADSHEET: 'SPREADSHEET',
  SHEET: 'SHEET',
  ROW: 'ROW',
  COLUMN: 'COLUMN',
} as const;

const ARBITRARY =
  'Adding developer metadata to arbitrary ranges is not currently supported. Developer metadata may only be added to the top-level spreadsheet, an individual sheet, or an entire row or column.';

export interface MetadataHost {
  makeRange(exec: Exec, sheet: SheetData, rect: Rect): GRange;
  makeSheet(exec: Exec, sheet: SheetData): GSheet;
}

function nextId(ss: SpreadsheetData): number {
  let max = 0;
  for (const sheet of ss.sheets) for (const m of sheet.metadata ?? []) max = Math.max(max, m.id);
  return max + 1;
}

function checkKey(key: unknown, value: unknown, visibility: unknown): void {
  if (typeof key !== 'string' || key === '' || key.length > 256)
    throw new Error('Invalid argument: key');
  if (value !== undefined && value !== null && typeof value !== 'string')
    throw new Error('Invalid argument: value');
  if (visibility !== undefined && visibility !== 'DOCUMENT' && visibility !== 'PROJECT')
    throw new Error('Invalid argument: visibility');
}

/** Range.addDeveloperMetadata: the range must be one whole column (or the sheet's rows: not emulated). */
export function addRangeMetadata(
  exec: Exec,
  ss: SpreadsheetData,
  sheet: SheetData,
  rect: Rect,
  key: unknown,
  value?: unknown,
  visibility?: unknown,
): void {
  count(exec, 'writes', 'Range.addDeveloperMetadata');
  checkKey(key, value, visibility);
  const wholeColumns = rect.r === 1 && (rect.nr === null || rect.nr === sheet.maxRows);
  const wholeRows = rect.c === 1 && (rect.nc === null || rect.nc === sheet.maxCols);
  if (wholeColumns && (rect.nc ?? sheet.maxCols - rect.c + 1) === 1) {
    add(ss, sheet, rect.c, key as string, value, visibility);
    return;
  }
  if (wholeColumns || wholeRows) notEmulated('developer metadata on rows or on several columns');
  throw new Error(ARBITRARY);
}

/** Sheet.addDeveloperMetadata. */
export function addSheetMetadata(
  exec: Exec,
  ss: SpreadsheetData,
  sheet: SheetData,
  key: unknown,
  value?: unknown,
  visibility?: unknown,
): void {
  count(exec, 'writes', 'Sheet.addDeveloperMetadata');
  checkKey(key, value, visibility);
  add(ss, sheet, null, key as string, value, visibility);
}

function add(
  ss: SpreadsheetData,
  sheet: SheetData,
  column: number | null,
  key: string,
  value: unknown,
  visibility: unknown,
): void {
  (sheet.metadata ??= []).push({
    id: nextId(ss),
    key,
    value: typeof value === 'string' ? value : null,
    visibility: visibility === 'PROJECT' ? 'PROJECT' : 'DOCUMENT',
    project: PROJECT,
    column,
  });
}

interface Scope {
  sheets: SheetData[];
  /** Columns a range finder looks in (1-based, inclusive), with the sheet itself excluded. */
  columns?: [number, number];
  /** A sheet's finder finds its sheet metadata and its columns'. */
}

class DeveloperMetadataLocationImpl {
  constructor(
    private exec: Exec,
    private host: MetadataHost,
    private sheet: SheetData,
    private data: MetadataData,
  ) {}
  getLocationType() {
    return this.data.column === null ? 'SHEET' : 'COLUMN';
  }
  getColumn() {
    if (this.data.column === null) return null;
    return this.host.makeRange(this.exec, this.sheet, {
      r: 1,
      c: this.data.column,
      nr: null,
      nc: 1,
    });
  }
  getRow() {
    return null;
  }
  getSheet() {
    return this.host.makeSheet(this.exec, this.sheet);
  }
}

class DeveloperMetadataImpl {
  constructor(
    private exec: Exec,
    private host: MetadataHost,
    private sheet: SheetData,
    readonly _data: MetadataData,
  ) {}
  private live(): MetadataData {
    const found = this.sheet.metadata?.find((m) => m.id === this._data.id);
    if (!found) throw new Error('Requested entity was not found.');
    return found;
  }
  getId() {
    return this._data.id;
  }
  getKey() {
    return this._data.key;
  }
  getValue() {
    return this._data.value;
  }
  getVisibility() {
    return this._data.visibility;
  }
  getLocation() {
    return emulated(
      new DeveloperMetadataLocationImpl(this.exec, this.host, this.sheet, this.live()),
      'DeveloperMetadataLocation',
    );
  }
  setValue(value: unknown) {
    count(this.exec, 'writes', 'DeveloperMetadata.setValue');
    checkKey(this._data.key, value, undefined);
    this.live().value = typeof value === 'string' ? value : null;
    this._data.value = this.live().value;
    return this;
  }
  setKey(key: unknown) {
    count(this.exec, 'writes', 'DeveloperMetadata.setKey');
    checkKey(key, undefined, undefined);
    this.live().key = key as string;
    this._data.key = key as string;
    return this;
  }
  remove() {
    count(this.exec, 'writes', 'DeveloperMetadata.remove');
    this.live();
    this.sheet.metadata = (this.sheet.metadata ?? []).filter((m) => m.id !== this._data.id);
  }
  moveToColumn(range: { _sheet?: SheetData; _rect?: Rect }) {
    count(this.exec, 'writes', 'DeveloperMetadata.moveToColumn');
    const rect = range?._rect;
    if (!rect || range._sheet !== this.sheet || (rect.nc ?? 1) !== 1)
      notEmulated('DeveloperMetadata.moveToColumn to another sheet or several columns');
    this.live().column = rect.c;
    return this;
  }
}

class DeveloperMetadataFinderImpl {
  private filters: ((m: MetadataData) => boolean)[] = [];
  constructor(
    private exec: Exec,
    private host: MetadataHost,
    private scope: Scope,
  ) {}
  private with(filter: (m: MetadataData) => boolean) {
    this.filters.push(filter);
    return this;
  }
  withKey(key: string) {
    return this.with((m) => m.key === key);
  }
  withValue(value: string) {
    return this.with((m) => m.value === value);
  }
  withId(id: number) {
    return this.with((m) => m.id === id);
  }
  withLocationType(type: string) {
    if (type !== 'SHEET' && type !== 'COLUMN') notEmulated(`developer metadata on ${type}`);
    return this.with((m) => (m.column === null ? 'SHEET' : 'COLUMN') === type);
  }
  withVisibility(visibility: string) {
    return this.with((m) => m.visibility === visibility);
  }
  find() {
    count(this.exec, 'reads', 'DeveloperMetadataFinder.find');
    const out = this.exec.realm.array();
    for (const sheet of this.scope.sheets)
      for (const m of sheet.metadata ?? []) {
        // PROJECT metadata is the creating project's alone.
        if (m.visibility === 'PROJECT' && m.project !== PROJECT) continue;
        const [a, b] = this.scope.columns ?? [1, Infinity];
        if (this.scope.columns && (m.column === null || m.column < a || m.column > b)) continue;
        if (!this.filters.every((f) => f(m))) continue;
        out.push(
          emulated(
            new DeveloperMetadataImpl(this.exec, this.host, sheet, structuredClone(m)),
            'DeveloperMetadata',
          ),
        );
      }
    return out;
  }
}

export function metadataFinder(
  exec: Exec,
  host: MetadataHost,
  sheets: SheetData[],
  columns?: [number, number],
) {
  return emulated(
    new DeveloperMetadataFinderImpl(exec, host, { sheets, columns }),
    'DeveloperMetadataFinder',
  );
}
