import { heldByLapse } from '../domain/lifecycle';
import { openColumn } from './column-formats';
import { registryProperties } from '../services/store';
import {
  attestationCalendar,
  byCreator,
  firstBusinessDayFrom,
  monthlyReview,
  monthStart,
  needsConfirmation,
  previousMonth,
  quarterLabel,
  type AttestationEntry,
  type MonthlyReview,
} from '../domain/attestation';
import { DATE_PATTERN, REGISTRY, REVIEWS, STALE_CONFIRMATION_COLOUR } from '../domain/schema';
import type { Settings } from '../domain/settings';
import {
  attestationEmail,
  attestationMessage,
  monthlyDigestMessage,
  type Outgoing,
} from '../domain/slack';
import { appendAudit, SYSTEM_ACTOR, type AuditEntry } from './audit-log';
import { asText, readCatalog } from './catalog';
import { attestationEntries, metricEntries, reviewRecords } from './readers';
import { readTable, replaceSheet, writeChanged } from './table';
import { rowOwners, sealer, sealRows } from './seals';

type Spreadsheet = GoogleAppsScript.Spreadsheet.Spreadsheet;
type Sheet = GoogleAppsScript.Spreadsheet.Sheet;

const STATE = 'attestation';
const MONTHLY = 'monthlyReview';
export const MONTHLY_SHEET = 'Report - Monthly Review';

/**
 * How far a round of mail has gone. Creators are mailed in sorted order and `through` is the
 * last one handled, so the state stays the same size whatever the number of creators.
 */
interface MailCursor {
  through: string;
  done: boolean;
  sent: number;
  failed: number;
}

/** What this quarter's attestation has done, so a second run the same day repeats nothing. */
interface State {
  quarter: string;
  kickoffPosted: boolean;
  reminderPosted: boolean;
  graceHandled: boolean;
  kickoffMail: MailCursor;
  reminderMail: MailCursor;
}

const newCursor = (): MailCursor => ({ through: '', done: false, sent: 0, failed: 0 });

function loadState(quarter: string): State {
  const fresh: State = {
    quarter,
    kickoffPosted: false,
    reminderPosted: false,
    graceHandled: false,
    kickoffMail: newCursor(),
    reminderMail: newCursor(),
  };
  try {
    const stored = JSON.parse(registryProperties().getProperty(STATE) ?? 'null') as State | null;
    return stored && stored.quarter === quarter ? { ...fresh, ...stored } : fresh;
  } catch {
    return fresh;
  }
}

function isOurStaleRule(rule: GoogleAppsScript.Spreadsheet.ConditionalFormatRule): boolean {
  const c = rule.getBooleanCondition();
  return (
    !!c &&
    c.getCriteriaType() === SpreadsheetApp.BooleanCriteria.DATE_BEFORE &&
    c.getBackground() === STALE_CONFIRMATION_COLOUR
  );
}

/** Highlights Last Confirmed dates older than the quarter's start (people's rules are kept). */
export function highlightStale(sheet: Sheet, lastConfirmedColumn: number, quarter: Date): void {
  const range = openColumn(sheet, lastConfirmedColumn);
  const kept = sheet.getConditionalFormatRules().filter((r) => !isOurStaleRule(r));
  const rule = SpreadsheetApp.newConditionalFormatRule()
    .whenDateBefore(quarter)
    .setBackground(STALE_CONFIRMATION_COLOUR)
    .setRanges([range])
    .build();
  sheet.setConditionalFormatRules([...kept, rule]);
}

/** Mails one execution sends at most (≈ 0.5 s each: a quarter of the 6-minute limit or less). */
export const MAIL_PER_RUN = 50;
/**
 * The daily run mails fewer (it has the day's checks to do in the same execution); the hourly
 * runs after it carry on at MAIL_PER_RUN.
 */
export const MAIL_IN_DAILY_RUN = 20;
/** Progress is saved before each batch, so a killed execution never mails anyone twice. */
const MAIL_BATCH = 20;

interface MailRound {
  sent: number;
  failed: string[];
  /** Creators still to mail, and why they wait. */
  waiting: number;
  waitingFor: 'quota' | 'time' | null;
}

/**
 * One email per creator in sorted order after the cursor, within today's MailApp quota and
 * this run's budget. Each mail is sent in its own try (MailApp throws for an address it
 * rejects: that creator is counted as failed, the others still get theirs), and the cursor is
 * saved before each batch goes out.
 */
