import { isHttpsLink } from '../domain/injection';
/**
 * The installable triggers: the edit and change triggers (in the document, as the trigger
 * owner) and the hourly job (an add-on's time-driven trigger has no document: it finds its
 * registries in the owner's records and opens each by ID, DESIGN §10).
 */
import {
  AI_TOOLS,
  AUDIT_LOG,
  DATA_STORES,
  DISCOVERED,
  DATE_PATTERN,
  REGISTRY,
  REVIEWS,
  type SheetSpec,
} from '../domain/schema';
import { isSecurityTeamMember, type Settings } from '../domain/settings';
import { one, messagesFor, notificationsFor, type Outgoing } from '../domain/slack';
import { keyRotation, requireSigningKey, signingKey } from '../services/keys';
import { acquireRegistry } from '../services/lease';
import { loadSettings } from '../services/settings';
import { deliverOutbox, enqueue, outboxLines, outboxStatus } from '../services/slack';
import { registryProperties, useRegistry } from '../services/store';
import {
  forgetRegistry,
  isCurrentTriggerOwner,
  ownedRegistries,
  recordedTriggerOwner,
} from '../services/triggers';
import { postHead, runDailyChecks, type DailyReport } from '../sheets/daily';
import { sweepRegistry } from '../sheets/sweep';
import { continueKeyRotation } from '../sheets/rotation';
import {
  guardOwnedSheet,
  restoreDeletedRows,
  restoreReviewRows,
  restoreSealedRows,
} from '../sheets/guards';
import { forgetSealState, STORES_SEAL, TOOLS_SEAL, type SealSpec } from '../sheets/seals';
import { forgetAuditState, type AuditEntry } from '../sheets/audit-log';
import { archiveIfFull } from '../sheets/archive';
import { forgetLayouts, readLayout } from '../sheets/table';
import { logHeaderRepairs } from '../sheets/headers';
import { leaveRegistry, TAGGED_SHEETS } from '../sheets/columns';
import { lowerFormattedMark } from '../sheets/column-formats';
import { attestationMailWaiting, attestationSweep } from '../sheets/attestation';
import { applySheetDecision, applySheetThreatModel } from '../sheets/projects';
import { discoveredEdit } from '../sheets/discovered';
import { processRegistryEdit, type EditInfo } from '../sheets/registry';
import { messageFor, UserError } from '../errors';
import { beat, heartbeats } from '../services/heartbeat';
import { assessHeartbeats, heartbeatSummary, type RunKind } from '../domain/watchdog';

type Spreadsheet = GoogleAppsScript.Spreadsheet.Spreadsheet;

/** Sheets the edit trigger looks after; edits anywhere else return at once. */
const WATCHED: Record<string, SheetSpec> = {
  [REGISTRY.name]: REGISTRY,
  [REVIEWS.name]: REVIEWS,
  [AUDIT_LOG.name]: AUDIT_LOG,
  [AI_TOOLS.name]: AI_TOOLS,
  [DATA_STORES.name]: DATA_STORES,
  [DISCOVERED.name]: DISCOVERED,
};

/** The catalog sheets and their seals: facts change only by the security team. */
const CATALOG: Record<string, SealSpec> = {
  [AI_TOOLS.name]: TOOLS_SEAL,
  [DATA_STORES.name]: STORES_SEAL,
};

/** The daily work runs in the first hourly run at or after this hour (settings' time zone). */
export const DAILY_HOUR = 6;
/** Two hourly runs closer than this are one run twice (two of the owner's hourly triggers). */
const HOURLY_MIN_GAP_MS = 45 * 60 * 1000;

const KEY = {
  queued: 'queued',
  queue: 'queue.',
  lastHourly: 'lastHourlyRun',
  lastDaily: 'lastDailyRun',
  lastDailyCheck: 'lastDailyCheck',
} as const;

/** An edit the trigger could not take the registry for: kept for the next execution that can. */
interface QueuedEdit {
  sheet: string;
  row: number;
  column: number;
  numRows: number;
  numColumns: number;
  user: string;
  at: number;
}

function editInfo(e: GoogleAppsScript.Events.SheetsOnEdit): EditInfo {
  const user = (e.user ? e.user.getEmail() : '') || Session.getActiveUser().getEmail();
  return {
    user: user.trim().toLowerCase(),
    row: e.range.getRow(),
    column: e.range.getColumn(),
    numRows: e.range.getNumRows(),
    numColumns: e.range.getNumColumns(),
    oldValue: e.oldValue,
    value: e.value,
  };
}

