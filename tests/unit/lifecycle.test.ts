import {
  addMonths,
  approvalExpiry,
  approvalPhase,
  assignReviewer,
  expiryNoticeDate,
  handOver,
  secondApprovers,
  soc2Current,
  soc2LapsesOn,
  soc2Phase,
} from '../../src/domain/lifecycle';
import { decideApproval, type PolicyContext, type ReviewState } from '../../src/domain/policy';
import { validateEntry } from '../../src/domain/entry';

describe('calendar months', () => {
  test.each([
    ['2026-01-15', 1, '2026-02-15'],
    ['2026-01-31', 1, '2026-02-28'],
    ['2024-01-31', 1, '2024-02-29'],
    ['2026-11-24', 12, '2027-11-24'],
    ['2026-12-31', -1, '2026-11-30'],
    ['2027-03-31', -1, '2027-02-28'],
    ['2026-05-10', 36, '2029-05-10'],
  ])('%s plus %i month(s) is %s', (date, months, expected) => {
    expect(addMonths(date, months)).toBe(expected);
  });
});

describe('approval expiry', () => {
  test.each<[string, number, string, string]>([
    ['2026-11-24', 12, '2027-10-23', 'current'],
    ['2026-11-24', 12, '2027-10-24', 'expiring'],
    ['2026-11-24', 12, '2027-11-23', 'expiring'],
    ['2026-11-24', 12, '2027-11-24', 'expired'],
    ['2026-01-31', 1, '2026-02-28', 'expired'],
    ['2026-01-31', 1, '2026-01-30', 'expiring'],
    ['', 12, '2030-01-01', 'current'],
  ])('decided %s, valid %i months, on %s: %s', (decided, months, today, phase) => {
    expect(approvalPhase(decided, months, today)).toBe(phase);
  });
  test('the notice goes a month before the expiry', () => {
    expect(expiryNoticeDate(approvalExpiry('2026-03-31', 12))).toBe('2027-02-28');
  });
});

describe('SOC 2 lapse', () => {
  test.each<[string | null, string, string]>([
    ['2026-01-10', '2026-12-11', 'current'],
    ['2026-01-10', '2026-12-12', 'lapsing'],
    ['2026-01-10', '2027-01-10', 'lapsing'],
    ['2026-01-10', '2027-01-11', 'lapsed'],
    [null, '2027-01-11', 'none'],
    ['not a date', '2027-01-11', 'none'],
  ])('verified %s, on %s: %s', (verified, today, phase) => {
    expect(soc2Phase(verified, today)).toBe(phase);
  });
  test.each(['2025-02-28', '2024-02-29', '2025-12-31', '2026-03-31', '2026-01-10'])(
    'the lapse day of %s is the first day soc2Current says no',
    (verified) => {
      const lapse = soc2LapsesOn(verified)!;
      const dayBefore = new Date(Date.parse(`${lapse}T00:00:00Z`) - 86400000)
        .toISOString()
        .slice(0, 10);
      expect(soc2Current(verified, dayBefore)).toBe(true);
      expect(soc2Current(verified, lapse)).toBe(false);
    },
  );
});

describe('assignment', () => {
  const team = ['a@x.com', 'b@x.com', 'c@x.com'];
  const base = {
    team,
    owners: [] as string[],
    department: 'Support',
    byDepartment: {} as Record<string, string>,
    mode: 'round-robin' as 'round-robin' | 'department',
    next: 0,
  };
  test.each<[string, Partial<typeof base>, string, number]>([
    ['in turn from the start', {}, 'a@x.com', 1],
    ['in turn, wrapping', { next: 3 }, 'a@x.com', 1],
    ['skips an owner', { owners: ['A@x.com'] }, 'b@x.com', 2],
    ['by department', { mode: 'department', byDepartment: { support: 'c@x.com' } }, 'c@x.com', 0],
    [
      'by department, but the reviewer owns it: in turn',
      { mode: 'department', byDepartment: { Support: 'c@x.com' }, owners: ['c@x.com'] },
      'a@x.com',
      1,
    ],
    [
      'by department, reviewer not on the team: in turn',
      { mode: 'department', byDepartment: { Support: 'z@x.com' }, next: 1 },
      'b@x.com',
      2,
    ],
    ['nobody eligible', { team: ['a@x.com'], owners: ['a@x.com'] }, '', 0],
    ['no team', { team: [] }, '', 0],
  ])('%s', (_name, over, assignee, next) => {
    const a = assignReviewer({ ...base, ...over });
    expect([a.assignee, a.next]).toEqual([assignee, next]);
  });
  test('second approvers exclude the first approver and the owners', () => {
    expect(secondApprovers(['a@x.com', 'B@x.com', 'c@x.com'], 'a@x.com', ['c@x.com'])).toEqual([
      'b@x.com',
    ]);
  });
});

