import { isHttpsLink, LINK_MAX } from '../domain/injection';
import { parseId } from '../domain/ids';
import { GATE_CHECK } from '../domain/policy';
import { secondApprovers } from '../domain/lifecycle';
import { nextAssignee } from './registry';
import { notReadySentence } from './columns';
import { registryProperties } from '../services/store';
import { normaliseDecision } from '../domain/entry';
import { businessDaysBetween } from '../domain/calendar';
import { INPUT_FIELDS, validateEntry, type InputField, type RawEntry } from '../domain/entry';
import { neutralise } from '../domain/injection';
import {
  DATE_PATTERN,
  REGISTRY,
  REVIEW_DECISIONS,
  REVIEWS,
  isWaitingReview,
  type SheetSpec,
} from '../domain/schema';
import type { Settings } from '../domain/settings';
import type { EntrySummary, Notification, RegistryEvent } from '../domain/slack';
import type { PersonalItem } from '../domain/mail';
import { UserError } from '../errors';
import { appendAudit, auditEntryCount, type AuditEntry } from './audit-log';
import { asText, isDate } from './catalog';
import { growFormatted, HEADROOM } from './column-formats';
import { processRegistryEdit } from './registry';
import {
  disagreeing,
  ownedTexts,
  REGISTRY_SEAL,
  restoreOwned,
  REVIEWS_SEAL,
  reviewConflicts,
  rowOwners,
  sealer,
  sealOf,
  sealRows,
  sha256Hex,
} from './seals';
import { isEmail } from '../domain/settings';
import {
  findRows,
  findRowsOf,
  readColumnsOf,
  readLayout,
  readRowsAt,
  recordOf,
  writeRows,
  type Cell,
  type Layout,
  type Table,
} from './table';

/** The longest review note (the Notes cell, the creator's mail). */
const NOTE_MAX = 2000;

type Spreadsheet = GoogleAppsScript.Spreadsheet.Spreadsheet;

/** The sidebar's form (DESIGN §9). */
export interface RegisterForm {
  creatorEmail: string;
  department: string;
  project: string;
  businessPurpose: string;
  dataTier: string;
  dataStores: string[];
  aiTool: string;
  aiToolVersion: string;
  deploymentStatus: string;
}

export interface RegisterResult {
  id: string | null;
  approval: string;
  checks: string[];
  reviewDue: string | null;
}

const FORM_FIELDS: Record<keyof RegisterForm, InputField> = {
  creatorEmail: 'Creator Email',
  department: 'Department',
  project: 'Project',
  businessPurpose: 'Business Purpose',
  dataTier: 'Data Tier',
  dataStores: 'Data Stores',
  aiTool: 'AI Tool',
  aiToolVersion: 'AI Tool Version',
  deploymentStatus: 'Deployment Status',
};

/** A double-click (or a retried request) within this window returns the first registration. */
const DUPLICATE_WINDOW_MS = 10 * 60 * 1000;

function formToRaw(form: unknown): { raw: RawEntry; problems: string[] } {
  const problems: string[] = [];
  if (typeof form !== 'object' || form === null || Array.isArray(form)) {
    return { raw: {}, problems: ['The form could not be read. Reload the sidebar and try again.'] };
  }
  const f = form as Record<string, unknown>;
  const raw: RawEntry = {};
  for (const [key, field] of Object.entries(FORM_FIELDS) as [keyof RegisterForm, InputField][]) {
    const value = f[key];
    if (key === 'dataStores') {
      if (value === undefined || value === null) raw[field] = '';
      else if (Array.isArray(value) && value.every((v) => typeof v === 'string'))
        raw[field] = value.join(', ');
      else problems.push('Data Stores must be a list of data store names.');
      continue;
    }
    if (value === undefined || value === null) raw[field] = '';
    else if (typeof value === 'string') raw[field] = value;
    else problems.push(`${field} must be text.`);
  }
  return { raw, problems };
}

/**
 * Registers a project from the sidebar: validated on the server (the browser's check is only
 * for speed), written as one new row under the caller's document lock, then decided by the
 * same policy as a typed row. A malformed form writes nothing.
 */
export function registerProject(
  ss: Spreadsheet,
  form: unknown,
  user: string,
  settings: Settings,
  now: Date,
): { result: RegisterResult; events: RegistryEvent[] } {
  const { raw, problems } = formToRaw(form);
  const validation = validateEntry(raw, settings.departments);
  if (problems.length > 0 || !validation.entry) {
    const checks = [...problems, ...validation.problems];
    return { result: { id: null, approval: 'Needs Info', checks, reviewDue: null }, events: [] };
  }
  const layout = readLayout(ss, REGISTRY);
  if (!layout) throw new UserError(notReadySentence(REGISTRY));
  const cols = layout.columns;

  // The same form sent again within minutes (a double click, a retry after a slow answer) is
  // answered with the first registration, from a short list kept in the store: no read of the
  // Registry. A different form is a new registration (DESIGN §9).
  const digest = formDigest(raw);
  const recent = recentForms(now);
  const seen = recent.find((r) => r.digest === digest && r.user === user);
  if (seen) {
    const [found] = findRows(layout.sheet, cols['ID'] + 1, layout.lastRow, seen.id);
    const row = found ? readRowsAt(layout, [found]).rows[0] : null;
    if (row) return { result: resultOf(layout, row, settings.timeZone), events: [] };
  }

  const width = layout.width;
  const rowNumber = layout.lastRow + 1;
  const line: Cell[] = new Array<Cell>(width).fill('');
  for (const field of INPUT_FIELDS) line[cols[field]] = neutralise(String(raw[field] ?? '').trim());
  const sheet = layout.sheet;
  // The Registry grows a block of formatted rows at a time, not a row per registration.
  if (rowNumber > sheet.getMaxRows()) growFormatted(sheet, REGISTRY, cols, HEADROOM);
  sheet.getRange(rowNumber, 1, 1, width).setValues([line]);

  const outcome = processRegistryEdit(
    ss,
    { user, row: rowNumber, column: 1, numRows: 1, numColumns: width, source: 'sidebar' },
    settings,
    now,
    undefined,
    { ...layout, lastRow: rowNumber },
  );
  const decided = outcome.rows.find((r) => r.row === rowNumber);
  if (!decided) throw new Error('The new registry row was not decided.');
  const result: RegisterResult = {
    id: decided.id,
    approval: decided.approval,
    checks: decided.checks,
    reviewDue: decided.reviewDue,
  };
  rememberForm(recent, { digest, user, at: now.getTime(), id: result.id ?? '' });
  return { result, events: outcome.events };
}

