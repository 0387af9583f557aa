/**
 * Seals on Registry rows (DESIGN §6): what the add-on owns in a row is written together with
 * a signed seal, and put back from it whenever the cells disagree.
 */
import { hexOfSignedBytes } from '../domain/audit';
import { INPUT_FIELDS } from '../domain/entry';
import { DATE_PATTERN, REGISTRY } from '../domain/schema';
import {
  cellsText,
  makeSeal,
  readSeal,
  SEAL_VERSION,
  tamperedFields,
  type SealBody,
} from '../domain/seal';
import { hmacHex, requireSigningKey, sealZone } from '../services/keys';
import {
  appendAudit,
  auditEntryCount,
  latestRecorded,
  SYSTEM_ACTOR,
  type AuditEntry,
} from './audit-log';
import { asText, isDate } from './catalog';
import { readTable, writeRows, type Cell } from './table';

type Spreadsheet = GoogleAppsScript.Spreadsheet.Spreadsheet;
type Columns = Readonly<Record<string, number>>;

/** The owned values a Registry seal carries (all owned columns but the seal itself). */
export const SEALED_FIELDS = REGISTRY.columns
  .filter((c) => c.owned && c.header !== 'Seal')
  .map((c) => c.header);

/** Inputs the decision used (DESIGN §3). */
const DECISION_INPUTS = ['Data Tier', 'Data Stores', 'AI Tool', 'Deployment Status'] as const;

export interface Sealer {
  readonly spreadsheetId: string;
  readonly zone: string;
  mac(text: string): string;
  keyId: string;
}

export function sealer(ss: Spreadsheet): Sealer {
  const key = requireSigningKey();
  return {
    spreadsheetId: ss.getId(),
    zone: sealZone() ?? ss.getSpreadsheetTimeZone(),
    mac: (text) => hmacHex(key, text),
    keyId: key.id,
  };
}

function sha256Hex(text: string): string {
  return hexOfSignedBytes(
    Utilities.computeDigest(Utilities.DigestAlgorithm.SHA_256, text, Utilities.Charset.UTF_8),
  );
}

/** Owned values as the seal holds them: dates as text (timestamps in UTC, dates in the zone). */
export function ownedTexts(
  row: readonly Cell[],
  cols: Columns,
  zone: string,
): Record<string, string> {
  const out: Record<string, string> = {};
  for (const field of SEALED_FIELDS) {
    const v = row[cols[field]];
    if (field === 'Registered')
      out[field] = isDate(v)
        ? Utilities.formatDate(v, 'UTC', "yyyy-MM-dd'T'HH:mm:ss'Z'")
        : asText(v);
    else if (isDate(v)) out[field] = Utilities.formatDate(v, zone, DATE_PATTERN);
    else out[field] = asText(v);
  }
  return out;
}

/** Puts owned cells back from sealed text (dates become dates again). */
export function restoreOwned(
  row: Cell[],
  cols: Columns,
  owned: Readonly<Record<string, string>>,
  zone: string,
  fields: readonly string[] = SEALED_FIELDS,
): void {
  for (const field of fields) {
    const text = owned[field] ?? '';
    let value: Cell = text;
    if (text !== '' && field === 'Registered') value = new Date(text);
    else if (text !== '' && (field === 'Review Due' || field === 'Last Confirmed'))
      value = Utilities.parseDate(text, zone, DATE_PATTERN);
    row[cols[field]] = value;
  }
}

function digestOf(row: readonly Cell[], cols: Columns, fields: readonly string[]): string {
  return sha256Hex(cellsText(fields.map((f) => asText(row[cols[f]]))));
}

/**
 * Seals a row as it will be written, and returns the audit record that carries its snapshot.
 * `seq` is that record's sequence number in the chain.
 */
export function sealRow(s: Sealer, row: Cell[], cols: Columns, seq: number): AuditEntry {
  const id = asText(row[cols['ID']]);
  const body: SealBody = {
    v: SEAL_VERSION,
    k: s.keyId,
    s: s.spreadsheetId,
    t: REGISTRY.name,
    id,
    q: seq,
    o: ownedTexts(row, cols, s.zone),
    i: digestOf(row, cols, DECISION_INPUTS),
    p: digestOf(row, cols, INPUT_FIELDS),
  };
  const text = makeSeal(body, s.mac);
  row[cols['Seal']] = text;
  return {
    actor: SYSTEM_ACTOR,
    action: 'Sealed',
    registryId: id,
    field: 'Seal',
    oldValue: '',
    newValue: text,
  };
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
): void {
  const base = auditEntryCount();
  for (const i of indices) {
    if (asText(block[i][cols['ID']]).trim() === '') continue;
    audit.push(sealRow(s, block[i], cols, base + audit.length + 1));
  }
}

export function sealOf(s: Sealer, text: string): SealBody | null {
  return readSeal(text, s.mac, { spreadsheetId: s.spreadsheetId, sheet: REGISTRY.name });
}

/** The owned fields of a row that disagree with its seal. */
export function disagreeing(
  s: Sealer,
  seal: SealBody,
  row: readonly Cell[],
  cols: Columns,
): string[] {
  return tamperedFields(seal, ownedTexts(row, cols, s.zone));
}

/** The latest authentic snapshot of an entry's seal in the audit log, if any. */
export function latestSnapshot(ss: Spreadsheet, s: Sealer, id: string): SealBody | null {
  for (const text of latestRecorded(ss, 'Sealed', id)) {
    const seal = sealOf(s, text);
    if (seal && seal.id === id) return seal;
  }
  return null;
}

/**
 * Registry rows whose owned cells disagree with their seal, or that carry owned values without
 * an authentic seal: what no trigger saw (another script, the Sheets API, an edit while the
 * add-on was off). The daily check hands them to the edit processor, which puts them back.
 */
export function rowsOutOfSeal(
  s: Sealer,
  rows: readonly (readonly Cell[])[],
  cols: Columns,
): number[] {
  const out: number[] = [];
  const seen = new Set<string>();
  rows.forEach((row, i) => {
    const seal = sealOf(s, asText(row[cols['Seal']]));
    const owned = ownedTexts(row, cols, s.zone);
    const bad = seal
      ? seen.has(seal.id) || tamperedFields(seal, owned).length > 0
      : SEALED_FIELDS.some((f) => owned[f] !== '') || asText(row[cols['Seal']]) !== '';
    if (seal) seen.add(seal.id);
    if (bad) out.push(i + 2);
  });
  return out;
}

/**
 * Seals the rows of a v1 registry as they are, once, right after its verified log was
 * re-anchored (DESIGN §10's migration): from then on they are guarded like every other row.
 */
export function sealExistingRows(ss: Spreadsheet, now: Date): number {
  const registry = readTable(ss, REGISTRY);
  if (!registry || registry.rows.length === 0) return 0;
  const s = sealer(ss);
  const cols = registry.columns;
  const block = registry.rows.map((r) => r.slice());
  const indices = block
    .map((row, i) =>
      asText(row[cols['ID']]) !== '' && !sealOf(s, asText(row[cols['Seal']])) ? i : -1,
    )
    .filter((i) => i >= 0);
  if (indices.length === 0) return 0;
  const audit: AuditEntry[] = [];
  sealRows(s, block, indices, cols, audit);
  writeRows(registry, 2, block);
  appendAudit(ss, audit, now);
  return indices.length;
}
