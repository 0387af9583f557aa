/**
 * Issue 17 on the upgrade and integration paths: a registry set up and used by the build just
 * before issue 17 (commit 1d0b1bf, built once from git into the system's temp folder), then run
 * by this build; and the new columns, seal fields, colours and records next to the older
 * machinery (column repair, key rotation, row restore, the audit archive, mail preferences).
 */
import { execSync } from 'node:child_process';
import { existsSync, mkdirSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { WorldData } from '../../sandbox/gas/model';
import { GasRuntime, ROOT } from '../../sandbox/gas/runtime';
import { headersOf, REGISTRY, REVIEWS, REVIEW_COLOURS } from '../../src/domain/schema';
import {
  addToSecurityTeam,
  ADMIN,
  auditRows,
  EMPLOYEE,
  registryInputs,
  requireDist,
  SECURITY,
  setUpRuntime,
  SETUP,
  T0,
} from '../helpers';
import { fillRegistry, fillWorkbook } from './archive-fixture';

/** The last commit before issue 17's work began. */
const PRE_17 = '1d0b1bf15412968b2e619b78e67a8726413ba7ca';
const SAM = 'sam@example.com';
const KIM = 'kim@example.com';
const LEE = 'lee@example.com';
const MALLORY = 'mallory@example.com';
const HOUR = 3600000;
const H = headersOf(REGISTRY);
const RH = headersOf(REVIEWS);
const letter = (hs: string[], h: string) => String.fromCharCode(65 + hs.indexOf(h));

/** dist/ of the build before issue 17 (made once per machine from the repository's history). */
function preIssue17Dist(): string {
  const dir = join(tmpdir(), `governed-path-${PRE_17.slice(0, 12)}`);
  const dist = join(dir, 'dist');
  if (existsSync(join(dist, 'Code.js'))) return dist;
  mkdirSync(dir, { recursive: true });
  execSync(`git archive ${PRE_17} | tar -x -C "${dir}"`, { cwd: ROOT, stdio: 'pipe' });
  if (!existsSync(join(dir, 'node_modules')))
    symlinkSync(join(ROOT, 'node_modules'), join(dir, 'node_modules'));
  execSync('node build/build.mjs', { cwd: dir, stdio: 'pipe' });
  return dist;
}

const records = (rt: GasRuntime, sheet: string) => {
  const [head, ...rows] = rt.view(sheet).values;
  return rows
    .filter((r) => r.some((v) => v !== ''))
    .map((r) => Object.fromEntries(head.map((h, i) => [h, r[i]])));
};
const entry = (rt: GasRuntime, id: string) => records(rt, 'Registry').find((r) => r.ID === id)!;
const review = (rt: GasRuntime, id: string) =>
  records(rt, 'Reviews').find((r) => r['Review ID'] === id)!;
const sheetOf = (rt: GasRuntime, name: string) =>
  rt.world.spreadsheet.sheets.find((s) => s.name === name)!;
/** What is waiting in the outbox for the team's channels (the alerts' text). */
const outbox = (rt: GasRuntime) =>
  Object.entries(rt.registryProperties())
    .filter(([k]) => k.startsWith('outbox.'))
    .map(([, v]) => v)
    .join('\n');
type Queue = { items: { reviewId: string; assignedTo: string; assignedToMe: boolean }[] };
const queue = (rt: GasRuntime, user: string) =>
  (rt.run('listReviewQueue', [], user) as { ok: true; result: Queue }).result;
function goTo(rt: GasRuntime, date: string): void {
  const target = `${date}T13:00:00Z`;
  rt.jumpTo(new Date(Date.parse(target) - 8 * HOUR));
  expect(rt.advanceTo(target).filter((f) => !f.ok)).toEqual([]);
}

/**
 * A registry the pre-issue-17 build set up and used: AI-0001 (Tier 3) approved, AI-0002
 * (Tier 3) waiting on R-0002, AI-0003 (Tier 1) co-owned by Kim. Built once; each test gets a
 * copy run by this build (the triggers the old build installed call the same handlers).
 */
let oldWorld: WorldData | null = null;
let oldAuditRows = 0;
function upgraded(): GasRuntime {
  if (!oldWorld) {
    const old = new GasRuntime({ now: T0, distDir: preIssue17Dist() });
    expect(old.clickMenu(SETUP, ADMIN).ok).toBe(true);
    addToSecurityTeam(old, SECURITY, SAM);
    const register = (row: number, over: Record<string, string>) =>
      expect(old.edit('Registry', `C${row}:K${row}`, [registryInputs(over)], EMPLOYEE).ok).toBe(
        true,
      );
    register(2, { 'Data Tier': '3', Project: 'A' });
    register(3, { 'Data Tier': '3', Project: 'B' });
    register(4, { 'Data Tier': '1', Project: 'C' });
    expect(old.run('setCoOwners', ['AI-0003', [KIM]], EMPLOYEE)).toMatchObject({ ok: true });
    expect(
      old.run(
        'decideReview',
        ['R-0001', { decision: 'Approved', note: '', threatModel: '' }],
        SECURITY,
      ),
    ).toMatchObject({ ok: true });
    // The old build's first day: its daily job and hourly sweeps have run.
    old.advance(20 * HOUR);
    expect(old.view('Registry').values[0]).not.toContain('Co-owners');
    expect(old.view('Reviews').values[0]).not.toContain('Assigned To');
    oldAuditRows = auditRows(old).length;
    oldWorld = structuredClone(old.world);
  }
  requireDist();
  return new GasRuntime({ world: structuredClone(oldWorld) });
}

beforeAll(() => {
  upgraded();
}, 180_000);

// ---------------------------------------------------------------- problems (these fail today)

test('upgrading a registry set up before issue 17 reports no tampering: the new Co-owners and Assigned To columns are added quietly', () => {
  const rt = upgraded();
  // The add-on is updated; the next hourly run is the first execution of the new build, and
  // the team then runs Set up or repair registry as the README asks after an update.
  rt.advance(HOUR);
  expect(rt.clickMenu(SETUP, ADMIN).ok).toBe(true);
  expect(rt.view('Registry').values[0]).toContain('Co-owners');
  expect(rt.view('Reviews').values[0]).toContain('Assigned To');
  // Nobody deleted a column and nobody changed a colour rule: nothing to put back or alert.
  const since = auditRows(rt).slice(oldAuditRows);
  expect(since.filter((a) => a.Action === 'Tampering reverted')).toEqual([]);
  expect(outbox(rt)).not.toMatch(/was deleted: Governed Path inserted it again/);
  expect(outbox(rt)).not.toMatch(/a colour rule on that column had been changed/);
});

test('after the upgrade, the Co-owners column shows the co-owners sealed before it existed', () => {
  const rt = upgraded();
  expect(rt.clickMenu(SETUP, ADMIN).ok).toBe(true);
  goTo(rt, '2026-11-26');
  // Kim co-owns AI-0003 (the seal's owner set says so, and Kim has the rights)…
  expect(rt.run('listMyProjects', [], KIM)).toMatchObject({
    ok: true,
    result: [expect.objectContaining({ id: 'AI-0003' })],
  });
  // …and the column that shows the owner set says so too.
  expect(entry(rt, 'AI-0003')['Co-owners']).toBe(KIM);
});

test('after the upgrade, a typed Co-owners cell on an entry sealed before issue 17 is put back and logged', () => {
  const rt = upgraded();
  expect(rt.clickMenu(SETUP, ADMIN).ok).toBe(true);
  const n = auditRows(rt).length;
  rt.edit('Registry', `${letter(H, 'Co-owners')}4`, [[MALLORY]], MALLORY);
  goTo(rt, '2026-11-26');
  // A fresh registry puts this back at once (tests/bundle/lifecycle.test.ts); here it stays.
  expect(entry(rt, 'AI-0003')['Co-owners']).not.toContain(MALLORY);
  expect(
    auditRows(rt)
      .slice(n)
      .filter((a) => a.Action === 'Tampering reverted' && a['Registry ID'] === 'AI-0003'),
  ).not.toEqual([]);
});

test('after the upgrade, a typed Assigned To on a review sealed before issue 17 is put back and assigns nobody', () => {
  const rt = upgraded();
  expect(rt.clickMenu(SETUP, ADMIN).ok).toBe(true);
  const n = auditRows(rt).length;
  // Someone who is not on the team types Sam into the waiting review's Assigned To.
  rt.edit('Reviews', `${letter(RH, 'Assigned To')}3`, [[SAM]], MALLORY);
  goTo(rt, '2026-11-26');
  expect(review(rt, 'R-0002')['Assigned To']).toBe('');
  expect(queue(rt, SAM).items.find((i) => i.reviewId === 'R-0002')).toMatchObject({
    assignedTo: '',
    assignedToMe: false,
  });
  expect(
    auditRows(rt)
      .slice(n)
      .filter((a) => a.Action === 'Tampering reverted'),
  ).not.toEqual([]);
});

test('the member a first approval moves the review to is told, even with optional mail turned off', () => {
  const rt = setUpRuntime();
  addToSecurityTeam(rt, SECURITY, SAM);
  const props = rt.registryProperties();
  props.settings = JSON.stringify({ ...JSON.parse(props.settings), secondApproval: true });
  for (const member of [ADMIN, SECURITY, SAM])
    expect(rt.run('setMailPreference', [true], member)).toMatchObject({ ok: true });
  expect(rt.edit('Registry', 'C2:K2', [registryInputs({ 'Data Tier': '3' })], EMPLOYEE).ok).toBe(
    true,
  );
  const first = review(rt, 'R-0001')['Assigned To'];
  expect(
    rt.run('decideReview', ['R-0001', { decision: 'Approved', note: '', threatModel: '' }], first),
  ).toMatchObject({ ok: true });
  const next = review(rt, 'R-0001')['Assigned To'];
  expect(review(rt, 'R-0001').Status).toBe('First Approval');
  expect(next).not.toBe(first);
  rt.advance(2 * HOUR);
  // A reassignment by a member mails the new assignee (required); this move mails nobody.
  const told = rt.world.mail.filter(
    (m) => m.to === next && /R-0001|AI-0001/.test(m.subject + m.body),
  );
  expect(told).not.toEqual([]);
});

test("the Adoption & SLA report's lifecycle counts say they cover the records still in this spreadsheet, not the archive", () => {
  const rt = setUpRuntime();
  addToSecurityTeam(rt, SECURITY, SAM);
  expect(rt.edit('Registry', 'C2:K2', [registryInputs({ 'Data Tier': '3' })], EMPLOYEE).ok).toBe(
    true,
  );
  const to = review(rt, 'R-0001')['Assigned To'] === SAM ? SECURITY : SAM;
  expect(rt.run('reassignReview', ['R-0001', to], SECURITY)).toMatchObject({ ok: true });
  // A busy registry whose workbook fills up: the oldest audit entries move to the archive.
  fillRegistry(rt, 3);
  fillWorkbook(rt);
  rt.advance(2 * HOUR);
  expect(auditRows(rt, 'Reassigned')).toEqual([]); // archived
  rt.clickMenu('Security team > Adoption & SLA report', SECURITY);
  const rows = rt.view('Report - Adoption & SLA').values.map((v) => v.slice(0, 2));
  const heading = rows.find((v) => /Review lifecycle/.test(v[0]))![0];
  const reassigned = rows.find((v) => v[0].trim() === 'Reassigned')![1];
  // The report does not call it "all time": it says where archived records are.
  expect(heading).not.toMatch(/all time/);
  expect(heading).toMatch(/archived ones are in the archive/);
  expect(reassigned).toBe('0');
}, 120_000);

// ---------------------------------------------------------------- what holds (kept as guards)

test('holds: after the upgrade, a review opened before it is listed unassigned, reassigned and decided', () => {
  const rt = upgraded();
  expect(rt.clickMenu(SETUP, ADMIN).ok).toBe(true);
  expect(queue(rt, SAM).items).toMatchObject([
    { reviewId: 'R-0002', assignedTo: '', assignedToMe: false },
  ]);
  expect(rt.run('reassignReview', ['R-0002', SAM], SECURITY)).toMatchObject({ ok: true });
  expect(review(rt, 'R-0002')['Assigned To']).toBe(SAM);
  expect(
    rt.run('decideReview', ['R-0002', { decision: 'Approved', note: '', threatModel: '' }], SAM),
  ).toMatchObject({ ok: true });
  expect(entry(rt, 'AI-0002').Approval).toBe('Approved');
  // Old rows still verify: a day of sweeps and the daily check find nothing to put back.
  const n = auditRows(rt).length;
  goTo(rt, '2026-11-26');
  expect(
    auditRows(rt)
      .slice(n)
      .filter((a) => /Tampering|restored|drift/i.test(a.Action)),
  ).toEqual([]);
  expect(rt.failures().filter((f) => f.kind !== 'run')).toEqual([]);
});

test('holds: Assigned To and Co-owners deleted, renamed or moved come back with their values', () => {
  const rt = setUpRuntime();
  addToSecurityTeam(rt, SECURITY, SAM);
  expect(rt.edit('Registry', 'C2:K2', [registryInputs({ 'Data Tier': '3' })], EMPLOYEE).ok).toBe(
    true,
  );
  expect(rt.run('setCoOwners', ['AI-0001', [KIM]], EMPLOYEE)).toMatchObject({ ok: true });
  const assignee = review(rt, 'R-0001')['Assigned To'];
  expect(assignee).not.toBe('');
  rt.deleteColumns('Reviews', RH.indexOf('Assigned To') + 1, 1, EMPLOYEE);
  rt.deleteColumns('Registry', H.indexOf('Co-owners') + 1, 1, EMPLOYEE);
  rt.advance(HOUR);
  expect([review(rt, 'R-0001')['Assigned To'], entry(rt, 'AI-0001')['Co-owners']]).toEqual([
    assignee,
    KIM,
  ]);
  rt.edit('Reviews', `${letter(RH, 'Assigned To')}1`, [['Owner']], EMPLOYEE);
  rt.edit('Registry', `${letter(H, 'Co-owners')}1`, [['Claims']], EMPLOYEE);
  rt.moveColumns('Reviews', RH.indexOf('Assigned To') + 1, 1, 1, EMPLOYEE);
  rt.advance(HOUR);
  expect(rt.view('Reviews').values[0][0]).toBe('Assigned To');
  expect(rt.view('Registry').values[0][H.indexOf('Co-owners')]).toBe('Co-owners');
  expect([review(rt, 'R-0001')['Assigned To'], entry(rt, 'AI-0001')['Co-owners']]).toEqual([
    assignee,
    KIM,
  ]);
  expect(queue(rt, assignee).items[0]).toMatchObject({ reviewId: 'R-0001', assignedToMe: true });
});

test('holds: a key rotation and a deleted row restored keep co-owners, former owners and removed co-owners', () => {
  const rt = setUpRuntime();
  addToSecurityTeam(rt, SECURITY, SAM);
  expect(rt.edit('Registry', 'C2:K2', [registryInputs()], EMPLOYEE).ok).toBe(true);
  expect(rt.run('setCoOwners', ['AI-0001', [KIM, LEE]], EMPLOYEE)).toMatchObject({ ok: true });
  expect(rt.run('setCoOwners', ['AI-0001', [KIM]], EMPLOYEE)).toMatchObject({ ok: true });
  expect(rt.run('markPersonGone', [EMPLOYEE], SECURITY)).toMatchObject({ ok: true });
  const owners = () => {
    const seal = JSON.parse(entry(rt, 'AI-0001').Seal) as {
      w: string[];
      x?: string[];
      r?: string[];
      k: string;
    };
    return { shown: entry(rt, 'AI-0001')['Co-owners'], w: seal.w, x: seal.x, r: seal.r };
  };
  const want = { shown: KIM, w: [EMPLOYEE, KIM], x: [EMPLOYEE], r: [LEE] };
  expect(owners()).toEqual(want);
  const key = (JSON.parse(entry(rt, 'AI-0001').Seal) as { k: string }).k;
  expect(rt.run('rotateSigningKey', [], SECURITY)).toMatchObject({ ok: true });
  expect((JSON.parse(entry(rt, 'AI-0001').Seal) as { k: string }).k).not.toBe(key);
  expect(owners()).toEqual(want);
  expect(rt.deleteRows('Registry', 2, 1, EMPLOYEE).ok).toBe(true);
  goTo(rt, '2026-11-25');
  expect(owners()).toEqual(want);
  // Lee, removed, still may not review it; Dana, gone, still owns nothing.
  expect(rt.run('listMyProjects', [], EMPLOYEE)).toMatchObject({ ok: true, result: [] });
});

test('holds: the hourly sweep puts the Reviews Status colours and the Registry Re-review Due colour back first', () => {
  const rt = setUpRuntime();
  expect(rt.edit('Registry', 'C2:K2', [registryInputs()], EMPLOYEE).ok).toBe(true);
  const reviews = sheetOf(rt, 'Reviews');
  const approved = reviews.conditionalFormats.findIndex(
    (c) => c.condition.values?.[0] === 'Approved',
  );
  expect(approved).toBeGreaterThanOrEqual(0);
  reviews.conditionalFormats[approved].background = REVIEW_COLOURS.Rejected;
  const registry = sheetOf(rt, 'Registry');
  registry.conditionalFormats = registry.conditionalFormats.filter(
    (c) => c.condition.values?.[0] !== 'Re-review Due',
  );
  rt.advance(HOUR);
  const firstFor = (rules: typeof reviews.conditionalFormats, word: string) =>
    rules.find((c) => c.condition.values?.[0] === word)?.background;
  expect(firstFor(reviews.conditionalFormats, 'Approved')).toBe(REVIEW_COLOURS.Approved);
  expect(firstFor(registry.conditionalFormats, 'Re-review Due')).toBe('#c9daf8');
});
