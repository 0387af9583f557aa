/**
 * Exports for ticketing and audit (issue 18): the registry as CSV or JSON, and the Tier 3
 * reviews as a CSV in Jira's import format. Pure: the sheets layer reads the rows (values as
 * text, dates formatted in the settings' time zone) and this module writes the files and the
 * dialog that hands them over.
 */
import { escapeHtml } from './mail';
import { isHttpsLink, needsNeutralising } from './injection';
import { formatId } from './ids';
import { IMPORTED_BY } from './inventory';
import { isWaitingReview, REGISTRY } from './schema';
import { isEmail } from './settings';

// ---------------------------------------------------------------- CSV (RFC 4180)

/**
 * A cell of a CSV file: text from people (always neutralised), or a number, boolean or blank
 * the add-on itself wrote (Business Days), which is written as it is.
 */
export type CsvCell = string | number | boolean | null;

/**
 * One field. Text starting with `=`, `+`, `-`, `@`, tab or CR gets a leading `'` (OWASP CSV
 * injection, CWE-1236), so Excel, Sheets and LibreOffice show it as text instead of running
 * it. A field holding a comma, quote, CR or LF is quoted with its quotes doubled (RFC 4180);
 * so is one holding a semicolon or tab, which some locales' spreadsheets split on, so that a
 * `;=…` inside a value can never become a cell of its own.
 */
