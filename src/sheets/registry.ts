import { IMPORTED_BY } from '../domain/inventory';
import { observeDateOldValue } from './selftest';
import { registryProperties } from '../services/store';
import { addBusinessDays } from '../domain/calendar';
import {
  INPUT_FIELDS,
  isBlank,
  normaliseDeploymentStatus,
  validateEntry,
  type InputField,
  type RawEntry,
} from '../domain/entry';
import { formatId, parseId } from '../domain/ids';
import { fingerprint, ownersOf, partialSortMoves, type SealBody } from '../domain/seal';
import { neutralise } from '../domain/injection';
import { decideApproval, type ReviewState } from '../domain/policy';
import { approvalExpiry, approvalPhase, assignReviewer } from '../domain/lifecycle';
import { normaliseTier, tierLevel } from '../domain/tiers';
import {
  DATE_PATTERN,
  REGISTRY,
  REVIEW_STATUSES,
  isWaitingReview,
  REVIEWS,
  type ReviewStatus,
} from '../domain/schema';
import type { Settings } from '../domain/settings';
import type { EntrySummary, RegistryEvent } from '../domain/slack';
import { appendAudit, SYSTEM_ACTOR, type AuditEntry } from './audit-log';
import { asText, isDate, readCatalog, readDataStores } from './catalog';
import { growFormatted, HEADROOM, keepFormatted } from './column-formats';
import {
  changedRuns,
  findRows,
  formulasFound,
  readColumn,
  readLayout,
  readRowsAt,
  readTable,
  recordOf,
  writeRows,
  type Cell,
  type Layout,
  type Table,
  writeChanged,
  wrote,
} from './table';
import {
  disagreeing,
  fingerprints,
  followSeals,
  inputsDigest,
  latestSnapshots,
  REGISTRY_SEAL,
  ownedTexts,
  restoreOwned,
  sealer,
  sealOf,
  SEALED_FIELDS,
  sealRows,
  REVIEWS_SEAL,
  type Sealer,
  reviewConflicts,
  rowOwners,
} from './seals';

type Spreadsheet = GoogleAppsScript.Spreadsheet.Spreadsheet;

/** The longest Checks cell the add-on writes. */
const CHECKS_MAX = 3000;

/** Decisions on Tier 3 and 4 entries a settings change may not weaken into Needs Info. */
const HELD_DECISIONS = new Set([
  'Approved',
  'In Review',
  'Review Overdue',
  'Changes Requested',
  'Rejected',
  'Blocked',
  'Re-review Due',
]);

/** Inputs whose change voids a Tier 3 decision (DESIGN §3). */
const REVIEW_INPUTS: readonly InputField[] = ['Data Tier', 'Data Stores', 'AI Tool'];

export const COUNTER = { registry: 'nextRegistryId', review: 'nextReviewId' } as const;

/** What Sheets tells the trigger about one edit. */
export interface EditInfo {
  user: string;
  row: number;
  column: number;
  numRows: number;
  numColumns: number;
  /** Only for a single-cell edit; undefined when the cell was empty. */
  oldValue?: string;
  value?: string;
  /**
   * Who changed the rows: a person editing cells (the default: owned cells are guarded), the
   * sidebar writing a new row, a review decision, or the system re-deciding waiting rows.
   */
  source?: 'person' | 'sidebar' | 'review' | 'system' | 'import';
  /**
   * An inventory import (issue 18): per sheet row, where the row came from and the date the
   * inventory first recorded it. Its registration is logged `Imported` with both.
   */
  imported?: ReadonlyMap<number, { origin: string; firstRecorded: string }>;
  /** Exactly these sheet rows, instead of the range (the daily sweep re-decides scattered rows). */
  rows?: readonly number[];
  /** An edit queued while the registry was busy: what Sheets reported then no longer holds. */
  replayed?: boolean;
  /** For the system: who findings are attributed to (which sweep found them). */
  actor?: string;
  /**
   * What the caller recorded for this change and has not appended (a review decision): it
   * goes first into the edit's own append, one batch for both (none if the edit stops early).
   */
  auditBefore?: readonly AuditEntry[];
}

/** A decided row as a person is told about it. */
export interface RowResult {
  row: number;
  id: string;
  approval: string;
  checks: string[];
  /** yyyy-MM-dd, for Tier 3 entries. */
  reviewDue: string | null;
}

export interface EditOutcome {
  rowsDecided: number;
  /** Rows whose people's cells a partial sort had moved, put back. */
  sortsUndone: number;
  events: RegistryEvent[];
  rows: RowResult[];
}

function localDate(date: Date, tz: string): string {
  return Utilities.formatDate(date, tz, DATE_PATTERN);
}

function dateAt(isoDate: string, tz: string): Date {
  return Utilities.parseDate(isoDate, tz, DATE_PATTERN);
}

/** How the Notes of a re-review begin (written by the add-on when it opens one). */
const REREVIEW_NOTE = /^\[\d{4}-\d{2}-\d{2}\] Re-review: /;

interface ReviewRow {
  reviewId: string;
  registryId: string;
  status: ReviewStatus;
  due: string;
  threatModel: string;
  /** yyyy-MM-dd, '' while undecided. */
  decided: string;
  reviewer: string;
  assignedTo: string;
  /** A Re-review Due: the day the approval expired (the re-review opened that day). */
  expired?: string;
  /** A re-review: the notes line that says why it opened. */
  note?: string;
}

function reviewsOf(table: Table | null, tz: string): ReviewRow[] {
  if (!table) return [];
  return table.rows.map((row) => {
    const r = recordOf(table, row);
    const status = asText(r['Status']).trim();
    const due = r['Due'];
    const decided = r['Decided'];
    const opened = r['Opened'];
    return {
      reviewId: asText(r['Review ID']),
      registryId: asText(r['Registry ID']).trim(),
      status: ((REVIEW_STATUSES as readonly string[]).includes(status)
        ? status
        : 'Open') as ReviewStatus,
      due: isDate(due) ? localDate(due, tz) : asText(due),
      threatModel: asText(r['Threat Model']).trim(),
      decided: isDate(decided) ? localDate(decided, tz) : '',
      reviewer: asText(r['Reviewer']).trim(),
      assignedTo: asText(r['Assigned To']).trim(),
      ...(status === 'Re-review Due' && isDate(opened) ? { expired: localDate(opened, tz) } : {}),
      // A re-review's Notes start with the add-on's own line saying so (Reviews is sealed).
      ...(REREVIEW_NOTE.test(asText(r['Notes'])) ? { reReview: true } : {}),
    };
  });
}

/** Each entry's latest review: the highest Review ID, whatever the rows' order. */
export function latestById<T extends { reviewId: string; registryId: string }>(
  list: readonly T[],
): Map<string, T> {
  const out = new Map<string, T>();
  for (const r of list) {
    const was = out.get(r.registryId);
    if (!was || (parseId('R', r.reviewId) ?? -1) >= (parseId('R', was.reviewId) ?? -1))
      out.set(r.registryId, r);
  }
  return out;
}

