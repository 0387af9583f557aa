/**
 * The review lifecycle (issue 17), as plain rules on yyyy-MM-dd dates and lists: when a Tier 3
 * approval expires and is announced, when a vendor's SOC 2 Type II report lapses and is
 * announced, who a new review is assigned to, who may give a second approval, and who owns an
 * entry once a person has left. The shell reads the sheets and the stores, these decide.
 */
import { addDays } from './calendar';

/** A month either side of an expiry: how early people hear of it. */
export const EXPIRY_NOTICE_MONTHS = 1;
/** Days before a SOC 2 report lapses that the security team hears which entries depend on it. */
export const SOC2_NOTICE_DAYS = 30;
export const APPROVAL_MONTHS = { min: 1, max: 36, default: 12 } as const;

const ISO = /^(\d{4})-(\d{2})-(\d{2})$/;

/**
 * `date` plus `months` calendar months; a day the target month lacks becomes its last day
 * (2026-01-31 + 1 month = 2026-02-28), so an expiry never spills into the month after.
 */
export function addMonths(date: string, months: number): string {
  const m = ISO.exec(date);
  if (!m) throw new Error(`Not a yyyy-MM-dd date: ${date}`);
  const total = Number(m[1]) * 12 + (Number(m[2]) - 1) + months;
  const year = Math.floor(total / 12);
  const month = total - year * 12;
  const last = new Date(Date.UTC(year, month + 1, 0)).getUTCDate();
  const day = Math.min(Number(m[3]), last);
  return `${String(year).padStart(4, '0')}-${String(month + 1).padStart(2, '0')}-${String(day).padStart(2, '0')}`;
}

/** The day a Tier 3 approval decided on `decided` stops counting: a re-review opens that day. */
export function approvalExpiry(decided: string, months: number): string {
  return addMonths(decided, months);
}

/** The day the owners and reviewers are told an approval is about to expire. */
export function expiryNoticeDate(expiry: string): string {
  return addMonths(expiry, -EXPIRY_NOTICE_MONTHS);
}

export type ApprovalPhase = 'current' | 'expiring' | 'expired';

/** Where an approval decided on `decided` stands on `today`. */
export function approvalPhase(decided: string, months: number, today: string): ApprovalPhase {
  if (!ISO.test(decided)) return 'current';
  const expiry = approvalExpiry(decided, months);
  if (today >= expiry) return 'expired';
  return today >= expiryNoticeDate(expiry) ? 'expiring' : 'current';
}

const SOC2_MONTHS = 12;

/** A SOC 2 Type II report counts for 12 months from the day it was verified. */
export function soc2Current(verified: string | null, today: string): boolean {
  if (!verified || !ISO.test(verified)) return false;
  const [y, m, d] = today.split('-').map(Number);
  const cutoff = new Date(Date.UTC(y, m - 1 - SOC2_MONTHS, d)).toISOString().slice(0, 10);
  return verified >= cutoff && verified <= addDays(today, 1);
}

/**
 * The first day a SOC 2 Type II report verified on `verified` no longer counts (the policy's own
 * soc2Current decides: this only finds the day it turns), or null for a date that is not one.
 */
export function soc2LapsesOn(verified: string | null): string | null {
  if (!verified || !ISO.test(verified)) return null;
  let day = addDays(addMonths(verified, 12), -3);
  for (let i = 0; i < 10; i++, day = addDays(day, 1)) if (!soc2Current(verified, day)) return day;
  return addDays(addMonths(verified, 12), 1);
}

export type Soc2Phase = 'current' | 'lapsing' | 'lapsed' | 'none';

/** A tool's SOC 2 report on `today`: current, within the notice window, lapsed, or never verified. */
export function soc2Phase(verified: string | null, today: string): Soc2Phase {
  const lapse = soc2LapsesOn(verified);
  if (!lapse) return 'none';
  if (today >= lapse) return 'lapsed';
  return today >= addDays(lapse, -SOC2_NOTICE_DAYS) ? 'lapsing' : 'current';
}

/** The sentence Checks carries for an entry made Needs Info by a lapsed report (searched for). */
export const SOC2_LAPSED_CHECK = 'SOC 2 lapsed:';