const RECENT_FORMS = 'recentForms';
/** At most this many recent registrations are remembered (they expire after 10 minutes). */
const RECENT_LIMIT = 20;

/** A registration of the last minutes: who sent which form, and the entry it became. */
interface RecentForm {
  digest: string;
  user: string;
  at: number;
  id: string;
}

/** A digest of the whole form as it would be written. */
function formDigest(raw: Record<string, unknown>): string {
  return sha256Hex(JSON.stringify(INPUT_FIELDS.map((f) => String(raw[f] ?? '').trim())));
}

function recentForms(now: Date): RecentForm[] {
  try {
    const list = JSON.parse(registryProperties().getProperty(RECENT_FORMS) ?? '[]') as RecentForm[];
    return Array.isArray(list)
      ? list.filter((r) => now.getTime() - r.at < DUPLICATE_WINDOW_MS)
      : [];
  } catch {
    return [];
  }
}

function rememberForm(recent: RecentForm[], form: RecentForm): void {
  // About 160 bytes each: the list stays far inside one property value.
  const kept = [...recent, form].slice(-RECENT_LIMIT);
  // With the lease's release (registrations hold it): a second write of its own is not needed.
  registryProperties().stage(RECENT_FORMS, JSON.stringify(kept));
}

function localDate(v: Cell | undefined, tz: string): string | null {
  return isDate(v) ? Utilities.formatDate(v, tz, DATE_PATTERN) : null;
}

function resultOf(
  registry: Pick<Table, 'columns'>,
  row: readonly Cell[],
  tz: string,
): RegisterResult {
  const r = recordOf(registry, row);
  return {
    id: asText(r['ID']),
    approval: asText(r['Approval']),
    checks: asText(r['Checks'])
      .split('\n')
      .filter((c) => c !== ''),
    reviewDue: localDate(r['Review Due'], tz),
  };
}

export interface MyProject {
  id: string;
  project: string;
  tier: string;
  tool: string;
  approval: string;
  deploymentStatus: string;
  registered: string | null;
  lastConfirmed: string | null;
  reviewDue: string | null;
  checks: string[];
  /** What the creator should do next, in a sentence; empty when nothing is pending. */
  pending: string;
  /** Who may confirm or decommission it and gets its mail (the sealed owner set). */
  owners: string[];
  /** The owners added in the sidebar (the others are fixed at registration). */
  coOwners: string[];
}

/** At most this many co-owners per entry. */
export const MAX_CO_OWNERS = 10;

/** Confirmations older than this ask the creator again (the quarterly cleanup). */
const CONFIRM_AFTER_DAYS = 90;

function pendingFor(p: Omit<MyProject, 'pending'>, today: string): string {
  if (p.deploymentStatus === 'Decommissioned') return '';
  switch (p.approval) {
    case 'Needs Info':
      return p.checks[0] ?? 'Some details are missing: open the row in the Registry.';
    case 'In Review':
      return `Waiting for the security review${p.reviewDue ? ` (due ${p.reviewDue})` : ''}.`;
    case 'Review Overdue':
      return 'The security review is overdue; the security team has been reminded.';
    case 'Changes Requested':
      return 'The security team asked for changes: see the notes, update the row, and the review reopens.';
    case 'Blocked':
      return 'Blocked: regulated data may not be used with AI. Use synthetic data or talk to the security team.';
    case 'Rejected':
      return 'The security review rejected this use of confidential data.';
  }
  const last = p.lastConfirmed ?? p.registered;
  if (!last) return '';
  const age =
    (Date.parse(`${today}T00:00:00Z`) - Date.parse(`${last.slice(0, 10)}T00:00:00Z`)) / 86400000;
  return age > CONFIRM_AFTER_DAYS ? 'Please confirm it is still in use, or decommission it.' : '';
}

export function listMyProjects(ss: Spreadsheet, user: string, tz: string, now: Date): MyProject[] {
  const layout = readLayout(ss, REGISTRY);
  if (!layout || user === '') return [];
  const today = Utilities.formatDate(now, tz, DATE_PATTERN);
  const cols = layout.columns;
  const s = sealer(ss);
  const me = user.trim().toLowerCase();
  // The rows whose seal names the person (its owner list holds them quoted): one search of
  // the Seal column, then those rows only. Each is verified by its seal's MAC.
  const registry = readRowsAt(
    layout,
    findRows(layout.sheet, cols['Seal'] + 1, layout.lastRow, `"${me}"`, true),
  );
  const out: MyProject[] = [];
  for (const row of registry.rows) {
    // Only rows whose seal or Creator Email names the user are verified (one MAC each).
    const sealText = asText(row[cols['Seal']]).toLowerCase();
    const creator = asText(row[cols['Creator Email']]).trim().toLowerCase();
    if (!sealText.includes(`"${me}"`) && creator !== me) continue;
    const owned = rowOwners(s, row, cols);
    if (!owned || !owned.owners.includes(me)) continue;
    out.push(projectOf(registry, row, owned, tz, today));
  }
  return out;
}

