import { registryProperties, type RegistryStore } from './store';
import {
  afterAttempt,
  due,
  pauseAfter,
  revived,
  staleSending,
  type Outcome,
  type OutboxRecord,
} from '../domain/outbox';
import { fingerprint } from '../domain/seal';
import { isSlackWebhookUrl } from '../domain/settings';
import { slackPayload, type SlackMessage } from '../domain/slack';
import { PROP } from './settings';

/**
 * Slack delivery. Messages go into a durable outbox (the registry's store, one key each) and
 * leave it only when Slack accepts them; what Slack refuses for good stays, marked
 * undeliverable, for the security team to see. The webhook URL is read here and nowhere else,
 * and it never appears in a cell, a log line, an error or anything sent to a browser.
 */
const PREFIX = 'outbox.';
/** Until when Slack asked (429 Retry-After) that nothing be posted: epoch ms. */
const PAUSED = 'slackPausedUntil';
/** A stored message must fit a 9 KB property with its envelope. */
const MAX_RECORD_BYTES = 8500;
/** Beyond this many waiting messages, new ones are summarised into one overflow record… */
const MAX_RECORDS = 150;
/**
 * …and beyond this many bytes of them: the property store holds 500 KB in all (heads, keys,
 * counters and settings too), so a Slack outage of days never fills it.
 */
const MAX_OUTBOX_BYTES = 100_000;
/** About one message a second (Slack's webhook rate). */
const GAP_MS = 1000;

function props(): RegistryStore {
  return registryProperties();
}

function utf8Bytes(text: string): number {
  return encodeURIComponent(text).replace(/%[0-9A-F]{2}/g, 'x').length;
}

/** Keeps a message within one property: the blocks go before the text fallback does. */
function fitted(message: SlackMessage): SlackMessage {
  if (utf8Bytes(JSON.stringify(message)) <= MAX_RECORD_BYTES - 500) return message;
  return { text: message.text.slice(0, 2000) };
}

function records(all: Record<string, string>): OutboxRecord[] {
  const out: OutboxRecord[] = [];
  for (const [key, value] of Object.entries(all)) {
    if (!key.startsWith(PREFIX)) continue;
    try {
      out.push(JSON.parse(value) as OutboxRecord);
    } catch {
      // A hand-edited property: not ours to interpret.
    }
  }
  return out;
}

/** Adds messages to the outbox in one property write; returns their outbox IDs. */
export function enqueue(messages: readonly SlackMessage[], now: Date): string[] {
  if (messages.length === 0) return [];
  const store = props();
  const all = store.getProperties();
  const existing = records(all);
  const add: Record<string, string> = {};
  let room = MAX_RECORDS - existing.length;
  // What the waiting records take, with room kept for the overflow record itself.
  let bytes = Object.entries(all)
    .filter(([k]) => k.startsWith(PREFIX))
    .reduce((n, [k, v]) => n + utf8Bytes(k) + utf8Bytes(v), 0);
  const overflow: SlackMessage[] = [];
  const ids: string[] = [];
  messages.forEach((message, i) => {
    const size = utf8Bytes(JSON.stringify(fitted(message))) + 200;
    if (room-- <= 0 || bytes + size > MAX_OUTBOX_BYTES - 1000) {
      overflow.push(message);
      return;
    }
    bytes += size;
    const id = `${now.getTime().toString(36)}-${i}-${Utilities.getUuid().slice(0, 8)}`;
    const record: OutboxRecord = {
      id,
      created: now.getTime() + i,
      attempts: 0,
      nextAttempt: now.getTime(),
      status: 'pending',
      lastError: '',
      message: fitted(message),
    };
    add[PREFIX + id] = JSON.stringify(record);
    ids.push(id);
  });
  if (overflow.length > 0) {
    const previous = existing.find((r) => r.id === 'overflow');
    const count =
      overflow.length + (previous ? Number(/^(\d+)/.exec(previous.message.text)?.[1] ?? 0) : 0);
    const record: OutboxRecord = {
      id: 'overflow',
      created: previous?.created ?? now.getTime(),
      attempts: 0,
      nextAttempt: now.getTime(),
      status: 'pending',
      lastError: '',
      message: {
        text: `${count} more registry notifications could not be queued while Slack was unreachable; the Audit Log has every one of them.`,
      },
    };
    add[PREFIX + 'overflow'] = JSON.stringify(record);
  }
  store.setProperties(add);
  return ids;
}

/** The record for an outbox ID, if it is still waiting or was refused. */
export function outboxRecord(id: string): OutboxRecord | null {
  const value = props().getProperty(PREFIX + id);
  return value === null ? null : (JSON.parse(value) as OutboxRecord);
}

function post(url: string, message: SlackMessage): Outcome {
  try {
    const response = UrlFetchApp.fetch(url, {
      method: 'post',
      contentType: 'application/json',
      payload: JSON.stringify(slackPayload(message)),
      muteHttpExceptions: true,
    });
    const status = response.getResponseCode();
    if (status >= 200 && status < 300) return { kind: 'delivered' };
    const headers = response.getHeaders() as Record<string, string>;
    const retryAfter = Number(headers['Retry-After'] ?? headers['retry-after']);
    return {
      kind: 'http',
      status,
      body: response.getContentText().slice(0, 100),
      retryAfterSeconds: Number.isFinite(retryAfter) ? retryAfter : null,
    };
  } catch {
    // The error text names the host and nothing else we could add would be safe to keep.
    return { kind: 'network', error: 'Slack could not be reached' };
  }
}

