import {
  chainKeyed,
  GENESIS,
  CATCH_UP_MAX,
  hexOfSignedBytes,
  planRollingPass,
  type RollingPass,
  verifyChain,
  verifyKeyed,
  type AuditRecord,
  type ChainAnchor,
  type ChainHead,
} from '../domain/audit';
import { headersOf } from '../domain/schema';
import { planHeaders } from '../domain/layout';
import { neutralise } from '../domain/injection';
import { AUDIT_LOG } from '../domain/schema';
import { UserError } from '../errors';
import {
  createSigningKey,
  hmacHex,
  retiredKeys,
  recordSealZone,
  requireSigningKey,
  signingKey,
  type SigningKey,
} from '../services/keys';
import { holdingRegistry } from '../services/lease';
import { formattedThrough, registryProperties, setFormattedThrough } from '../services/store';
import {
  archivedOf,
  NO_ARCHIVE,
  parseArchiveState,
  snapshotsToCarry,
  type Archived,
  type ArchiveFile,
  type ArchiveState,
} from '../domain/archive';

/** What an operation wants recorded; the time and the MAC are added here. */
export type AuditEntry = Omit<AuditRecord, 'timestamp'>;

export const SYSTEM_ACTOR = 'Governed Path';

/** The chain's records outside the spreadsheet (DESIGN §6.1), in the registry's store. */
const KEY = {
  head: 'auditHead',
  /** Where a pending head was kept before it went into the head's own record (read to upgrade). */
  legacyPending: 'auditPending',
  anchor: 'auditAnchor',
  checkpoint: 'auditCheckpoint',
  lastFull: 'auditLastFullCheck',
  rolling: 'auditRollingCheck',
  reanchor: 'auditReanchor',
  request: 'auditReanchorRequest',
  archive: 'auditArchive',
} as const;

/** Where two security-team members re-anchored a broken chain: verified from here on. */
interface Reanchor {
  count: number;
  mac: string;
  at: string;
  by: string[];
}

type Spreadsheet = GoogleAppsScript.Spreadsheet.Spreadsheet;
type Sheet = GoogleAppsScript.Spreadsheet.Sheet;

function sha256Hex(text: string): string {
  return hexOfSignedBytes(
    Utilities.computeDigest(Utilities.DigestAlgorithm.SHA_256, text, Utilities.Charset.UTF_8),
  );
}

/** The Timestamp as stored and chained: ISO 8601 text in UTC, whole seconds. */
function isoSeconds(date: Date): string {
  return Utilities.formatDate(date, 'UTC', "yyyy-MM-dd'T'HH:mm:ss'Z'");
}

function readJson<T>(key: string): T | null {
  const text = registryProperties().getProperty(key);
  if (text === null) return null;
  try {
    return JSON.parse(text) as T;
  } catch {
    return null;
  }
}

/**
 * The head's record, in one store value every appending execution reads anyway: the head
 * (count, last MAC), the head of a batch being appended (written before the append, dropped at
 * the commit: an execution stopped in between is not tampering), and what moved to the archive.
 */
interface HeadRecord extends ChainHead {
  pending?: PendingHead;
  archived?: Archived;
}

/**
 * A batch being appended: its end, and where each of its parts but the last ends (a batch of
 * more than 20,000 cells is written in parts; an execution stopped between two leaves the log
 * ending at a part's end, which is no tampering).
 */
interface PendingHead extends ChainHead {
  parts?: ChainHead[];
}

/** Whether a log verified to `end` ends where a pending batch (or one of its parts) does. */
function endsAtPending(end: ChainHead, pending: PendingHead | null): boolean {
  if (!pending) return false;
  return [pending, ...(pending.parts ?? [])].some(
    (p) => p.count === end.count && p.mac === end.mac,
  );
}

function headRecord(): HeadRecord {
  return readJson<HeadRecord>(KEY.head) ?? { count: 0, mac: GENESIS };
}

function headOnRecord(): ChainHead {
  const { count, mac } = headRecord();
  return { count, mac };
}

/** The pending head, in the head's record (or where a registry before it kept one). */
function pendingHead(legacy: boolean): PendingHead | null {
  const pending = headRecord().pending;
  if (pending && Number.isInteger(pending.count) && typeof pending.mac === 'string') return pending;
  return legacy ? readJson<ChainHead>(KEY.legacyPending) : null;
}

/**
 * The head's record with a new head: a pending one when given (else none), and what is
 * archived as recorded unless `archived` says otherwise.
 */
function headValue(head: ChainHead, pending?: PendingHead, archived?: Archived): string {
  const kept = archived ?? archivedOf(headRecord().archived);
  const parts = pending?.parts?.map((p) => ({ count: p.count, mac: p.mac }));
  return JSON.stringify({
    count: head.count,
    mac: head.mac,
    ...(pending
      ? { pending: { count: pending.count, mac: pending.mac, ...(parts?.length ? { parts } : {}) } }
      : {}),
    ...(kept && (kept.count > 0 || kept.move) ? { archived: kept } : {}),
  });
}

/** The head on record (count, last MAC): what is posted out of band. */
export function auditHead(): ChainHead {
  return headOnRecord();
}

/** Entries in the chain so far: the next entry appended is number count + 1. */
export function auditEntryCount(): number {
  return headOnRecord().count;
}

