/**
 * Importing an inventory (issue 18): the Security team › Import an inventory… panel reads
 * another sheet of this spreadsheet or a pasted CSV, guesses the mapping, shows a dry run, and
 * imports in resumable batches through the normal decide-and-seal path, with one digest.
 */
import { addBusinessDays } from '../domain/calendar';
import { INPUT_FIELDS, validateEntry, type RawEntry } from '../domain/entry';
import { neutralise } from '../domain/injection';
import {
  dateOrderOf,
  findHeaderRow,
  FIRST_RECORDED,
  guessMapping,
  IMPORT_FIELDS,
  IMPORT_MAX_COLUMNS,
  IMPORT_MAX_ROWS,
  InventoryError,
  parseCsv,
  planImport,
  readMapping,
  readRows,
  entryKey,
  unmappedRequired,
  type DateOrder,
  type ImportField,
  type ImportRow,
  type Mapping,
  type PlanCounts,
  type PlannedRow,
  type SourceCell,
} from '../domain/inventory';
import { escapeHtml, type PersonMail } from '../domain/mail';
import type { Outgoing } from '../domain/outbox';
import { decideApproval } from '../domain/policy';
import { DATE_PATTERN, DISCOVERED, REGISTRY, SHEETS } from '../domain/schema';
import type { Settings } from '../domain/settings';
import { asKind, lifecycleMessage } from '../domain/slack';
import { UserError } from '../errors';
import { registryProperties, storedJson } from '../services/store';
import { appendAudit, type AuditEntry } from './audit-log';
import { asText, readCatalog, readDataStores } from './catalog';
import { notReadySentence } from './columns';
import { growFormatted, HEADROOM } from './column-formats';
import { processRegistryEdit } from './registry';
import { sha256Hex } from './seals';
import { readColumnsOf, readLayout, type Cell } from './table';

type Spreadsheet = GoogleAppsScript.Spreadsheet.Spreadsheet;

/** Rows of the source one call takes: well inside an execution's six minutes at any size. */
export const IMPORT_BATCH = 250;
const JOB = 'importJob';
/** How many dry-run rows go back to the panel (the counts cover all of them). */
const PLAN_SHOWN = 2500;

export type DateChoice = 'auto' | DateOrder;

export interface SourceInfo {
  name: string;
  rows: number;
}

/** Sheets that are the registry's own are never a source. */
function isOwnSheet(name: string): boolean {
  // In any case: Sheets may find "registry" as the Registry.
  const n = name.trim().toLowerCase();
  return (
    SHEETS.some((s) => s.name.toLowerCase() === n) ||
    n === DISCOVERED.name.toLowerCase() ||
    n === 'dashboard' ||
    n.startsWith('report - ') ||
    n.startsWith('evidence - ')
  );
}

/** The sheets of this spreadsheet an inventory can be imported from. */
export function importSources(ss: Spreadsheet): SourceInfo[] {
  return ss
    .getSheets()
    .filter((s) => !isOwnSheet(s.getName()))
    .map((s) => ({ name: s.getName(), rows: Math.max(0, s.getLastRow()) }));
}

interface Source {
  /** How the import names its source: `sheet "Inventory"` or `pasted CSV`. */
  label: string;
  rows: SourceCell[][];
  digest: string;
}