function sendEmails(
  groups: Map<string, AttestationEntry[]>,
  cursor: MailCursor,
  build: (items: AttestationEntry[]) => { subject: string; body: string },
  save: () => void,
  budget: number,
): MailRound {
  const pending = [...groups.keys()].filter((c) => c > cursor.through).sort();
  const quota = Math.max(0, MailApp.getRemainingDailyQuota());
  const batch = pending.slice(0, Math.min(quota, budget));
  const round: MailRound = {
    sent: 0,
    failed: [],
    waiting: pending.length - batch.length,
    waitingFor: null,
  };
  if (round.waiting > 0) round.waitingFor = batch.length < budget ? 'quota' : 'time';
  for (let i = 0; i < batch.length; i += MAIL_BATCH) {
    const chunk = batch.slice(i, i + MAIL_BATCH);
    cursor.through = chunk[chunk.length - 1];
    save();
    for (const creator of chunk) {
      const { subject, body } = build(groups.get(creator)!);
      try {
        MailApp.sendEmail({ to: creator, subject, body, name: 'Governed Path' });
        round.sent++;
        cursor.sent++;
      } catch {
        round.failed.push(creator);
        cursor.failed++;
      }
    }
  }
  cursor.done = round.waiting === 0;
  save();
  return round;
}

/**
 * Whether this quarter's attestation mail has creators left that the next hourly run may
 * reach (a round stopped at the per-run budget, and the day's quota is not spent).
 */
export function attestationMailWaiting(): boolean {
  let stored: Partial<State> | null;
  try {
    stored = JSON.parse(registryProperties().getProperty(STATE) ?? 'null') as Partial<State> | null;
  } catch {
    return false;
  }
  const open = (c: MailCursor | undefined) => !!c && !c.done && c.through !== '';
  return (
    !!stored &&
    (open(stored.kickoffMail) || open(stored.reminderMail)) &&
    MailApp.getRemainingDailyQuota() > 0
  );
}

/** The daily report's lines for a round of mail. */
function mailLines(round: MailRound, what: string): string[] {
  const lines: string[] = [];
  if (round.sent > 0) lines.push(`${what}: ${round.sent} creator(s) emailed.`);
  if (round.failed.length > 0)
    lines.push(
      `${what}: ${round.failed.length} address(es) could not be emailed (${round.failed
        .slice(0, 5)
        .join(', ')}${round.failed.length > 5 ? ', …' : ''}); check their Creator Email.`,
    );
  if (round.waitingFor === 'quota')
    lines.push(`${what}: ${round.waiting} creator(s) will be emailed tomorrow (daily mail quota).`);
  if (round.waitingFor === 'time')
    lines.push(`${what}: ${round.waiting} creator(s) will be emailed in the next hourly run.`);
  return lines;
}

type Registry = NonNullable<ReturnType<typeof readTable>>;

export interface SweepResult {
  lines: string[];
  messages: Outgoing[];
}

/**
 * The quarterly attestation, from the daily job: on the quarter's first business day stale
 * entries are highlighted, each creator is emailed once (within the mail quota; the rest wait
 * for the next day) and Slack gets a summary; halfway through the grace period, a reminder;
 * after it, unconfirmed entries are flagged, or decommissioned when the setting says so.
 */
/** An attestation summary for the team channels. */
const attestation = (...args: Parameters<typeof attestationMessage>): Outgoing => ({
  kind: 'attestation',
  message: attestationMessage(...args),
});

