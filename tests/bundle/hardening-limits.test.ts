/**
 * Attacks on the limits (issue 15, deliverable 6): long text pasted by a (careless)
 * security-team member into the catalogs. Each failed before its fix (a helper’s attack on issue 15’s changes).
 */
import { addToSecurityTeam, auditRows, SECURITY, setUpRuntime } from '../helpers';

const CHECK = 'Security team > Run daily checks now';

test('a tool renamed to a pasted paragraph of 9,500 characters: no failed trigger, no "Something went wrong"', () => {
  const rt = setUpRuntime();
  addToSecurityTeam(rt, SECURITY);
  // Row 2 holds a seeded tool (Claude Code); the team member pastes a long text over its name.
  const edited = rt.edit('AI Tools', 'A2', [['T'.repeat(9_500)]], SECURITY);
  expect(edited.executions.map((e) => e.error ?? null)).toEqual(edited.executions.map(() => null));
  const report = rt.clickMenu(CHECK, SECURITY).ui[0].message;
  expect(report).not.toContain('Something went wrong');
  expect(rt.failures()).toEqual([]);
});

test.each([
  ['AI Tools', 'Status'],
  ['Data Stores', 'Tier'],
])(
  '49,999 characters typed by the team into %s %s do not break the audit chain',
  (sheet, header) => {
    const rt = setUpRuntime();
    addToSecurityTeam(rt, SECURITY);
    rt.edit(
      'Data Stores',
      'A2:D2',
      [['HR Database', 'hr@example.com', 'Tier 4 - Regulated', 'Payroll']],
      SECURITY,
    );
    const letter = String.fromCharCode(65 + rt.view(sheet).values[0].indexOf(header));
    rt.edit(sheet, `${letter}2`, [['x'.repeat(49_999)]], SECURITY);
    const report = rt.clickMenu(CHECK, SECURITY).ui[0].message;
    // Whatever the add-on does with the value (refuse it, cut it), its own log must verify.
    expect(report).not.toContain('hash chain is broken');
    expect(auditRows(rt, 'Integrity alert')).toEqual([]);
  },
);