/** The source a person chose: `{sheet: name}` or `{csv: text}`; a sentence for anything else. */
export function readSource(ss: Spreadsheet, input: unknown): Source {
  const o = (typeof input === 'object' && input !== null ? input : {}) as Record<string, unknown>;
  let rows: SourceCell[][];
  let label: string;
  if (typeof o.sheet === 'string' && o.sheet !== '') {
    const name = o.sheet.slice(0, 100);
    if (isOwnSheet(name))
      throw new UserError(
        `"${name}" is one of the registry's own sheets; choose the inventory's sheet.`,
      );
    const sheet = ss.getSheetByName(name);
    if (!sheet) throw new UserError(`There is no sheet named "${name}" any more; choose another.`);
    const lastRow = sheet.getLastRow();
    const lastColumn = sheet.getLastColumn();
    if (lastRow < 2 || lastColumn < 1)
      throw new UserError(`The sheet "${name}" has no rows below a header to import.`);
    if (lastRow > IMPORT_MAX_ROWS + 50)
      throw new UserError(
        `The sheet "${name}" has ${lastRow.toLocaleString('en-US')} rows; import at most ${IMPORT_MAX_ROWS.toLocaleString('en-US')} at a time (split it into several sheets).`,
      );
    rows = sheet
      .getRange(1, 1, lastRow, Math.min(lastColumn, IMPORT_MAX_COLUMNS))
      .getValues() as SourceCell[][];
    label = `sheet "${name}"`;
  } else if (typeof o.csv === 'string') {
    try {
      rows = parseCsv(o.csv);
    } catch (error) {
      if (error instanceof InventoryError) throw new UserError(error.message);
      throw error;
    }
    if (rows.length < 2) throw new UserError('The CSV has no rows below a header to import.');
    rows = rows.map((r) => r.slice(0, IMPORT_MAX_COLUMNS));
    const named = typeof o.name === 'string' ? o.name.replace(/[^\w .()-]/g, '').slice(0, 80) : '';
    label = named ? `CSV "${named}"` : 'pasted CSV';
  } else throw new UserError('Choose a sheet of this spreadsheet, or paste CSV text.');
  return { label, rows, digest: sha256Hex(JSON.stringify(rows)) };
}

/** At most IMPORT_MAX_ROWS rows below the header (blank ones count: they are in the file). */
function tooMany(rows: number): void {
  if (rows > IMPORT_MAX_ROWS)
    throw new UserError(
      `The source has ${rows.toLocaleString('en-US')} rows below its header; import at most ${IMPORT_MAX_ROWS.toLocaleString('en-US')} at a time (split it into several).`,
    );
}

interface Options {
  dateOrder: DateChoice;
  /** 1-based header row; 0 for the guess. */
  headerRow: number;
}

function readOptions(input: unknown): Options {
  const o = (typeof input === 'object' && input !== null ? input : {}) as Record<string, unknown>;
  const dateOrder: DateChoice =
    o.dateOrder === 'dmy' || o.dateOrder === 'mdy' ? o.dateOrder : 'auto';
  const headerRow = Number(o.headerRow ?? 0);
  return { dateOrder, headerRow: Number.isInteger(headerRow) && headerRow > 0 ? headerRow : 0 };
}

/** Month-first in the Americas' zones, day-first elsewhere: the guess without evidence. */
function zoneOrder(tz: string): DateOrder {
  return /^America\//.test(tz) ? 'mdy' : 'dmy';
}

const dateTextIn = (tz: string) => (d: Date) => Utilities.formatDate(d, tz, DATE_PATTERN);

function headerIndexOf(source: Source, options: Options): number {
  if (options.headerRow > 0) {
    if (options.headerRow > source.rows.length)
      throw new UserError(`Row ${options.headerRow} is below the last row of the source.`);
    return options.headerRow - 1;
  }
  return findHeaderRow(source.rows);
}

const shown = (v: SourceCell, tz: string): string =>
  v === null || v === undefined
    ? ''
    : Object.prototype.toString.call(v) === '[object Date]'
      ? dateTextIn(tz)(v as Date)
      : String(v).slice(0, 200);

export interface Preview {
  source: string;
  headerRow: number;
  headers: string[];
  samples: string[][];
  rows: number;
  fields: string[];
  mapping: Mapping;
  why: Partial<Record<ImportField, 'header' | 'values'>>;
  dateOrder: DateOrder;
  dateEvidence: string;
}

/** What the panel shows before the mapping: the header, a few rows, and the guesses. */
export function previewInventory(
  ss: Spreadsheet,
  sourceInput: unknown,
  optionsInput: unknown,
  settings: Settings,
): Preview {
  const source = readSource(ss, sourceInput);
  const options = readOptions(optionsInput);
  const h = headerIndexOf(source, options);
  const body = source.rows.slice(h + 1);
  tooMany(body.length);
  const guess = guessMapping(source.rows[h], body.slice(0, 50));
  const dates = dateFacts(source, h, guess.mapping, options, settings.timeZone);
  return {
    source: source.label,
    headerRow: h + 1,
    headers: source.rows[h].map((v, i) => shown(v, settings.timeZone) || `Column ${i + 1}`),
    samples: body
      .filter((r) => r.some((c) => shown(c, settings.timeZone).trim() !== ''))
      .slice(0, 5)
      .map((r) => r.map((c) => shown(c, settings.timeZone))),
    // The rows the import reads (blank lines are not rows of the inventory).
    rows: body.filter((r) => r.some((c) => shown(c, settings.timeZone).trim() !== '')).length,
    fields: [...IMPORT_FIELDS],
    mapping: guess.mapping,
    why: guess.why,
    dateOrder: dates.order,
    dateEvidence: dates.evidence,
  };
}

