import { messageFor, UserError } from '../errors';
import { requireSigningKey } from '../services/keys';
import { acquireRegistry } from '../services/lease';
import { useRegistry } from '../services/store';
import { enqueue } from '../services/slack';
import { deferHeaderRepairs, hasHeaderRepairs } from '../sheets/columns';
import { logHeaderRepairs } from '../sheets/headers';

type Spreadsheet = GoogleAppsScript.Spreadsheet.Spreadsheet;

/** The registry this execution runs in (menu, sidebar, document triggers), selected for the store. */
export function spreadsheet(): Spreadsheet {
  const ss = SpreadsheetApp.getActiveSpreadsheet();
  if (!ss) throw new UserError('Governed Path must run from the registry spreadsheet.');
  useRegistry(ss.getId());
  return ss;
}

/** The signed-in person's email, lower case; '' when Google does not say (an unknown editor). */
export function currentUser(): string {
  return Session.getActiveUser().getEmail().trim().toLowerCase();
}

/** Runs a menu action; any failure becomes an alert with a human sentence. */
export function fromMenu(action: () => void): void {
  try {
    action();
    logRepairsFound();
  } catch (error) {
    console.error(error);
    SpreadsheetApp.getUi().alert(
      'Governed Path',
      messageFor(error),
      SpreadsheetApp.getUi().ButtonSet.OK,
    );
  }
}

/**
 * Logs what a call that did not hold the registry (a sidebar read) put right in a header row:
 * briefly holding it, since the audit log is appended under the lease. Busy: kept for the next
 * execution that holds it.
 */
export function logRepairsFound(): void {
  if (!hasHeaderRepairs()) return;
  const ss = SpreadsheetApp.getActiveSpreadsheet();
  const held = ss ? acquireRegistry(10000) : null;
  if (!ss || !held) {
    // Busy: the next execution that holds the registry logs and alerts them.
    deferHeaderRepairs();
    return;
  }
  try {
    const now = new Date();
    enqueue(
      logHeaderRepairs(ss, `unknown (found by ${currentUser() || 'an unknown editor'})`, now)
        .messages,
      now,
    );
  } finally {
    held.release();
  }
}

/**
 * Runs `work` holding the registry (DESIGN §10's lease), or says it is busy. Unless `setup`,
 * a registry without its signing key writes nothing (fail closed, DESIGN §6.1).
 */
export function withRegistry<T>(timeoutMs: number, work: () => T, setup = false): T {
  if (!setup) requireSigningKey();
  const held = acquireRegistry(timeoutMs);
  if (!held) throw new UserError('The registry is busy right now. Try again in a moment.');
  try {
    const result = work();
    // What the work's reads put right in a header row is logged and alerted as it found it.
    if (hasHeaderRepairs()) {
      const now = new Date();
      const ss = SpreadsheetApp.getActiveSpreadsheet();
      if (ss)
        enqueue(
          logHeaderRepairs(ss, `unknown (found by ${currentUser() || 'an unknown editor'})`, now)
            .messages,
          now,
        );
    }
    return result;
  } finally {
    held.release();
  }
}
