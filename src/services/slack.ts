import { currentRegistryId, registryProperties, type RegistryStore } from './store';
import {
  afterAttempt,
  due,
  pauseAfter,
  revived,
  staleSending,
  type Outcome,
  type OutboxRecord,
  type Outgoing,
  type Route,
} from '../domain/outbox';
import { fingerprint } from '../domain/seal';
import { isSlackWebhookUrl, normaliseEmail } from '../domain/settings';
import {
  CHANNEL_NAMES,
  CHANNELS,
  isChatWebhookUrl,
  isJiraAutomationUrl,
  isTeamsWebhookUrl,
  kindOf,
  parseHttpsUrl,
  threadOf,
  type Channel,
  secretsFromStored,
  type ChannelSecrets,
  type EventKind,
  type Routes,
} from '../domain/channels';
import { chatMessage, teamsMessage } from '../domain/render';
import { hookEvent } from '../domain/events';
import {
  domainOf,
  mailsFor,
  organisationDomains,
  personalItems,
  type PersonalItem,
  type PersonMail,
} from '../domain/mail';
import {
  buildDigest,
  buildMessage,
  BURST,
  slackPayload,
  type Notification,
  type SlackMessage,
} from '../domain/slack';
import { loadSecrets, loadSettings, PROP } from './settings';

/**
 * The outbox (issue 16: one for every channel). Each message waits here, one record per
 * channel it goes to, until that channel accepts it, or is kept as undeliverable when the
 * channel says retrying cannot help. Channels are independent: each has its own order, its own
 * pause after a 429 and its own back-off, so a fault in one never delays another. Webhook URLs
 * and secrets are read here and nowhere else, and never appear in a cell, a log line, an error
 * or anything sent to a browser.
 */
const PREFIX = 'outbox.';
/** Until when a channel asked (429 Retry-After) that nothing be posted: `${ms}|${webhook}`. */
const PAUSED: Record<Route, string> = {
  slack: 'slackPausedUntil',
  chat: 'chatPausedUntil',
  teams: 'teamsPausedUntil',
  hook: 'hookPausedUntil',
  mail: 'mailPausedUntil',
};
export const ROUTES: readonly Route[] = ['slack', 'chat', 'teams', 'hook', 'mail'];
const ROUTE_NAMES: Record<Route, string> = {
  ...CHANNEL_NAMES,
  hook: 'Ticketing webhooks',
  mail: 'Mail',
};
/**
 * A stored record must fit one property value (9 KB documented; the runtime holds the less
 * forgiving 8 KB) with room for what delivery adds (its error, who refused it).
 */
const MAX_RECORD_BYTES = 7000;
/**
 * Beyond this many waiting records of one channel, new ones are summarised into one overflow
 * record, and beyond this many bytes: the property store holds 500 KB in all (heads, keys,
 * counters and settings too), so an outage of days never fills it. Slack's are as before.
 */
const BOUNDS: Record<Route, { records: number; bytes: number }> = {
  slack: { records: 150, bytes: 100_000 },
  chat: { records: 60, bytes: 40_000 },
  teams: { records: 60, bytes: 40_000 },
  hook: { records: 60, bytes: 50_000 },
  mail: { records: 150, bytes: 70_000 },
};
/** About one message a second per webhook (Slack's rate; Chat allows 60 a minute). */
const GAP_MS = 1000;

function props(): RegistryStore {
  return registryProperties();
}

function utf8Bytes(text: string): number {
  return encodeURIComponent(text).replace(/%[0-9A-F]{2}/g, 'x').length;
}

/** Keeps a message within one property: the blocks go before the text fallback does. */
function fitted(message: SlackMessage): SlackMessage {
  if (utf8Bytes(JSON.stringify(message)) <= MAX_RECORD_BYTES - 1500) return message;
  return { text: message.text.slice(0, 2000) };
}

const half = (text: string): string =>
  text.length > 40 ? `${text.slice(0, Math.floor(text.length / 2))}… (cut)` : text;

