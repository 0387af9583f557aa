/**
 * The review lifecycle (issue 17), walked across real calendar time in the runtime: the hourly
 * trigger runs the daily job on each day the test goes to (days in between are skipped with
 * the triggers switched off, as the benchmark does). A year of approvals and re-reviews, a
 * lapsing vendor, leavers with and without co-owners, an overdue escalation, a two-approval
 * production gate, and assignment.
 */
import type { GasRuntime } from '../../sandbox/gas/runtime';
import { ADMIN, auditRows, EMPLOYEE, SECURITY } from '../helpers';
import {
  cell,
  decide,
  entry,
  goTo,
  KIM,
  lifecycleRuntime,
  mailsTo,
  register,
  reviewsOf,
  SAM,
} from './lifecycle-fixture';

const LEAD = 'lead@example.com';
const CONTACT = 'support-lead@example.com';

type Queue = {
  items: {
    reviewId: string;
    status: string;
    assignedTo: string;
    assignedToMe: boolean;
    firstApprover: string;
    secondApprovers: string[];
  }[];
  total: number;
  mine: number;
  team: string[];
};
const queue = (rt: GasRuntime, user = SECURITY) =>
  (rt.run('listReviewQueue', [], user) as { ok: true; result: Queue }).result;

test('a year of approvals: told a month before, re-reviewed at expiry while it keeps running, approved again', () => {
  const rt = lifecycleRuntime();
  register(rt, 2, { 'Deployment Status': 'dev' });
  expect(entry(rt, 'AI-0001').Approval).toBe('In Review');
  const [r1] = reviewsOf(rt, 'AI-0001');
  expect(decide(rt, r1['Review ID'], r1['Assigned To'])).toMatchObject({ ok: true });
  expect(entry(rt, 'AI-0001').Approval).toBe('Approved');
  const approver = r1['Assigned To'];

  // Eleven months on: nothing yet.
  goTo(rt, '2027-10-20');
  expect(entry(rt, 'AI-0001').Approval).toBe('Approved');
  expect(rt.world.mail.filter((m) => m.body.includes('expires 2027-11-24'))).toEqual([]);

  // A month before expiry (24 October), the owner and the approving reviewer hear, once.
  goTo(rt, '2027-10-24', false);
  goTo(rt, '2027-10-27', false);
  expect(mailsTo(rt, EMPLOYEE).filter((m) => m.body.includes('expires 2027-11-24'))).toHaveLength(
    1,
  );
  expect(mailsTo(rt, approver).filter((m) => m.body.includes('expires 2027-11-24'))).toHaveLength(
    1,
  );
  expect(entry(rt, 'AI-0001').Approval).toBe('Approved');

  // At expiry, a re-review opens; the approved review stays as history; the project runs on.
  goTo(rt, '2027-11-24');
  const [old, again] = reviewsOf(rt, 'AI-0001');
  expect(old).toMatchObject({ Status: 'Approved', Reviewer: approver });
  expect(again).toMatchObject({ Status: 'Re-review Due' });
  expect(again.Notes).toMatch(/the approval of R-0001 .* expired on 2027-11-24, after 12 month/);
  expect(again['Assigned To']).not.toBe('');
  const e = entry(rt, 'AI-0001');
  expect(e).toMatchObject({ Approval: 'Re-review Due', 'Deployment Status': 'Development' });
  expect(e.Checks).toMatch(/Re-review due: the approval expired on 2027-11-24.*may keep running/);
  expect(e['Review Due']).toBe(again.Due);
  expect(auditRows(rt, 'Approval expired')).toHaveLength(1);
  expect(queue(rt).items.map((i) => [i.reviewId, i.status])).toEqual([
    [again['Review ID'], 'Re-review Due'],
  ]);
  // The reviewer it is assigned to is mailed; the owner hears it keeps running.
  expect(
    mailsTo(rt, again['Assigned To']).some((m) =>
      m.subject.includes('approval expired, re-review due'),
    ),
  ).toBe(true);
  expect(mailsTo(rt, EMPLOYEE).some((m) => m.body.includes('may keep running'))).toBe(true);

  // Days later nothing new opens; the re-review is decided and the entry is Approved again.
  goTo(rt, '2027-11-26', false);
  expect(reviewsOf(rt, 'AI-0001')).toHaveLength(2);
  expect(decide(rt, again['Review ID'], again['Assigned To'])).toMatchObject({ ok: true });
  expect(entry(rt, 'AI-0001')).toMatchObject({ Approval: 'Approved', 'Review Due': '' });
  goTo(rt, '2027-12-01', false);
  expect(reviewsOf(rt, 'AI-0001')).toHaveLength(2);
  expect(rt.failures()).toEqual([]);
});

