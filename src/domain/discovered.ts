import { simplify } from './inventory';
import { isEmail } from './settings';

/**
 * Discovered projects (issue 18): what the security team found from other sources (a
 * repository export, the Workspace admin console's app list, an Apps Script projects list)
 * reconciled with what people registered. A line is Registered (with the entry's ID) when an
 * entry of its owner has a name like it, Invited once its owner was asked to register it, or
 * Ignored by the security team with a reason. Pure rules; the daily job reads and writes.
 */

export const DISCOVERED_STATUSES = ['Registered', 'Invited', 'Ignored'] as const;
export type DiscoveredStatus = (typeof DISCOVERED_STATUSES)[number] | '';

export interface DiscoveredLine {
  /** Sheet row, for writing back. */
  row: number;
  source: string;
  name: string;
  owner: string;
  link: string;
  /** What the line's seal says (a status nobody sealed is ''). */
  status: DiscoveredStatus;
  reason: string;
}

export interface RegisteredEntry {
  id: string;
  project: string;
  /** The entry's owners (sealed) and its Creator Email, lower case. */
  people: readonly string[];
}

/** Words that say nothing about which project it is. */
const FILLER = new Set([
  'the',
  'a',
  'an',
  'app',
  'apps',
  'application',
  'tool',
  'script',
  'scripts',
  'bot',
  'project',
  'service',
  'api',
  'for',
  'and',
  'of',
  'v1',
  'v2',
  'ai',
  'git',
]);

/** A repository path or file name as a project name: `acme/expense-bot.git` → `expense bot`. */
export function nameOf(text: string): string {
  let t = text.trim();
  t = t.replace(/^https?:\/\/[^/]+\//i, '');
  t = t.replace(/\.git$/i, '');
  if (t.includes('/')) t = t.slice(t.lastIndexOf('/') + 1);
  t = t.replace(/([a-z])([A-Z])/g, '$1 $2'); // expenseBot → expense Bot
  return simplify(t.replace(/[_-]+/g, ' '));
}

function tokens(name: string): string[] {
  return name
    .split(' ')
    .map((w) => (w.length > 3 && w.endsWith('s') ? w.slice(0, -1) : w))
    .filter((w) => w !== '' && !FILLER.has(w));
}

function editDistance(a: string, b: string): number {
  if (Math.abs(a.length - b.length) > 3) return 99;
  const prev = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    let diag = prev[0];
    prev[0] = i;
    for (let j = 1; j <= b.length; j++) {
      const up = prev[j];
      prev[j] = Math.min(prev[j] + 1, prev[j - 1] + 1, diag + (a[i - 1] === b[j - 1] ? 0 : 1));
      diag = up;
    }
  }
  return prev[b.length];
}

/**
 * How alike two project names are, 0 to 1: the same letters once spaces and punctuation go
 * (1), one inside the other (0.9), a typo apart (0.85), else the share of meaningful words
 * they have in common.
 */
export function nameSimilarity(a: string, b: string): number {
  const na = nameOf(a);
  const nb = nameOf(b);
  const sa = na.replace(/[^\p{L}\p{N}]/gu, '');
  const sb = nb.replace(/[^\p{L}\p{N}]/gu, '');
  if (sa === '' || sb === '') return 0;
  if (sa === sb) return 1;
  const [short, long] = sa.length <= sb.length ? [sa, sb] : [sb, sa];
  if (short.length >= 5 && long.includes(short)) return 0.9;
  if (short.length >= 6 && editDistance(sa, sb) <= (short.length >= 10 ? 2 : 1)) return 0.85;
  const ta = new Set(tokens(na));
  const tb = new Set(tokens(nb));
  if (ta.size === 0 || tb.size === 0) return 0;
  const common = [...ta].filter((w) => tb.has(w)).length;
  return common / new Set([...ta, ...tb]).size;
}

/**
 * The start of a held line's Reason: it was added or changed while the sheet's protection was
 * missing, or its seal was lost, so its invitation waits for the security team.
 */
export const HELD = 'Held:';

/** Names at least this alike are the same project (with the same owner). */
export const MATCH_THRESHOLD = 0.6;

/** What a line becomes; `invite` asks the shell to mail its owner (then it is Invited). */
export interface Reconciled {
  row: number;
  status: DiscoveredStatus;
  reason: string;
  invite: boolean;
}

/**
 * Each line's status from the registry as it stands:
 * - Ignored stays (a security-team decision, with its reason);
 * - a line whose owner has an entry with a name like it is Registered, with the ID (a line
 *   already Registered stays so while its entry exists, renamed or not);
 * - a line with no owner address matches an entry by name alone only when exactly one entry
 *   has that very name;
 * - otherwise a line already Invited stays Invited; a line whose owner can be mailed (an
 *   address in the organisation) is to be invited; the rest wait with the reason.
 */
