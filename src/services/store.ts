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

/** The current registry's store. */
export function registryProperties(): RegistryStore {
  const script = PropertiesService.getScriptProperties();
  const p = prefix();
  const store: RegistryStore = {
    getProperty: (key) => script.getProperty(p + key),
    setProperty(key, value) {
      script.setProperty(p + key, value);
      return store;
    },
    setProperties(values) {
      const prefixed: Record<string, string> = {};
      for (const [k, v] of Object.entries(values)) prefixed[p + k] = v;
      script.setProperties(prefixed);
      return store;
    },
    deleteProperty(key) {
      script.deleteProperty(p + key);
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
