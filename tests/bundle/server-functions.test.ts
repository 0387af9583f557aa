import type { GasRuntime } from '../../sandbox/gas/runtime';
import { addToSecurityTeam, ADMIN, EMPLOYEE, SECURITY, setUpRuntime } from '../helpers';

const FORM = {
  creatorEmail: EMPLOYEE,
  department: 'Support',
  project: 'Ticket summariser',
  businessPurpose: 'Summarises long support threads for agents.',
  dataTier: 'Tier 3 - Confidential',
  dataStores: [] as string[],
  aiTool: 'Claude Code',
  aiToolVersion: '1.0',
  deploymentStatus: 'Development',
};

function ready(): GasRuntime {
  const rt = setUpRuntime();
  addToSecurityTeam(rt, SECURITY);
  return rt;
}

const rows = (rt: GasRuntime) =>
  rt
    .view('Registry')
    .values.slice(1)
    .filter((r) => r[0] !== '');

describe('registerProject', () => {
  test('records a well-formed form whatever the policy decides, and says what happens next', () => {
    const rt = ready();
    expect(rt.run('registerProject', [FORM], EMPLOYEE)).toEqual({
      ok: true,
      result: {
        id: 'AI-0001',
        approval: 'In Review',
        checks: [
          'Tier 3 - Confidential data needs a security review before AI processing; the review is due 2026-12-01.',
        ],
        reviewDue: '2026-12-01',
      },
    });
    expect(
      rt.run('registerProject', [{ ...FORM, project: 'Card checker', dataTier: '4' }], EMPLOYEE),
    ).toMatchObject({
      ok: true,
      result: { id: 'AI-0002', approval: 'Blocked' },
    });
    expect(rows(rt).map((r) => r[4])).toEqual(['Ticket summariser', 'Card checker']);
  });

  test.each([
    [
      'a missing purpose',
      { ...FORM, businessPurpose: '' },
      'Business Purpose is missing: say in one sentence what it does and for whom.',
    ],
    [
      'a bad email',
      { ...FORM, creatorEmail: 'nobody' },
      'Creator Email "nobody" is not an email address.',
    ],
    ['a number where text belongs', { ...FORM, project: 42 }, 'Project must be text.'],
    [
      'data stores that are not a list',
      { ...FORM, dataStores: 'CRM' },
      'Data Stores must be a list of data store names.',
    ],
  ])('a malformed form (%s) writes nothing', (_name, form, check) => {
    const rt = ready();
    const auditBefore = rt.view('Audit Log').values.length;
    const result = rt.run('registerProject', [form], EMPLOYEE);
    expect(result).toMatchObject({
      ok: true,
      result: { id: null, approval: 'Needs Info', reviewDue: null },
    });
    expect((result as { result: { checks: string[] } }).result.checks).toContain(check);
    expect(rows(rt)).toEqual([]);
    expect(rt.view('Audit Log').values.length).toBe(auditBefore);
  });

  test('the same form sent twice (a double click) registers once', () => {
    const rt = ready();
    const first = rt.run('registerProject', [FORM], EMPLOYEE);
    const second = rt.run('registerProject', [FORM], EMPLOYEE);
    expect(second).toEqual(first);
    expect(rows(rt)).toHaveLength(1);
  });

  test('writes under the document lock and says so politely when it is busy', () => {
    const rt = ready();
    rt.holdLock('document', rt.world.now + 60000);
    expect(rt.run('registerProject', [FORM], EMPLOYEE)).toEqual({
      ok: false,
      error: 'The registry is busy right now. Try again in a moment.',
    });
    expect(rows(rt)).toEqual([]);
  });
});

const withoutSeals = (values: string[][]) =>
  values.map((row) => row.filter((_, i) => values[0][i] !== 'Seal'));

