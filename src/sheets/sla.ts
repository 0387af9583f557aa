import { registryProperties } from '../services/store';
import { nextBusinessDay } from '../domain/calendar';
import { DATE_PATTERN, REGISTRY, REVIEWS } from '../domain/schema';
import type { Settings } from '../domain/settings';
import {
  overdueDigestMessage,
  reviewsDueMessage,
  type ReviewLine,
  type SlackMessage,
} from '../domain/slack';
import { normaliseTier, tierLevel } from '../domain/tiers';
import { asText, isDate } from './catalog';
import { processRegistryEdit } from './registry';
import { readTable, recordOf } from './table';

/** Which reminders and overdue notices went out, per review and due date, so none repeats. */
const NOTIFIED = 'slaNotified';

interface Notified {
  reminded: Record<string, string>;
  overdue: Record<string, string>;
}

export interface SweepReport {
  lines: string[];
  messages: SlackMessage[];
  /** Entries whose add-on cells did not match the policy and review decisions. */
  drift: string[];
}

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

  const open: ReviewLine[] = reviews.rows
    .map((row) => recordOf(reviews, row))
    .filter((r) => asText(r['Status']).trim() === 'Open' && isDate(r['Due']))
    .map((r) => ({
      reviewId: asText(r['Review ID']),
      registryId: asText(r['Registry ID']),
      project: asText(r['Project']),
      creator: asText(r['Creator Email']),
      due: Utilities.formatDate(r['Due'] as Date, tz, DATE_PATTERN),
    }));

  const props = registryProperties();
  let notified: Notified = { reminded: {}, overdue: {} };
  try {
    notified = {
      ...notified,
      ...(JSON.parse(props.getProperty(NOTIFIED) ?? '{}') as Partial<Notified>),
    };
  } catch {
    // A hand-edited property: start again rather than fail the job.
  }
  const dueSoon = open.filter((r) => r.due === tomorrow && notified.reminded[r.reviewId] !== r.due);
  const newlyOverdue = open.filter((r) => r.due < today && notified.overdue[r.reviewId] !== r.due);
  if (dueSoon.length > 0) {
    report.messages.push(reviewsDueMessage(dueSoon, tomorrow));
    report.lines.push(`Reminded the security team of ${dueSoon.length} review(s) due ${tomorrow}.`);
  }
  if (newlyOverdue.length > 0) {
    report.messages.push(overdueDigestMessage(newlyOverdue));
    report.lines.push(
      `${newlyOverdue.length} review(s) became overdue: ${newlyOverdue.map((r) => r.registryId).join(', ')}.`,
    );
  }
  // Keep only open reviews' entries: the property stays small.
  const keep = (map: Record<string, string>, add: ReviewLine[]) =>
    Object.fromEntries([
      ...open.filter((r) => map[r.reviewId] === r.due).map((r) => [r.reviewId, r.due]),
      ...add.map((r) => [r.reviewId, r.due]),
    ]);
  props.setProperty(
    NOTIFIED,
    JSON.stringify({
      reminded: keep(notified.reminded, dueSoon),
      overdue: keep(notified.overdue, newlyOverdue),
    }),
  );

  // Re-decide every Tier 3 and Tier 4 entry from the policy and the review decisions.
  const cols = registry.columns;
  const before = new Map<number, string>();
  registry.rows.forEach((row, i) => {
    const tier = normaliseTier(row[cols['Data Tier']]);
    if (tier && tierLevel(tier) >= 3 && asText(row[cols['ID']]) !== '')
      before.set(i + 2, asText(row[cols['Approval']]));
  });
  if (before.size === 0) return report;
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
    },
    settings,
    now,
    { registry, reviews },
  );
  for (const row of outcome.rows) {
    const was = before.get(row.row);
    if (was === undefined || was === row.approval) continue;
    if (was === 'In Review' && row.approval === 'Review Overdue') continue; // expected, reported above
    report.drift.push(`${row.id} Approval "${was}" → "${row.approval}"`);
  }
  if (report.drift.length > 0) {
    report.lines.push(
      `Corrected ${report.drift.length} add-on cell(s) that did not match the policy and review decisions: ${report.drift.slice(0, 10).join('; ')}.`,
    );
  }
  return report;
}