function dateFacts(
  source: Source,
  headerIndex: number,
  mapping: Mapping,
  options: Options,
  tz: string,
): { order: DateOrder; evidence: string } {
  const fallback = zoneOrder(tz);
  if (options.dateOrder !== 'auto') return { order: options.dateOrder, evidence: 'as you chose' };
  const column = mapping[FIRST_RECORDED];
  if (column === undefined) return { order: fallback, evidence: 'no date column' };
  const found = dateOrderOf(
    source.rows.slice(headerIndex + 1).map((r) => r[column] ?? null),
    fallback,
  );
  return {
    order: found.order,
    evidence: found.evidence
      ? `"${found.evidence.slice(0, 30)}" can only be ${found.order === 'dmy' ? 'day-first' : 'month-first'}`
      : `no date says which; read ${found.order === 'dmy' ? 'day-first' : 'month-first'} as usual in ${tz}`,
  };
}

interface Prepared {
  source: Source;
  headerIndex: number;
  mapping: Mapping;
  order: DateOrder;
  dateEvidence: string;
  rows: ImportRow[];
  blank: number;
}

function prepare(
  ss: Spreadsheet,
  sourceInput: unknown,
  mappingInput: unknown,
  optionsInput: unknown,
  settings: Settings,
  now: Date,
): Prepared {
  const source = readSource(ss, sourceInput);
  const options = readOptions(optionsInput);
  const headerIndex = headerIndexOf(source, options);
  tooMany(source.rows.length - headerIndex - 1);
  const width = Math.max(...source.rows.map((r) => r.length));
  let mapping: Mapping;
  try {
    mapping = readMapping(mappingInput, width);
  } catch (error) {
    if (error instanceof InventoryError) throw new UserError(error.message);
    throw error;
  }
  const dates = dateFacts(source, headerIndex, mapping, options, settings.timeZone);
  const tools = readCatalog(ss, settings.timeZone).map((t) => t.tool);
  const { rows, blank } = readRows(source.rows, headerIndex, mapping, {
    order: dates.order,
    today: Utilities.formatDate(now, settings.timeZone, DATE_PATTERN),
    tools,
    dateText: dateTextIn(settings.timeZone),
  });
  return {
    source,
    headerIndex,
    mapping,
    order: dates.order,
    dateEvidence: dates.evidence,
    rows,
    blank,
  };
}

/** The registry's entries by project + creator: how duplicates are found. */
function existingKeys(ss: Spreadsheet): Map<string, string> {
  const layout = readLayout(ss, REGISTRY);
  if (!layout) throw new UserError(notReadySentence(REGISTRY));
  const table = readColumnsOf(layout, ['ID', 'Project', 'Creator Email']);
  const c = layout.columns;
  const keys = new Map<string, string>();
  for (const row of table.rows) {
    const id = asText(row[c['ID']]).trim();
    const key = entryKey(asText(row[c['Project']]), asText(row[c['Creator Email']]));
    if (id && !keys.has(key)) keys.set(key, id);
  }
  return keys;
}

/** The policy as registration applies it, for the dry run (a Tier 3 entry would open a review). */
function decider(ss: Spreadsheet, settings: Settings, now: Date) {
  const tz = settings.timeZone;
  const today = Utilities.formatDate(now, tz, DATE_PATTERN);
  const tools = readCatalog(ss, tz);
  let stores: ReturnType<typeof readDataStores> | null = null;
  return (raw: RawEntry) => {
    const validation = validateEntry(raw, settings.departments);
    const named = validation.entry?.dataStores ?? [];
    const ctx = {
      today,
      tools,
      stores: named.length > 0 ? (stores ??= readDataStores(ss)) : [],
      review: null,
    };
    let decision = decideApproval(validation, ctx);
    if (decision.needsReview)
      decision = decideApproval(validation, {
        ...ctx,
        review: {
          status: 'Open',
          due: addBusinessDays(today, settings.reviewSlaDays, settings.holidays),
          threatModel: '',
        },
      });
    return { approval: decision.approval, checks: decision.checks };
  };
}