/**
 * Whether an entry's Checks hold the add-on's own lapse sentence (for `tool`, or any tool): a
 * line that starts with it. People's words only ever appear inside other sentences, so a data
 * store or a tool named "SOC 2 lapsed: …" is not taken for one.
 */
export function heldByLapse(checks: string, tool?: string): boolean {
  const start = tool
    ? `${SOC2_LAPSED_CHECK} ${tool}'s SOC 2 Type II report (verified `
    : `${SOC2_LAPSED_CHECK} `;
  return checks.split('\n').some((line) => line.startsWith(start));
}

export function soc2LapsedCheck(tool: string, verified: string, lapsed: string): string {
  return `${SOC2_LAPSED_CHECK} ${tool}'s SOC 2 Type II report (verified ${verified}) lapsed on ${lapsed}. This entry waits as Needs Info until the security team records a renewed report in AI Tools; it is then approved again by itself.`;
}

const lower = (e: string) => e.trim().toLowerCase();

export interface Assignment {
  /** '' when no member may take it (a team of the entry's owners only, or no team). */
  assignee: string;
  /** The round-robin position after this assignment. */
  next: number;
  how: 'department' | 'round robin' | 'none';
}

/**
 * Who a new review goes to: the department's reviewer when Settings names one (and that person
 * is on the team and does not own the entry), otherwise the next team member in turn who does
 * not own the entry. Nobody reviews an entry they own (DESIGN §6.1).
 */
export function assignReviewer(input: {
  team: readonly string[];
  owners: readonly string[];
  department: string;
  byDepartment: Readonly<Record<string, string>>;
  mode: 'round-robin' | 'department';
  /** Whose turn it is: an index into the team, taken modulo its size. */
  next: number;
}): Assignment {
  const owners = new Set(input.owners.map(lower));
  const team = [...new Set(input.team.map(lower))].filter((m) => m !== '');
  const eligible = (m: string) => team.includes(m) && !owners.has(m);
  if (input.mode === 'department') {
    const dept = Object.keys(input.byDepartment).find(
      (d) => lower(d) === lower(input.department) && lower(d) !== '',
    );
    const named = dept ? lower(input.byDepartment[dept]) : '';
    if (named && eligible(named)) return { assignee: named, next: input.next, how: 'department' };
  }
  const start = Number.isInteger(input.next) && input.next >= 0 ? input.next : 0;
  for (let k = 0; k < team.length; k++) {
    const at = (start + k) % team.length;
    if (eligible(team[at])) return { assignee: team[at], next: at + 1, how: 'round robin' };
  }
  return { assignee: '', next: start, how: 'none' };
}

/** Who may give the second approval: team members other than the first approver and the owners. */
export function secondApprovers(
  team: readonly string[],
  firstApprover: string,
  owners: readonly string[],
): string[] {
  const out = new Set(owners.map(lower));
  out.add(lower(firstApprover));
  return [...new Set(team.map(lower))].filter((m) => m !== '' && !out.has(m));
}

/** A leaver as the registry store keeps them. */
export interface Leaver {
  email: string;
  /** yyyy-MM-dd */
  at: string;
  by: string;
}

export interface Handover {
  /** The co-owners the entry is sealed with after the move. */
  coOwners: string[];
  /** Who took it over ('' when nobody could: the security team is told). */
  to: string;
  how: 'co-owner' | 'department contact' | 'nobody';
}

/**
 * An entry one of whose owners left: it stays with its remaining owners (a co-owner, or who
 * registered it); with none left it goes to the department's named contact, added as a
 * co-owner. Nothing is decommissioned because its creator left.
 */
export function handOver(input: {
  /** The entry's owners as sealed (who registered it, the creator, the co-owners). */
  owners: readonly string[];
  coOwners: readonly string[];
  gone: ReadonlySet<string>;
  contact: string;
}): Handover {
  const coOwners = input.coOwners.map(lower).filter((e) => e !== '' && !input.gone.has(e));
  const remaining = input.owners.map(lower).filter((e) => e !== '' && !input.gone.has(e));
  if (remaining.length > 0) return { coOwners, to: remaining[0], how: 'co-owner' };
  const contact = lower(input.contact);
  if (contact && !input.gone.has(contact))
    return { coOwners: [...coOwners, contact], to: contact, how: 'department contact' };
  return { coOwners, to: '', how: 'nobody' };
}
