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

test('text that looks like a number in a people cell', () => {
  const rt = setUpRuntime();
  addToSecurityTeam(rt, SECURITY);
  rt.edit('Registry', 'C2:K2', [registryInputs({ 'AI Tool Version': "'1.10", Project: "'2024-01-05" })], EMPLOYEE);
  const sheet = rt.world.spreadsheet.sheets.find((s) => s.name === 'Registry')!;
  console.log(JSON.stringify(sheet.grid[1][H.indexOf('AI Tool Version')]), JSON.stringify(sheet.grid[1][H.indexOf('Project')]));
  console.log(rt.view('Registry').values[1].slice(0, 12));
  rt.advance(3600 * 1000);
  rt.advance(3600 * 1000);
  console.log(rt.view('Registry').values[1].slice(0, 12));
  console.log(auditRows(rt).filter((a) => a.Action !== 'Sealed').map((a) => [a.Actor, a.Action, a.Field, a['New Value'].slice(0, 80)]));
  const report = rt.clickMenu('Security team > Run daily checks now', SECURITY).ui[0].message;
  console.log(report);
});