/** Past this many entries, an edit reads the Reviews sheet whole rather than search it. */
const REVIEW_SEARCH_LIMIT = 20;

/**
 * The Reviews rows of some entries: found by a search of the Registry ID column (a call per
 * entry, no rows read), then those rows (near ones in one read); many entries read the sheet
 * whole instead.
 */
function reviewsOfEntries(ss: Spreadsheet, ids: ReadonlySet<string>): Table | null {
  if (ids.size > REVIEW_SEARCH_LIMIT) return readTable(ss, REVIEWS);
  const layout = readLayout(ss, REVIEWS);
  if (!layout) return null;
  const column = layout.columns['Registry ID'] + 1;
  const numbers = [
    ...new Set([...ids].flatMap((id) => findRows(layout.sheet, column, layout.lastRow, id))),
  ].sort((a, b) => a - b);
  return readRowsAt(layout, numbers);
}

/** The counter for the next ID: never below anything already in the sheet, never reused. */
function nextNumber(stored: string | null, existing: readonly (number | null)[]): number {
  const fromProps = Number(stored);
  const highest = Math.max(0, ...existing.filter((n): n is number => n !== null));
  return Math.max(Number.isInteger(fromProps) ? fromProps : 1, highest + 1);
}

/**
 * A partial sort (a range of some columns sorted on its own) moves people's cells between
 * rows, so each entry would be re-decided on another entry's inputs. The seals' fingerprints
 * show it (DESIGN §6.1): every moved cell is put back into its own row, before anything is
 * decided. Returns, by block index, the fields put back.
 */
function undoPartialSort(
  block: Cell[][],
  seals: readonly (SealBody | null)[],
  cols: Readonly<Record<string, number>>,
  inEdit: (i: number) => boolean,
  source: string,
): Map<number, string[]> {
  const out = new Map<number, string[]>();
  if (source !== 'person' && source !== 'system') return out;
  const moves = partialSortMoves(
    block.map((_, i) => (inEdit(i) ? seals[i]?.c : null)),
    block.map((row) => fingerprints(row, cols, INPUT_FIELDS)),
    INPUT_FIELDS,
  );
  const before = block.map((row) => row.slice());
  for (const move of moves) {
    block[move.row][cols[move.field]] = before[move.from][cols[move.field]];
    out.set(move.row, [...(out.get(move.row) ?? []), move.field]);
  }
  return out;
}

const FOLDED = new Set([
  'Pasted',
  'Imported (incomplete)',
  'Registered via sidebar',
  'ID assigned',
  'Decision',
  'Corrected',
]);

/**
 * Replaces the entries a new registration produced (the paste, the ID, the first decision, the
 * canonical words) by one `Registered` entry where the first of them stood; what Governed Path
 * corrected is kept in its Old Value. Tampering, claims and reviews stay entries of their own.
 */
function foldRegistration(rowAudit: AuditEntry[], registered: AuditEntry): void {
  const folded = rowAudit.filter(
    (a) =>
      FOLDED.has(a.action) &&
      !((a.action === 'ID assigned' || a.action === 'Decision') && a.oldValue !== ''),
  );
  const corrections = folded
    .filter((a) => a.action === 'Corrected')
    .map((a) => `${a.field}: ${a.oldValue} → ${a.newValue}`);
  const entry = {
    ...registered,
    oldValue: corrections.length > 0 ? `as typed: ${corrections.join('; ')}` : '',
  };
  const at = folded.length > 0 ? rowAudit.indexOf(folded[0]) : rowAudit.length;
  const kept = rowAudit.filter((a) => !folded.includes(a));
  kept.splice(Math.min(at, kept.length), 0, entry);
  rowAudit.splice(0, rowAudit.length, ...kept);
}

/**
 * Decides the registry rows an edit touched: assigns IDs, validates, applies the policy,
 * opens Tier 3 reviews, reverts people's changes to add-on-owned cells, and writes everything
 * back in one batch per sheet (Registry, Reviews, Audit Log), whatever the registry's size.
 */
