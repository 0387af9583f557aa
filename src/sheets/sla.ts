import { escalationItem, expiryItems, overdueItem, type PersonalItem } from '../domain/mail';
import { approvalExpiry, approvalPhase, expiryNoticeDate } from '../domain/lifecycle';
import { appendAudit, auditEntryCount, SYSTEM_ACTOR, type AuditEntry } from './audit-log';
import { rowOwners, sealer } from './seals';
import { registryProperties } from '../services/store';
import { nextBusinessDay } from '../domain/calendar';
import { DATE_PATTERN, isWaitingReview, REGISTRY, REVIEWS } from '../domain/schema';
import { isSecurityTeamMember, type Settings } from '../domain/settings';
import {
  lifecycleMessage,
  notificationsFor,
  overdueDigestMessage,
  reviewsDueMessage,
  type ReviewLine,
  type Outgoing,
} from '../domain/slack';
import { normaliseTier, tierLevel } from '../domain/tiers';
import { asText, isDate } from './catalog';
import { latestById, processRegistryEdit } from './registry';
import { readTable, recordOf, type Cell } from './table';

/** Which reminders and overdue notices went out, per review and due date, so none repeats. */
const NOTIFIED = 'slaNotified';

interface Notified {
  /** The last sweep's day and next business day (yyyy-MM-dd, settings' zone). */
  today: string;
  tomorrow: string;
  /** Before the watermark: review ID → due date already reminded, or reported overdue. */
  reminded: Record<string, string>;
  overdue: Record<string, string>;
}

export interface SweepReport {
  lines: string[];
  messages: Outgoing[];
  /** Entries whose add-on cells did not match the policy and review decisions. */
  drift: string[];
}

/** Approvals that change with the calendar while a review is pending. */
const WAITING = new Set(['', 'In Review', 'Review Overdue', 'Re-review Due']);

/**
 * The review part of the daily job: reminders for reviews due on the next business day, one
 * digest for reviews newly overdue, and every Tier 3/4 entry re-decided from the policy and
 * the review decisions, so Review Overdue appears and any drift is corrected and reported.
 */