describe('reviews', () => {
  test('a decision records the reviewer, business days and threat model; the registry row follows', () => {
    const rt = ready();
    rt.run('registerProject', [FORM], EMPLOYEE);
    rt.advanceTo('2026-11-27T15:00:00Z'); // Friday: 3 business days after Tuesday
    expect(rt.run('listReviewQueue', [], SECURITY)).toMatchObject({
      ok: true,
      result: { items: [{ reviewId: 'R-0001', overdue: false, businessDaysOpen: 3 }], total: 1 },
    });
    expect(
      rt.run(
        'decideReview',
        ['R-0001', { decision: 'Approved', note: '', threatModel: '' }],
        SECURITY,
      ),
    ).toEqual({
      ok: true,
      result: {
        reviewId: 'R-0001',
        registryId: 'AI-0001',
        approval: 'Approved',
        reviewStatus: 'Approved',
      },
    });
    const review = rt.view('Reviews').values[1];
    // Status, Reviewer, Assigned To (the first member in turn), Threat Model, Decided, days.
    expect(review.slice(6, 12)).toEqual(['Approved', SECURITY, ADMIN, '', '2026-11-27 10:00', '3']);
    expect(rows(rt)[0][11]).toBe('Approved');
    expect(rt.run('listReviewQueue', [], SECURITY)).toEqual({
      ok: true,
      result: { items: [], total: 0, mine: 0, team: [ADMIN, SECURITY] },
    });
  });

  test('the entry the queue names saves a search and never decides anything else, right or wrong', () => {
    // The same story twice: with the queue's hint, and without it.
    const story = (hint: (entry: string) => string | undefined) => {
      const rt = ready();
      rt.run('registerProject', [FORM], EMPLOYEE);
      rt.run('registerProject', [{ ...FORM, project: 'Second' }], EMPLOYEE);
      const decide = (review: string, entry: string, decision: string, note = '') => {
        const result = rt.run(
          'decideReview',
          [review, { decision, note, threatModel: '', registryId: hint(entry) }],
          SECURITY,
        );
        const calls = rt.world.executions[rt.world.executions.length - 1].calls.byMethod;
        return { result, finds: calls['TextFinder.findAll'] };
      };
      // A wrong hint (the other entry) decides the review's own entry.
      const wrong = decide('R-0002', 'AI-0001', 'Approved');
      // Changes requested, the creator changes the entry: a second review of AI-0001.
      const first = decide('R-0001', 'AI-0001', 'Changes Requested', 'Add the data flow.');
      rt.edit('Registry', 'F2', [['Drafts replies, with the data flow.']], EMPLOYEE);
      const queue = rt.run('listReviewQueue', [], SECURITY) as {
        result: { items: { reviewId: string; registryId: string }[] };
      };
      const again = queue.result.items.find((i) => i.registryId === 'AI-0001')!;
      const second = decide(again.reviewId, 'AI-0001', 'Approved');
      return {
        results: [wrong.result, first.result, second.result],
        finds: [wrong.finds, first.finds, second.finds],
        // Seals differ (each registry has its own key): everything else is compared.
        registry: withoutSeals(rt.view('Registry').values),
        reviews: withoutSeals(rt.view('Reviews').values),
      };
    };
    const hinted = story((entry) => entry);
    const plain = story(() => undefined);
    expect(hinted.results).toEqual(plain.results);
    expect(hinted.results[0]).toEqual({
      ok: true,
      result: {
        reviewId: 'R-0002',
        registryId: 'AI-0002',
        approval: 'Approved',
        reviewStatus: 'Approved',
      },
    });
    expect(hinted.registry).toEqual(plain.registry);
    expect(hinted.reviews).toEqual(plain.reviews);
    // A right hint: one search finds the review and its entry's other reviews.
    expect(hinted.finds[1]).toBe(plain.finds[1] - 1);
    expect(hinted.finds[2]).toBe(plain.finds[2] - 1);
  });

  test('the queue shows the 30 most urgent reviews, with their entries, and how many are open', () => {
    const rt = ready();
    // 40 Tier 3 entries pasted on Tuesday, 5 more on Thursday; the first are overdue later.
    const row = (i: number) => [
      EMPLOYEE,
      'Sales',
      `Tool ${i}`,
      `Purpose ${i}`,
      '3',
      '',
      'Claude Code',
      '1',
      'Development',
    ];
    rt.edit(
      'Registry',
      'C2:K41',
      Array.from({ length: 40 }, (_, i) => row(i)),
      EMPLOYEE,
    );
    rt.advanceTo('2026-11-26T15:00:00Z');
    rt.edit(
      'Registry',
      'C42:K46',
      Array.from({ length: 5 }, (_, i) => row(40 + i)),
      EMPLOYEE,
    );
    rt.jumpTo('2026-12-03T15:00:00Z'); // the Tuesday ones are overdue, the Thursday ones not
    // A member none of them is assigned to sees them by urgency alone (assigned-to-me goes
    // first: lifecycle.test.ts).
    addToSecurityTeam(rt, 'carol@example.com');
    const queue = rt.run('listReviewQueue', [], 'carol@example.com') as {
      ok: true;
      result: {
        items: { reviewId: string; purpose: string; tier: string; overdue: boolean }[];
        total: number;
      };
    };
    expect(queue.result.total).toBe(45);
    expect(queue.result.items).toHaveLength(30);
    expect(queue.result.items.every((item) => item.overdue)).toBe(true);
    // Each item carries its entry's cells, found by one search of the ID column.
    queue.result.items.forEach((item, i) => {
      expect(item.purpose).toBe(`Purpose ${i}`);
      expect(item.tier).toBe('Tier 3 - Confidential');
    });
  });

  test('approving a production deployment needs a threat model link', () => {
    const rt = ready();
    rt.run('registerProject', [{ ...FORM, deploymentStatus: 'Production' }], EMPLOYEE);
    expect(
      rt.run(
        'decideReview',
        ['R-0001', { decision: 'Approved', note: '', threatModel: '' }],
        SECURITY,
      ),
    ).toEqual({
      ok: false,
      error: 'This project is in Production: attach the threat model link to approve it.',
    });
    expect(
      rt.run(
        'decideReview',
        ['R-0001', { decision: 'Approved', note: '', threatModel: 'javascript:alert(1)' }],
        SECURITY,
      ),
    ).toEqual({
      ok: false,
      error: 'The threat model link must be an https:// address.',
    });
    expect(
      rt.run(
        'decideReview',
        [
          'R-0001',
          { decision: 'Approved', note: '', threatModel: 'https://docs.example.com/tm-1' },
        ],
        SECURITY,
      ),
    ).toMatchObject({
      ok: true,
      result: { approval: 'Approved' },
    });
  });

  test('changes requested or rejected need a note; unknown words are refused', () => {
    const rt = ready();
    rt.run('registerProject', [FORM], EMPLOYEE);
    expect(
      rt.run(
        'decideReview',
        ['R-0001', { decision: 'Rejected', note: '', threatModel: '' }],
        SECURITY,
      ),
    ).toEqual({
      ok: false,
      error: 'Add a note so the creator knows what to change or why.',
    });
    expect(
      rt.run(
        'decideReview',
        ['R-0001', { decision: 'Maybe', note: 'x', threatModel: '' }],
        SECURITY,
      ),
    ).toEqual({
      ok: false,
      error: 'Choose Approved, Changes Requested or Rejected.',
    });
    expect(
      rt.run(
        'decideReview',
        ['R-9999', { decision: 'Rejected', note: 'x', threatModel: '' }],
        SECURITY,
      ),
    ).toEqual({
      ok: false,
      error: 'There is no review R-9999.',
    });
  });

  test.each(['listReviewQueue', 'getSettings', 'sendTestMessage'])(
    '%s refuses everyone outside the security team',
    (fn) => {
      const rt = ready();
      expect(rt.run(fn, [], EMPLOYEE)).toEqual({
        ok: false,
        error: 'Only the security team can do this. Ask them, or ask to be added in Settings.',
      });
    },
  );
});