/** A ticketing event cut to fit: its long texts halved (JSON stays valid, the IDs stay whole). */
function shrinkEvent(body: string): string {
  const e = JSON.parse(body) as {
    description: string;
    summary: string;
    entry: Record<string, string> | null;
    review: Record<string, string> | null;
  };
  e.description = half(e.description);
  e.summary = half(e.summary);
  if (e.review) e.review.note = half(e.review.note ?? '');
  if (e.entry)
    for (const k of ['project', 'department', 'creator', 'aiTool', 'aiToolVersion'])
      e.entry[k] = half(e.entry[k] ?? '');
  return JSON.stringify(e);
}

/**
 * A record within one property, measured as it is stored (in UTF-8, JSON inside JSON): a long
 * note in Japanese or full of quotes is cut, never the IDs or the recipient. Null if it cannot
 * be made to fit.
 */
function fitRecord(record: OutboxRecord): OutboxRecord | null {
  let out = record;
  for (let i = 0; i < 12; i++) {
    if (utf8Bytes(JSON.stringify(out)) <= MAX_RECORD_BYTES) return out;
    out = {
      ...out,
      message: { text: half(out.message.text) },
      ...(out.hook ? { hook: { ...out.hook, body: shrinkEvent(out.hook.body) } } : {}),
      ...(out.mail
        ? {
            mail: {
              ...out.mail,
              htmlBody: '',
              body: `${out.mail.body.slice(0, Math.floor(out.mail.body.length / 2))}\n…(cut: open the registry for the rest)`,
            },
          }
        : {}),
    };
  }
  return null;
}

const routeOf = (r: OutboxRecord): Route => r.channel ?? 'slack';

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

export type { Outgoing };

interface Draft {
  channel: Route;
  pinnedUrl?: string;
  message: SlackMessage;
  thread?: string;
  hook?: { kind: EventKind; body: string };
  mail?: PersonMail;
}

/**
 * The registry's address, for links in events and mails: made from its ID, as Sheets writes it
 * (no call); its name is read only for a ticketing event, which carries it.
 */
let where: { id: string; name: string | null } | null = null;
function spreadsheetRef(withName = false): { name: string; url: string } {
  const id = currentRegistryId();
  if (!where || where.id !== id) where = { id, name: null };
  const url = `https://docs.google.com/spreadsheets/d/${encodeURIComponent(id)}/edit`;
  if (withName && where.name === null) {
    try {
      const active = SpreadsheetApp.getActiveSpreadsheet();
      where.name = (
        active && active.getId() === id ? active : SpreadsheetApp.openById(id)
      ).getName();
    } catch {
      where.name = 'The registry';
    }
  }
  return { name: where.name ?? 'The registry', url };
}

/** Which team channels have a webhook (Slack always queues: the security channel). */
function configured(secrets: ChannelSecrets): Set<Channel> {
  const out = new Set<Channel>(['slack']);
  if (isChatWebhookUrl(secrets.chat)) out.add('chat');
  if (isTeamsWebhookUrl(secrets.teams)) out.add('teams');
  return out;
}

function secretsIn(all: Record<string, string>): ChannelSecrets {
  try {
    return secretsFromStored(JSON.parse(all[PROP.channels] ?? 'null'));
  } catch {
    return secretsFromStored(null);
  }
}

const MAIL_OFF = 'mailOff.';

/** Whether a person turned off the mails they need not act on (issue 16). */
export function mailsOffFor(email: string): boolean {
  return props().getProperty(MAIL_OFF + normaliseEmail(email)) === '1';
}

export function setMailsOff(email: string, off: boolean): void {
  const key = MAIL_OFF + normaliseEmail(email);
  if (off) props().setProperty(key, '1');
  else props().deleteProperty(key);
}

