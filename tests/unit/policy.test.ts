import { validateEntry, type RawEntry } from '../../src/domain/entry';
import {
  approvedTools,
  decideApproval,
  soc2Current,
  type PolicyContext,
  type ToolRecord,
} from '../../src/domain/policy';

const TODAY = '2026-11-24';
const TOOLS: ToolRecord[] = [
  {
    tool: 'Claude Code',
    status: 'Approved',
    maxTier: 3,
    soc2Verified: '2026-05-01',
    howToGetAccess: 'Request it in the IT portal.',
  },
  {
    tool: 'GitHub Copilot',
    status: 'Approved',
    maxTier: 2,
    soc2Verified: '2025-10-01',
    howToGetAccess: 'Ask IT',
  },
  { tool: 'ChatGPT', status: 'Pending', maxTier: null, soc2Verified: null, howToGetAccess: '' },
  {
    tool: 'Cursor',
    status: 'Approved',
    maxTier: 1,
    soc2Verified: '2026-01-01',
    howToGetAccess: '',
  },
];
const STORES = [
  { name: 'Marketing CMS', tier: 'Tier 1 - Public' as const },
  { name: 'HR Database', tier: 'Tier 3 - Confidential' as const },
  { name: 'Payments Vault', tier: 'Tier 4 - Regulated' as const },
];
const ctx = (over: Partial<PolicyContext> = {}): PolicyContext => ({
  today: TODAY,
  tools: TOOLS,
  stores: STORES,
  review: null,
  ...over,
});

function row(over: RawEntry): RawEntry {
  return {
    'Creator Email': 'dana@example.com',
    Department: 'Marketing',
    Project: 'Project',
    'Business Purpose': 'Does a useful thing for a team.',
    'Data Tier': 'Tier 1 - Public',
    'Data Stores': '',
    'AI Tool': 'Claude Code',
    'AI Tool Version': '1.0',
    'Deployment Status': 'Development',
    ...over,
  };
}

describe('the guide’s quick-reference table', () => {
  test.each([
    [
      'Marketing email automation',
      { 'Data Tier': 'Tier 1 - Public', 'AI Tool': 'ChatGPT' },
      'Approved',
      'any AI tool',
    ],
    [
      'Internal dashboard with employee names',
      { 'Data Tier': 'Tier 2 - Internal', 'AI Tool': 'Claude Code' },
      'Approved',
      'Claude Code is approved for Tier 2 - Internal data',
    ],
    [
      'Customer support chatbot',
      { 'Data Tier': 'Tier 3 - Confidential' },
      'In Review',
      'needs a security review',
    ],
    [
      'Payment processing script',
      { 'Data Tier': 'Tier 4 - Regulated' },
      'Blocked',
      'may not be used with any AI tool',
    ],
    [
      'Prototype using synthetic data',
      { 'Data Tier': 'Tier 1 - Public', 'AI Tool': 'Cursor' },
      'Approved',
      'any AI tool',
    ],
  ])('%s', (project, over, approval, why) => {
    const d = decideApproval(validateEntry(row({ Project: project, ...over })), ctx());
    expect(d.approval).toBe(approval);
    expect(d.checks.join(' ')).toContain(why);
  });
});