/** Whether this execution has settled a pending head already (see settleAuditHead). */
let settled = false;

/**
 * Before seals are numbered (a seal names the entry that carries its snapshot): a head left
 * pending by an execution stopped before its commit is committed when the log ends with it,
 * so the numbers seals take are the ones the append will give. Under the lease only; one
 * read of the head's record (which every append reads anyway) when nothing is pending.
 */
export function settleAuditHead(ss: Spreadsheet): void {
  if (settled || !holdingRegistry()) return;
  settled = true;
  if (!pendingHead(false)) return;
  const sheet = ss.getSheetByName(AUDIT_LOG.name);
  if (sheet) committedHead(sheet, sheet.getLastRow());
}

/** A new registry in the same execution (the hourly job serves several): nothing carries over. */
export function forgetAuditState(): void {
  settled = false;
  loggedCache = null;
  archivedCache = null;
}

/** What moved to the archive, settled once per execution (a move updates it). */
let archivedCache: { count: number; mac: string } | null = null;

/**
 * Entries moved to the archive (the live log's row 2 holds entry `count + 1`) and the MAC the
 * live chain continues from, from the head's record. A move stopped between removing rows and
 * recording it is settled by the entry row 2 now holds: its MAC says whether the rows went.
 */
export function archivedEntries(sheet: Sheet | null): { count: number; mac: string } {
  if (archivedCache) return archivedCache;
  const recorded = archivedOf(headRecord().archived) ?? { count: 0, mac: '' };
  let settledState = { count: recorded.count, mac: recorded.mac };
  if (recorded.move) {
    const { move } = recorded;
    const first =
      sheet && sheet.getLastRow() >= 2 ? text(sheet.getRange(2, hashColumn(sheet)).getValue()) : '';
    if (first === move.keptMac) settledState = { count: move.count, mac: move.mac };
    // Only under the lease is the record settled; anyone else reads it the same way.
    if (holdingRegistry())
      registryProperties().setProperty(
        KEY.head,
        headValue(headOnRecord(), pendingHead(false) ?? undefined, settledState),
      );
  }
  archivedCache = settledState;
  return settledState;
}

/** Entries the last check verified (its checkpoint): only those may move to the archive. */
export function verifiedEntryCount(): number {
  return readJson<ChainHead>(KEY.checkpoint)?.count ?? 0;
}

/** The archive's files (and when to try again), for the archive job and the evidence pack. */
export function archiveFiles(): ArchiveState {
  return parseArchiveState(registryProperties().getProperty(KEY.archive)) ?? NO_ARCHIVE;
}

/** The Hash column (1-based) of a log sheet. */
function hashColumn(sheet: Sheet): number {
  return columnsOf(sheet).columns['Hash'] + 1;
}

/** A log entry as far as lookups go: the ID it names and the snapshot it carries ('' none). */
interface Logged {
  id: string;
  snapshot: string;
}

/** The log's lookup columns, read once per execution; an append drops them. */
let loggedCache: { sheet: Sheet; rows: Logged[] } | null = null;

function loggedEntries(ss: Spreadsheet): Logged[] {
  const sheet = ss.getSheetByName(AUDIT_LOG.name);
  if (!sheet) return [];
  if (loggedCache && loggedCache.sheet.getSheetId() === sheet.getSheetId()) return loggedCache.rows;
  const last = sheet.getLastRow();
  let rows: Logged[] = [];
  if (last >= 2) {
    const { columns } = columnsOf(sheet);
    // Snapshots are on their event's row (the Snapshot column); a log written before that
    // carries them in "Sealed" rows' New Value.
    const snapshotAt = columns['Snapshot'];
    const wanted = [columns['Action'], columns['Registry ID'], columns['New Value']];
    if (snapshotAt !== undefined) wanted.push(snapshotAt);
    const from = Math.min(...wanted);
    const values = sheet
      .getRange(2, from + 1, last - 1, Math.max(...wanted) - from + 1)
      .getValues();
    rows = values.map((row) => {
      const own = snapshotAt === undefined ? '' : text(row[snapshotAt - from]);
      const legacy = text(row[columns['Action'] - from]) === 'Sealed';
      return {
        id: text(row[columns['Registry ID'] - from]),
        snapshot: own || (legacy ? text(row[columns['New Value'] - from]) : ''),
      };
    });
  }
  loggedCache = { sheet, rows };
  return rows;
}

/**
 * The snapshots the log holds for each of `ids`, newest first (`ids` null: every ID), from
 * one read of its Action, Registry ID, New Value and Snapshot columns per execution.
 */
export function loggedSnapshots(
  ss: Spreadsheet,
  ids: ReadonlySet<string> | null,
): Map<string, string[]> {
  const out = new Map<string, string[]>();
  if (ids?.size === 0) return out;
  const rows = loggedEntries(ss);
  for (let i = rows.length - 1; i >= 0; i--) {
    const row = rows[i];
    if (row.snapshot === '' || (ids && !ids.has(row.id))) continue;
    const list = out.get(row.id);
    if (list) list.push(row.snapshot);
    else out.set(row.id, [row.snapshot]);
  }
  return out;
}