function projectOf(
  registry: Table,
  row: readonly Cell[],
  owned: { owners: string[]; coOwners: string[] },
  tz: string,
  today: string,
): MyProject {
  const r = recordOf(registry, row);
  const registered = r['Registered'];
  const base = {
    id: asText(r['ID']),
    project: asText(r['Project']),
    tier: asText(r['Data Tier']),
    tool: asText(r['AI Tool']),
    approval: asText(r['Approval']),
    deploymentStatus: asText(r['Deployment Status']),
    registered: isDate(registered)
      ? Utilities.formatDate(registered, tz, "yyyy-MM-dd'T'HH:mm")
      : null,
    lastConfirmed: localDate(r['Last Confirmed'], tz),
    reviewDue: localDate(r['Review Due'], tz),
    checks: asText(r['Checks'])
      .split('\n')
      .filter((c) => c !== ''),
    owners: owned.owners,
    coOwners: owned.coOwners,
  };
  return { ...base, pending: pendingFor(base, today) };
}

/** The row of an entry by ID, and its owners; a clear sentence when either is missing. */
function ownedEntry(ss: Spreadsheet, id: unknown) {
  if (!readLayout(ss, REGISTRY)) throw new UserError(notReadySentence(REGISTRY));
  // The entry's row alone, found by its ID.
  const found = typeof id === 'string' ? rowById(ss, REGISTRY, 'ID', id) : null;
  if (typeof id !== 'string' || !found)
    throw new UserError(`There is no registry entry ${String(id).slice(0, 20)}.`);
  const { table: registry, rowNumber } = found;
  const s = sealer(ss);
  const owned = rowOwners(s, found.row, registry.columns);
  if (!owned)
    throw new UserError(
      `${id} is being repaired (its seal does not match). Try again after the next check.`,
    );
  // What the add-on owns is what the seal says, whatever the cells say now (an edit not yet
  // examined): it is put back before anything is re-sealed.
  const cols = registry.columns;
  const row = found.row.slice();
  const fields = disagreeing(s, owned.seal, row, cols);
  const current = ownedTexts(row, cols, s.zone);
  restoreOwned(row, cols, owned.seal.o, s.zone, fields);
  const putBack: AuditEntry[] = fields.map((field) => ({
    actor: 'unknown (found before a sidebar change)',
    action: 'Tampering reverted',
    registryId: id,
    field,
    oldValue: owned.seal.o[field] ?? '',
    newValue: current[field] ?? '',
  }));
  return { registry, rowNumber, s, owned, row, putBack };
}

/**
 * Replaces an entry's co-owners (DESIGN §6.1): an owner or the security team may; the owners
 * fixed at registration stay. Sealed, logged, and returned as the owner sees it.
 */
export function setCoOwners(
  ss: Spreadsheet,
  id: unknown,
  emails: unknown,
  user: string,
  isSecurityTeam: boolean,
  now: Date,
  tz: string,
): MyProject {
  if (!Array.isArray(emails) || emails.some((e) => typeof e !== 'string'))
    throw new UserError('Co-owners must be a list of email addresses.');
  const wanted = [...new Set((emails as string[]).map((e) => e.trim().toLowerCase()))].filter(
    (e) => e !== '',
  );
  const bad = wanted.filter((e) => e.length > 254 || !isEmail(e));
  if (bad.length > 0)
    throw new UserError(
      `${bad
        .slice(0, 3)
        .map((e) => `"${e.slice(0, 60)}"`)
        .join(', ')} ${bad.length === 1 ? 'is not an email address' : 'are not email addresses'}.`,
    );
  if (wanted.length > MAX_CO_OWNERS)
    throw new UserError(`An entry can have at most ${MAX_CO_OWNERS} co-owners.`);
  const { registry, rowNumber, s, owned, row, putBack } = ownedEntry(ss, id);
  const me = user.trim().toLowerCase();
  if (!isSecurityTeam && !owned.owners.includes(me))
    throw new UserError(
      'Only an owner of this project, or the security team, can change its co-owners.',
    );
  const fixed = owned.owners.filter((o) => !owned.coOwners.includes(o));
  const coOwners = wanted.filter((e) => !fixed.includes(e));
  // Someone the security team marked as gone owns nothing here again (issue 17).
  const gone = (owned.seal.x ?? []).map((e) => e.toLowerCase());
  const refused = coOwners.filter((e) => gone.includes(e));
  if (refused.length > 0)
    throw new UserError(
      `${refused[0].slice(0, 80)} was marked as gone by the security team, so they cannot co-own ${String(id).slice(0, 20)}.`,
    );
  const audit: AuditEntry[] = [
    ...putBack,
    {
      actor: user,
      action: 'Owners changed',
      registryId: id as string,
      field: 'Co-owners',
      oldValue: owned.coOwners.join(', '),
      newValue: coOwners.join(', '),
    },
  ];
  sealRows(s, [row], [0], registry.columns, audit, REGISTRY_SEAL, new Map([[0, coOwners]]));
  writeRows(registry, rowNumber, [row]);
  appendAudit(ss, audit, now);
  const today = Utilities.formatDate(now, tz, DATE_PATTERN);
  return projectOf(registry, row, rowOwners(s, row, registry.columns)!, tz, today);
}

/**
 * "Still active" sets Last Confirmed to today; "Decommission" also sets the status. Only the
 * creator or the security team may, and nothing is ever deleted.
 */
