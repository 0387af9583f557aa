/**
 * Seals on Registry rows (DESIGN §6): what the add-on owns in a row is written together with
 * a signed seal, and put back from it whenever the cells disagree.
 */
import { canonicalText, hexOfSignedBytes } from '../domain/audit';
import { INPUT_FIELDS } from '../domain/entry';
import {
  AI_TOOLS,
  DATA_STORES,
  DATE_PATTERN,
  REGISTRY,
  REVIEWS,
  type ColumnSpec,
  type SheetSpec,
} from '../domain/schema';
import {
  cellsText,
  fingerprint,
  makeSeal,
  coOwnersOf,
  ownersOf,
  readSeal,
  SEAL_VERSION,
  tamperedFields,
  UNVERIFIED,
  type SealBody,
} from '../domain/seal';
import {
  hmacHex,
  keyRotation,
  requireSigningKey,
  retiredKeys,
  type SigningKey,
} from '../services/keys';
import { isEmail } from '../domain/settings';
import { registryProperties } from '../services/store';
import {
  appendAudit,
  auditEntryCount,
  loggedSnapshots,
  settleAuditHead,
  SYSTEM_ACTOR,
  type AuditEntry,
} from './audit-log';
import { asText, isDate } from './catalog';
import { neutralise } from '../domain/injection';
import { readTable, writeRows, type Cell } from './table';

type Spreadsheet = GoogleAppsScript.Spreadsheet.Spreadsheet;
type Columns = Readonly<Record<string, number>>;

/** What a sheet's seal covers: the entry's ID column, the owned columns, and the digests. */
export interface SealSpec {
  readonly sheet: SheetSpec;
  readonly id: string;
  readonly owned: readonly ColumnSpec[];
  /** People-filled columns (their digest). */
  readonly people: readonly string[];
  /** The inputs the decision used (their digest). */
  readonly inputs: readonly string[];
  /** An unsealed row may keep its ID (a catalog name is not a decision). */
  readonly keepUnsealedId?: boolean;
  /** Other columns carried in snapshots, so a deleted row comes back whole. */
  readonly carried?: readonly string[];
}

/** Registry rows: the add-on's columns; people fill the rest. */
export const REGISTRY_SEAL: SealSpec = {
  sheet: REGISTRY,
  id: 'ID',
  owned: REGISTRY.columns.filter((c) => c.owned && c.header !== 'Seal'),
  people: INPUT_FIELDS,
  inputs: ['Data Tier', 'Data Stores', 'AI Tool', 'Deployment Status'],
};

/** Reviews rows: written only by the add-on, on the security team's decisions. */
export const REVIEWS_SEAL: SealSpec = {
  sheet: REVIEWS,
  id: 'Review ID',
  owned: REVIEWS.columns.filter((c) => c.header !== 'Seal'),
  people: [],
  inputs: ['Registry ID', 'Status'],
};

/** The AI tool catalog: its facts change only by the security team (DESIGN §6). */
export const TOOLS_SEAL: SealSpec = {
  sheet: AI_TOOLS,
  id: 'Tool',
  owned: AI_TOOLS.columns.filter((c) =>
    ['Tool', 'Status', 'Max Tier', 'SOC 2 Type II Verified'].includes(c.header),
  ),
  people: [],
  inputs: [],
  keepUnsealedId: true,
  carried: ['Vendor', 'Data Residency', 'How to Get Access', 'Notes'],
};

/** The data inventory: a store's tier changes only by the security team. */
export const STORES_SEAL: SealSpec = {
  sheet: DATA_STORES,
  id: 'Data Store',
  owned: DATA_STORES.columns.filter((c) => ['Data Store', 'Tier'].includes(c.header)),
  people: [],
  inputs: [],
  keepUnsealedId: true,
  carried: ['Owner', 'Description'],
};

/** Sealed values an unsealed row holds that nobody may set there. */
export function unsealedValues(spec: SealSpec, owned: Readonly<Record<string, string>>): string[] {
  return spec.owned
    .map((c) => c.header)
    .filter((h) => owned[h] !== '' && !(spec.keepUnsealedId && h === spec.id));
}

/** The owned values a Registry seal carries (all owned columns but the seal itself). */
export const SEALED_FIELDS = REGISTRY_SEAL.owned.map((c) => c.header);

