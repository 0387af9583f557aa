/**
 * Where the add-on's columns are (issue 15): each column of a sealed sheet carries a tag, a
 * piece of developer metadata with PROJECT visibility. It moves with its column however the
 * columns are reordered; people cannot see or change it, and other scripts cannot see it.
 * Header text is read only on a sheet set up before tags, and then tagged.
 *
 * Every execution that reads a sheet's layout checks its header row against the tags and puts
 * right what is off before doing any work: a renamed or cleared header is written back in
 * place, a duplicate of an add-on header elsewhere is renamed "… (copy)", a deleted column is
 * inserted again where it was and refilled from the seals and the audit log. What was put
 * right is kept for the execution to log and alert (takeHeaderRepairs).
 */
import { checkHeaders, columnLetters, duplicateName, type ColumnTag } from '../domain/layout';
import { AI_TOOLS, DATA_STORES, REGISTRY, REVIEWS, type SheetSpec } from '../domain/schema';
import { registryProperties, storedJson } from '../services/store';

type Sheet = GoogleAppsScript.Spreadsheet.Sheet;
type Cell = string | number | boolean | Date;

export const COLUMN_TAG = 'governedPath.column';

/** The sheets whose columns are tagged (the sealed ones). */
export const TAGGED_SHEETS = new Set([REGISTRY, REVIEWS, AI_TOOLS, DATA_STORES].map((s) => s.name));

/** One thing put right in a header row, as the audit log and the alert say it. */
export interface HeaderRepair {
  readonly sheet: string;
  readonly header: string;
  /** What the cell said ('' for a deleted column). */
  readonly was: string;
  /** `added`: a column new in this version, added to a registry set up before it (no finding). */
  readonly kind: 'renamed' | 'duplicate' | 'deleted' | 'sheet' | 'added';
  /** A sentence for the team: what was found and what was done. */
  readonly sentence: string;
}

let repairs: HeaderRepair[] = [];

/** Why a sheet's columns could not be placed, by sheet name (for the sentence people see). */
const unplaced = new Map<string, string>();

/**
 * What is wrong with the registry's sheets, as a sentence: a header that could not be placed,
 * or a sheet that is not there (not set up yet).
 */
export function notReadySentence(...specs: SheetSpec[]): string {
  for (const spec of specs) {
    const why = unplaced.get(spec.name);
    if (why) return why;
  }
  return 'The registry is not set up yet: ask the security team to run "Set up or repair registry".';
}

export const hasHeaderRepairs = (): boolean => repairs.length > 0;

/**
 * Before the hourly job turns to another registry: what this one's reads put right but did
 * not log is kept in its own store (the current registry's), and its sentences are forgotten.
 */
export function leaveRegistry(): void {
  deferHeaderRepairs();
  unplaced.clear();
}

/** Repairs made by an execution that could not log them (the registry was busy). */
const DEFERRED = 'headerRepairsDeferred';

/**
 * What this execution put right in header rows since the last call (then forgotten), with
 * what earlier executions deferred. Called holding the registry, to log them.
 */
export function takeHeaderRepairs(): HeaderRepair[] {
  const store = registryProperties();
  const deferred = store.getProperty(DEFERRED);
  if (deferred !== null) store.deleteProperty(DEFERRED);
  const out = [...parseDeferred(deferred), ...repairs];
  repairs = [];
  return out;
}

function parseDeferred(text: string | null): HeaderRepair[] {
  if (text === null) return [];
  try {
    const parsed = JSON.parse(text) as unknown;
    return Array.isArray(parsed) ? (parsed as HeaderRepair[]) : [];
  } catch {
    return []; // not ours to interpret
  }
}

/** Keeps this execution's repairs for the next one that holds the registry to log. */
export function deferHeaderRepairs(): void {
  if (repairs.length === 0) return;
  const store = registryProperties();
  const earlier = parseDeferred(store.getProperty(DEFERRED));
  // A few are enough to say what happened; the property stays small.
  store.setProperty(DEFERRED, JSON.stringify([...earlier, ...repairs].slice(-20)));
  repairs = [];
}

/** Fills a column inserted again (its rows' values from the seals and the audit log). */
type Refill = (
  sheet: Sheet,
  spec: SheetSpec,
  headers: readonly string[],
  columns: Readonly<Record<string, number>>,
) => void;
let refill: Refill | null = null;

/** Set once by the module that can read seals and snapshots (guards). */
export function onColumnReinserted(fn: Refill): void {
  refill = fn;
}

