/**
 * Where a registry keeps its state: settings, the webhook, the seal key, ID counters, the
 * outbox, the audit chain's head. An Editor add-on's time-driven trigger has no document, so no
 * Document Properties (DESIGN §10); the state therefore lives in the add-on's Script Properties
 * under keys prefixed with the spreadsheet's ID. Every execution can reach them, and in an
 * add-on no spreadsheet editor can (they cannot open the add-on's project).
 *
 * The store looks like the part of `Properties` the add-on uses, so callers read and write
 * plain keys; only this module knows the prefix.
 */
import { SHEETS } from '../domain/schema';

let current: string | null = null;

/** Selects the registry (by spreadsheet ID) that this execution works on. */
export function useRegistry(spreadsheetId: string): void {
  current = spreadsheetId;
}

/** The spreadsheet ID of the registry this execution works on. */
export function currentRegistryId(): string {
  if (current === null) throw new Error('No registry selected for this execution.');
  return current;
}

export interface RegistryStore {
  getProperty(key: string): string | null;
  setProperty(key: string, value: string): RegistryStore;
  setProperties(values: Record<string, string>): RegistryStore;
  deleteProperty(key: string): RegistryStore;
  /** Every key of this registry, prefix removed (one read of the store). */
  getProperties(): Record<string, string>;
  /**
   * Bookkeeping that may wait for the execution's next write (a heartbeat, the audit chain's
   * commit under the lease): it goes out with that write in one call, or with `flush()`.
   * Reads see it at once. An execution stopped before then loses it, so only what is
   * recoverable (or harmless to lose) is staged.
   */
  stage(key: string, value: string): RegistryStore;
  /** Writes what is staged (one call; none when nothing is). */
  flush(): RegistryStore;
}

function prefix(): string {
  return `gp:${currentRegistryId()}:`;
}

/**
 * Keys an execution may read once and remember: they change only under the registry's lease
 * (which this execution holds whenever it writes them) or never during an execution. Each
 * read costs ≈ 30 ms on Apps Script, and a one-cell edit read the signing key seven times.
 * Module state lives for one execution only; writes go through and update what is kept.
 */
const REMEMBERED = new Set([
  'signingKey',
  'retiredKeys',
  'keyRotation',
  'auditHead',
  'sealZone',
  'settings',
  'slackWebhookUrl',
  'channelSecrets',
  'triggerOwner',
  'formatted',
  // Written by an execution that could not hold the lease: one read per execution is enough
  // (a deferral made meanwhile is taken by the next execution).
  'headerRepairsDeferred',
]);
const remembered = new Map<string, string | null>();
/** Staged writes, by prefixed key: they go out with the next write or `flush()`. */
const staged = new Map<string, string>();

/** The current registry's store. */
export function registryProperties(): RegistryStore {
  const script = PropertiesService.getScriptProperties();
  const p = prefix();
  const keep = (key: string, value: string | null) => {
    if (REMEMBERED.has(key)) remembered.set(p + key, value);
  };
  /** One write of `values` (unprefixed) with everything staged. */
  const write = (values: Record<string, string>) => {
    const prefixed: Record<string, string> = Object.fromEntries(staged);
    for (const [k, v] of Object.entries(values)) {
      prefixed[p + k] = v;
      keep(k, v);
    }
    const keys = Object.keys(prefixed);
    if (keys.length === 1) script.setProperty(keys[0], prefixed[keys[0]]);
    else if (keys.length > 1) script.setProperties(prefixed);
    staged.clear();
  };
  const store: RegistryStore = {
    getProperty(key) {
      if (staged.has(p + key)) return staged.get(p + key)!;
      if (remembered.has(p + key)) return remembered.get(p + key)!;
      const value = script.getProperty(p + key);
      keep(key, value);
      return value;
    },
    setProperty(key, value) {
      write({ [key]: value });
      return store;
    },
    setProperties(values) {
      write(values);
      return store;
    },
    deleteProperty(key) {
      staged.delete(p + key);
      write({});
      script.deleteProperty(p + key);
      keep(key, null);
      return store;
    },
    stage(key, value) {
      staged.set(p + key, value);
      keep(key, value);
      return store;
    },
    flush() {
      write({});
      return store;
    },
    getProperties() {
      const out: Record<string, string> = {};
      for (const [k, v] of Object.entries(script.getProperties())) {
        if (k.startsWith(p)) out[k.slice(p.length)] = v;
      }
      for (const [k, v] of staged) if (k.startsWith(p)) out[k.slice(p.length)] = v;
      return out;
    },
  };
  return store;
}

/**
 * How far each sheet's rows are known to carry the add-on's formats (one key for all sheets: an
 * edit asks for two of them, the Registry's and the Audit Log's).
 */
const FORMATTED = 'formatted';

function formattedMarks(): Record<string, number> {
  try {
    const marks = JSON.parse(registryProperties().getProperty(FORMATTED) ?? '{}') as unknown;
    return marks && typeof marks === 'object' ? (marks as Record<string, number>) : {};
  } catch {
    return {};
  }
}

/** The last row of `sheet` known to be formatted (0: none known). */
export function formattedThrough(sheet: string): number {
  const store = registryProperties();
  // A registry set up before the marks shared a key still has one key per sheet.
  const value =
    store.getProperty(FORMATTED) === null
      ? store.getProperty(`formatted.${sheet}`)
      : formattedMarks()[sheet];
  const mark = Number(value ?? 0);
  return Number.isFinite(mark) && mark > 0 ? mark : 0;
}

export function setFormattedThrough(sheet: string, row: number): void {
  const store = registryProperties();
  const marks = formattedMarks();
  if (store.getProperty(FORMATTED) === null)
    // Carried over from the per-sheet keys of a registry set up before.
    for (const { name } of SHEETS) {
      const old = Number(store.getProperty(`formatted.${name}`) ?? 0);
      if (old > 0) marks[name] = old;
    }
  store.setProperty(FORMATTED, JSON.stringify({ ...marks, [sheet]: row }));
}

/** A JSON value of the store, or `fallback` when it is absent or not JSON (hand-edited). */
export function storedJson<T>(key: string, fallback: T): T {
  try {
    const v = JSON.parse(registryProperties().getProperty(key) ?? 'null') as unknown;
    return v === null ? fallback : (v as T);
  } catch {
    return fallback;
  }
}