export interface DryRun {
  source: string;
  headerRow: number;
  dateOrder: DateOrder;
  dateEvidence: string;
  counts: PlanCounts;
  rows: PlannedRow[];
  /** How many rows are left out of `rows` (the counts include them). */
  more: number;
  unmapped: string[];
}

/** Each row's would-be decision and Checks, and the duplicates: nothing is written. */
export function dryRunInventory(
  ss: Spreadsheet,
  sourceInput: unknown,
  mappingInput: unknown,
  optionsInput: unknown,
  settings: Settings,
  now: Date,
): DryRun {
  const p = prepare(ss, sourceInput, mappingInput, optionsInput, settings, now);
  const plan = planImport(p.rows, p.blank, existingKeys(ss), decider(ss, settings, now));
  return {
    source: p.source.label,
    headerRow: p.headerIndex + 1,
    dateOrder: p.order,
    dateEvidence: p.dateEvidence,
    counts: plan.counts,
    rows: plan.rows.slice(0, PLAN_SHOWN),
    more: Math.max(0, plan.rows.length - PLAN_SHOWN),
    unmapped: unmappedRequired(p.mapping),
  };
}

/** An import under way, kept in the store between batches (a few hundred bytes). */
export interface ImportJob {
  id: string;
  by: string;
  started: string;
  source: string;
  /** The source's rows, the mapping and the options it was started with. */
  digest: string;
  /** Source rows read (non-blank); `position` of them are done. */
  rows: number;
  position: number;
  /** What the dry run said would be imported when the job started. */
  planned: number;
  imported: number;
  skipped: number;
  approvals: Record<string, number>;
  assigned: Record<string, number>;
  blocked: string[];
  firstId: string;
  lastId: string;
  done: boolean;
  finished: string;
  /**
   * The batch being written, saved before its rows go in: where it starts in the source and in
   * the Registry, and which source rows it writes. A batch cut off after writing is finished
   * from its rows (decided again, never written twice); one cut off before is simply redone.
   */
  pending?: { position: number; first: number; rows: number[] };
}

export interface ImportProgress extends ImportJob {
  /** This call's work, in a sentence. */
  message: string;
}

export function currentImport(): ImportJob | null {
  const job = storedJson<ImportJob | null>(JOB, null);
  return job && typeof job === 'object' && typeof job.id === 'string' ? job : null;
}

function jobDigest(p: Prepared): string {
  return sha256Hex(JSON.stringify([p.source.digest, p.mapping, p.order, p.headerIndex]));
}

/**
 * Imports the next batch of the source (starting the import when none is under way). Called
 * again with the same source, mapping and options until `done`; after an interruption (the
 * panel closed, an execution cut off) the same call goes on where the last batch ended. A
 * batch cut off halfway is safe to repeat: the rows it wrote are entries now, and a row whose
 * project + creator is an entry already is skipped as a duplicate.
 */