export function csvField(value: CsvCell): string {
  let text = value === null ? '' : String(value);
  if (typeof value === 'string' && (needsNeutralising(text) || formulaAfterSpace(text)))
    text = `'${text}`;
  return /[",;\t\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

/**
 * A formula behind leading blanks (spaces, no-break and zero-width spaces, a line break, a
 * byte-order or direction mark) or with a full-width sign (＝, ＋, －, ＠): a reader that trims
 * or folds the text before deciding may still run it.
 */
function formulaAfterSpace(text: string): boolean {
  return /^[\s\u00a0\u200b-\u200f\u202a-\u202e\u2060\ufeff]*[=+\-@\uff1d\uff0b\uff0d\uff20]/.test(
    text,
  );
}

/**
 * At most `max` UTF-16 units (what Jira and Java count), cut between characters: never
 * inside an emoji's surrogate pair.
 */
export function clip(text: string, max: number): string {
  if (text.length <= max) return text;
  let out = '';
  for (const ch of text) {
    if (out.length + ch.length > max - 1) break;
    out += ch;
  }
  return `${out}…`;
}

/** One record: its fields joined by commas. */
export function csvLine(row: readonly CsvCell[]): string {
  return row.map(csvField).join(',');
}

/** Records separated by CRLF (RFC 4180 §2.1), no line break after the last one. */
export function toCsv(rows: readonly (readonly CsvCell[])[]): string {
  return rows.map(csvLine).join('\r\n');
}

/**
 * The registry's CSV starts with a UTF-8 byte-order mark: Excel reads a CSV without one in the
 * computer's legacy code page (é becomes Ã©), while Sheets, LibreOffice and Python's
 * `utf-8-sig` skip it. The Jira file has none: Jira's importer is told the encoding in its
 * wizard, and a mark it kept would become part of the first header ("Summary", required).
 */
export const UTF8_BOM = '\uFEFF';

// ---------------------------------------------------------------- the registry

/** The registry's columns in an export: every column of DESIGN §2 but the hidden seal. */
export const REGISTRY_EXPORT_COLUMNS: readonly string[] = REGISTRY.columns
  .filter((c) => !c.hidden)
  .map((c) => c.header);

/** A registry entry as exported: each column's value as text. */
export type ExportRow = Readonly<Record<string, string>>;

/** Who exported what, when: the JSON's header object and the dialog's wording. */
export interface ExportMeta {
  readonly spreadsheet: string;
  /** ISO 8601 with the settings' offset, e.g. 2026-11-24T10:00:00-05:00. */
  readonly exportedAt: string;
  readonly exportedBy: string;
  readonly timeZone: string;
}

/** One part of an export split to fit (see planParts). */
export interface Part {
  /** 1-based. */
  readonly number: number;
  readonly of: number;
  /** The first and last ID numbers the part covers (AI-0001 → 1). */
  readonly first: number;
  readonly last: number;
  readonly rows: number;
}

const registryValues = (row: ExportRow) => REGISTRY_EXPORT_COLUMNS.map((c) => row[c] ?? '');

export function registryCsv(rows: readonly ExportRow[]): string {
  return UTF8_BOM + toCsv([REGISTRY_EXPORT_COLUMNS, ...rows.map(registryValues)]);
}

/** What one entry adds to the registry's CSV (its line and line break). */
export function registryCsvSize(row: ExportRow): number {
  return csvLine(registryValues(row)).length + 2;
}

/** One entry as a JSON object, its columns in the export's order. */
export function registryJsonLine(row: ExportRow): string {
  return JSON.stringify(Object.fromEntries(REGISTRY_EXPORT_COLUMNS.map((c) => [c, row[c] ?? ''])));
}

/** What the JSON says about its values (JSON is data, not a formula surface). */
export const JSON_VALUES_NOTE =
  'Every value is text exactly as recorded in the sheet, dates as yyyy-MM-dd and timestamps as yyyy-MM-dd HH:mm in the time zone above. Nothing is neutralised: JSON is not a formula surface. Treat the values as untrusted text, and neutralise a leading =, +, -, @, tab or CR before writing one into a spreadsheet.';

/**
 * The registry as JSON: a header object and one object per entry, values as text. One entry
 * per line, so a diff of two exports shows the entries that changed.
 */
export function registryJson(rows: readonly ExportRow[], meta: ExportMeta, part?: Part): string {
  const header = {
    kind: 'Governed Path registry',
    spreadsheet: meta.spreadsheet,
    exportedAt: meta.exportedAt,
    exportedBy: meta.exportedBy,
    timeZone: meta.timeZone,
    rowCount: rows.length,
    columns: REGISTRY_EXPORT_COLUMNS,
    values: JSON_VALUES_NOTE,
    ...(part && part.of > 1
      ? {
          part: {
            number: part.number,
            of: part.of,
            firstId: formatId('AI', part.first),
            lastId: formatId('AI', part.last),
          },
        }
      : {}),
  };
  const lines = rows.map(registryJsonLine);
  return `{"export":${JSON.stringify(header)},\n"rows":[${lines.length ? `\n${lines.join(',\n')}\n` : ''}]}\n`;
}

// ---------------------------------------------------------------- Jira

/**
 * The one date format of the Jira file (Java SimpleDateFormat, as Jira's importer asks for it
 * in its "Date format" box): Created is the review's opening time, Due Date the day it is due
 * at 00:00, both in the settings' time zone.
 */
export const JIRA_DATE_FORMAT = 'yyyy-MM-dd HH:mm';

/**
 * Jira's CSV importer maps columns by header (a Summary column is required; headers without
 * punctuation) and takes several values of a multi-value field such as Labels from columns of
 * the same name. External ID carries the Review ID for a custom field, so a later import can
 * be matched against what an earlier one created.
 */
export const JIRA_HEADERS = [
  'Summary',
  'Issue Type',
  'Description',
  'Priority',
  'Labels',
  'Labels',
  'Labels',
  'Due Date',
  'Created',
  'Status',
  'Reporter',
  'Assignee',
  'External ID',
] as const;

/** A registry entry as the Jira description shows it (values as text). */
export interface JiraEntry {
  readonly purpose: string;
  readonly creator: string;
  readonly registeredBy: string;
  readonly department: string;
  readonly dataTier: string;
  readonly dataStores: string;
  readonly aiTool: string;
  readonly aiToolVersion: string;
  readonly deploymentStatus: string;
  /** A link to the entry's row in the Registry sheet. */
  readonly link: string;
}

/** A Tier 3 review joined with its registry entry (null: the entry was not found). */
export interface JiraReview {
  readonly reviewId: string;
  readonly registryId: string;
  readonly project: string;
  readonly creator: string;
  readonly status: string;
  /** yyyy-MM-dd HH:mm (JIRA_DATE_FORMAT), or ''. */
  readonly opened: string;
  readonly due: string;
  readonly assignedTo: string;
  readonly threatModel: string;
  readonly notes: string;
  readonly entry: JiraEntry | null;
}

/** Jira's default priorities, from how urgent the review is on `today` (yyyy-MM-dd). */
export function jiraPriority(review: JiraReview, today: string): string {
  if (!isWaitingReview(review.status)) return 'Low';
  if (review.due !== '' && review.due.slice(0, 10) < today) return 'Highest';
  return review.entry?.deploymentStatus === 'Production' ? 'High' : 'Medium';
}

/** A label Jira accepts (no spaces): lower case letters and digits joined by hyphens. */
export function labelSlug(text: string): string {
  return text
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/[^\p{L}\p{N}]+/gu, '-')
    .replace(/^-+|-+$/g, '')
    .slice(0, 50)
    .replace(/-+$/, '');
}

const oneLine = (text: string) => text.replace(/\s+/g, ' ').trim();

/** Jira's summary holds at most 255 characters on one line (Summary is plain text in Jira). */
function summaryOf(review: JiraReview): string {
  return clip(oneLine(`Tier 3 security review: ${review.registryId} ${review.project}`), 255);
}

/**
 * People's text in a Jira description, where wiki markup would render it (`[text|url]` a
 * link, `!url!` an image every viewer loads, `[~name]` a mention, `{html}` a macro, `|` a
 * table): those characters are escaped with a backslash, so Jira shows them as typed.
 */
function literal(text: string): string {
  return text.replace(/[[\]{}!|\\]/g, (c) => `\\${c}`).trim();
}

/** Jira refuses a description over 32,767 characters: people's text is kept well inside it. */
const PERSON_TEXT_MAX = 4000;
export const DESCRIPTION_MAX = 32000;

function descriptionOf(review: JiraReview): string {
  const e = review.entry;
  const said = (text: string, none = 'none') => literal(clip(text, PERSON_TEXT_MAX)) || none;
  const lines = [
    `Governed Path review ${review.reviewId} of registry entry ${review.registryId} (${said(oneLine(review.project), 'no project name')}).`,
    '',
  ];
  if (e) {
    lines.push(
      `Business purpose: ${said(e.purpose)}`,
      `Creator: ${said(e.creator)}${e.registeredBy && e.registeredBy !== e.creator ? ` (registered by ${said(e.registeredBy)})` : ''}`,
      `Department: ${said(e.department)}`,
      `Data tier: ${said(e.dataTier)}`,
      `Data stores: ${said(e.dataStores, 'none named')}`,
      `AI tool: ${said(`${e.aiTool} ${e.aiToolVersion}`.trim())}`,
      `Deployment status: ${said(e.deploymentStatus)}`,
      `Registry row (at export): ${e.link}`,
    );
  } else {
    lines.push(
      `Creator: ${said(review.creator)}`,
      `The registry entry ${review.registryId} was not found when this file was exported.`,
    );
  }
  lines.push(
    `Threat model: ${isHttpsLink(review.threatModel) ? review.threatModel : 'none yet'}`,
    `Notes: ${said(review.notes)}`,
  );
  return clip(lines.join('\n'), DESCRIPTION_MAX);
}

const emailOr = (...candidates: string[]) =>
  candidates.map((c) => c.trim().toLowerCase()).find((c) => isEmail(c)) ?? '';

/** One Jira issue per review, in the order of JIRA_HEADERS. */
export function jiraRow(review: JiraReview, today: string): string[] {
  return [
    summaryOf(review),
    'Task',
    descriptionOf(review),
    jiraPriority(review, today),
    'governed-path',
    'tier-3',
    labelSlug(review.entry?.department ?? ''),
    review.due,
    review.opened,
    review.status,
    // Who registered it, when that is an address (an import's entry names the importer);
    // never a typed Creator Email, which Jira might make a user of.
    emailOr(
      review.entry?.registeredBy.startsWith(IMPORTED_BY)
        ? review.entry.registeredBy.slice(IMPORTED_BY.length)
        : (review.entry?.registeredBy ?? ''),
    ),
    emailOr(review.assignedTo),
    review.reviewId,
  ];
}

export function jiraCsv(reviews: readonly JiraReview[], today: string): string {
  return toCsv([JIRA_HEADERS, ...reviews.map((r) => jiraRow(r, today))]);
}

/** What one review adds to the Jira CSV (its line and line break). */
export function jiraCsvSize(review: JiraReview, today: string): number {
  return csvLine(jiraRow(review, today)).length + 2;
}

// ---------------------------------------------------------------- size and parts

/**
 * How much file text one dialog carries, and one part fetched by the dialog. Google documents
 * no size limit for an HtmlOutput or a google.script.run result (neither the HtmlOutput
 * reference nor the quotas page names one), so these stay well below sizes known to work:
 * a registry of a few thousand entries opens with its files inside the dialog; a larger one
 * is offered in parts, each a file of its own.
 */
export const DIALOG_TEXT_MAX = 4_000_000;
export const PART_TEXT_MAX = 3_000_000;
/**
 * What a part is planned to hold: below PART_TEXT_MAX by room for its header (the JSON's
 * header object, the CSV's header row) and for entries edited longer before it is fetched.
 */
export const PART_PLAN_MAX = 2_500_000;

/**
 * Parts of at most `max` characters, in ID order: each a range of ID numbers, so a part asked
 * for later holds the same entries even if people sorted the sheet or registered more since
 * (new IDs are higher). `items` are ID numbers with the size of their line in the file.
 */
export function planParts(
  items: readonly { readonly id: number; readonly size: number }[],
  max: number,
): Part[] {
  const sorted = [...items].sort((a, b) => a.id - b.id);
  const ranges: { first: number; last: number; rows: number }[] = [];
  let size = 0;
  for (const item of sorted) {
    const current = ranges[ranges.length - 1];
    if (current && size + item.size <= max) {
      current.last = item.id;
      current.rows++;
      size += item.size;
    } else {
      ranges.push({ first: item.id, last: item.id, rows: 1 });
      size = item.size;
    }
  }
  return ranges.map((r, i) => ({ ...r, number: i + 1, of: ranges.length }));
}

// ---------------------------------------------------------------- the dialog

/** A file the dialog offers: inside it (`text`), or a part it fetches when clicked. */
export interface OfferedFile {
  /** The button's caption. */
  readonly label: string;
  readonly name: string;
  readonly type: 'text/csv' | 'application/json';
  /** Which radio group offers it (the registry's CSV or JSON); '' when there is no choice. */
  readonly format: 'csv' | 'json' | '';
  readonly text?: string;
  /** A part: what the dialog asks exportPart for. */
  readonly fetch?: readonly [
    kind: ExportKind,
    format: 'csv' | 'json',
    first: number,
    last: number,
    part: number,
    of: number,
  ];
}

export type ExportKind = 'registry' | 'jira';

export interface ExportDialog {
  /** What the files hold, one sentence (e.g. "12 entries of the registry …"). */
  readonly intro: string;
  /** How to use them (import steps, the date format), one sentence or two. */
  readonly help: string;
  readonly files: readonly OfferedFile[];
}

/** JSON inside a <script> element: nothing in it can close the element or the line. */
const scriptJson = (value: unknown) =>
  JSON.stringify(value)
    .replace(/</g, '\\u003c')
    .replace(/\u2028/g, '\\u2028')
    .replace(/\u2029/g, '\\u2029');

/**
 * The modal dialog: a sentence, a download button per file (with a CSV/JSON choice when both
 * are offered), a copy button for a file inside it, and the files as JSON data the page's own
 * script turns into a download (a Blob and an <a download>: the HtmlService frame's sandbox
 * allows downloads). People's values appear only inside that JSON and escaped text.
 */
export function exportDialogHtml(dialog: ExportDialog): string {
  const choice = dialog.files.some((f) => f.format === 'json');
  const formats = choice
    ? `<fieldset><legend>Format</legend>
<label><input type="radio" name="format" value="csv" checked> CSV (Excel, Sheets, LibreOffice; formulas neutralised)</label><br>
<label><input type="radio" name="format" value="json"> JSON (scripts and audit tools; values as recorded)</label></fieldset>`
    : '';
  const buttons = dialog.files
    .map(
      (f, i) =>
        `<button type="button" class="download" data-file="${i}" data-format="${f.format}"${f.format === 'json' ? ' hidden' : ''}>${escapeHtml(f.label)}</button>`,
    )
    .join('\n');
  const inside = dialog.files.some((f) => f.text !== undefined);
  const files = dialog.files.map((f) => ({
    name: f.name,
    type: `${f.type};charset=utf-8`,
    format: f.format,
    ...(f.text !== undefined ? { text: f.text } : { fetch: f.fetch }),
  }));
  return `<!doctype html><html><head><base target="_top"><style>
body{font:13px Arial,sans-serif;color:#202124;margin:16px}
fieldset{border:1px solid #dadce0;border-radius:4px;margin:0 0 12px;padding:8px 12px}
.buttons{display:flex;flex-wrap:wrap;gap:8px;margin:12px 0}
button{font:inherit;padding:6px 14px;background:#1a73e8;color:#fff;border:0;border-radius:4px;cursor:pointer}
button.secondary{background:#fff;color:#1a73e8;border:1px solid #dadce0}
button[disabled]{opacity:.6;cursor:default}
#status{min-height:1.4em;color:#137333}#status.error{color:#c5221f}
</style></head><body>
<p id="intro">${escapeHtml(dialog.intro)}</p>
${formats}
<div class="buttons">
${buttons}${inside ? '\n<button type="button" id="copy" class="secondary">Copy</button>' : ''}
</div>
<p id="status" role="status"></p>
<p id="help">${escapeHtml(dialog.help)}</p>
<script type="application/json" id="export-files">${scriptJson(files)}</script>
<script>
var files = JSON.parse(document.getElementById('export-files').textContent);
var statusLine = document.getElementById('status');
function say(text, error) { statusLine.textContent = text; statusLine.className = error ? 'error' : ''; }
function format() { var r = document.querySelector('input[name=format]:checked'); return r ? r.value : ''; }
function shown() { return files.filter(function (f) { return f.format === '' || f.format === format(); }); }
function save(file, text) {
  var url = URL.createObjectURL(new Blob([text], { type: file.type }));
  var a = document.createElement('a');
  a.href = url; a.download = file.name; a.style.display = 'none';
  document.body.appendChild(a); a.click(); a.remove();
  setTimeout(function () { URL.revokeObjectURL(url); }, 60000);
  say('Saved ' + file.name + ' to your downloads.');
}
document.querySelectorAll('input[name=format]').forEach(function (r) {
  r.addEventListener('change', function () {
    document.querySelectorAll('button.download').forEach(function (b) {
      b.hidden = b.getAttribute('data-format') !== '' && b.getAttribute('data-format') !== format();
    });
    say('');
  });
});
document.querySelectorAll('button.download').forEach(function (b) {
  b.addEventListener('click', function () {
    var file = files[Number(b.getAttribute('data-file'))];
    if (file.text !== undefined) return save(file, file.text);
    b.disabled = true; say('Preparing ' + file.name + ' …');
    google.script.run
      .withSuccessHandler(function (part) { b.disabled = false; save(file, part.text); })
      .withFailureHandler(function (error) {
        b.disabled = false;
        say((error && error.message ? error.message : 'The export failed.') + ' If you are signed in to several Google accounts, open the spreadsheet in a window signed in to this one only.', true);
      })
      .exportPart(file.fetch[0], file.fetch[1], file.fetch[2], file.fetch[3], file.fetch[4], file.fetch[5]);
  });
});
var copy = document.getElementById('copy');
if (copy) copy.addEventListener('click', function () {
  var file = shown()[0];
  var area = document.createElement('textarea');
  area.value = file.text; area.setAttribute('readonly', ''); area.style.position = 'fixed'; area.style.opacity = '0';
  document.body.appendChild(area); area.select();
  var ok = false; try { ok = document.execCommand('copy'); } catch (e) { ok = false; }
  area.remove();
  say(ok ? 'Copied ' + file.name + ': paste it into a file of that name.' : 'Copying is blocked here: use the download button.', !ok);
});
</script></body></html>`;
}

/** What the dialog asks exportPart for, checked (it comes from the browser). */
export interface PartRequest {
  readonly kind: ExportKind;
  readonly format: 'csv' | 'json';
  readonly part: Part;
}

const whole = (v: unknown, max: number): v is number =>
  typeof v === 'number' && Number.isInteger(v) && v >= 1 && v <= max;

/** The request, or a sentence saying what is wrong with it. */
export function partRequest(args: readonly unknown[]): PartRequest | string {
  const [kind, format, first, last, number, of] = args;
  if (kind !== 'registry' && kind !== 'jira') return 'Choose the registry or the Jira export.';
  if (format !== 'csv' && (format !== 'json' || kind === 'jira'))
    return kind === 'jira' ? 'The Jira export is a CSV file.' : 'Choose CSV or JSON.';
  if (!whole(first, 9_999_999) || !whole(last, 9_999_999) || first > last)
    return 'The part names no range of IDs: close the dialog and export again.';
  if (!whole(of, 1000) || !whole(number, of))
    return 'The part number is not one of the parts: close the dialog and export again.';
  return { kind, format, part: { number, of, first, last, rows: 0 } };
}