export function attestProject(
  ss: Spreadsheet,
  id: unknown,
  action: unknown,
  user: string,
  isSecurityTeam: boolean,
  now: Date,
  tz: string,
  /** To decide a decommissioned entry again (its review closes); the callers pass them. */
  settings?: Settings,
): { project: MyProject; events: RegistryEvent[] } {
  if (action !== 'active' && action !== 'decommission') {
    throw new UserError('Choose "Still active" or "Decommission".');
  }
  const { registry, rowNumber, s, owned, row, putBack } = ownedEntry(ss, id);
  const cols = registry.columns;
  if (!owned.owners.includes(user.trim().toLowerCase()) && !isSecurityTeam) {
    throw new UserError(
      'Only an owner of this project (who registered it, its creator or a co-owner), or the security team, can confirm it.',
    );
  }
  const today = Utilities.parseDate(Utilities.formatDate(now, tz, DATE_PATTERN), tz, DATE_PATTERN);
  const audit: AuditEntry[] = [
    ...putBack,
    {
      actor: user,
      action: action === 'active' ? 'Confirmed active' : 'Decommissioned',
      registryId: id as string,
      field: 'Last Confirmed',
      oldValue: localDate(row[cols['Last Confirmed']], tz) ?? '',
      newValue: Utilities.formatDate(now, tz, DATE_PATTERN),
    },
  ];
  row[cols['Last Confirmed']] = today;
  if (action === 'decommission' && asText(row[cols['Deployment Status']]) !== 'Decommissioned') {
    audit.push({
      actor: user,
      action: 'Decommissioned',
      registryId: id as string,
      field: 'Deployment Status',
      oldValue: asText(row[cols['Deployment Status']]),
      newValue: 'Decommissioned',
    });
    row[cols['Deployment Status']] = 'Decommissioned';
  }
  sealRows(s, [row], [0], cols, audit);
  writeRows(registry, rowNumber, [row]);
  let decided = row;
  let events: RegistryEvent[] = [];
  if (action === 'decommission' && settings) {
    // Decommissioning is an input like any other: the entry is decided again on one path (its
    // open review closes, issue 15), and the audit entries go with that decision's append.
    events = redecideEntry(ss, user, rowNumber, audit, settings, now).events;
    const again = rowById(ss, REGISTRY, 'ID', id as string);
    if (again) decided = again.row.slice();
  } else appendAudit(ss, audit, now);
  return {
    project: projectOf(
      registry,
      decided,
      rowOwners(s, row, cols)!,
      tz,
      Utilities.formatDate(now, tz, DATE_PATTERN),
    ),
    events,
  };
}

export interface QueueItem {
  reviewId: string;
  registryId: string;
  project: string;
  creator: string;
  purpose: string;
  tier: string;
  dataStores: string;
  tool: string;
  deploymentStatus: string;
  opened: string | null;
  due: string | null;
  overdue: boolean;
  businessDaysOpen: number;
  /**
   * Approved, but its entry is in Production without a threat model: the team adds the link
   * (decideReview with Approved and the link) and the entry may run.
   */
  needsThreatModel: boolean;
  /** Issue 17: the review's Status word (Open, Re-review Due, First Approval, Approved). */
  status: string;
  /** Who it is assigned to ('' when nobody is), and whether that is the person asking. */
  assignedTo: string;
  assignedToMe: boolean;
  /** A First Approval: who gave it, and who may give the second. */
  firstApprover: string;
  secondApprovers: string[];
}

/** The review queue shows this many reviews at a time, the most urgent first. */
export const QUEUE_PAGE = 30;

export interface ReviewQueue {
  /** The most urgent open reviews (at most QUEUE_PAGE). */
  items: QueueItem[];
  /** Open reviews in all. */
  total: number;
  /** Of them, assigned to the person asking. */
  mine: number;
  /** Who a review may be reassigned to: the security team. */
  team: string[];
}

/**
 * A Registry row costs a read call about as much as this many rows of cells: rows closer
 * than this are read together (apps-script-costs.md).
 */
const ROWS_PER_CALL = 400;

/**
 * Open Tier 3 reviews, overdue first, then by due date: the Reviews sheet's Review ID, Due and
 * Status columns, the page's own Reviews rows, and the page's Registry rows (found by one
 * search of the ID column). What else the sheets hold is not read.
 */
export function listReviewQueue(
  ss: Spreadsheet,
  settings: Settings,
  now: Date,
  user = '',
): ReviewQueue {
  const reviewLayout = readLayout(ss, REVIEWS);
  const layout = readLayout(ss, REGISTRY);
  const team = settings.securityTeam.slice();
  if (!reviewLayout || !layout) return { items: [], total: 0, mine: 0, team };
  const me = user.trim().toLowerCase();
  const assignable = reviewLayout.columns['Assigned To'] !== undefined;
  const tz = settings.timeZone;
  const today = Utilities.formatDate(now, tz, DATE_PATTERN);
  const index = readColumnsOf(reviewLayout, [
    'Review ID',
    'Registry ID',
    'Due',
    'Status',
    'Threat Model',
    ...(assignable ? ['Assigned To'] : []),
  ]);
  // Entries held at the production gate (an approved review without a threat model): found by
  // the sentence their Checks carry, one search; their approved reviews lead the queue.
  const held = new Set(
    readRowsAt(
      layout,
      findRows(layout.sheet, layout.columns['Checks'] + 1, layout.lastRow, GATE_CHECK, true),
    ).rows.map((row) => asText(row[layout.columns['ID']]).trim()),
  );
  const open = index.rows
    .map((row, i) => ({ r: recordOf(index, row), rowNumber: i + 2 }))
    .filter(({ r }) => asText(r['Review ID']) !== '')
    .map(({ r, rowNumber }) => {
      const status = asText(r['Status']).trim();
      const gate =
        status === 'Approved' &&
        asText(r['Threat Model']).trim() === '' &&
        held.has(asText(r['Registry ID']).trim());
      const due = localDate(r['Due'], tz);
      const mine = me !== '' && asText(r['Assigned To']).trim().toLowerCase() === me;
      return { rowNumber, due, overdue: due !== null && due < today, gate, status, mine };
    })
    .filter((o) => isWaitingReview(o.status) || o.gate)
    // Held at the gate first (an entry in production waits on it), then assigned to me
    // (issue 17), overdue, and by due date.
    .sort(
      (a, b) =>
        Number(b.gate) - Number(a.gate) ||
        Number(b.mine) - Number(a.mine) ||
        Number(b.overdue) - Number(a.overdue) ||
        (a.due ?? '').localeCompare(b.due ?? ''),
    );
  const shown = readRowsAt(
    reviewLayout,
    open.slice(0, QUEUE_PAGE).map((o) => o.rowNumber),
    ROWS_PER_CALL,
  );
  const byRow = new Map(shown.rows.map((row, k) => [shown.rowNumbers![k], recordOf(shown, row)]));
  const page = open
    .slice(0, QUEUE_PAGE)
    .map((o) => ({ ...o, r: byRow.get(o.rowNumber) ?? ({} as Record<string, Cell>) }));
  const cols = layout.columns;
  const registry = readRowsAt(
    layout,
    findRowsOf(
      layout.sheet,
      cols['ID'] + 1,
      layout.lastRow,
      page.map(({ r }) => asText(r['Registry ID']).trim()),
    ),
    ROWS_PER_CALL,
  );
  const entries = new Map(
    registry.rows.map((row) => [asText(row[cols['ID']]).trim(), recordOf(registry, row)]),
  );
  const s = sealer(ss);
  const items = page.map(({ r, due, overdue, gate, status, mine }): QueueItem => {
    const e = entries.get(asText(r['Registry ID']).trim()) ?? {};
    const opened = localDate(r['Opened'], tz);
    const firstApprover = status === 'First Approval' ? asText(r['Reviewer']).trim() : '';
    const entryRow = registry.rows.find(
      (row) => asText(row[cols['ID']]).trim() === asText(r['Registry ID']).trim(),
    );
    const owners = firstApprover && entryRow ? reviewConflicts(s, entryRow, cols) : [];
    return {
      reviewId: asText(r['Review ID']),
      registryId: asText(r['Registry ID']),
      project: asText(e['Project'] ?? r['Project']),
      creator: asText(e['Creator Email'] ?? r['Creator Email']),
      purpose: asText(e['Business Purpose']),
      tier: asText(e['Data Tier']),
      dataStores: asText(e['Data Stores']),
      tool: `${asText(e['AI Tool'])} ${asText(e['AI Tool Version'])}`.trim(),
      deploymentStatus: asText(e['Deployment Status']),
      opened,
      due,
      overdue: overdue && !gate,
      businessDaysOpen: opened ? businessDaysBetween(opened, today, settings.holidays) : 0,
      needsThreatModel: gate,
      status,
      assignedTo: asText(r['Assigned To']).trim(),
      assignedToMe: mine,
      firstApprover,
      secondApprovers: firstApprover ? secondApprovers(team, firstApprover, owners) : [],
    };
  });
  return { items, total: open.length, mine: open.filter((o) => o.mine).length, team };
}

