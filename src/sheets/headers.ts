/**
 * The header rows of the sealed sheets are part of what the add-on relies on. Their columns
 * are found by tags that move with them (columns.ts), and whatever a header row gets wrong is
 * put right by the execution that reads it. This module makes those repairs evidence: each is
 * an audit entry and an alert, whoever's execution found it (DESIGN §6: nothing in a cell is
 * trusted because it is there).
 */
import { messagesFor, type Outgoing } from '../domain/slack';
import { appendAudit, SYSTEM_ACTOR, type AuditEntry } from './audit-log';
import { takeHeaderRepairs } from './columns';

type Spreadsheet = GoogleAppsScript.Spreadsheet.Spreadsheet;

export interface LoggedRepairs {
  /** One sentence per repair, for a report. */
  lines: string[];
  /** One alert for them all (none when nothing was put right). */
  messages: Outgoing[];
}

/**
 * Logs what this execution put right in header rows (as tampering, attributed to `actor`:
 * the person whose edit it was, or who found it) and returns the alert to send.
 */
export function logHeaderRepairs(ss: Spreadsheet, actor: string, now: Date): LoggedRepairs {
  const all = takeHeaderRepairs();
  // Columns a new version added are recorded, not alerted: nobody changed anything.
  const upgrades: AuditEntry[] = all
    .filter((r) => r.kind === 'added')
    .map((r) => ({
      actor: SYSTEM_ACTOR,
      action: 'Column added',
      registryId: '',
      field: `${r.sheet} header`,
      oldValue: '',
      newValue: r.header,
    }));
  const repairs = all.filter((r) => r.kind !== 'added');
  if (repairs.length === 0) {
    if (upgrades.length > 0) appendAudit(ss, upgrades, now);
    return { lines: [], messages: [] };
  }
  const entries: AuditEntry[] = repairs.map((r) => ({
    actor: actor || 'unknown user',
    action: 'Tampering reverted',
    registryId: '',
    field: r.kind === 'sheet' ? r.sheet : `${r.sheet} header`,
    oldValue:
      r.kind === 'deleted' ? '(column deleted)' : r.kind === 'sheet' ? '(sheet deleted)' : r.was,
    newValue: r.kind === 'sheet' ? 'recreated' : r.header,
  }));
  appendAudit(ss, [...upgrades, ...entries], now);
  const first = repairs[0];
  return {
    lines: repairs.map((r) => r.sentence),
    messages: messagesFor([
      {
        kind: 'tampering',
        actor: actor || 'unknown user',
        where: `${first.kind === 'sheet' ? `${first.sheet} sheet` : `${first.sheet} header "${first.header}"`}${repairs.length > 1 ? ` and ${repairs.length - 1} more` : ''}`,
        attempted:
          first.kind === 'sheet'
            ? 'sheet deleted'
            : first.kind === 'deleted'
              ? 'column deleted'
              : first.was || '(cleared)',
        registryId: '',
      },
    ]),
  };
}
