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
const col = (rt: ReturnType<typeof setUpRuntime>, h: string) => rt.view('Registry').values[1][H.indexOf(h)];

for (const fn of ['attestProject', 'setCoOwners']) {
  test(`${fn} seals owned cells typed while the registry was busy`, () => {
    const rt = setUpRuntime();
    addToSecurityTeam(rt, SECURITY);
    rt.edit('Registry', 'C2:K2', [registryInputs({ 'Data Tier': '2' })], EMPLOYEE);
    console.log('before', col(rt, 'Approval'));
    rt.holdLock('document', rt.world.now + 35000);
    rt.edit('Registry', `${letter('Approval')}2`, [['Approved']], EMPLOYEE);
    console.log('queued', col(rt, 'Approval'));
    const args = fn === 'attestProject' ? ['AI-0001', 'active'] : ['AI-0001', []];
    console.log(JSON.stringify(rt.run(fn, args, EMPLOYEE)).slice(0, 200));
    rt.edit('Registry', 'E5', [['x']], EMPLOYEE); // next edit takes the queue
    console.log('after queue', col(rt, 'Approval'));
    rt.advance(3600 * 1000);
    const report = rt.clickMenu('Security team > Run daily checks now', SECURITY).ui[0].message;
    console.log(report);
    console.log('after daily', col(rt, 'Data Tier'), col(rt, 'Approval'));
    console.log(auditRows(rt, 'Tampering reverted'));
  });
}