type Recreate = (ss: GoogleAppsScript.Spreadsheet.Spreadsheet, spec: SheetSpec) => Sheet | null;
let recreate: Recreate | null = null;

/** Set once by the module that can rebuild a sheet's rows from the audit log (guards). */
export function onSheetMissing(fn: Recreate): void {
  recreate = fn;
}

/** One of the sealed sheets is gone (deleted, renamed): recreated with its rows, or null. */
export function recreateSheet(
  ss: GoogleAppsScript.Spreadsheet.Spreadsheet,
  spec: SheetSpec,
): Sheet | null {
  if (!TAGGED_SHEETS.has(spec.name) || !recreate) return null;
  const sheet = recreate(ss, spec);
  if (sheet) {
    const rows = Math.max(0, sheet.getLastRow() - 1);
    repairs.push({
      sheet: spec.name,
      header: '',
      was: '',
      kind: 'sheet',
      sentence: `The ${spec.name} sheet was missing (deleted or renamed): Governed Path recreated it and restored ${rows} row(s) from the Audit Log.`,
    });
  }
  return sheet;
}

type Found = { tags: ColumnTag[]; raw: GoogleAppsScript.Spreadsheet.DeveloperMetadata[] };

/**
 * Every tagged sheet's tags, found by one search of the spreadsheet per execution (a search
 * per sheet cost a decision, which reads two sheets, a metadata call more). Forgotten wherever
 * the add-on changes columns or tags.
 */
let tagCache: { id: string; bySheet: Map<string, Found> } | null = null;

export function forgetTags(): void {
  tagCache = null;
}

function readTags(sheet: Sheet): Found {
  const ss = sheet.getParent();
  const id = ss.getId();
  if (!tagCache || tagCache.id !== id) {
    const bySheet = new Map<string, Found>();
    const found = ss
      .createDeveloperMetadataFinder()
      .withKey(COLUMN_TAG)
      .withVisibility(SpreadsheetApp.DeveloperMetadataVisibility.PROJECT)
      .find();
    for (const m of found) {
      const location = m.getLocation();
      const column = location.getColumn();
      if (!column) continue;
      const name = location.getSheet()?.getName() ?? '';
      const entry = bySheet.get(name) ?? { tags: [], raw: [] };
      entry.tags.push({ header: m.getValue() ?? '', index: column.getColumn() - 1 });
      entry.raw.push(m);
      bySheet.set(name, entry);
    }
    tagCache = { id, bySheet };
  }
  return tagCache.bySheet.get(sheet.getName()) ?? { tags: [], raw: [] };
}

function tag(sheet: Sheet, index: number, header: string): void {
  sheet
    .getRange(1, index + 1, sheet.getMaxRows(), 1)
    .addDeveloperMetadata(COLUMN_TAG, header, SpreadsheetApp.DeveloperMetadataVisibility.PROJECT);
  taggedNow.push(columnKey(sheet.getName(), header));
}

/** Columns that were ever tagged in this registry (sheet and header): a store key. */
const TAGGED = 'taggedColumns';
const columnKey = (sheet: string, header: string) => `${sheet}/${header}`;
let taggedNow: string[] = [];

/** Whether a column was ever tagged here (so a missing one was deleted, not never added). */
function everTagged(sheet: string, header: string): boolean {
  const key = columnKey(sheet, header);
  const stored = storedJson<unknown>(TAGGED, []);
  return !Array.isArray(stored) || stored.includes(key) || taggedNow.includes(key);
}

/** Records the columns tagged by this execution (one store write, only when there are new ones). */
function rememberTagged(): void {
  if (taggedNow.length === 0) return;
  const store = registryProperties();
  const read = storedJson<unknown>(TAGGED, []);
  const stored = Array.isArray(read) ? (read as string[]) : [];
  const all = [...new Set([...stored, ...taggedNow])];
  taggedNow = [];
  if (all.length !== stored.length) store.setProperty(TAGGED, JSON.stringify(all));
}

/** Tags every add-on column of a sheet at the columns given (setup), removing other tags. */
export function tagColumns(
  sheet: Sheet,
  spec: SheetSpec,
  columns: Readonly<Record<string, number>>,
): void {
  if (!TAGGED_SHEETS.has(spec.name)) return;
  const { tags, raw } = readTags(sheet);
  const good = new Set<string>();
  tags.forEach((t, i) => {
    if (columns[t.header] === t.index && !good.has(t.header)) good.add(t.header);
    else raw[i].remove();
  });
  for (const { header } of spec.columns) {
    if (!good.has(header)) tag(sheet, columns[header], header);
    else taggedNow.push(columnKey(sheet.getName(), header));
  }
  rememberTagged();
  forgetTags();
}