/** The log sheet; a deleted or renamed one is recreated so no event is lost (and alerted). */
function auditSheet(ss: Spreadsheet): { sheet: Sheet; recreated: boolean } {
  const sheet = ss.getSheetByName(AUDIT_LOG.name);
  if (sheet) return { sheet, recreated: false };
  const fresh = ss.insertSheet(AUDIT_LOG.name);
  const headers = headersOf(AUDIT_LOG);
  fresh.getRange(1, 1, 1, headers.length).setValues([headers]).setFontWeight('bold');
  fresh.getRange(2, 1, fresh.getMaxRows() - 1, headers.length).setNumberFormat('@');
  fresh.setFrozenRows(1);
  fresh.hideColumns(headers.indexOf('Snapshot') + 1);
  return { sheet: fresh, recreated: true };
}

function columnsOf(sheet: Sheet): { columns: Record<string, number>; width: number } {
  const lastColumn = sheet.getLastColumn();
  const plan = planHeaders(
    sheet.getRange(1, 1, 1, Math.max(1, lastColumn)).getValues()[0],
    AUDIT_LOG,
    lastColumn,
  );
  // A log from before the Snapshot column has none: not a place planned for it.
  const columns = { ...plan.columns };
  if (plan.missing.includes('Snapshot')) delete columns['Snapshot'];
  return { columns, width: Math.max(lastColumn, ...Object.values(columns).map((c) => c + 1)) };
}

/**
 * A log from before snapshots had their own column gets it (after its last header, hidden)
 * the first time an entry carries one: rows before it keep theirs in "Sealed" rows.
 */
function withSnapshotColumn(
  sheet: Sheet,
  layout: { columns: Record<string, number>; width: number },
): { columns: Record<string, number>; width: number } {
  if (layout.columns['Snapshot'] !== undefined) return layout;
  const at = layout.width;
  if (sheet.getMaxColumns() <= at) sheet.insertColumnsAfter(sheet.getMaxColumns(), 1);
  sheet.getRange(1, at + 1).setValue('Snapshot');
  sheet.hideColumns(at + 1);
  return { columns: { ...layout.columns, Snapshot: at }, width: at + 1 };
}

/**
 * Appends entries to the keyed chain in one write, whatever the log's length. The head is
 * written in two phases (pending before the append, committed after), so an execution killed
 * in between is not mistaken for tampering. A log that does not end where the head says, or
 * that was deleted, is alerted in the same batch; the chain continues from the head on record.
 */

/** Cells per call past which Sheets writes slower per cell (the cost reference). */
const BIG_CALL_CELLS = 20_000;

/** Rows added to the Audit Log when it is full (9 columns each: 4,500 cells). */
const AUDIT_GROWTH = 500;

/**
 * What one audit value may hold: a person's 49,999-character paste is evidence by its start and
 * its length, not a cell the size of Sheets' limit (every log row counts against the workbook).
 */
const AUDIT_VALUE_MAX = 2000;

const clip = (value: string, max: number): string =>
  value.length <= max
    ? value
    : `${value.slice(0, max)}… (${value.length.toLocaleString('en-US')} characters in all)`;

export function appendAudit(ss: Spreadsheet, entries: readonly AuditEntry[], now: Date): void {
  if (entries.length === 0) return;
  loggedCache = null;
  const key = requireSigningKey();
  const store = registryProperties();
  const { sheet, recreated } = auditSheet(ss);
  let { columns, width } = columnsOf(sheet);
  if (entries.some((e) => e.snapshot))
    ({ columns, width } = withSnapshotColumn(sheet, { columns, width }));
  const last = sheet.getLastRow();
  const head = recreated ? headOnRecord() : committedHead(sheet, last);
  const alerts: AuditEntry[] = [];
  const archived = recreated ? 0 : archivedEntries(sheet).count;
  if (recreated || last - 1 + archived !== head.count) {
    alerts.push({
      actor: SYSTEM_ACTOR,
      action: 'Integrity alert',
      registryId: '',
      field: 'Audit Log',
      oldValue: `${head.count} entries recorded`,
      newValue: recreated
        ? 'the Audit Log sheet was missing (deleted or renamed) and has been recreated'
        : `the sheet holds ${Math.max(0, last - 1)} rows${archived > 0 ? ` after ${archived} archived entries` : ''}`,
    });
  }
  const stamp = isoSeconds(now);
  // Alerts go after the entries, so the entries' sequence numbers are the ones callers planned
  // (a row's seal names the record that carries its snapshot).
  const records: AuditRecord[] = [...entries, ...alerts].map((e) => ({
    ...e,
    actor: clip(e.actor, 200),
    field: clip(e.field, 200),
    oldValue: clip(e.oldValue, AUDIT_VALUE_MAX),
    newValue: clip(e.newValue, AUDIT_VALUE_MAX),
    timestamp: stamp,
  }));
  const chained = chainKeyed(head, records, (text) => hmacHex(key, text));
  const next: ChainHead = {
    count: chained[chained.length - 1].seq,
    mac: chained[chained.length - 1].mac,
  };
  const rows = chained.map(({ record, mac }) => logRow(record, mac, columns, width));
  // The log grows by several hundred rows at a time, not by one row per append (a call each).
  const needed = last + rows.length - sheet.getMaxRows();
  // With room to spare after a large append, so the next one-row append does not grow it again.
  if (needed > 0) sheet.insertRowsAfter(sheet.getMaxRows(), needed + AUDIT_GROWTH);
  // Cells are text before anything is written (Sheets would read "1.10" as a number): rows up
  // to a mark kept in the store are known to be, so an ordinary append makes no format call.
  const through = formattedThrough(AUDIT_LOG.name);
  const end = Math.max(last, 1) + rows.length;
  // Large batches go in parts of at most 20,000 cells (larger calls write slower per cell).
  const part = Math.max(1, Math.floor(BIG_CALL_CELLS / width));
  if (end > through || needed > 0 || recreated) {
    const max = sheet.getMaxRows();
    for (let from = Math.max(last, 1) + 1; from <= max; from += part)
      sheet.getRange(from, 1, Math.min(part, max - from + 1), width).setNumberFormat('@');
    setFormattedThrough(AUDIT_LOG.name, max);
  }
  // The batch's end (and its parts' ends), before it is appended: an execution stopped between
  // the append and the commit leaves it, and the next append or check takes the rows only if
  // the log ends exactly there (rows cut from the batch's end are not taken for a shorter
  // batch; a log ending at a part's end is a run stopped between two parts).
  const parts: ChainHead[] = [];
  for (let i = part; i < chained.length; i += part)
    parts.push({ count: chained[i - 1].seq, mac: chained[i - 1].mac });
  store.setProperty(KEY.head, headValue(head, { ...next, parts }));
  for (let i = 0; i < rows.length; i += part)
    sheet
      .getRange(Math.max(last, 1) + 1 + i, 1, Math.min(part, rows.length - i), width)
      .setValues(rows.slice(i, i + part));
  // The commit. Under the lease it goes out with the lease's release (one write); an execution
  // stopped before then leaves the pending head, which the next append or check commits once
  // the log is seen to end with it.
  if (holdingRegistry()) store.stage(KEY.head, headValue(next));
  else store.setProperty(KEY.head, headValue(next));
}

