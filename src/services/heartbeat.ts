/**
 * Heartbeats (issue 13): every trigger run records who it ran as, when, whether Google wants
 * the owner to authorise again and how much mail the owner has left today. One key per kind
 * of run, written without reading, and usually with the run's own first write, so a heartbeat
 * costs no property call of its own.
 */
import type { Heartbeat, Heartbeats, RunKind } from '../domain/watchdog';
import { registryProperties } from './store';

const KINDS: readonly RunKind[] = ['setup', 'edit', 'change', 'hourly', 'daily'];
const key = (kind: RunKind) => `heartbeat.${kind}`;

function authorization(): Heartbeat['authorization'] {
  try {
    const info = ScriptApp.getAuthorizationInfo(ScriptApp.AuthMode.FULL);
    return info.getAuthorizationStatus() === ScriptApp.AuthorizationStatus.REQUIRED
      ? 'required'
      : 'ok';
  } catch {
    return 'unknown';
  }
}

function mailQuota(): number | null {
  try {
    return MailApp.getRemainingDailyQuota();
  } catch {
    return null;
  }
}

/**
 * Records this run. `error` marks it failed (the sentence the security team will read).
 * `staged`: the heartbeat goes out with the run's next write (DESIGN §10's lease, usually),
 * not in a write of its own; a failure recorded later overwrites it.
 */
export function beat(kind: RunKind, now: Date, error?: string, staged = false): Heartbeat {
  const heartbeat: Heartbeat = {
    at: now.toISOString(),
    owner: Session.getEffectiveUser().getEmail(),
    authorization: authorization(),
    mailQuota: mailQuota(),
    ok: error === undefined,
    ...(error === undefined ? {} : { error: error.slice(0, 300) }),
  };
  try {
    const store = registryProperties();
    if (staged) store.stage(key(kind), JSON.stringify(heartbeat));
    else store.setProperty(key(kind), JSON.stringify(heartbeat));
  } catch {
    // A heartbeat never breaks the run it records.
  }
  return heartbeat;
}

/** The last heartbeat of each kind (a read per kind: the store is shared, so never all of it). */
export function heartbeats(): Heartbeats {
  const store = registryProperties();
  const out: Heartbeats = {};
  for (const kind of KINDS) {
    const text = store.getProperty(key(kind));
    if (!text) continue;
    try {
      out[kind] = JSON.parse(text) as Heartbeat;
    } catch {
      // Not ours to interpret.
    }
  }
  return out;
}