export interface Sealer {
  readonly spreadsheetId: string;
  readonly zone: string;
  /** Signs under the current key. */
  mac(text: string): string;
  keyId: string;
  /**
   * The MAC a seal in a sheet is checked with: the current key's, or during a rotation the
   * outgoing key's. `logged`: a snapshot in the audit log, where every retired key counts
   * (the chain vouches for when it was signed).
   */
  macFor(keyId: string, logged?: boolean): ((text: string) => string) | null;
}

export function sealer(ss: Spreadsheet): Sealer {
  const key = requireSigningKey();
  settleAuditHead(ss);
  // Read only when a seal names another key (two store reads an ordinary edit does not need).
  let older: { rotation: ReturnType<typeof keyRotation>; retired: Map<string, SigningKey> } | null =
    null;
  const others = () =>
    (older ??= {
      rotation: keyRotation(),
      retired: new Map(retiredKeys().map((k) => [k.id, k])),
    });
  const mac = (text: string) => hmacHex(key, text);
  return {
    spreadsheetId: ss.getId(),
    // Sheets stores dates without a zone and reads them in the spreadsheet's current one: a
    // date's wall-clock text in that zone is what the cell holds, whatever the zone is now.
    zone: ss.getSpreadsheetTimeZone(),
    mac,
    keyId: key.id,
    macFor: (keyId, logged = false) => {
      if (keyId === key.id) return mac;
      const { rotation, retired } = others();
      const old = retired.get(keyId);
      if (!old || !(logged || rotation?.from === keyId)) return null;
      return (text) => hmacHex(old, text);
    },
  };
}

export function sha256Hex(text: string): string {
  return hexOfSignedBytes(
    Utilities.computeDigest(Utilities.DigestAlgorithm.SHA_256, text, Utilities.Charset.UTF_8),
  );
}

/** A sealed timestamp: the wall clock the cell holds, to the second. */
const WALL_CLOCK = 'yyyy-MM-dd HH:mm:ss';

/**
 * Owned values as the seal holds them: timestamps and dates as the wall-clock text the cell
 * holds (read in the spreadsheet's current zone, so a change of zone changes nothing), numbers
 * and text as text. Text that looks like a date (a paste that dropped the plain-text format
 * turned it into one) reads the same either way.
 */
export function ownedTexts(
  row: readonly Cell[],
  cols: Columns,
  zone: string,
  spec: SealSpec = REGISTRY_SEAL,
): Record<string, string> {
  const out: Record<string, string> = {};
  for (const column of spec.owned) {
    const v = row[cols[column.header]];
    if (isDate(v))
      out[column.header] =
        column.kind === 'timestamp'
          ? Utilities.formatDate(v, zone, WALL_CLOCK)
          : Utilities.formatDate(v, zone, DATE_PATTERN);
    else out[column.header] = asText(v);
  }
  return out;
}

/** Puts owned cells back from sealed text (dates and numbers become themselves again). */
export function restoreOwned(
  row: Cell[],
  cols: Columns,
  owned: Readonly<Record<string, string>>,
  zone: string,
  fields: readonly string[] = SEALED_FIELDS,
  spec: SealSpec = REGISTRY_SEAL,
): void {
  for (const field of fields) {
    const kind = spec.owned.find((c) => c.header === field)?.kind ?? 'text';
    const text = owned[field] ?? '';
    let value: Cell = text;
    if (kind === 'timestamp' && /^\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}$/.test(text))
      value = Utilities.parseDate(text, zone, WALL_CLOCK);
    else if (kind === 'date' && /^\d{4}-\d{2}-\d{2}$/.test(text))
      value = Utilities.parseDate(text, zone, DATE_PATTERN);
    else if (kind === 'number' && text !== '' && Number.isFinite(Number(text)))
      value = Number(text);
    row[cols[field]] = value;
  }
}

/** The fingerprints of a row's people-filled cells (partial-sort detection). */
export function fingerprints(
  row: readonly Cell[],
  cols: Columns,
  fields: readonly string[],
): Record<string, string> {
  return Object.fromEntries(fields.map((f) => [f, fingerprint(asText(row[cols[f]]))]));
}

/** The digest of the inputs a Registry row's decision uses, as its seal holds it (`i`). */
export function inputsDigest(row: readonly Cell[], cols: Columns): string {
  return digestOf(row, cols, REGISTRY_SEAL.inputs);
}