export function attestationSweep(
  ss: Spreadsheet,
  settings: Settings,
  now: Date,
  /** Mails this run may send (the daily run sends fewer). */
  mailBudget = MAIL_PER_RUN,
): SweepResult {
  const out: SweepResult = { lines: [], messages: [] };
  const tz = settings.timeZone;
  const today = Utilities.formatDate(now, tz, DATE_PATTERN);
  const cal = attestationCalendar(today, settings.graceDays, settings.holidays);
  if (today < cal.kickoff) return out;
  const registry = readTable(ss, REGISTRY);
  if (!registry) return out;
  const cols = registry.columns;
  const s = sealer(ss);
  // Owners (a seal each) only of the entries that may be mailed: those still to confirm.
  const entries = attestationEntries(registry, tz, (row, entry) =>
    needsConfirmation(entry, cal.quarter) ? (rowOwners(s, row, cols)?.owners ?? null) : null,
  );
  const stale = entries.filter(
    (e) => needsConfirmation(e, cal.quarter) && (e.creator !== '' || (e.owners ?? []).length > 0),
  );
  const groups = byCreator(stale);
  const state = loadState(cal.quarter);
  const label = quarterLabel(cal.quarter);
  const url = ss.getUrl();

  if (!state.kickoffPosted) {
    highlightStale(
      registry.sheet,
      cols['Last Confirmed'] + 1,
      Utilities.parseDate(cal.quarter, tz, DATE_PATTERN),
    );
    out.messages.push(
      attestation('kickoff', label, stale, cal.graceEnds, settings.autoDecommission),
    );
    out.lines.push(
      `${label} attestation started: ${stale.length} project(s) from ${groups.size} creator(s) to confirm by ${cal.graceEnds}.`,
    );
    state.kickoffPosted = true;
  }
  const inGrace = today < cal.graceEnds;
  const save = () => registryProperties().setProperty(STATE, JSON.stringify(state));
  if (settings.emailCreators && inGrace && !state.kickoffMail.done) {
    const kickoff = sendEmails(
      groups,
      state.kickoffMail,
      (items) => attestationEmail(items, label, cal.graceEnds, url, false),
      save,
      mailBudget,
    );
    out.lines.push(...mailLines(kickoff, `${label} attestation`));
  }
  if (today >= cal.reminder && inGrace) {
    if (!state.reminderPosted) {
      out.messages.push(
        attestation('reminder', label, stale, cal.graceEnds, settings.autoDecommission),
      );
      state.reminderPosted = true;
    }
    if (settings.emailCreators && !state.reminderMail.done) {
      // Only people who had the kickoff mail are reminded.
      const through = state.kickoffMail.through;
      const due = new Map([...groups].filter(([c]) => c <= through));
      const reminder = sendEmails(
        due,
        state.reminderMail,
        (items) => attestationEmail(items, label, cal.graceEnds, url, true),
        save,
        mailBudget,
      );
      out.lines.push(...mailLines(reminder, `${label} attestation reminder`));
    }
  }
  if (!inGrace && !state.graceHandled) {
    out.messages.push(
      attestation('after-grace', label, stale, cal.graceEnds, settings.autoDecommission),
    );
    // Nothing is decommissioned only because its owners left (issue 17): an entry with no
    // owner left is listed for the security team instead.
    const ownerless = stale.filter((e) => e.owners !== undefined && e.owners.length === 0);
    const closing = stale.filter((e) => !ownerless.includes(e));
    if (settings.autoDecommission && closing.length > 0)
      decommission(registry, closing, label, cal.graceEnds, now, ss);
    if (ownerless.length > 0)
      out.lines.push(
        `${ownerless.length} unconfirmed project(s) have no owner left (every owner was marked as gone), so they were not decommissioned: ${ownerless
          .slice(0, 20)
          .map((e) => e.id)
          .join(', ')}. Name a department contact or a co-owner.`,
      );
    out.lines.push(
      settings.autoDecommission
        ? `${label} attestation closed: ${stale.length - ownerless.length} unconfirmed project(s) marked Decommissioned.`
        : `${label} attestation closed: ${stale.length} project(s) not confirmed: ${
            stale
              .map((e) => e.id)
              .slice(0, 20)
              .join(', ') || 'none'
          }.`,
    );
    state.graceHandled = true;
  }
  registryProperties().setProperty(STATE, JSON.stringify(state));
  return out;
}

/** After grace with auto-decommission on: status and a Checks reason, in one write. Nothing is deleted. */
function decommission(
  registry: Registry,
  stale: readonly (AttestationEntry & { row: number })[],
  label: string,
  graceEnds: string,
  now: Date,
  ss: Spreadsheet,
): void {
  const cols = registry.columns;
  const first = Math.min(...stale.map((e) => e.row));
  const last = Math.max(...stale.map((e) => e.row));
  const rows = new Set(stale.map((e) => e.row));
  const audit: AuditEntry[] = [];
  const changed: number[] = [];
  const block = registry.rows.slice(first - 2, last - 1).map((row, i) => {
    const copy = row.slice();
    if (!rows.has(first + i)) return copy;
    const id = asText(copy[cols['ID']]);
    audit.push({
      actor: SYSTEM_ACTOR,
      action: 'Decommissioned',
      registryId: id,
      field: 'Deployment Status',
      oldValue: asText(copy[cols['Deployment Status']]),
      newValue: 'Decommissioned',
    });
    copy[cols['Deployment Status']] = 'Decommissioned';
    const reason = `Decommissioned automatically: not confirmed in the ${label} attestation (grace period ended ${graceEnds}).`;
    copy[cols['Checks']] = `${reason}\n${asText(copy[cols['Checks']])}`.trim();
    changed.push(i);
    return copy;
  });
  sealRows(sealer(ss), block, changed, cols, audit);
  // Only the rows it changed (the rows between are as read at the start of a long daily run:
  // someone may have typed in them since).
  writeChanged(
    registry,
    first,
    registry.rows.slice(first - 2, last - 1),
    block,
    REGISTRY.columns.filter((c) => c.owned).map((c) => cols[c.header]),
  );
  appendAudit(ss, audit, now);
}

