import { INPUT_FIELDS, isBlank, type InputField, type RawEntry } from './entry';
import { isEmail } from './settings';
import { normaliseTier } from './tiers';

/**
 * Bringing an existing inventory of AI projects in (issue 18): reading a pasted CSV or another
 * sheet, finding the header row, guessing which column is which field, reading the messy
 * values real inventories hold (dates in several formats, "Live" for Production, "Owner: Jane
 * <jane@…>"), and planning the import: each row's would-be entry, and the rows that are
 * duplicates of existing entries or of an earlier line. Pure: the shell reads and writes.
 */

/** What an import can fill: the registry's input columns and the date the project was first recorded. */
export const FIRST_RECORDED = 'First Recorded';
export const IMPORT_FIELDS = [...INPUT_FIELDS, FIRST_RECORDED] as const;
export type ImportField = (typeof IMPORT_FIELDS)[number];

/** Source column (0-based) for each field the person mapped; unmapped fields are absent. */
export type Mapping = Partial<Record<ImportField, number>>;

export type SourceCell = string | number | boolean | Date | null;

/** The most rows one import takes (a registry's daily work stays inside Apps Script's limits). */
export const IMPORT_MAX_ROWS = 20000;
/** The most characters of a pasted CSV (about 10 MB of text). */
export const IMPORT_MAX_CHARS = 10_000_000;
/** The most columns a source may have. */
export const IMPORT_MAX_COLUMNS = 60;

export class InventoryError extends Error {}

/** How an imported entry's Registered By reads: the importer, not an owner. */
export const IMPORTED_BY = 'Imported by ';

const isDate = (v: unknown): v is Date => Object.prototype.toString.call(v) === '[object Date]';

// ---------------------------------------------------------------------------------------------
// CSV
// ---------------------------------------------------------------------------------------------

/**
 * Reads CSV text as RFC 4180 says (quoted fields with commas, quotes doubled, line breaks
 * inside quotes; CRLF, LF or CR line ends), with the delimiter found from the first line
 * (comma, semicolon as European spreadsheets save, or tab as copied from a sheet). A byte
 * order mark is dropped. Throws an InventoryError with a sentence for text it cannot read.
 */
export function parseCsv(text: string): string[][] {
  if (typeof text !== 'string' || text.trim() === '')
    throw new InventoryError('Paste the CSV text first: the box is empty.');
  if (text.length > IMPORT_MAX_CHARS)
    throw new InventoryError(
      `The CSV is ${text.length.toLocaleString('en-US')} characters long; import at most ${IMPORT_MAX_CHARS.toLocaleString('en-US')} at a time (split the file, or put it in a sheet of this spreadsheet and import from there).`,
    );
  const body = text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
  const delimiter = delimiterOf(body);
  const rows: string[][] = [];
  let row: string[] = [];
  let field = '';
  let quoted = false;
  let i = 0;
  const endField = () => {
    row.push(field);
    field = '';
  };
  const endRow = () => {
    endField();
    rows.push(row);
    row = [];
    if (rows.length > IMPORT_MAX_ROWS + 50)
      throw new InventoryError(
        `The CSV has more than ${IMPORT_MAX_ROWS.toLocaleString('en-US')} rows; import at most ${IMPORT_MAX_ROWS.toLocaleString('en-US')} at a time.`,
      );
  };
  while (i < body.length) {
    const c = body[i];
    if (quoted) {
      if (c === '"') {
        if (body[i + 1] === '"') {
          field += '"';
          i += 2;
          continue;
        }
        quoted = false;
        i++;
        continue;
      }
      field += c;
      i++;
      continue;
    }
    if (c === '"' && field.trim() === '') {
      // A quote opens a quoted field only at its start (spaces before it are dropped).
      field = '';
      quoted = true;
      i++;
    } else if (c === delimiter) {
      endField();
      i++;
    } else if (c === '\r' || c === '\n') {
      endRow();
      i += c === '\r' && body[i + 1] === '\n' ? 2 : 1;
    } else {
      field += c;
      i++;
    }
  }
  if (quoted)
    throw new InventoryError(
      `The CSV has a quoted value that never ends (it starts on line ${lineOfUnclosedQuote(body, delimiter)}); check for a missing closing quote (").`,
    );
  if (field !== '' || row.length > 0) endRow();
  return rows;
}