function digestOf(row: readonly Cell[], cols: Columns, fields: readonly string[]): string {
  return sha256Hex(cellsText(fields.map((f) => asText(row[cols[f]]))));
}

/** Whether the row's seal cell is authentic, current-key and describes the row exactly. */
function sealStillHolds(s: Sealer, row: readonly Cell[], cols: Columns, spec: SealSpec): boolean {
  const seal = sealOf(s, asText(row[cols['Seal']]), spec);
  if (!seal || seal.k !== s.keyId || seal.id !== asText(row[cols[spec.id]]).trim()) return false;
  if (tamperedFields(seal, ownedTexts(row, cols, s.zone, spec)).length > 0) return false;
  if (seal.i !== digestOf(row, cols, spec.inputs) || seal.p !== digestOf(row, cols, spec.people))
    return false;
  if (
    spec.people.length > 0 &&
    JSON.stringify(seal.c) !== JSON.stringify(fingerprints(row, cols, spec.people))
  )
    return false;
  if (spec === REGISTRY_SEAL && JSON.stringify(seal.w) !== JSON.stringify(ownerList(s, row, cols)))
    return false;
  return true;
}

/**
 * Seals a row as it will be written, and returns the audit record that carries its snapshot.
 * `seq` is that record's sequence number in the chain.
 */
export function sealRow(
  s: Sealer,
  row: Cell[],
  cols: Columns,
  seq: number,
  spec: SealSpec = REGISTRY_SEAL,
  /** New co-owners (the sidebar); otherwise the previous seal's are kept. */
  coOwners?: readonly string[],
  /** Former owners marked as gone (issue 17); otherwise the previous seal's are kept. */
  gone?: readonly string[],
): AuditEntry {
  const id = asText(row[cols[spec.id]]);
  const owners = spec === REGISTRY_SEAL ? ownerList(s, row, cols, coOwners) : null;
  const previous =
    spec === REGISTRY_SEAL ? sealOf(s, asText(row[cols['Seal']]), REGISTRY_SEAL, true) : null;
  const former = spec === REGISTRY_SEAL ? (gone ?? previous?.x ?? []) : [];
  // Co-owners removed by this change join those removed before (at most the latest 20).
  const removed = [
    ...new Set([
      ...(previous?.r ?? []),
      ...(coOwners && previous?.w ? previous.w.slice(1).filter((e) => !coOwners.includes(e)) : []),
    ]),
  ].slice(-20);
  // The Co-owners column shows what the seal holds (issue 17); it is owned like the others.
  if (owners && cols['Co-owners'] !== undefined)
    row[cols['Co-owners']] = neutralise(
      owners
        .slice(1)
        .filter((e) => !former.includes(e))
        .join(', '),
    );
  const body: SealBody = {
    v: SEAL_VERSION,
    k: s.keyId,
    s: s.spreadsheetId,
    t: spec.sheet.name,
    id,
    q: seq,
    o: ownedTexts(row, cols, s.zone, spec),
    i: digestOf(row, cols, spec.inputs),
    p: digestOf(row, cols, spec.people),
    ...(spec.people.length > 0 ? { c: fingerprints(row, cols, spec.people) } : {}),
    ...(owners ? { w: owners } : {}),
    ...(former.length > 0 ? { x: [...former] } : {}),
    ...(removed.length > 0 ? { r: removed } : {}),
  };
  const text = makeSeal(body, s.mac);
  row[cols['Seal']] = text;
  // The snapshot: the seal, and people's cells where the seal holds only their digest, so a
  // deleted row can be rebuilt whole.
  const kept = [...spec.people, ...(spec.carried ?? [])].filter((f) => cols[f] !== undefined);
  const cells = Object.fromEntries(
    kept.map((f) => [f, asText(row[cols[f]]).slice(0, SNAPSHOT_CELL_LIMIT)]),
  );
  return {
    actor: SYSTEM_ACTOR,
    action: 'Sealed',
    registryId: id,
    field: spec === REGISTRY_SEAL ? 'Seal' : `${spec.sheet.name} seal`,
    oldValue: '',
    newValue: '',
    snapshot: kept.length > 0 ? JSON.stringify({ seal: text, cells }) : text,
  };
}

