/**
 * A review follows its entry (issue 15, deliverable 2): an entry that no longer needs a
 * security review (downgraded, raised to Tier 4 and blocked, decommissioned) closes its open
 * review with the reason, alerted; nothing is left to go overdue in the queue.
 */
import { headersOf, REGISTRY } from '../../src/domain/schema';
import type { GasRuntime } from '../../sandbox/gas/runtime';
import {
  addToSecurityTeam,
  auditRows,
  EMPLOYEE,
  registryInputs,
  SECURITY,
  setUpRuntime,
} from '../helpers';

const H = headersOf(REGISTRY);
const at = (header: string) => `${String.fromCharCode(65 + H.indexOf(header))}2`;

function inReview(): GasRuntime {
  const rt = setUpRuntime();
  addToSecurityTeam(rt, SECURITY);
  rt.edit('Registry', 'C2:K2', [registryInputs({ Project: 'Alpha', 'Data Tier': '3' })], EMPLOYEE);
  return rt;
}

const review = (rt: GasRuntime, n = 1) => {
  const { values } = rt.view('Reviews');
  return Object.fromEntries(values[0].map((h, i) => [h, values[n][i]]));
};
const entry = (rt: GasRuntime) => {
  const { values } = rt.view('Registry');
  return Object.fromEntries(values[0].map((h, i) => [h, values[1][i]]));
};
const queue = (rt: GasRuntime) =>
  (rt.run('listReviewQueue', [], SECURITY) as { result: { total: number } }).result.total;

test.each<[string, (rt: GasRuntime) => void, string, RegExp]>([
  [
    'downgraded to Tier 2',
    (rt) => rt.edit('Registry', at('Data Tier'), [['2']], EMPLOYEE),
    'Needs Info|Approved',
    /AI-0001 is now Tier 2 - Internal, which needs no security review/,
  ],
  [
    'raised to Tier 4',
    (rt) => rt.edit('Registry', at('Data Tier'), [['4']], EMPLOYEE),
    'Blocked',
    /AI-0001 is now Tier 4 - Regulated and blocked/,
  ],
  [
    'decommissioned in the row',
    (rt) => rt.edit('Registry', at('Deployment Status'), [['Decommissioned']], EMPLOYEE),
    'In Review|Approved|Needs Info',
    /AI-0001 was decommissioned/,
  ],
  [
    'decommissioned from My projects',
    (rt) => {
      expect(rt.run('attestProject', ['AI-0001', 'decommission'], EMPLOYEE)).toMatchObject({
        ok: true,
      });
    },
    'In Review|Approved|Needs Info',
    /AI-0001 was decommissioned/,
  ],
])('an entry %s closes its open review with the reason', (_name, change, _approval, reason) => {
  const rt = inReview();
  expect(queue(rt)).toBe(1);
  change(rt);
  expect(review(rt)).toMatchObject({ Status: 'Closed' });
  expect(String(review(rt).Notes)).toMatch(reason);
  expect(entry(rt)['Review Due']).toBe('');
  expect(queue(rt)).toBe(0);
  expect(auditRows(rt, 'Review closed')).toHaveLength(1);
  rt.advance(10 * 24 * 3600 * 1000);
  expect(entry(rt).Approval).not.toBe('Review Overdue');
  expect(queue(rt)).toBe(0);
  expect(rt.failures()).toEqual([]);
});

test('the downgrade is alerted to the team', () => {
  const rt = inReview();
  rt.edit('Registry', at('Data Tier'), [['1']], EMPLOYEE);
  const outbox = Object.entries(rt.registryProperties())
    .filter(([k, v]) => k.startsWith('outbox.') && !JSON.parse(v).channel)
    .map(([, v]) => v)
    .join('\n');
  expect(outbox).toContain('Security review closed');
});

test('raised back to Tier 3 after a close, the closed review opens again, due as before', () => {
  const rt = inReview();
  const due = review(rt).Due;
  rt.edit('Registry', at('Data Tier'), [['2']], EMPLOYEE);
  rt.edit('Registry', at('Data Tier'), [['3']], EMPLOYEE);
  expect(rt.view('Reviews').values).toHaveLength(2); // no second review
  expect(review(rt)).toMatchObject({ 'Review ID': 'R-0001', Status: 'Open', Due: due });
  expect(String(review(rt).Notes)).toContain('needs a security review again; due as before');
  expect(entry(rt).Approval).toBe('In Review');
  expect(queue(rt)).toBe(1);
});