function delimiterOf(text: string): string {
  const firstLine = text.slice(0, Math.max(0, text.search(/\r|\n/)) || text.length);
  const outside = firstLine.replace(/"[^"]*"/g, '');
  const count = (d: string) => outside.split(d).length - 1;
  const candidates: [string, number][] = [
    [',', count(',')],
    [';', count(';')],
    ['\t', count('\t')],
  ];
  candidates.sort((a, b) => b[1] - a[1]);
  return candidates[0][1] > 0 ? candidates[0][0] : ',';
}

function lineOfUnclosedQuote(text: string, delimiter: string): number {
  let line = 1;
  let quoted = false;
  let openedAt = 1;
  let atFieldStart = true;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (quoted) {
      if (c === '"' && text[i + 1] === '"') i++;
      else if (c === '"') quoted = false;
      else if (c === '\n') line++;
      continue;
    }
    if (c === '"' && atFieldStart) {
      quoted = true;
      openedAt = line;
    }
    if (c === '\n') line++;
    atFieldStart = c === delimiter || c === '\n' || c === '\r' || (atFieldStart && c === ' ');
  }
  return openedAt;
}

// ---------------------------------------------------------------------------------------------
// Headers and guesses
// ---------------------------------------------------------------------------------------------

/**
 * Lower case, accents and punctuation gone, single spaces: how names are compared. Letters and
 * digits of every script are kept (`経費ボット` is a name, not a blank).
 */
export function simplify(text: string): string {
  return text
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/[^\p{L}\p{N}@.]+/gu, ' ')
    .replace(/\s+/g, ' ')
    .trim();
}

/**
 * Header words per field, strongest first. A header matches a phrase when the phrase's words
 * all appear in it in order; a longer phrase wins over a shorter one ("tool version" over
 * "tool"), so "Owner / Creator Email" and "Project name (app)" find their fields.
 */
const HEADER_PHRASES: Readonly<Record<ImportField, readonly string[]>> = {
  'Creator Email': [
    'creator email',
    'owner email',
    'contact email',
    'builder email',
    'email address',
    'email',
    'e mail',
    'owner',
    'creator',
    'built by',
    'created by',
    'maintainer',
    'contact',
    'author',
  ],
  Department: ['department', 'dept', 'business unit', 'team', 'division', 'org unit', 'function'],
  Project: [
    'project name',
    'app name',
    'application name',
    'tool name',
    'use case',
    'project',
    'application',
    'app',
    'name',
    'title',
    'repository',
    'repo',
  ],
  'Business Purpose': [
    'business purpose',
    'purpose',
    'description',
    'what it does',
    'what does it do',
    'summary',
    'use',
    'details',
  ],
  'Data Tier': [
    'data tier',
    'data classification',
    'classification',
    'sensitivity',
    'data sensitivity',
    'tier',
    'data level',
  ],
  'Data Stores': [
    'data stores',
    'data store',
    'data sources',
    'data source',
    'systems',
    'databases',
    'datasets',
    'integrations',
  ],
  'AI Tool': [
    'ai tool',
    'ai assistant',
    'coding tool',
    'assistant',
    'llm',
    'model',
    'tool used',
    'built with',
    'tool',
    'ai',
  ],
  'AI Tool Version': ['tool version', 'ai tool version', 'version', 'plan', 'edition', 'tier plan'],
  'Deployment Status': [
    'deployment status',
    'deployment',
    'environment',
    'lifecycle',
    'stage',
    'status',
    'state',
    'live',
  ],
  'First Recorded': [
    'first recorded',
    'date added',
    'date created',
    'created on',
    'created at',
    'added on',
    'start date',
    'registered',
    'since',
    'created',
    'added',
    'date',
    'when',
  ],
};

/** How well a header matches a field: the length of the longest phrase it contains, or 0. */
function headerScore(header: string, field: ImportField): number {
  const h = ` ${simplify(header).replace(/[@.]+/g, ' ').replace(/\s+/g, ' ').trim()} `;
  if (h.trim() === '') return 0;
  let best = 0;
  for (const phrase of HEADER_PHRASES[field]) {
    if (h.includes(` ${phrase} `))
      best = Math.max(best, phrase.length + (h.trim() === phrase ? 50 : 0));
  }
  return best;
}

