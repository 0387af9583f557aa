/**
 * Exports for ticketing and audit (issue 18): reads the Registry and Reviews by header, values
 * as text (dates in the settings' time zone), hands them to src/domain/export.ts, and records
 * each export in the Audit Log. The hidden Seal column and the settings are never read here.
 */
import {
  DIALOG_TEXT_MAX,
  JIRA_DATE_FORMAT,
  jiraCsv,
  jiraCsvSize,
  PART_PLAN_MAX,
  PART_TEXT_MAX,
  planParts,
  registryCsv,
  registryCsvSize,
  registryJson,
  registryJsonLine,
  REGISTRY_EXPORT_COLUMNS,
  type ExportDialog,
  type ExportKind,
  type ExportMeta,
  type ExportRow,
  type JiraReview,
  type OfferedFile,
  type Part,
} from '../domain/export';
import { formatId, parseId } from '../domain/ids';
import {
  DATE_PATTERN,
  REGISTRY,
  REVIEWS,
  TIMESTAMP_PATTERN,
  type SheetSpec,
} from '../domain/schema';
import { UserError } from '../errors';
import { appendAudit } from './audit-log';
import { asText, isDate } from './catalog';
import { notReadySentence } from './columns';
import { readColumn, readLayout, readRowsAt, recordOf, type Cell, type Table } from './table';

type Spreadsheet = GoogleAppsScript.Spreadsheet.Spreadsheet;

/** Who exports, when, in which zone. */
export interface Exporter {
  readonly user: string;
  readonly now: Date;
  readonly timeZone: string;
}

type Format = 'csv' | 'json';

/** A cell as text: dates in the zone (a timestamp column with its time), the rest as read. */
function cellText(v: Cell | undefined, pattern: string, tz: string): string {
  return isDate(v) ? Utilities.formatDate(v, tz, pattern) : asText(v);
}

const patternOf = (spec: SheetSpec, header: string): string => {
  const kind = spec.columns.find((c) => c.header === header)?.kind;
  return kind === 'timestamp' ? TIMESTAMP_PATTERN : DATE_PATTERN;
};

/**
 * The rows of a sheet whose ID (in `idHeader`, `prefix`-NNNN) is wanted, read by the ID column
 * first and then only those rows (one read when they are together), in ID order.
 */
function rowsById(
  ss: Spreadsheet,
  spec: SheetSpec,
  idHeader: string,
  prefix: 'AI' | 'R',
  wanted: (n: number) => boolean,
): { table: Table; rows: { id: number; row: readonly Cell[]; sheetRow: number }[] } {
  const layout = readLayout(ss, spec);
  if (!layout) throw new UserError(notReadySentence(spec));
  const ids = readColumn(layout.sheet, layout.columns[idHeader] + 1, layout.lastRow);
  const numbers: number[] = [];
  ids.forEach((v, i) => {
    const n = parseId(prefix, asText(v));
    if (n !== null && wanted(n)) numbers.push(i + 2);
  });
  const table = readRowsAt(layout, numbers);
  const seen = new Set<number>();
  const rows = table.rows
    .map((row, i) => ({
      id: parseId(prefix, asText(row[layout.columns[idHeader]]))!,
      row,
      sheetRow: table.rowNumbers![i],
    }))
    // A copied row carries its original's ID until the next edit gives it one of its own.
    .filter((r) => r.id !== null && wanted(r.id) && !seen.has(r.id) && seen.add(r.id))
    .sort((a, b) => a.id - b.id);
  return { table, rows };
}

/** Registry entries as exported: every column but the seal, as text. */
function registryRows(
  ss: Spreadsheet,
  tz: string,
  wanted: (n: number) => boolean,
): { id: number; row: ExportRow; sheetRow: number }[] {
  const { table, rows } = rowsById(ss, REGISTRY, 'ID', 'AI', wanted);
  return rows.map((r) => {
    const record = recordOf(table, r.row);
    const row: Record<string, string> = {};
    for (const c of REGISTRY_EXPORT_COLUMNS)
      row[c] = cellText(record[c], patternOf(REGISTRY, c), tz);
    return { id: r.id, row, sheetRow: r.sheetRow };
  });
}

/** Jira's one date format: a day alone is that day at 00:00; anything else is left blank. */
function jiraDate(v: Cell | undefined, tz: string): string {
  if (isDate(v)) return Utilities.formatDate(v, tz, JIRA_DATE_FORMAT);
  const text = asText(v).trim();
  if (/^\d{4}-\d{2}-\d{2}$/.test(text)) return `${text} 00:00`;
  return /^\d{4}-\d{2}-\d{2} \d{2}:\d{2}$/.test(text) ? text : '';
}

