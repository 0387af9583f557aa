import { wallClockOfSerial } from '../domain/calendar';
import { registryProperties } from '../services/store';
import { compressNumbers, expandNumbers, formatId } from '../domain/ids';
import { keepAsText, neutralise } from '../domain/injection';
import { onColumnReinserted, onSheetMissing } from './columns';
import { SHEETS } from '../domain/schema';
import { signingKey } from '../services/keys';
import { acquireRegistry, holdingRegistry } from '../services/lease';
import { repairSheet } from './setup';
import { type SheetSpec } from '../domain/schema';
import { appendAudit, loggedSnapshots, type AuditEntry } from './audit-log';
import { COUNTER, type EditInfo } from './registry';
import { asText } from './catalog';
import {
  disagreeing,
  ownedTexts,
  restoreOwned,
  REGISTRY_SEAL,
  REVIEWS_SEAL,
  STORES_SEAL,
  TOOLS_SEAL,
  catalogIds,
  claimedSeal,
  followSeals,
  newestClaimedSeq,
  rememberCatalogIds,
  latestSnapshots,
  type SealSpec,
  type Snapshot,
  sealer,
  unsealedValues,
  sealOf,
  sealRows,
} from './seals';
import { readTable, writeRows, wrote, type Cell } from './table';

type Spreadsheet = GoogleAppsScript.Spreadsheet.Spreadsheet;

const REMOVED = 'removedRegistryIds';
/** Who rows restored with a recreated sheet are attributed to. */
const SYSTEM_ACTOR_RESTORE = 'Governed Path (sheet recreated)';

const SEAL_SPECS = [REGISTRY_SEAL, REVIEWS_SEAL, TOOLS_SEAL, STORES_SEAL];

/**
 * A sealed sheet gone from a registry that was set up (deleted, or renamed so it is not found)
 * is created again, set up like the first time, and its rows come back from the audit log, as
 * deleted rows do: nothing the add-on issued or decided is lost with a sheet. Done holding the
 * registry (briefly taken when the caller does not hold it); busy, the caller says the
 * registry needs repair and the next execution recreates it.
 */
onSheetMissing((ss, spec) => {
  if (!signingKey()) return null;
  const held = holdingRegistry() ? null : acquireRegistry(10000);
  if (!holdingRegistry()) return null;
  try {
    const index = SHEETS.findIndex((s) => s.name === spec.name);
    const sheet = ss.insertSheet(spec.name, Math.min(index, ss.getSheets().length));
    repairSheet(sheet, spec, true);
    wrote();
    restoreDeletedRows(ss, SYSTEM_ACTOR_RESTORE, new Date());
    return ss.getSheetByName(spec.name);
  } finally {
    held?.release();
  }
});

/**
 * Deleted add-on columns inserted again (columns.ts) get their rows' values back from each
 * ID's latest snapshot in the audit log (verified): owned values and seals from the sealed
 * body, people's cells from the same snapshot. A row is known by its ID cell, or by its seal
 * when the ID column went; with both gone, by the owned values left in the row (a row that
 * matches no snapshot, or several, keeps blank cells for the sweep rather than a guess).
 */
