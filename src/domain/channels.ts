import type { Notification } from './slack';

/**
 * Where notifications go (issue 16): the security team's channels (Slack, Google Chat,
 * Microsoft Teams), a ticketing webhook per event kind, and mail to the people an event
 * concerns. Pure rules: which kind an event is, where each kind goes, which URLs are webhooks.
 */

/** The team channels, in the order Settings shows them. */
export const CHANNELS = ['slack', 'chat', 'teams'] as const;
export type Channel = (typeof CHANNELS)[number];

export const CHANNEL_NAMES: Record<Channel, string> = {
  slack: 'Slack',
  chat: 'Google Chat',
  teams: 'Microsoft Teams',
};

/** The event kinds a security team routes (Settings › Notifications). */
export const EVENT_KINDS = [
  'new-entry',
  'review-requested',
  'decision',
  'blocked',
  'production-gate',
  'tampering',
  'integrity',
  'overdue',
  'attestation',
  'monthly',
  'guide',
  'lifecycle',
] as const;
export type EventKind = (typeof EVENT_KINDS)[number];

export const EVENT_NAMES: Record<EventKind, string> = {
  'new-entry': 'New entry',
  'review-requested': 'Tier 3 review requested or re-submitted',
  decision: 'Review decision',
  blocked: 'Tier 4 block',
  'production-gate': 'Production gate',
  tampering: 'Tampering and claims',
  integrity: 'Integrity alert',
  overdue: 'Reviews due and overdue',
  attestation: 'Attestation summary',
  monthly: 'Monthly review',
  guide: 'Decision tree',
  lifecycle: 'Expiries, lapses, owners and escalations',
};

export type Routes = Record<EventKind, Channel[]>;

/** Kinds that may not be routed nowhere. */
export const ALWAYS_ROUTED: readonly EventKind[] = ['tampering', 'integrity'];

/** Everything to every team channel that is configured (a channel without a URL gets nothing). */
export function defaultRoutes(): Routes {
  const out = {} as Routes;
  for (const k of EVENT_KINDS) out[k] = [...CHANNELS];
  return out;
}

/** Stored routes read leniently: an unknown kind or channel is dropped, a missing kind defaults. */
export function routesFromStored(stored: unknown): Routes {
  const out = defaultRoutes();
  if (typeof stored !== 'object' || stored === null || Array.isArray(stored)) return out;
  for (const k of EVENT_KINDS) {
    const v = (stored as Record<string, unknown>)[k];
    if (Array.isArray(v)) out[k] = CHANNELS.filter((c) => v.includes(c));
  }
  return out;
}

/**
 * Routes a person saved: `{kind: [channel…]}`. A sentence per problem; kinds not sent keep
 * what they had.
 */
export function validateRoutes(
  input: unknown,
  current: Routes,
): { routes: Routes; problems: string[] } {
  const routes: Routes = { ...current };
  if (input === undefined) return { routes, problems: [] };
  if (typeof input !== 'object' || input === null || Array.isArray(input))
    return { routes, problems: ['Notification routes must be sent as a table of event kinds.'] };
  const problems: string[] = [];
  for (const [k, v] of Object.entries(input as Record<string, unknown>)) {
    if (!(EVENT_KINDS as readonly string[]).includes(k)) {
      problems.push(`"${k.slice(0, 40)}" is not an event kind Governed Path sends.`);
      continue;
    }
    if (!Array.isArray(v) || !v.every((c) => (CHANNELS as readonly unknown[]).includes(c))) {
      problems.push(
        `${EVENT_NAMES[k as EventKind]}: choose among Slack, Google Chat and Microsoft Teams.`,
      );
      continue;
    }
    routes[k as EventKind] = CHANNELS.filter((c) => v.includes(c));
  }
  // What says the registry is under attack always reaches the team somewhere.
  for (const k of ALWAYS_ROUTED)
    if (routes[k].length === 0)
      problems.push(
        `${EVENT_NAMES[k]} must go to at least one team channel: they are how the security team hears of an attack.`,
      );
  return { routes, problems };
}