/**
 * One row of a sheet found by the exact text of its ID column (the first, if a copy exists),
 * read alone: a search and a read, whatever the sheet's length.
 */
function rowById(
  ss: Spreadsheet,
  spec: SheetSpec,
  idHeader: string,
  id: string,
): { table: Table; row: Cell[]; rowNumber: number } | null {
  const layout = readLayout(ss, spec);
  return layout ? rowByIdIn(layout, idHeader, id) : null;
}

/** rowById with the sheet's layout already read. */
function rowByIdIn(
  layout: Layout,
  idHeader: string,
  id: string,
): { table: Table; row: Cell[]; rowNumber: number } | null {
  if (id === '') return null;
  const found = findRowsOf(layout.sheet, layout.columns[idHeader] + 1, layout.lastRow, [id]);
  if (found.length === 0) return null;
  const table = readRowsAt(layout, [found[0]]);
  return { table, row: table.rows[0].slice(), rowNumber: found[0] };
}

/**
 * A review's row and the other reviews of the entry `registryId` names, from one search of the
 * Review ID and Registry ID columns and one read per run of the rows found. Null when the
 * review is not found (the caller looks for it alone).
 */
function reviewAndSiblings(
  layout: Layout,
  reviewId: string,
  registryId: string,
): {
  table: Table;
  row: Cell[];
  rowNumber: number;
  siblings: Table;
  siblingsOf: string;
} | null {
  if (reviewId === '') return null;
  const a = layout.columns['Review ID'];
  const b = layout.columns['Registry ID'];
  const from = Math.min(a, b);
  const found = findRowsOf(
    layout.sheet,
    from + 1,
    layout.lastRow,
    [reviewId, registryId],
    Math.max(a, b) - from + 1,
  );
  const table = readRowsAt(layout, found);
  const at = table.rows.findIndex((r) => asText(r[a]) === reviewId);
  if (at < 0) return null;
  const rowNumber = table.rowNumbers![at];
  const others = table.rows
    .map((r, k) => ({ r, n: table.rowNumbers![k] }))
    .filter(({ r, n }) => n !== rowNumber && asText(r[b]) === registryId);
  return {
    table: { ...table, rows: [table.rows[at]], rowNumbers: [rowNumber] },
    row: table.rows[at].slice(),
    rowNumber,
    siblings: { ...table, rows: others.map((o) => o.r), rowNumbers: others.map((o) => o.n) },
    siblingsOf: registryId,
  };
}

export interface Decision {
  decision: string;
  note: string;
  threatModel: string;
}

/**
 * A security-team member decides a Tier 3 review: the Reviews row records who, when, how many
 * business days it took and the threat model; the Registry row follows.
 */