/**
 * The header row: among the first rows, the one most of whose cells read as field headers
 * (inventories often start with a title row or two). The first non-blank row without a better one.
 */
export function findHeaderRow(rows: readonly (readonly SourceCell[])[]): number {
  let best = -1;
  let bestScore = 0;
  for (let r = 0; r < Math.min(rows.length, 10); r++) {
    const cells = rows[r].map((c) => (typeof c === 'string' ? c : ''));
    const matched = new Set<ImportField>();
    for (const cell of cells)
      for (const field of IMPORT_FIELDS) if (headerScore(cell, field) > 0) matched.add(field);
    if (matched.size > bestScore) {
      best = r;
      bestScore = matched.size;
    }
  }
  if (bestScore >= 2) return best;
  return Math.max(
    0,
    rows.findIndex((row) => row.some((c) => !isBlank(c as string))),
  );
}

export interface Guess {
  mapping: Mapping;
  /** Why each mapped field was chosen: its header, or what its values look like. */
  why: Partial<Record<ImportField, 'header' | 'values'>>;
}

/**
 * Guesses the mapping from the header texts, then from sample values for fields no header
 * named (a column of addresses is Creator Email, of tier words Data Tier, of dates First
 * Recorded, of status words Deployment Status). Each column goes to one field at most.
 */
export function guessMapping(
  headers: readonly SourceCell[],
  samples: readonly (readonly SourceCell[])[],
): Guess {
  const mapping: Mapping = {};
  const why: Guess['why'] = {};
  const taken = new Set<number>();
  const scored: { field: ImportField; column: number; score: number }[] = [];
  headers.forEach((h, column) => {
    const text = typeof h === 'string' ? h : h === null ? '' : String(h);
    for (const field of IMPORT_FIELDS) {
      const score = headerScore(text, field);
      if (score > 0) scored.push({ field, column, score });
    }
  });
  scored.sort((a, b) => b.score - a.score || a.column - b.column);
  for (const { field, column } of scored) {
    if (mapping[field] !== undefined || taken.has(column)) continue;
    mapping[field] = column;
    why[field] = 'header';
    taken.add(column);
  }
  const width = Math.max(headers.length, ...samples.map((r) => r.length));
  const looks: [ImportField, (v: SourceCell) => boolean][] = [
    ['Creator Email', (v) => typeof v === 'string' && emailIn(v) !== ''],
    ['Data Tier', (v) => importTier(v) !== null],
    ['First Recorded', (v) => isDate(v) || (typeof v === 'string' && looksLikeDate(v))],
    ['Deployment Status', (v) => typeof v === 'string' && importStatus(v) !== null],
  ];
  for (const [field, test] of looks) {
    if (mapping[field] !== undefined) continue;
    let bestColumn = -1;
    let bestShare = 0;
    for (let column = 0; column < width; column++) {
      if (taken.has(column)) continue;
      const values = samples.map((r) => r[column] ?? null).filter((v) => !isBlank(v as string));
      if (values.length === 0) continue;
      const share = values.filter(test).length / values.length;
      if (share > bestShare) {
        bestShare = share;
        bestColumn = column;
      }
    }
    if (bestColumn >= 0 && bestShare >= 0.6) {
      mapping[field] = bestColumn;
      why[field] = 'values';
      taken.add(bestColumn);
    }
  }
  return { mapping, why };
}

// ---------------------------------------------------------------------------------------------
// Values
// ---------------------------------------------------------------------------------------------

/** The first email address in a cell ("Jane Doe <jane@x.com>", "jane@x.com; bob@x.com"). */
export function emailIn(text: string): string {
  const m = /[^\s<>(),;:"'[\]]+@[^\s<>(),;:"'[\]]+\.[^\s<>(),;:"'[\]]+/.exec(text);
  const found = m ? m[0].replace(/\.+$/, '').toLowerCase() : '';
  return isEmail(found) ? found : '';
}