test('a material change during a re-review closes it and opens a full review; a decommissioned entry is not re-reviewed', () => {
  const rt = lifecycleRuntime({ approvalMonths: 1 });
  register(rt, 2);
  register(rt, 3, { Project: 'Retired tool' });
  for (const id of ['AI-0001', 'AI-0002']) {
    const [r] = reviewsOf(rt, id);
    expect(decide(rt, r['Review ID'], r['Assigned To'])).toMatchObject({ ok: true });
  }
  rt.edit('Registry', cell('Deployment Status', 3), [['Decommissioned']], EMPLOYEE);
  goTo(rt, '2026-12-24');
  expect(entry(rt, 'AI-0001').Approval).toBe('Re-review Due');
  expect(reviewsOf(rt, 'AI-0002')).toHaveLength(1);

  rt.edit('Registry', cell('AI Tool', 2), [['GitHub Copilot']], EMPLOYEE);
  const list = reviewsOf(rt, 'AI-0001');
  expect(list.map((r) => r.Status)).toEqual(['Approved', 'Closed', 'Open']);
  expect(list[1].Notes).toMatch(/changed before it was decided, so a new review replaces it/);
  expect(entry(rt, 'AI-0001').Approval).toBe('In Review');
  expect(rt.failures()).toEqual([]);
});

test('a lapsing vendor: warned 30 days before, its Tier 2 entries Needs Info ("SOC 2 lapsed") at lapse, approved again on renewal', () => {
  const rt = lifecycleRuntime();
  // The team approves Claude Code for Tier 2 with a report verified 2026-01-10 (lapses 2027-01-11).
  expect(rt.edit('AI Tools', 'C2:E2', [['Approved', '2', '2026-01-10']], SECURITY).ok).toBe(true);
  register(rt, 2, { 'Data Tier': '2', Project: 'Wiki search' });
  register(rt, 3, { 'Data Tier': '2', Project: 'Other tool', 'AI Tool': 'ChatGPT' });
  expect(entry(rt, 'AI-0001').Approval).toBe('Approved');

  goTo(rt, '2026-12-11');
  expect(rt.world.mail.filter((m) => m.subject.includes('SOC 2'))).toEqual([]);
  goTo(rt, '2026-12-12', false);
  goTo(rt, '2026-12-14', false);
  const warnings = mailsTo(rt, SECURITY).filter((m) => m.subject.includes('lapses within 30 days'));
  expect(warnings).toHaveLength(1);
  expect(warnings[0].body).toMatch(
    /Claude Code's SOC 2 Type II report \(verified 2026-01-10\) lapses on 2027-01-11: 1 Tier 2 entry depends on it/,
  );
  expect(warnings[0].body).toContain('AI-0001 Wiki search');
  expect(warnings[0].body).not.toContain('AI-0002');
  expect(entry(rt, 'AI-0001').Approval).toBe('Approved');

  goTo(rt, '2027-01-11');
  const lapsed = entry(rt, 'AI-0001');
  expect(lapsed.Approval).toBe('Needs Info');
  expect(lapsed.Checks).toMatch(
    /^SOC 2 lapsed: Claude Code's SOC 2 Type II report \(verified 2026-01-10\) lapsed on 2027-01-11/m,
  );
  expect(auditRows(rt, 'SOC 2 lapsed')).toMatchObject([
    { 'Registry ID': 'AI-0001', 'New Value': 'lapsed 2027-01-11' },
  ]);
  // Sealed: a person typing Approved back is put back.
  rt.edit('Registry', cell('Approval', 2), [['Approved']], EMPLOYEE);
  expect(entry(rt, 'AI-0001').Approval).toBe('Needs Info');

  // The monthly review lists it.
  goTo(rt, '2027-02-01');
  const monthly = rt.view('Report - Monthly Review').values.map((r) => r.slice(0, 2).join(' | '));
  expect(monthly).toContain('Needs Info because a SOC 2 report lapsed | 1');
  expect(monthly).toContain('  AI-0001 | SOC 2 lapsed');

  // A renewed report restores it at the next daily run.
  expect(rt.edit('AI Tools', 'E2', [['2027-02-01']], SECURITY).ok).toBe(true);
  goTo(rt, '2027-02-02', false);
  expect(entry(rt, 'AI-0001').Approval).toBe('Approved');
  expect(auditRows(rt, 'SOC 2 renewed')).toHaveLength(1);
  expect(rt.failures()).toEqual([]);
});