export function importInventoryBatch(
  ss: Spreadsheet,
  sourceInput: unknown,
  mappingInput: unknown,
  optionsInput: unknown,
  user: string,
  settings: Settings,
  now: Date,
): { progress: ImportProgress; messages: Outgoing[] } {
  const p = prepare(ss, sourceInput, mappingInput, optionsInput, settings, now);
  const digest = jobDigest(p);
  const props = registryProperties();
  const existing = existingKeys(ss);
  let job = currentImport();
  const audit: AuditEntry[] = [];
  if (job && !job.done && job.digest !== digest)
    throw new UserError(
      `An import from ${job.source}, started by ${job.by} on ${job.started}, is not finished (${job.position} of ${job.rows} rows done). Continue it with the same source and columns, or discard it first.`,
    );
  if (!job || job.done) {
    if (p.rows.length === 0) throw new UserError('The source has no rows to import.');
    const plan = planImport(p.rows, p.blank, existing, () => ({ approval: '', checks: [] }));
    job = {
      id: `import-${now.getTime()}`,
      by: user,
      started: Utilities.formatDate(now, settings.timeZone, 'yyyy-MM-dd HH:mm'),
      source: p.source.label,
      digest,
      rows: p.rows.length,
      position: 0,
      planned: plan.counts.toImport,
      imported: 0,
      skipped: 0,
      approvals: {},
      assigned: {},
      blocked: [],
      firstId: '',
      lastId: '',
      done: false,
      finished: '',
    };
    audit.push({
      actor: user,
      action: 'Import started',
      registryId: '',
      field: p.source.label.slice(0, 200),
      oldValue: '',
      newValue: `${p.rows.length} row(s): ${plan.counts.toImport} to import, ${plan.counts.duplicates} duplicate(s), ${p.blank} blank line(s) skipped`,
    });
    // Recorded at once: a first batch cut off must not take the start of the import with it.
    appendAudit(ss, audit.splice(0), now);
  }

  const batchAt = job.position;
  const batch = p.rows.slice(batchAt, batchAt + IMPORT_BATCH);
  let toWrite: ImportRow[] = [];
  let outcome: ReturnType<typeof writeBatch> | null = null;
  const resumed = job.pending ? finishCutOff(ss, job, p, user, settings, now) : null;
  if (resumed) {
    ({ outcome, toWrite } = resumed);
    job.skipped += batch.length - toWrite.length;
  } else {
    // Within the source, a project + creator seen on an earlier line is a duplicate of it.
    const seen = new Set(p.rows.slice(0, batchAt).map((r) => r.key));
    for (const row of batch) {
      const keyed = row.key.split('|')[0] !== '';
      if (keyed && (existing.has(row.key) || seen.has(row.key))) job.skipped++;
      else toWrite.push(row);
      if (keyed) seen.add(row.key);
    }
    if (toWrite.length > 0) {
      const layout = readLayout(ss, REGISTRY);
      if (!layout) throw new UserError(notReadySentence(REGISTRY));
      // Where this batch goes, saved before it is written (see ImportJob.pending).
      job.pending = {
        position: batchAt,
        first: layout.lastRow + 1,
        rows: toWrite.map((r) => p.rows.indexOf(r)),
      };
      props.setProperty(JOB, JSON.stringify(job));
      outcome = writeBatch(ss, toWrite, p.source.label, user, settings, now, audit);
    } else if (audit.length > 0) appendAudit(ss, audit, now);
  }
  if (outcome) {
    countImported(job, outcome.rows);
    for (const e of outcome.events)
      if (e.type === 'review-opened' && e.entry.assignedTo)
        job.assigned[e.entry.assignedTo] = (job.assigned[e.entry.assignedTo] ?? 0) + 1;
  }
  delete job.pending;
  job.position = batchAt + batch.length;
  let message = `Imported ${toWrite.length} of rows ${batchAt + 1}–${job.position}.`;
  let messages: Outgoing[] = [];
  if (job.position >= job.rows) {
    job.done = true;
    job.finished = Utilities.formatDate(now, settings.timeZone, 'yyyy-MM-dd HH:mm');
    messages = digest_(job);
    appendAudit(ss, [jobRecord(job, user, 'Import finished', summaryOf(job))], now);
    message = `Import finished: ${summaryOf(job)}.`;
  }
  props.setProperty(JOB, JSON.stringify(job));
  return { progress: { ...job, message }, messages };
}

/**
 * A batch whose execution was cut off after its place was saved: if its rows are in the
 * Registry (one write puts them all in), they are decided again where they stand (deciding is
 * idempotent: an entry already decided keeps its ID, review and seal) and counted; if not,
 * null, and the batch is done again from the start.
 */