/**
 * Posts one message straight to the webhook, outside the outbox (a person is waiting for the
 * answer: a test message, the self-test). Null when Slack accepted it, else why not.
 */
export function postNow(url: string, text: string): string | null {
  if (!isSlackWebhookUrl(url)) return 'no Slack webhook is configured';
  const outcome = post(url, { text });
  if (outcome.kind === 'delivered') return null;
  return outcome.kind === 'http' ? `HTTP ${outcome.status} ${outcome.body}`.trim() : outcome.error;
}

export interface OutboxReport {
  delivered: number;
  waiting: number;
  undeliverable: OutboxRecord[];
  noWebhook: boolean;
  /** Another execution was delivering; this one left the outbox alone. */
  busy: boolean;
}

/**
 * Posts what is due, oldest first, at most `limit` messages, about one a second. Runs under
 * the script lock, and marks each record 'sending' before its post, so a message is posted
 * at most once even when executions overlap or stop halfway.
 */
export function deliverOutbox(limit = 10): OutboxReport {
  const report: OutboxReport = {
    delivered: 0,
    waiting: 0,
    undeliverable: [],
    noWebhook: false,
    busy: false,
  };
  const lock = LockService.getScriptLock();
  if (!lock.tryLock(5000)) return { ...outboxStatus(), busy: true };
  try {
    const store = props();
    const all = store.getProperties();
    const url = all[PROP.webhook] ?? '';
    const now = () => new Date().getTime();
    let list = records(all);
    for (const record of list) {
      const stale = staleSending(record, now());
      if (stale) store.setProperty(PREFIX + record.id, JSON.stringify(stale));
    }
    const hook = isSlackWebhookUrl(url) ? fingerprint(url) : '';
    // Refused by an earlier webhook: tried again by this one.
    if (hook)
      for (const record of records(store.getProperties())) {
        const again = revived(record, hook, now());
        if (again) store.setProperty(PREFIX + record.id, JSON.stringify(again));
      }
    list = records(store.getProperties());
    // A pause is the webhook's that asked for it: a new webhook is not held up by it.
    const [until, pausedBy] = (all[PAUSED] ?? '0|').split('|');
    const pausedUntil = pausedBy === hook ? Number(until) : 0;
    if (!isSlackWebhookUrl(url)) {
      report.noWebhook = true;
    } else if (pausedUntil > now()) {
      // Slack asked for a pause (429): nothing is posted until it is over, in order.
    } else {
      const batch = due(list, now()).slice(0, limit);
      for (let i = 0; i < batch.length; i++) {
        const record = batch[i];
        if (i > 0) Utilities.sleep(GAP_MS);
        store.setProperty(
          PREFIX + record.id,
          JSON.stringify({ ...record, status: 'sending', nextAttempt: now() }),
        );
        const outcome = post(url, record.message);
        const next = afterAttempt(record, outcome, now());
        if (next === null) {
          store.deleteProperty(PREFIX + record.id);
          report.delivered++;
        } else {
          const refused = next.status === 'undeliverable' ? { refusedBy: hook } : {};
          store.setProperty(PREFIX + record.id, JSON.stringify({ ...next, ...refused }));
        }
        const pause = pauseAfter(outcome, now());
        if (pause !== null) {
          // Slack asked us to wait: the whole outbox waits (a message behind does not overtake).
          store.setProperty(PAUSED, `${pause}|${hook}`);
          break;
        }
      }
    }
    const after = records(store.getProperties());
    report.waiting = after.filter((r) => r.status !== 'undeliverable').length;
    report.undeliverable = after.filter((r) => r.status === 'undeliverable');
    return report;
  } finally {
    lock.releaseLock();
  }
}

/** What the outbox holds, without delivering anything. */
export function outboxStatus(): OutboxReport {
  const all = props().getProperties();
  const list = records(all);
  return {
    delivered: 0,
    waiting: list.filter((r) => r.status !== 'undeliverable').length,
    undeliverable: list.filter((r) => r.status === 'undeliverable'),
    noWebhook: !isSlackWebhookUrl(all[PROP.webhook] ?? ''),
    busy: false,
  };
}

/** Sentences for the daily report and the security team's toast. */
export function outboxLines(report: OutboxReport): string[] {
  const lines: string[] = [];
  if (report.delivered > 0) lines.push(`Slack: delivered ${report.delivered} message(s).`);
  if (report.noWebhook && report.waiting > 0) {
    lines.push(
      `Slack: ${report.waiting} message(s) are waiting because no Slack webhook is configured (Settings).`,
    );
  } else if (report.waiting > 0) {
    lines.push(`Slack: ${report.waiting} message(s) are waiting to be retried.`);
  }
  if (report.undeliverable.length > 0) {
    const reasons = [...new Set(report.undeliverable.map((r) => r.lastError))]
      .slice(0, 3)
      .join('; ');
    lines.push(
      `Slack refused ${report.undeliverable.length} message(s) for good (${reasons}); they are kept and go again once the webhook in Settings changes.`,
    );
  }
  return lines;
}