/** Computes last month's review from the registry, the catalog and the Reviews sheet. */
export function computeMonthlyReview(
  ss: Spreadsheet,
  settings: Settings,
  now: Date,
): MonthlyReview {
  const tz = settings.timeZone;
  const today = Utilities.formatDate(now, tz, DATE_PATTERN);
  const registry = readTable(ss, REGISTRY);
  // Entries left unconfirmed when the current quarter's grace period ended (if it has).
  const cal = attestationCalendar(today, settings.graceDays, settings.holidays);
  const unconfirmed =
    today >= cal.graceEnds
      ? attestationEntries(registry, tz)
          .filter((e) => needsConfirmation(e, cal.quarter))
          .map((e) => e.id)
      : [];
  // Entries a lapsed SOC 2 report holds as Needs Info (issue 17): their Checks say so.
  const soc2Lapsed = (registry?.rows ?? [])
    .filter(
      (row) =>
        asText(row[registry!.columns['Approval']]) === 'Needs Info' &&
        heldByLapse(asText(row[registry!.columns['Checks']])),
    )
    .map((row) => asText(row[registry!.columns['ID']]).trim());
  return monthlyReview(
    previousMonth(today),
    metricEntries(registry, tz).filter((e) => e.id !== ''),
    readCatalog(ss, tz).map((t) => t.tool),
    reviewRecords(readTable(ss, REVIEWS), tz),
    settings.reviewSlaDays,
    today,
    unconfirmed,
    soc2Lapsed,
  );
}

/** Replaces the `Report - Monthly Review` sheet with the review, in one write. */
export function writeMonthlyReport(
  ss: Spreadsheet,
  review: MonthlyReview,
  now: Date,
  tz: string,
): void {
  const rows: (string | number)[][] = [
    [`Monthly registry review: ${review.month}`, ''],
    ['Generated', Utilities.formatDate(now, tz, 'yyyy-MM-dd HH:mm')],
    ['', ''],
    ['New entries', review.newEntries],
    ...review.byTier.map(([k, n]) => [`  ${k}`, n]),
    ['By department', ''],
    ...review.byDepartment.map(([k, n]) => [`  ${k}`, n]),
    ['Unlisted AI tools (not in AI Tools)', review.unlistedTools.length],
    ...review.unlistedTools.map(([k, n]) => [`  ${k}`, n]),
    ['Entries needing attention', review.needsAttention.length],
    ...review.needsAttention.map((a) => [`  ${a.id}`, a.approval]),
    ['Reviews decided', review.reviewsDecided],
    ['Median business days to decide', review.medianBusinessDays ?? 'not enough data'],
    [
      'Decided within the SLA',
      review.withinSla === null ? 'not enough data' : `${Math.round(review.withinSla * 100)}%`,
    ],
    ['Open reviews', review.openReviews],
    ['Overdue reviews', review.overdueReviews],
    ['Not confirmed in the last attestation', review.unconfirmed.length],
    ...review.unconfirmed.map((id) => [`  ${id}`, 'unconfirmed after the grace period']),
    ['Needs Info because a SOC 2 report lapsed', review.soc2Lapsed.length],
    ...review.soc2Lapsed.map((id) => [`  ${id}`, 'SOC 2 lapsed']),
  ];
  replaceSheet(ss, MONTHLY_SHEET, rows).setColumnWidth(1, 320);
}

/** On a month's first business day (or the first daily run after it): the report and Slack, once. */
export function monthlySweep(ss: Spreadsheet, settings: Settings, now: Date): SweepResult {
  const tz = settings.timeZone;
  const today = Utilities.formatDate(now, tz, DATE_PATTERN);
  const props = registryProperties();
  if (today < firstBusinessDayFrom(monthStart(today), settings.holidays))
    return { lines: [], messages: [] };
  if (props.getProperty(MONTHLY) === today.slice(0, 7)) return { lines: [], messages: [] };
  const review = computeMonthlyReview(ss, settings, now);
  writeMonthlyReport(ss, review, now, tz);
  props.setProperty(MONTHLY, today.slice(0, 7));
  return {
    lines: [
      `Wrote the monthly review for ${review.month} (${review.newEntries} new entries) and posted it to Slack.`,
    ],
    messages: [{ kind: 'monthly', message: monthlyDigestMessage(review) }],
  };
}

/**
 * A registry set up mid-quarter has nothing to attest yet: its first attestation is next
 * quarter's, and its first monthly review next month's. Called by setup, once.
 */
export function startCycles(settings: Settings, now: Date): void {
  const props = registryProperties();
  const today = Utilities.formatDate(now, settings.timeZone, DATE_PATTERN);
  if (props.getProperty(STATE) === null) {
    const done: State = {
      quarter: attestationCalendar(today, settings.graceDays).quarter,
      kickoffPosted: true,
      reminderPosted: true,
      graceHandled: true,
      kickoffMail: { ...newCursor(), done: true },
      reminderMail: { ...newCursor(), done: true },
    };
    props.setProperty(STATE, JSON.stringify(done));
  }
  if (props.getProperty(MONTHLY) === null) props.setProperty(MONTHLY, today.slice(0, 7));
}
