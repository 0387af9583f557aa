/**
 * Security team › Check this spreadsheet (issue 13): the platform self-test passes in the
 * runtime, says what it found in sentences, leaves no scratch sheet behind and changes nothing.
 */
import { GasRuntime } from '../../sandbox/gas/runtime';
import {
  addToSecurityTeam,
  auditRows,
  EMPLOYEE,
  registryInputs,
  SECURITY,
  setUpRuntime,
  useSlackReceiver,
} from '../helpers';

const CHECK = 'Security team > Check this spreadsheet';
const HOUR = 3600 * 1000;
const slack = useSlackReceiver();

function ready(): GasRuntime {
  const rt = setUpRuntime({ slackBaseUrl: slack().baseUrl });
  addToSecurityTeam(rt, SECURITY);
  rt.edit('Registry', 'C2:K2', [registryInputs()], EMPLOYEE);
  rt.advance(2 * HOUR);
  return rt;
}

/** The dialog's rows as [result, check + detail] text. */
function rows(html: string): [string, string][] {
  return [...html.matchAll(/<tr><td[^>]*>(\w+)<\/td><td>(.*?)<\/td><\/tr>/g)].map((m) => [
    m[1],
    m[2].replace(/<[^>]+>/g, ' '),
  ]);
}

test('every platform assumption holds in the sandbox; the scratch sheet is gone and the registry untouched', async () => {
  const rt = ready();
  rt.registryProperties().slackWebhookUrl = 'https://hooks.slack.com/services/T0/B0/selftest';
  const sheetsBefore = rt.sheetNames();
  const registryBefore = rt.view('Registry').values;
  const result = rt.clickMenu(CHECK, SECURITY);
  expect(result.ok).toBe(true);
  const dialog = result.ui[0];
  expect(dialog).toMatchObject({ type: 'dialog', title: 'Check this spreadsheet' });
  const found = rows(dialog.html ?? '');
  expect(found.filter(([r]) => r === 'Differs')).toEqual([]);
  const text = found.map(([, t]) => t).join('\n');
  for (const check of [
    'Plain-text cells keep what is written',
    'A leading apostrophe written by a script',
    'Dates are read in the spreadsheet’s time zone',
    'Dates are stored as serial numbers without a zone',
    'Protection holds once its editors are set',
    'Google tells Governed Path who you are',
    'The triggers run',
    'The Slack webhook accepts a message',
    'Room in the spreadsheet',
    'What Sheets gives as the old value of a date cell',
  ])
    expect(text).toContain(check);
  expect(text).toContain('You are security@example.com, on the security team.');
  expect(text).toMatch(/cells used \(\d+ %\)/);
  expect(dialog.html).toContain('Everything Governed Path relies on holds in this spreadsheet.');
  expect(rt.sheetNames()).toEqual(sheetsBefore);
  expect(rt.view('Registry').values).toEqual(registryBefore);
  expect(auditRows(rt, 'Self-test')).toEqual([
    expect.objectContaining({ Actor: SECURITY, 'New Value': '11 of 11 hold' }),
  ]);
  const posted = (await slack().messages()).messages.map((m) => m.payload.text);
  expect(posted).toContain('Governed Path self-test: Slack notifications reach #security-updates.');
});

test('what differs is said plainly: stopped triggers, a webhook Slack refuses', async () => {
  const rt = ready();
  rt.registryProperties().slackWebhookUrl = 'https://hooks.slack.com/services/T0/B0/gone';
  rt.world.triggers = [];
  rt.advance(6 * HOUR);
  await slack().fail({ status: 410, count: 1 });
  const found = rows(rt.clickMenu(CHECK, SECURITY).ui[0].html ?? '');
  const differs = found.filter(([r]) => r === 'Differs').map(([, t]) => t);
  expect(differs).toHaveLength(2);
  expect(differs[0]).toContain('The hourly job last ran');
  expect(differs[1]).toContain(
    'Slack did not accept the test message (HTTP 410 channel_is_archived)',
  );
});

test('an observed oldValue of a date settles the open question', () => {
  const rt = ready();
  const { values } = rt.view('Registry');
  const col = String.fromCharCode(65 + values[0].indexOf('Last Confirmed'));
  rt.edit('Registry', `${col}2`, [['2020-01-01']], EMPLOYEE); // put back, and observed
  const found = rows(rt.clickMenu(CHECK, SECURITY).ui[0].html ?? '');
  expect(found.find(([, t]) => t.includes('old value of a date'))![1]).toContain(
    'A serial number (seen: 46350)',
  );
});

test('only the security team may run it', () => {
  const rt = ready();
  expect(rt.clickMenu(CHECK, EMPLOYEE).ui[0].message).toContain('Only the security team');
  expect(rt.sheetNames()).not.toContain('Governed Path self-test');
});