export function processRegistryEdit(
  ss: Spreadsheet,
  edit: EditInfo,
  settings: Settings,
  now: Date,
  /**
   * The whole Registry and Reviews, when the caller has read them (the daily sweeps): then
   * rows waiting for a decision anywhere are decided too. Otherwise only the edited rows, the
   * header and what they need are read (an edit costs the same at any registry size).
   */
  whole?: { registry: Table; reviews?: Table | null },
  /**
   * The Registry's layout when the caller has just read it and written the edited rows itself
   * as neutralised text (the sidebar's registration): not read again, and no formula to look
   * for in those rows.
   */
  written?: Layout & {
    /** The edited rows as the caller read them (and wrote them, if it did): not read again. */
    rows?: readonly (readonly Cell[])[];
    /** Every Reviews row of the edited entries, as they stand, when the caller has them. */
    reviews?: Table;
  },
): EditOutcome {
  const outcome: EditOutcome = { rowsDecided: 0, sortsUndone: 0, events: [], rows: [] };
  const source = edit.source ?? 'person';
  const layout = whole ? whole.registry : (written ?? readLayout(ss, REGISTRY));
  if (!layout) return outcome; // not set up: "Set up or repair registry" says so
  const tz = settings.timeZone;
  const today = localDate(now, tz);
  const sheet = layout.sheet;
  const cols = layout.columns;
  const lastRow = whole ? whole.registry.rows.length + 1 : (layout as Layout).lastRow;

  // The edited rows, plus (with the whole sheet at hand) any row an earlier edit could not
  // decide: content without an ID or an Approval.
  const explicit = edit.rows ? new Set(edit.rows.filter((r) => r >= 2 && r <= lastRow)) : null;
  const editFirst = explicit ? Math.min(Infinity, ...explicit) : Math.max(2, edit.row);
  const editLast = explicit
    ? Math.max(-Infinity, ...explicit)
    : Math.min(edit.row + edit.numRows - 1, lastRow);
  const inEdit = (rowNumber: number) =>
    explicit ? explicit.has(rowNumber) : rowNumber >= editFirst && rowNumber <= editLast;
  const undecided = whole
    ? whole.registry.rows
        .map((row, i) => ({ row, n: i + 2 }))
        .filter(({ row }) => {
          const hasInput = INPUT_FIELDS.some((f) => !isBlank(row[cols[f]] as RawEntry[InputField]));
          return (
            hasInput &&
            (asText(row[cols['ID']]).trim() === '' || asText(row[cols['Approval']]).trim() === '')
          );
        })
        .map(({ n }) => n)
    : [];
  const waiting = new Set(undecided);
  const rowsToDecide = [...undecided, ...(editFirst <= editLast ? [editFirst, editLast] : [])];
  if (rowsToDecide.length === 0) return outcome;
  const first = Math.min(...rowsToDecide);
  const last = Math.max(...rowsToDecide);

  const width = whole
    ? (whole.registry.rows[0]?.length ?? Math.max(...Object.values(cols)) + 1)
    : (layout as Layout).width;
  const sheetUrl = `${ss.getUrl()}#gid=${sheet.getSheetId()}`;
  const blockRange = sheet.getRange(first, 1, last - first + 1, width);
  const block = whole
    ? whole.registry.rows.slice(first - 2, last - 1).map((row) => row.slice())
    : written?.rows && written.rows.length === last - first + 1
      ? written.rows.map((row) => row.slice())
      : (blockRange.getValues() as Cell[][]);
  const original = block.map((row) => row.slice());
  // Formulas a person typed into inputs are kept as their text. An edit reads its block's; a
  // sweep (the whole sheet at hand) reads the input columns' only, and the rows it writes
  // read their own when written.
  const inputSpan = INPUT_FIELDS.map((f) => cols[f]);
  const spanFrom = Math.min(...inputSpan);
  const formulas: string[][] | null = whole
    ? null
    : written
      ? block.map((row) => row.map(() => ''))
      : blockRange.getFormulas();
  const inputFormulas = whole
    ? formulasFound(
        sheet,
        first,
        spanFrom + 1,
        last - first + 1,
        Math.max(...inputSpan) - spanFrom + 1,
      )
    : null;
  const formulaAt = (i: number, column: number): string =>
    formulas ? formulas[i][column] : (inputFormulas![i][column - spanFrom] ?? '');
  const registry: Table = {
    sheet,
    spec: REGISTRY,
    columns: cols,
    rows: whole?.registry.rows ?? [],
  };
  // The catalogs, read only when a row is decided anew (an edit of a Project name is not); the
  // Data Stores inventory only for an entry that names a data store (nothing else looks at it).
  let tools: ReturnType<typeof readCatalog> | null = null;
  let stores: ReturnType<typeof readDataStores> | null = null;
  const catalogFor = (named: readonly string[]) => ({
    tools: (tools ??= readCatalog(ss, tz)),
    stores: named.length > 0 ? (stores ??= readDataStores(ss)) : [],
  });
  // The entries' reviews: all of them with the whole sheet, else those of the block's IDs.
  const blockIds = new Set(
    block.map((row) => asText(row[cols['ID']]).trim()).filter((id) => parseId('AI', id) !== null),
  );
  // Read when first needed: an edit that decides nothing anew reads no review.
  let reviewState: { table: Table | null; latest: Map<string, ReviewRow> } | null = null;
  const reviewsNow = () => {
    if (reviewState) return reviewState;
    const table = whole
      ? whole.reviews === undefined
        ? readTable(ss, REVIEWS)
        : whole.reviews
      : (written?.reviews ?? reviewsOfEntries(ss, blockIds));
    const list = reviewsOf(table, tz);
    // A Review ID in the sheet is never issued again (the counter is read when one is issued).
    reviewSeen = list.reduce(
      (n, r) => Math.max(n, (parseId('R', r.reviewId) ?? 0) + 1),
      reviewSeen,
    );
    if (counterState) counterState.nextReview = Math.max(counterState.nextReview, reviewSeen);
    // The latest review of an entry is the one issued last (the highest Review ID, sealed),
    // wherever its row is: sorting Reviews moves rows, never which review counts.
    reviewState = { table, latest: latestById(list) };
    return reviewState;
  };
  const latestReview = {
    get: (id: string) => reviewsNow().latest.get(id),
    set: (id: string, review: ReviewRow) => reviewsNow().latest.set(id, review),
  };

  const NONE = new Set<string>();
  const editedInRow: Set<string> =
    source === 'person'
      ? new Set(
          Object.entries(cols)
            .filter(([, i]) => i + 1 >= edit.column && i + 1 < edit.column + edit.numColumns)
            .map(([header]) => header),
        )
      : source === 'sidebar' || source === 'import'
        ? new Set(INPUT_FIELDS)
        : new Set();
  const single = edit.numRows === 1 && edit.numColumns === 1 && !edit.replayed;
  if (single && edit.oldValue !== undefined) {
    // Someone typed over a date the add-on owns: what Sheets gave as oldValue settles one of
    // the platform's open questions for the self-test (a serial, or the text shown).
    const [header] = [...editedInRow];
    const kind = REGISTRY.columns.find((c) => c.header === header)?.kind;
    if (kind === 'date' || kind === 'timestamp') observeDateOldValue(edit.oldValue);
  }
  const actor = edit.user || 'unknown user';
  const audit: AuditEntry[] = [...(edit.auditBefore ?? [])];
  const newReviews: ReviewRow[] = [];
  const reopenedReviews: ReviewRow[] = [];
  const closedReviews: { review: ReviewRow; reason: string }[] = [];
  const revivedReviews: ReviewRow[] = [];

  const props = registryProperties();
  const sealing = sealer(ss);
  /** Registry IDs whose seal was verified in this block, by sheet row. */
  const claimed = new Map<string, number>();
  /** Block indices of the rows to seal. */
  const toSeal: number[] = [];
  /** The entries this batch reports, by their row in the block: their owners once sealed. */
  const summaries: { index: number; entry: EntrySummary }[] = [];
  // The ID counters, read when an ID or a review number is first needed: an edit that issues
  // neither (a renamed project) reads no counter. Without a counter on record (a registry
  // from before counters), the IDs in the sheet say where to go on: read once, never guessed.
  let counterState: {
    id: string | null;
    review: string | null;
    nextId: number;
    nextReview: number;
  } | null = null;
  /** One past the highest Review ID in the reviews read so far. */
  let reviewSeen = 0;
  const counters = () => {
    if (counterState) return counterState;
    const id = props.getProperty(COUNTER.registry);
    const review = props.getProperty(COUNTER.review);
    const nextId = nextNumber(
      id,
      (whole || id !== null
        ? registry.rows.map((r) => r[cols['ID']])
        : readColumn(sheet, cols['ID'] + 1, lastRow)
      ).map((v) => parseId('AI', v)),
    );
    let nextReview = Math.max(nextNumber(review, []), reviewSeen);
    if (review === null && !whole) {
      const reviews = readLayout(ss, REVIEWS);
      if (reviews)
        nextReview = nextNumber(
          null,
          readColumn(reviews.sheet, reviews.columns['Review ID'] + 1, reviews.lastRow).map((v) =>
            parseId('R', v),
          ),
        );
    }
    counterState = { id, review, nextId, nextReview };
    return counterState;
  };
  // IDs held by rows this edit does not decide: a decided row may not take one of them. Only
  // an edit that wrote IDs or seals can have copied one, so only then is the column read.
  const idsElsewhere = new Map<string, number>();
  const idColumn = whole
    ? whole.registry.rows.map((r) => r[cols['ID']])
    : editedInRow.has('ID') || editedInRow.has('Seal')
      ? readColumn(sheet, cols['ID'] + 1, lastRow)
      : [];
  idColumn.forEach((v, i) => {
    const id = asText(v).trim();
    if (id && !inEdit(i + 2) && !waiting.has(i + 2)) idsElsewhere.set(id, i + 2);
  });
  // The rows this run decides: only their seals are read (a MAC each until the log is trusted;
  // a block spans every row between the first and the last it decides).
  const decides = (i: number) => inEdit(first + i) || waiting.has(first + i);
  const seals = block.map((row, i) =>
    decides(i) ? sealOf(sealing, asText(row[cols['Seal']])) : null,
  );
  // Rows sorted without their hidden Seal column: the seals follow their rows.
  followSeals(sealing, block, seals, cols, REGISTRY_SEAL, (i) => inEdit(first + i));
  // A seal pasted into the Seal column may be an older authentic one (a replay from a copy or
  // the clipboard): only the latest for its ID counts (DESIGN §6.1). One read of the log.
  const replayed = new Set<number>();
  if (source === 'person' && editedInRow.has('Seal')) {
    const ids = new Set(seals.filter((x, i) => x && inEdit(first + i)).map((x) => x!.id));
    const latest = ids.size > 0 ? latestSnapshots(ss, sealing, ids, REGISTRY_SEAL) : new Map();
    seals.forEach((seal, i) => {
      const newest = seal && inEdit(first + i) ? latest.get(seal.id) : undefined;
      if (!seal || !newest || newest.seal.q <= seal.q) return;
      seals[i] = newest.seal;
      block[i][cols['Seal']] = newest.text;
      replayed.add(i);
    });
  }
  // Rows it decides with an issued ID and no authentic seal: their snapshots, in one read.
  const unsealedIds = new Set(
    block
      .filter(
        (row, i) =>
          decides(i) && !seals[i] && parseId('AI', asText(row[cols['ID']]).trim()) !== null,
      )
      .map((row) => asText(row[cols['ID']]).trim()),
  );
  const snapshots =
    unsealedIds.size > 0 ? latestSnapshots(ss, sealing, unsealedIds, REGISTRY_SEAL) : new Map();
  const sorted = undoPartialSort(block, seals, cols, (i) => inEdit(first + i), source);
  outcome.sortsUndone = sorted.size;
  const finder = edit.actor ?? 'unknown (found by the daily check)';

  block.forEach((row, i) => {
    const rowNumber = first + i;
    const edited = inEdit(rowNumber);
    if (!edited && !waiting.has(rowNumber)) return;
    const movedBack = sorted.get(i);
    const editedHeaders = !edited
      ? NONE
      : movedBack
        ? new Set([...editedInRow].filter((h) => !movedBack.includes(h)))
        : editedInRow;
    const rowAudit: AuditEntry[] = [];
    const rowEvents: Omit<RegistryEvent, 'entry'>[] = [];
    const get = (h: string) => row[cols[h]];
    const set = (h: string, v: Cell) => (row[cols[h]] = v);

    // What the add-on owns in this row is what its seal says, however the cells were changed
    // (typed, pasted, filled, dragged, moved). A copy of a row sealed elsewhere is a new entry;
    // a missing or forged seal on an issued ID is restored from the audit log's snapshot.
    const tamper = (field: string, attempted: string, restored: string) =>
      rowAudit.push({
        actor: source === 'system' ? finder : actor,
        action: 'Tampering reverted',
        registryId: asText(get('ID')) || restored,
        field,
        oldValue: restored,
        newValue: attempted,
      });
    let tampered = false;
    if (replayed.has(i)) {
      tamper('Seal', '(an older seal of this entry)', '(the latest, from the audit log)');
      tampered = true;
    }
    if (movedBack) {
      // A partial sort moved people's cells between rows: they are back; reported once.
      const firstMoved = Math.min(...sorted.keys()) === i;
      rowAudit.push({
        actor: source === 'system' ? finder : actor,
        action: firstMoved ? 'Tampering reverted' : 'Partial sort undone',
        registryId: seals[i]!.id,
        field: firstMoved
          ? `Partial sort of ${[...new Set([...sorted.values()].flat())].join(', ')} (${sorted.size} rows)`
          : movedBack.join(', '),
        oldValue: '(put back)',
        newValue: '(moved by a sort)',
      });
      tampered = tampered || firstMoved;
    }
    const cellId = asText(get('ID')).trim();
    let seal = seals[i];
    const claimedElsewhere = (sealId: string) =>
      (idsElsewhere.has(sealId) && idsElsewhere.get(sealId) !== rowNumber) ||
      (claimed.has(sealId) && claimed.get(sealId) !== rowNumber);
    if (!seal && (cellId !== '' || asText(get('Seal')) !== '')) {
      const snapshot =
        parseId('AI', cellId) !== null && !claimedElsewhere(cellId)
          ? (snapshots.get(cellId)?.seal ?? null)
          : null;
      if (snapshot) {
        seal = snapshot;
        // The authentic seal goes back into the cell: re-sealing keeps what it carries (owners).
        set('Seal', snapshots.get(cellId)!.text);
        tamper(
          'Seal',
          asText(get('Seal')) ? '(changed)' : '(cleared)',
          '(restored from the audit log)',
        );
        tampered = true;
      }
    }
    if (seal && claimedElsewhere(seal.id)) {
      // A duplicate (a copied or replayed row): it becomes a new entry with its own ID.
      rowAudit.push({
        actor,
        action: 'Duplicate row',
        registryId: seal.id,
        field: 'ID',
        oldValue: seal.id,
        newValue: `row ${rowNumber}`,
      });
      for (const field of [...SEALED_FIELDS, 'Seal']) set(field, '');
    } else if (seal) {
      const owned = ownedTexts(row, cols, sealing.zone);
      const fields = disagreeing(sealing, seal, row, cols);
      for (const field of fields) tamper(field, owned[field], seal.o[field]);
      if (fields.length > 0) {
        restoreOwned(row, cols, seal.o, sealing.zone, fields);
        tampered = true;
      }
      claimed.set(seal.id, rowNumber);
    } else {
      // No seal: owned values typed into a row the add-on never sealed are not the add-on's.
      const owned = ownedTexts(row, cols, sealing.zone);
      for (const field of SEALED_FIELDS) {
        if (owned[field] === '') continue;
        tamper(field, owned[field], '');
        set(field, '');
        tampered = true;
      }
    }

    // Inputs, with any formula a person typed kept as its text.
    const raw: RawEntry = {};
    const notes: string[] = [];
    for (const field of INPUT_FIELDS) {
      const formula = formulaAt(i, cols[field]);
      if (formula) {
        set(field, formula);
        notes.push(`${field} contained a formula; it is kept as plain text.`);
      }
      raw[field] = get(field) as RawEntry[InputField];
    }
    const blank = INPUT_FIELDS.every((f) => isBlank(raw[f]));
    let id = asText(get('ID')).trim();
    if (blank && !id) {
      audit.push(...rowAudit);
      return;
    }

    // Person-made changes to the inputs, for the audit log: one cell exactly (Sheets gives
    // its old value); a pasted new row as one summary; a paste over an existing row per field.
    // In a paste, a field whose text is what was sealed did not change (the same values).
    const sealedCells = seal?.c;
    const pastedFields = INPUT_FIELDS.filter(
      (f) =>
        editedHeaders.has(f) &&
        !(!single && sealedCells && sealedCells[f] === fingerprint(asText(get(f)))),
    );
    if (single && pastedFields.length === 1) {
      const field = pastedFields[0];
      rowAudit.push({
        actor,
        action: 'Edited',
        registryId: id,
        field,
        // A typed edit reports the new value (and the old one unless the cell was empty); a
        // one-cell paste or fill reports neither.
        oldValue: edit.oldValue ?? (edit.value === undefined ? '(not reported: pasted)' : ''),
        newValue: asText(get(field)),
      });
    } else if (pastedFields.length > 0 && id === '') {
      const summary = pastedFields.map((f) => `${f}: ${asText(get(f))}`).join('; ');
      rowAudit.push({
        actor,
        action:
          source === 'sidebar'
            ? 'Registered via sidebar'
            : source === 'import'
              ? 'Imported (incomplete)'
              : 'Pasted',
        registryId: '',
        field: 'New row',
        oldValue: '',
        newValue: summary,
      });
    } else {
      for (const field of pastedFields) {
        rowAudit.push({
          actor,
          action: 'Pasted',
          registryId: id,
          field,
          oldValue: '',
          newValue: asText(get(field)),
        });
      }
    }

    // Typing another address into Creator Email is a claim, not a transfer (DESIGN §6.1):
    // the owners stay as sealed; the claim is logged and shown to the security team.
    const claimant = asText(get('Creator Email')).trim().toLowerCase();
    if (
      seal?.w &&
      (seal.o['Registered'] ?? '') !== '' &&
      editedHeaders.has('Creator Email') &&
      claimant !== '' &&
      !ownersOf(seal).includes(claimant)
    ) {
      rowAudit.push({
        actor,
        action: 'Creator Email claim',
        registryId: seal.id,
        field: 'Creator Email',
        oldValue: ownersOf(seal).join(', '),
        newValue: claimant,
      });
      rowEvents.push({ type: 'claim', registryId: seal.id, detail: claimant });
    }

    // An ID for every row with content: sequential, unique, never reused.
    if (parseId('AI', id) === null || idsElsewhere.has(id)) {
      const previous = id;
      id = formatId('AI', counters().nextId++);
      set('ID', id);
      rowAudit.push({
        actor: SYSTEM_ACTOR,
        action: 'ID assigned',
        registryId: id,
        field: 'ID',
        oldValue: previous,
        newValue: id,
      });
      if (previous)
        notes.push(
          `The ID "${previous}" was not valid or was already used, so this entry is now ${id}.`,
        );
    }
    idsElsewhere.set(id, rowNumber);

    let validation = validateEntry(raw, settings.departments);
    const before = asText(get('Approval'));
    // A settings change (the Departments list) never re-decides a Tier 3 or 4 entry into a
    // weaker state (issue 15): the system's re-decision is made without the list, and Checks
    // says what the list now asks.
    const tierNow = normaliseTier(get('Data Tier'));
    const settingsNote =
      source === 'system' &&
      validation.entry === null &&
      tierNow !== null &&
      tierLevel(tierNow) >= 3 &&
      HELD_DECISIONS.has(before) &&
      validation.problems.length > 0 &&
      validation.problems.every((p) => p.startsWith('Department '))
        ? validation.problems[0]
        : '';
    if (settingsNote) validation = validateEntry(raw, []);
    // DESIGN §3: only a change to the tier, data stores or tool (or, for the production gate,
    // the deployment status) re-evaluates a decided entry; other edits keep its decision.
    // Idempotence by meaning (issue 15): an edit that leaves the inputs the decision was made
    // on the same once their words are normalised (`3` for Tier 3, a tool's name in another
    // case, an empty cell cleared) keeps the decision, whichever columns it touched.
    const corrections = { ...validation.corrections };
    const sameInputs = (): boolean => {
      if (seal === null) return false;
      const probe = row.slice();
      for (const [field, word] of Object.entries(corrections)) probe[cols[field]] = word;
      if (seal.i === inputsDigest(probe, cols)) return true;
      if (!editedHeaders.has('AI Tool')) return false;
      const typed = asText(probe[cols['AI Tool']]).trim().toLowerCase();
      const named = catalogFor([]).tools.find((t) => t.tool.trim().toLowerCase() === typed);
      if (!named) return false;
      probe[cols['AI Tool']] = named.tool;
      if (seal.i !== inputsDigest(probe, cols)) return false;
      corrections['AI Tool'] = named.tool;
      return true;
    };
    const keep =
      source === 'person' &&
      edited &&
      before !== '' &&
      before !== 'Needs Info' &&
      before !== 'Changes Requested' &&
      validation.entry !== null &&
      // The decision kept must be one made on these inputs.
      sameInputs();

    if (!keep) {
      const latest = latestReview.get(id) ?? null;
      // After Changes Requested, the creator's edit re-submits: the same review reopens, its
      // SLA clock restarts and its history is kept. Otherwise a decided review is void once
      // the tier, data stores or tool change, and a fresh review opens.
      const resubmitted =
        source === 'person' &&
        latest?.status === 'Changes Requested' &&
        INPUT_FIELDS.some((f) => editedHeaders.has(f));
      const voided =
        latest !== null &&
        latest.status !== 'Open' &&
        !resubmitted &&
        REVIEW_INPUTS.some((f) => editedHeaders.has(f));
      let review: ReviewState | null =
        latest && !voided && latest.status !== 'Closed' ? latest : null;
      // A re-review or a first-of-two approval is of the inputs as they were: a material
      // change closes it, and the fresh review below replaces it.
      if (voided && latest && isWaitingReview(latest.status)) {
        const reason = `${id}'s Data Tier, Data Stores or AI Tool changed before it was decided, so a new review replaces it`;
        closedReviews.push({ review: { ...latest, status: 'Closed' }, reason });
        rowAudit.push({
          actor: SYSTEM_ACTOR,
          action: 'Review closed',
          registryId: id,
          field: 'Review ID',
          oldValue: latest.reviewId,
          newValue: reason,
        });
      }
      if (resubmitted && latest) {
        const reopened: ReviewRow = {
          ...latest,
          status: 'Open',
          due: addBusinessDays(today, settings.reviewSlaDays, settings.holidays),
        };
        reopenedReviews.push(reopened);
        latestReview.set(id, reopened);
        review = reopened;
        rowAudit.push({
          actor,
          action: 'Review reopened',
          registryId: id,
          field: 'Review ID',
          oldValue: 'Changes Requested',
          newValue: reopened.reviewId,
        });
        rowEvents.push({
          type: 'review-opened',
          registryId: id,
          detail: `${reopened.reviewId} re-submitted, due ${reopened.due}`,
        });
      }
      const ctx = { today, ...catalogFor(validation.entry?.dataStores ?? []), review };
      let decision = decideApproval(validation, ctx);
      // A review the add-on closed (the entry no longer needed one) opens again when it does,
      // due as before: typing the tier down and back up never resets an overdue review.
      if (decision.needsReview && review === null && latest?.status === 'Closed') {
        const revived: ReviewRow = { ...latest, status: 'Open' };
        revivedReviews.push(revived);
        latestReview.set(id, revived);
        review = revived;
        decision = decideApproval(validation, { ...ctx, review });
        rowAudit.push({
          actor: SYSTEM_ACTOR,
          action: 'Review reopened',
          registryId: id,
          field: 'Review ID',
          oldValue: 'Closed',
          newValue: revived.reviewId,
        });
        rowEvents.push({
          type: 'review-opened',
          registryId: id,
          detail: `${revived.reviewId} reopened, due ${revived.due}`,
        });
      }
      // An approval older than Settings allows is re-reviewed (issue 17): a new review opens,
      // the approved one stays as history, and the project keeps running meanwhile.
      // A first approval of two expires as an approval does (it lets the entry run in
      // development); its review is closed and the re-review replaces it.
      const approved =
        review?.status === 'Approved' || review?.status === 'First Approval'
          ? (review as ReviewRow)
          : null;
      const live = validation.entry?.deploymentStatus !== 'Decommissioned';
      if (
        decision.needsReview &&
        approved &&
        live &&
        approvalPhase(approved.decided, settings.approvalMonths, today) === 'expired'
      ) {
        const expiry = approvalExpiry(approved.decided, settings.approvalMonths);
        const opened: ReviewRow = {
          reviewId: formatId('R', counters().nextReview++),
          registryId: id,
          status: 'Re-review Due',
          due: addBusinessDays(today, settings.reviewSlaDays, settings.holidays),
          threatModel: approved.threatModel,
          decided: '',
          reviewer: '',
          assignedTo: '',
          expired: expiry,
          note: `[${today}] Re-review: the approval of ${approved.reviewId} (decided ${approved.decided} by ${approved.reviewer || 'the security team'}) expired on ${expiry}, after ${settings.approvalMonths} month(s). The project may keep running until this review is decided.`,
        };
        if (approved.status === 'First Approval')
          closedReviews.push({
            review: { ...approved, status: 'Closed' },
            reason: `its first approval expired on ${expiry} before a second was given; ${opened.reviewId} re-reviews it`,
          });
        newReviews.push(opened);
        latestReview.set(id, opened);
        review = opened;
        decision = decideApproval(validation, { ...ctx, review });
        rowAudit.push({
          actor: SYSTEM_ACTOR,
          action: 'Approval expired',
          registryId: id,
          field: 'Review ID',
          oldValue: `${approved.reviewId} approved ${approved.decided}`,
          newValue: `${opened.reviewId} re-review due ${opened.due}`,
        });
        rowEvents.push({
          type: 'review-opened',
          registryId: id,
          detail: `${opened.reviewId} re-review (approval expired ${expiry}), due ${opened.due}`,
        });
      }
      if (decision.needsReview && review === null) {
        const opened: ReviewRow = {
          reviewId: formatId('R', counters().nextReview++),
          registryId: id,
          status: 'Open',
          due: addBusinessDays(today, settings.reviewSlaDays, settings.holidays),
          threatModel: '',
          decided: '',
          reviewer: '',
          assignedTo: '',
        };
        newReviews.push(opened);
        latestReview.set(id, opened);
        review = opened;
        decision = decideApproval(validation, { ...ctx, review });
        rowAudit.push({
          actor: SYSTEM_ACTOR,
          action: 'Review opened',
          registryId: id,
          field: 'Review ID',
          oldValue: latest?.reviewId ?? '',
          newValue: opened.reviewId,
        });
        rowEvents.push({
          type: 'review-opened',
          registryId: id,
          detail: `${opened.reviewId} due ${opened.due}`,
        });
      }
      // The tier raised by a data store is written back as the corrected Data Tier.
      if (decision.effectiveTier && decision.effectiveTier !== validation.entry?.dataTier) {
        corrections['Data Tier'] = decision.effectiveTier;
      }
      set('Approval', decision.approval);
      // Checks quote catalog facts (How to Get Access) and people's words: bounded, so it stays a
      // readable cell and never nears Sheets' 50,000 characters.
      const checks = [...notes, ...decision.checks, ...(settingsNote ? [settingsNote] : [])].join(
        '\n',
      );
      set('Checks', checks.length > CHECKS_MAX ? `${checks.slice(0, CHECKS_MAX - 1)}…` : checks);
      set(
        'Review Due',
        decision.needsReview && review && isWaitingReview(review.status)
          ? dateAt(review.due, tz)
          : '',
      );
      // A review follows its entry (issue 15): an entry that no longer needs one (downgraded
      // below Tier 3, raised to Tier 4 and blocked, decommissioned) closes its open review with
      // the reason, instead of leaving it to go overdue in the queue.
      const pending = latestReview.get(id);
      // (Not for an entry made invalid: Needs Info waits for its creator, the review with it.)
      if (pending && isWaitingReview(pending.status) && validation.entry && !decision.needsReview) {
        const status = validation.entry?.deploymentStatus ?? asText(get('Deployment Status'));
        const tierWord = decision.effectiveTier ?? validation.entry?.dataTier ?? '';
        const reason =
          status === 'Decommissioned'
            ? `${id} was decommissioned`
            : `${id} is now ${tierWord || 'without a tier'}${decision.approval === 'Blocked' ? ' and blocked' : ''}, which needs no security review`;
        const closed: ReviewRow = { ...pending, status: 'Closed' };
        const at = reopenedReviews.findIndex((r) => r.reviewId === pending.reviewId);
        if (at >= 0) reopenedReviews.splice(at, 1);
        closedReviews.push({ review: closed, reason });
        latestReview.set(id, closed);
        rowAudit.push({
          actor: SYSTEM_ACTOR,
          action: 'Review closed',
          registryId: id,
          field: 'Review ID',
          oldValue: pending.reviewId,
          newValue: reason,
        });
        rowEvents.push({
          type: 'review-closed',
          registryId: id,
          detail: `${pending.reviewId} (${id} ${asText(get('Project')).slice(0, 80)}) was closed: ${reason}.`,
        });
      }
      if (before !== decision.approval) {
        rowAudit.push({
          actor: SYSTEM_ACTOR,
          action: 'Decision',
          registryId: id,
          field: 'Approval',
          oldValue: before,
          newValue: decision.approval,
        });
      }
      if (decision.alerts.includes('tier4-blocked') && before !== 'Blocked') {
        rowEvents.push({ type: 'blocked', registryId: id, detail: asText(get('Project')) });
      }
      // The production gate alerts when the status changes (or a new entry starts there), once.
      // (An import says so in its one digest, not per entry.)
      const newlyProduction =
        source !== 'import' &&
        (editedHeaders.has('Deployment Status') || !isDate(get('Registered')));
      if (decision.alerts.includes('production-without-threat-model') && newlyProduction) {
        rowEvents.push({
          type: 'production-gate',
          registryId: id,
          detail: asText(get('Project')),
        });
      }
    }

    // Canonical words for what was typed leniently (`3`, `prod`, a department's case).
    for (const [field, word] of Object.entries(corrections) as [InputField, string][]) {
      if (asText(get(field)) === word) continue;
      rowAudit.push({
        actor: SYSTEM_ACTOR,
        action: 'Corrected',
        registryId: id,
        field,
        oldValue: asText(get(field)),
        newValue: word,
      });
      set(field, word);
    }

    // Decommissioning in the row is an attestation too: it is confirmed as of today.
    // (The sheet already holds the new value; for one cell, Sheets reports the old one.)
    const wasDecommissioned =
      single && normaliseDeploymentStatus(edit.oldValue ?? '') === 'Decommissioned';
    const decommissioned =
      source === 'person' &&
      editedHeaders.has('Deployment Status') &&
      asText(get('Deployment Status')) === 'Decommissioned' &&
      !wasDecommissioned;
    if (decommissioned) {
      set('Last Confirmed', dateAt(today, tz));
      rowAudit.push({
        actor,
        action: 'Decommissioned',
        registryId: id,
        field: 'Deployment Status',
        oldValue: single ? (edit.oldValue ?? '') : '',
        newValue: 'Decommissioned',
      });
    }

    // The moment an entry becomes complete it is registered (and announced, once); registering
    // is its first confirmation for the quarterly attestation.
    if (validation.entry && !isDate(get('Registered'))) {
      set('Registered', now);
      // Who actually registered, apart from the Creator Email they typed (DESIGN §6).
      // An imported entry was registered by the import, for its creator: the importer is
      // named but owns nothing (an owner could not review it, and would get its mail).
      set(
        'Registered By',
        source === 'system' || !edit.user
          ? 'unknown editor'
          : source === 'import'
            ? `${IMPORTED_BY}${edit.user}`
            : edit.user,
      );
      // Registering is the first confirmation: an imported entry is not due at once either.
      if (!isDate(get('Last Confirmed'))) set('Last Confirmed', dateAt(today, tz));
      const summary = `${validation.entry.project} (${asText(get('Data Tier'))}, ${asText(get('AI Tool'))}, ${asText(get('Deployment Status'))}): ${asText(get('Approval'))}`;
      const origin = source === 'import' ? edit.imported?.get(rowNumber) : undefined;
      // One audit row for a registration (the Audit Log's cells are a budget): what was pasted,
      // the ID, the first decision and the canonical words all fold into it.
      foldRegistration(rowAudit, {
        actor: source === 'system' ? SYSTEM_ACTOR : actor,
        action:
          source === 'sidebar' ? 'Registered via sidebar' : origin ? 'Imported' : 'Registered',
        registryId: id,
        field: origin ? 'Registered' : 'Project',
        oldValue: '',
        newValue: origin ? `${summary} · from ${origin.origin}` : summary,
      });
      // The date the inventory first recorded it is kept beside the import's own (issue 18).
      if (origin) {
        const folded = rowAudit.find((a) => a.action === 'Imported');
        if (folded)
          folded.oldValue = [
            origin.firstRecorded ? `first recorded ${origin.firstRecorded}` : 'no date recorded',
            folded.oldValue,
          ]
            .filter((t) => t !== '')
            .join('; ');
      }
      rowEvents.push({ type: 'registered', registryId: id, detail: validation.entry.project });
    }
    if (tampered) {
      const changes = rowAudit.filter((a) => a.action.startsWith('Tampering'));
      rowEvents.push({
        type: 'tampering',
        registryId: id,
        detail: `row ${rowNumber}`,
        tampering: {
          fields: changes.map((a) => a.field),
          attempted: changes.map((a) => a.newValue),
        },
      });
    }
    audit.push(...rowAudit.map((a) => (a.registryId === '' ? { ...a, registryId: id } : a)));
    const checks = asText(get('Checks'))
      .split('\n')
      .filter((c) => c !== '');
    if (rowEvents.length > 0) {
      const review = latestReview.get(id);
      const entry: EntrySummary = {
        id,
        project: asText(get('Project')),
        creator: asText(get('Creator Email')),
        department: asText(get('Department')),
        tier: asText(get('Data Tier')),
        tool: asText(get('AI Tool')),
        version: asText(get('AI Tool Version')),
        approval: asText(get('Approval')),
        status: asText(get('Deployment Status')),
        url: `${sheetUrl}&range=A${rowNumber}`,
        checks,
        ...(review && isWaitingReview(review.status)
          ? {
              reviewId: review.reviewId,
              due: review.due,
              ...(review.assignedTo ? { assignedTo: review.assignedTo } : {}),
            }
          : {}),
      };
      outcome.events.push(...rowEvents.map((e) => ({ ...e, entry })));
      summaries.push({ index: i, entry });
    }
    const reviewDue = get('Review Due');
    outcome.rows.push({
      row: rowNumber,
      id,
      approval: asText(get('Approval')),
      checks,
      reviewDue: isDate(reviewDue) ? localDate(reviewDue, tz) : null,
    });
    outcome.rowsDecided++;
    toSeal.push(i);
  });

  // Every decided row is sealed as written (unless its seal already says so); its snapshot
  // goes into the audit log. Only rows that changed are written, in runs.
  sealRows(sealing, block, toSeal, cols, audit);
  // Who is mailed about an entry: the owner set its seal now holds (DESIGN §6.1).
  for (const { index, entry } of summaries)
    entry.owners = rowOwners(sealing, block[index], cols)?.owners ?? [];
  if (whole)
    // A sweep may change thousands of scattered rows: their owned cells in column blocks.
    writeChanged(
      registry,
      first,
      original,
      block,
      REGISTRY.columns.filter((c) => c.owned).map((c) => cols[c.header]),
    );
  else
    for (const [from, to] of changedRuns(original, block))
      writeRows(registry, first + from, block.slice(from, to + 1), formulas?.slice(from, to + 1));

  const reviewsTable = (reviewState as { table: Table | null } | null)?.table ?? null;
  if (newReviews.length > 0 && reviewsTable) {
    // Each new review goes to a security-team member who does not own its entry (issue 17).
    assignReviews(newReviews, block, cols, sealing, settings);
    for (const { entry } of summaries) {
      const r = newReviews.find((n) => n.registryId === entry.id);
      if (r?.assignedTo) entry.assignedTo = r.assignedTo;
    }
  }
  if (newReviews.length > 0 && reviewsTable)
    writeReviews(reviewsTable, newReviews, cols, block, now, tz, sealing, audit);
  if (
    (reopenedReviews.length > 0 || closedReviews.length > 0 || revivedReviews.length > 0) &&
    reviewsTable
  )
    updateReviews(
      reviewsTable,
      reopenedReviews,
      closedReviews,
      revivedReviews,
      now,
      tz,
      sealing,
      audit,
    );
  const issued = counterState as ReturnType<typeof counters> | null;
  if (
    issued &&
    (issued.id !== String(issued.nextId) || issued.review !== String(issued.nextReview))
  )
    props.setProperties({
      [COUNTER.registry]: String(issued.nextId),
      [COUNTER.review]: String(issued.nextReview),
    });
  appendAudit(ss, audit, now);
  return outcome;
}