/**
 * The owner list a Registry row is sealed with: the creator at registration (taken from the
 * Creator Email cell until the entry is registered, then fixed) and the co-owners, both from
 * the row's previous seal (its cell holds the authentic previous seal whenever a row is
 * re-sealed: every writer verifies or restores it first).
 */
function ownerList(
  s: Sealer,
  row: readonly Cell[],
  cols: Columns,
  coOwners?: readonly string[],
): string[] {
  // The cell holds a verified or restored seal here (writers see to it), possibly one signed
  // before a key rotation.
  const previous = sealOf(s, asText(row[cols['Seal']]), REGISTRY_SEAL, true);
  const fixed = previous?.w !== undefined && (previous.o['Registered'] ?? '') !== '';
  const creator = fixed
    ? previous!.w![0]
    : asText(row[cols['Creator Email']]).trim().toLowerCase().slice(0, 254);
  return [creator, ...(coOwners ?? previous?.w?.slice(1) ?? [])];
}

/** People's cells kept in a snapshot are cut at this length (the cell limit is far above). */
const SNAPSHOT_CELL_LIMIT = 2000;

export interface Snapshot {
  seal: SealBody;
  /** The seal's cell text. */
  text: string;
  /** People's cells at the time (Registry rows). */
  cells: Readonly<Record<string, string>>;
}

/** A snapshot record's value: the seal alone, or the seal with people's cells. */
function parseSnapshot(s: Sealer, value: string, spec: SealSpec): Snapshot | null {
  const parts = snapshotParts(value);
  if (!parts) return null;
  const seal = sealOf(s, parts.text, spec, true);
  return seal ? { seal, ...parts } : null;
}

/** A logged snapshot's seal text and cells (an older log's value is the seal alone). */
function snapshotParts(value: string): { text: string; cells: Record<string, string> } | null {
  let text = value;
  let cells: Record<string, string> = {};
  try {
    const parsed = JSON.parse(canonicalText(value)) as { seal?: unknown; cells?: unknown };
    if (typeof parsed.seal === 'string') {
      text = parsed.seal;
      if (typeof parsed.cells === 'object' && parsed.cells !== null)
        cells = parsed.cells as Record<string, string>;
    }
  } catch {
    return null;
  }
  return { text, cells };
}

/**
 * The highest sequence number any logged snapshot of each entry claims (MACs not checked):
 * enough to tell which rows might be replays, whose snapshots are then verified
 * (latestSnapshots). A forged snapshot can only add a suspect, never hide one.
 */
export function newestClaimedSeq(
  ss: Spreadsheet,
  s: Sealer,
  ids: ReadonlySet<string>,
  spec: SealSpec,
): Map<string, number> {
  const out = new Map<string, number>();
  for (const [id, values] of loggedSnapshots(ss, ids)) {
    for (const value of values) {
      const parts = snapshotParts(value);
      const body = parts ? claimedSeal(s, parts.text, spec) : null;
      if (body && body.id === id) out.set(id, Math.max(out.get(id) ?? -Infinity, body.q));
    }
  }
  return out;
}

/**
 * Seals every row in `rows` (by index into `block`) and appends their snapshot records to
 * `audit`, numbering them after what `audit` already holds.
 */
export function sealRows(
  s: Sealer,
  block: Cell[][],
  indices: Iterable<number>,
  cols: Columns,
  audit: AuditEntry[],
  spec: SealSpec = REGISTRY_SEAL,
  coOwners?: ReadonlyMap<number, readonly string[]>,
  gone?: ReadonlyMap<number, readonly string[]>,
): void {
  const base = auditEntryCount();
  const sealed: string[] = [];
  for (const i of indices) {
    const id = asText(block[i][cols[spec.id]]).trim();
    if (id === '') continue;
    // A row whose seal already says all this (a re-decision that changed nothing) keeps it:
    // no new seal, no snapshot, no write (the seal stays the latest for its ID).
    if (!coOwners?.has(i) && sealStillHolds(s, block[i], cols, spec)) continue;
    // The snapshot rides on the row of the event that changed the entry, in this batch (one
    // audit row per event); a write with no such event (a re-decision) gets a "Sealed" row.
    const carrier = spec === REGISTRY_SEAL ? lastEventOf(audit, id) : -1;
    const seq = base + (carrier >= 0 ? carrier : audit.length) + 1;
    const record = sealRow(s, block[i], cols, seq, spec, coOwners?.get(i), gone?.get(i));
    if (carrier >= 0) audit[carrier] = { ...audit[carrier], snapshot: record.snapshot };
    else audit.push(record);
    // The new seal is the latest of its ID from now on: the one logged before no longer is.
    loggedLatest?.set(record.registryId, record.snapshot!);
    sealed.push(id);
  }
  if (spec.keepUnsealedId && sealed.length > 0) rememberCatalogIds(spec, sealed, []);
}