test('leavers: entries move to a co-owner or the department contact, who is told; none is decommissioned because its creator left', () => {
  const rt = lifecycleRuntime({ autoDecommission: true, graceDays: 30 });
  const tier1 = { 'Data Tier': '1' };
  register(rt, 2, { ...tier1, Project: 'With co-owner', Department: 'Support' });
  register(rt, 3, { ...tier1, Project: 'Support only', Department: 'Support' });
  register(rt, 4, { ...tier1, Project: 'Finance only', Department: 'Finance' });
  expect(rt.run('setCoOwners', ['AI-0001', [KIM]], EMPLOYEE)).toMatchObject({ ok: true });
  expect(entry(rt, 'AI-0001')['Co-owners']).toBe(KIM);

  // Only the security team; contacts live in their own store, not in the settings.
  expect(
    rt.run('setDepartmentContacts', [[{ department: 'Support', email: CONTACT }]], EMPLOYEE),
  ).toMatchObject({ ok: false });
  expect(
    rt.run(
      'setDepartmentContacts',
      [[{ department: 'Support', email: 'not an address' }]],
      SECURITY,
    ),
  ).toMatchObject({
    ok: false,
    error: expect.stringMatching(/The contact for Support must be one email address/),
  });
  expect(
    rt.run('setDepartmentContacts', [[{ department: 'Support', email: CONTACT }]], SECURITY),
  ).toMatchObject({ ok: true });
  expect(rt.registryProperties().settings).not.toContain(CONTACT);

  expect(rt.run('markPersonGone', [EMPLOYEE], EMPLOYEE)).toMatchObject({ ok: false });
  const gone = rt.run('markPersonGone', [EMPLOYEE], SECURITY) as {
    ok: true;
    result: { message: string; moved: { id: string; to: string; how: string }[] };
  };
  expect(gone.result.moved).toEqual([
    { id: 'AI-0001', to: KIM, how: 'co-owner' },
    { id: 'AI-0002', to: CONTACT, how: 'department contact' },
    { id: 'AI-0003', to: '', how: 'nobody' },
  ]);
  expect(entry(rt, 'AI-0002')['Co-owners']).toBe(CONTACT);
  expect(entry(rt, 'AI-0001')['Co-owners']).toBe(KIM);
  // Creator Email is history; the leaver owns nothing any more.
  expect(entry(rt, 'AI-0001')['Creator Email']).toBe(EMPLOYEE);
  expect(rt.run('attestProject', ['AI-0001', 'active'], EMPLOYEE)).toMatchObject({ ok: false });
  expect(rt.run('listMyProjects', [], KIM)).toMatchObject({
    ok: true,
    result: [expect.objectContaining({ id: 'AI-0001' })],
  });
  expect(auditRows(rt, 'Owner left').map((a) => [a['Registry ID'], a['New Value']])).toEqual([
    ['AI-0001', `${KIM} (co-owner)`],
    ['AI-0002', `${CONTACT} (department contact)`],
    ['AI-0003', 'no owner left (Finance has no contact)'],
  ]);
  // The contact is told (from the next trigger run: mail goes from the add-on's account).
  goTo(rt, '2026-11-26');
  const told = mailsTo(rt, CONTACT);
  expect(told.some((m) => m.body.includes('AI-0002 Support only'))).toBe(true);

  // Next quarter's attestation: mail goes to the owners now, never to the leaver; after grace,
  // the unconfirmed entry with an owner is decommissioned, the ownerless one is not.
  goTo(rt, '2027-01-04');
  expect(mailsTo(rt, EMPLOYEE).filter((m) => /attestation|confirm/i.test(m.subject))).toEqual([]);
  expect(mailsTo(rt, KIM).some((m) => /confirm/i.test(m.subject + m.body))).toBe(true);
  expect(rt.run('attestProject', ['AI-0001', 'active'], KIM)).toMatchObject({ ok: true });
  goTo(rt, '2027-02-16');
  expect(entry(rt, 'AI-0001')['Deployment Status']).not.toBe('Decommissioned');
  expect(entry(rt, 'AI-0002')['Deployment Status']).toBe('Decommissioned');
  expect(entry(rt, 'AI-0003')['Deployment Status']).not.toBe('Decommissioned');
  expect(rt.failures().filter((f) => f.kind !== 'run')).toEqual([]);
});