function drafts(
  items: readonly Outgoing[],
  routes: Routes,
  channels: Set<Channel>,
  secrets: ChannelSecrets,
  reviewers: readonly string[],
  all: Record<string, string>,
  now: Date,
): Draft[] {
  const out: Draft[] = [];
  const personal: PersonalItem[] = [];
  const domains = organisationDomains(reviewers);
  const mails: PersonMail[] = [];
  const at = now.toISOString();
  const hook = (kind: EventKind, source: Notification | SlackMessage) => {
    if (!secrets.hooks[kind]) return;
    const id = Utilities.getUuid();
    out.push({
      channel: 'hook',
      message: { text: `${kind} event` },
      hook: { kind, body: JSON.stringify(hookEvent(kind, source, id, at, spreadsheetRef(true))) },
    });
  };
  for (const item of items) {
    if ('notifications' in item) {
      const list = item.notifications;
      if (list.length === 0) continue;
      for (const channel of CHANNELS) {
        if (!channels.has(channel)) continue;
        const mine = list.filter((n) => routes[kindOf(n)].includes(channel));
        if (mine.length > BURST) out.push({ channel, message: buildDigest(mine) });
        else
          for (const n of mine)
            out.push({ channel, message: buildMessage(n), thread: threadOf(n) });
      }
      for (const n of list) {
        hook(kindOf(n), n);
        personal.push(...personalItems(n, reviewers));
      }
    } else if ('kind' in item) {
      for (const channel of CHANNELS)
        if (channels.has(channel) && routes[item.kind].includes(channel))
          out.push({ channel, message: item.message });
      hook(item.kind, item.message);
    } else if ('channel' in item) {
      out.push({
        channel: item.channel,
        message: item.message,
        ...(item.pinnedUrl ? { pinnedUrl: item.pinnedUrl } : {}),
      });
    } else if ('mails' in item) {
      mails.push(...item.mails);
    } else {
      personal.push(...item.personal);
    }
  }
  if (personal.length > 0)
    mails.push(
      ...mailsFor(
        personal,
        (e) => all[MAIL_OFF + normaliseEmail(e)] === '1',
        spreadsheetRef(),
        (e) => domains.has(domainOf(e)),
      ),
    );
  for (const mail of mails) out.push({ channel: 'mail', message: { text: mail.subject }, mail });
  return out;
}