/** Every email address in a cell, in order, each once. */
export function emailsIn(text: string): string[] {
  const all = text.match(/[^\s<>(),;:"'[\]]+@[^\s<>(),;:"'[\]]+\.[^\s<>(),;:"'[\]]+/g) ?? [];
  const out: string[] = [];
  for (const a of all) {
    const e = a.replace(/\.+$/, '').toLowerCase();
    if (isEmail(e) && !out.includes(e)) out.push(e);
  }
  return out;
}

/** Classification words inventories use beyond the registry's own (Restricted is the top). */
const TIER_SYNONYMS: Readonly<Record<string, string>> = {
  open: 'Tier 1 - Public',
  'non sensitive': 'Tier 1 - Public',
  general: 'Tier 2 - Internal',
  'internal only': 'Tier 2 - Internal',
  private: 'Tier 2 - Internal',
  sensitive: 'Tier 3 - Confidential',
  'highly confidential': 'Tier 3 - Confidential',
  restricted: 'Tier 4 - Regulated',
  'highly restricted': 'Tier 4 - Regulated',
  pii: 'Tier 4 - Regulated',
  phi: 'Tier 4 - Regulated',
  pci: 'Tier 4 - Regulated',
};

/** A tier from the registry's words, its lenient forms, or an inventory's classification words. */
export function importTier(v: SourceCell): string | null {
  if (typeof v === 'number') return normaliseTier(v);
  if (typeof v !== 'string') return null;
  const direct = normaliseTier(v);
  if (direct) return direct;
  const s = simplify(v);
  return TIER_SYNONYMS[s] ?? normaliseTier(s);
}

const STATUS_SYNONYMS: Readonly<Record<string, string>> = {
  dev: 'Development',
  development: 'Development',
  'in development': 'Development',
  pilot: 'Development',
  prototype: 'Development',
  poc: 'Development',
  'proof of concept': 'Development',
  testing: 'Development',
  test: 'Development',
  staging: 'Development',
  beta: 'Development',
  experiment: 'Development',
  draft: 'Development',
  prod: 'Production',
  production: 'Production',
  'in production': 'Production',
  live: 'Production',
  'in use': 'Production',
  active: 'Production',
  deployed: 'Production',
  released: 'Production',
  decommissioned: 'Decommissioned',
  decom: 'Decommissioned',
  retired: 'Decommissioned',
  archived: 'Decommissioned',
  sunset: 'Decommissioned',
  deprecated: 'Decommissioned',
  'shut down': 'Decommissioned',
  inactive: 'Decommissioned',
  deleted: 'Decommissioned',
};

export function importStatus(v: string): string | null {
  return STATUS_SYNONYMS[simplify(v)] ?? null;
}

/** An AI tool named as the catalog names it, when the inventory's word is clearly that tool. */
export function catalogTool(value: string, tools: readonly string[]): string {
  const squash = (s: string) => simplify(s).replace(/[^\p{L}\p{N}]/gu, '');
  const v = squash(value);
  if (v === '') return value;
  const exact = tools.find((t) => squash(t) === v);
  if (exact) return exact;
  const containing = tools.filter((t) => {
    const t2 = squash(t);
    return v.length >= 4 && (t2.includes(v) || v.includes(t2));
  });
  return containing.length === 1 ? containing[0] : value;
}

export type DateOrder = 'dmy' | 'mdy';
const MONTHS = ['jan', 'feb', 'mar', 'apr', 'may', 'jun', 'jul', 'aug', 'sep', 'oct', 'nov', 'dec'];

const NUMERIC_DATE = /^(\d{1,4})[-/.](\d{1,2})[-/.](\d{1,4})(?:[ T].*)?$/;

function looksLikeDate(text: string): boolean {
  return parseLooseDate(text, 'mdy') !== null || parseLooseDate(text, 'dmy') !== null;
}

/**
 * Whether a column's numeric dates are day-first or month-first: the first value whose first
 * part is above 12 says day-first, whose second part is above 12 month-first; with neither,
 * `fallback` (the spreadsheet's locale). `evidence` says which it was.
 */