describe('settings', () => {
  test('the webhook comes back masked and is kept when the masked value is saved back', () => {
    const rt = ready();
    const url = 'https://hooks.slack.com/services/T1/B1/abcdefgh';
    expect(rt.run('saveSettings', [{ slackWebhookUrl: url }], SECURITY)).toMatchObject({
      ok: true,
      result: { slackWebhookUrl: 'https://hooks.slack.com/…efgh', webhookConfigured: true },
    });
    expect(rt.registryProperties().slackWebhookUrl).toBe(url);
    rt.run(
      'saveSettings',
      [{ slackWebhookUrl: 'https://hooks.slack.com/…efgh', reviewSlaDays: 7 }],
      SECURITY,
    );
    expect(rt.registryProperties().slackWebhookUrl).toBe(url);
    expect(JSON.stringify(rt.run('getSettings', [], SECURITY))).not.toContain('abcdefgh');
    expect(JSON.stringify(rt.view('Audit Log'))).not.toContain('abcdefgh');
  });

  test.each([
    [
      { slackWebhookUrl: 'https://evil.example/hook' },
      'The Slack webhook URL must start with https://hooks.slack.com/',
    ],
    [{ reviewSlaDays: 0 }, 'Review SLA must be a whole number from 1 to 30.'],
    [{ holidays: ['Christmas'] }, 'Holiday "Christmas" must be a date written yyyy-mm-dd.'],
    [
      { timeZone: 'Mars/Olympus' },
      "The time zone follows the spreadsheet's (America/New_York); change it in File › Settings, not here.",
    ],
    [{ securityTeam: ['not-an-email'] }, 'Security team: "not-an-email" is not an email address.'],
    [
      { securityTeam: [ADMIN] },
      'Keep yourself on the security team, or ask another member to remove you.',
    ],
  ])('%p is refused with a sentence and nothing changes', (input, error) => {
    const rt = ready();
    const before = JSON.stringify(rt.registryProperties());
    const result = rt.run('saveSettings', [input], SECURITY) as { ok: boolean; error: string };
    expect(result.ok).toBe(false);
    expect(result.error).toContain(error);
    expect(JSON.stringify(rt.registryProperties())).toBe(before);
  });
});

describe('attestation from the sidebar', () => {
  test('only the creator or the security team may confirm an entry', () => {
    const rt = ready();
    rt.run('registerProject', [FORM], EMPLOYEE);
    expect(rt.run('attestProject', ['AI-0001', 'active'], 'someone@example.com')).toEqual({
      ok: false,
      error:
        'Only an owner of this project (who registered it, its creator or a co-owner), or the security team, can confirm it.',
    });
    expect(rt.run('attestProject', ['AI-0001', 'sideways'], EMPLOYEE)).toEqual({
      ok: false,
      error: 'Choose "Still active" or "Decommission".',
    });
    expect(rt.run('attestProject', ['AI-0001', 'decommission'], EMPLOYEE)).toMatchObject({
      ok: true,
      result: { deploymentStatus: 'Decommissioned', lastConfirmed: '2026-11-24' },
    });
    expect(rows(rt)).toHaveLength(1); // nothing is deleted
  });
});