export function reconcile(
  lines: readonly DiscoveredLine[],
  entries: readonly RegisteredEntry[],
  organisation: ReadonlySet<string>,
  /**
   * Whether the person is an owner of the entry by its seal (the cells say who the entry names;
   * only the seal says who owns it). Asked only of the entry a line would be matched to.
   */
  ownsSealed: (entryId: string, person: string) => boolean = () => true,
): Reconciled[] {
  const byPerson = new Map<string, RegisteredEntry[]>();
  const byId = new Map<string, RegisteredEntry>();
  const byName = new Map<string, RegisteredEntry[]>();
  for (const e of entries) {
    byId.set(e.id, e);
    for (const p of new Set(e.people)) {
      const list = byPerson.get(p) ?? [];
      list.push(e);
      byPerson.set(p, list);
    }
    const squashed = nameOf(e.project).replace(/[^\p{L}\p{N}]/gu, '');
    if (squashed) byName.set(squashed, [...(byName.get(squashed) ?? []), e]);
  }
  return lines.map((line) => {
    const done = (status: DiscoveredStatus, reason: string, invite = false): Reconciled => ({
      row: line.row,
      status,
      reason,
      invite,
    });
    if (line.status === 'Ignored') return done('Ignored', line.reason);
    if (line.status === 'Registered' && byId.has(line.reason))
      return done('Registered', line.reason);
    const owner = line.owner.trim().toLowerCase();
    if (isEmail(owner)) {
      let best: RegisteredEntry | null = null;
      let bestScore = 0;
      for (const e of byPerson.get(owner) ?? []) {
        const score = nameSimilarity(line.name, e.project);
        if (score < MATCH_THRESHOLD || !ownsSealed(e.id, owner)) continue;
        if (score > bestScore || (score === bestScore && best && e.id < best.id)) {
          best = e;
          bestScore = score;
        }
      }
      if (best && bestScore >= MATCH_THRESHOLD) return done('Registered', best.id);
    } else {
      const same = byName.get(nameOf(line.name).replace(/[^\p{L}\p{N}]/gu, '')) ?? [];
      if (same.length === 1) return done('Registered', same[0].id);
    }
    if (line.status === 'Invited') return done('Invited', line.reason);
    // Held (found while the sheet was unprotected, or after its seals were lost): nobody is
    // mailed until a security-team member has looked at the line and cleared the Reason.
    if (line.reason.startsWith(HELD)) return done('', line.reason);
    if (!isEmail(owner))
      return done(
        '',
        owner === ''
          ? 'No owner email: add the owner, or mark the line Ignored with a reason.'
          : `"${owner.slice(0, 60)}" is not an email address: correct the owner, or mark the line Ignored.`,
      );
    const domain = owner.slice(owner.lastIndexOf('@') + 1);
    if (organisation.size > 0 && !organisation.has(domain))
      return done(
        '',
        `${owner} is outside the organisation, so no invitation is mailed: ask them directly, or mark the line Ignored.`,
      );
    return done('', '', true);
  });
}

export interface MeasuredAdoption {
  registered: number;
  /** Discovered lines neither registered nor ignored. */
  unregistered: number;
  /** registered ÷ (registered + unregistered), or null without discovered lines. */
  value: number | null;
  discovered: number;
  ignored: number;
  matched: number;
}

/**
 * The measured adoption rate (issue 18): registered entries over registered plus the
 * discovered projects nobody registered. Without discovered lines there is nothing measured.
 */
export function measuredAdoption(
  registered: number,
  statuses: readonly DiscoveredStatus[],
): MeasuredAdoption {
  const ignored = statuses.filter((s) => s === 'Ignored').length;
  const matched = statuses.filter((s) => s === 'Registered').length;
  const unregistered = statuses.length - ignored - matched;
  const value =
    statuses.length === 0 || registered + unregistered === 0
      ? null
      : registered / (registered + unregistered);
  return { registered, unregistered, value, discovered: statuses.length, ignored, matched };
}

/** One month's figures kept for the trend. */
export interface AdoptionPoint {
  /** yyyy-MM */
  month: string;
  registered: number;
  unregistered: number;
  estimated: number | null;
}

/** The trend keeps one point a month (the latest of the month), at most two years. */
export function recordPoint(
  history: readonly AdoptionPoint[],
  point: AdoptionPoint,
): AdoptionPoint[] {
  const kept = history.filter(
    (p) =>
      p && typeof p.month === 'string' && /^\d{4}-\d{2}$/.test(p.month) && p.month !== point.month,
  );
  return [...kept, point].sort((a, b) => a.month.localeCompare(b.month)).slice(-24);
}

/** A line's status word as typed ("ignored", "IGNORE") read as one of the statuses. */
export function statusWord(text: string): DiscoveredStatus | null {
  const s = text.trim().toLowerCase();
  if (s === '') return '';
  if (s === 'ignore' || s === 'ignored') return 'Ignored';
  if (s === 'registered') return 'Registered';
  if (s === 'invited') return 'Invited';
  return null;
}

/** A percentage to one decimal, as the reports show it. */
export const percent = (value: number): number => Math.round(value * 1000) / 10;

/**
 * The trend the report and dashboard draw: per month, the estimate-based adoption (from the
 * registrations, cumulative) beside the measured one (from the daily reconciliation's monthly
 * points, with this month's figure as it stands now). A month without a figure is ''.
 */
export function adoptionTrend(
  estimated: readonly [string, number][],
  history: readonly AdoptionPoint[],
  now: { month: string; measured: MeasuredAdoption | null },
): [string, number | '', number | ''][] {
  const measured = new Map<string, number>();
  for (const p of history)
    if (p.registered + p.unregistered > 0)
      measured.set(p.month, percent(p.registered / (p.registered + p.unregistered)));
  if (now.measured?.value !== null && now.measured?.value !== undefined)
    measured.set(now.month, percent(now.measured.value));
  const byMonth = new Map(estimated);
  const months = [...new Set([...byMonth.keys(), ...measured.keys()])].sort();
  return months.map((m) => [m, byMonth.get(m) ?? '', measured.get(m) ?? '']);
}