/** A record as a row of cells of a log laid out as `columns` say (text kept as text). */
function logRow(
  record: AuditRecord,
  mac: string,
  columns: Record<string, number>,
  width: number,
): string[] {
  const row: string[] = new Array<string>(width).fill('');
  row[columns['Timestamp']] = record.timestamp;
  row[columns['Actor']] = neutralise(record.actor);
  row[columns['Action']] = neutralise(record.action);
  row[columns['Registry ID']] = neutralise(record.registryId);
  row[columns['Field']] = neutralise(record.field);
  row[columns['Old Value']] = neutralise(record.oldValue);
  row[columns['New Value']] = neutralise(record.newValue);
  row[columns['Hash']] = mac;
  if (record.snapshot) row[columns['Snapshot']] = neutralise(record.snapshot);
  return row;
}

/**
 * The head on record, or, when an execution was stopped between its append and its commit,
 * the pending head it left: taken when the log ends exactly there and every row past the head
 * on record verifies from it under the key (read only then, at most a catch-up's worth).
 * Anything else keeps the head on record, and the append is alerted.
 */
function committedHead(sheet: Sheet, last: number): ChainHead {
  const head = headOnRecord();
  const inLog = last - 1 + archivedEntries(sheet).count;
  const extra = inLog - head.count;
  if (extra <= 0 || extra > CATCH_UP_MAX) return head;
  const pending = pendingHead(true);
  if (!pending || ![pending, ...(pending.parts ?? [])].some((p) => p.count === inLog)) return head;
  const key = signingKey();
  if (!key) return head;
  const check = verifyKeyed(
    readRows(sheet, head.count),
    head.count,
    head.mac,
    head,
    macBy(key),
    true,
  );
  if (!check.ok || !endsAtPending(check.head, pending)) return head;
  const store = registryProperties();
  if (holdingRegistry()) store.stage(KEY.head, headValue(check.head));
  else store.setProperty(KEY.head, headValue(check.head));
  return check.head;
}

/** Entry `seq`'s MAC, under the key that signed it (a rotation retires keys after an entry). */
function macBy(key: SigningKey): (t: string, seq: number) => string {
  const retired = retiredKeys();
  return (t, seq) => hmacHex(retired.find((k) => seq <= k.until) ?? key, t);
}

function text(v: unknown): string {
  return v === null || v === undefined ? '' : String(v);
}

/**
 * Entries `from` (0-based, in the chain) to `to` (exclusive, or the log's end), as chained.
 * Entries moved to the archive are not in the sheet: row 2 holds the first one after them.
 */
function readRows(sheet: Sheet, from: number, to = Infinity) {
  const { columns, width } = columnsOf(sheet);
  const archived = archivedEntries(sheet).count;
  if (from < archived) throw new Error(`Audit entry ${from + 1} was archived: not in the log.`);
  const count = Math.min(sheet.getLastRow() - 1 + archived, to) - from;
  if (count <= 0) return [];
  return sheet
    .getRange(from - archived + 2, 1, count, width)
    .getValues()
    .map((row) => {
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
          snapshot: columns['Snapshot'] === undefined ? '' : text(row[columns['Snapshot']]),
        },
        hash: text(row[columns['Hash']]),
      };
    });
}

export interface AuditVerification {
  ok: boolean;
  /** Entries in the log. */
  rows: number;
  /** The head MAC, when intact. */
  head: string;
  /** The sheet row of the first entry that does not verify. */
  brokenRow?: number;
  reason?: string;
  /** Whether every entry was verified in this pass. */
  full: boolean;
  /** The older entries verified in this pass (1-based, inclusive), on a rolling pass. */
  rolled?: [number, number];
  /** A long log not yet verified to its end: the entries this pass verified (1-based). */
  catchingUp?: [number, number];
}