describe('policy', () => {
  test.each([
    [
      'Tier 2 with a Pending tool',
      { 'Data Tier': '2', 'AI Tool': 'ChatGPT' },
      'Needs Info',
      [
        'ChatGPT is not approved for Tier 2 - Internal data (catalog status: Pending).',
        'Approved tools for Tier 2 - Internal data: Claude Code (Request it in the IT portal)',
      ],
    ],
    [
      'Tier 2 with a tool approved only for Tier 1',
      { 'Data Tier': '2', 'AI Tool': 'Cursor' },
      'Needs Info',
      ['Cursor is approved only up to Tier 1 data, not Tier 2 - Internal.'],
    ],
    [
      'Tier 2 with a stale SOC 2 report',
      { 'Data Tier': '2', 'AI Tool': 'GitHub Copilot' },
      'Needs Info',
      [
        "SOC 2 lapsed: GitHub Copilot's SOC 2 Type II report (verified 2025-10-01) lapsed on 2026-10-02. This entry waits as Needs Info until the security team records a renewed report in AI Tools; it is then approved again by itself.",
      ],
    ],
    [
      'Tier 2 with a tool not in the catalog',
      { 'Data Tier': '2', 'AI Tool': 'Bard' },
      'Needs Info',
      ['Bard is not in the AI Tools catalog, so it is not approved for Tier 2 - Internal data.'],
    ],
    [
      'Tier 2 tool matched case-insensitively',
      { 'Data Tier': '2', 'AI Tool': ' claude code ' },
      'Approved',
      [],
    ],
    [
      'Tier 1 with an unlisted tool is approved and noted',
      { 'AI Tool': 'Bard' },
      'Approved',
      ['Bard is not in the AI Tools catalog yet; the monthly review will list it.'],
    ],
    [
      'a store raises Tier 1 to Tier 3',
      { 'Data Stores': 'Marketing CMS, HR Database' },
      'In Review',
      [
        'Data Tier raised from Tier 1 - Public to Tier 3 - Confidential: data store "HR Database" is classified Tier 3 - Confidential (the automated check confirms data classification).',
      ],
    ],
    [
      'a regulated store blocks',
      { 'Data Tier': '2', 'Data Stores': 'payments vault' },
      'Blocked',
      [
        'Instead: build and test with synthetic or de-identified data (then register it as Tier 1), or talk to the security team about a safe alternative.',
      ],
    ],
    [
      'an unknown store is a warning only',
      { 'Data Stores': 'Shadow Sheet' },
      'Approved',
      [
        'Data store "Shadow Sheet" is not in the Data Stores inventory; the security team will classify it.',
      ],
    ],
  ])('%s', (_name, over, approval, checks) => {
    const d = decideApproval(validateEntry(row(over)), ctx());
    expect(d.approval).toBe(approval);
    for (const c of checks) expect(d.checks.join('\n')).toContain(c);
  });

  test('a second, unclassified row of the same store name (first in the sheet) never hides its tier', () => {
    const stores = [{ name: 'hr database', tier: null }, ...STORES];
    const d = decideApproval(
      validateEntry(row({ 'Data Tier': '1', 'Data Stores': 'HR Database' })),
      ctx({ stores }),
    );
    expect(d.effectiveTier).toBe('Tier 3 - Confidential');
    const unclassified = decideApproval(
      validateEntry(row({ 'Data Tier': '1', 'Data Stores': 'New Lake' })),
      ctx({ stores: [{ name: 'New Lake', tier: null }] }),
    );
    expect(unclassified.checks).toContain(
      'Data store "New Lake" is not classified yet; the security team will classify it.',
    );
  });

  test('a store can raise the tier but never lower it', () => {
    const d = decideApproval(
      validateEntry(row({ 'Data Tier': '3', 'Data Stores': 'Marketing CMS' })),
      ctx(),
    );
    expect(d.effectiveTier).toBe('Tier 3 - Confidential');
    expect(d.raisedBy).toBeNull();
  });

  test.each([
    ['no review yet', null, 'Development', 'In Review', []],
    [
      'an open review not yet due',
      { status: 'Open' as const, due: '2026-12-01', threatModel: '' },
      'Development',
      'In Review',
      [],
    ],
    [
      'an open review past due',
      { status: 'Open' as const, due: '2026-11-23', threatModel: '' },
      'Development',
      'Review Overdue',
      [],
    ],
    [
      'approved review',
      { status: 'Approved' as const, due: '2026-12-01', threatModel: '' },
      'Development',
      'Approved',
      [],
    ],
    [
      'approved, production, no threat model',
      { status: 'Approved' as const, due: '2026-12-01', threatModel: '' },
      'Production',
      'In Review',
      ['production-without-threat-model'],
    ],
    [
      'approved, production, threat model',
      {
        status: 'Approved' as const,
        due: '2026-12-01',
        threatModel: 'https://docs.example.com/tm',
      },
      'Production',
      'Approved',
      [],
    ],
    [
      'open review, production',
      { status: 'Open' as const, due: '2026-12-01', threatModel: '' },
      'Production',
      'In Review',
      ['production-without-threat-model'],
    ],
    [
      'changes requested',
      { status: 'Changes Requested' as const, due: '2026-12-01', threatModel: '' },
      'Development',
      'Changes Requested',
      [],
    ],
    [
      'rejected',
      { status: 'Rejected' as const, due: '2026-12-01', threatModel: '' },
      'Development',
      'Rejected',
      [],
    ],
  ])('Tier 3 with %s', (_name, review, status, approval, alerts) => {
    const d = decideApproval(
      validateEntry(row({ 'Data Tier': '3', 'Deployment Status': status })),
      ctx({ review }),
    );
    expect(d.approval).toBe(approval);
    expect(d.needsReview).toBe(true);
    expect(d.alerts).toEqual(alerts);
  });

  test.each([
    ['no review', null, 'Needs Info', false],
    [
      'an open review',
      { status: 'Open' as const, due: '2026-12-01', threatModel: '' },
      'Needs Info',
      false,
    ],
    [
      'a closed review',
      { status: 'Closed' as const, due: '2026-12-01', threatModel: '' },
      'Needs Info',
      false,
    ],
    [
      'an approved review',
      { status: 'Approved' as const, due: '2026-12-01', threatModel: '' },
      'Approved',
      true,
    ],
    [
      'a rejected review',
      { status: 'Rejected' as const, due: '2026-12-01', threatModel: '' },
      'Rejected',
      true,
    ],
  ])('a decommissioned Tier 3 entry with %s', (_name, review, approval, needsReview) => {
    const d = decideApproval(
      validateEntry(row({ 'Data Tier': '3', 'Deployment Status': 'Decommissioned' })),
      ctx({ review }),
    );
    expect(d.approval).toBe(approval);
    expect(d.needsReview).toBe(needsReview);
  });

  test('a Closed review decides nothing: a Tier 3 entry with one needs a review again', () => {
    const d = decideApproval(
      validateEntry(row({ 'Data Tier': '3' })),
      ctx({ review: { status: 'Closed', due: '2026-12-01', threatModel: '' } }),
    );
    expect(d).toMatchObject({ approval: 'In Review', needsReview: true });
  });

  test('an invalid entry needs info and names every problem', () => {
    const d = decideApproval(
      validateEntry(row({ 'Creator Email': 'dana', 'Business Purpose': '' })),
      ctx(),
    );
    expect(d.approval).toBe('Needs Info');
    expect(d.checks).toEqual([
      'Creator Email "dana" is not an email address.',
      'Business Purpose is missing: say in one sentence what it does and for whom.',
    ]);
  });

  test.each([
    ['2026-11-24', true],
    ['2025-11-24', true],
    ['2025-11-23', false],
    ['2026-11-26', false],
    [null, false],
    ['soon', false],
  ])('SOC 2 verified %p is current on 2026-11-24: %p', (verified, current) => {
    expect(soc2Current(verified, TODAY)).toBe(current);
  });

  test('no tool is ever approved for Tier 4', () => {
    expect(approvedTools(TOOLS, 'Tier 4 - Regulated', TODAY)).toEqual([]);
    expect(approvedTools(TOOLS, 'Tier 1 - Public', TODAY).map((t) => t.tool)).toEqual([
      'Claude Code',
      'GitHub Copilot',
      'Cursor',
    ]);
  });
});