/** Adds what goes out to the outbox in one property write; returns the new records' IDs. */
export function enqueue(items: readonly Outgoing[], now: Date): string[] {
  if (items.length === 0) return [];
  const store = props();
  const settings = loadSettings('UTC');
  const all = store.getProperties();
  // The secrets are in the store just read: no read of their own.
  const secrets = secretsIn(all);
  const list = drafts(
    items,
    settings.routes,
    configured(secrets),
    secrets,
    settings.securityTeam,
    all,
    now,
  );
  if (list.length === 0) return [];
  const existing = records(all);
  const add: Record<string, string> = {};
  const room = new Map<Route, number>();
  const bytes = new Map<Route, number>();
  for (const r of existing) {
    const route = routeOf(r);
    room.set(route, (room.get(route) ?? 0) + 1);
    bytes.set(
      route,
      (bytes.get(route) ?? 0) + utf8Bytes(PREFIX + r.id) + utf8Bytes(JSON.stringify(r)),
    );
  }
  const overflow = new Map<Route, number>();
  const ids: string[] = [];
  list.forEach((draft, i) => {
    const route = draft.channel;
    const message = fitted(draft.message);
    const built: OutboxRecord = {
      id: `${now.getTime().toString(36)}-${i}-${Utilities.getUuid().slice(0, 8)}`,
      created: now.getTime() + i,
      attempts: 0,
      nextAttempt: now.getTime(),
      status: 'pending',
      lastError: '',
      message,
      ...(route !== 'slack' ? { channel: route } : {}),
      ...(draft.thread ? { thread: draft.thread } : {}),
      ...(draft.hook ? { hook: draft.hook } : {}),
      ...(draft.mail ? { mail: draft.mail } : {}),
      ...(draft.pinnedUrl ? { pinnedUrl: draft.pinnedUrl } : {}),
    };
    const record = fitRecord(built);
    if (!record) {
      console.error(`Governed Path: a ${route} notification could not be made to fit the outbox.`);
      return;
    }
    const size = utf8Bytes(JSON.stringify(record)) + 200;
    const count = room.get(route) ?? 0;
    const used = bytes.get(route) ?? 0;
    if (count >= BOUNDS[route].records || used + size > BOUNDS[route].bytes - 1000) {
      overflow.set(route, (overflow.get(route) ?? 0) + 1);
      return;
    }
    room.set(route, count + 1);
    bytes.set(route, used + size);
    add[PREFIX + record.id] = JSON.stringify(record);
    ids.push(record.id);
  });
  for (const [route, n] of overflow) {
    // Mail and ticket events that do not fit are summarised for the security team's channel.
    const id = route === 'slack' ? 'overflow' : `overflow-${route}`;
    const previous = existing.find((r) => r.id === id);
    const count = n + (previous ? Number(/^(\d+)/.exec(previous.message.text)?.[1] ?? 0) : 0);
    const target: Route = route === 'hook' || route === 'mail' ? 'slack' : route;
    const record: OutboxRecord = {
      id,
      created: previous?.created ?? now.getTime(),
      attempts: 0,
      nextAttempt: now.getTime(),
      status: 'pending',
      lastError: '',
      message: {
        text:
          route === 'slack'
            ? `${count} more registry notifications could not be queued while Slack was unreachable; the Audit Log has every one of them.`
            : route === 'mail'
              ? `${count} more mails could not be queued (too many waiting or refused); the people concerned see their entries' status in the Registry, and the Audit Log has the events.`
              : `${count} more ${ROUTE_NAMES[route]} notifications could not be queued while they were not being delivered; the Audit Log has every one of them.`,
      },
      ...(target !== 'slack' ? { channel: target } : {}),
    };
    add[PREFIX + id] = JSON.stringify(record);
  }
  try {
    store.setProperties(add);
  } catch (error) {
    // One record the store refuses must not take the others with it: each on its own.
    console.error(
      `Governed Path: the outbox write failed (${String(error).slice(0, 100)}); writing records one by one.`,
    );
    for (const [key, value] of Object.entries(add)) {
      try {
        store.setProperty(key, value);
      } catch {
        console.error(`Governed Path: an outbox record (${key.slice(0, 40)}) could not be stored.`);
      }
    }
  }
  return ids;
}

/** The record for an outbox ID, if it is still waiting or was refused. */
export function outboxRecord(id: string): OutboxRecord | null {
  const value = props().getProperty(PREFIX + id);
  return value === null ? null : (JSON.parse(value) as OutboxRecord);
}

interface Request {
  url: string;
  payload: string;
  headers?: Record<string, string>;
}

function post(request: Request, name: string): Outcome {
  try {
    const response = UrlFetchApp.fetch(request.url, {
      method: 'post',
      contentType: 'application/json; charset=UTF-8',
      payload: request.payload,
      ...(request.headers ? { headers: request.headers } : {}),
      muteHttpExceptions: true,
      followRedirects: false,
    });
    const status = response.getResponseCode();
    if (status >= 200 && status < 300) return { kind: 'delivered' };
    const headers = response.getHeaders() as Record<string, string>;
    const retryAfter = Number(headers['Retry-After'] ?? headers['retry-after']);
    return {
      kind: 'http',
      status,
      body: errorText(response.getContentText()),
      retryAfterSeconds: Number.isFinite(retryAfter) ? retryAfter : null,
    };
  } catch {
    // The error text names the host and nothing else we could add would be safe to keep.
    return { kind: 'network', error: `${name} could not be reached` };
  }
}

