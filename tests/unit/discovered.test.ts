import {
  adoptionTrend,
  measuredAdoption,
  nameOf,
  nameSimilarity,
  reconcile,
  recordPoint,
  statusWord,
  type DiscoveredLine,
} from '../../src/domain/discovered';

describe('names', () => {
  test.each<[string, string]>([
    ['acme/expense-bot.git', 'expense bot'],
    ['https://github.com/acme/expense_bot', 'expense bot'],
    ['expenseBot', 'expense bot'],
    ['Expense Bot', 'expense bot'],
  ])('%s reads as %s', (text, name) => expect(nameOf(text)).toBe(name));

  test.each<[string, string, boolean]>([
    ['acme/expense-bot', 'Expense Bot', true],
    ['Churn predictor v2', 'Churn Predictor', true],
    ['acme/reportwriter', 'Report Writer', true],
    ['Expnse tracker', 'Expense tracker', true],
    ['Sales forecast notebook', 'Sales forecast', true],
    ['Slack Summarizer', 'Expense Bot', false],
    // Filler words tell nothing apart: one owner's "report bot" and "report app" are one project.
    ['Report bot', 'Report app', true],
    ['Report bot', 'Sales report', false],
    ['bot', 'app', false],
  ])('%s ~ %s: %s', (a, b, same) => expect(nameSimilarity(a, b) >= 0.6).toBe(same));
});

describe('reconcile', () => {
  const line = (row: number, over: Partial<DiscoveredLine> = {}): DiscoveredLine => ({
    row,
    source: 'GitHub',
    name: 'acme/expense-bot',
    owner: 'dana@example.com',
    link: '',
    status: '',
    reason: '',
    ...over,
  });
  const entries = [
    { id: 'AI-0001', project: 'Expense Bot', people: ['dana@example.com'] },
    { id: 'AI-0002', project: 'Budget sync', people: ['kim@example.com', 'dana@example.com'] },
    { id: 'AI-0003', project: 'Budget sync', people: ['lee@example.com'] },
    { id: 'AI-0004', project: 'Wiki helper', people: ['lee@example.com'] },
  ];
  const org = new Set(['example.com']);

  test.each<[string, Partial<DiscoveredLine>, [string, string, boolean]]>([
    ['owner and name match', {}, ['Registered', 'AI-0001', false]],
    ['a co-owner counts', { name: 'budget-sync' }, ['Registered', 'AI-0002', false]],
    ['another owner does not', { owner: 'sam@example.com' }, ['', '', true]],
    [
      'no owner: one entry by that very name',
      { owner: '', name: 'Wiki helper' },
      ['Registered', 'AI-0004', false],
    ],
    [
      'no owner: two entries by the name are not guessed',
      { owner: '', name: 'Budget sync' },
      ['', 'No owner email: add the owner, or mark the line Ignored with a reason.', false],
    ],
    [
      'outside the organisation',
      { owner: 'x@other.org', name: 'Thing' },
      [
        '',
        'x@other.org is outside the organisation, so no invitation is mailed: ask them directly, or mark the line Ignored.',
        false,
      ],
    ],
    [
      'not an address',
      { owner: 'IT team', name: 'Thing' },
      [
        '',
        '"it team" is not an email address: correct the owner, or mark the line Ignored.',
        false,
      ],
    ],
    [
      'Ignored stays, even when registered',
      { status: 'Ignored', reason: 'dup' },
      ['Ignored', 'dup', false],
    ],
    [
      'Invited stays until registered',
      { name: 'Slack bot', status: 'Invited', reason: 'Invited 2026-11-01' },
      ['Invited', 'Invited 2026-11-01', false],
    ],
    [
      'Registered stays while its entry exists, renamed or not',
      { name: 'Old name', status: 'Registered', reason: 'AI-0004' },
      ['Registered', 'AI-0004', false],
    ],
    [
      'Registered to a vanished entry is reconciled again',
      { name: 'Other', status: 'Registered', reason: 'AI-0999' },
      ['', '', true],
    ],
  ])('%s', (_, over, [status, reason, invite]) => {
    const [r] = reconcile([line(2, over)], entries, org);
    expect([r.status, r.reason, r.invite]).toEqual([status, reason, invite]);
  });
});

describe('measured adoption', () => {
  test.each<[number, ('' | 'Registered' | 'Invited' | 'Ignored')[], number | null, number]>([
    [3, ['Registered', 'Invited', '', 'Ignored'], 3 / 5, 2],
    [0, ['Invited'], 0, 1],
    [4, [], null, 0],
    [0, ['Ignored'], null, 0],
  ])('%i registered with %j', (registered, statuses, value, unregistered) => {
    const m = measuredAdoption(registered, statuses);
    expect(m.value).toBe(value);
    expect(m.unregistered).toBe(unregistered);
  });

  it('keeps one point a month, at most 24, oldest first', () => {
    let h = recordPoint([], { month: '2026-10', registered: 1, unregistered: 1, estimated: 10 });
    h = recordPoint(h, { month: '2026-11', registered: 2, unregistered: 1, estimated: 10 });
    h = recordPoint(h, { month: '2026-11', registered: 3, unregistered: 1, estimated: 10 });
    expect(h.map((p) => [p.month, p.registered])).toEqual([
      ['2026-10', 1],
      ['2026-11', 3],
    ]);
    for (let i = 0; i < 30; i++)
      h = recordPoint(h, {
        month: `2030-${String((i % 12) + 1).padStart(2, '0')}`.replace(
          '2030',
          String(2030 + Math.floor(i / 12)),
        ),
        registered: 1,
        unregistered: 0,
        estimated: null,
      });
    expect(h).toHaveLength(24);
  });

  it('lays the estimate and the measure side by side by month', () => {
    const trend = adoptionTrend(
      [
        ['2026-09', 10],
        ['2026-10', 20],
      ],
      [{ month: '2026-10', registered: 1, unregistered: 3, estimated: 10 }],
      { month: '2026-11', measured: measuredAdoption(2, ['Invited']) },
    );
    expect(trend).toEqual([
      ['2026-09', 10, ''],
      ['2026-10', 20, 25],
      ['2026-11', '', 66.7],
    ]);
  });

  test.each<[string, string | null]>([
    ['ignored', 'Ignored'],
    [' IGNORE ', 'Ignored'],
    ['', ''],
    ['Registered', 'Registered'],
    ['done', null],
  ])('status word %j', (text, word) => expect(statusWord(text)).toBe(word));
});
