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
  /**
   * The sealed row as it was written (DESIGN §6.1), on the event's own row: one audit row per
   * event, not one more for the snapshot. Empty on most rows and on every row written before.
   */
  snapshot?: string;
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

// ---------------------------------------------------------------- v2: the keyed chain

/**
 * Trust model v2 (DESIGN §6): each row's Hash is an HMAC-SHA256, under the registry's key,
 * over the previous row's MAC, the row's sequence number and its content. Without the key
 * nobody can forge a row, reorder rows or replace the log; the head (row count and last MAC),
 * kept outside the spreadsheet, catches truncation. MACs are injected (HMAC in Apps Script).
 */
export type Mac = (text: string) => string;

export interface ChainHead {
  /** Data rows in the chain (v1 rows included). */
  count: number;
  mac: string;
}

/** Where a v1 log was re-anchored: its first `count` rows are a SHA-256 chain ending in `v1Head`. */
export interface ChainAnchor {
  count: number;
  v1Head: string;
}

/**
 * The value a cell held before neutralising: a leading apostrophe that protects a formula-like
 * text is the add-on's, not the person's. Sheets may or may not show it when the cell is read
 * back (DESIGN §6), so MACs are computed over this form and both readings verify.
 */
export function canonicalText(value: string): string {
  return value.startsWith("'") && /^[=+\-@\t\r]/.test(value.slice(1)) ? value.slice(1) : value;
}

export function macPayload(previous: string, seq: number, r: AuditRecord): string {
  const fields = [r.timestamp, r.actor, r.action, r.registryId, r.field, r.oldValue, r.newValue];
  // A row's snapshot is chained with it; a row without one chains as rows always have.
  if (r.snapshot) fields.push(r.snapshot);
  return `${previous}\n${seq}\n${JSON.stringify(fields.map(canonicalText))}`;
}

/** Chains new records after `head`; returns each with its sequence number and MAC. */
export function chainKeyed(
  head: ChainHead,
  records: readonly AuditRecord[],
  mac: Mac,
): { record: AuditRecord; seq: number; mac: string }[] {
  let previous = head.mac;
  return records.map((record, i) => {
    const seq = head.count + i + 1;
    previous = mac(macPayload(previous, seq, record));
    return { record, seq, mac: previous };
  });
}

export type KeyedCheck =
  | { ok: true; rows: number; head: ChainHead }
  | { ok: false; rows: number; brokenAt: number; reason: string };

/**
 * Verifies rows `first..` of the log (0-based index `first` is sequence number first + 1)
 * against the MAC of the row before them (`previous`), then the whole against the head on
 * record. `pending` is a head written before an append whose commit did not happen (the
 * execution was killed in between): the log may end there without being tampered with.
 */
export function verifyKeyed(
  rows: readonly { record: AuditRecord; hash: string }[],
  first: number,
  previous: string,
  head: ChainHead,
  /** The MAC for entry `seq` (a key rotation changes the key after a given entry). */
  mac: (text: string, seq: number) => string,
  /**
   * Entries past the head on record are taken when every one verifies and the recorded head
   * is where they start: an append whose commit was lost (only the key makes such rows).
   */
  adoptTail = false,
): KeyedCheck {
  let prev = previous;
  // The MAC the chain has at the recorded head's entry, once the rows reach it.
  let atHead = head.count === first ? previous : null;
  const total = first + rows.length;
  for (let i = 0; i < rows.length; i++) {
    const seq = first + i + 1;
    const expected = mac(macPayload(prev, seq, rows[i].record), seq);
    if (expected !== rows[i].hash) {
      return {
        ok: false,
        rows: total,
        brokenAt: first + i,
        reason:
          seq > head.count
            ? 'a row was added by hand after the last recorded entry'
            : 'a row was changed, moved or replaced',
      };
    }
    prev = expected;
    if (seq === head.count) atHead = expected;
  }
  if (total === head.count && prev === head.mac) return { ok: true, rows: total, head };
  if (adoptTail && total > head.count && atHead === head.mac)
    return { ok: true, rows: total, head: { count: total, mac: prev } };
  if (total < head.count) {
    return {
      ok: false,
      rows: total,
      brokenAt: total,
      reason: `the log ends at entry ${total} but ${head.count} were recorded: rows were removed`,
    };
  }
  return {
    ok: false,
    rows: total,
    brokenAt: Math.min(total, head.count),
    reason: 'the log does not end where the recorded head says it does',
  };
}

/**
 * The older entries verified in one pass: at least this many, and at least a seventh of the
 * log, so every entry is verified within a week however long the log grows (issue 14).
 */
export const ROLLING_MIN = 5000;
/** At most this many entries past the checkpoint are verified in one pass (catching up). */
export const CATCH_UP_MAX = 20000;
/** A pass asked for in full (the menu) verifies everything up to this many older entries. */
export const FULL_MAX = 20000;

/** Where the rolling pass over the older entries goes on. */
export interface RollingPass {
  /** The next entry index (0-based) to verify. */
  next: number;
  /** When the current round started (ms). */
  since: number;
}

/**
 * The stretch of older entries [a, b) (0-based indices) one daily pass verifies, between the
 * chain's start and the checkpoint `from` (entries after it are verified every pass anyway),
 * and where the pass stands afterwards. A pass asked for in full covers everything when that
 * is at most FULL_MAX entries. A state that no longer fits the log starts a new round.
 */
export function planRollingPass(
  state: RollingPass | null,
  start: number,
  from: number,
  now: number,
  full = false,
): { a: number; b: number; round: RollingPass } {
  const older = Math.max(0, from - start);
  const stretch = full && older <= FULL_MAX ? older : Math.max(ROLLING_MIN, Math.ceil(older / 7));
  const current =
    state &&
    Number.isInteger(state.next) &&
    Number.isFinite(state.since) &&
    state.next >= start &&
    state.next < from
      ? state
      : { next: start, since: now };
  const a = current.next;
  const b = Math.min(from, a + stretch);
  return {
    a,
    b,
    round: b >= from ? { next: start, since: now } : { next: b, since: current.since },
  };
}