/** A receiver's error body, short: Google's JSON error as `STATUS: message`, else the text. */
function errorText(body: string): string {
  try {
    const e = (JSON.parse(body) as { error?: { status?: unknown; message?: unknown } }).error;
    if (e && typeof e.message === 'string')
      return `${typeof e.status === 'string' ? `${e.status}: ` : ''}${e.message}`.slice(0, 100);
  } catch {
    // Not JSON: Slack answers plain words (channel_not_found).
  }
  return body.replace(/\s+/g, ' ').slice(0, 100);
}

function hex(bytes: number[]): string {
  return bytes.map((b) => ((b + 256) % 256).toString(16).padStart(2, '0')).join('');
}

/** Where a record goes now: its webhook, and that webhook's fingerprint (pauses, refusals). */
interface Target {
  /** The webhook as configured (or pinned). */
  url: string;
  hook: string;
}

/**
 * A record's webhook as it is now, or null when its channel has none (or a ticketing webhook
 * lacks its secret). Cheap: nothing is rendered or signed until the record is posted.
 */
function targetFor(record: OutboxRecord, slackUrl: string, secrets: ChannelSecrets): Target | null {
  const route = routeOf(record);
  // An alert pinned to the webhook a channel had before a change (it must reach the old one).
  const url =
    route === 'hook' || route === 'mail'
      ? record.hook
        ? (secrets.hooks[record.hook.kind] ?? '')
        : ''
      : (record.pinnedUrl ??
        (route === 'slack' ? slackUrl : route === 'chat' ? secrets.chat : secrets.teams));
  const valid =
    route === 'slack'
      ? isSlackWebhookUrl(url)
      : route === 'chat'
        ? isChatWebhookUrl(url)
        : route === 'teams'
          ? isTeamsWebhookUrl(url)
          : route === 'hook' &&
            parseHttpsUrl(url) !== null &&
            (isJiraAutomationUrl(url) ? secrets.jiraToken !== '' : secrets.hookSecret !== '');
  return valid ? { url, hook: fingerprint(url) } : null;
}

/** The HTTP request a record becomes on its channel, signed when it is a ticketing event. */
function requestFor(record: OutboxRecord, target: Target, secrets: ChannelSecrets): Request {
  const route = routeOf(record);
  const fetchable = parseHttpsUrl(target.url)?.fetchable ?? target.url;
  if (route === 'chat')
    return {
      // One thread per entry: the key in the body, and the option that lets it start one.
      url: record.thread
        ? `${fetchable}&messageReplyOption=REPLY_MESSAGE_FALLBACK_TO_NEW_THREAD`
        : fetchable,
      payload: JSON.stringify(chatMessage(record.message, record.thread)),
    };
  if (route === 'teams')
    return { url: fetchable, payload: JSON.stringify(teamsMessage(record.message)) };
  if (route !== 'hook' || !record.hook)
    return { url: target.url, payload: JSON.stringify(slackPayload(record.message)) };
  // A ticketing event, signed with the secret as it is now.
  const body = record.hook.body;
  const headers: Record<string, string> = { 'X-Governed-Path-Event': record.hook.kind };
  if (isJiraAutomationUrl(target.url)) {
    headers['X-Automation-Webhook-Token'] = secrets.jiraToken;
  } else {
    const mac = Utilities.computeHmacSha256Signature(body, secrets.hookSecret);
    headers['X-Governed-Path-Signature'] = `sha256=${hex(mac)}`;
    // The same MAC in base64, for receivers whose HMAC answers base64 (ServiceNow's).
    headers['X-Governed-Path-Signature-Base64'] = Utilities.base64Encode(mac);
  }
  return { url: fetchable, payload: body, headers };
}

/**
 * Posts one message straight to the Slack webhook, outside the outbox (a person is waiting for
 * the answer: the self-test). Null when Slack accepted it, else why not.
 */
export function postNow(url: string, text: string): string | null {
  if (!isSlackWebhookUrl(url)) return 'no Slack webhook is configured';
  const outcome = post({ url, payload: JSON.stringify(slackPayload({ text })) }, 'Slack');
  return outcomeSentence(outcome);
}