export function dateOrderOf(
  values: readonly SourceCell[],
  fallback: DateOrder,
): { order: DateOrder; evidence: string | null } {
  for (const v of values) {
    if (typeof v !== 'string') continue;
    const m = NUMERIC_DATE.exec(v.trim());
    if (!m || m[1].length === 4) continue;
    const a = Number(m[1]);
    const b = Number(m[2]);
    if (a > 12 && b <= 12) return { order: 'dmy', evidence: v.trim() };
    if (b > 12 && a <= 12) return { order: 'mdy', evidence: v.trim() };
  }
  return { order: fallback, evidence: null };
}

function pad(n: number): string {
  return String(n).padStart(2, '0');
}

function validDay(y: number, m: number, d: number): string | null {
  if (y < 1990 || y > 2100 || m < 1 || m > 12 || d < 1) return null;
  const last = new Date(Date.UTC(y, m, 0)).getUTCDate();
  return d > last ? null : `${y}-${pad(m)}-${pad(d)}`;
}

function fullYear(y: string): number {
  const n = Number(y);
  return y.length <= 2 ? (n < 70 ? 2000 + n : 1900 + n) : n;
}

/**
 * A date as `yyyy-MM-dd` from the ways inventories write one: ISO (`2024-03-07`,
 * `2024-03-07T10:00Z`), numeric with slashes, dashes or dots in `order` (`07/03/2024`,
 * `3/7/24`), with a month's name (`7 Mar 2024`, `March 7, 2024`, `Mar-2024` is not a day),
 * or a Sheets serial number. Null for anything else, and for impossible days (31/02).
 */
export function parseLooseDate(v: SourceCell, order: DateOrder): string | null {
  if (typeof v === 'number') {
    // A Sheets serial (days since 1899-12-30) between 1990 and 2100.
    if (!Number.isFinite(v) || v < 32874 || v > 73051) return null;
    const d = new Date(Date.UTC(1899, 11, 30) + Math.floor(v) * 86400000);
    return validDay(d.getUTCFullYear(), d.getUTCMonth() + 1, d.getUTCDate());
  }
  if (typeof v !== 'string') return null;
  const s = v.trim();
  if (s === '') return null;
  const m = NUMERIC_DATE.exec(s);
  if (m) {
    if (m[1].length === 4) return validDay(Number(m[1]), Number(m[2]), Number(m[3]));
    if (m[3].length !== 4 && m[3].length !== 2) return null;
    const [day, month] = order === 'dmy' ? [m[1], m[2]] : [m[2], m[1]];
    return validDay(fullYear(m[3]), Number(month), Number(day));
  }
  const words = simplify(s)
    .replace(/(\d+)(st|nd|rd|th)\b/g, '$1')
    .split(' ');
  const monthAt = words.findIndex((w) => MONTHS.includes(w.slice(0, 3)) && /^[a-z]+$/.test(w));
  if (monthAt < 0) return null;
  const month = MONTHS.indexOf(words[monthAt].slice(0, 3)) + 1;
  const numbers = words.filter((w, i) => i !== monthAt && /^\d+$/.test(w));
  if (numbers.length !== 2) return null;
  const year = numbers.find((n) => n.length === 4);
  const day = numbers.find((n) => n !== year);
  if (!year || !day) return null;
  return validDay(Number(year), month, Number(day));
}

// ---------------------------------------------------------------------------------------------
// Rows
// ---------------------------------------------------------------------------------------------

export interface ImportRow {
  /** The row's line in the source (1-based, as the person sees it in the sheet or file). */
  line: number;
  raw: RawEntry;
  /** `yyyy-MM-dd`, or '' when the inventory gives no readable date. */
  firstRecorded: string;
  /** What reading the row changed or could not keep, in plain sentences. */
  notes: string[];
  /** Project + creator, simplified: how duplicates are found. */
  key: string;
}

export interface ReadOptions {
  order: DateOrder;
  /** Today, `yyyy-MM-dd`: a first-recorded date after it is not kept. */
  today: string;
  /** The catalog's tool names: an inventory's "copilot" becomes "GitHub Copilot". */
  tools: readonly string[];
  /** How a date cell of a sheet reads as `yyyy-MM-dd` (in the spreadsheet's zone). */
  dateText: (d: Date) => string;
}