/** Tier 3 reviews joined with their registry entries, in Review ID order. */
function jiraReviews(
  ss: Spreadsheet,
  tz: string,
  wanted: (n: number) => boolean,
): { id: number; review: JiraReview }[] {
  const { table, rows } = rowsById(ss, REVIEWS, 'Review ID', 'R', wanted);
  const records = rows.map((r) => ({ id: r.id, record: recordOf(table, r.row) }));
  const entryIds = new Set(
    records.map((r) => parseId('AI', asText(r.record['Registry ID']))).filter((n) => n !== null),
  );
  const entries = new Map(
    entryIds.size === 0
      ? []
      : registryRows(ss, tz, (n) => entryIds.has(n)).map((e) => [e.row['ID'], e] as const),
  );
  const sheet = ss.getSheetByName(REGISTRY.name);
  const link = (row: number) =>
    sheet ? `${ss.getUrl()}#gid=${sheet.getSheetId()}&range=A${row}` : ss.getUrl();
  return records.map(({ id, record: r }) => {
    const found = entries.get(asText(r['Registry ID']).trim());
    const e = found?.row;
    return {
      id,
      review: {
        reviewId: asText(r['Review ID']).trim(),
        registryId: asText(r['Registry ID']).trim(),
        project: e ? e['Project'] : asText(r['Project']),
        creator: asText(r['Creator Email']),
        status: asText(r['Status']).trim(),
        opened: jiraDate(r['Opened'], tz),
        due: jiraDate(r['Due'], tz),
        assignedTo: asText(r['Assigned To']),
        threatModel: asText(r['Threat Model']).trim(),
        notes: asText(r['Notes']),
        entry:
          e && found
            ? {
                purpose: e['Business Purpose'],
                creator: e['Creator Email'],
                registeredBy: e['Registered By'],
                department: e['Department'],
                dataTier: e['Data Tier'],
                dataStores: e['Data Stores'],
                aiTool: e['AI Tool'],
                aiToolVersion: e['AI Tool Version'],
                deploymentStatus: e['Deployment Status'],
                link: link(found.sheetRow),
              }
            : null,
      },
    };
  });
}

const day = (who: Exporter) => Utilities.formatDate(who.now, who.timeZone, DATE_PATTERN);

function metaOf(ss: Spreadsheet, who: Exporter): ExportMeta {
  return {
    spreadsheet: ss.getName(),
    exportedAt: Utilities.formatDate(who.now, who.timeZone, "yyyy-MM-dd'T'HH:mm:ssXXX"),
    exportedBy: who.user,
    timeZone: who.timeZone,
  };
}

const FORMATS: Record<ExportKind, readonly Format[]> = { jira: ['csv'], registry: ['csv', 'json'] };
const TYPE: Record<Format, OfferedFile['type']> = { csv: 'text/csv', json: 'application/json' };
const PREFIX: Record<ExportKind, 'AI' | 'R'> = { jira: 'R', registry: 'AI' };
const WHAT: Record<ExportKind, string> = { jira: 'Reviews for Jira', registry: 'Registry' };

const fileName = (kind: ExportKind, who: Exporter, format: Format, part?: Part) =>
  `governed-path-${kind === 'jira' ? 'jira-reviews' : 'registry'}-${day(who)}${part && part.of > 1 ? `-part-${part.number}-of-${part.of}` : ''}.${format}`;

function counted(kind: ExportKind, n: number): string {
  const [one, many] = kind === 'jira' ? ['Tier 3 review', 'Tier 3 reviews'] : ['entry', 'entries'];
  return `${n.toLocaleString('en-US')} ${n === 1 ? one : many}`;
}

/** What an export holds: its rows' ID numbers, each format's size, and its files' text. */
interface Built {
  readonly ids: number[];
  /** Per row, the larger of its formats' lines (one plan of parts serves both). */
  readonly sizes: number[];
  readonly total: number;
  readonly text: (format: Format, part?: Part) => string;
}

function build(
  ss: Spreadsheet,
  kind: ExportKind,
  who: Exporter,
  wanted: (n: number) => boolean,
): Built {
  if (kind === 'jira') {
    const reviews = jiraReviews(ss, who.timeZone, wanted);
    const list = reviews.map((r) => r.review);
    const sizes = list.map((r) => jiraCsvSize(r, day(who)));
    return {
      ids: reviews.map((r) => r.id),
      sizes,
      total: sizes.reduce((a, b) => a + b, 0),
      text: () => jiraCsv(list, day(who)),
    };
  }
  const entries = registryRows(ss, who.timeZone, wanted);
  const rows = entries.map((e) => e.row);
  const csv = rows.map(registryCsvSize);
  const json = rows.map((r) => registryJsonLine(r).length + 2);
  return {
    ids: entries.map((e) => e.id),
    sizes: rows.map((_, i) => Math.max(csv[i], json[i])),
    total: [...csv, ...json].reduce((a, b) => a + b, 0),
    text: (format, part) =>
      format === 'csv' ? registryCsv(rows) : registryJson(rows, metaOf(ss, who), part),
  };
}