test('a typed Co-owners change is put back: co-owners change only in the sidebar', () => {
  const rt = lifecycleRuntime();
  register(rt, 2, { 'Data Tier': '1' });
  rt.edit('Registry', cell('Co-owners', 2), [['mallory@example.com']], 'mallory@example.com');
  expect(entry(rt, 'AI-0001')['Co-owners']).toBe('');
  expect(rt.run('attestProject', ['AI-0001', 'active'], 'mallory@example.com')).toMatchObject({
    ok: false,
  });
  expect(rt.run('setCoOwners', ['AI-0001', [KIM]], SECURITY)).toMatchObject({ ok: true });
  expect(entry(rt, 'AI-0001')['Co-owners']).toBe(KIM);
});

test('an overdue review escalates to the named lead, in the digest and by mail, once', () => {
  const rt = lifecycleRuntime({ securityLead: LEAD });
  register(rt, 2);
  const [r] = reviewsOf(rt, 'AI-0001');
  expect(r.Due).toBe('2026-12-01');
  goTo(rt, '2026-12-01', false);
  expect(mailsTo(rt, LEAD)).toEqual([]);
  goTo(rt, '2026-12-02', false);
  goTo(rt, '2026-12-04', false);
  const mails = mailsTo(rt, LEAD);
  expect(mails).toHaveLength(1);
  expect(mails[0].subject).toContain('overdue: escalated to you');
  expect(mails[0].body).toContain(`${r['Review ID']} AI-0001`);
  expect(mails[0].body).toContain(`assigned to ${r['Assigned To']}`);
  expect(auditRows(rt, 'Escalated')).toMatchObject([
    { 'Registry ID': 'AI-0001', Field: r['Review ID'], 'New Value': LEAD },
  ]);
  expect(entry(rt, 'AI-0001').Approval).toBe('Review Overdue');
  expect(rt.failures()).toEqual([]);
});

test('two approvals before production: the first lets it run in development; the second must be another member', () => {
  const rt = lifecycleRuntime({ secondApproval: true });
  register(rt, 2);
  const [r] = reviewsOf(rt, 'AI-0001');
  const first = r['Assigned To'];
  const other = first === SECURITY ? SAM : SECURITY;
  expect(decide(rt, r['Review ID'], first)).toMatchObject({ ok: true });
  expect(reviewsOf(rt, 'AI-0001')[0]).toMatchObject({
    Status: 'First Approval',
    Reviewer: first,
    Decided: expect.stringMatching(/^2026-11-24/),
  });
  expect(entry(rt, 'AI-0001').Approval).toBe('Approved');
  expect(entry(rt, 'AI-0001').Checks).toMatch(/first of two security reviewers/);
  const item = queue(rt, other).items[0];
  expect(item).toMatchObject({ status: 'First Approval', firstApprover: first });
  expect(item.secondApprovers).toContain(other);
  expect(item.secondApprovers).not.toContain(first);
  // The review moved to a member who may give the second approval.
  const moved = reviewsOf(rt, 'AI-0001')[0]['Assigned To'];
  expect(moved).not.toBe(first);
  expect(moved).not.toBe('');

  // To Production it waits for the second approval.
  rt.edit('Registry', cell('Deployment Status', 2), [['Production']], EMPLOYEE);
  expect(entry(rt, 'AI-0001').Approval).toBe('In Review');
  expect(entry(rt, 'AI-0001').Checks).toMatch(
    /Production needs a second approval from another security-team member/,
  );

  // The same member cannot give both; another can, with the threat model production needs.
  expect(
    decide(rt, r['Review ID'], first, 'Approved', { threatModel: 'https://docs.example.com/tm' }),
  ).toMatchObject({
    ok: false,
    error: expect.stringMatching(/You gave the first approval of R-0001/),
  });
  expect(
    decide(rt, r['Review ID'], other, 'Approved', { threatModel: 'https://docs.example.com/tm' }),
  ).toMatchObject({ ok: true });
  const done = reviewsOf(rt, 'AI-0001')[0];
  expect(done).toMatchObject({ Status: 'Approved', Reviewer: `${first}, ${other}` });
  expect(done.Notes).toMatch(/First approval by .*\n.*Second approval by/);
  expect(entry(rt, 'AI-0001').Approval).toBe('Approved');
  expect(rt.failures().filter((f) => f.kind !== 'run')).toEqual([]);
});