/**
 * Reopens re-submitted reviews in place: Open again, a new Opened and Due, the decision
 * cleared, and a line added to Notes so the history stays readable.
 */
function updateReviews(
  table: Table,
  reopened: readonly ReviewRow[],
  closed: readonly { review: ReviewRow; reason: string }[],
  revived: readonly ReviewRow[],
  now: Date,
  tz: string,
  sealing: Sealer,
  audit: AuditEntry[],
): void {
  const c = table.columns;
  const changed = new Map<number, Cell[]>();
  const rowOf = (reviewId: string) => {
    const index = table.rows.findIndex((r) => asText(r[c['Review ID']]) === reviewId);
    return index < 0 ? null : { index, row: changed.get(index) ?? table.rows[index].slice() };
  };
  const note = (row: Cell[], line: string) => {
    const notes = asText(row[c['Notes']]);
    row[c['Notes']] = notes ? `${notes}\n${line}` : line;
  };
  for (const review of reopened) {
    const found = rowOf(review.reviewId);
    if (!found) continue;
    const { index, row } = found;
    const decided = row[c['Decided']];
    note(
      row,
      `[${localDate(now, tz)}] Re-submitted after changes requested by ${asText(row[c['Reviewer']]) || 'the security team'}${isDate(decided) ? ` on ${localDate(decided, tz)}` : ''}.`,
    );
    row[c['Status']] = 'Open';
    row[c['Opened']] = now;
    row[c['Due']] = dateAt(review.due, tz);
    row[c['Decided']] = '';
    row[c['Business Days']] = '';
    changed.set(index, row);
  }
  for (const review of revived) {
    const found = rowOf(review.reviewId);
    if (!found) continue;
    const { index, row } = found;
    note(
      row,
      `[${localDate(now, tz)}] Reopened by Governed Path: ${review.registryId} needs a security review again; due as before.`,
    );
    row[c['Status']] = 'Open';
    row[c['Decided']] = '';
    row[c['Business Days']] = '';
    changed.set(index, row);
  }
  for (const { review, reason } of closed) {
    const found = rowOf(review.reviewId);
    if (!found) continue;
    const { index, row } = found;
    note(row, `[${localDate(now, tz)}] Closed by Governed Path: ${reason}.`);
    row[c['Status']] = 'Closed';
    row[c['Decided']] = now;
    row[c['Business Days']] = '';
    changed.set(index, row);
  }
  if (changed.size === 0) return;
  if (table.rowNumbers) {
    // Some rows only (an edit's own entries): each reopened review written where it is.
    for (const [index, row] of changed) {
      sealRows(sealing, [row], [0], table.columns, audit, REVIEWS_SEAL);
      writeRows(table, table.rowNumbers[index], [row]);
    }
    return;
  }
  // One write for all of them: the block between the first and last reopened review.
  const first = Math.min(...changed.keys());
  const last = Math.max(...changed.keys());
  const block = table.rows
    .slice(first, last + 1)
    .map((row, k) => changed.get(first + k) ?? row.slice());
  const sealed = block.map((_, k) => k).filter((k) => changed.has(first + k));
  sealRows(sealing, block, sealed, table.columns, audit, REVIEWS_SEAL);
  writeRows(table, first + 2, block);
}