/** Project + creator, as duplicates are compared. */
export function entryKey(project: unknown, creator: unknown): string {
  return `${simplify(String(project ?? ''))}|${String(creator ?? '')
    .trim()
    .toLowerCase()}`;
}

const cellText = (v: SourceCell, dateText: (d: Date) => string): string =>
  v === null || v === undefined
    ? ''
    : isDate(v)
      ? dateText(v)
      : typeof v === 'number'
        ? String(v)
        : typeof v === 'boolean'
          ? v
            ? 'TRUE'
            : 'FALSE'
          : v.replace(/\s+/g, ' ').trim();

/**
 * The rows below the header as registry inputs: blank rows dropped (counted), values read
 * leniently, each change said in the row's notes. Nothing is decided here.
 */
export function readRows(
  rows: readonly (readonly SourceCell[])[],
  headerIndex: number,
  mapping: Mapping,
  options: ReadOptions,
): { rows: ImportRow[]; blank: number } {
  const out: ImportRow[] = [];
  let blank = 0;
  for (let r = headerIndex + 1; r < rows.length; r++) {
    const source = rows[r];
    const at = (field: ImportField): SourceCell => {
      const column = mapping[field];
      return column === undefined ? null : (source[column] ?? null);
    };
    const mapped = IMPORT_FIELDS.filter((f) => mapping[f] !== undefined);
    if (mapped.every((f) => cellText(at(f), options.dateText) === '')) {
      blank++;
      continue;
    }
    const notes: string[] = [];
    const raw: RawEntry = {};
    for (const field of INPUT_FIELDS) raw[field] = cellText(at(field), options.dateText);

    const who = String(raw['Creator Email']);
    const addresses = emailsIn(who);
    if (addresses.length > 0 && addresses[0] !== who.toLowerCase()) {
      raw['Creator Email'] = addresses[0];
      if (addresses.length > 1)
        notes.push(
          `Creator Email: ${addresses[0]} is the creator; ${addresses.slice(1).join(', ')} can be added as co-owners in My projects.`,
        );
    }
    const tier = String(raw['Data Tier']);
    const tierWord = tier === '' ? null : importTier(tier);
    if (tierWord && tierWord !== tier) {
      if (normaliseTier(tier) === null) notes.push(`Data Tier "${tier}" read as ${tierWord}.`);
      raw['Data Tier'] = tierWord;
    }
    const status = String(raw['Deployment Status']);
    const statusWord = status === '' ? null : importStatus(status);
    if (statusWord && statusWord !== status) {
      if (!['dev', 'prod', 'decom'].includes(status.trim().toLowerCase()))
        notes.push(`Deployment Status "${status}" read as ${statusWord}.`);
      raw['Deployment Status'] = statusWord;
    }
    const tool = String(raw['AI Tool']);
    const named = catalogTool(tool, options.tools);
    if (named !== tool) {
      if (simplify(named) !== simplify(tool)) notes.push(`AI Tool "${tool}" read as ${named}.`);
      raw['AI Tool'] = named;
    }

    let firstRecorded = '';
    const when = at(FIRST_RECORDED);
    if (!isBlank(when as string)) {
      const day = isDate(when) ? options.dateText(when) : parseLooseDate(when, options.order);
      // A date cell: the sheet read what was typed. In a day-first column, one that could be
      // either way (both parts 12 or under) may have been typed day-first and read month-first.
      if (isDate(when) && day && options.order === 'dmy' && Number(day.slice(8)) <= 12)
        notes.push(
          `${FIRST_RECORDED} ${day} is a date cell in a column typed day-first: if it was typed ${day.slice(8)}/${day.slice(5, 7)}, the sheet read it month-first; check it.`,
        );
      if (day === null)
        notes.push(
          `${FIRST_RECORDED} "${cellText(when, options.dateText).slice(0, 40)}" is not a date; it is not kept.`,
        );
      else if (day > options.today)
        notes.push(`${FIRST_RECORDED} ${day} is in the future; it is not kept.`);
      else firstRecorded = day;
    }
    out.push({
      line: r + 1,
      raw,
      firstRecorded,
      notes,
      key: entryKey(raw.Project, raw['Creator Email']),
    });
  }
  return { rows: out, blank };
}

