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

test('an honest paste that swaps two values is taken for a partial sort', () => {
  const rt = setUpRuntime();
  addToSecurityTeam(rt, SECURITY);
  rt.edit('Registry', 'C2:K3', [
    registryInputs({ Project: 'Bot A', 'AI Tool Version': '1.0' }),
    registryInputs({ Project: 'Bot B', 'AI Tool Version': '2.0' }),
  ], EMPLOYEE);
  // Dana upgraded A to 2.0 and rolled B back to 1.0: she pastes both versions at once.
  const c = letter('AI Tool Version');
  rt.edit('Registry', `${c}2:${c}3`, [['2.0'], ['1.0']], EMPLOYEE);
  const v = rt.view('Registry').values;
  console.log(v[1][H.indexOf('AI Tool Version')], v[2][H.indexOf('AI Tool Version')]);
  console.log(auditRows(rt, 'Tampering reverted'));
});