/** The event kind a notification is routed as. */
export function kindOf(n: Notification): EventKind {
  switch (n.kind) {
    case 'registered':
      return n.entry.approval === 'Blocked' ? 'blocked' : 'new-entry';
    case 'review-requested':
      return 'review-requested';
    case 'blocked':
      return 'blocked';
    case 'production-gate':
      return 'production-gate';
    case 'review-decided':
      return 'decision';
    case 'tampering':
    case 'claim':
    case 'put-back':
      return 'tampering';
    case 'chain-broken':
    case 'head':
    case 'notice':
    case 'undeliverable':
      return 'integrity';
  }
}

/** The entry a notification is about (its Chat thread), if any. */
export function threadOf(n: Notification): string | undefined {
  return 'entry' in n ? n.entry.id : undefined;
}

// ---------------------------------------------------------------- webhook URLs

/** A host pattern of the manifest's urlFetchWhitelist: `https://*.example.com/` or exact. */
function hostMatches(pattern: string, host: string): boolean {
  if (pattern.startsWith('*.'))
    return host.endsWith(pattern.slice(1)) && host.length > pattern.length - 1;
  return host === pattern;
}

export interface ParsedUrl {
  host: string;
  /** The URL as it is fetched: https, the default port dropped (the allowlist has none). */
  fetchable: string;
}

/**
 * An https URL with no credentials and no port but 443, which is dropped: Teams hands out URLs
 * with `:443`, and whether Apps Script's allowlist matches a prefix without the port is not
 * documented, so the add-on fetches the same resource without it.
 */