export type PlanStatus = 'import' | 'duplicate';

export interface PlannedRow {
  line: number;
  project: string;
  creator: string;
  status: PlanStatus;
  /** For a duplicate: the entry ID it repeats, or `line N` of this source. */
  duplicateOf: string;
  approval: string;
  checks: string[];
  firstRecorded: string;
  notes: string[];
}

export interface PlanCounts {
  rows: number;
  blank: number;
  toImport: number;
  duplicates: number;
  byApproval: Record<string, number>;
}

/**
 * The dry run: each row's would-be decision (from `decide`, the same policy registration
 * uses), or the entry or earlier line it duplicates (project + creator, simplified). A row
 * without a project or creator is never a duplicate of anything: it imports as Needs Info.
 */
export function planImport(
  rows: readonly ImportRow[],
  blank: number,
  existing: ReadonlyMap<string, string>,
  decide: (raw: RawEntry) => { approval: string; checks: string[] },
): { rows: PlannedRow[]; counts: PlanCounts } {
  const seen = new Map<string, number>();
  const planned: PlannedRow[] = [];
  const counts: PlanCounts = {
    rows: rows.length,
    blank,
    toImport: 0,
    duplicates: 0,
    byApproval: {},
  };
  for (const row of rows) {
    const project = String(row.raw.Project ?? '');
    const creator = String(row.raw['Creator Email'] ?? '');
    // A row names its project to be matched; without a creator it is matched with entries and
    // lines that have none either (a file imported twice adds its incomplete rows once).
    const keyed = simplify(project) !== '';
    const duplicateOf = !keyed
      ? ''
      : (existing.get(row.key) ?? (seen.has(row.key) ? `line ${seen.get(row.key)}` : ''));
    if (keyed && !seen.has(row.key)) seen.set(row.key, row.line);
    if (duplicateOf) {
      counts.duplicates++;
      planned.push({
        line: row.line,
        project,
        creator,
        status: 'duplicate',
        duplicateOf,
        approval: '',
        checks: [],
        firstRecorded: row.firstRecorded,
        notes: row.notes,
      });
      continue;
    }
    const decision = decide(row.raw);
    counts.toImport++;
    counts.byApproval[decision.approval] = (counts.byApproval[decision.approval] ?? 0) + 1;
    planned.push({
      line: row.line,
      project,
      creator,
      status: 'import',
      duplicateOf: '',
      approval: decision.approval,
      checks: decision.checks,
      firstRecorded: row.firstRecorded,
      notes: row.notes,
    });
  }
  return { rows: planned, counts };
}

/** The mapping as the person sent it: known fields, whole column numbers inside the source. */
export function readMapping(input: unknown, width: number): Mapping {
  if (typeof input !== 'object' || input === null)
    throw new InventoryError('Choose which column holds each field first.');
  const mapping: Mapping = {};
  const used = new Map<number, ImportField>();
  for (const [field, value] of Object.entries(input as Record<string, unknown>)) {
    if (!(IMPORT_FIELDS as readonly string[]).includes(field)) continue;
    if (value === null || value === undefined || value === '' || value === -1) continue;
    const column = Number(value);
    if (!Number.isInteger(column) || column < 0 || column >= width)
      throw new InventoryError(`The column chosen for ${field} is not a column of the source.`);
    const other = used.get(column);
    if (other)
      throw new InventoryError(
        `One column is chosen for both ${other} and ${field}; choose a different column for one of them.`,
      );
    used.set(column, field as ImportField);
    mapping[field as ImportField] = column;
  }
  const missing = (['Project', 'Creator Email'] as const).filter((f) => mapping[f] === undefined);
  if (missing.length > 0)
    throw new InventoryError(
      `Choose the column that holds ${missing.join(' and ')}: an entry cannot be matched or owned without it.`,
    );
  return mapping;
}

/** A field is required by the registry; the import still takes a row without it (as Needs Info). */
export function unmappedRequired(mapping: Mapping): InputField[] {
  return INPUT_FIELDS.filter((f) => f !== 'Data Stores' && mapping[f] === undefined);
}
