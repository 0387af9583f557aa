/**
 * The sealed owner set (DESIGN §6.1): who may confirm or decommission an entry and who gets
 * its mail comes from the seal (Registered By, the creator at registration, co-owners set in
 * the sidebar), never from what is typed into Creator Email later.
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
const letter = (header: string) => String.fromCharCode(65 + H.indexOf(header));
const MALLORY = 'mallory@example.com';
const LEE = 'lee@example.com';
const SECOND = 'second@example.com';

type Project = { id: string; owners: string[]; coOwners: string[] };

function registered(tier = '1'): GasRuntime {
  const rt = setUpRuntime();
  addToSecurityTeam(rt, SECURITY, SECOND);
  rt.edit('Registry', 'C2:K2', [registryInputs({ 'Data Tier': tier })], EMPLOYEE);
  return rt;
}

const mine = (rt: GasRuntime, user: string) =>
  (rt.run('listMyProjects', [], user) as { ok: boolean; result: Project[] }).result;

describe('the sealed owner set', () => {
  test('typing another address into Creator Email is a claim, not a transfer', () => {
    const rt = registered();
    expect(mine(rt, EMPLOYEE).map((p) => p.owners)).toEqual([[EMPLOYEE]]);
    rt.edit('Registry', `${letter('Creator Email')}2`, [[MALLORY]], MALLORY);
    // The cell says Mallory; the owners are still Dana.
    expect(rt.view('Registry').values[1][H.indexOf('Creator Email')]).toBe(MALLORY);
    expect(mine(rt, MALLORY)).toEqual([]);
    expect(mine(rt, EMPLOYEE).map((p) => p.id)).toEqual(['AI-0001']);
    const refused = rt.run('attestProject', ['AI-0001', 'decommission'], MALLORY);
    expect(refused).toMatchObject({ ok: false });
    expect(JSON.stringify(refused)).toContain('Only an owner of this project');
    expect(rt.view('Registry').values[1][H.indexOf('Deployment Status')]).toBe('Development');
    const claims = auditRows(rt, 'Creator Email claim');
    expect(claims).toHaveLength(1);
    expect(claims[0]).toMatchObject({
      Actor: MALLORY,
      'Old Value': EMPLOYEE,
      'New Value': MALLORY,
    });
    // The rightful owner can still confirm it.
    expect(rt.run('attestProject', ['AI-0001', 'active'], EMPLOYEE)).toMatchObject({ ok: true });
  });

  test('someone registering for a colleague: both own it', () => {
    const rt = setUpRuntime();
    rt.edit(
      'Registry',
      'C2:K2',
      [[LEE, 'Ops', 'Rota bot', 'Builds the rota.', '1', '', 'Claude Code', '1', 'dev']],
      EMPLOYEE,
    );
    expect(mine(rt, LEE).map((p) => p.owners.sort())).toEqual([[EMPLOYEE, LEE].sort()]);
    expect(mine(rt, EMPLOYEE)).toHaveLength(1);
  });

  test('an owner adds a co-owner in the sidebar; the co-owner may confirm; logged and sealed', () => {
    const rt = registered();
    const updated = rt.run('setCoOwners', ['AI-0001', [` ${LEE.toUpperCase()} `]], EMPLOYEE);
    expect(updated).toMatchObject({
      ok: true,
      result: { coOwners: [LEE], owners: [EMPLOYEE, LEE] },
    });
    expect(mine(rt, LEE).map((p) => p.id)).toEqual(['AI-0001']);
    expect(rt.run('attestProject', ['AI-0001', 'active'], LEE)).toMatchObject({ ok: true });
    expect(auditRows(rt, 'Owners changed')).toMatchObject([
      { Actor: EMPLOYEE, 'Registry ID': 'AI-0001', 'Old Value': '', 'New Value': LEE },
    ]);
    // Sealed: the daily check passes, and the co-owner survives a re-decision of the row.
    rt.edit('Registry', `${letter('Data Tier')}2`, [['2']], EMPLOYEE);
    expect(mine(rt, LEE).map((p) => p.coOwners)).toEqual([[LEE]]);
    const report = rt.clickMenu('Security team > Run daily checks now', SECURITY).ui[0].message;
    expect(report).toContain('Daily checks passed.');
  });

  test('co-owners: refused for a non-owner, bad addresses get a sentence, nothing changes', () => {
    const rt = registered();
    const before = JSON.stringify(rt.view('Registry').values);
    const cases: [unknown, string, string][] = [
      [
        [LEE],
        MALLORY,
        'Only an owner of this project, or the security team, can change its co-owners.',
      ],
      [['not an email'], EMPLOYEE, '"not an email" is not an email address.'],
      ['lee@example.com', EMPLOYEE, 'Co-owners must be a list of email addresses.'],
      [Array.from({ length: 11 }, (_, i) => `p${i}@example.com`), EMPLOYEE, 'at most 10 co-owners'],
    ];
    for (const [emails, user, message] of cases) {
      const result = rt.run('setCoOwners', ['AI-0001', emails], user) as {
        ok: boolean;
        error: unknown;
      };
      expect(result.ok).toBe(false);
      expect(String(result.error)).toContain(message);
    }
    expect(rt.run('setCoOwners', ['AI-0099', [LEE]], EMPLOYEE)).toMatchObject({ ok: false });
    expect(JSON.stringify(rt.view('Registry').values)).toBe(before);
    // The security team may change them; ten co-owners keep the seal under 2 KB (DESIGN §6.1).
    const ten = Array.from({ length: 10 }, (_, i) => `co.owner.number${i}@example.com`);
    expect(rt.run('setCoOwners', ['AI-0001', ten], SECURITY)).toMatchObject({ ok: true });
    expect(String(rt.view('Registry').values[1][H.indexOf('Seal')]).length).toBeLessThan(2048);
  });

  test('a security-team member who co-owns an entry cannot decide its review', () => {
    const rt = registered('3');
    expect(rt.run('setCoOwners', ['AI-0001', [SECURITY]], EMPLOYEE)).toMatchObject({ ok: true });
    const refused = rt.run(
      'decideReview',
      ['R-0001', { decision: 'Approved', note: '', threatModel: '' }],
      SECURITY,
    );
    expect(JSON.stringify(refused)).toContain('You own AI-0001');
    expect(
      rt.run(
        'decideReview',
        ['R-0001', { decision: 'Approved', note: '', threatModel: '' }],
        SECOND,
      ),
    ).toMatchObject({ ok: true });
  });

  test('a seal forged to add oneself as owner is put back from the audit log', () => {
    const rt = registered();
    const sheet = rt.world.spreadsheet.sheets.find((s) => s.name === 'Registry')!;
    const cell = sheet.grid[1][H.indexOf('Seal')]!;
    const forged = JSON.parse(String(cell.v)) as { w: string[] };
    forged.w = [...forged.w, MALLORY];
    rt.edit('Registry', `${letter('Seal')}2`, [[JSON.stringify(forged)]], MALLORY);
    expect(mine(rt, MALLORY)).toEqual([]);
    expect(mine(rt, EMPLOYEE).map((p) => p.owners)).toEqual([[EMPLOYEE]]);
    expect(auditRows(rt, 'Tampering reverted').map((a) => a.Field)).toContain('Seal');
  });
});

describe('unknown editors (outside the trigger owner’s domain)', () => {
  const EXTERNAL = 'contractor@partner.org';

  test('are recorded as unknown, own nothing they did not type, and cannot decide or change facts', () => {
    const rt = registered('3');
    rt.edit(
      'Registry',
      'C3:K3',
      [registryInputs({ 'Creator Email': EXTERNAL, Project: 'Partner sync' })],
      EXTERNAL,
    );
    const values = rt.view('Registry').values;
    expect(values[2][H.indexOf('Registered By')]).toBe('unknown editor');
    expect(auditRows(rt, 'Registered').at(-1)).toMatchObject({ Actor: 'unknown user' });
    // A decision typed by an unknown editor is put back, whatever address they claim.
    const reviews = rt.view('Reviews').values;
    const status = String.fromCharCode(65 + reviews[0].indexOf('Status'));
    rt.edit('Reviews', `${status}2`, [['Approved']], EXTERNAL);
    expect(rt.view('Reviews').values[1][reviews[0].indexOf('Status')]).toBe('Open');
    // So is a catalog fact.
    const tools = rt.view('AI Tools').values;
    const toolStatus = String.fromCharCode(65 + tools[0].indexOf('Status'));
    rt.edit('AI Tools', `${toolStatus}2`, [['Approved']], EXTERNAL);
    expect(rt.view('AI Tools').values[1][tools[0].indexOf('Status')]).toBe('Pending');
    expect(auditRows(rt, 'Tampering reverted').every((a) => a.Actor === 'unknown user')).toBe(true);
    expect(auditRows(rt, 'Tampering reverted').length).toBeGreaterThanOrEqual(2);
  });
});