function record(ss: Spreadsheet, who: Exporter, field: string, detail: string): void {
  appendAudit(
    ss,
    [
      {
        actor: who.user,
        action: 'Exported',
        registryId: '',
        field,
        oldValue: '',
        newValue: detail,
      },
    ],
    who.now,
  );
}

const HELP: Record<ExportKind, string> = {
  jira: `In Jira: System › External system import › CSV (or Import issues in the project), choose this file, keep the encoding UTF-8 and enter ${JIRA_DATE_FORMAT} as the date format. Map External ID to a text field, so a later import can be matched.`,
  registry:
    "The CSV opens in Excel, Sheets and LibreOffice: text starting with =, +, -, @, tab or CR carries a leading ' so it is shown, not run. The JSON keeps every value exactly as recorded, with who exported it and when.",
};

/**
 * What the menu shows: a dialog with the files inside it, or (too large for one dialog) a
 * button per part, fetched when clicked. A sentence instead when there is nothing to export.
 * The export is recorded in the Audit Log before anything is shown (the caller holds the
 * registry).
 */
export function exportDialog(
  ss: Spreadsheet,
  kind: ExportKind,
  who: Exporter,
): { dialog: ExportDialog } | { nothing: string } {
  const all = build(ss, kind, who, () => true);
  const count = counted(kind, all.ids.length);
  if (all.ids.length === 0)
    return {
      nothing:
        kind === 'jira'
          ? 'There are no Tier 3 reviews to export yet.'
          : 'The registry has no entries to export yet.',
    };
  const formats = FORMATS[kind];
  const choice = (f: Format) => (kind === 'jira' ? ('' as const) : f);
  if (all.total <= DIALOG_TEXT_MAX) {
    record(ss, who, `${WHAT[kind]} (${formats.map((f) => f.toUpperCase()).join(' and ')})`, count);
    return {
      dialog: {
        intro:
          kind === 'jira'
            ? `${count}, one Jira issue each, in a CSV file for Jira's importer.`
            : `${count} of the registry, every column but the hidden seal. Choose a format and download.`,
        help: HELP[kind],
        files: formats.map((f) => ({
          label: `Download ${f.toUpperCase()}`,
          name: fileName(kind, who, f),
          type: TYPE[f],
          format: choice(f),
          text: all.text(f),
        })),
      },
    };
  }
  const parts = planParts(
    all.ids.map((id, i) => ({ id, size: all.sizes[i] })),
    PART_PLAN_MAX,
  );
  const id = (n: number) => formatId(PREFIX[kind], n);
  record(
    ss,
    who,
    `${WHAT[kind]} (offered in ${parts.length} parts)`,
    `${count}; each part downloaded is recorded too`,
  );
  return {
    dialog: {
      intro: `${count}: too large to hand over at once (${(all.total / 1e6).toFixed(1)} MB), so in ${parts.length} parts by ID, each a file of its own with its own header. Download every part.`,
      help: HELP[kind],
      files: formats.flatMap((f) =>
        parts.map((p) => ({
          label: `Part ${p.number} of ${p.of}: ${id(p.first)} to ${id(p.last)}`,
          name: fileName(kind, who, f, p),
          type: TYPE[f],
          format: choice(f),
          fetch: [kind, f, p.first, p.last, p.number, p.of] as const,
        })),
      ),
    },
  };
}

/** One part, asked for by the dialog: the same ID range read again, recorded. */
export function exportPart(
  ss: Spreadsheet,
  kind: ExportKind,
  format: Format,
  part: Part,
  who: Exporter,
): { text: string; rows: number } {
  const built = build(ss, kind, who, (n) => n >= part.first && n <= part.last);
  const text = built.text(format, part);
  if (text.length > PART_TEXT_MAX)
    throw new UserError(
      'This part has grown since the dialog opened and is now too large: close the dialog and export again.',
    );
  record(
    ss,
    who,
    `${WHAT[kind]} (${format.toUpperCase()}), part ${part.number} of ${part.of}: ${formatId(PREFIX[kind], part.first)} to ${formatId(PREFIX[kind], part.last)}`,
    counted(kind, built.ids.length),
  );
  return { text, rows: built.ids.length };
}