function outcomeSentence(outcome: Outcome): string | null {
  if (outcome.kind === 'delivered') return null;
  return outcome.kind === 'http' ? `HTTP ${outcome.status} ${outcome.body}`.trim() : outcome.error;
}

/**
 * Posts a message to one team channel now, outside the outbox: a test message, or the alert
 * that a webhook changed, sent to the webhook it had before. Null when accepted, else why not.
 */
export function postToChannel(
  channel: Channel,
  message: SlackMessage,
  secrets: ChannelSecrets,
  slackUrl: string,
): string | null {
  const record: OutboxRecord = {
    id: 'now',
    created: 0,
    attempts: 0,
    nextAttempt: 0,
    status: 'pending',
    lastError: '',
    message,
    channel,
  };
  const target = targetFor(record, slackUrl, secrets);
  if (!target) return `no ${CHANNEL_NAMES[channel]} webhook is configured`;
  return outcomeSentence(post(requestFor(record, target, secrets), CHANNEL_NAMES[channel]));
}

export interface ChannelReport {
  delivered: number;
  waiting: number;
  undeliverable: OutboxRecord[];
}

export interface OutboxReport {
  delivered: number;
  waiting: number;
  undeliverable: OutboxRecord[];
  noWebhook: boolean;
  /** Another execution was delivering; this one left the outbox alone. */
  busy: boolean;
  /** Each channel's share (Slack's is the totals above for compatibility: see `slack`). */
  channels: Partial<Record<Route, ChannelReport>>;
}

function emptyReport(): OutboxReport {
  return {
    delivered: 0,
    waiting: 0,
    undeliverable: [],
    noWebhook: false,
    busy: false,
    channels: {},
  };
}

/** Sends one mail; a rejected address throws (MailApp), so it is one try, never repeated. */
function sendMail(mail: PersonMail): Outcome {
  try {
    MailApp.sendEmail({
      to: mail.to,
      subject: mail.subject,
      body: mail.body,
      ...(mail.htmlBody ? { htmlBody: mail.htmlBody } : {}),
      name: 'Governed Path',
    });
    return { kind: 'delivered' };
  } catch (error) {
    // The error may come from another realm: read its message, not its class.
    const message = (error as { message?: unknown } | null)?.message;
    const text = typeof message === 'string' ? message : String(error);
    // The day's quota is spent: tomorrow, not a refusal of this mail.
    if (/too many times|quota/i.test(text))
      return {
        kind: 'http',
        status: 429,
        body: 'daily mail quota used up',
        retryAfterSeconds: 3600,
      };
    return { kind: 'http', status: 400, body: text.slice(0, 100), retryAfterSeconds: null };
  }
}

/**
 * Sends what is due on every channel, each channel oldest first and at most `limit` messages,
 * about one a second per webhook; `mail` only in executions of the add-on's own triggers. Runs under the script lock, and marks each record 'sending'
 * before its post, so a message goes at most once even when executions overlap or stop halfway.
 */