onColumnReinserted((sheet, spec, headers, columns) => {
  const sealSpec = SEAL_SPECS.find((x) => x.sheet.name === spec.name);
  const last = sheet.getLastRow();
  if (!sealSpec || last < 2) return;
  const width = Math.max(...Object.values(columns).map((c) => c + 1));
  const rows = sheet.getRange(2, 1, last - 1, width).getValues() as Cell[][];
  const ss = sheet.getParent();
  const s = sealer(ss);
  const lost = new Set(headers);
  const byCell = (row: readonly Cell[]) => asText(row[columns[sealSpec.id]]).trim();
  const bySeal = (row: readonly Cell[]) =>
    claimedSeal(s, asText(row[columns['Seal']]), sealSpec)?.id ?? '';
  let ids: string[];
  let snapshots: Map<string, Snapshot>;
  if (!lost.has(sealSpec.id) || !lost.has('Seal')) {
    ids = rows.map(lost.has(sealSpec.id) ? bySeal : byCell);
    snapshots = latestSnapshots(ss, s, new Set(ids.filter(Boolean)), sealSpec);
  } else {
    // Both the ID and the seal went: every snapshot of the sheet, matched by what is left.
    const all = new Set([...loggedSnapshots(ss, null).keys()].filter((id) => id !== ''));
    snapshots = latestSnapshots(ss, s, all, sealSpec);
    const kept = sealSpec.owned
      .map((c) => c.header)
      .filter((h) => !lost.has(h) && h !== 'Seal' && columns[h] !== undefined);
    const people = sealSpec.people.filter((h) => !lost.has(h) && columns[h] !== undefined);
    const signature = (
      owned: Readonly<Record<string, string>>,
      cells: Readonly<Record<string, string>>,
    ) => JSON.stringify([...kept.map((h) => owned[h] ?? ''), ...people.map((h) => cells[h] ?? '')]);
    const bySignature = new Map<string, string[]>();
    for (const [id, snapshot] of snapshots) {
      const key = signature(snapshot.seal.o, snapshot.cells);
      bySignature.set(key, [...(bySignature.get(key) ?? []), id]);
    }
    ids = rows.map((row) => {
      const cells = Object.fromEntries(people.map((h) => [h, asText(row[columns[h]])]));
      const found =
        bySignature.get(signature(ownedTexts(row, columns, s.zone, sealSpec), cells)) ?? [];
      return found.length === 1 ? found[0] : '';
    });
  }
  for (const header of headers) {
    const owned = sealSpec.owned.some((c) => c.header === header);
    const values = ids.map((id): Cell[] => {
      const snapshot = snapshots.get(id);
      if (!snapshot) return [''];
      if (header === 'Seal') return [snapshot.text];
      if (header === sealSpec.id) return [keepAsText(id)];
      if (owned) {
        const row: Cell[] = [];
        restoreOwned(row, { [header]: 0 }, snapshot.seal.o, s.zone, [header], sealSpec);
        const value = row[0] ?? '';
        return [typeof value === 'string' ? keepAsText(value) : value];
      }
      return [keepAsText(snapshot.cells[header] ?? '')];
    });
    sheet.getRange(2, columns[header] + 1, values.length, 1).setValues(values);
  }
  wrote();
});

/**
 * A person's edit of the Audit Log (only the add-on appends to it). One cell is put back from
 * the old value Sheets reports; anything else is logged, and the keyed chain shows exactly
 * what changed to the daily check.
 */
