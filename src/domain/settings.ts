/**
 * Settings (DESIGN §2, §9): what the security team configures. Stored in Document Properties;
 * the Slack webhook URL is a secret kept under its own key and never returned to a client.
 */

export interface Settings {
  securityTeam: string[];
  slackWebhookUrl: string;
  slackChannel: string;
  estimatedProjects: number | null;
  reviewSlaDays: number;
  holidays: string[];
  timeZone: string;
  graceDays: number;
  autoDecommission: boolean;
  emailCreators: boolean;
  departments: string[];
}

export function defaultSettings(timeZone: string): Settings {
  return {
    securityTeam: [],
    slackWebhookUrl: '',
    slackChannel: '#security-updates',
    estimatedProjects: null,
    reviewSlaDays: 5,
    holidays: [],
    timeZone,
    graceDays: 30,
    autoDecommission: false,
    emailCreators: true,
    departments: [],
  };
}

const EMAIL = /^[^\s@<>()[\]\\,;:"]+@[^\s@<>()[\]\\,;:"]+\.[^\s@<>()[\]\\,;:"]+$/;

export function isEmail(value: string): boolean {
  return EMAIL.test(value);
}

export function normaliseEmail(value: string): string {
  return value.trim().toLowerCase();
}

/** An empty email (consumer accounts, simple triggers) is never a security-team member. */
export function isSecurityTeamMember(settings: Settings, email: string): boolean {
  const e = normaliseEmail(email);
  return e !== '' && settings.securityTeam.some((m) => normaliseEmail(m) === e);
}

const SLACK_PREFIX = 'https://hooks.slack.com/';

export function isSlackWebhookUrl(url: string): boolean {
  return url.startsWith(SLACK_PREFIX) && /^https:\/\/hooks\.slack\.com\/[\w\-/]+$/.test(url);
}

/** The form the webhook URL takes whenever it leaves the server. */
export function maskWebhookUrl(url: string): string {
  if (url === '') return '';
  return `${SLACK_PREFIX}…${url.slice(-4)}`;
}

/**
 * Reads stored settings leniently: anything missing or of the wrong type falls back to the
 * default, so a hand-edited property never breaks the add-on.
 */
export function settingsFromStored(stored: unknown, timeZone: string): Settings {
  const d = defaultSettings(timeZone);
  if (typeof stored !== 'object' || stored === null) return d;
  const s = stored as Record<string, unknown>;
  const strings = (v: unknown, fallback: string[]): string[] =>
    Array.isArray(v) ? v.filter((x): x is string => typeof x === 'string') : fallback;
  const str = (v: unknown, fallback: string): string => (typeof v === 'string' ? v : fallback);
  const num = (v: unknown, fallback: number): number =>
    typeof v === 'number' && Number.isFinite(v) ? v : fallback;
  const bool = (v: unknown, fallback: boolean): boolean => (typeof v === 'boolean' ? v : fallback);
  return {
    securityTeam: strings(s.securityTeam, d.securityTeam),
    slackWebhookUrl: str(s.slackWebhookUrl, d.slackWebhookUrl),
    slackChannel: str(s.slackChannel, d.slackChannel),
    estimatedProjects:
      typeof s.estimatedProjects === 'number' && s.estimatedProjects > 0
        ? s.estimatedProjects
        : null,
    reviewSlaDays: num(s.reviewSlaDays, d.reviewSlaDays),
    holidays: strings(s.holidays, d.holidays),
    timeZone: str(s.timeZone, d.timeZone) || d.timeZone,
    graceDays: num(s.graceDays, d.graceDays),
    autoDecommission: bool(s.autoDecommission, d.autoDecommission),
    emailCreators: bool(s.emailCreators, d.emailCreators),
    departments: strings(s.departments, d.departments),
  };
}