/** Writes nothing to the sheets: one store key per edit, and a marker, so no edit is lost. */
function queueEdit(sheet: string, info: EditInfo): void {
  const store = registryProperties();
  const edit: QueuedEdit = {
    sheet,
    row: info.row,
    column: info.column,
    numRows: info.numRows,
    numColumns: info.numColumns,
    user: info.user,
    at: new Date().getTime(),
  };
  store.setProperty(
    `${KEY.queue}${edit.at.toString(36)}-${Utilities.getUuid().slice(0, 8)}`,
    JSON.stringify(edit),
  );
  store.setProperty(KEY.queued, '1');
}

/** Takes the queued edits (oldest first), if the marker says there are any. */
function takeQueuedEdits(): QueuedEdit[] {
  const store = registryProperties();
  if (store.getProperty(KEY.queued) === null) return [];
  // The marker goes first: an edit queued while we read sets it again.
  store.deleteProperty(KEY.queued);
  const out: QueuedEdit[] = [];
  for (const [key, value] of Object.entries(store.getProperties())) {
    if (!key.startsWith(KEY.queue)) continue;
    store.deleteProperty(key);
    try {
      out.push(JSON.parse(value) as QueuedEdit);
    } catch {
      // Not ours to interpret.
    }
  }
  return out.sort((a, b) => a.at - b.at);
}

/** Handles one edit of a watched sheet; returns the Slack messages it produced. */
function handleEdit(
  ss: Spreadsheet,
  spec: SheetSpec,
  info: EditInfo,
  settings: Settings,
  now: Date,
): Outgoing[] {
  // The sheet's header row is put right before the edit is read by it (a header renamed where
  // no trigger saw it would turn a decision typed in Status into tampering).
  const headers = guardHeaders(ss, spec, info, now);
  if (info.row > 1) return [...headers, ...handleRows(ss, spec, info, settings, now)];
  // The header row: one of the add-on's headers removed is put back; what the same paste did
  // to data rows is examined as usual.
  if (info.numRows <= 1)
    return headers.length > 0 ? headers : handleRows(ss, spec, info, settings, now);
  return [
    ...headers,
    ...handleRows(ss, spec, { ...info, row: 2, numRows: info.numRows - 1 }, settings, now),
  ];
}

function handleRows(
  ss: Spreadsheet,
  spec: SheetSpec,
  info: EditInfo,
  settings: Settings,
  now: Date,
): Outgoing[] {
  const single = info.numRows === 1 && info.numColumns === 1 && !info.replayed;
  if (spec === REGISTRY) {
    const outcome = processRegistryEdit(ss, info, settings, now);
    return messagesFor(notificationsFor(outcome.events, info.user));
  }
  if (spec === REVIEWS && info.row > 1) return reviewsEdit(ss, info, single, settings, now);
  if (spec === DISCOVERED) {
    const { messages, note } = discoveredEdit(ss, info, settings, now);
    if (note) ss.toast(note, 'Governed Path', 10);
    return messages;
  }
  const catalog = CATALOG[spec.name];
  if (catalog) {
    // An identified security-team member's change is the catalog's new fact (sealed in);
    // anyone else's is put back. Without a catalog sidebar, the team's pastes count too.
    const team = isSecurityTeamMember(settings, info.user);
    const rows = Array.from({ length: info.numRows }, (_, i) => info.row + i);
    // A fact over its limit is not a fact (a 9,500-character tool name outgrew the store).
    const layout = team ? readLayout(ss, spec) : null;
    const values = layout
      ? (layout.sheet.getRange(info.row, 1, info.numRows, layout.width).getValues() as unknown[][])
      : [];
    const tooLong: string[] = [];
    const fits = (row: number, field: string) => {
      const limit = CATALOG_LIMITS[field] ?? 2000;
      // Dates and numbers are as long as Sheets makes them; text is what a person typed.
      const value = values[row - info.row]?.[layout?.columns[field] ?? -1];
      if (typeof value !== 'string' || value.length <= limit) return true;
      tooLong.push(`${field} can be at most ${limit} characters`);
      return false;
    };
    const reverted = restoreSealedRows(ss, catalog, rows, info.user, now, {
      accept: (row, field) => team && fits(row, field),
      acceptedAction: 'Catalog changed',
    });
    if (tooLong.length > 0) ss.toast(`${tooLong[0]}: put back.`, 'Not recorded', 15);
    return tamperingMessages(reverted);
  }
  if (info.row <= 1) return [];
  const logged = guardOwnedSheet(ss, spec, info, now);
  return messagesFor(
    logged
      .filter((a) => a.action.startsWith('Tampering'))
      .map((a) => ({
        kind: 'tampering' as const,
        actor: a.actor,
        where: a.field,
        attempted: a.newValue,
        registryId: a.registryId,
      })),
  );
}