/**
 * The last entry in this batch about Registry entry `id` that carries no snapshot yet (-1:
 * none). A snapshot may only go where a later one of the same ID does not follow.
 */
function lastEventOf(audit: readonly AuditEntry[], id: string): number {
  for (let k = audit.length - 1; k >= 0; k--) {
    if (audit[k].registryId !== id) continue;
    return audit[k].snapshot ? -1 : k;
  }
  return -1;
}

/**
 * Seal texts whose MAC this execution has checked (or found, word for word, as the latest
 * snapshot of their ID in the audit log): a MAC is computed once per text per execution.
 */
const verifiedTexts = new Set<string>();

/** The latest snapshot value of each ID in the audit log, once the daily check trusts it. */
let loggedLatest: Map<string, string> | null = null;

/** A new registry in the same execution (the hourly job serves several): nothing carries over. */
export function forgetSealState(): void {
  verifiedTexts.clear();
  loggedLatest = null;
}

/**
 * From now until the execution ends, a seal whose text is the latest snapshot of its ID in the
 * audit log is authentic without computing its MAC: the log is protected, append-only and
 * chained (its new entries verified just before, every entry within a week), and that
 * snapshot is the seal as it was written. The daily check calls this after the chain held.
 */
export function trustAuditSnapshots(ss: Spreadsheet): void {
  loggedLatest = new Map();
  for (const [id, values] of loggedSnapshots(ss, null)) loggedLatest.set(id, values[0]);
}

/** The seal text of the log's latest snapshot of `id` (trusted logs only). */
function loggedSealText(id: string): string | null {
  const value = loggedLatest?.get(id);
  if (value === undefined) return null;
  if (!value.startsWith('{"seal":')) return value;
  try {
    const parsed = JSON.parse(canonicalText(value)) as { seal?: unknown };
    return typeof parsed.seal === 'string' ? parsed.seal : null;
  } catch {
    return null;
  }
}

/**
 * A seal's body as it claims to be, its MAC not checked: good for finding which rows to look
 * at, never for trusting what they say (sealOf for that).
 */
export function claimedSeal(s: Sealer, text: string, spec: SealSpec): SealBody | null {
  return readSeal(text, UNVERIFIED, { spreadsheetId: s.spreadsheetId, sheet: spec.sheet.name });
}

export function sealOf(
  s: Sealer,
  text: string,
  spec: SealSpec = REGISTRY_SEAL,
  /** A snapshot from the audit log (any retired key counts), not a sheet's cell. */
  logged = false,
): SealBody | null {
  const where = { spreadsheetId: s.spreadsheetId, sheet: spec.sheet.name };
  if (verifiedTexts.has(text) || (loggedLatest && loggedLatest.size > 0)) {
    const body = readSeal(text, UNVERIFIED, where);
    if (!body) return null;
    if (verifiedTexts.has(text) || loggedSealText(body.id) === text) {
      verifiedTexts.add(text);
      // Whether its key is accepted here still depends on where it was read.
      return s.macFor(body.k, logged) ? body : null;
    }
  }
  const body = readSeal(text, (k) => s.macFor(k, logged), where);
  if (body) verifiedTexts.add(text);
  return body;
}

/** The owned fields of a row that disagree with its seal. */
export function disagreeing(
  s: Sealer,
  seal: SealBody,
  row: readonly Cell[],
  cols: Columns,
  spec: SealSpec = REGISTRY_SEAL,
): string[] {
  return tamperedFields(seal, ownedTexts(row, cols, s.zone, spec));
}