/**
 * Verifies the chain against the key and the head on record: the entries since the last
 * verified checkpoint, and the next stretch of the older ones (a rolling pass that covers the
 * whole log within a week at a bounded cost per run). `full` asks for every entry, which a
 * log of up to 20,000 entries gets. A v1 prefix (before the re-anchoring) is checked as the
 * SHA-256 chain it was, when a round starts.
 */
export function verifyAuditLog(
  ss: Spreadsheet,
  full = false,
  /** Whether this pass also takes the rolling pass's next stretch (not for a quick look). */
  rolling = true,
): AuditVerification {
  const sheet = ss.getSheetByName(AUDIT_LOG.name);
  const key = signingKey();
  const head = headOnRecord();
  if (!key) {
    return { ok: false, rows: 0, head: '', reason: 'the signing key is missing', full: true };
  }
  if (!sheet) {
    return {
      ok: head.count === 0,
      rows: 0,
      head: head.mac,
      ...(head.count === 0 ? {} : { brokenRow: 2, reason: 'the Audit Log sheet is missing' }),
      full: true,
    };
  }
  const store = registryProperties();
  const anchor = readJson<ChainAnchor>(KEY.anchor);
  const checkpoint = readJson<ChainHead>(KEY.checkpoint);
  const pending = pendingHead(true);
  const legacyPending = readJson<ChainHead>(KEY.legacyPending);
  const now = new Date().getTime();
  const reanchor = readJson<Reanchor>(KEY.reanchor);
  // The keyed chain starts after the re-anchored entry, or after the v1 prefix; in the live
  // log, after the entries archived (verified before they moved, v1 prefix included).
  const archived = archivedEntries(sheet);
  const prefixCount = reanchor ? reanchor.count : (anchor?.count ?? 0);
  const inArchive = archived.count > 0 && archived.count >= prefixCount;
  const startCount = inArchive ? archived.count : prefixCount;
  const startMac = inArchive ? archived.mac : reanchor ? reanchor.mac : (anchor?.v1Head ?? GENESIS);
  const off = archived.count;
  // Entries up to a rotation were signed by the key it retired (DESIGN §6.1).
  const mac = macBy(key);
  const broken = (index: number, reason: string, rows: number): AuditVerification => ({
    ok: false,
    rows,
    head: '',
    brokenRow: Math.max(2, index - off + 2),
    reason,
    full: false,
  });

  // What must hold before the keyed chain: the re-anchored entry unchanged, the v1 prefix.
  const prefixHolds = (): AuditVerification | null => {
    if (inArchive) return null;
    if (reanchor) {
      if (reanchor.count === 0) return null;
      const accepted = readRows(sheet, reanchor.count - 1, reanchor.count);
      return accepted[0]?.hash === reanchor.mac
        ? null
        : broken(
            Math.min(sheet.getLastRow() - 1 + off, reanchor.count) - 1,
            'the entry the chain was re-anchored on was changed or removed',
            sheet.getLastRow() - 1 + off,
          );
    }
    if (!anchor) return null;
    const rows = readRows(sheet, 0, anchor.count);
    const v1 = verifyChain(rows, sha256Hex);
    if (!v1.ok) return broken(v1.brokenAt, 'a row of the v1 log was changed', rows.length);
    if (rows.length < anchor.count || v1.head !== anchor.v1Head)
      return broken(Math.min(rows.length, anchor.count), 'the v1 log was cut short', rows.length);
    return null;
  };

  /**
   * Entries [a, b) (0-based) as a stretch of the chain, from the MAC of the entry before it
   * (which must still be `before` when given): the stretch's last MAC, or where it broke.
   */
  const verifyStretch = (
    a: number,
    b: number,
    total: number,
    before?: string,
  ): { last: string } | { broken: AuditVerification } => {
    if (a === startCount) {
      const failed = prefixHolds();
      if (failed) return { broken: failed };
    }
    const rows = readRows(sheet, a === startCount ? a : a - 1, b);
    const previous = a === startCount ? startMac : (rows.shift()?.hash ?? '');
    if (before !== undefined && a > startCount && previous !== before)
      return {
        broken: broken(a - 1, 'an entry already verified was changed or removed', total),
      };
    const last = rows[rows.length - 1]?.hash ?? previous;
    const part = verifyKeyed(rows, a, previous, { count: b, mac: last }, mac);
    if (!part.ok || rows.length !== b - a)
      return {
        broken: broken(
          part.ok ? a + rows.length : part.brokenAt,
          'a row was changed, moved or replaced',
          total,
        ),
      };
    return { last };
  };

  // 1. The entries since the checkpoint (all of them the first time): to the head on record.
  const from = checkpoint && checkpoint.count > startCount ? checkpoint.count : startCount;
  // A log far longer than the checkpoint (the first check of a long log) is caught up a
  // bounded stretch per pass: the checkpoint moves to where the pass got, and the rest (with
  // the head on record) is verified by the next passes.
  const inSheet = sheet.getLastRow() - 1 + off;
  if (inSheet - from > CATCH_UP_MAX) {
    const to = from + CATCH_UP_MAX;
    const part = verifyStretch(from, to, inSheet, checkpoint?.mac);
    if ('broken' in part) return part.broken;
    store.setProperty(KEY.checkpoint, JSON.stringify({ count: to, mac: part.last }));
    return { ok: true, rows: inSheet, head: '', full: false, catchingUp: [from + 1, to] };
  }
  let check: ReturnType<typeof verifyKeyed>;
  if (from === startCount) {
    const failed = prefixHolds();
    if (failed) return failed;
    check = verifyKeyed(readRows(sheet, startCount), startCount, startMac, head, mac, true);
  } else {
    // Its own entry must still carry the MAC it had.
    const rows = readRows(sheet, from - 1);
    if (rows.length === 0 || rows[0].hash !== checkpoint!.mac)
      return broken(
        from - 1,
        'an entry already verified was changed or removed',
        from - 1 + rows.length,
      );
    check = verifyKeyed(rows.slice(1), from, checkpoint!.mac, head, mac, true);
  }
  if (!check.ok) return broken(check.brokenAt, check.reason, check.rows);
  // Rows past the head on record are a lost commit only when they end where it was pending.
  if (check.head.count > head.count && !endsAtPending(check.head, pending))
    return broken(
      head.count,
      'the log does not end where the recorded head says it does',
      check.rows,
    );

  // 2. A stretch of the older entries, where the rolling pass stands.
  let rolled: [number, number] | undefined;
  let whole = from === startCount;
  if (!whole && rolling) {
    const { a, b, round } = planRollingPass(
      readJson<RollingPass>(KEY.rolling),
      startCount,
      from,
      now,
      full,
    );
    const part = verifyStretch(a, b, check.rows);
    if ('broken' in part) return part.broken;
    rolled = [a + 1, b];
    whole = a === startCount && b === from;
    if (b >= from) store.setProperty(KEY.lastFull, String(now));
    store.setProperty(KEY.rolling, JSON.stringify(round));
  } else if (whole) store.setProperty(KEY.lastFull, String(now));

  // The append happened; the commit did not (the execution was stopped). Commit it now; a
  // pending head left by an execution that did not append is dropped.
  if (check.head.count > head.count || headRecord().pending)
    store.setProperty(KEY.head, headValue(check.head.count > head.count ? check.head : head));
  if (legacyPending) store.deleteProperty(KEY.legacyPending);
  store.setProperty(KEY.checkpoint, JSON.stringify(check.head));
  return {
    ok: true,
    rows: check.rows,
    head: check.head.mac,
    full: whole,
    ...(rolled && !whole ? { rolled } : {}),
  };
}