/** The sheets whose header row carries the add-on's columns (the seals among them). */
const SEALED_SPECS = [REGISTRY, REVIEWS, AI_TOOLS, DATA_STORES];
const SEALED_SHEETS = new Set(SEALED_SPECS.map((spec) => spec.name));

/**
 * An edit of a sealed sheet's header row: reading the layout puts back whatever the edit did
 * to the add-on's headers (renamed, cleared, duplicated), logged and alerted as the editor's.
 */
function guardHeaders(ss: Spreadsheet, spec: SheetSpec, info: EditInfo, now: Date): Outgoing[] {
  if (!SEALED_SHEETS.has(spec.name)) return [];
  readLayout(ss, spec);
  const actor =
    info.row === 1
      ? info.user
      : `unknown (found during an edit by ${info.user || 'an unknown editor'})`;
  return logHeaderRepairs(ss, actor, now).messages;
}

/** How long a catalog fact may be (a name, a status word, a date). */
const CATALOG_LIMITS: Readonly<Record<string, number>> = {
  Tool: 100,
  Status: 40,
  'Max Tier': 20,
  'SOC 2 Type II Verified': 40,
  'Data Store': 100,
  Tier: 40,
};

const TEAM_EDITABLE = new Set(['Reviewer', 'Threat Model', 'Notes']);
const REVIEW_FIELD_LIMITS: Readonly<Record<string, number>> = {
  Reviewer: 254,
  Notes: 2000,
};

/**
 * An edit of the Reviews sheet. A security-team member's one cell counts: a Status is a
 * decision (the same path as the sidebar), Reviewer, Threat Model and Notes are kept. Anything
 * else, by anyone, is put back from the rows' seals (DESIGN §6.1).
 */
function reviewsEdit(
  ss: Spreadsheet,
  info: EditInfo,
  single: boolean,
  settings: Settings,
  now: Date,
): Outgoing[] {
  const team = single && isSecurityTeamMember(settings, info.user);
  const header = team
    ? String(ss.getSheetByName(REVIEWS.name)?.getRange(1, info.column).getValue() ?? '')
    : '';
  if (team && header === 'Status') {
    const decision = applySheetDecision(ss, info.row, info.column, info.user, settings, now);
    if (decision.handled)
      return [
        ...(decision.notification ? [one(decision.notification)] : []),
        ...(decision.personal && decision.personal.length > 0
          ? [{ personal: decision.personal }]
          : []),
      ];
    if (decision.refused) {
      ss.toast(decision.refused, 'Decision not recorded', 15);
      restoreReviewRows(ss, [info.row], info.user, now, null, 'Decision put back');
      return [];
    }
  }
  const rows = Array.from({ length: info.numRows }, (_, i) => info.row + i);
  // Only https:// links are stored (DESIGN §6.1): another threat model link is put back.
  const link = String(
    ss.getSheetByName(REVIEWS.name)?.getRange(info.row, info.column).getValue() ?? '',
  ).trim();
  const badLink = header === 'Threat Model' && link !== '' && !isHttpsLink(link);
  if (team && badLink)
    ss.toast('The threat model link must be an https:// address.', 'Link not recorded', 15);
  // Every field the team types has a limit (issue 15): over it, put back with a sentence.
  const limit = REVIEW_FIELD_LIMITS[header];
  const tooLong = limit !== undefined && link.length > limit;
  if (team && tooLong && !badLink)
    ss.toast(
      `${header} can be at most ${limit.toLocaleString('en-US')} characters (this was ${link.length.toLocaleString('en-US')}).`,
      'Not recorded',
      15,
    );
  // A link added to an approved review that had none frees its entry from the production
  // gate at once (the same path as the queue's "Add threat model").
  if (team && header === 'Threat Model' && link !== '' && !badLink && !tooLong) {
    const added = applySheetThreatModel(ss, info.row, info.user, settings, now);
    if (added.handled) return added.notification ? [one(added.notification)] : [];
    if (added.refused) {
      ss.toast(added.refused, 'Threat model not recorded', 15);
      return tamperingMessages(restoreReviewRows(ss, rows, info.user, now, null));
    }
  }
  const accept =
    team && TEAM_EDITABLE.has(header) && !badLink && !tooLong
      ? { row: info.row, field: header }
      : null;
  return tamperingMessages(restoreReviewRows(ss, rows, info.user, now, accept));
}