/**
 * Assigns each new review (issue 17): the department's reviewer or the member whose turn it is,
 * never an owner of the entry (the owner set the entry was just sealed with). The turn is the
 * review's own number, so round robin needs no state of its own (and no store call).
 */
function assignReviews(
  opened: ReviewRow[],
  block: readonly Cell[][],
  cols: Readonly<Record<string, number>>,
  sealing: Sealer,
  settings: Settings,
): void {
  const byId = new Map(block.map((row) => [asText(row[cols['ID']]).trim(), row]));
  for (const r of opened) {
    const row = byId.get(r.registryId);
    r.assignedTo = nextAssignee(
      settings,
      row ? reviewConflicts(sealing, row, cols) : [],
      row ? asText(row[cols['Department']]) : '',
      r.reviewId,
    );
  }
}

/**
 * Who takes review `reviewId` next: the department's reviewer, or the member whose turn its
 * number is, skipping `exclude` (owners, a first approver, someone who left). '' when nobody
 * may take it.
 */
export function nextAssignee(
  settings: Settings,
  exclude: readonly string[],
  department: string,
  reviewId: string,
): string {
  return assignReviewer({
    team: settings.securityTeam,
    owners: exclude,
    department,
    byDepartment: settings.reviewerByDepartment,
    mode: settings.assignment,
    next: Math.max(0, (parseId('R', reviewId) ?? 1) - 1),
  }).assignee;
}