export function parseHttpsUrl(url: string): ParsedUrl | null {
  const m = /^https:\/\/([A-Za-z0-9.-]+)(?::(\d+))?(\/[^\s<>"'`\\]*)$/.exec(url);
  if (!m) return null;
  if (m[2] !== undefined && m[2] !== '443') return null;
  const host = m[1].toLowerCase();
  if (!/^[a-z0-9-]+(\.[a-z0-9-]+)+$/.test(host)) return null;
  return { host, fetchable: `https://${host}${m[3]}` };
}

/** True when the manifest's allowlist lets Apps Script fetch this (fetchable) URL. */
export function allowlisted(fetchable: string, allowlist: readonly string[]): boolean {
  const parsed = parseHttpsUrl(fetchable);
  if (!parsed) return false;
  const rest = fetchable.slice(`https://${parsed.host}`.length);
  return allowlist.some((entry) => {
    const m = /^https:\/\/([^/]+)(\/.*)$/.exec(entry);
    return m !== null && hostMatches(m[1], parsed.host) && rest.startsWith(m[2]);
  });
}

export function isChatWebhookUrl(url: string): boolean {
  return /^https:\/\/chat\.googleapis\.com\/v1\/spaces\/[A-Za-z0-9_-]+\/messages\?(?=[^#\s]*\bkey=[^&#\s]+)(?=[^#\s]*\btoken=[^&#\s]+)[^#\s<>"'`\\]+$/.test(
    url,
  );
}

const TEAMS_HOST = /\.(logic\.azure\.com|api\.powerplatform\.com)$/;

export function isTeamsWebhookUrl(url: string): boolean {
  const parsed = parseHttpsUrl(url);
  return parsed !== null && TEAMS_HOST.test(parsed.host) && /[?&]sig=[^&#\s]+/.test(url);
}

/** A retired Office 365 connector URL (`….webhook.office.com/webhookb2/…`). */
export function isRetiredTeamsUrl(url: string): boolean {
  return (
    /^https:\/\/[A-Za-z0-9.-]*\.?webhook\.office\.com\//i.test(url) ||
    /^https:\/\/outlook\.office(365)?\.com\/webhook\//i.test(url)
  );
}

/** Jira Automation's incoming webhook (the "Incoming webhook" trigger's URL). */
export function isJiraAutomationUrl(url: string): boolean {
  return /^https:\/\/api-private\.atlassian\.com\/automation\/webhooks\/[A-Za-z0-9/_-]+$/.test(url);
}

/** The ticketing hosts shipped in the manifest (and only these are offered for webhooks). */
export const HOOK_HOSTS = ['api-private.atlassian.com', '*.atlassian.net', '*.service-now.com'];

/**
 * Whether a ticketing webhook URL may be saved: https, allowlisted, and on a host the publisher
 * pinned when it pinned any (`pinned`: exact hosts such as `acme.service-now.com`). Null when
 * it may, else the sentence a person sees.
 */
export function hookUrlProblem(
  url: string,
  allowlist: readonly string[],
  pinned: readonly string[],
): string | null {
  const parsed = parseHttpsUrl(url);
  if (!parsed) return 'must be an https:// address without a user name or another port';
  if (!HOOK_HOSTS.some((p) => hostMatches(p.replace(/^\*\./, '*.'), parsed.host)))
    return `must be a Jira Cloud (…atlassian.net or api-private.atlassian.com) or ServiceNow (…service-now.com) address; another host has to be added to appsscript.json's urlFetchWhitelist before deployment (README, Ticketing)`;
  if (!allowlisted(parsed.fetchable, allowlist))
    return `is not in this deployment's urlFetchWhitelist (appsscript.json)`;
  if (pinned.length > 0 && !pinned.includes(parsed.host))
    return `is not one of the tenants this deployment is pinned to (${pinned.slice(0, 5).join(', ')})`;
  return null;
}

/** How a webhook URL is shown once saved: its host and last four characters, never the secret. */
export function maskUrl(url: string): string {
  if (url === '') return '';
  const parsed = parseHttpsUrl(url);
  return `https://${parsed?.host ?? '…'}/…${url.slice(-4)}`;
}

/** How a shared secret is shown once saved. */
export function maskSecret(secret: string): string {
  return secret === '' ? '' : `(set, …${secret.slice(-2)})`;
}

// ---------------------------------------------------------------- secrets

/** What is write-only: every webhook URL (each carries its own secret) and the shared secrets. */
export interface ChannelSecrets {
  chat: string;
  teams: string;
  hooks: Partial<Record<EventKind, string>>;
  /** The HMAC-SHA256 key of the signed webhook. */
  hookSecret: string;
  /** Jira Automation's incoming-webhook secret (sent as X-Automation-Webhook-Token). */
  jiraToken: string;
}

export function emptySecrets(): ChannelSecrets {
  return { chat: '', teams: '', hooks: {}, hookSecret: '', jiraToken: '' };
}

export function secretsFromStored(stored: unknown): ChannelSecrets {
  const out = emptySecrets();
  if (typeof stored !== 'object' || stored === null) return out;
  const s = stored as Record<string, unknown>;
  const str = (v: unknown) => (typeof v === 'string' ? v : '');
  out.chat = str(s.chat);
  out.teams = str(s.teams);
  out.hookSecret = str(s.hookSecret);
  out.jiraToken = str(s.jiraToken);
  if (typeof s.hooks === 'object' && s.hooks !== null)
    for (const k of EVENT_KINDS) {
      const v = str((s.hooks as Record<string, unknown>)[k]);
      if (v) out.hooks[k] = v;
    }
  return out;
}

/** How the secrets go to the sidebar: masked, never the values. */
export function maskedSecrets(s: ChannelSecrets): {
  chatWebhookUrl: string;
  teamsWebhookUrl: string;
  hookUrls: Partial<Record<EventKind, string>>;
  hookSecret: string;
  jiraToken: string;
} {
  const hookUrls: Partial<Record<EventKind, string>> = {};
  for (const [k, v] of Object.entries(s.hooks)) if (v) hookUrls[k as EventKind] = maskUrl(v);
  return {
    chatWebhookUrl: maskUrl(s.chat),
    teamsWebhookUrl: maskUrl(s.teams),
    hookUrls,
    hookSecret: maskSecret(s.hookSecret),
    jiraToken: maskSecret(s.jiraToken),
  };
}

export const SECRET_LIMITS = { url: 600, secret: 200, secretMin: 16 } as const;

export interface SecretsCheck {
  secrets: ChannelSecrets;
  problems: string[];
  /** What changed, in words for the Audit Log and the alert (never the values). */
  changed: string[];
}

/**
 * Secrets a person saved. A field sent back as its mask keeps its value, an empty one clears
 * it, anything else must be the right kind of URL (or a long enough secret).
 */
export function validateSecrets(
  input: Record<string, unknown>,
  current: ChannelSecrets,
  allowlist: readonly string[],
  pinned: readonly string[],
): SecretsCheck {
  const secrets: ChannelSecrets = { ...current, hooks: { ...current.hooks } };
  const problems: string[] = [];
  const changed: string[] = [];
  const field = (
    raw: unknown,
    old: string,
    mask: (v: string) => string,
    label: string,
    check: (v: string) => string | null,
  ): string => {
    if (raw === undefined) return old;
    if (typeof raw !== 'string') {
      problems.push(`${label} must be text.`);
      return old;
    }
    const v = raw.trim();
    if (v === mask(old)) return old;
    if (v === '') {
      if (old !== '') changed.push(`${label} cleared`);
      return '';
    }
    const problem =
      v.length > SECRET_LIMITS.url
        ? `is too long (at most ${SECRET_LIMITS.url} characters)`
        : check(v);
    if (problem) {
      problems.push(`${label} ${problem}.`);
      return old;
    }
    if (v !== old) changed.push(old === '' ? `${label} set` : `${label} changed`);
    return v;
  };
  const url = (ok: (v: string) => boolean, sentence: string) => (v: string) => {
    if (!ok(v)) return sentence;
    const parsed = parseHttpsUrl(v);
    return parsed && allowlisted(parsed.fetchable, allowlist)
      ? null
      : 'is not in this deployment’s urlFetchWhitelist (appsscript.json)';
  };
  secrets.chat = field(
    input.chatWebhookUrl,
    current.chat,
    maskUrl,
    'The Google Chat webhook',
    url(
      isChatWebhookUrl,
      'must be a Chat space’s incoming webhook: https://chat.googleapis.com/v1/spaces/…/messages?key=…&token=… (Space › Apps & integrations › Webhooks)',
    ),
  );
  secrets.teams = field(
    input.teamsWebhookUrl,
    current.teams,
    maskUrl,
    'The Microsoft Teams webhook',
    (v) =>
      isRetiredTeamsUrl(v)
        ? 'is an Office 365 connector address (…webhook.office.com), which Microsoft retired: create a Workflows webhook instead (Teams › Workflows › “Post to a channel when a webhook request is received”) and paste its URL'
        : url(
            isTeamsWebhookUrl,
            'must be a Teams Workflows webhook (https://….logic.azure.com/workflows/… or https://….api.powerplatform.com/…, with its sig=…)',
          )(v),
  );
  const hooks = input.hookUrls;
  if (hooks !== undefined) {
    if (typeof hooks !== 'object' || hooks === null || Array.isArray(hooks))
      problems.push('Ticketing webhooks must be sent as a table of event kinds.');
    else
      for (const [k, raw] of Object.entries(hooks as Record<string, unknown>)) {
        if (!(EVENT_KINDS as readonly string[]).includes(k)) {
          problems.push(`"${k.slice(0, 40)}" is not an event kind Governed Path sends.`);
          continue;
        }
        const kind = k as EventKind;
        const v = field(
          raw,
          current.hooks[kind] ?? '',
          maskUrl,
          `The ticketing webhook for ${EVENT_NAMES[kind]}`,
          (u) => hookUrlProblem(u, allowlist, pinned),
        );
        if (v) secrets.hooks[kind] = v;
        else delete secrets.hooks[kind];
      }
  }
  const secret = (raw: unknown, old: string, label: string): string =>
    field(raw, old, maskSecret, label, (v) =>
      v.length < SECRET_LIMITS.secretMin
        ? `must be at least ${SECRET_LIMITS.secretMin} characters (a random string the receiver also knows)`
        : v.length > SECRET_LIMITS.secret
          ? `is too long (at most ${SECRET_LIMITS.secret} characters)`
          : /[^\x21-\x7e]/.test(v)
            ? 'must be printable characters without spaces'
            : null,
    );
  secrets.hookSecret = secret(input.hookSecret, current.hookSecret, 'The webhook signing secret');
  secrets.jiraToken = secret(input.jiraToken, current.jiraToken, 'The Jira Automation secret');
  const signedHooks = Object.values(secrets.hooks).filter((u) => u && !isJiraAutomationUrl(u));
  if (signedHooks.length > 0 && secrets.hookSecret === '')
    problems.push(
      'Set a webhook signing secret: a ticketing webhook that is not Jira Automation’s is signed with it, and receivers reject unsigned events.',
    );
  const jiraHooks = Object.values(secrets.hooks).filter((u) => u && isJiraAutomationUrl(u));
  if (jiraHooks.length > 0 && secrets.jiraToken === '')
    problems.push(
      'Set the Jira Automation secret: Jira refuses an incoming webhook without it (the rule’s trigger shows it).',
    );
  return { secrets, problems, changed };
}
