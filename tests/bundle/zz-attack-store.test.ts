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
const MALLORY = 'mallory@example.com';
const col = (rt: ReturnType<typeof setUpRuntime>, r: number, h: string) => rt.view('Registry').values[r][H.indexOf(h)];

test('an unsealed duplicate data store sorted above the real one hides its tier', () => {
  const rt = setUpRuntime();
  addToSecurityTeam(rt, SECURITY);
  rt.edit('Data Stores', 'A2:D2', [['HR Database', 'hr@example.com', 'Tier 4 - Regulated', 'PHI']], SECURITY);
  // control: an entry naming the store is Blocked
  rt.edit('Registry', 'C2:K2', [registryInputs({ Project: 'control', 'Data Tier': '1', 'Data Stores': 'HR Database' })], EMPLOYEE);
  console.log('control', col(rt, 1, 'Data Tier'), col(rt, 1, 'Approval'));
  // Mallory adds a row with the same name (case differs), no tier, and sorts whole rows
  rt.edit('Data Stores', 'A3', [['HR database']], MALLORY);
  const s = rt.sort('Data Stores', 'A2:E3', 1, true, MALLORY);
  console.log(s.ok, rt.view('Data Stores').values.slice(0, 4));
  rt.edit('Registry', 'C3:K3', [registryInputs({ Project: 'attack', 'Data Tier': '1', 'Data Stores': 'HR Database' })], MALLORY);
  console.log('attack', col(rt, 2, 'Data Tier'), col(rt, 2, 'Approval'), col(rt, 2, 'Checks'));
  rt.advance(3600 * 1000);
  const report = rt.clickMenu('Security team > Run daily checks now', SECURITY).ui[0].message;
  console.log(report);
  console.log('after daily', col(rt, 2, 'Data Tier'), col(rt, 2, 'Approval'));
  console.log(auditRows(rt, 'Tampering reverted'));
});
