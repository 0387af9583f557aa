import {
  attestationCalendar,
  attestationOutcome,
  byCreator,
  firstBusinessDayFrom,
  monthlyReview,
  needsConfirmation,
  previousMonth,
  quarterLabel,
  quarterStart,
  type AttestationEntry,
} from '../../src/domain/attestation';

describe('quarters', () => {
  test.each([
    ['2027-01-01', '2027-01-01', 'Q1 2027'],
    ['2027-03-31', '2027-01-01', 'Q1 2027'],
    ['2027-04-01', '2027-04-01', 'Q2 2027'],
    ['2026-11-24', '2026-10-01', 'Q4 2026'],
    ['2026-12-31', '2026-10-01', 'Q4 2026'],
  ])('%s is in the quarter starting %s', (date, start, label) => {
    expect(quarterStart(date)).toBe(start);
    expect(quarterLabel(start)).toBe(label);
  });

  test.each([
    ['a Friday holiday (New Year)', '2027-01-01', ['2027-01-01'], '2027-01-04'],
    ['a Saturday', '2028-04-01', [], '2028-04-03'],
    ['a Wednesday', '2026-07-01', [], '2026-07-01'],
  ])('the first business day after %s', (_name, date, holidays, first) => {
    expect(firstBusinessDayFrom(date, holidays)).toBe(first);
  });

  test('kickoff, halfway reminder and grace end', () => {
    expect(attestationCalendar('2027-02-10', 30, ['2027-01-01'])).toEqual({
      quarter: '2027-01-01',
      kickoff: '2027-01-04',
      reminder: '2027-01-19',
      graceEnds: '2027-02-03',
    });
  });

  test.each([
    ['2027-01-15', '2026-12'],
    ['2026-11-01', '2026-10'],
  ])('the month before %s is %s', (date, month) => {
    expect(previousMonth(date)).toBe(month);
  });
});

describe('who must confirm', () => {
  const cal = attestationCalendar('2027-01-10', 30, ['2027-01-01']);
  const e = (over: Partial<AttestationEntry>): AttestationEntry => ({
    id: 'AI-0001',
    creator: 'ana@example.com',
    project: 'P',
    deploymentStatus: 'Production',
    lastConfirmed: '2026-11-24',
    registered: '2026-11-24',
    ...over,
  });
  test.each([
    ['confirmed last quarter', {}, true, 'pending', 'unconfirmed'],
    ['confirmed this quarter', { lastConfirmed: '2027-01-05' }, false, 'confirmed', 'confirmed'],
    [
      'never confirmed, registered last quarter',
      { lastConfirmed: null },
      true,
      'pending',
      'unconfirmed',
    ],
    [
      'registered this quarter',
      { lastConfirmed: null, registered: '2027-01-02' },
      false,
      'confirmed',
      'confirmed',
    ],
    [
      'decommissioned',
      { deploymentStatus: 'Decommissioned' },
      false,
      'decommissioned',
      'decommissioned',
    ],
    ['without an ID (never registered)', { id: '' }, false, 'confirmed', 'confirmed'],
  ])('%s', (_name, over, needs, during, after) => {
    expect(needsConfirmation(e(over), cal.quarter)).toBe(needs);
    expect(attestationOutcome(e(over), cal, '2027-01-20')).toBe(during);
    expect(attestationOutcome(e(over), cal, '2027-02-03')).toBe(after);
  });

  test('entries are grouped by creator: one email each', () => {
    const groups = byCreator([
      e({ id: 'A' }),
      e({ id: 'B', creator: 'ben@example.com' }),
      e({ id: 'C' }),
    ]);
    expect([...groups].map(([c, list]) => [c, list.map((x) => x.id)])).toEqual([
      ['ana@example.com', ['A', 'C']],
      ['ben@example.com', ['B']],
    ]);
  });
});

describe('the monthly review', () => {
  test('an empty registry gives zeros and "not enough data", never a division by zero', () => {
    expect(monthlyReview('2026-11', [], [], [], 5, '2026-12-01')).toEqual({
      month: '2026-11',
      newEntries: 0,
      byTier: [],
      byDepartment: [],
      unlistedTools: [],
      needsAttention: [],
      reviewsDecided: 0,
      medianBusinessDays: null,
      withinSla: null,
      openReviews: 0,
      overdueReviews: 0,
      unconfirmed: [],
      soc2Lapsed: [],
    });
  });

  test('counts last month’s entries, unlisted tools, attention and SLA', () => {
    const entry = (
      id: string,
      registered: string,
      tier: string,
      department: string,
      tool: string,
      approval: string,
    ) => ({
      id,
      registered,
      tier,
      department,
      tool,
      approval,
      deploymentStatus: 'Development',
    });
    const r = monthlyReview(
      '2026-11',
      [
        entry('AI-1', '2026-11-03', 'Tier 1 - Public', 'Sales', 'Claude Code', 'Approved'),
        entry('AI-2', '2026-11-20', 'Tier 3 - Confidential', 'Legal', 'Bard', 'Review Overdue'),
        entry('AI-3', '2026-11-21', 'Tier 1 - Public', 'Sales', 'bard ', 'Needs Info'),
        entry('AI-4', '2026-10-30', 'Tier 2 - Internal', 'Ops', 'Claude Code', 'Approved'),
      ],
      ['Claude Code'],
      [
        { status: 'Approved', decided: '2026-11-10', businessDays: 3, due: '2026-11-12' },
        { status: 'Rejected', decided: '2026-11-25', businessDays: 7, due: '2026-11-20' },
        { status: 'Open', decided: null, businessDays: null, due: '2026-11-27' },
      ],
      5,
      '2026-12-01',
    );
    expect(r).toMatchObject({
      newEntries: 3,
      byTier: [
        ['Tier 1 - Public', 2],
        ['Tier 3 - Confidential', 1],
      ],
      byDepartment: [
        ['Sales', 2],
        ['Legal', 1],
      ],
      unlistedTools: [['Bard', 2]],
      needsAttention: [
        { id: 'AI-2', approval: 'Review Overdue' },
        { id: 'AI-3', approval: 'Needs Info' },
      ],
      reviewsDecided: 2,
      medianBusinessDays: 5,
      withinSla: 0.5,
      openReviews: 1,
      overdueReviews: 1,
    });
  });
});
