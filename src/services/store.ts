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
  'triggerOwner',
]);
const remembered = new Map<string, string | null>();

/** The current registry's store. */
export function registryProperties(): RegistryStore {
  const script = PropertiesService.getScriptProperties();
  const p = prefix();
  // The formatted-rows marks too: every write-back asks for its sheet's.
  const keep = (key: string, value: string | null) => {
    if (REMEMBERED.has(key) || key.startsWith('formatted.')) remembered.set(p + key, value);
  };
  const store: RegistryStore = {
    getProperty(key) {
      if (remembered.has(p + key)) return remembered.get(p + key)!;
      const value = script.getProperty(p + key);
      keep(key, value);
      return value;
    },
    setProperty(key, value) {
      script.setProperty(p + key, value);
      keep(key, value);
      return store;
    },
    setProperties(values) {
      const prefixed: Record<string, string> = {};
      for (const [k, v] of Object.entries(values)) prefixed[p + k] = v;
      script.setProperties(prefixed);
      for (const [k, v] of Object.entries(values)) keep(k, v);
      return store;
    },
    deleteProperty(key) {
      script.deleteProperty(p + key);
      keep(key, null);
      return store;
    },
    getProperties() {
      const out: Record<string, string> = {};
      for (const [k, v] of Object.entries(script.getProperties())) {
        if (k.startsWith(p)) out[k.slice(p.length)] = v;
      }
      return out;
    },
  };
  return store;
}
