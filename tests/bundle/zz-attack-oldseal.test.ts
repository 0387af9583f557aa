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

for (const tier of ['2', '3']) {
  test(`pasting an older Seal cell keeps Approved for a Tier ${tier} entry`, () => {
    const rt = setUpRuntime();
    addToSecurityTeam(rt, SECURITY);
    rt.edit('Registry', 'C2:K2', [registryInputs()], EMPLOYEE);
    expect(col(rt, 'Approval')).toBe('Approved');
    const sheet = rt.world.spreadsheet.sheets.find((s) => s.name === 'Registry')!;
    const oldSeal = String(sheet.grid[1][H.indexOf('Seal')]!.v);
    rt.edit('Registry', `${letter('Data Tier')}2`, [[tier]], EMPLOYEE);
    console.log('after tier change', col(rt, 'Approval'));
    rt.edit('Registry', `${letter('Seal')}2`, [[oldSeal]], EMPLOYEE);
    console.log('after seal paste', col(rt, 'Data Tier'), col(rt, 'Approval'), col(rt, 'Checks'));
    console.log(auditRows(rt).slice(-4).map((a) => [a.Actor, a.Action, a.Field, a['Old Value'].slice(0, 60), a['New Value'].slice(0, 60)]));
    rt.advance(3600 * 1000);
    const report = rt.clickMenu('Security team > Run daily checks now', SECURITY).ui[0].message;
    console.log(report);
    console.log('after daily', col(rt, 'Data Tier'), col(rt, 'Approval'));
  });
}
