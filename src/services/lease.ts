import { registryProperties } from './store';

/**
 * One writer at a time per registry. Executions in the document (edits, the sidebar, menu
 * items) serialise on the document lock; an add-on's time-driven job has no document lock
 * (DESIGN §10), so the two sides also raise a flag in the registry's store and each backs off
 * while the other's flag is up (both flags are written before the other is read, so two
 * executions never both proceed; at worst both back off and retry). A flag expires on its own,
 * so an execution killed mid-way blocks nobody for longer than the longest execution.
 */
const FLAG = { document: 'busy.document', job: 'busy.job' } as const;
/** Apps Script stops any execution after 6 minutes. */
const TTL_MS = 6.5 * 60 * 1000;
const POLL_MS = 500;

export interface Held {
  release(): void;
}

/** Whether this execution holds the registry now (its release writes what is staged). */
let holding = false;

export function holdingRegistry(): boolean {
  return holding;
}

function now(): number {
  return new Date().getTime();
}

function raised(key: string): boolean {
  return Number(registryProperties().getProperty(key) ?? '0') > now();
}

/**
 * Takes the registry for this execution, waiting up to `timeoutMs`; null when it stays busy.
 * Callers flush their writes through `release()`.
 */
export function acquireRegistry(timeoutMs: number): Held | null {
  const deadline = now() + timeoutMs;
  const lock = LockService.getDocumentLock();
  const store = registryProperties();
  if (lock) {
    if (!lock.tryLock(timeoutMs)) return null;
    store.setProperty(FLAG.document, String(now() + TTL_MS));
    while (raised(FLAG.job)) {
      if (now() >= deadline) {
        store.deleteProperty(FLAG.document);
        lock.releaseLock();
        return null;
      }
      Utilities.sleep(POLL_MS);
    }
    holding = true;
    return {
      release() {
        SpreadsheetApp.flush();
        // Lowered (not deleted) so what the execution staged goes out in the same write.
        holding = false;
        store.setProperty(FLAG.document, '0');
        lock.releaseLock();
      },
    };
  }
  // No document: the time-driven job.
  for (;;) {
    store.setProperty(FLAG.job, String(now() + TTL_MS));
    if (!raised(FLAG.document)) break;
    store.deleteProperty(FLAG.job);
    if (now() >= deadline) return null;
    Utilities.sleep(POLL_MS * 2);
  }
  holding = true;
  return {
    release() {
      SpreadsheetApp.flush();
      holding = false;
      store.setProperty(FLAG.job, '0');
    },
  };
}
