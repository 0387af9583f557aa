import { isWaitingReview } from './schema';
/**
 * The guide's Phase 4 metrics: registry adoption (registered ÷ estimated AI-built projects,
 * with the 40% line) and Tier 3 time-to-review, plus the counts the security team reads.
 * Defined for empty and tiny registries: "not enough data" rather than a misleading 0%.
 */
export const ADOPTION_TARGET = 0.4;

export interface MetricEntry {
  id: string;
  registered: string | null;
  tier: string;
  department: string;
  tool: string;
  approval: string;
  deploymentStatus: string;
}

export interface MetricReview {
  status: string;
  opened: string | null;
  due: string | null;
  businessDays: number | null;
}

export type Ratio = { value: number; text: string } | { value: null; text: string };

export interface Metrics {
  live: number;
  adoption: Ratio;
  belowTarget: boolean | null;
  timeToReview: {
    decided: number;
    median: number | null;
    p90: number | null;
    withinSla: Ratio;
    open: number;
    overdue: number;
  };
  byMonth: [string, number][];
  byTier: [string, number][];
  byDepartment: [string, number][];
  byTool: [string, number][];
  byApproval: [string, number][];
  byStatus: [string, number][];
  /** AI tools people report that the catalog does not list. */
  unlistedTools: [string, number][];
  /** Live entries waiting to be confirmed this quarter. */
  staleAttestations: number;
}

const NOT_ENOUGH = 'not enough data';

function ratio(part: number, whole: number | null, minimum = 1): Ratio {
  if (whole === null || whole < minimum) return { value: null, text: NOT_ENOUGH };
  const value = part / whole;
  return { value, text: `${Math.round(value * 100)}%` };
}

/** Nearest-rank percentile of sorted numbers; null for none. */
export function percentile(sorted: readonly number[], p: number): number | null {
  if (sorted.length === 0) return null;
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))];
}

export function median(sorted: readonly number[]): number | null {
  if (sorted.length === 0) return null;
  const mid = sorted.length / 2;
  return sorted.length % 2 ? sorted[Math.floor(mid)] : (sorted[mid - 1] + sorted[mid]) / 2;
}

export function countBy(values: readonly string[]): [string, number][] {
  const m = new Map<string, number>();
  for (const v of values) m.set(v || '(blank)', (m.get(v || '(blank)') ?? 0) + 1);
  return [...m].sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0]));
}

/** People type tool names freely: "Bard" and "bard " are one tool, shown as first spelled. */
export function toolCounts(tools: readonly string[]): [string, number][] {
  const m = new Map<string, [string, number]>();
  for (const t of tools) {
    const key = t.trim().toLowerCase();
    const seen = m.get(key);
    m.set(key, [seen?.[0] ?? t.trim(), (seen?.[1] ?? 0) + 1]);
  }
  return [...m.values()].sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0]));
}

export function computeMetrics(
  entries: readonly MetricEntry[],
  reviews: readonly MetricReview[],
  estimatedProjects: number | null,
  slaDays: number,
  today: string,
  catalog: readonly string[] = [],
  staleAttestations = 0,
): Metrics {
  const registered = entries.filter((e) => e.id !== '' && e.registered !== null);
  const live = registered.filter((e) => e.deploymentStatus !== 'Decommissioned');
  const adoption = ratio(live.length, estimatedProjects);
  const decided = reviews.filter((r) => !isWaitingReview(r.status) && r.businessDays !== null);
  const days = decided.map((r) => r.businessDays as number).sort((a, b) => a - b);
  const open = reviews.filter((r) => isWaitingReview(r.status));
  return {
    live: live.length,
    adoption,
    belowTarget: adoption.value === null ? null : adoption.value < ADOPTION_TARGET,
    timeToReview: {
      decided: decided.length,
      median: median(days),
      p90: percentile(days, 90),
      withinSla: ratio(days.filter((d) => d <= slaDays).length, decided.length),
      open: open.length,
      overdue: open.filter((r) => r.due !== null && r.due < today).length,
    },
    byMonth: countBy(registered.map((e) => (e.registered as string).slice(0, 7))).sort((a, b) =>
      a[0].localeCompare(b[0]),
    ),
    byTier: countBy(registered.map((e) => e.tier)),
    byDepartment: countBy(registered.map((e) => e.department)),
    byTool: countBy(registered.map((e) => e.tool)),
    byApproval: countBy(registered.map((e) => e.approval)),
    byStatus: countBy(registered.map((e) => e.deploymentStatus)),
    unlistedTools: toolCounts(
      registered
        .map((e) => e.tool)
        .filter(
          (t) =>
            t.trim() !== '' &&
            !catalog.some((c) => c.trim().toLowerCase() === t.trim().toLowerCase()),
        ),
    ),
    staleAttestations,
  };
}

/** What the guide advises when adoption is low. */
export const LOW_ADOPTION_ADVICE =
  'Adoption is below 40%: the governed path is not attractive enough yet. Find the friction (survey people who have not registered) and make registering easier than hiding a project.';

export interface DashboardTables {
  /** Month, then one column per tier. */
  perMonthByTier: (string | number)[][];
  approvals: [string, number][];
  /** Decided Tier 3 reviews by business days taken. */
  reviewTimes: [string, number][];
  /** Month and cumulative adoption in percent; empty without an estimate. */
  adoption: [string, number][];
  /** Issue 18: month, estimate-based and measured adoption in percent ('' where unknown). */
  trend?: [string, number | '', number | ''][];
}

const TIER_NAMES = [
  'Tier 1 - Public',
  'Tier 2 - Internal',
  'Tier 3 - Confidential',
  'Tier 4 - Regulated',
];
const BUCKETS: [string, number, number][] = [
  ['0–1 days', 0, 1],
  ['2–3 days', 2, 3],
  ['4–5 days', 4, 5],
  ['6–10 days', 6, 10],
  ['over 10 days', 11, Infinity],
];

/** The four tables the Dashboard's charts draw. */
export function dashboardTables(
  entries: readonly MetricEntry[],
  reviews: readonly MetricReview[],
  estimatedProjects: number | null,
): DashboardTables {
  const registered = entries.filter((e) => e.id !== '' && e.registered !== null);
  const months = [...new Set(registered.map((e) => (e.registered as string).slice(0, 7)))].sort();
  const perMonthByTier = months.map((m) => [
    m,
    ...TIER_NAMES.map(
      (t) =>
        registered.filter((e) => (e.registered as string).startsWith(m) && e.tier === t).length,
    ),
  ]);
  const days = reviews
    .filter((r) => !isWaitingReview(r.status) && r.businessDays !== null)
    .map((r) => r.businessDays as number);
  let cumulative = 0;
  const adoption: [string, number][] =
    estimatedProjects && estimatedProjects > 0
      ? months.map((m) => {
          cumulative += registered.filter(
            (e) =>
              (e.registered as string).startsWith(m) && e.deploymentStatus !== 'Decommissioned',
          ).length;
          return [m, Math.round((cumulative / estimatedProjects) * 1000) / 10];
        })
      : [];
  return {
    perMonthByTier,
    approvals: countBy(registered.map((e) => e.approval)),
    reviewTimes: BUCKETS.map(([label, lo, hi]) => [
      label,
      days.filter((d) => d >= lo && d <= hi).length,
    ]),
    adoption,
  };
}

export { TIER_NAMES };
