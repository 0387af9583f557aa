import { isWaitingReview } from './schema';
import { addDays, isBusinessDay } from './calendar';
import { countBy, median, toolCounts, type MetricEntry } from './metrics';

/**
 * The quarterly "is this still alive?" cleanup (the guide's pitfall: projects get abandoned).
 * Dates are yyyy-MM-dd in the settings' time zone; the shell converts instants.
 */
export function quarterStart(date: string): string {
  const [y, m] = date.split('-').map(Number);
  return `${y}-${String(Math.floor((m - 1) / 3) * 3 + 1).padStart(2, '0')}-01`;
}

export function monthStart(date: string): string {
  return `${date.slice(0, 7)}-01`;
}

/** The first business day on or after `date`. */
export function firstBusinessDayFrom(date: string, holidays: readonly string[] = []): string {
  let d = date;
  while (!isBusinessDay(d, holidays)) d = addDays(d, 1);
  return d;
}

/** "Q1 2027" */
export function quarterLabel(start: string): string {
  const [y, m] = start.split('-').map(Number);
  return `Q${Math.floor((m - 1) / 3) + 1} ${y}`;
}

export interface AttestationCalendar {
  quarter: string;
  kickoff: string;
  reminder: string;
  graceEnds: string;
}

/** Kickoff on the quarter's first business day; a reminder halfway through the grace period. */
export function attestationCalendar(
  today: string,
  graceDays: number,
  holidays: readonly string[] = [],
): AttestationCalendar {
  const quarter = quarterStart(today);
  const kickoff = firstBusinessDayFrom(quarter, holidays);
  return {
    quarter,
    kickoff,
    reminder: addDays(kickoff, Math.floor(graceDays / 2)),
    graceEnds: addDays(kickoff, graceDays),
  };
}

export interface AttestationEntry {
  id: string;
  creator: string;
  /** The sealed owners (DESIGN §6.1): they get the entry's mail; else the creator does. */
  owners?: string[];
  project: string;
  deploymentStatus: string;
  /** yyyy-MM-dd, or null. Registration counts as the first confirmation. */
  lastConfirmed: string | null;
  registered: string | null;
}

/** Live entries last confirmed (or registered) before the quarter started. */
export function needsConfirmation(entry: AttestationEntry, quarter: string): boolean {
  if (entry.deploymentStatus === 'Decommissioned' || entry.id === '') return false;
  const last = entry.lastConfirmed ?? entry.registered;
  return last !== null && last < quarter;
}

export type AttestationOutcome = 'confirmed' | 'decommissioned' | 'pending' | 'unconfirmed';

export function attestationOutcome(
  entry: AttestationEntry,
  cal: AttestationCalendar,
  today: string,
): AttestationOutcome {
  if (entry.deploymentStatus === 'Decommissioned') return 'decommissioned';
  if (!needsConfirmation(entry, cal.quarter)) return 'confirmed';
  return today >= cal.graceEnds ? 'unconfirmed' : 'pending';
}

/**
 * Stale entries grouped by recipient (each owner, or the creator when owners are unknown), so
 * each person gets one email listing all of theirs.
 */
export function byCreator(entries: readonly AttestationEntry[]): Map<string, AttestationEntry[]> {
  const out = new Map<string, AttestationEntry[]>();
  for (const e of entries)
    // A sealed entry's owners, even none (all marked as gone, issue 17): never the creator
    // who left. Only an entry without a seal falls back to its Creator Email.
    for (const to of e.owners ?? [e.creator]) {
      if (to === '') continue;
      // Appended in place: one person may own tens of thousands of entries (an import).
      const list = out.get(to);
      if (list) list.push(e);
      else out.set(to, [e]);
    }
  return out;
}

// ------------------------------------------------------------------ the monthly review

export interface MonthlyReview {
  month: string;
  newEntries: number;
  byTier: [string, number][];
  byDepartment: [string, number][];
  unlistedTools: [string, number][];
  needsAttention: { id: string; approval: string }[];
  reviewsDecided: number;
  medianBusinessDays: number | null;
  withinSla: number | null;
  openReviews: number;
  overdueReviews: number;
  /** Entries not confirmed by the end of the last attestation's grace period. */
  unconfirmed: string[];
  /** Tier 2 entries held as Needs Info because their AI tool's SOC 2 report lapsed (issue 17). */
  soc2Lapsed: string[];
}

const ATTENTION = ['Needs Info', 'Review Overdue', 'Changes Requested'];

/**
 * What the security team reviews each month (the guide's "monthly security team review of
 * registry"): last month's new entries by tier and department, AI tools people use that are
 * not in the catalog, entries needing attention, and review SLA performance.
 */
export function monthlyReview(
  month: string,
  entries: readonly MetricEntry[],
  catalog: readonly string[],
  reviews: readonly {
    status: string;
    decided: string | null;
    businessDays: number | null;
    due: string | null;
  }[],
  slaDays: number,
  today: string,
  unconfirmed: readonly string[] = [],
  soc2Lapsed: readonly string[] = [],
): MonthlyReview {
  const inMonth = entries.filter(
    (e) => e.registered !== null && e.registered.slice(0, 7) === month,
  );
  const listed = new Set(catalog.map((t) => t.trim().toLowerCase()));
  const decided = reviews.filter(
    (r) => r.decided !== null && r.decided.slice(0, 7) === month && r.businessDays !== null,
  );
  const days = decided.map((r) => r.businessDays as number).sort((a, b) => a - b);
  const open = reviews.filter((r) => isWaitingReview(r.status));
  return {
    month,
    newEntries: inMonth.length,
    byTier: countBy(inMonth.map((e) => e.tier)),
    byDepartment: countBy(inMonth.map((e) => e.department)),
    unlistedTools: toolCounts(
      entries
        .map((e) => e.tool)
        .filter((t) => t.trim() !== '' && !listed.has(t.trim().toLowerCase())),
    ),
    needsAttention: entries
      .filter(
        (e) =>
          ATTENTION.includes(e.approval) ||
          (e.approval === 'Blocked' && e.deploymentStatus === 'Production'),
      )
      .map((e) => ({ id: e.id, approval: e.approval })),
    reviewsDecided: decided.length,
    medianBusinessDays: median(days),
    withinSla:
      decided.length === 0
        ? null
        : decided.filter((r) => (r.businessDays as number) <= slaDays).length / decided.length,
    openReviews: open.length,
    overdueReviews: open.filter((r) => r.due !== null && r.due < today).length,
    unconfirmed: unconfirmed.slice(),
    soc2Lapsed: soc2Lapsed.slice(),
  };
}

/** The month before the one `date` is in: "2027-01-15" → "2026-12". */
export function previousMonth(date: string): string {
  const [y, m] = date.split('-').map(Number);
  return m === 1 ? `${y - 1}-12` : `${y}-${String(m - 1).padStart(2, '0')}`;
}