function finishCutOff(
  ss: Spreadsheet,
  job: ImportJob,
  p: Prepared,
  user: string,
  settings: Settings,
  now: Date,
): { outcome: ReturnType<typeof writeBatch>; toWrite: ImportRow[] } | null {
  const pending = job.pending!;
  const layout = readLayout(ss, REGISTRY);
  if (!layout || pending.position !== job.position) return null;
  const rows = pending.rows.map((i) => p.rows[i]).filter((r) => r !== undefined);
  if (rows.length !== pending.rows.length || rows.length === 0) return null;
  const last = pending.first + rows.length - 1;
  if (layout.lastRow < last) return null;
  const c = layout.columns;
  const there = layout.sheet
    .getRange(pending.first, c['Project'] + 1, rows.length, 1)
    .getValues()
    .map((r) => asText(r[0] as Cell));
  const written = rows.every(
    (r, i) => there[i] === asText(neutralise(String(r.raw.Project ?? '').trim())),
  );
  if (!written) return null;
  const outcome = processRegistryEdit(
    ss,
    {
      user,
      row: pending.first,
      column: 1,
      numRows: rows.length,
      numColumns: layout.width,
      source: 'import',
      imported: origins(rows, pending.first, p.source.label),
    },
    settings,
    now,
  );
  noteFirstRecorded(
    layout.sheet,
    pending.first,
    c['Registered'] + 1,
    rows,
    p.source.label,
    settings,
    now,
  );
  return { outcome, toWrite: rows };
}

const origins = (rows: readonly ImportRow[], first: number, label: string) =>
  new Map(
    rows.map((row, i) => [
      first + i,
      { origin: `${label} line ${row.line}`, firstRecorded: row.firstRecorded },
    ]),
  );

/** Leaves an unfinished import (what it imported stays registered). */
export function discardImport(
  ss: Spreadsheet,
  user: string,
  settings: Settings,
  now: Date,
): string {
  const job = currentImport();
  if (!job || job.done) return 'There is no unfinished import.';
  // A batch cut off after writing: its rows are entries, decided here as the import's (the
  // source is not at hand, so without their lines and dates), and counted.
  const pending = job.pending;
  const layout = pending ? readLayout(ss, REGISTRY) : null;
  if (pending && layout && layout.lastRow >= pending.first + pending.rows.length - 1) {
    const count = pending.rows.length;
    const origin = { origin: `${job.source} (a batch cut off, then discarded)`, firstRecorded: '' };
    const outcome = processRegistryEdit(
      ss,
      {
        // Registered by the import that wrote them, whoever discards it.
        user: job.by,
        row: pending.first,
        column: 1,
        numRows: count,
        numColumns: layout.width,
        source: 'import',
        imported: new Map(Array.from({ length: count }, (_, i) => [pending.first + i, origin])),
      },
      settings,
      now,
    );
    countImported(job, outcome.rows);
    job.position = pending.position + Math.min(IMPORT_BATCH, job.rows - pending.position);
  }
  appendAudit(
    ss,
    [
      jobRecord(
        job,
        user,
        'Import discarded',
        `${job.position} of ${job.rows} rows done: ${summaryOf(job)}`,
      ),
    ],
    now,
  );
  registryProperties().deleteProperty(JOB);
  return `The import from ${job.source} was discarded after ${job.position} of ${job.rows} rows; the ${job.imported} entries it imported stay registered.`;
}

/** The entries a batch imported, counted into the job. */
function countImported(job: ImportJob, rows: readonly { id: string; approval: string }[]): void {
  for (const r of rows) {
    job.imported++;
    job.approvals[r.approval] = (job.approvals[r.approval] ?? 0) + 1;
    if (!job.firstId) job.firstId = r.id;
    job.lastId = r.id;
    if (r.approval === 'Blocked' && job.blocked.length < 30) job.blocked.push(r.id);
  }
}

/** The Audit Log record of an import's end (finished or discarded). */
function jobRecord(job: ImportJob, user: string, action: string, newValue: string): AuditEntry {
  return {
    actor: user,
    action,
    registryId: job.firstId ? `${job.firstId}–${job.lastId}` : '',
    field: job.source.slice(0, 200),
    oldValue: `started ${job.started} by ${job.by}`,
    newValue,
  };
}

function summaryOf(job: ImportJob): string {
  const by = Object.entries(job.approvals)
    .sort((a, b) => b[1] - a[1])
    .map(([a, n]) => `${n} ${a}`)
    .join(', ');
  return `${job.imported} entr${job.imported === 1 ? 'y' : 'ies'} imported${by ? ` (${by})` : ''}, ${job.skipped} duplicate(s) skipped`;
}