/** The latest authentic snapshots of several entries, in one read of the log. */
export function latestSnapshots(
  ss: Spreadsheet,
  s: Sealer,
  ids: ReadonlySet<string>,
  spec: SealSpec,
): Map<string, Snapshot> {
  const out = new Map<string, Snapshot>();
  for (const [id, values] of loggedSnapshots(ss, ids)) {
    for (const value of values) {
      const snapshot = parseSnapshot(s, value, spec);
      if (snapshot && snapshot.seal.id === id) {
        out.set(id, snapshot);
        break;
      }
    }
  }
  return out;
}

/**
 * The seals of a whole sheet for a sweep: every body is compared with its row's owned cells,
 * but a MAC is computed only where they disagree and for the rows `verify` names (a rotating
 * share, so every seal is verified within a week at a fraction of the cost). A seal whose
 * MAC was not checked is trusted for nothing but this comparison.
 */
export function sealsForSweep(
  s: Sealer,
  rows: readonly (readonly Cell[])[],
  cols: Columns,
  spec: SealSpec,
  verify: (i: number) => boolean,
): (SealBody | null)[] {
  const where = { spreadsheetId: s.spreadsheetId, sheet: spec.sheet.name };
  return rows.map((row, i) => {
    const text = asText(row[cols['Seal']]);
    if (verify(i)) return sealOf(s, text, spec);
    const body = readSeal(text, UNVERIFIED, where);
    if (body && tamperedFields(body, ownedTexts(row, cols, s.zone, spec)).length === 0) return body;
    return sealOf(s, text, spec);
  });
}

/**
 * Rows whose owned cells disagree with their seal, or that carry owned values without an
 * authentic seal: what no trigger saw (another script, the Sheets API, an edit while the
 * add-on was off). The daily check puts them back.
 */
export function rowsOutOfSeal(
  s: Sealer,
  rows: readonly (readonly Cell[])[],
  cols: Columns,
  spec: SealSpec = REGISTRY_SEAL,
  /** The rows' seals, when the caller has read them already (sealsForSweep). */
  seals?: readonly (SealBody | null)[],
): number[] {
  const out: number[] = [];
  const seen = new Set<string>();
  rows.forEach((row, i) => {
    const seal = seals ? seals[i] : sealOf(s, asText(row[cols['Seal']]), spec);
    const owned = ownedTexts(row, cols, s.zone, spec);
    const bad = seal
      ? seen.has(seal.id) || tamperedFields(seal, owned).length > 0
      : unsealedValues(spec, owned).length > 0 || asText(row[cols['Seal']]) !== '';
    if (seal) seen.add(seal.id);
    if (bad) out.push(i + 2);
  });
  return out;
}

/**
 * Registry rows whose people's cells no longer match their seal's fingerprints although the
 * owned cells do: changed where no trigger saw it (a sort Sheets did not report, a script).
 */
export function rowsWithMovedInputs(
  s: Sealer,
  rows: readonly (readonly Cell[])[],
  cols: Columns,
  seals?: readonly (SealBody | null)[],
): number[] {
  const out: number[] = [];
  rows.forEach((row, i) => {
    const seal = seals ? seals[i] : sealOf(s, asText(row[cols['Seal']]));
    if (!seal?.c) return;
    const now = fingerprints(row, cols, REGISTRY_SEAL.people);
    if (REGISTRY_SEAL.people.some((f) => seal.c![f] !== now[f])) out.push(i + 2);
  });
  return out;
}

/**
 * Seals the rows of a v1 registry as they are, once, right after its verified log was
 * re-anchored (DESIGN §10's migration): from then on they are guarded like every other row.
 */
export function sealExistingRows(
  ss: Spreadsheet,
  now: Date,
  specs: readonly SealSpec[] = [REGISTRY_SEAL, REVIEWS_SEAL, TOOLS_SEAL, STORES_SEAL],
): number {
  const s = sealer(ss);
  const audit: AuditEntry[] = [];
  let sealed = 0;
  for (const spec of specs) {
    const table = readTable(ss, spec.sheet);
    if (!table || table.rows.length === 0) continue;
    const cols = table.columns;
    const block = table.rows.map((r) => r.slice());
    const indices = block
      .map((row, i) =>
        asText(row[cols[spec.id]]) !== '' && !sealOf(s, asText(row[cols['Seal']]), spec) ? i : -1,
      )
      .filter((i) => i >= 0);
    if (indices.length === 0) continue;
    sealRows(s, block, indices, cols, audit, spec);
    writeRows(table, 2, block);
    if (spec === REGISTRY_SEAL) sealed = indices.length;
  }
  appendAudit(ss, audit, now);
  return sealed;
}