test('after Changes Requested, a downgrade closes the review instead of re-submitting it', () => {
  const rt = inReview();
  rt.run(
    'decideReview',
    ['R-0001', { decision: 'Changes Requested', note: 'Mask the data.', threatModel: '' }],
    SECURITY,
  );
  rt.edit('Registry', at('Data Tier'), [['1']], EMPLOYEE);
  expect(review(rt)).toMatchObject({ Status: 'Closed' });
  expect(queue(rt)).toBe(0);
  expect(entry(rt).Approval).toBe('Approved');
});

test('a security member cannot type Closed as a decision', () => {
  const rt = inReview();
  const status = String.fromCharCode(65 + rt.view('Reviews').values[0].indexOf('Status'));
  rt.edit('Reviews', `${status}2`, [['Closed']], SECURITY);
  expect(review(rt).Status).toBe('Open');
  expect(
    rt.run(
      'decideReview',
      ['R-0001', { decision: 'Closed', note: 'x', threatModel: '' }],
      SECURITY,
    ),
  ).toMatchObject({ ok: false, error: 'Choose Approved, Changes Requested or Rejected.' });
});

describe('the production gate: the team adds the threat model from the queue', () => {
  function atTheGate(): GasRuntime {
    const rt = inReview();
    rt.run(
      'decideReview',
      ['R-0001', { decision: 'Approved', note: '', threatModel: '' }],
      SECURITY,
    );
    rt.edit('Registry', at('Deployment Status'), [['prod']], EMPLOYEE);
    expect(entry(rt).Approval).toBe('In Review');
    return rt;
  }
  const LINK = 'https://docs.example.com/threat-models/alpha';

  test('the queue lists it first, marked as needing a threat model', () => {
    const rt = atTheGate();
    rt.edit('Registry', 'C3:K3', [registryInputs({ Project: 'Beta', 'Data Tier': '3' })], EMPLOYEE);
    const queue = rt.run('listReviewQueue', [], SECURITY) as {
      result: {
        total: number;
        items: { reviewId: string; needsThreatModel: boolean; overdue: boolean }[];
      };
    };
    expect(queue.result.total).toBe(2);
    expect(queue.result.items.map((i) => [i.reviewId, i.needsThreatModel])).toEqual([
      ['R-0001', true],
      ['R-0002', false],
    ]);
  });

  test('adding the link from the queue lets it run, the decision kept as it was made', () => {
    const rt = atTheGate();
    const decided = review(rt).Decided;
    const added = rt.run(
      'decideReview',
      ['R-0001', { decision: 'Approved', note: '', threatModel: LINK, registryId: 'AI-0001' }],
      SECURITY,
    );
    expect(added).toMatchObject({ ok: true, result: { approval: 'Approved' } });
    expect(review(rt)).toMatchObject({
      Status: 'Approved',
      'Threat Model': LINK,
      Decided: decided,
    });
    expect(entry(rt).Approval).toBe('Approved');
    expect(auditRows(rt, 'Threat model added')).toHaveLength(1);
    expect(queue(rt)).toBe(0);
    // Once added, it is not added again.
    expect(
      rt.run(
        'decideReview',
        ['R-0001', { decision: 'Approved', note: '', threatModel: LINK }],
        SECURITY,
      ),
    ).toMatchObject({ ok: false });
  });

  test('a link typed into the review by the team frees the entry at once', () => {
    const rt = atTheGate();
    const tm = String.fromCharCode(65 + rt.view('Reviews').values[0].indexOf('Threat Model'));
    rt.edit('Reviews', `${tm}2`, [[LINK]], SECURITY);
    expect(entry(rt).Approval).toBe('Approved');
    expect(review(rt)['Threat Model']).toBe(LINK);
  });

  test('an employee cannot add the link, typed or through the sidebar', () => {
    const rt = atTheGate();
    const tm = String.fromCharCode(65 + rt.view('Reviews').values[0].indexOf('Threat Model'));
    rt.edit('Reviews', `${tm}2`, [[LINK]], EMPLOYEE);
    expect(review(rt)['Threat Model']).toBe('');
    expect(
      rt.run(
        'decideReview',
        ['R-0001', { decision: 'Approved', note: '', threatModel: LINK }],
        EMPLOYEE,
      ),
    ).toMatchObject({ ok: false });
    expect(entry(rt).Approval).toBe('In Review');
  });
});