export interface ChainStart {
  upgraded: boolean;
  lines: string[];
}

/**
 * Gives a registry its key and chain head, once. A fresh registry starts an empty chain. A v1
 * registry's SHA-256 log is verified first; its timestamps become ISO text (the text it was
 * hashed over), and the keyed chain is anchored on its head, once, with a record saying so
 * (DESIGN §6.1). A log that does not verify is refused: it is a copy of another registry, a
 * restored version, or a v1 log changed by hand.
 */
export function startChain(ss: Spreadsheet, actor: string, now: Date): ChainStart {
  if (signingKey()) return { upgraded: false, lines: [] };
  if (registryProperties().getProperty(KEY.head) !== null) {
    throw new UserError(
      "This registry's signing key is missing although its audit chain was started. Governed Path will not start a new chain over it: ask two security-team members to re-anchor it (docs/deploy.md).",
    );
  }
  const sheet = ss.getSheetByName(AUDIT_LOG.name);
  const rows = sheet ? readRows(sheet, 0) : [];
  recordSealZone(ss.getSpreadsheetTimeZone());
  if (rows.length === 0) {
    createSigningKey();
    return { upgraded: false, lines: [] };
  }
  const v1 = verifyChain(rows, sha256Hex);
  if (!v1.ok) {
    throw new UserError(
      `The Audit Log in this spreadsheet does not verify (row ${v1.brokenAt + 2} is not part of an intact Governed Path log). This spreadsheet is a copy of another registry, a restored version, or its log was changed by hand, so Governed Path will not take it over. Rename the "Audit Log" sheet to keep it as evidence, then run Set up or repair registry again to start a new log.`,
    );
  }
  // v1 timestamps were Sheets dates hashed as ISO text: store them as that text.
  const { columns } = columnsOf(sheet as Sheet);
  (sheet as Sheet)
    .getRange(2, columns['Timestamp'] + 1, rows.length, 1)
    .setNumberFormat('@')
    .setValues(rows.map((r) => [r.record.timestamp]));
  createSigningKey();
  const anchor: ChainAnchor = { count: rows.length, v1Head: v1.head };
  registryProperties().setProperties({
    [KEY.anchor]: JSON.stringify(anchor),
    [KEY.head]: JSON.stringify({ count: rows.length, mac: v1.head }),
  });
  appendAudit(
    ss,
    [
      {
        actor,
        action: 'Chain re-anchored',
        registryId: '',
        field: 'Audit Log',
        oldValue: `v1 SHA-256 chain, ${rows.length} entries, head ${v1.head}`,
        newValue: 'HMAC-SHA256 chain under this registry’s key',
      },
    ],
    now,
  );
  return {
    upgraded: true,
    lines: [
      `Verified the existing Audit Log (${rows.length} entries) and continued it as a keyed chain.`,
    ],
  };
}

