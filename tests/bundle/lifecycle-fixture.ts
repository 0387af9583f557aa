/**
 * What the review-lifecycle tests share (issue 17): a registry with a two-person security team,
 * days reached with their daily job run, registrations, decisions and the sheets as records.
 */
import type { GasRuntime } from '../../sandbox/gas/runtime';
import { headersOf, REGISTRY } from '../../src/domain/schema';
import { addToSecurityTeam, EMPLOYEE, registryInputs, SECURITY, setUpRuntime } from '../helpers';

export const SAM = 'sam@example.com';
export const KIM = 'kim@example.com';
const H = headersOf(REGISTRY);
/** A Registry cell's A1 address, by header. */
export const cell = (header: string, row: number) =>
  `${String.fromCharCode(65 + H.indexOf(header))}${row}`;

/** A registry set up by the admin, SECURITY and SAM on the team, these settings over it. */
export function lifecycleRuntime(settings: Record<string, unknown> = {}): GasRuntime {
  const rt = setUpRuntime();
  addToSecurityTeam(rt, SECURITY, SAM);
  const props = rt.registryProperties();
  props.settings = JSON.stringify({ ...JSON.parse(props.settings), ...settings });
  return rt;
}

/**
 * Goes to 08:00 in New York on `date`, that day's daily job having run (at 06:00). `skip`:
 * the days before are jumped with the triggers off (as the benchmark does).
 */
export function goTo(rt: GasRuntime, date: string, skip = true): void {
  const target = `${date}T13:00:00Z`;
  if (skip) rt.jumpTo(new Date(Date.parse(target) - 8 * 3600000));
  const fired = rt.advanceTo(target);
  expect(fired.filter((f) => !f.ok)).toEqual([]);
}

/** Types a registration into a row (Tier 3 by Dana unless told). */
export function register(rt: GasRuntime, row: number, over: Record<string, string> = {}): void {
  const r = rt.edit(
    'Registry',
    `C${row}:K${row}`,
    [registryInputs({ 'Data Tier': '3', ...over })],
    over['Creator Email'] ?? EMPLOYEE,
  );
  expect(r.ok).toBe(true);
}

/** A sheet's non-blank rows as records by header. */
export const records = (rt: GasRuntime, sheet: string) => {
  const [head, ...rows] = rt.view(sheet).values;
  return rows
    .filter((r) => r.some((v) => v !== ''))
    .map((r) => Object.fromEntries(head.map((h, i) => [h, r[i]])));
};
export const entry = (rt: GasRuntime, id: string) =>
  records(rt, 'Registry').find((r) => r.ID === id)!;
export const reviewsOf = (rt: GasRuntime, id: string) =>
  records(rt, 'Reviews').filter((r) => r['Registry ID'] === id);

/** A decision from the review queue (a note unless it approves). */
export function decide(
  rt: GasRuntime,
  reviewId: string,
  user: string,
  decision = 'Approved',
  extra: Record<string, string> = {},
) {
  return rt.run(
    'decideReview',
    [
      reviewId,
      { decision, note: decision === 'Approved' ? '' : 'See me.', threatModel: '', ...extra },
    ],
    user,
  );
}

/** What a person was mailed, without the daily Audit Log head. */
export const mailsTo = (rt: GasRuntime, to: string) =>
  rt.world.mail.filter((m) => m.to === to && !m.subject.includes('Audit Log head'));