/** One alert for what one edit did, however many cells it touched. */
function tamperingMessages(reverted: readonly AuditEntry[]): Outgoing[] {
  return messagesFor(
    reverted.slice(0, 1).map((a) => ({
      kind: 'tampering' as const,
      actor: a.actor,
      where: reverted.length > 1 ? `${a.field} and ${reverted.length - 1} more` : a.field,
      attempted: a.newValue,
      registryId: a.registryId,
    })),
  );
}

/** Edits queued while the registry was busy, handled now (their old values are unknown). */
function handleQueuedEdits(ss: Spreadsheet, settings: Settings, now: Date): Outgoing[] {
  const messages: Outgoing[] = [];
  for (const q of takeQueuedEdits()) {
    const spec = WATCHED[q.sheet];
    if (!spec) continue;
    const info: EditInfo = { ...q, replayed: true };
    messages.push(...handleEdit(ss, spec, info, settings, now));
  }
  return messages;
}

/**
 * Installable edit trigger (runs as the trigger owner, so it may write where employees may
 * not). Named apart from onEdit so it does not also run as a simple trigger.
 */
export function onRegistryEdit(e: GoogleAppsScript.Events.SheetsOnEdit): void {
  const ss = e && e.source;
  if (!ss || !e.range) return;
  useRegistry(ss.getId());
  const spec = WATCHED[e.range.getSheet().getName()];
  if (!spec || !isCurrentTriggerOwner(ss, e.triggerUid)) return;
  if (!signingKey()) {
    console.error(
      'The signing key is missing: Governed Path records nothing until it is repaired.',
    );
    return;
  }
  recorded('edit', () => examineEdit(ss, spec, editInfo(e)));
}

/**
 * Runs a trigger's work and leaves its heartbeat (issue 13's watchdog): the time, the owner,
 * their authorisation and mail quota, and the failure's sentence if it failed.
 */
function recorded(kind: RunKind, work: () => void): void {
  const now = new Date();
  // A person's edit waits for its trigger: its heartbeat is staged, to go out with the run's
  // first write (taking the lease), and a failure overwrites it. A job's, where a run stopped
  // by Apps Script's limit must not look fine, is written when the run has finished.
  const early = kind === 'edit' || kind === 'change';
  if (early) beat(kind, now, undefined, true);
  try {
    work();
  } catch (error) {
    beat(kind, now, messageFor(error));
    throw error;
  }
  if (early) registryProperties().flush();
  else beat(kind, now);
}

function examineEdit(ss: Spreadsheet, spec: SheetSpec, info: EditInfo): void {
  const held = acquireRegistry(30000);
  if (!held) {
    console.warn('Registry busy: the edit is queued for the next execution.');
    queueEdit(spec.name, info);
    return;
  }
  let settings: Settings;
  let messages: Outgoing[];
  try {
    settings = loadSettings(ss.getSpreadsheetTimeZone());
    const now = new Date();
    messages = [
      ...handleQueuedEdits(ss, settings, now),
      ...handleEdit(ss, spec, info, settings, now),
      // What this edit's reads found wrong in other header rows (no trigger saw it happen).
      ...logHeaderRepairs(
        ss,
        `unknown (found during an edit by ${info.user || 'an unknown editor'})`,
        now,
      ).messages,
    ];
    enqueue(messages, now);
  } finally {
    held.release();
  }
  // Slack after the registry is written and released: a slow webhook never holds up an edit.
  const report = messages.length > 0 ? deliverOutbox(5, true) : null;
  if (isSecurityTeamMember(settings, info.user)) {
    const stuck = (report ?? outboxStatus()).undeliverable.length;
    if (stuck > 0)
      ss.toast(
        `${stuck} Slack message(s) could not be delivered. Run daily checks for details.`,
        'Governed Path',
        10,
      );
  }
}