export function reviewSweep(
  ss: GoogleAppsScript.Spreadsheet.Spreadsheet,
  settings: Settings,
  now: Date,
): SweepReport {
  const report: SweepReport = { lines: [], messages: [], drift: [] };
  const reviews = readTable(ss, REVIEWS);
  const registry = readTable(ss, REGISTRY);
  if (!reviews || !registry) return report;
  const tz = settings.timeZone;
  const today = Utilities.formatDate(now, tz, DATE_PATTERN);
  const tomorrow = nextBusinessDay(today, settings.holidays);

  const records = reviews.rows.map((row) => recordOf(reviews, row));
  const open: ReviewLine[] = records
    .filter((r) => isWaitingReview(asText(r['Status']).trim()) && isDate(r['Due']))
    .map((r) => ({
      reviewId: asText(r['Review ID']),
      registryId: asText(r['Registry ID']),
      project: asText(r['Project']),
      creator: asText(r['Creator Email']),
      due: Utilities.formatDate(r['Due'] as Date, tz, DATE_PATTERN),
      assignedTo: asText(r['Assigned To']).trim(),
    }));
  // Each entry's latest review (its highest Review ID, wherever the row is): an approval that
  // is expiring, or has expired and waits for the re-decision below to open its re-review.
  const latest = new Map(
    [
      ...latestById(
        records.map((r) => ({
          reviewId: asText(r['Review ID']),
          registryId: asText(r['Registry ID']).trim(),
          r,
        })),
      ),
    ].map(([id, { r }]) => [id, r]),
  );
  const expiring: { r: Record<string, Cell>; expiry: string; notice: string }[] = [];
  const expired = new Set<string>();
  for (const [id, r] of latest) {
    const status = asText(r['Status']).trim();
    if (id === '' || (status !== 'Approved' && status !== 'First Approval')) continue;
    if (!isDate(r['Decided'])) continue;
    const decided = Utilities.formatDate(r['Decided'] as Date, tz, DATE_PATTERN);
    const phase = approvalPhase(decided, settings.approvalMonths, today);
    if (phase === 'expired') expired.add(id);
    else if (phase === 'expiring') {
      const expiry = approvalExpiry(decided, settings.approvalMonths);
      expiring.push({ r, expiry, notice: expiryNoticeDate(expiry) });
    }
  }

  // What was already said is a watermark, not a list (it stays a few bytes whatever the
  // number of open reviews): the day of the last sweep. Reviews due the next business day are
  // reminded once (their due date is past the last sweep's next business day); reviews whose
  // due date passed since the last sweep are newly overdue. Days without a sweep are covered.
  const props = registryProperties();
  let last: Partial<Notified> = {};
  try {
    last = JSON.parse(props.getProperty(NOTIFIED) ?? '{}') as Partial<Notified>;
  } catch {
    // A hand-edited property: start again rather than fail the job.
  }
  const was = (list: Record<string, string> | undefined, r: ReviewLine) =>
    list?.[r.reviewId] === r.due;
  const dueSoon = open.filter((r) =>
    typeof last.tomorrow === 'string'
      ? r.due > last.tomorrow && r.due <= tomorrow && r.due >= today
      : r.due === tomorrow && !was(last.reminded, r),
  );
  const newlyOverdue = open.filter((r) =>
    typeof last.today === 'string'
      ? r.due < today && r.due >= last.today
      : r.due < today && !was(last.overdue, r),
  );
  // Told once: the notice day passed since the last sweep (or, on a first sweep, is today).
  const toldNow = expiring.filter(({ notice }) =>
    typeof last.today === 'string' ? notice > last.today && notice <= today : notice === today,
  );
  if (toldNow.length > 0) {
    const lines = toldNow.map(
      ({ r, expiry }) =>
        `${asText(r['Registry ID'])} ${asText(r['Project']).slice(0, 100)}: the approval of ${asText(r['Review ID'])} (${asText(r['Reviewer']) || 'the security team'}) expires ${expiry}; a re-review opens that day.`,
    );
    report.messages.push({
      kind: 'lifecycle',
      message: lifecycleMessage(
        `${toldNow.length} Tier 3 approval(s) expire within a month`,
        lines,
      ),
    });
    report.lines.push(
      `Told owners and reviewers of ${toldNow.length} approval(s) expiring within a month.`,
    );
    const byId = new Map(toldNow.map((t) => [asText(t.r['Registry ID']).trim(), t]));
    const s = sealer(ss);
    const sheetUrl = `${ss.getUrl()}#gid=${registry.sheet.getSheetId()}`;
    const items: PersonalItem[] = [];
    registry.rows.forEach((row, i) => {
      const t = byId.get(asText(row[registry.columns['ID']]).trim());
      if (!t) return;
      const owned = rowOwners(s, row, registry.columns);
      const reviewers = asText(t.r['Reviewer'])
        .split(',')
        .map((e) => e.trim().toLowerCase())
        .filter((e) => isSecurityTeamMember(settings, e));
      items.push(
        ...expiryItems(
          {
            id: asText(row[registry.columns['ID']]).trim(),
            project: asText(row[registry.columns['Project']]),
            url: `${sheetUrl}&range=A${i + 2}`,
            owners: owned?.owners ?? [],
          },
          t.expiry,
          reviewers.length > 0 ? reviewers : settings.securityTeam,
        ),
      );
    });
    if (items.length > 0) report.messages.push({ personal: items });
  }
  if (dueSoon.length > 0) {
    report.messages.push({ kind: 'overdue', message: reviewsDueMessage(dueSoon, tomorrow) });
    report.lines.push(`Reminded the security team of ${dueSoon.length} review(s) due ${tomorrow}.`);
  }
  const lead = settings.securityLead;
  const escalations: AuditEntry[] = [];
  if (newlyOverdue.length > 0) {
    report.messages.push({
      kind: 'overdue',
      message: overdueDigestMessage(newlyOverdue, lead),
    });
    // Escalated to the named lead (issue 17): by mail, and on record.
    if (lead) {
      const url = `${ss.getUrl()}#gid=${reviews.sheet.getSheetId()}`;
      report.messages.push({ personal: [escalationItem(newlyOverdue, lead, url)] });
      for (const r of newlyOverdue)
        escalations.push({
          actor: SYSTEM_ACTOR,
          action: 'Escalated',
          registryId: r.registryId.trim(),
          field: r.reviewId,
          oldValue: `due ${r.due}${r.assignedTo ? `, assigned to ${r.assignedTo}` : ''}`,
          newValue: lead,
        });
      report.lines.push(`Escalated ${newlyOverdue.length} overdue review(s) to ${lead}.`);
    }
    report.lines.push(
      `${newlyOverdue.length} review(s) became overdue: ${newlyOverdue
        .slice(0, 20)
        .map((r) => r.registryId)
        .join(', ')}${newlyOverdue.length > 20 ? ` and ${newlyOverdue.length - 20} more` : ''}.`,
    );
  }
  if (newlyOverdue.length > 0) {
    // Each owner hears that their review is late (the sealed owners, DESIGN §6.1).
    const late = new Map(newlyOverdue.map((r) => [r.registryId.trim(), r.due]));
    const s = sealer(ss);
    const sheetUrl = `${ss.getUrl()}#gid=${registry.sheet.getSheetId()}`;
    const items: PersonalItem[] = [];
    registry.rows.forEach((row, i) => {
      const id = asText(row[registry.columns['ID']]).trim();
      const due = late.get(id);
      if (due === undefined) return;
      const owned = rowOwners(s, row, registry.columns);
      if (!owned) return;
      const project = asText(row[registry.columns['Project']]);
      items.push(
        ...overdueItem(
          { id, project, url: `${sheetUrl}&range=A${i + 2}`, owners: owned.owners },
          due,
        ),
      );
    });
    if (items.length > 0) report.messages.push({ personal: items });
  }
  if (last.today !== today || last.tomorrow !== tomorrow)
    props.setProperty(NOTIFIED, JSON.stringify({ today, tomorrow }));

  // Re-decide from the policy and the review decisions the Tier 3 and Tier 4 entries whose
  // state follows the calendar (an open review, an entry waiting on one), and a rotating
  // seventh of the others, so any drift is corrected within a week at a seventh of the cost.
  const cols = registry.columns;
  const openFor = new Set(open.map((r) => r.registryId.trim()));
  const share = Math.floor(now.getTime() / 86400000) % 7;
  const before = new Map<number, string>();
  registry.rows.forEach((row, i) => {
    const tier = normaliseTier(row[cols['Data Tier']]);
    const id = asText(row[cols['ID']]).trim();
    if (!tier || tierLevel(tier) < 3 || id === '') return;
    const approval = asText(row[cols['Approval']]);
    if (openFor.has(id) || expired.has(id) || WAITING.has(approval.trim()) || i % 7 === share)
      before.set(i + 2, approval);
  });
  if (before.size === 0) {
    if (escalations.length > 0) appendAudit(ss, escalations, now);
    return report;
  }
  // The escalations go into the re-decision's append (one batch); if it stops before its
  // append, they are recorded on their own.
  const count = auditEntryCount();
  const outcome = processRegistryEdit(
    ss,
    {
      user: 'Governed Path (daily check)',
      row: 0,
      column: 0,
      numRows: 0,
      numColumns: 0,
      source: 'system',
      rows: [...before.keys()],
      auditBefore: escalations,
    },
    settings,
    now,
    { registry, reviews },
  );
  if (escalations.length > 0 && auditEntryCount() === count) appendAudit(ss, escalations, now);
  for (const row of outcome.rows) {
    const was = before.get(row.row);
    if (was === undefined || was === row.approval) continue;
    if (was === 'In Review' && row.approval === 'Review Overdue') continue; // expected, reported above
    if (row.approval === 'Re-review Due') continue; // an approval expired (issue 17): reported below
    report.drift.push(`${row.id} Approval "${was}" → "${row.approval}"`);
  }
  const reReviews = outcome.events.filter(
    (e) => e.type === 'review-opened' && e.detail.includes('re-review'),
  );
  if (reReviews.length > 0) {
    report.lines.push(
      `${reReviews.length} Tier 3 approval(s) expired; re-reviews opened: ${reReviews
        .slice(0, 20)
        .map((e) => e.registryId)
        .join(', ')}.`,
    );
    report.messages.push({ notifications: notificationsFor(reReviews, SYSTEM_ACTOR) });
  }
  if (report.drift.length > 0) {
    report.lines.push(
      `Corrected ${report.drift.length} add-on cell(s) that did not match the policy and review decisions: ${report.drift.slice(0, 10).join('; ')}.`,
    );
  }
  return report;
}
