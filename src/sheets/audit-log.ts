import {
  chain,
  GENESIS,
  hexOfSignedBytes,
  verifyChain,
  type AuditRecord,
  type ChainCheck,
} from '../domain/audit';
import { planHeaders } from '../domain/layout';
import { neutralise } from '../domain/injection';
import { AUDIT_LOG } from '../domain/schema';
import { UserError } from '../errors';

/** What an operation wants recorded; the time and the hash are added here. */
export type AuditEntry = Omit<AuditRecord, 'timestamp'>;

export const SYSTEM_ACTOR = 'Governed Path';

function sha256Hex(text: string): string {
  return hexOfSignedBytes(
    Utilities.computeDigest(Utilities.DigestAlgorithm.SHA_256, text, Utilities.Charset.UTF_8),
  );
}

/** The Timestamp as hashed: UTC, whole seconds, whatever the cell's display format. */
function isoSeconds(date: Date): string {
  return Utilities.formatDate(date, 'UTC', "yyyy-MM-dd'T'HH:mm:ss'Z'");
}

function auditSheet(
  ss: GoogleAppsScript.Spreadsheet.Spreadsheet,
): GoogleAppsScript.Spreadsheet.Sheet {
  const sheet = ss.getSheetByName(AUDIT_LOG.name);
  if (!sheet) {
    throw new UserError(
      'The Audit Log sheet is missing: ask the security team to run "Set up or repair registry".',
    );
  }
  return sheet;
}

/**
 * Appends entries to the hash chain in one write (plus a read of the header and of the head
 * hash), whatever the log's length.
 */
export function appendAudit(
  ss: GoogleAppsScript.Spreadsheet.Spreadsheet,
  entries: readonly AuditEntry[],
  now: Date,
): void {
  if (entries.length === 0) return;
  const sheet = auditSheet(ss);
  const lastColumn = sheet.getLastColumn();
  const columns = planHeaders(
    sheet.getRange(1, 1, 1, Math.max(1, lastColumn)).getValues()[0],
    AUDIT_LOG,
    lastColumn,
  ).columns;
  const width = Math.max(lastColumn, ...Object.values(columns).map((c) => c + 1));
  const last = sheet.getLastRow();
  const head = last >= 2 ? String(sheet.getRange(last, columns['Hash'] + 1).getValue()) : GENESIS;

  const stamp = new Date(Math.floor(now.getTime() / 1000) * 1000);
  const records: AuditRecord[] = entries.map((e) => ({ ...e, timestamp: isoSeconds(stamp) }));
  const rows = chain(head, records, sha256Hex).map(({ record, hash }) => {
    const row: (string | Date)[] = new Array<string | Date>(width).fill('');
    row[columns['Timestamp']] = stamp;
    row[columns['Actor']] = neutralise(record.actor);
    row[columns['Action']] = neutralise(record.action);
    row[columns['Registry ID']] = neutralise(record.registryId);
    row[columns['Field']] = neutralise(record.field);
    row[columns['Old Value']] = neutralise(record.oldValue);
    row[columns['New Value']] = neutralise(record.newValue);
    row[columns['Hash']] = hash;
    return row;
  });
  const needed = last + rows.length - sheet.getMaxRows();
  if (needed > 0) sheet.insertRowsAfter(sheet.getMaxRows(), needed);
  sheet.getRange(Math.max(last, 1) + 1, 1, rows.length, width).setValues(rows);
}

export type AuditVerification = ChainCheck & { brokenRow?: number };

/** Recomputes the whole chain in one read; `brokenRow` is the sheet row of the first bad hash. */
export function verifyAuditLog(ss: GoogleAppsScript.Spreadsheet.Spreadsheet): AuditVerification {
  const values = auditSheet(ss).getDataRange().getValues();
  const columns = planHeaders(values[0] ?? [], AUDIT_LOG).columns;
  const text = (v: unknown) => (v === null || v === undefined ? '' : String(v));
  const rows = values.slice(1).map((row) => {
    const ts = row[columns['Timestamp']];
    return {
      record: {
        timestamp: ts instanceof Date ? isoSeconds(ts) : text(ts),
        actor: text(row[columns['Actor']]),
        action: text(row[columns['Action']]),
        registryId: text(row[columns['Registry ID']]),
        field: text(row[columns['Field']]),
        oldValue: text(row[columns['Old Value']]),
        newValue: text(row[columns['New Value']]),
      },
      hash: text(row[columns['Hash']]),
    };
  });
  const check = verifyChain(rows, sha256Hex);
  return check.ok ? check : { ...check, brokenRow: check.brokenAt + 2 };
}
