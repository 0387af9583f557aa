/**
 * Row seals (DESIGN §6, §6.1). Every row the add-on writes carries, in a hidden `Seal` cell,
 * what the add-on decided for it (its owned values as text), digests of the inputs the
 * decision used and of all people-filled cells, and where it was sealed (format version, key
 * ID, spreadsheet, sheet, entry ID, the sequence number of the audit record that sealed it),
 * signed with HMAC-SHA256 under the registry's key. A cell that disagrees with its row's seal
 * was changed by someone else, however the change arrived, and is put back from the seal.
 * Hashing and MACs are injected, so the rules run the same in Node and in Apps Script.
 */
import { canonicalText, type Mac } from './audit';

export const SEAL_VERSION = 1;

export interface SealBody {
  v: number;
  /** Key ID. */
  k: string;
  /** Spreadsheet ID: a seal is valid only in its own registry. */
  s: string;
  /** Sheet name. */
  t: string;
  /** Entry ID: a seal is valid only for its own ID. */
  id: string;
  /** Sequence number of the audit record that carries this seal (the row's snapshot). */
  q: number;
  /** The add-on-owned values, as text. */
  o: Record<string, string>;
  /** Digest of the inputs the decision used. */
  i: string;
  /** Digest of every people-filled cell of the row. */
  p: string;
}

/** The text that is signed: fixed key order, so the same body always signs the same. */
export function sealPayload(body: SealBody): string {
  const owned = Object.keys(body.o)
    .sort()
    .map((k) => [k, body.o[k]]);
  return JSON.stringify([body.v, body.k, body.s, body.t, body.id, body.q, owned, body.i, body.p]);
}

/** The cell text of a seal. */
export function makeSeal(body: SealBody, mac: Mac): string {
  return JSON.stringify({ ...body, m: mac(sealPayload(body)) });
}

/**
 * The seal in a cell, if it is authentic and made for this spreadsheet and sheet; otherwise
 * null (blank, hand-made, forged, from another registry or another sheet).
 */
export function readSeal(
  text: string,
  mac: Mac,
  where: { spreadsheetId: string; sheet: string },
): SealBody | null {
  const raw = canonicalText(text.trim());
  if (!raw.startsWith('{')) return null;
  let parsed: unknown;
  try {
    parsed = JSON.parse(raw);
  } catch {
    return null;
  }
  if (typeof parsed !== 'object' || parsed === null) return null;
  const p = parsed as Record<string, unknown>;
  const strings = (o: unknown) =>
    typeof o === 'object' &&
    o !== null &&
    Object.values(o as Record<string, unknown>).every((v) => typeof v === 'string');
  if (
    p.v !== SEAL_VERSION ||
    typeof p.k !== 'string' ||
    typeof p.s !== 'string' ||
    typeof p.t !== 'string' ||
    typeof p.id !== 'string' ||
    typeof p.q !== 'number' ||
    !strings(p.o) ||
    typeof p.i !== 'string' ||
    typeof p.p !== 'string' ||
    typeof p.m !== 'string'
  )
    return null;
  const body: SealBody = {
    v: p.v,
    k: p.k,
    s: p.s,
    t: p.t,
    id: p.id,
    q: p.q,
    o: p.o as Record<string, string>,
    i: p.i,
    p: p.p,
  };
  if (mac(sealPayload(body)) !== p.m) return null;
  if (body.s !== where.spreadsheetId || body.t !== where.sheet) return null;
  return body;
}

/** Owned fields whose text differs from the seal's (what must be put back). */
export function tamperedFields(
  seal: SealBody,
  current: Readonly<Record<string, string>>,
): string[] {
  return Object.keys(seal.o).filter(
    (k) => canonicalText(current[k] ?? '') !== canonicalText(seal.o[k]),
  );
}

/** The canonical text digested for a set of cells (apostrophe-neutral, order fixed). */
export function cellsText(values: readonly string[]): string {
  return JSON.stringify(values.map((v) => canonicalText(v.trim())));
}
