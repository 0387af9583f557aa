/**
 * "Security team › Check this spreadsheet" (issue 13): the add-on checks, on the real
 * spreadsheet, the platform facts it relies on, in a scratch sheet it removes afterwards, and
 * says for each whether it holds here. In the sandbox every check passes; in Google the team
 * learns what differs before it matters. Nothing the registry holds is read or changed, except
 * that a configured Slack webhook receives one test message.
 */
import { CELL_LIMIT } from '../domain/archive';
import { cellsInWorkbook } from './archive';
import { wallClockOfSerial } from '../domain/calendar';
import { assessHeartbeats } from '../domain/watchdog';
import { heartbeats } from '../services/heartbeat';
import { sealZone } from '../services/keys';
import { postNow } from '../services/slack';
import { registryProperties } from '../services/store';
import { recordedTriggerOwner } from '../services/triggers';
import type { Settings } from '../domain/settings';

type Spreadsheet = GoogleAppsScript.Spreadsheet.Spreadsheet;
type Sheet = GoogleAppsScript.Spreadsheet.Sheet;

export type CheckResult = 'pass' | 'fail' | 'note';

export interface Check {
  check: string;
  result: CheckResult;
  detail: string;
}

const SCRATCH = 'Governed Path self-test';
const OBSERVED_OLD_VALUE = 'observed.dateOldValue';

/**
 * An edit that typed over a date the add-on owns shows what Sheets gives as oldValue for a
 * date cell; remembered once, for the self-test's report.
 */
export function observeDateOldValue(oldValue: string): void {
  const store = registryProperties();
  if (store.getProperty(OBSERVED_OLD_VALUE) !== null) return;
  const kind = wallClockOfSerial(oldValue) !== null ? 'serial' : 'text';
  store.setProperty(OBSERVED_OLD_VALUE, JSON.stringify({ kind, example: oldValue.slice(0, 40) }));
}

const pass = (check: string, detail: string): Check => ({ check, result: 'pass', detail });
const fail = (check: string, detail: string): Check => ({ check, result: 'fail', detail });
const note = (check: string, detail: string): Check => ({ check, result: 'note', detail });

/** Runs checks; one that throws fails with Google's words, and the others still run. */
function attempt(name: string, run: () => Check | Check[]): Check[] {
  try {
    return [run()].flat();
  } catch (error) {
    return [
      fail(name, `Google refused: ${error instanceof Error ? error.message : String(error)}`),
    ];
  }
}

function plainText(sheet: Sheet): Check[] {
  const name = 'Plain-text cells keep what is written';
  const leading = 'A leading apostrophe written by a script';
  const range = sheet.getRange(1, 1, 3, 1);
  range.setNumberFormat('@');
  const written = ['007', '2026-01-02', '=1+1'];
  range.setValues(written.map((v) => [v]));
  const back = range.getValues().map((r) => String(r[0]));
  const formulas = range.getFormulas().map((r) => r[0]);
  const checks: Check[] = [
    back.every((v, i) => v === written[i]) && formulas.every((f) => f === '')
      ? pass(
          name,
          'Numbers, dates and formulas written as text stay text (the add-on relies on it).',
        )
      : fail(
          name,
          `Wrote ${JSON.stringify(written)}, read back ${JSON.stringify(back)}${formulas.some((f) => f) ? ' (a formula was created)' : ''}.`,
        ),
  ];
  const cell = sheet.getRange(4, 1).setNumberFormat('@');
  cell.setValue("'x");
  const shown = String(cell.getValue());
  checks.push(
    note(
      leading,
      shown === "'x"
        ? 'stays visible in a plain-text cell here. Governed Path reads both ways the same.'
        : 'is hidden (taken as the text marker) here. Governed Path reads both ways the same.',
    ),
  );
  return checks;
}

function dates(sheet: Sheet, zone: string): Check[] {
  const name = 'Dates are read in the spreadsheet’s time zone';
  const serialName = 'Dates are stored as serial numbers without a zone';
  const when = new Date(Date.UTC(2026, 4, 1, 16, 30, 0));
  const cell = sheet.getRange(1, 2).setNumberFormat('yyyy-mm-dd hh:mm:ss');
  cell.setValue(when);
  const back = cell.getValue() as unknown;
  const expected = Utilities.formatDate(when, zone, 'yyyy-MM-dd HH:mm:ss');
  const shown = cell.getDisplayValue();
  const checks: Check[] = [
    back instanceof Date && back.getTime() === when.getTime() && shown === expected
      ? pass(name, `A date written is read back unchanged and shows ${expected} (${zone}).`)
      : fail(name, `Wrote ${when.toISOString()}, read back ${String(back)}, shown "${shown}".`),
  ];
  cell.setNumberFormat('0.000000');
  const serial = cell.getDisplayValue();
  const wall = wallClockOfSerial(serial);
  checks.push(
    wall === expected
      ? pass(serialName, `Its serial ${serial} is the wall clock ${wall} in ${zone}.`)
      : fail(
          serialName,
          `Its serial shows "${serial}", which is ${wall ?? 'not a serial'}, not ${expected}.`,
        ),
  );
  const recorded = sealZone();
  checks.push(
    !recorded || recorded === zone
      ? pass('The time zone has not changed', `${zone}, as when the registry was set up.`)
      : note(
          'The time zone has changed',
          `It was ${recorded} at setup and is ${zone} now; the daily check reports it once.`,
        ),
  );
  return checks;
}