/** Changes to the sheets' structure that can take an add-on column or sheet away. */
const STRUCTURAL = new Set(['REMOVE_COLUMN', 'INSERT_COLUMN', 'REMOVE_GRID', 'OTHER']);

/**
 * Installable change trigger: notices deleted registry rows, and columns deleted, inserted or
 * moved (no edit trigger fires for them): a deleted add-on column is inserted again and
 * refilled at once.
 */
export function onRegistryChange(e: GoogleAppsScript.Events.SheetsOnChange): void {
  const ss = e && e.source;
  if (!ss || (e.changeType !== 'REMOVE_ROW' && !STRUCTURAL.has(e.changeType))) return;
  useRegistry(ss.getId());
  if (!isCurrentTriggerOwner(ss, e.triggerUid) || !signingKey()) return;
  const user = (e.user ? e.user.getEmail() : '') || Session.getActiveUser().getEmail();
  if (e.changeType === 'REMOVE_ROW') recorded('change', () => examineDeletedRows(ss, user));
  else recorded('change', () => examineStructure(ss, user));
}

function examineStructure(ss: Spreadsheet, user: string): void {
  const held = acquireRegistry(30000);
  if (!held) return; // the next execution that reads the sheets puts them right
  let messages: Outgoing[];
  try {
    const now = new Date();
    for (const spec of SEALED_SPECS) if (TAGGED_SHEETS.has(spec.name)) readLayout(ss, spec);
    messages = logHeaderRepairs(ss, user, now).messages;
    enqueue(messages, now);
  } finally {
    held.release();
  }
  if (messages.length > 0) deliverOutbox(5, true);
}

function examineDeletedRows(ss: Spreadsheet, user: string): void {
  const held = acquireRegistry(30000);
  if (!held) return; // the daily check reports vanished IDs
  try {
    const settings = loadSettings(ss.getSpreadsheetTimeZone());
    for (const spec of SEALED_SPECS) {
      const sheet = ss.getSheetByName(spec.name);
      if (sheet) lowerFormattedMark(sheet, spec);
    }
    restoreDeletedRows(ss, user, new Date(), isSecurityTeamMember(settings, user));
  } finally {
    held.release();
  }
}

/**
 * Runs the daily checks holding the registry and keeps the last report. The daily job checks
 * the audit chain since its last checkpoint (and all of it weekly); a person asking from the
 * menu gets the full check.
 */
export function dailyChecks(ss: Spreadsheet, fullChain = false, job = false): DailyReport {
  requireSigningKey();
  const held = acquireRegistry(60000);
  if (!held) throw new UserError('The registry is busy right now. Try again in a minute.');
  let report: DailyReport;
  const now = new Date();
  try {
    const settings = loadSettings(ss.getSpreadsheetTimeZone());
    enqueue(handleQueuedEdits(ss, settings, now), now);
    report = runDailyChecks(ss, settings, now, fullChain);
    if (keyRotation()) {
      const step = continueKeyRotation(ss, settings, now);
      report.lines.push(
        step.done
          ? 'The signing key rotation is complete: every row is sealed under the new key.'
          : `The signing key rotation is under way: ${step.left} row(s) still to re-seal.`,
      );
    }
    // The daily job posts the head out of band (a click on the menu does not).
    if (job) report.lines.push(postHead(ss, settings, now));
  } finally {
    held.release();
  }
  // The watchdog: do the triggers run, as whom, and may they still?
  const beats = heartbeats();
  const health = assessHeartbeats(beats, now.getTime());
  if (health.ok) report.lines.push(heartbeatSummary(beats));
  else {
    report.ok = false;
    report.lines.push(...health.lines);
  }
  // Slack outside the lease: a slow webhook never blocks people's edits.
  const slack = deliverOutbox(30, true);
  // Refused messages are reported, not a failed check (issue 15): they are kept, and go again
  // once the webhook setting changes.
  report.lines.push(...outboxLines(slack));
  registryProperties().setProperty(
    KEY.lastDailyCheck,
    JSON.stringify({ at: new Date().toISOString(), ...report }),
  );
  return report;
}