/** Appends the reviews this edit opened to the Reviews queue, in one write. */
function writeReviews(
  table: Table,
  opened: readonly ReviewRow[],
  cols: Readonly<Record<string, number>>,
  block: readonly Cell[][],
  now: Date,
  tz: string,
  sealing: Sealer,
  audit: AuditEntry[],
): void {
  const sheet = table.sheet;
  const width = Math.max(sheet.getLastColumn(), ...Object.values(table.columns).map((c) => c + 1));
  const byId = new Map(block.map((row) => [asText(row[cols['ID']]), row]));
  const rows = opened.map((r) => {
    const entry = byId.get(r.registryId) ?? [];
    const out: Cell[] = new Array<Cell>(width).fill('');
    out[table.columns['Review ID']] = r.reviewId;
    out[table.columns['Registry ID']] = r.registryId;
    out[table.columns['Project']] = neutralise(asText(entry[cols['Project']]));
    out[table.columns['Creator Email']] = neutralise(asText(entry[cols['Creator Email']]));
    out[table.columns['Opened']] = now;
    out[table.columns['Due']] = dateAt(r.due, tz);
    out[table.columns['Status']] = r.status;
    if (table.columns['Assigned To'] !== undefined)
      out[table.columns['Assigned To']] = r.assignedTo;
    if (r.threatModel) out[table.columns['Threat Model']] = neutralise(r.threatModel);
    if (r.note) out[table.columns['Notes']] = neutralise(r.note);
    return out;
  });
  sealRows(
    sealing,
    rows,
    rows.map((_, k) => k),
    table.columns,
    audit,
    REVIEWS_SEAL,
  );
  const last = table.rowNumbers ? sheet.getLastRow() : table.rows.length + 1;
  // New reviews land on formatted rows (the Status dropdown, the date formats): the sheet
  // grows by formatted blocks, and rows past the last formatted one are formatted now, not
  // by whichever later write happens to notice them.
  const needed = last + rows.length - sheet.getMaxRows();
  if (needed > 0) growFormatted(sheet, REVIEWS, table.columns, needed + HEADROOM);
  sheet.getRange(last + 1, 1, rows.length, width).setValues(rows);
  wrote();
  keepFormatted(sheet, REVIEWS, table.columns, last + rows.length);
}