export function deliverOutbox(limit = 10, mail = false): OutboxReport {
  const lock = LockService.getScriptLock();
  if (!lock.tryLock(5000)) return { ...outboxStatus(), busy: true };
  try {
    const store = props();
    const all = store.getProperties();
    const slackUrl = all[PROP.webhook] ?? '';
    const list0 = records(all);
    const now = () => new Date().getTime();
    if (list0.length === 0) return outboxStatus(all);
    const secrets = list0.some((r) => routeOf(r) !== 'slack' && routeOf(r) !== 'mail')
      ? secretsIn(all)
      : { chat: '', teams: '', hooks: {}, hookSecret: '', jiraToken: '' };
    // A record left 'sending' by a stopped execution is settled; one refused by an earlier
    // webhook is tried again by this one. Both written as found, the list kept in step.
    const list = list0.map((record) => {
      let next = staleSending(record, now()) ?? record;
      if (routeOf(next) !== 'mail') {
        const target = targetFor(next, slackUrl, secrets);
        next = (target && revived(next, target.hook, now())) ?? next;
      }
      if (next !== record) store.setProperty(PREFIX + next.id, JSON.stringify(next));
      return next;
    });
    const delivered = new Map<Route, number>();
    const dropped = new Map<Route, number>();
    for (const route of ROUTES) {
      const mine = list.filter((r) => routeOf(r) === route);
      if (mine.length === 0) continue;
      if (route === 'mail') {
        const batch = due(mine, now()).slice(0, limit);
        // Mail goes from the account the jobs run as (the trigger owner), never from whoever
        // opened the sidebar: a sidebar call leaves it for the next trigger execution.
        if (mail && batch.length > 0)
          delivered.set(route, deliverMail(store, batch, all[PAUSED.mail], now));
        continue;
      }
      // What has somewhere to go, oldest first: a record whose Chat, Teams or ticketing webhook
      // was cleared is dropped (that place is gone), so it never holds up the rest; Slack's wait
      // for a webhook, as before.
      const ready: { record: OutboxRecord; target: Target }[] = [];
      for (const record of due(mine, now())) {
        const target = targetFor(record, slackUrl, secrets);
        if (target) ready.push({ record, target });
        else if (route !== 'slack' && !record.pinnedUrl) {
          store.deleteProperty(PREFIX + record.id);
          dropped.set(route, (dropped.get(route) ?? 0) + 1);
        }
      }
      let sent = 0;
      for (const { record, target } of ready) {
        if (sent >= limit) break;
        // A pause is the webhook's that asked for it: another webhook is not held up by it.
        const key = pauseKey(route, target.hook);
        const [until, pausedBy] = (all[key] ?? '0|').split('|');
        if (pausedBy === target.hook && Number(until) > now()) continue;
        if (sent++ > 0) Utilities.sleep(GAP_MS);
        store.setProperty(
          PREFIX + record.id,
          JSON.stringify({ ...record, status: 'sending', nextAttempt: now() }),
        );
        const outcome = post(requestFor(record, target, secrets), ROUTE_NAMES[route]);
        const next = afterAttempt(record, outcome, now());
        if (next === null) {
          store.deleteProperty(PREFIX + record.id);
          delivered.set(route, (delivered.get(route) ?? 0) + 1);
        } else {
          const refused = next.status === 'undeliverable' ? { refusedBy: target.hook } : {};
          store.setProperty(PREFIX + record.id, JSON.stringify({ ...next, ...refused }));
        }
        const pause = pauseAfter(outcome, now());
        if (pause !== null) {
          // The webhook asked us to wait: everything for it waits (nothing behind overtakes).
          store.setProperty(key, `${pause}|${target.hook}`);
          all[key] = `${pause}|${target.hook}`;
        }
      }
    }
    const after = store.getProperties();
    pruneRefusedMail(store, after);
    const report = outboxStatus(after);
    for (const [route, n] of delivered) {
      if (n === 0) continue;
      const c = (report.channels[route] ??= { delivered: 0, waiting: 0, undeliverable: [] });
      c.delivered = n;
    }
    for (const [route, n] of dropped)
      console.warn(
        `Governed Path: dropped ${n} ${ROUTE_NAMES[route]} message(s): its webhook was cleared.`,
      );
    report.delivered = report.channels.slack?.delivered ?? 0;
    return report;
  } finally {
    lock.releaseLock();
  }
}

