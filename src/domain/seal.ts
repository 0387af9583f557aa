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
  /**
   * A short fingerprint of each people-filled cell (Registry rows): a partial sort shows as
   * rows whose cells carry other rows' fingerprints, and is undone from them (DESIGN §6.1).
   */
  c?: Record<string, string>;
  /**
   * Registry rows: the creator at registration, then the co-owners (DESIGN §6.1). With the
   * sealed Registered By they are the entry's owners: who may confirm or decommission it and
   * who gets its mail. Typing another Creator Email later changes none of them.
   */
  w?: string[];
  /**
   * Registry rows: former owners the security team marked as gone (issue 17). They stay in the
   * record (who registered or created the entry is history) but own nothing any more.
   */
  x?: string[];
  /**
   * Registry rows: people who co-owned the entry before and were removed (issue 17). They own
   * nothing, but may not review it: dropping a co-ownership does not clear a conflict.
   */
  r?: string[];
}

/** The owners of a sealed Registry entry, lower case, each once: without the former ones. */
export function ownersOf(seal: SealBody): string[] {
  const gone = new Set((seal.x ?? []).map((e) => e.trim().toLowerCase()));
  const all = [seal.o['Registered By'] ?? '', ...(seal.w ?? [])]
    .map((e) => e.trim().toLowerCase())
    .filter((e) => /^[^@\s]+@[^@\s]+\.[^@\s]+$/.test(e) && !gone.has(e));
  return [...new Set(all)];
}

/** The co-owners of a sealed Registry entry (its owners after the creator), without former ones. */
export function coOwnersOf(seal: SealBody): string[] {
  const gone = new Set((seal.x ?? []).map((e) => e.trim().toLowerCase()));
  return (seal.w ?? []).slice(1).filter((e) => !gone.has(e.trim().toLowerCase()));
}

/** The text that is signed: fixed key order, so the same body always signs the same. */
export function sealPayload(body: SealBody): string {
  const owned = Object.keys(body.o)
    .sort()
    .map((k) => [k, body.o[k]]);
  const fields: unknown[] = [
    body.v,
    body.k,
    body.s,
    body.t,
    body.id,
    body.q,
    owned,
    body.i,
    body.p,
  ];
  if (body.c) {
    const cells = Object.keys(body.c)
      .sort()
      .map((k) => [k, body.c![k]]);
    fields.push(cells);
  }
  if (body.w) fields.push(['w', ...body.w]);
  if (body.x) fields.push(['x', ...body.x]);
  if (body.r) fields.push(['r', ...body.r]);
  return JSON.stringify(fields);
}

/**
 * A cell's fingerprint (FNV-1a, 32 bits, over its canonical text): cheap enough for every
 * cell of a large paste. It only locates moved cells; the seal's MAC is what makes it
 * authentic.
 */
export function fingerprint(value: string): string {
  const text = canonicalText(value.trim());
  // A whole sheet's cells pass through here each hour: the loop keeps to locals and 32-bit
  // integers (a global lookup per character cost 17× in a fresh context).
  const imul = Math.imul;
  let h = 0x811c9dc5 | 0;
  for (let i = 0, n = text.length; i < n; i++) h = imul(h ^ text.charCodeAt(i), 0x01000193);
  return (h >>> 0).toString(16).padStart(8, '0');
}

/** A cell of one row that a partial sort moved, and the row of the block that now holds it. */
export interface Move {
  row: number;
  field: string;
  from: number;
}

/**
 * Finds a partial sort in a block of rows: for each people field, the rows whose cell no
 * longer matches their seal's fingerprint, when every one of them finds its sealed value in
 * another of those rows (a permutation), moved rather than edited. Cells typed anew match
 * no other row's fingerprint, so an honest multi-row edit is never taken for a sort; two
 * values swapped in a single column count as an edit (they may well have been typed).
 * `sealed[i]` is row i's sealed fingerprints (null: no seal), `current[i]` its cells'.
 */
export function partialSortMoves(
  sealed: readonly (Readonly<Record<string, string>> | null | undefined)[],
  current: readonly Readonly<Record<string, string>>[],
  fields: readonly string[],
): Move[] {
  const byField: Move[][] = [];
  for (const field of fields) {
    const moved = current
      .map((_, i) => i)
      .filter((i) => {
        const want = sealed[i]?.[field];
        return want !== undefined && want !== current[i][field];
      });
    if (moved.length < 2) continue;
    const free = new Set(moved);
    const found: Move[] = [];
    for (const i of moved) {
      const want = sealed[i]![field];
      const j = moved.find((k) => k !== i && free.has(k) && current[k][field] === want);
      if (j === undefined) break;
      free.delete(j);
      found.push({ row: i, field, from: j });
    }
    if (found.length === moved.length) byField.push(found);
  }
  // Two values swapped in one column may as well be typed: a sort moves three or more rows,
  // or several columns the same way.
  const order = (list: Move[]) => list.map((m) => `${m.row}<${m.from}`).join(',');
  return byField
    .filter(
      (list) =>
        list.length >= 3 || byField.some((other) => other !== list && order(other) === order(list)),
    )
    .flat();
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
  /** The MAC of the key a seal names, or null when that key is not accepted here. */
  macFor: (keyId: string) => Mac | null,
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
    typeof p.m !== 'string' ||
    (p.c !== undefined && !strings(p.c)) ||
    (p.w !== undefined && !(Array.isArray(p.w) && p.w.every((e) => typeof e === 'string'))) ||
    (p.x !== undefined && !(Array.isArray(p.x) && p.x.every((e) => typeof e === 'string'))) ||
    (p.r !== undefined && !(Array.isArray(p.r) && p.r.every((e) => typeof e === 'string')))
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
    ...(p.c !== undefined ? { c: p.c as Record<string, string> } : {}),
    ...(p.w !== undefined ? { w: p.w as string[] } : {}),
    ...(p.x !== undefined ? { x: p.x as string[] } : {}),
    ...(p.r !== undefined ? { r: p.r as string[] } : {}),
  };
  // `unverified`: the caller only wants to compare the body with the cells (cheap); a row
  // that agrees is verified on another pass, one that does not is verified before anything.
  if (macFor !== UNVERIFIED) {
    const mac = macFor(body.k);
    if (!mac || mac(sealPayload(body)) !== p.m) return null;
  }
  if (body.s !== where.spreadsheetId || body.t !== where.sheet) return null;
  return withLaterColumns(body);
}

/**
 * A seal made before a column existed says what that column holds all the same (issue 17):
 * a Registry row's Co-owners are its sealed co-owners, a review made before assignment was
 * assigned to nobody. Added after the MAC is checked (the signed text is as it was made), so
 * the new columns are guarded on old rows too, and filled from the seal when they are added.
 */
function withLaterColumns(body: SealBody): SealBody {
  if (body.t === 'Registry' && body.o['Co-owners'] === undefined)
    body.o['Co-owners'] = body.w ? coOwnersOf(body).join(', ') : '';
  if (body.t === 'Reviews' && body.o['Assigned To'] === undefined) body.o['Assigned To'] = '';
  return body;
}

/** Pass as `macFor` to read a seal's body without checking its MAC (never to trust it). */
export const UNVERIFIED = (): Mac | null => null;

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
