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
const letter = (header: string) => String.fromCharCode(65 + H.indexOf(header));
const MALLORY = 'mallory@example.com';

type Project = { id: string; owners: string[]; coOwners: string[] };
const mine = (rt: ReturnType<typeof setUpRuntime>, user: string) =>
  (rt.run('listMyProjects', [], user) as { ok: boolean; result: Project[] }).result;

test('replaying an old Seal cell restores a removed co-owner, undetected', () => {
  const rt = setUpRuntime();
  addToSecurityTeam(rt, SECURITY);
  rt.edit('Registry', 'C2:K2', [registryInputs()], EMPLOYEE);
  expect(rt.run('setCoOwners', ['AI-0001', [MALLORY]], EMPLOYEE)).toMatchObject({ ok: true });
  const sheet = rt.world.spreadsheet.sheets.find((s) => s.name === 'Registry')!;
  const oldSeal = String(sheet.grid[1][H.indexOf('Seal')]!.v); // Mallory copies it (she can read the hidden column)
  // Dana removes Mallory.
  expect(rt.run('setCoOwners', ['AI-0001', []], EMPLOYEE)).toMatchObject({ ok: true });
  expect(mine(rt, MALLORY)).toEqual([]);
  // Mallory pastes the old seal back into the Seal cell.
  const r = rt.edit('Registry', `${letter('Seal')}2`, [[oldSeal]], MALLORY);
  console.log(JSON.stringify(r).slice(0, 300));
  console.log(mine(rt, MALLORY));
  console.log(auditRows(rt).slice(-6));
  const report = rt.clickMenu('Security team > Run daily checks now', SECURITY).ui[0].message;
  console.log(report);
  console.log(mine(rt, MALLORY));
  console.log(auditRows(rt, 'Tampering reverted'), auditRows(rt, 'Replayed row put back'));
  // Mallory can now decommission it
  console.log(JSON.stringify(rt.run('attestProject', ['AI-0001', 'decommission'], MALLORY)).slice(0, 300));
});