/**
 * The add-on's columns of a tagged sheet (0-based), after putting right what its header row
 * gets wrong; `header` is the row as read (updated in place where it was rewritten). Null when
 * a header cannot be placed without guessing (a sheet set up before tags with a header
 * missing): the caller says so, and Set up or repair registry fixes it.
 */
export function locateColumns(
  sheet: Sheet,
  spec: SheetSpec,
  header: Cell[],
): Record<string, number> | null {
  const { tags, raw } = readTags(sheet);
  let check = checkHeaders(header, spec, tags);
  const clean =
    check.restore.length === 0 &&
    check.duplicates.length === 0 &&
    check.untagged.length === 0 &&
    check.missing.length === 0 &&
    check.strayTags.length === 0;
  if (clean) return { ...check.columns };
  if (tags.length === 0 && check.missing.length > 0) {
    unplaced.set(
      spec.name,
      `The ${spec.name} sheet has no "${check.missing[0]}" header${check.missing.length > 1 ? ` (and ${check.missing.length - 1} more)` : ''}, so Governed Path will not guess where it is: ask the security team to run "Set up or repair registry".`,
    );
    return null;
  }
  for (const i of check.strayTags) raw[i].remove();
  forgetTags();
  const repairsNow = new Set(check.missing);
  // Deleted columns first (in spec order), each inserted after the column before it.
  for (const missing of check.missing) {
    const order = spec.columns.map((c) => c.header);
    const before = order
      .slice(0, order.indexOf(missing))
      .reverse()
      .find((h) => check.columns[h] !== undefined);
    const at = before === undefined ? 0 : check.columns[before] + 1;
    if (at < sheet.getMaxColumns()) sheet.insertColumnsBefore(at + 1, 1);
    else sheet.insertColumnsAfter(sheet.getMaxColumns(), 1);
    if (spec.columns.find((c) => c.header === missing)?.hidden) sheet.hideColumns(at + 1);
    header.splice(at, 0, missing);
    // A column this version added, never tagged here: the registry predates it (an upgrade).
    const added =
      spec.columns.find((c) => c.header === missing)?.since !== undefined &&
      !everTagged(spec.name, missing);
    sheet.getRange(1, at + 1).setValue(missing);
    tag(sheet, at, missing);
    repairs.push(
      added
        ? {
            sheet: spec.name,
            header: missing,
            was: '',
            kind: 'added',
            sentence: `Governed Path added the ${spec.name} column "${missing}" (new in this version) in column ${columnLetters(at + 1)}, filled from the seals.`,
          }
        : {
            sheet: spec.name,
            header: missing,
            was: '',
            kind: 'deleted',
            sentence: `The ${spec.name} column "${missing}" was deleted: Governed Path inserted it again in column ${columnLetters(at + 1)} with its values from the seals and the Audit Log.`,
          },
    );
    forgetTags();
    check = checkHeaders(header, spec, readTags(sheet).tags);
  }
  const reinserted = spec.columns.map((c) => c.header).filter((h) => repairsNow.has(h));
  if (reinserted.length > 0) refill?.(sheet, spec, reinserted, check.columns);
  for (const { index, header: name, was } of check.restore) {
    sheet.getRange(1, index + 1).setValue(name);
    header[index] = name;
    // A case or spacing fix is no finding; a header renamed or cleared is.
    if (was.trim().toLowerCase() !== name.toLowerCase())
      repairs.push({
        sheet: spec.name,
        header: name,
        was,
        kind: 'renamed',
        sentence: `The ${spec.name} header "${name}" in column ${columnLetters(index + 1)} was ${was.trim() === '' ? 'cleared' : `renamed "${was}"`}: put back.`,
      });
  }
  for (const { index, header: name, was } of check.duplicates) {
    const renamed = duplicateName(was);
    sheet.getRange(1, index + 1).setValue(renamed);
    header[index] = renamed;
    repairs.push({
      sheet: spec.name,
      header: name,
      was,
      kind: 'duplicate',
      sentence: `A second "${name}" header in column ${columnLetters(index + 1)} of ${spec.name} was renamed "${renamed}": Governed Path reads "${name}" in column ${columnLetters(check.columns[name] + 1)}.`,
    });
  }
  for (const name of check.untagged) tag(sheet, check.columns[name], name);
  rememberTagged();
  forgetTags();
  return { ...check.columns };
}