export function decideReview(
  ss: Spreadsheet,
  reviewId: unknown,
  input: unknown,
  user: string,
  settings: Settings,
  now: Date,
  /** When decided in the sheet: the Status before the edit (the cell already holds the new word). */
  previousStatus?: string,
  /** When a link was typed in the sheet: the Threat Model before the edit (its seal's). */
  previousThreatModel?: string,
): {
  reviewId: string;
  registryId: string;
  approval: string;
  /** The review's Status as recorded (a First Approval, issue 17). */
  reviewStatus: string;
  notification: Notification;
  /** Mail for the member a first approval handed the review to. */
  personal: PersonalItem[];
} {
  const d = (typeof input === 'object' && input !== null ? input : {}) as Record<string, unknown>;
  const decision = typeof d.decision === 'string' ? d.decision : '';
  if (!(REVIEW_DECISIONS as readonly string[]).includes(decision)) {
    throw new UserError('Choose Approved, Changes Requested or Rejected.');
  }
  const note = typeof d.note === 'string' ? d.note.trim() : '';
  if (note.length > NOTE_MAX)
    throw new UserError(
      `The note can be at most ${NOTE_MAX.toLocaleString('en-US')} characters (this one has ${note.length.toLocaleString('en-US')}).`,
    );
  const threatModel = typeof d.threatModel === 'string' ? d.threatModel.trim() : '';
  if (threatModel && !isHttpsLink(threatModel)) {
    throw new UserError(
      threatModel.length > LINK_MAX
        ? `The threat model link can be at most ${LINK_MAX} characters.`
        : 'The threat model link must be an https:// address.',
    );
  }
  if (decision !== 'Approved' && note === '')
    throw new UserError('Add a note so the creator knows what to change or why.');

  const reviewLayout = readLayout(ss, REVIEWS);
  const registryLayout = readLayout(ss, REGISTRY);
  if (!reviewLayout || !registryLayout) throw new UserError(notReadySentence(REVIEWS, REGISTRY));
  // The review's row and its entry's row, each found by its ID and read alone. The queue
  // names the review's entry too: then one search finds the review and the entry's other
  // reviews (a hint only: what the review row says is what counts).
  const hint = typeof d.registryId === 'string' ? d.registryId.trim() : '';
  const together =
    typeof reviewId === 'string' && parseId('AI', hint) !== null
      ? reviewAndSiblings(reviewLayout, reviewId, hint)
      : null;
  const found =
    together ??
    (typeof reviewId === 'string' ? rowByIdIn(reviewLayout, 'Review ID', reviewId) : null);
  if (typeof reviewId !== 'string' || !found)
    throw new UserError(`There is no review ${String(reviewId).slice(0, 20)}.`);
  const { table: reviews, row, rowNumber: reviewRow } = found;
  const rc = reviews.columns;
  const status = previousStatus ?? asText(row[rc['Status']]);
  // An approved review without a threat model holds its entry at the production gate: the
  // team adds the link to it (from the queue), on this same path (issue 15).
  const addingThreatModel =
    status === 'Approved' &&
    decision === 'Approved' &&
    threatModel !== '' &&
    (previousThreatModel ?? asText(row[rc['Threat Model']])).trim() === '';
  if (!isWaitingReview(status) && !addingThreatModel)
    throw new UserError(
      status === 'Approved' && decision === 'Approved'
        ? `${reviewId} was already approved${asText(row[rc['Threat Model']]).trim() ? ' with a threat model' : ''}: add a threat model link to it, or open a new review by changing the entry.`
        : `${reviewId} was already decided (${status}).`,
    );
  const registryId = asText(row[rc['Registry ID']]);
  const entryFound = rowByIdIn(registryLayout, 'ID', registryId.trim());
  if (!entryFound) throw new UserError(`${registryId} is no longer in the Registry.`);
  const { table: registry, row: entryRow, rowNumber: entryRowNumber } = entryFound;
  // Nobody decides a review of an entry they own (DESIGN §6.1), or claim to have created.
  const owners = reviewConflicts(sealer(ss), entryRow, registry.columns);
  if (owners.includes(user.trim().toLowerCase())) {
    throw new UserError(
      `You own ${registryId} (you registered it, created it or co-own it), so another security-team member must decide its review.`,
    );
  }
  // The second of two approvals (issue 17) comes from another member than the first.
  const first = status === 'First Approval' ? asText(row[rc['Reviewer']]).trim() : '';
  if (first && decision === 'Approved' && first.toLowerCase() === user.trim().toLowerCase())
    throw new UserError(
      `You gave the first approval of ${reviewId}: a second approval must come from another security-team member.`,
    );
  const production = asText(entryRow[registry.columns['Deployment Status']]) === 'Production';
  if (decision === 'Approved' && production && threatModel === '') {
    throw new UserError(
      'This project is in Production: attach the threat model link to approve it.',
    );
  }

  const tz = settings.timeZone;
  const opened = localDate(row[rc['Opened']], tz) ?? Utilities.formatDate(now, tz, DATE_PATTERN);
  const today = Utilities.formatDate(now, tz, DATE_PATTERN);
  const audit: AuditEntry[] = [];
  /** Who a first approval moved the review to (told below). */
  let handedTo = '';
  if (addingThreatModel) {
    // The decision stands as it was made (reviewer, date, business days); the link is added.
    row[rc['Threat Model']] = neutralise(threatModel);
    if (note) {
      const notes = asText(row[rc['Notes']]);
      const line = `[${today}] ${note}`;
      row[rc['Notes']] = neutralise(notes ? `${notes}\n${line}` : line);
    }
    audit.push({
      actor: user,
      action: 'Threat model added',
      registryId,
      field: reviewId,
      oldValue: '',
      newValue: threatModel,
    });
  } else {
    // Settings may ask two members to approve (issue 17): the first approval is recorded as
    // such, the second completes it. Either may ask for changes or reject.
    const firstOfTwo = decision === 'Approved' && settings.secondApproval && first === '';
    const recorded = firstOfTwo ? 'First Approval' : decision;
    // The second approval needs someone else: the review moves to the next member in turn
    // who may give it (issue 17).
    if (firstOfTwo && rc['Assigned To'] !== undefined) {
      const before = asText(row[rc['Assigned To']]).trim();
      const next = nextAssignee(
        settings,
        [...owners, user],
        asText(entryRow[registry.columns['Department']]),
        reviewId,
      );
      if (next && next !== before.toLowerCase()) {
        row[rc['Assigned To']] = next;
        handedTo = next;
        audit.push({
          actor: user,
          action: 'Reassigned',
          registryId,
          field: reviewId,
          oldValue: before,
          newValue: `${next} (for the second approval)`,
        });
      }
    }
    const notes = asText(row[rc['Notes']]);
    row[rc['Status']] = recorded;
    row[rc['Reviewer']] = first && decision === 'Approved' ? `${first}, ${user}` : user;
    row[rc['Threat Model']] = neutralise(threatModel);
    // A first approval is dated (it expires like an approval); its business days wait for the
    // second, when the review is decided.
    row[rc['Decided']] = now;
    row[rc['Business Days']] = firstOfTwo
      ? ''
      : businessDaysBetween(opened, today, settings.holidays);
    // A plain review's note is the decision's; a re-review or a second approval keeps what the
    // Notes already say (why it opened, the first approval) and adds a line.
    const line = firstOfTwo
      ? `[${today}] First approval by ${user}${note ? `: ${note}` : '.'}`
      : first
        ? `[${today}] ${decision === 'Approved' ? 'Second approval' : decision} by ${user}${note ? `: ${note}` : '.'}`
        : note;
    row[rc['Notes']] = neutralise(
      status === 'Open' || notes === '' ? line : line ? `${notes}\n${line}` : notes,
    );
    audit.push({
      actor: user,
      action: 'Review decided',
      registryId,
      field: reviewId,
      oldValue: status,
      newValue: recorded,
    });
  }
  sealRows(sealer(ss), [row], [0], rc, audit, REVIEWS_SEAL);
  writeRows(reviews, reviewRow, [row]);
  // The entry's reviews: found by its ID (or with the review); this one is not read again (it
  // is as just written).
  const read =
    together && together.siblingsOf === registryId.trim()
      ? together.siblings
      : readRowsAt(
          reviewLayout,
          findRows(
            reviewLayout.sheet,
            rc['Registry ID'] + 1,
            reviewLayout.lastRow,
            registryId.trim(),
          ).filter((n) => n !== reviewRow),
        );
  const entryReviews = [
    ...read.rowNumbers!.map((n, k) => ({ n, row: read.rows[k] })),
    { n: reviewRow, row },
  ].sort((a, b) => a.n - b.n);
  const ofEntry: Table = {
    ...read,
    rows: entryReviews.map((r) => r.row),
    rowNumbers: entryReviews.map((r) => r.n),
  };

  // The decision's entries go into the entry's re-decision's append: one batch for both. If
  // the re-decision stops before its append (or throws), the decision is recorded anyway.
  const outcome = redecideEntry(ss, user, entryRowNumber, audit, settings, now, {
    // The entry's row as read above: the decision wrote none of it.
    ...registryLayout,
    rows: [entryFound.row],
    reviews: ofEntry,
  });
  const decided = outcome.rows.find((r) => r.id === registryId);
  const e = recordOf(registry, entryRow);
  const entry: EntrySummary = {
    id: registryId,
    project: asText(e['Project']),
    creator: asText(e['Creator Email']),
    department: asText(e['Department']),
    tier: asText(e['Data Tier']),
    tool: asText(e['AI Tool']),
    version: asText(e['AI Tool Version']),
    approval: decided?.approval ?? decision,
    status: asText(e['Deployment Status']),
    url: `${ss.getUrl()}#gid=${registry.sheet.getSheetId()}&range=A${entryRowNumber}`,
    owners: rowOwners(sealer(ss), entryRow, registry.columns)?.owners ?? [],
  };
  return {
    reviewId,
    registryId,
    approval: decided?.approval ?? '',
    reviewStatus: asText(row[rc['Status']]),
    personal: handedTo
      ? [
          {
            to: [handedTo],
            required: true,
            headline: `${registryId} ${entry.project.slice(0, 120)}: second approval of ${reviewId} assigned to you`,
            lines: [
              `${user} gave the first of the two approvals production needs; the second must come from another member.`,
              'Decide it in the Review queue (Extensions › Governed Path › Security team › Review queue).',
            ],
            url: entry.url,
          },
        ]
      : [],
    notification: {
      kind: 'review-decided',
      entry,
      decision: addingThreatModel ? decision : asText(row[rc['Status']]),
      reviewer: user,
      note,
    },
  };
}