/** The registry by ID: the active one when the job runs in it (bound script), else opened. */
function openRegistry(id: string): Spreadsheet | null {
  const active = SpreadsheetApp.getActiveSpreadsheet();
  if (active && active.getId() === id) return active;
  try {
    return SpreadsheetApp.openById(id);
  } catch (error) {
    console.error(`Governed Path could not open registry ${id}: ${String(error)}`);
    return null;
  }
}

/** One registry's hourly work: the outbox, queued edits, and once a day the daily work. */
function hourlyFor(id: string, me: string, now: Date): void {
  leaveRegistry(); // the registry before this one, if any
  useRegistry(id);
  // What an earlier registry's work kept in this execution (headers, the audit log's state,
  // verified seals) is not this one's.
  forgetLayouts();
  forgetAuditState();
  forgetSealState();
  if (recordedTriggerOwner() !== me) {
    // Another security-team member has repaired the registry since: their triggers run it.
    const ss = openRegistry(id);
    if (ss) isCurrentTriggerOwner(ss, null);
    else forgetRegistry(id);
    return;
  }
  const store = registryProperties();
  const last = Number(store.getProperty(KEY.lastHourly) ?? '0');
  if (now.getTime() - last < HOURLY_MIN_GAP_MS) return;
  store.setProperty(KEY.lastHourly, String(now.getTime()));
  const ss = openRegistry(id);
  if (!ss) return;
  recorded('hourly', () => hourlyWork(ss, now));
}

function hourlyWork(ss: Spreadsheet, now: Date): void {
  const store = registryProperties();
  const settings = loadSettings(ss.getSpreadsheetTimeZone());
  const today = Utilities.formatDate(now, settings.timeZone, DATE_PATTERN);
  const hour = Number(Utilities.formatDate(now, settings.timeZone, 'H'));
  if (hour >= DAILY_HOUR && store.getProperty(KEY.lastDaily) !== today) {
    store.setProperty(KEY.lastDaily, today);
    recorded('daily', () => dailyChecks(ss, false, true));
  } else {
    const held = acquireRegistry(30000);
    if (held) {
      try {
        const messages = handleQueuedEdits(ss, settings, now);
        const found = sweepRegistry(
          ss,
          settings,
          now,
          'unknown (found by the hourly sweep)',
          false,
        );
        if (found.lines.length > 0) messages.push(one({ kind: 'put-back', lines: found.lines }));
        // A key rotation re-seals its next batch (DESIGN §6.1).
        if (keyRotation()) continueKeyRotation(ss, settings, now);
        // A workbook past its mark moves its oldest audit entries out (an hour of their own:
        // a rotation's or the mail's next batch waits an hour); then attestation mail that
        // did not fit one run goes on (the sweep resumes its cursor).
        const archived = keyRotation() ? null : archiveIfFull(ss, settings, now);
        if (archived) messages.push(...archived);
        else if (attestationMailWaiting())
          messages.push(...attestationSweep(ss, settings, now).messages);
        enqueue(messages, now);
      } finally {
        held.release();
      }
    }
    deliverOutbox(30, true);
  }
}

/** Whether Google wants the account this runs as to authorise the add-on again. */
function mustReauthorise(): boolean {
  try {
    return (
      ScriptApp.getAuthorizationInfo(ScriptApp.AuthMode.FULL).getAuthorizationStatus() ===
      ScriptApp.AuthorizationStatus.REQUIRED
    );
  } catch {
    return false;
  }
}

/**
 * The hourly time-driven job. It has no document: it runs for every registry whose triggers
 * this account owns (its own records), and only from one of its own triggers.
 */
export function onHourly(e: GoogleAppsScript.Events.TimeDriven): void {
  const me = Session.getEffectiveUser().getEmail();
  const uid = e && e.triggerUid;
  if (me === '') return;
  const now = new Date();
  if (mustReauthorise()) {
    // Every authorised call would fail: say why in each registry's heartbeat, do nothing else.
    for (const id of ownedRegistries()) {
      useRegistry(id);
      beat('hourly', now, `Google asks ${me} to authorise Governed Path again.`);
    }
    return;
  }
  if (!ScriptApp.getProjectTriggers().some((t) => t.getUniqueId() === uid)) return;
  for (const id of ownedRegistries()) {
    try {
      hourlyFor(id, me, now);
    } catch (error) {
      console.error(`Governed Path hourly job failed for ${id}: ${String(error)}`);
    }
  }
}