/** The one digest an import sends: the team's channels, and each assignee once. */
function digest_(job: ImportJob): Outgoing[] {
  const lines = [
    `${summaryOf(job)}, from ${job.source} by ${job.by}.`,
    ...(job.firstId ? [`Entries ${job.firstId} to ${job.lastId}.`] : []),
    ...Object.entries(job.assigned).map(
      ([who, n]) => `${n} Tier 3 review(s) opened and assigned to ${who}.`,
    ),
    ...(job.blocked.length > 0
      ? [
          `Tier 4 entries blocked: ${job.blocked.join(', ')}${(job.approvals['Blocked'] ?? 0) > job.blocked.length ? ', …' : ''}.`,
        ]
      : []),
  ];
  const out: Outgoing[] = asKind('new-entry', [lifecycleMessage('Inventory imported', lines)]);
  if ((job.approvals['Blocked'] ?? 0) > 0)
    out.push(
      ...asKind('blocked', [
        lifecycleMessage('Imported Tier 4 entries blocked', [
          `${job.approvals['Blocked']} imported entr${job.approvals['Blocked'] === 1 ? 'y uses' : 'ies use'} Tier 4 data and ${job.approvals['Blocked'] === 1 ? 'is' : 'are'} blocked: ${job.blocked.join(', ')}.`,
        ]),
      ]),
    );
  const mails: PersonMail[] = Object.entries(job.assigned).map(([to, n]) => {
    const body = `The inventory import from ${job.source} (by ${job.by}) opened ${n} Tier 3 security review(s) assigned to you. Open the spreadsheet and choose AI Registry › Security team › Review queue to see them, due first.`;
    return {
      to,
      subject: `Governed Path: ${n} imported Tier 3 review(s) assigned to you`,
      body,
      htmlBody: `<p>${escapeHtml(body)}</p>`,
    };
  });
  if (mails.length > 0) out.push({ mails });
  return out;
}

/**
 * Writes a batch of rows at the end of the Registry in one call, decides and seals them
 * through the same path as registration, and notes each imported row's first-recorded date on
 * its Registered cell.
 */
function writeBatch(
  ss: Spreadsheet,
  rows: readonly ImportRow[],
  origin: string,
  user: string,
  settings: Settings,
  now: Date,
  auditBefore: readonly AuditEntry[],
) {
  const layout = readLayout(ss, REGISTRY);
  if (!layout) throw new UserError(notReadySentence(REGISTRY));
  const cols = layout.columns;
  const width = layout.width;
  const first = layout.lastRow + 1;
  const last = first + rows.length - 1;
  const sheet = layout.sheet;
  const lines: Cell[][] = rows.map((row) => {
    const line: Cell[] = new Array<Cell>(width).fill('');
    for (const field of INPUT_FIELDS)
      line[cols[field]] = neutralise(String(row.raw[field] ?? '').trim());
    return line;
  });
  if (last > sheet.getMaxRows())
    growFormatted(sheet, REGISTRY, cols, Math.max(HEADROOM, last - sheet.getMaxRows()));
  sheet.getRange(first, 1, rows.length, width).setValues(lines);
  const imported = origins(rows, first, origin);
  const outcome = processRegistryEdit(
    ss,
    {
      user,
      row: first,
      column: 1,
      numRows: rows.length,
      numColumns: width,
      source: 'import',
      imported,
      auditBefore,
    },
    settings,
    now,
    undefined,
    { ...layout, lastRow: last, rows: lines },
  );
  noteFirstRecorded(sheet, first, cols['Registered'] + 1, rows, origin, settings, now);
  return outcome;
}

/** The date the inventory first recorded each row, noted on its Registered cell (one call). */
function noteFirstRecorded(
  sheet: GoogleAppsScript.Spreadsheet.Sheet,
  first: number,
  column: number,
  rows: readonly ImportRow[],
  origin: string,
  settings: Settings,
  now: Date,
): void {
  if (!rows.some((r) => r.firstRecorded !== '')) return;
  const today = Utilities.formatDate(now, settings.timeZone, DATE_PATTERN);
  sheet
    .getRange(first, column, rows.length, 1)
    .setNotes(
      rows.map((r) => [
        r.firstRecorded
          ? `Imported ${today} from ${origin} (line ${r.line}). First recorded there: ${r.firstRecorded}.`
          : '',
      ]),
    );
}