describe('hand-over when an owner leaves', () => {
  const gone = new Set(['dana@x.com']);
  test.each<[string, Parameters<typeof handOver>[0], ReturnType<typeof handOver>]>([
    [
      'a co-owner remains',
      { owners: ['dana@x.com', 'kim@x.com'], coOwners: ['kim@x.com'], gone, contact: 'lee@x.com' },
      { coOwners: ['kim@x.com'], to: 'kim@x.com', how: 'co-owner' },
    ],
    [
      'the leaver was a co-owner',
      { owners: ['ann@x.com', 'dana@x.com'], coOwners: ['dana@x.com'], gone, contact: '' },
      { coOwners: [], to: 'ann@x.com', how: 'co-owner' },
    ],
    [
      'nobody left: the department contact',
      { owners: ['dana@x.com'], coOwners: [], gone, contact: 'Lee@x.com' },
      { coOwners: ['lee@x.com'], to: 'lee@x.com', how: 'department contact' },
    ],
    [
      'nobody left and no contact',
      { owners: ['dana@x.com'], coOwners: [], gone, contact: '' },
      { coOwners: [], to: '', how: 'nobody' },
    ],
    [
      'the contact is the leaver',
      { owners: ['dana@x.com'], coOwners: [], gone, contact: 'dana@x.com' },
      { coOwners: [], to: '', how: 'nobody' },
    ],
  ])('%s', (_name, input, expected) => {
    expect(handOver(input)).toEqual(expected);
  });
});

describe('the policy for the new review states', () => {
  const entry = (status: string) =>
    validateEntry({
      'Creator Email': 'dana@x.com',
      Department: 'Support',
      Project: 'P',
      'Business Purpose': 'Purpose.',
      'Data Tier': 'Tier 3 - Confidential',
      'Data Stores': '',
      'AI Tool': 'Claude Code',
      'AI Tool Version': '1',
      'Deployment Status': status,
    });
  const ctx = (review: ReviewState): PolicyContext => ({
    today: '2027-11-25',
    tools: [],
    stores: [],
    review,
  });
  test.each<[string, string, ReviewState, string, RegExp]>([
    [
      're-review, in production',
      'Production',
      {
        status: 'Re-review Due',
        due: '2027-12-02',
        threatModel: 'https://t',
        expired: '2027-11-24',
      },
      'Re-review Due',
      /approval expired on 2027-11-24; the re-review is due 2027-12-02\. The project may keep running/,
    ],
    [
      're-review of an approval held at the production gate: still held',
      'Production',
      { status: 'Re-review Due', due: '2027-12-02', threatModel: '', expired: '2027-11-24' },
      'In Review',
      /The approved review has no Threat Model link yet/,
    ],
    [
      're-review, overdue',
      'Development',
      { status: 'Re-review Due', due: '2027-11-20', threatModel: '' },
      'Re-review Due',
      /overdue \(the security team has been reminded\)/,
    ],
    [
      'first approval, development',
      'Development',
      { status: 'First Approval', due: '2027-12-02', threatModel: '', reviewer: 'a@x.com' },
      'Approved',
      /first of two security reviewers \(a@x\.com\)/,
    ],
    [
      'first approval, production',
      'Production',
      {
        status: 'First Approval',
        due: '2027-12-02',
        threatModel: 'https://t',
        reviewer: 'a@x.com',
      },
      'In Review',
      /Production needs a second approval/,
    ],
  ])('%s', (_name, status, review, approval, check) => {
    const d = decideApproval(entry(status), ctx(review));
    expect(d.approval).toBe(approval);
    expect(d.checks.join('\n')).toMatch(check);
    expect(d.needsReview).toBe(true);
  });
});