export function guardOwnedSheet(
  ss: Spreadsheet,
  spec: SheetSpec,
  edit: EditInfo,
  now: Date,
): AuditEntry[] {
  // Put back only what Sheets reported: a one-cell paste or fill carries no old value, and
  // clearing the cell would lose the entry (the chain check shows exactly what changed).
  const single =
    edit.numRows === 1 && edit.numColumns === 1 && !edit.replayed && edit.oldValue !== undefined;
  const sheet = ss.getSheetByName(spec.name);
  if (!sheet) return [];
  const header = String(sheet.getRange(1, edit.column).getValue());
  const where = `${spec.name}!${header || 'column ' + edit.column} row ${edit.row}`;
  if (single) {
    const cell = sheet.getRange(edit.row, edit.column);
    cell.setValue(oldCellValue(cell, edit.oldValue ?? '', ss.getSpreadsheetTimeZone()));
    wrote();
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
 * What a cell held before a typed edit, from `e.oldValue`: a date cell's oldValue is its
 * serial number as text, read as a wall-clock time in the spreadsheet's zone; anything else is
 * text, neutralised against formula injection.
 */
function oldCellValue(
  cell: GoogleAppsScript.Spreadsheet.Range,
  oldValue: string,
  zone: string,
): string | Date {
  const wall = wallClockOfSerial(oldValue);
  if (wall !== null && /[yd]/i.test(cell.getNumberFormat()))
    return Utilities.parseDate(wall, zone, 'yyyy-MM-dd HH:mm:ss');
  return neutralise(oldValue);
}

/**
 * Deleting a Registry or Reviews row never erases an entry or a decision (DESIGN §6): every ID
 * ever issued (they are sequential) that is no longer in its sheet is rebuilt from the audit
 * log's latest snapshot and appended, sealed as it was. An ID with no snapshot (deleted before
 * it was ever sealed) is logged once. One read of the log, one write per sheet.
 */
export function restoreDeletedRows(
  ss: Spreadsheet,
  actor: string,
  now: Date,
  /** The deleting person is an identified security-team member: a catalog row may go. */
  team = false,
): string[] {
  const props = registryProperties();
  const s = sealer(ss);
  const lines: string[] = [];
  const audit: AuditEntry[] = [];
  lines.push(...restoreCatalogRows(ss, s, actor, team, audit));
  const removed = new Set(expandNumbers(props.getProperty(REMOVED)));
  const newlyRemoved: number[] = [];
  for (const { spec, prefix, counter } of [
    { spec: REGISTRY_SEAL, prefix: 'AI' as const, counter: COUNTER.registry },
    { spec: REVIEWS_SEAL, prefix: 'R' as const, counter: COUNTER.review },
  ]) {
    const table = readTable(ss, spec.sheet);
    if (!table) continue;
    const issued = Number(props.getProperty(counter) ?? '1') - 1;
    const present = new Set(table.rows.map((r) => asText(r[table.columns[spec.id]]).trim()));
    const missing: string[] = [];
    for (let n = 1; n <= issued; n++) {
      const id = formatId(prefix, n);
      if (!present.has(id) && !(prefix === 'AI' && removed.has(n))) missing.push(id);
    }
    if (missing.length === 0) continue;
    const snapshots = latestSnapshots(ss, s, new Set(missing), spec);
    const width = Math.max(
      table.sheet.getLastColumn(),
      ...Object.values(table.columns).map((c) => c + 1),
    );
    const rows: Cell[][] = [];
    const stale: number[] = [];
    for (const id of missing) {
      const snapshot = snapshots.get(id);
      if (!snapshot) {
        if (prefix === 'AI') {
          newlyRemoved.push(Number(id.slice(3)));
          audit.push({
            actor: actor || 'unknown user',
            action: 'Row deleted',
            registryId: id,
            field: spec.sheet.name,
            oldValue: id,
            newValue: '',
          });
        }
        continue;
      }
      const row: Cell[] = new Array<Cell>(width).fill('');
      for (const [field, value] of Object.entries(snapshot.cells)) {
        if (table.columns[field] !== undefined) row[table.columns[field]] = value;
      }
      restoreOwned(
        row,
        table.columns,
        snapshot.seal.o,
        s.zone,
        spec.owned.map((c) => c.header),
        spec,
      );
      row[table.columns['Seal']] = snapshot.text;
      if (snapshot.seal.k !== s.keyId) stale.push(rows.length); // signed before a key rotation
      rows.push(row);
      audit.push({
        actor: actor || 'unknown user',
        action: 'Row restored',
        registryId: prefix === 'AI' ? id : snapshot.seal.o['Registry ID'],
        field: spec.sheet.name,
        oldValue: '(deleted)',
        newValue: id,
      });
    }
    if (rows.length === 0) continue;
    sealRows(s, rows, stale, table.columns, audit, spec);
    appendRows(table, rows);
    lines.push(
      `Restored ${rows.length} deleted ${spec.sheet.name} row(s) from the audit log: ${rows
        .map((r) => asText(r[table.columns[spec.id]]))
        .join(', ')}.`,
    );
  }
  if (newlyRemoved.length > 0) {
    props.setProperty(REMOVED, compressNumbers([...removed, ...newlyRemoved]));
    lines.push(
      `Registry rows deleted before they were sealed, logged: ${newlyRemoved.map((n) => formatId('AI', n)).join(', ')}.`,
    );
  }
  appendAudit(ss, audit, now);
  return lines;
}

/**
 * Catalog rows (a tool, a store) are found by the names they were sealed under: one that is
 * gone is put back from its snapshot, facts and descriptions, unless an identified
 * security-team member deleted it (then it is removed from the catalog, logged).
 */
function restoreCatalogRows(
  ss: Spreadsheet,
  s: ReturnType<typeof sealer>,
  actor: string,
  team: boolean,
  audit: AuditEntry[],
): string[] {
  const lines: string[] = [];
  for (const spec of [TOOLS_SEAL, STORES_SEAL]) {
    const table = readTable(ss, spec.sheet);
    if (!table) continue;
    const cols = table.columns;
    const present = table.rows.map((r) => asText(r[cols[spec.id]]).trim()).filter((id) => id);
    const missing = [...catalogIds(spec)].filter((id) => !present.includes(id));
    // Names sealed before the index existed join it here.
    const sealedHere = table.rows
      .filter((r) => sealOf(s, asText(r[cols['Seal']]), spec))
      .map((r) => asText(r[cols[spec.id]]).trim());
    rememberCatalogIds(spec, sealedHere, team ? missing : []);
    if (missing.length === 0) continue;
    if (team) {
      for (const id of missing)
        audit.push({
          actor,
          action: 'Catalog row removed',
          registryId: '',
          field: spec.sheet.name,
          oldValue: id,
          newValue: '',
        });
      lines.push(`${spec.sheet.name}: ${actor} removed ${missing.join(', ')}.`);
      continue;
    }
    const snapshots = latestSnapshots(ss, s, new Set(missing), spec);
    const width = Math.max(table.sheet.getLastColumn(), ...Object.values(cols).map((c) => c + 1));
    const rows: Cell[][] = [];
    for (const id of missing) {
      const snapshot = snapshots.get(id);
      if (!snapshot) continue;
      const row: Cell[] = new Array<Cell>(width).fill('');
      for (const [field, value] of Object.entries(snapshot.cells))
        if (cols[field] !== undefined) row[cols[field]] = value;
      restoreOwned(
        row,
        cols,
        snapshot.seal.o,
        s.zone,
        spec.owned.map((c) => c.header),
        spec,
      );
      row[cols['Seal']] = snapshot.text;
      rows.push(row);
      audit.push({
        actor: actor || 'unknown user',
        action: 'Row restored',
        registryId: '',
        field: spec.sheet.name,
        oldValue: '(deleted)',
        newValue: id,
      });
    }
    if (rows.length === 0) continue;
    sealRows(
      s,
      rows,
      rows.map((_, i) => i),
      cols,
      audit,
      spec,
    );
    appendRows(table, rows);
    lines.push(
      `Restored ${rows.length} deleted ${spec.sheet.name} row(s) from the audit log: ${rows
        .map((r) => asText(r[cols[spec.id]]))
        .join(', ')}.`,
    );
  }
  return lines;
}

function appendRows(table: NonNullable<ReturnType<typeof readTable>>, rows: Cell[][]): void {
  const sheet = table.sheet;
  const last = table.rows.length + 1;
  const needed = last + rows.length - sheet.getMaxRows();
  if (needed > 0) sheet.insertRowsAfter(sheet.getMaxRows(), needed);
  writeRows(table, last + 1, rows);
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
  const renamed: string[] = [];
  // Rows whose seal is gone or forged: their snapshots, in one read of the log.
  const seals = block.map((row) => sealOf(s, asText(row[cols['Seal']]), spec));
  // Rows sorted without their hidden Seal column: the seals follow their rows.
  const followed = followSeals(s, block, seals, cols, spec, (k) => inBlock.has(first + k));
  // An older authentic seal pasted back (a replay) does not count: the latest one does.
  const sealedIds = new Set(seals.filter((x, k) => x && inBlock.has(first + k)).map((x) => x!.id));
  const newest =
    sealedIds.size > 0 ? latestSnapshots(ss, s, sealedIds, spec) : new Map<string, Snapshot>();
  const replayed = new Set<number>();
  seals.forEach((seal, k) => {
    const latest = seal && inBlock.has(first + k) ? newest.get(seal.id) : undefined;
    if (!seal || !latest || latest.seal.q <= seal.q) return;
    seals[k] = latest.seal;
    block[k][cols['Seal']] = latest.text;
    replayed.add(k);
  });
  const unsealedIds = new Set(
    wanted
      .filter((r) => !seals[r - first])
      .map((r) => asText(block[r - first][cols[spec.id]]).trim())
      .filter((id) => id !== '' && !elsewhere.has(id)),
  );
  const snapshots =
    unsealedIds.size > 0 ? latestSnapshots(ss, s, unsealedIds, spec) : new Map<string, Snapshot>();
  for (const rowNumber of wanted) {
    const k = rowNumber - first;
    const row = block[k];
    const cellId = asText(row[cols[spec.id]]).trim();
    let seal = seals[k];
    let fromSnapshot = false;
    if (!seal && cellId !== '' && !elsewhere.has(cellId)) {
      seal = snapshots.get(cellId)?.seal ?? null;
      fromSnapshot = seal !== null;
    }
    if (seal && (elsewhere.has(seal.id) || claimed.has(seal.id))) seal = null; // a copy
    const owned = ownedTexts(row, cols, s.zone, spec);
    const changed = seal ? disagreeing(s, seal, row, cols, spec) : unsealedValues(spec, owned);
    if (replayed.has(k))
      tampering.push({
        actor: actor || 'unknown user',
        action,
        registryId: seal?.o['Registry ID'] ?? '',
        field: `${spec.sheet.name}!Seal row ${rowNumber}`,
        oldValue: '(the latest, from the audit log)',
        newValue: '(an older seal of this row)',
      });
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
      // A catalog row renamed by the security team no longer goes by its old name.
      if (spec.keepUnsealedId && accepted.includes(spec.id)) renamed.push(seal.id);
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
  if (tampering.length === 0 && audit.length === 0 && reseal.length === 0) {
    if (followed > 0) writeRows(table, first, block);
    return [];
  }
  const entries = [...tampering, ...audit];
  if (renamed.length > 0) rememberCatalogIds(spec, [], renamed);
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

/**
 * An older sealed row pasted back (from a copy, a version-history view, the clipboard) carries
 * an authentic seal that is no longer the latest for its ID: its sequence number is behind the
 * audit log's latest snapshot. Such rows are put back to the latest, people's cells included.
 * One read of the log; run by the daily check.
 */
export function undoReplays(ss: Spreadsheet, spec: SealSpec, actor: string, now: Date): string[] {
  const table = readTable(ss, spec.sheet);
  if (!table || table.rows.length === 0) return [];
  const s = sealer(ss);
  const cols = table.columns;
  // The seals as they claim to be (no MAC for each of tens of thousands of rows): a seal older
  // than its ID's latest snapshot is then verified, and only an authentic one is a replay (a
  // forged seal is the sweep's to put back).
  const claimed = table.rows.map((r) => claimedSeal(s, asText(r[cols['Seal']]), spec));
  const ids = new Set(claimed.filter((x) => x !== null).map((x) => x!.id));
  // Likewise the log's snapshots: only IDs whose newest one claims to be newer than a row's
  // seal have it verified.
  const newest = newestClaimedSeq(ss, s, ids, spec);
  const suspects = new Set(
    claimed.filter((b) => b !== null && (newest.get(b.id) ?? -Infinity) > b.q).map((b) => b!.id),
  );
  const latest = latestSnapshots(ss, s, suspects, spec);
  const audit: AuditEntry[] = [];
  const changed = new Map<number, Cell[]>();
  claimed.forEach((body, i) => {
    const newest = body ? latest.get(body.id) : undefined;
    if (!body || !newest || newest.seal.q <= body.q) return;
    const seal = sealOf(s, asText(table.rows[i][cols['Seal']]), spec);
    if (!seal || seal.id !== body.id || seal.q !== body.q) return;
    const row = table.rows[i].slice();
    for (const [field, value] of Object.entries(newest.cells))
      if (cols[field] !== undefined) row[cols[field]] = value;
    restoreOwned(
      row,
      cols,
      newest.seal.o,
      s.zone,
      spec.owned.map((c) => c.header),
      spec,
    );
    row[cols['Seal']] = newest.text;
    if (newest.seal.k !== s.keyId) sealRows(s, [row], [0], cols, audit, spec);
    changed.set(i, row);
    audit.push({
      actor,
      action: 'Replayed row put back',
      registryId: seal.o['Registry ID'] ?? seal.id,
      field: `${spec.sheet.name} row ${i + 2}`,
      oldValue: `sealed as entry ${seal.q} of the log`,
      newValue: `latest, entry ${newest.seal.q}`,
    });
  });
  if (changed.size === 0) return [];
  const first = Math.min(...changed.keys());
  const last = Math.max(...changed.keys());
  const block = table.rows
    .slice(first, last + 1)
    .map((r, k) => changed.get(first + k) ?? r.slice());
  writeRows(table, first + 2, block);
  appendAudit(ss, audit, now);
  return [
    `Put back ${changed.size} ${spec.sheet.name} row(s) pasted back from an older version: ${[
      ...changed.keys(),
    ]
      .map((i) => `row ${i + 2}`)
      .join(', ')}.`,
  ];
}