test('assignment: in turn, never to an owner, by department when set; reassigned by a member; mine first', () => {
  const rt = lifecycleRuntime();
  register(rt, 2, { Project: 'One' });
  register(rt, 3, { Project: 'Two' });
  // A security member's own entry never goes to them.
  register(rt, 4, { Project: 'Mine', 'Creator Email': SAM });
  const assigned = ['AI-0001', 'AI-0002', 'AI-0003'].map(
    (id) => reviewsOf(rt, id)[0]['Assigned To'],
  );
  expect(assigned[0]).not.toBe(assigned[1]);
  expect(assigned[2]).not.toBe(SAM);
  expect(assigned[2]).not.toBe('');

  // Reassigning: only to a team member who does not own the entry; logged; mailed.
  const r3 = reviewsOf(rt, 'AI-0003')[0]['Review ID'];
  expect(rt.run('reassignReview', [r3, SAM], SECURITY)).toMatchObject({
    ok: false,
    error: expect.stringMatching(/owns AI-0003/),
  });
  expect(rt.run('reassignReview', [r3, 'mallory@example.com'], SECURITY)).toMatchObject({
    ok: false,
    error: expect.stringMatching(/not on the security team/),
  });
  const r1 = reviewsOf(rt, 'AI-0001')[0];
  const to = r1['Assigned To'] === SAM ? SECURITY : SAM;
  expect(rt.run('reassignReview', [r1['Review ID'], to], EMPLOYEE)).toMatchObject({ ok: false });
  expect(rt.run('reassignReview', [r1['Review ID'], to], SECURITY)).toMatchObject({ ok: true });
  expect(reviewsOf(rt, 'AI-0001')[0]['Assigned To']).toBe(to);
  expect(auditRows(rt, 'Reassigned')).toMatchObject([{ Field: r1['Review ID'], 'New Value': to }]);
  // A typed Assigned To is put back (Reviews is the add-on's).
  rt.edit('Reviews', 'I2', [['mallory@example.com']], 'mallory@example.com');
  expect(reviewsOf(rt, 'AI-0001')[0]['Assigned To']).toBe(to);

  const q = queue(rt, SAM);
  const mine = q.items.filter((i) => i.assignedToMe);
  expect(q.mine).toBe(mine.length);
  expect(q.items.slice(0, mine.length).every((i) => i.assignedToMe)).toBe(true);

  // By department: Finance goes to its reviewer.
  const props = rt.registryProperties();
  props.settings = JSON.stringify({
    ...JSON.parse(props.settings),
    assignment: 'department',
    reviewerByDepartment: { Finance: SAM },
  });
  register(rt, 5, { Project: 'Ledger', Department: 'Finance' });
  expect(reviewsOf(rt, 'AI-0004')[0]['Assigned To']).toBe(SAM);

  // Sam leaves: the reviews assigned to Sam go to the next member who may take them.
  const gone = rt.run('markPersonGone', [SAM], SECURITY) as {
    ok: boolean;
    result: { message: string };
  };
  expect(gone).toMatchObject({ ok: true });
  expect(gone.result.message).toMatch(/review\(s\) assigned to them moved/);
  for (const id of ['AI-0001', 'AI-0002', 'AI-0004']) {
    const now = reviewsOf(rt, id)[0]['Assigned To'];
    expect(now).not.toBe(SAM);
    expect(now).not.toBe('');
  }
  expect(reviewsOf(rt, 'AI-0003')[0]['Assigned To']).not.toBe(SAM);
  expect(rt.failures().filter((f) => f.kind !== 'run')).toEqual([]);
});

test('settings validate the lifecycle fields with sentences', () => {
  const rt = lifecycleRuntime();
  const bad = rt.run(
    'saveSettings',
    [
      {
        approvalMonths: 0,
        securityLead: 'nobody',
        reviewerByDepartment: { Finance: 'x@example.com' },
      },
    ],
    SECURITY,
  );
  expect(bad).toMatchObject({ ok: false });
  const error = (bad as { error: string }).error;
  expect(error).toMatch(
    /Tier 3 approvals valid for \(months\) must be a whole number from 1 to 36/,
  );
  expect(error).toMatch(/The security lead must be one email address/);
  expect(error).toMatch(/Reviewer for Finance: x@example.com is not on the security team/);
  const good = rt.run(
    'saveSettings',
    [
      {
        approvalMonths: 6,
        securityLead: LEAD,
        secondApproval: true,
        assignment: 'department',
        reviewerByDepartment: { Finance: SAM },
      },
    ],
    SECURITY,
  );
  expect(good).toMatchObject({
    ok: true,
    result: {
      approvalMonths: 6,
      securityLead: LEAD,
      secondApproval: true,
      assignment: 'department',
      reviewerByDepartment: { Finance: SAM },
    },
  });
  void ADMIN;
});
