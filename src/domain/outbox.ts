import type { Channel, EventKind } from './channels';
import type { PersonalItem, PersonMail } from './mail';
import type { Notification, SlackMessage } from './slack';

/**
 * What goes out. Notifications are routed by kind (Settings › Notifications), digested per
 * channel when many, sent as events to the ticketing webhook of their kind, and mailed to the
 * people they concern; a message built for the team goes where its kind is routed; mails go
 * as they are.
 */
export type Outgoing =
  | { notifications: readonly Notification[] }
  | { kind: EventKind; message: SlackMessage }
  /** To one team channel only (a test message). */
  | { channel: Channel; message: SlackMessage; pinnedUrl?: string }
  | { mails: readonly PersonMail[] }
  | { personal: readonly PersonalItem[] };

/** Where a record goes: a team channel, a ticketing webhook, or a person's mailbox. */
export type Route = 'slack' | 'chat' | 'teams' | 'hook' | 'mail';

/**
 * The Slack outbox: every message waits here until Slack accepts it, or is kept as
 * undeliverable when Slack says retrying cannot help. Pure state transitions; the shell stores
 * the records and talks HTTP.
 */
export interface OutboxRecord {
  id: string;
  created: number;
  attempts: number;
  /** Epoch ms before which no attempt is made. */
  nextAttempt: number;
  /** 'sending' is written just before a post, so a crashed execution never posts twice. */
  status: 'pending' | 'sending' | 'undeliverable';
  lastError: string;
  message: SlackMessage;
  /** The webhook (its fingerprint) that refused it for good: another webhook gets it again. */
  refusedBy?: string;
  /** Absent: Slack (records from before issue 16). */
  channel?: Route;
  /** The entry it is about: its Google Chat thread. */
  thread?: string;
  /** A ticketing event: its kind (whose webhook) and the exact JSON body that is signed. */
  hook?: { kind: EventKind; body: string };
  mail?: PersonMail;
  /**
   * A team channel's webhook as it was before a settings change: the alert of the change goes
   * there, not to the new one (kept with the other webhooks, never shown).
   */
  pinnedUrl?: string;
}

export const BACKOFF_START_MS = 60 * 1000;
export const BACKOFF_CAP_MS = 60 * 60 * 1000;
/** A 'sending' record older than this belonged to an execution that stopped mid-post. */
export const SENDING_STALE_MS = 10 * 60 * 1000;

export type Outcome =
  | { kind: 'delivered' }
  | { kind: 'http'; status: number; body: string; retryAfterSeconds: number | null }
  | { kind: 'network'; error: string };

/** What happens to a record after one attempt. `null`: delivered, remove it. */
export function afterAttempt(
  record: OutboxRecord,
  outcome: Outcome,
  now: number,
): OutboxRecord | null {
  if (outcome.kind === 'delivered') return null;
  const attempts = record.attempts + 1;
  if (outcome.kind === 'network') {
    return {
      ...record,
      attempts,
      status: 'pending',
      nextAttempt: now + backoff(attempts),
      lastError: `network error: ${outcome.error}`,
    };
  }
  const reason = `${outcome.body || 'no reason given'} (HTTP ${outcome.status})`;
  if (outcome.status === 429) {
    const wait = Math.min(Math.max(1, outcome.retryAfterSeconds ?? 30) * 1000, BACKOFF_CAP_MS);
    return {
      ...record,
      attempts,
      status: 'pending',
      nextAttempt: now + wait,
      lastError: `rate limited: ${reason}`,
    };
  }
  if (outcome.status >= 500) {
    return {
      ...record,
      attempts,
      status: 'pending',
      nextAttempt: now + backoff(attempts),
      lastError: reason,
    };
  }
  // 400 invalid_payload, 403 action_prohibited, 404 channel_not_found, 410 channel_is_archived…
  return {
    ...record,
    attempts,
    status: 'undeliverable',
    nextAttempt: Number.MAX_SAFE_INTEGER,
    lastError: reason,
  };
}

export function backoff(attempts: number): number {
  return Math.min(BACKOFF_START_MS * 2 ** Math.max(0, attempts - 1), BACKOFF_CAP_MS);
}

/** Records due for an attempt, oldest first. */
export function due(records: readonly OutboxRecord[], now: number): OutboxRecord[] {
  return records
    .filter((r) => r.status === 'pending' && r.nextAttempt <= now)
    .sort((a, b) => a.created - b.created);
}

/** A record left 'sending' by a stopped execution may have been posted: never post it again. */
export function staleSending(record: OutboxRecord, now: number): OutboxRecord | null {
  if (record.status !== 'sending' || now - record.nextAttempt < SENDING_STALE_MS) return null;
  return {
    ...record,
    status: 'undeliverable',
    lastError:
      'delivery uncertain: the execution stopped while posting (not retried, to avoid a duplicate)',
  };
}

/**
 * A message refused for good (a 4xx) by one webhook is tried again once the webhook setting
 * changes (issue 15): the refusal was the old webhook's (archived channel, revoked app), not the
 * message's. A delivery left uncertain by a stopped execution is never revived (no duplicate).
 */
export function revived(record: OutboxRecord, webhook: string, now: number): OutboxRecord | null {
  if (record.status !== 'undeliverable' || !record.refusedBy || record.refusedBy === webhook)
    return null;
  return { ...record, status: 'pending', attempts: 0, nextAttempt: now, refusedBy: undefined };
}

/**
 * When a 429 asks Slack's caller to wait: the whole outbox waits, so order is kept. At most an
 * hour, whatever Retry-After says (a broken or hostile answer cannot silence Slack for good).
 */
export function pauseAfter(outcome: Outcome, now: number): number | null {
  if (outcome.kind !== 'http' || outcome.status !== 429) return null;
  const seconds = Math.max(1, outcome.retryAfterSeconds ?? 30);
  return now + Math.min(seconds * 1000, BACKOFF_CAP_MS);
}
