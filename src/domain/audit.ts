/**
 * The Audit Log's hash chain (DESIGN §2): each row's Hash is SHA-256 over the previous row's
 * hash and this row's content, so editing, inserting or deleting any row breaks every hash
 * after it. Hashing itself is injected: Utilities.computeDigest in Apps Script, node:crypto in
 * tests.
 */
export interface AuditRecord {
  /** ISO 8601 in UTC, whole seconds: what the Timestamp cell holds, independent of display. */
  timestamp: string;
  actor: string;
  action: string;
  registryId: string;
  field: string;
  oldValue: string;
  newValue: string;
}

export type Hasher = (text: string) => string;

/** The hash before the first row. */
export const GENESIS = '';

export function auditPayload(previousHash: string, r: AuditRecord): string {
  return `${previousHash}\n${JSON.stringify([r.timestamp, r.actor, r.action, r.registryId, r.field, r.oldValue, r.newValue])}`;
}

/** Chains new records onto `head`; returns each with its hash. */
export function chain(
  head: string,
  records: readonly AuditRecord[],
  hash: Hasher,
): { record: AuditRecord; hash: string }[] {
  let previous = head;
  return records.map((record) => {
    previous = hash(auditPayload(previous, record));
    return { record, hash: previous };
  });
}

export type ChainCheck =
  { ok: true; rows: number; head: string } | { ok: false; rows: number; brokenAt: number };

/** Recomputes the chain; `brokenAt` is the 0-based index of the first row whose hash is wrong. */
export function verifyChain(
  rows: readonly { record: AuditRecord; hash: string }[],
  hash: Hasher,
): ChainCheck {
  let previous = GENESIS;
  for (let i = 0; i < rows.length; i++) {
    const expected = hash(auditPayload(previous, rows[i].record));
    if (expected !== rows[i].hash) return { ok: false, rows: rows.length, brokenAt: i };
    previous = expected;
  }
  return { ok: true, rows: rows.length, head: previous };
}

/** Hex from the signed bytes Utilities.computeDigest returns. */
export function hexOfSignedBytes(bytes: readonly number[]): string {
  return bytes.map((b) => (b & 0xff).toString(16).padStart(2, '0')).join('');
}