/**
 * The owners of a Registry row from its seal (DESIGN §6.1), or null without an authentic one.
 * A seal made before owner sets existed counts its row's Creator Email too.
 */
export function rowOwners(
  s: Sealer,
  row: readonly Cell[],
  cols: Columns,
): { owners: string[]; coOwners: string[]; seal: SealBody } | null {
  const seal = sealOf(s, asText(row[cols['Seal']]));
  if (!seal) return null;
  const owners = ownersOf(seal);
  const creator = asText(row[cols['Creator Email']]).trim().toLowerCase();
  if (!seal.w && isEmail(creator) && !owners.includes(creator)) owners.push(creator);
  return { owners, coOwners: coOwnersOf(seal), seal };
}

/**
 * Who may not review an entry (DESIGN §6.1: nobody decides a review of an entry they own or
 * claim): its sealed owners, whoever registered it, and whatever Creator Email says now. One
 * rule for deciding, assigning, reassigning and the second approval.
 */
export function reviewConflicts(s: Sealer, row: readonly Cell[], cols: Columns): string[] {
  const owned = rowOwners(s, row, cols);
  return [
    ...new Set(
      [
        ...(owned?.owners ?? []),
        // Who owned it before (removed co-owners, people gone) is not a reviewer of it either.
        ...(owned?.seal.r ?? []),
        ...(owned?.seal.x ?? []),
        asText(row[cols['Creator Email']]),
        asText(row[cols['Registered By']]),
      ]
        .map((e) => e.trim().toLowerCase())
        .filter((e) => e !== ''),
    ),
  ];
}

/**
 * The names of a catalog's sealed rows, kept in the store: a catalog has no issued IDs, so
 * this is how a deleted tool or store is found (DESIGN §6: deleting a row erases no fact).
 */
export function catalogIds(spec: SealSpec): Set<string> {
  try {
    return new Set(
      JSON.parse(
        registryProperties().getProperty(`sealedIds.${spec.sheet.name}`) ?? '[]',
      ) as string[],
    );
  } catch {
    return new Set();
  }
}

export function rememberCatalogIds(
  spec: SealSpec,
  add: readonly string[],
  remove: readonly string[],
): void {
  const ids = catalogIds(spec);
  const before = ids.size;
  add.forEach((id) => ids.add(id));
  remove.forEach((id) => ids.delete(id));
  if (ids.size === before && add.every((id) => ids.has(id)) && remove.length === 0) return;
  registryProperties().setProperty(`sealedIds.${spec.sheet.name}`, JSON.stringify([...ids].sort()));
}

/**
 * Rows sorted or moved without their hidden Seal column (a selection of the visible columns
 * leaves it behind) keep their cells but lose their seals to each other. Where the rows in
 * scope hold exactly each other's seals, each agreeing with the row its ID names, the seals
 * follow their rows: honest sorting is not tampering. Returns how many seals moved; `block`
 * and `seals` are updated.
 */
export function followSeals(
  s: Sealer,
  block: Cell[][],
  seals: (SealBody | null)[],
  cols: Columns,
  spec: SealSpec,
  inScope: (i: number) => boolean,
): number {
  const holder = new Map<string, number>();
  seals.forEach((seal, i) => {
    if (seal && inScope(i)) holder.set(seal.id, i);
  });
  const moves: [number, number][] = [];
  block.forEach((row, i) => {
    if (!inScope(i)) return;
    const id = asText(row[cols[spec.id]]).trim();
    if (id === '' || seals[i]?.id === id) return;
    const j = holder.get(id);
    if (j === undefined || j === i) return;
    if (disagreeing(s, seals[j]!, row, cols, spec).length > 0) return;
    moves.push([i, j]);
  });
  const targets = new Set(moves.map(([i]) => i));
  if (moves.length < 2 || !moves.every(([, j]) => targets.has(j))) return 0;
  const texts = block.map((row) => row[cols['Seal']]);
  const before = seals.slice();
  for (const [i, j] of moves) {
    block[i][cols['Seal']] = texts[j];
    seals[i] = before[j];
  }
  return moves.length;
}
