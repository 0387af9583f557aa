import { registryProperties } from '../services/store';
import { compressNumbers, expandNumbers, formatId, parseId } from '../domain/ids';
import { neutralise } from '../domain/injection';
import { REGISTRY, type SheetSpec } from '../domain/schema';
import { isSecurityTeamMember, type Settings } from '../domain/settings';
import { appendAudit, type AuditEntry } from './audit-log';
import { COUNTER, restoreDate, type EditInfo } from './registry';
import { readTable } from './table';

type Spreadsheet = GoogleAppsScript.Spreadsheet.Spreadsheet;

const REMOVED = 'removedRegistryIds';

/**
 * A person's edit of a sheet only the add-on (or, for Reviews, the security team) writes.
 * One cell is put back from the old value Sheets reports; a paste cannot be undone exactly,
 * so it is logged for the security team and the daily integrity check.
 */
export function guardOwnedSheet(
  ss: Spreadsheet,
  spec: SheetSpec,
  edit: EditInfo,
  settings: Settings,
  now: Date,
): AuditEntry[] {
  if (spec.name === 'Reviews' && isSecurityTeamMember(settings, edit.user)) {
    const entry: AuditEntry = {
      actor: edit.user,
      action: 'Review edited',
      registryId: '',
      field: spec.name,
      oldValue: edit.oldValue ?? '',
      newValue: edit.value ?? '(several cells)',
    };
    appendAudit(ss, [entry], now);
    return [entry];
  }
  const single = edit.numRows === 1 && edit.numColumns === 1 && !edit.replayed;
  const sheet = ss.getSheetByName(spec.name);
  if (!sheet) return [];
  const header = String(sheet.getRange(1, edit.column).getValue());
  const where = `${spec.name}!${header || 'column ' + edit.column} row ${edit.row}`;
  if (single) {
    const old = edit.oldValue ?? '';
    const isDateColumn = spec.columns.some(
      (c) => c.header === header && (c.kind === 'date' || c.kind === 'timestamp'),
    );
    sheet
      .getRange(edit.row, edit.column)
      .setValue(isDateColumn && old !== '' ? restoreDate(old, settings.timeZone) : neutralise(old));
  }
  const entry: AuditEntry = {
    actor: edit.user || 'unknown user',
    action: single ? 'Tampering reverted' : 'Tampering',
    registryId: '',
    field: where,
    oldValue: single ? (edit.oldValue ?? '') : '(pasted over)',
    newValue: edit.value ?? '(several cells)',
  };
  appendAudit(ss, [entry], now);
  return [entry];
}

/**
 * Notices registry rows that were deleted: every ID ever issued (they are sequential) that is
 * no longer in the sheet and was not reported before is logged once.
 */
export function noticeDeletedRows(ss: Spreadsheet, actor: string, now: Date): string[] {
  const registry = readTable(ss, REGISTRY);
  if (!registry) return [];
  const props = registryProperties();
  const issued = Number(props.getProperty(COUNTER.registry) ?? '1') - 1;
  const present = new Set(registry.rows.map((r) => parseId('AI', r[registry.columns['ID']])));
  const removed = new Set(expandNumbers(props.getProperty(REMOVED)));
  const vanished: number[] = [];
  for (let n = 1; n <= issued; n++) if (!present.has(n) && !removed.has(n)) vanished.push(n);
  if (vanished.length === 0) return [];
  appendAudit(
    ss,
    vanished.map((n) => ({
      actor: actor || 'unknown user',
      action: 'Row deleted',
      registryId: formatId('AI', n),
      field: 'Registry',
      oldValue: formatId('AI', n),
      newValue: '',
    })),
    now,
  );
  props.setProperty(REMOVED, compressNumbers([...removed, ...vanished]));
  return vanished.map((n) => formatId('AI', n));
}