function protection(sheet: Sheet): Check {
  const name = 'Protection holds once its editors are set';
  const p = sheet.getRange(1, 3, 2, 1).protect().setDescription('Governed Path self-test');
  try {
    const mirrored = p.canDomainEdit();
    const me = Session.getEffectiveUser().getEmail();
    if (me) p.addEditor(me);
    p.removeEditors(p.getEditors().filter((u) => u.getEmail() !== me));
    if (p.canDomainEdit()) p.setDomainEdit(false);
    const editors = p.getEditors().map((u) => u.getEmail());
    const closed = !p.canDomainEdit() && editors.every((e) => e === me || e === ownerOf(sheet));
    return closed
      ? pass(
          name,
          `protect() alone ${mirrored ? 'leaves everyone who can edit the file able to edit' : 'already restricted editing'}; after setting the editors only ${editors.join(', ') || 'the owner'} may edit. Evidence sheets are protected this way.`,
        )
      : fail(name, `After removing the other editors, ${editors.join(', ')} may still edit.`);
  } finally {
    p.remove();
  }
}

function ownerOf(sheet: Sheet): string {
  try {
    return sheet.getParent().getOwner()?.getEmail() ?? '';
  } catch {
    return '';
  }
}

function identity(settings: Settings): Check {
  const name = 'Google tells Governed Path who you are';
  const me = Session.getActiveUser().getEmail();
  const owner = recordedTriggerOwner() ?? '';
  if (me === '')
    return fail(
      name,
      'Your email is blank to the add-on: you are outside its Workspace domain or not signed in with your work account. You cannot decide anything until it is known.',
    );
  const domain = (e: string) => e.slice(e.lastIndexOf('@') + 1).toLowerCase();
  const team = settings.securityTeam.includes(me.toLowerCase());
  if (owner !== '' && domain(owner) !== domain(me))
    return note(
      name,
      `You are ${me}, but the triggers run as ${owner} in another domain: edits you make are recorded as an unknown editor's.`,
    );
  return pass(name, `You are ${me}${team ? ', on the security team' : ''}.`);
}

function triggers(now: Date): Check {
  const name = 'The triggers run';
  const beats = heartbeats();
  const health = assessHeartbeats(beats, now.getTime());
  const owner = recordedTriggerOwner() ?? 'nobody yet';
  if (!health.ok) return fail(name, health.lines.join(' '));
  const hourly = beats.hourly;
  return hourly
    ? pass(
        name,
        `They run as ${owner}; the last hourly run was ${hourly.at.slice(0, 16).replace('T', ' ')} UTC${hourly.mailQuota === null ? '' : `, with ${hourly.mailQuota} mail recipient(s) left that day`}.`,
      )
    : note(name, `They run as ${owner}; no hourly run is recorded yet (it comes within the hour).`);
}

function slack(settings: Settings): Check {
  const name = 'The Slack webhook accepts a message';
  if (settings.slackWebhookUrl === '')
    return note(
      name,
      'No Slack webhook is configured (Settings): notifications wait in the outbox.',
    );
  const refused = postNow(
    settings.slackWebhookUrl,
    `Governed Path self-test: Slack notifications reach ${settings.slackChannel}.`,
  );
  return refused === null
    ? pass(name, `A test message was posted to ${settings.slackChannel}.`)
    : fail(
        name,
        `Slack did not accept the test message (${refused}): check the webhook in Settings.`,
      );
}

function cells(ss: Spreadsheet): Check {
  const name = 'Room in the spreadsheet';
  const used = cellsInWorkbook(ss);
  const share = used / CELL_LIMIT;
  const text = `${used.toLocaleString('en-US')} of 10,000,000 cells used (${Math.round(share * 100)} %).`;
  if (share > 0.8)
    return fail(
      name,
      `${text} Past 40 % the oldest Audit Log entries move to an archive file by themselves; this much left means other sheets hold it: remove the ones nobody needs.`,
    );
  return share > 0.5
    ? note(
        name,
        `${text} The oldest Audit Log entries move to an archive file past 40 %; keep an eye on the other sheets.`,
      )
    : pass(name, text);
}

function oldValueQuestion(): Check {
  const name = 'What Sheets gives as the old value of a date cell';
  const text = registryProperties().getProperty(OBSERVED_OLD_VALUE);
  if (text === null)
    return note(
      name,
      'Not observed yet: it is seen the first time someone types over a date Governed Path owns. Either form is handled.',
    );
  const seen = JSON.parse(text) as { kind: string; example: string };
  return note(
    name,
    seen.kind === 'serial'
      ? `A serial number (seen: ${seen.example}), as Governed Path expects.`
      : `Text as shown (seen: ${seen.example}); Governed Path handles this form too.`,
  );
}

/** Runs every check; the scratch sheet is removed whatever happens. */
export function runSelfTest(ss: Spreadsheet, settings: Settings, now: Date): Check[] {
  const old = ss.getSheetByName(SCRATCH);
  if (old) ss.deleteSheet(old);
  const checks: Check[] = [];
  const sheet = ss.insertSheet(SCRATCH);
  try {
    const zone = ss.getSpreadsheetTimeZone();
    checks.push(...attempt('Plain-text cells keep what is written', () => plainText(sheet)));
    checks.push(
      ...attempt('Dates are read in the spreadsheet’s time zone', () => dates(sheet, zone)),
    );
    checks.push(...attempt('Protection holds once its editors are set', () => protection(sheet)));
  } finally {
    ss.deleteSheet(sheet);
  }
  checks.push(...attempt('Google tells Governed Path who you are', () => identity(settings)));
  checks.push(...attempt('The triggers run', () => triggers(now)));
  checks.push(...attempt('The Slack webhook accepts a message', () => slack(settings)));
  checks.push(...attempt('Room in the spreadsheet', () => cells(ss)));
  checks.push(...attempt('What Sheets gives as the old value of a date cell', oldValueQuestion));
  return checks;
}