/**
 * A security-team member gives a waiting review to another member (issue 17): never to an
 * owner of its entry, never to someone outside the team. Sealed and logged as "Reassigned";
 * the new assignee is mailed.
 */
export function reassignReview(
  ss: Spreadsheet,
  reviewId: unknown,
  to: unknown,
  user: string,
  settings: Settings,
  now: Date,
): { reviewId: string; assignedTo: string; message: string; mail: PersonalItem[] } {
  const who = typeof to === 'string' ? to.trim().toLowerCase() : '';
  if (!settings.securityTeam.some((m) => m.trim().toLowerCase() === who))
    throw new UserError(`${who.slice(0, 80) || 'Nobody'} is not on the security team.`);
  const layout = readLayout(ss, REVIEWS);
  const registryLayout = readLayout(ss, REGISTRY);
  if (!layout || !registryLayout) throw new UserError(notReadySentence(REVIEWS, REGISTRY));
  if (layout.columns['Assigned To'] === undefined)
    throw new UserError(
      'The Reviews sheet has no Assigned To column yet: run Set up or repair registry first.',
    );
  const found = typeof reviewId === 'string' ? rowByIdIn(layout, 'Review ID', reviewId) : null;
  if (typeof reviewId !== 'string' || !found)
    throw new UserError(`There is no review ${String(reviewId).slice(0, 20)}.`);
  const { table, row, rowNumber } = found;
  const rc = table.columns;
  const s = sealer(ss);
  // What the row says is what its seal says: an unsealed or altered row is not reassigned.
  const seal = sealOf(s, asText(row[rc['Seal']]), REVIEWS_SEAL);
  if (!seal || seal.id !== reviewId)
    throw new UserError(
      `${reviewId} does not match what Governed Path recorded; the hourly check will put it back first.`,
    );
  const status = seal.o['Status'] ?? '';
  if (!isWaitingReview(status))
    throw new UserError(`${reviewId} was already decided (${status}): only waiting reviews move.`);
  const registryId = (seal.o['Registry ID'] ?? '').trim();
  const entry = rowByIdIn(registryLayout, 'ID', registryId);
  const owners = entry ? reviewConflicts(s, entry.row, entry.table.columns) : [];
  if (owners.includes(who))
    throw new UserError(
      `${who} owns ${registryId} (registered, created or co-owns it), so another security-team member must review it.`,
    );
  if (status === 'First Approval' && (seal.o['Reviewer'] ?? '').trim().toLowerCase() === who)
    throw new UserError(
      `${who} gave the first approval of ${reviewId}: the second must come from another member.`,
    );
  const before = (seal.o['Assigned To'] ?? '').trim();
  if (before.toLowerCase() === who)
    return {
      reviewId,
      assignedTo: who,
      message: `${reviewId} is already assigned to ${who}.`,
      mail: [],
    };
  row[rc['Assigned To']] = who;
  const audit: AuditEntry[] = [
    {
      actor: user,
      action: 'Reassigned',
      registryId,
      field: reviewId,
      oldValue: before,
      newValue: who,
    },
  ];
  sealRows(s, [row], [0], rc, audit, REVIEWS_SEAL);
  writeRows(table, rowNumber, [row]);
  appendAudit(ss, audit, now);
  const project = asText(row[rc['Project']]);
  const url = entry
    ? `${ss.getUrl()}#gid=${entry.table.sheet.getSheetId()}&range=A${entry.rowNumber}`
    : ss.getUrl();
  const due = localDate(row[rc['Due']], settings.timeZone);
  return {
    reviewId,
    assignedTo: who,
    message: `${reviewId} is now assigned to ${who}.`,
    mail: [
      {
        to: [who],
        required: true,
        headline: `${registryId} ${project.slice(0, 120)}: review ${reviewId} reassigned to you`,
        lines: [
          `${user} gave you this ${status === 'Re-review Due' ? 're-review' : 'security review'}${before ? ` (it was ${before}'s)` : ''}.`,
          ...(due ? [`Due ${due}.`] : []),
          'Decide it in the Review queue (Extensions › Governed Path › Security team › Review queue).',
        ],
        url,
      },
    ],
  };
}

/**
 * A security-team member typed a decision into the Reviews sheet's Status cell: it takes the
 * same path as the sidebar's review queue (note and threat model from the row). A decision
 * the rules refuse is put back, and the reason returned for a toast.
 */
export function applySheetDecision(
  ss: Spreadsheet,
  row: number,
  column: number,
  user: string,
  settings: Settings,
  now: Date,
): {
  handled: boolean;
  notification?: Notification;
  personal?: PersonalItem[];
  refused?: string;
} {
  // The edited row alone: its layout and the row.
  const layout = readLayout(ss, REVIEWS);
  if (!layout || column - 1 !== layout.columns['Status'] || row < 2) return { handled: false };
  const reviews = readRowsAt(layout, [row]);
  const record = recordOf(reviews, reviews.rows[0] ?? []);
  const typed = asText(record['Status']).trim();
  const decision = normaliseDecision(typed);
  if (decision === null)
    return typed === '' || typed.toLowerCase() === 'open'
      ? { handled: false }
      : {
          handled: false,
          refused: `"${typed.slice(0, 40)}" is not a decision: type Approved, Changes Requested or Rejected, or use the Review queue.`,
        };
  // What the Status was is what the row's seal says, not what Sheets reports (a one-cell
  // paste reports nothing). A row without an authentic seal is not decided here.
  const seal = sealOf(sealer(ss), asText(record['Seal']), REVIEWS_SEAL);
  if (!seal || seal.id !== asText(record['Review ID'])) return { handled: false };
  try {
    const { notification, personal } = decideReview(
      ss,
      seal.id,
      { decision, note: asText(record['Notes']), threatModel: asText(record['Threat Model']) },
      user,
      settings,
      now,
      seal.o['Status'],
    );
    return { handled: true, notification, personal };
  } catch (error) {
    if (!(error instanceof UserError)) throw error;
    appendAudit(
      ss,
      [
        {
          actor: user,
          action: 'Review decision refused',
          registryId: seal.o['Registry ID'],
          field: seal.id,
          oldValue: seal.o['Status'],
          newValue: `${decision}: ${error.message}`,
        },
      ],
      now,
    );
    // The row goes back to what it was (its seal); the log already says why.
    return { handled: false, refused: error.message };
  }
}

/**
 * A security-team member typed a threat model link into an approved review that had none:
 * the entry waiting at the production gate is decided again at once, on the sidebar's path
 * (it used to wait for the hourly sweep). False when this is not that case.
 */
export function applySheetThreatModel(
  ss: Spreadsheet,
  row: number,
  user: string,
  settings: Settings,
  now: Date,
): { handled: boolean; notification?: Notification; refused?: string } {
  const layout = readLayout(ss, REVIEWS);
  if (!layout || row < 2) return { handled: false };
  const reviews = readRowsAt(layout, [row]);
  const record = recordOf(reviews, reviews.rows[0] ?? []);
  const seal = sealOf(sealer(ss), asText(record['Seal']), REVIEWS_SEAL);
  if (!seal || seal.id !== asText(record['Review ID'])) return { handled: false };
  if (seal.o['Status'] !== 'Approved' || (seal.o['Threat Model'] ?? '').trim() !== '')
    return { handled: false };
  try {
    const { notification } = decideReview(
      ss,
      seal.id,
      { decision: 'Approved', note: '', threatModel: asText(record['Threat Model']).trim() },
      user,
      settings,
      now,
      'Approved',
      '',
    );
    return { handled: true, notification };
  } catch (error) {
    if (!(error instanceof UserError)) throw error;
    return { handled: false, refused: error.message };
  }
}

/**
 * Decides one entry again after a change made outside an edit (a review decision, a
 * decommission from My projects), its audit entries going out in the re-decision's append: one
 * batch for both. If the re-decision stops before its append (or throws), they are recorded
 * anyway.
 */
function redecideEntry(
  ss: Spreadsheet,
  user: string,
  rowNumber: number,
  audit: AuditEntry[],
  settings: Settings,
  now: Date,
  known?: Parameters<typeof processRegistryEdit>[5],
): ReturnType<typeof processRegistryEdit> {
  const count = auditEntryCount();
  try {
    return processRegistryEdit(
      ss,
      {
        user,
        row: rowNumber,
        column: 1,
        numRows: 1,
        numColumns: 1,
        source: 'review',
        auditBefore: audit,
      },
      settings,
      now,
      undefined,
      known,
    );
  } finally {
    if (auditEntryCount() === count) appendAudit(ss, audit, now);
  }
}