/** Mails within the day's quota; the rest wait for tomorrow's (the hourly job tries again). */
function deliverMail(
  store: RegistryStore,
  batch: OutboxRecord[],
  paused: string | undefined,
  now: () => number,
): number {
  if (Number((paused ?? '0').split('|')[0]) > now()) return 0;
  let quota = Math.max(0, MailApp.getRemainingDailyQuota());
  let sent = 0;
  for (const record of batch) {
    if (!record.mail) {
      store.deleteProperty(PREFIX + record.id);
      continue;
    }
    if (quota < 1) {
      store.setProperty(PAUSED.mail, `${now() + 60 * 60 * 1000}|quota`);
      return sent;
    }
    store.setProperty(
      PREFIX + record.id,
      JSON.stringify({ ...record, status: 'sending', nextAttempt: now() }),
    );
    const outcome = sendMail(record.mail);
    quota--;
    const next = afterAttempt(record, outcome, now());
    if (next === null) {
      store.deleteProperty(PREFIX + record.id);
      sent++;
    } else {
      // MailApp's own sentence ("Invalid email: …"), not an HTTP status it never had.
      const reason =
        outcome.kind === 'http' && outcome.status === 400 ? outcome.body : next.lastError;
      store.setProperty(PREFIX + record.id, JSON.stringify({ ...next, lastError: reason }));
    }
    if (outcome.kind === 'http' && outcome.status === 429) {
      store.setProperty(PAUSED.mail, `${now() + 60 * 60 * 1000}|quota`);
      return sent;
    }
  }
  return sent;
}

/** Mail refused for good is kept for the report, the latest few only: it never fills the outbox. */
const REFUSED_MAIL_KEPT = 20;

function pruneRefusedMail(store: RegistryStore, all: Record<string, string>): void {
  const refused = records(all)
    .filter((r) => routeOf(r) === 'mail' && r.status === 'undeliverable')
    .sort((a, b) => b.created - a.created);
  for (const r of refused.slice(REFUSED_MAIL_KEPT)) {
    store.deleteProperty(PREFIX + r.id);
    delete all[PREFIX + r.id];
  }
}

/** Where a webhook's 429 pause is kept: one per channel; one per ticketing webhook. */
function pauseKey(route: Route, hook: string): string {
  return route === 'hook' ? `${PAUSED.hook}.${hook}` : PAUSED[route];
}

/** What the outbox holds, without delivering anything. */
export function outboxStatus(given?: Record<string, string>): OutboxReport {
  const all = given ?? props().getProperties();
  const list = records(all);
  const report = emptyReport();
  for (const route of ROUTES) {
    const mine = list.filter((r) => routeOf(r) === route);
    if (mine.length === 0) continue;
    report.channels[route] = {
      delivered: 0,
      waiting: mine.filter((r) => r.status !== 'undeliverable').length,
      undeliverable: mine.filter((r) => r.status === 'undeliverable'),
    };
  }
  const slack = report.channels.slack;
  report.waiting = slack?.waiting ?? 0;
  report.undeliverable = slack?.undeliverable ?? [];
  report.noWebhook = !isSlackWebhookUrl(all[PROP.webhook] ?? '');
  return report;
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
  for (const route of ROUTES) {
    if (route === 'slack') continue;
    const c = report.channels[route];
    if (!c) continue;
    const name = ROUTE_NAMES[route];
    if (c.delivered > 0) lines.push(`${name}: delivered ${c.delivered} message(s).`);
    if (c.waiting > 0)
      lines.push(`${name}: ${c.waiting} message(s) are waiting to be sent or retried.`);
    if (c.undeliverable.length > 0) {
      const reasons = [...new Set(c.undeliverable.map((r) => r.lastError))].slice(0, 3).join('; ');
      lines.push(
        route === 'mail'
          ? `Mail: ${c.undeliverable.length} mail(s) could not be sent (${reasons}); they are kept in the outbox.`
          : `${name} refused ${c.undeliverable.length} message(s) for good (${reasons}); they are kept and go again once the webhook in Settings changes.`,
      );
    }
  }
  return lines;
}

/** Team channels a test can go to: the ones with a webhook. */
export function configuredChannels(): Channel[] {
  const withWebhook = configured(loadSecrets());
  if (!isSlackWebhookUrl(props().getProperty(PROP.webhook) ?? '')) withWebhook.delete('slack');
  return CHANNELS.filter((c) => withWebhook.has(c));
}
