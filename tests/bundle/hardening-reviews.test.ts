/**
 * Attacks on "a review follows its entry" (issue 15, deliverable 2). Fails today.
 */
import { headersOf, REGISTRY } from '../../src/domain/schema';
import { addToSecurityTeam, EMPLOYEE, registryInputs, SECURITY, setUpRuntime } from '../helpers';

const H = headersOf(REGISTRY);
const at = (header: string) => `${String.fromCharCode(65 + H.indexOf(header))}2`;

test('an overdue review is not laundered by typing the tier down and back up', () => {
  const rt = setUpRuntime();
  addToSecurityTeam(rt, SECURITY);
  rt.edit('Registry', 'C2:K2', [registryInputs({ Project: 'Alpha', 'Data Tier': '3' })], EMPLOYEE);
  rt.advance(10 * 24 * 3600 * 1000); // well past the 5-business-day SLA
  const approval = () => rt.view('Registry').values[1][H.indexOf('Approval')];
  const queue = () =>
    (
      rt.run('listReviewQueue', [], SECURITY) as {
        result: { items: { reviewId: string; overdue: boolean; due: string }[] };
      }
    ).result.items;
  expect(approval()).toBe('Review Overdue');
  expect(queue()[0]).toMatchObject({ reviewId: 'R-0001', overdue: true, due: '2026-12-01' });
  // Two edits of the same cell, a minute apart: 3 → 2 closes R-0001, 2 → 3 opens R-0002.
  rt.edit('Registry', at('Data Tier'), [['2']], EMPLOYEE);
  rt.edit('Registry', at('Data Tier'), [['3']], EMPLOYEE);
  // The entry never stopped needing its review: it is still overdue, with its first due date.
  expect(approval()).toBe('Review Overdue');
  expect(queue()[0]).toMatchObject({ overdue: true, due: '2026-12-01' });
});
