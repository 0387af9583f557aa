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

test('sorting every visible column (the hidden Seal column not selected)', () => {
  const rt = setUpRuntime();
  addToSecurityTeam(rt, SECURITY);
  rt.edit('Registry', 'C2:K4', [
    registryInputs({ Project: 'Zeta' }),
    registryInputs({ Project: 'Alpha', 'Data Tier': '3' }),
    registryInputs({ Project: 'Mid' }),
  ], EMPLOYEE);
  const before = rt.view('Registry').values.slice(1, 4).map((r) => [r[0], r[4], r[11]]);
  const r = rt.sort('Registry', `A2:${letter('Registered By')}4`, H.indexOf('Project') + 1, true, EMPLOYEE);
  console.log(r.ok, before, rt.view('Registry').values.slice(1, 4).map((r) => [r[0], r[4], r[11]]));
  console.log(auditRows(rt, 'Tampering reverted').map((a) => [a.Actor, a.Field, a['Old Value'], a['New Value']]));
  console.log(rt.failures());
});