/** A broken chain's state for the security team, and any re-anchor request waiting. */
export interface ChainState {
  ok: boolean;
  brokenRow: number | null;
  reason: string | null;
  request: { by: string; at: string } | null;
}

/** A request waits this long for a second member. */
const REQUEST_TTL_MS = 24 * 3600 * 1000;

function openRequest(now: Date): { by: string; at: string } | null {
  const request = readJson<{ by: string; at: string }>(KEY.request);
  if (!request || now.getTime() - Date.parse(request.at) > REQUEST_TTL_MS) return null;
  return request;
}

export function chainState(ss: Spreadsheet, now: Date): ChainState {
  // A quick look (the Settings panel): since the checkpoint, without the rolling stretch.
  const check = verifyAuditLog(ss, false, false);
  return {
    ok: check.ok,
    brokenRow: check.ok ? null : (check.brokenRow ?? null),
    reason: check.ok ? null : (check.reason ?? null),
    request: check.ok ? null : openRequest(now),
  };
}

/**
 * Re-anchoring a broken chain takes two security-team members (DESIGN §6.1): the first asks,
 * a second confirms within a day. The rows before the re-anchor are then accepted as they
 * stand, the chain is verified from there on, and the old and new heads are returned for
 * posting out of band. Returns what to tell the member.
 */
export function reanchorChain(
  ss: Spreadsheet,
  user: string,
  now: Date,
):
  | { done: false; message: string }
  | { done: true; message: string; before: ChainHead; after: ChainHead } {
  const full = verifyAuditLog(ss, true);
  const store = registryProperties();
  if (full.ok) {
    store.deleteProperty(KEY.request);
    throw new UserError('The Audit Log verifies: there is nothing to re-anchor.');
  }
  const request = openRequest(now);
  const me = user.trim().toLowerCase();
  if (!request) {
    store.setProperty(KEY.request, JSON.stringify({ by: me, at: now.toISOString() }));
    appendAudit(
      ss,
      [
        {
          actor: user,
          action: 'Re-anchor requested',
          registryId: '',
          field: 'Audit Log',
          oldValue: `broken at row ${full.brokenRow ?? '?'}`,
          newValue: full.reason ?? '',
        },
      ],
      now,
    );
    return {
      done: false,
      message:
        'Re-anchor requested. Another security-team member must confirm it within 24 hours; until then the chain stays broken and alerted.',
    };
  }
  if (request.by === me)
    throw new UserError(
      'You asked for this re-anchor: another security-team member must confirm it.',
    );
  const sheet = ss.getSheetByName(AUDIT_LOG.name);
  const archived = archivedEntries(sheet);
  const rows = sheet ? readRows(sheet, archived.count) : [];
  const before = headOnRecord();
  const after: ChainHead = {
    count: archived.count + rows.length,
    mac: rows.length > 0 ? rows[rows.length - 1].hash : archived.count > 0 ? archived.mac : GENESIS,
  };
  const record: Reanchor = { ...after, at: now.toISOString(), by: [request.by, me] };
  store.setProperties({
    [KEY.reanchor]: JSON.stringify(record),
    [KEY.head]: headValue(after),
    [KEY.checkpoint]: JSON.stringify(after),
    [KEY.lastFull]: String(now.getTime()),
  });
  if (readJson<ChainHead>(KEY.legacyPending)) store.deleteProperty(KEY.legacyPending);
  store.deleteProperty(KEY.request);
  appendAudit(
    ss,
    [
      {
        actor: user,
        action: 'Chain re-anchored',
        registryId: '',
        field: 'Audit Log',
        oldValue: `${before.count} entries, ${before.mac}`,
        newValue: `${after.count} entries, ${after.mac} (asked by ${request.by}, confirmed by ${me})`,
      },
    ],
    now,
  );
  return {
    done: true,
    message: `The Audit Log is re-anchored at entry ${after.count}; it is verified from there on. The old and new heads were posted to the security channel and mailed to the team.`,
    before,
    after,
  };
}

/** What a move of the oldest entries did, for the job's report and the team's message. */
export interface ArchiveMove {
  from: number;
  to: number;
  carried: number;
  url: string;
}

/**
 * Where a segment of the log goes: `write` puts its rows (laid out as the log's headers, text
 * kept as text) into an archive file from entry `first + 1` and says which files then hold
 * what. Supplied by the caller, which opens or creates the files.
 */
export type ArchiveWriter = (
  rows: string[][],
  headers: string[],
  first: number,
) => { files: ArchiveFile[]; url: string };

/**
 * Moves up to `n` of the oldest entries of the live log to the archive (issue 14, DESIGN §6):
 * only entries the daily check has verified (up to its checkpoint), verified again as they are
 * read; the chain's head is carried over (the live log continues from the last moved MAC); the
 * latest snapshot of every ID among them that no later entry carries is appended again
 * ("Snapshot carried over"), so every ID's latest snapshot stays in the live log; the move is
 * itself an entry of the chain. `worth` says whether a move carrying back that many snapshots
 * is worth making. Under the lease. Null when nothing moved.
 */
