/**
 * Idempotence by meaning (issue 15, deliverable 3): an edit that leaves the inputs a decision
 * was made on the same, once their words are normalised, changes nothing; a real change still
 * re-decides.
 */
import { headersOf, REGISTRY } from '../../src/domain/schema';
import {
  addToSecurityTeam,
  auditRows,
  EMPLOYEE,
  registryInputs,
  SECURITY,
  setUpRuntime,
} from '../helpers';

const H = headersOf(REGISTRY);
const at = (header: string, row = 2) => `${String.fromCharCode(65 + H.indexOf(header))}${row}`;

function approvedTier3() {
  const rt = setUpRuntime();
  addToSecurityTeam(rt, SECURITY);
  rt.edit('Registry', 'C2:K2', [registryInputs({ Project: 'Alpha', 'Data Tier': '3' })], EMPLOYEE);
  const decided = rt.run(
    'decideReview',
    ['R-0001', { decision: 'Approved', note: '', threatModel: '' }],
    SECURITY,
  );
  expect(decided.ok).toBe(true);
  return rt;
}

const approval = (rt: ReturnType<typeof setUpRuntime>) =>
  rt.view('Registry').values[1][H.indexOf('Approval')];

test.each<[string, string, 'type' | 'paste' | 'clear']>([
  ['Data Tier', 'Tier 3 - Confidential', 'type'],
  ['Data Tier', '3', 'type'],
  ['Data Tier', 'confidential', 'paste'],
  ['AI Tool', 'Claude Code', 'type'],
  ['AI Tool', 'claude code', 'type'],
  ['Data Stores', '', 'clear'],
  ['Data Stores', '', 'paste'],
  ['Deployment Status', 'dev', 'type'],
])('%s re-entered as "%s" (%s) keeps the approval and its review', (header, value, how) => {
  const rt = approvedTier3();
  rt.edit('Registry', at(header), [[value]], EMPLOYEE, how);
  rt.advance(3600 * 1000);
  expect(approval(rt)).toBe('Approved');
  expect(rt.view('Reviews').values).toHaveLength(2); // no second review
  expect(auditRows(rt, 'Review opened')).toHaveLength(1);
});

test('a real change of the tier still re-decides', () => {
  const rt = approvedTier3();
  rt.edit('Registry', at('Data Tier'), [['4']], EMPLOYEE);
  expect(approval(rt)).toBe('Blocked');
});

describe('settings changes never weaken a Tier 3 or 4 decision', () => {
  test.each([
    ['3', 'In Review'],
    ['4', 'Blocked'],
  ])('Tier %s stays %s when a Departments list leaves out its department', (tier, held) => {
    const rt = setUpRuntime();
    addToSecurityTeam(rt, SECURITY);
    rt.edit(
      'Registry',
      'C2:K2',
      [registryInputs({ Project: 'Alpha', 'Data Tier': tier, Department: 'Support' })],
      EMPLOYEE,
    );
    expect(approval(rt)).toBe(held);
    const saved = rt.run('saveSettings', [{ departments: 'Finance\nSales' }], SECURITY);
    expect(saved.ok).toBe(true);
    rt.advance(8 * 24 * 3600 * 1000);
    const now = approval(rt);
    expect(now).toBe(held === 'In Review' ? 'Review Overdue' : 'Blocked');
    expect(String(rt.view('Registry').values[1][H.indexOf('Checks')])).toContain(
      'Department "Support" is not in the list',
    );
  });

  test('a long Departments list is refused with a sentence, settings unchanged', () => {
    const rt = setUpRuntime();
    addToSecurityTeam(rt, SECURITY);
    const before = rt.registryProperties().settings;
    const many = Array.from({ length: 2000 }, (_, i) => `Team ${i}`).join('\n');
    const saved = rt.run('saveSettings', [{ departments: many }], SECURITY) as {
      ok: boolean;
      error: string;
    };
    expect(saved.ok).toBe(false);
    expect(saved.error).toContain('Departments can list at most 150 names');
    expect(rt.registryProperties().settings).toBe(before);
  });
});
