import { registryProperties } from '../services/store';
import { compressNumbers, expandNumbers, formatId, parseId } from '../domain/ids';
import { neutralise } from '../domain/injection';
import { REGISTRY, type SheetSpec } from '../domain/schema';
import { isSecurityTeamMember, type Settings } from '../domain/settings';
import { appendAudit, type AuditEntry } from './audit-log';
import { COUNTER, restoreDate, type EditInfo } from './registry';
import { asText } from './catalog';
import {
  disagreeing,
  latestSnapshot,
  ownedTexts,
  restoreOwned,
  REVIEWS_SEAL,
  type SealSpec,
  sealer,
  unsealedValues,
  sealOf,
  sealRows,
} from './seals';
import { readTable, writeRows } from './table';

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

/** How a put-back is recorded, and what an accepted change is called. */
export interface RestoreOptions {
  /** Changes that count (a security-team member's), by row and field. */
  accept?: (row: number, field: string) => boolean;
  action?: 'Tampering reverted' | 'Decision put back';
  acceptedAction?: string;
}

/**
 * Puts rows of a sealed sheet back from their seals (or, when the seal is gone or forged, from
 * the audit log's latest snapshot of that ID), whatever changed them: a paste, a fill, a
 * cleared cell, a copied row, a script. Sealed values nobody may set are cleared where the row
 * has no seal. Changes `accept` allows are kept and sealed in. Returns the tampering records
 * (already appended to the log).
 */
export function restoreSealedRows(
  ss: Spreadsheet,
  spec: SealSpec,
  rowNumbers: readonly number[],
  actor: string,
  now: Date,
  options: RestoreOptions = {},
): AuditEntry[] {
  const action = options.action ?? 'Tampering reverted';
  const table = readTable(ss, spec.sheet);
  if (!table) return [];
  const cols = table.columns;
  const wanted = rowNumbers.filter((r) => r >= 2 && r <= table.rows.length + 1);
  if (wanted.length === 0) return [];
  const s = sealer(ss);
  const first = Math.min(...wanted);
  const last = Math.max(...wanted);
  const block = table.rows.slice(first - 2, last - 1).map((r) => r.slice());
  const inBlock = new Set(wanted);
  const elsewhere = new Set(
    table.rows
      .map((r, i) => (inBlock.has(i + 2) ? '' : asText(r[cols[spec.id]]).trim()))
      .filter((id) => id !== ''),
  );
  const claimed = new Set<string>();
  const audit: AuditEntry[] = [];
  const tampering: AuditEntry[] = [];
  const reseal: number[] = [];
  for (const rowNumber of wanted) {
    const k = rowNumber - first;
    const row = block[k];
    const cellId = asText(row[cols[spec.id]]).trim();
    let seal = sealOf(s, asText(row[cols['Seal']]), spec);
    let fromSnapshot = false;
    if (!seal && cellId !== '' && !elsewhere.has(cellId)) {
      seal = latestSnapshot(ss, s, cellId, spec);
      fromSnapshot = seal !== null;
    }
    if (seal && (elsewhere.has(seal.id) || claimed.has(seal.id))) seal = null; // a copy
    const owned = ownedTexts(row, cols, s.zone, spec);
    const changed = seal ? disagreeing(s, seal, row, cols, spec) : unsealedValues(spec, owned);
    const accepted = changed.filter((f) => options.accept?.(rowNumber, f) ?? false);
    const reverted = changed.filter((f) => !accepted.includes(f));
    const registryId = seal?.o['Registry ID'] ?? asText(row[cols['Registry ID']] ?? '');
    for (const field of reverted) {
      tampering.push({
        actor: actor || 'unknown user',
        action,
        registryId,
        field: `${spec.sheet.name}!${field} row ${rowNumber}`,
        oldValue: seal?.o[field] ?? '',
        newValue: owned[field],
      });
    }
    for (const field of accepted) {
      audit.push({
        actor,
        action: options.acceptedAction ?? 'Edited',
        registryId,
        field: `${seal?.id ?? cellId} ${field}`,
        oldValue: seal?.o[field] ?? '',
        newValue: owned[field],
      });
    }
    if (seal) {
      restoreOwned(row, cols, seal.o, s.zone, reverted, spec);
      if (accepted.length > 0 || fromSnapshot) reseal.push(k);
      claimed.add(seal.id);
    } else {
      // Without a seal nothing here is the add-on's: what may not be set is cleared, and what
      // the security team set is sealed in (the ID stays: a name is not a decision).
      for (const field of reverted)
        if (!(spec.keepUnsealedId && field === spec.id)) row[cols[field]] = '';
      if (reverted.length > 0 && accepted.length === 0) row[cols['Seal']] = '';
      if (accepted.length > 0) reseal.push(k);
    }
  }
  if (tampering.length === 0 && audit.length === 0 && reseal.length === 0) return [];
  const entries = [...tampering, ...audit];
  sealRows(s, block, reseal, cols, entries, spec);
  writeRows(table, first, block);
  appendAudit(ss, entries, now);
  return action === 'Tampering reverted' ? tampering : [];
}

/** Reviews rows: see restoreSealedRows; one accepted cell (a team member's Reviewer, Threat Model or Notes). */
export function restoreReviewRows(
  ss: Spreadsheet,
  rowNumbers: readonly number[],
  actor: string,
  now: Date,
  accept: { row: number; field: string } | null = null,
  action: 'Tampering reverted' | 'Decision put back' = 'Tampering reverted',
): AuditEntry[] {
  return restoreSealedRows(ss, REVIEWS_SEAL, rowNumbers, actor, now, {
    accept: (row, field) => accept?.row === row && accept.field === field,
    action,
    acceptedAction: 'Review edited',
  });
}