export function archiveOldest(
  ss: Spreadsheet,
  n: number,
  now: Date,
  worth: (n: number, carried: number) => boolean,
  write: ArchiveWriter,
): ArchiveMove | { idle: true; carried: number } | null {
  const sheet = ss.getSheetByName(AUDIT_LOG.name);
  const key = signingKey();
  if (!sheet || !key || !holdingRegistry()) return null;
  const store = registryProperties();
  if (pendingHead(true)) return null;
  // Nothing moves while the chain does not hold to its head: every live entry is then one the
  // key signed, so a snapshot found after the moved ones is real (a row pasted into the log
  // could otherwise stop an ID's latest snapshot from being carried).
  const chain = verifyAuditLog(ss, false, false);
  if (!chain.ok || chain.catchingUp) return null;
  const archived = archivedEntries(sheet);
  const checkpoint = readJson<ChainHead>(KEY.checkpoint);
  const anchor = readJson<ChainAnchor>(KEY.anchor);
  const reanchor = readJson<Reanchor>(KEY.reanchor);
  const prefixCount = reanchor ? reanchor.count : (anchor?.count ?? 0);
  if (!checkpoint) return null;
  // A prefix not verified as a keyed chain (v1, or accepted at a re-anchor) moves whole.
  const prefix = Math.max(0, prefixCount - archived.count);
  const live = sheet.getLastRow() - 1;
  const count = Math.min(Math.max(n, prefix), checkpoint.count - archived.count, live - 1);
  // The log keeps at least one entry after the move: its MAC says whether the move happened.
  if (count <= 0 || count < prefix) return null;
  const rows = readRows(sheet, archived.count, archived.count + count + 1);
  if (rows.length !== count + 1) return null;
  const segment = rows.slice(0, count);
  // The segment is verified as it moves (the daily check did, but rows may have changed since).
  const keyedFrom = Math.max(0, prefixCount - archived.count);
  if (prefix > 0) {
    const v1 = !reanchor && anchor ? verifyChain(segment.slice(0, keyedFrom), sha256Hex) : null;
    const accepted = reanchor
      ? (segment[keyedFrom - 1]?.hash ?? '') === reanchor.mac
      : !!v1 && v1.ok && v1.head === anchor!.v1Head;
    if (!accepted) return null;
  }
  const startMac =
    keyedFrom > 0 ? segment[keyedFrom - 1].hash : archived.count > 0 ? archived.mac : GENESIS;
  const keyed = segment.slice(keyedFrom);
  const last = segment[count - 1].hash;
  const check = verifyKeyed(
    keyed,
    archived.count + keyedFrom,
    startMac,
    { count: archived.count + count, mac: last },
    macBy(key),
  );
  if (!check.ok) return null;
  const carry = snapshotsToCarry(loggedEntries(ss), count);
  if (!worth(count, carry.length)) return { idle: true, carried: carry.length };

  const headers = headersOf(AUDIT_LOG);
  const all = Object.fromEntries(headers.map((h, i) => [h, i]));
  const { files, url } = write(
    segment.map(({ record, hash }) => logRow(record, hash, all, headers.length)),
    headers,
    archived.count,
  );
  const to = archived.count + count;
  appendAudit(
    ss,
    [
      ...carry.map((c) => ({
        actor: SYSTEM_ACTOR,
        action: 'Snapshot carried over',
        registryId: c.id,
        field: 'Audit Log',
        oldValue: `entry ${archived.count + c.index + 1}, archived`,
        newValue: 'the latest snapshot of this ID, kept in the live log',
        snapshot: c.snapshot,
      })),
      {
        actor: SYSTEM_ACTOR,
        action: 'Audit Log archived',
        registryId: '',
        field: 'Audit Log',
        oldValue: `entries ${archived.count + 1}–${to}, last MAC ${last}`,
        newValue: url,
      },
    ],
    now,
  );
  // Two phases, as the head: the record says what the log will start with before the rows go
  // (with the files, in one write), and that they went after.
  const moving: Archived = {
    ...archived,
    move: { count: to, mac: last, keptMac: rows[count].hash },
  };
  store.setProperties({
    [KEY.head]: headValue(headOnRecord(), pendingHead(false) ?? undefined, moving),
    [KEY.archive]: JSON.stringify({ files } satisfies ArchiveState),
  });
  sheet.deleteRows(2, count);
  archivedCache = { count: to, mac: last };
  store.setProperty(
    KEY.head,
    headValue(headOnRecord(), pendingHead(false) ?? undefined, archivedCache),
  );
  loggedCache = null;
  const through = formattedThrough(AUDIT_LOG.name);
  if (through > 0) setFormattedThrough(AUDIT_LOG.name, Math.max(1, through - count));
  return { from: archived.count + 1, to, carried: carry.length, url };
}

/** The archive's files as they stand (a new file is recorded before anything is written to it). */
export function recordArchiveFiles(files: readonly ArchiveFile[]): void {
  const { idleUntil } = archiveFiles();
  registryProperties().setProperty(
    KEY.archive,
    JSON.stringify({
      files: [...files],
      ...(idleUntil ? { idleUntil } : {}),
    } satisfies ArchiveState),
  );
}

/** Records that the last try freed too little: none again before the log grows by `entries`. */
export function idleArchiveUntil(entries: number): void {
  registryProperties().setProperty(
    KEY.archive,
    JSON.stringify({ ...archiveFiles(), idleUntil: entries } satisfies ArchiveState),
  );
}
