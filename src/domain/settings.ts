import { isHttpsLink } from './injection';
import { defaultRoutes, routesFromStored, validateRoutes, type Routes } from './channels';
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
  /** Which team channels each event kind goes to (issue 16). */
  routes: Routes;
  /** Where the decision tree goes each month (an all-staff group); '' for nowhere. */
  allStaffEmail: string;
  /** Issue 17: months a Tier 3 approval stays valid before a re-review opens. */
  approvalMonths: number;
  /** Two different security-team members must approve a Tier 3 entry before Production. */
  secondApproval: boolean;
  /** Who an overdue review escalates to ('' for nobody: the team's digest only). */
  securityLead: string;
  /** How new reviews are assigned: in turn, or by department (its reviewer below, else in turn). */
  assignment: 'round-robin' | 'department';
  /** Department → the security-team member its reviews go to. */
  reviewerByDepartment: Record<string, string>;
  /**
   * Issue 18: a short survey (an https:// link) invitations to register a discovered project
   * point to, asking why it was not registered ('' for none).
   */
  surveyUrl: string;
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
    routes: defaultRoutes(),
    allStaffEmail: '',
    approvalMonths: 12,
    secondApproval: false,
    securityLead: '',
    assignment: 'round-robin',
    reviewerByDepartment: {},
    surveyUrl: '',
  };
}

/**
 * An address MailApp takes (issue 16: the add-on mails owners): RFC 5322's atoms, no leading,
 * trailing or doubled dot, and a domain of letters, digits and hyphens in two labels or more.
 */
const EMAIL =
  /^(?!\.)(?!.*\.\.)[A-Za-z0-9.!#$%&'*+/=?^_`{|}~-]+(?<!\.)@[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?(?:\.[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?)+$/;

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
function stringMap(v: unknown): Record<string, string> {
  if (typeof v !== 'object' || v === null || Array.isArray(v)) return {};
  return Object.fromEntries(
    Object.entries(v as Record<string, unknown>).filter(
      (e): e is [string, string] => typeof e[1] === 'string',
    ),
  );
}

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
    // Whatever was stored, the zone is the spreadsheet's (DESIGN §2: one zone).
    timeZone: d.timeZone,
    graceDays: num(s.graceDays, d.graceDays),
    autoDecommission: bool(s.autoDecommission, d.autoDecommission),
    emailCreators: bool(s.emailCreators, d.emailCreators),
    departments: strings(s.departments, d.departments),
    routes: routesFromStored(s.routes),
    allStaffEmail: str(s.allStaffEmail, d.allStaffEmail),
    approvalMonths:
      Number.isInteger(s.approvalMonths) && (s.approvalMonths as number) >= 1
        ? Math.min(s.approvalMonths as number, 36)
        : d.approvalMonths,
    secondApproval: bool(s.secondApproval, d.secondApproval),
    securityLead: str(s.securityLead, d.securityLead),
    assignment: s.assignment === 'department' ? 'department' : 'round-robin',
    reviewerByDepartment: stringMap(s.reviewerByDepartment),
    surveyUrl:
      typeof s.surveyUrl === 'string' && isHttpsLink(s.surveyUrl) ? s.surveyUrl : d.surveyUrl,
  };
}

export interface SettingsCheck {
  settings: Settings | null;
  /** One sentence per problem, naming the setting. */
  problems: string[];
}

const ISO = /^\d{4}-\d{2}-\d{2}$/;

/**
 * Validates settings a person saved. `current` supplies the webhook when the masked value is
 * sent back unchanged (the URL itself never goes to the browser).
 */
/**
 * How much each setting may hold (issue 15): well inside what one Document Property holds
 * (9 KB per value; settings are stored as one), each over it a sentence naming the limit.
 */
export const SETTINGS_LIMITS = {
  securityTeam: 50,
  departments: 150,
  departmentLength: 60,
  holidays: 120,
  webhookUrl: 300,
  /** The stored settings as JSON, in characters: under the 9 KB a property value may hold. */
  stored: 8000,
} as const;

export function validateSettings(input: unknown, current: Settings): SettingsCheck {
  const problems: string[] = [];
  if (typeof input !== 'object' || input === null || Array.isArray(input)) {
    return { settings: null, problems: ['Settings must be sent as a form.'] };
  }
  const s = input as Record<string, unknown>;
  const list = (key: string): string[] => {
    const v = s[key];
    if (v === undefined) return (current as unknown as Record<string, string[]>)[key];
    if (typeof v === 'string')
      return v
        .split(/[\n,;]/)
        .map((x) => x.trim())
        .filter((x) => x !== '');
    if (Array.isArray(v) && v.every((x) => typeof x === 'string'))
      return v.map((x) => x.trim()).filter((x) => x !== '');
    problems.push(`${key} must be a list.`);
    return [];
  };
  const num = (key: keyof Settings, label: string, min: number, max: number): number => {
    const raw = s[key];
    const n = typeof raw === 'string' && raw.trim() !== '' ? Number(raw) : raw;
    if (typeof n !== 'number' || !Number.isInteger(n) || n < min || n > max) {
      problems.push(`${label} must be a whole number from ${min} to ${max}.`);
      return current[key] as number;
    }
    return n;
  };

  const securityTeam = list('securityTeam').map(normaliseEmail);
  const bad = securityTeam.filter((e) => !isEmail(e));
  if (bad.length > 0) problems.push(`Security team: "${bad[0]}" is not an email address.`);
  if (securityTeam.length === 0) problems.push('Security team needs at least one email address.');
  if (securityTeam.length > SETTINGS_LIMITS.securityTeam)
    problems.push(
      `Security team can have at most ${SETTINGS_LIMITS.securityTeam} people (${securityTeam.length} given): use a Google Group's members you name here, or fewer people.`,
    );

  let slackWebhookUrl = current.slackWebhookUrl;
  const url = typeof s.slackWebhookUrl === 'string' ? s.slackWebhookUrl.trim() : undefined;
  if (url !== undefined && url !== maskWebhookUrl(current.slackWebhookUrl)) {
    if (url === '') slackWebhookUrl = '';
    else if (url.length > SETTINGS_LIMITS.webhookUrl)
      problems.push(
        `The Slack webhook URL is too long (at most ${SETTINGS_LIMITS.webhookUrl} characters): copy it again from the Slack app’s Incoming Webhooks page.`,
      );
    else if (!isSlackWebhookUrl(url)) {
      problems.push(
        'The Slack webhook URL must start with https://hooks.slack.com/ (copy it from the Slack app’s Incoming Webhooks page).',
      );
    } else slackWebhookUrl = url;
  }

  const slackChannel =
    typeof s.slackChannel === 'string' ? s.slackChannel.trim() : current.slackChannel;
  if (slackChannel.length > 80) problems.push('Slack channel label is too long.');

  const estimatedRaw = s.estimatedProjects;
  let estimatedProjects = current.estimatedProjects;
  if (estimatedRaw === '' || estimatedRaw === null) estimatedProjects = null;
  else if (estimatedRaw !== undefined) {
    const n = typeof estimatedRaw === 'string' ? Number(estimatedRaw) : estimatedRaw;
    if (typeof n !== 'number' || !Number.isInteger(n) || n < 1 || n > 1_000_000) {
      problems.push('Estimated AI-built projects must be a whole number of at least 1, or empty.');
    } else estimatedProjects = n;
  }

  const holidays = list('holidays');
  const badDay = holidays.find((h) => !ISO.test(h) || Number.isNaN(Date.parse(`${h}T00:00:00Z`)));
  if (badDay) problems.push(`Holiday "${badDay.slice(0, 40)}" must be a date written yyyy-mm-dd.`);
  if (holidays.length > SETTINGS_LIMITS.holidays)
    problems.push(
      `Holidays can list at most ${SETTINGS_LIMITS.holidays} days (${holidays.length} given): keep this year's and next year's.`,
    );

  // One zone (DESIGN §2): the settings follow the spreadsheet's, which File › Settings sets.
  const timeZone = current.timeZone;
  if (typeof s.timeZone === 'string' && s.timeZone.trim() !== '' && s.timeZone.trim() !== timeZone)
    problems.push(
      `The time zone follows the spreadsheet's (${timeZone}); change it in File › Settings, not here.`,
    );

  const bool = (key: 'autoDecommission' | 'emailCreators' | 'secondApproval'): boolean => {
    const v = s[key];
    if (v === undefined) return current[key];
    if (typeof v !== 'boolean') {
      problems.push(`${key} must be on or off.`);
      return current[key];
    }
    return v;
  };

  const routeCheck = validateRoutes(s.routes, current.routes);
  problems.push(...routeCheck.problems);
  let allStaffEmail = current.allStaffEmail;
  if (s.allStaffEmail !== undefined) {
    const v = typeof s.allStaffEmail === 'string' ? normaliseEmail(s.allStaffEmail) : null;
    if (v === null || (v !== '' && !isEmail(v)))
      problems.push(
        'The all-staff address must be one email address (a Google Group such as everyone@example.com), or empty.',
      );
    else allStaffEmail = v;
  }

  // Issue 17: the review lifecycle.
  const team = new Set(securityTeam);
  let securityLead = current.securityLead;
  if (s.securityLead !== undefined) {
    const v = typeof s.securityLead === 'string' ? normaliseEmail(s.securityLead) : null;
    const domains = new Set(securityTeam.map((e) => e.split('@')[1] ?? ''));
    if (v === null || (v !== '' && !isEmail(v)))
      problems.push('The security lead must be one email address, or empty.');
    else if (v !== '' && securityTeam.length > 0 && !domains.has(v.split('@')[1]))
      problems.push(
        `The security lead must be in your organisation (${[...domains].slice(0, 3).join(', ')}): Governed Path mails only there.`,
      );
    else securityLead = v;
  }
  let assignment = current.assignment;
  if (s.assignment !== undefined) {
    if (s.assignment === 'round-robin' || s.assignment === 'department') assignment = s.assignment;
    else problems.push('Review assignment must be "round-robin" or "department".');
  }
  let reviewerByDepartment = current.reviewerByDepartment;
  if (s.reviewerByDepartment !== undefined) {
    const v = s.reviewerByDepartment;
    if (typeof v !== 'object' || v === null || Array.isArray(v))
      problems.push('Reviewers by department must be a list of department and reviewer.');
    else {
      reviewerByDepartment = {};
      for (const [dept, raw] of Object.entries(v as Record<string, unknown>)) {
        const who = typeof raw === 'string' ? normaliseEmail(raw) : '';
        if (who === '') continue;
        if (!team.has(who)) {
          problems.push(
            `Reviewer for ${dept.slice(0, 60)}: ${who.slice(0, 80)} is not on the security team.`,
          );
          continue;
        }
        reviewerByDepartment[dept.trim().slice(0, SETTINGS_LIMITS.departmentLength)] = who;
      }
    }
  }

  // Issue 18: the survey invitations link to (only https://, as every link the add-on shows).
  let surveyUrl = current.surveyUrl;
  if (s.surveyUrl !== undefined) {
    const v = typeof s.surveyUrl === 'string' ? s.surveyUrl.trim() : null;
    if (v === null || (v !== '' && !isHttpsLink(v)))
      problems.push(
        'The survey link must be one https:// address (a Google Form, for example), or empty.',
      );
    else if (v.length > 500)
      problems.push('The survey link is too long: keep it to 500 characters.');
    else surveyUrl = v;
  }

  const settings: Settings = {
    securityTeam: [...new Set(securityTeam)],
    slackWebhookUrl,
    slackChannel,
    estimatedProjects,
    reviewSlaDays:
      s.reviewSlaDays === undefined
        ? current.reviewSlaDays
        : num('reviewSlaDays', 'Review SLA', 1, 30),
    holidays: [...new Set(holidays)].sort(),
    timeZone,
    graceDays:
      s.graceDays === undefined
        ? current.graceDays
        : num('graceDays', 'Attestation grace days', 1, 90),
    autoDecommission: bool('autoDecommission'),
    emailCreators: bool('emailCreators'),
    departments: [...new Set(list('departments'))],
    routes: routeCheck.routes,
    allStaffEmail,
    approvalMonths:
      s.approvalMonths === undefined
        ? current.approvalMonths
        : num('approvalMonths', 'Tier 3 approvals valid for (months)', 1, 36),
    secondApproval: bool('secondApproval'),
    securityLead,
    assignment,
    reviewerByDepartment,
    surveyUrl,
  };
  const longName = settings.departments.find((d) => d.length > SETTINGS_LIMITS.departmentLength);
  if (longName)
    problems.push(
      `Department "${longName.slice(0, 30)}…" is too long: keep each name to ${SETTINGS_LIMITS.departmentLength} characters.`,
    );
  if (settings.departments.length > SETTINGS_LIMITS.departments)
    problems.push(
      `Departments can list at most ${SETTINGS_LIMITS.departments} names (${settings.departments.length} given): list the teams people choose from, not every cost centre.`,
    );
  if (problems.length === 0 && JSON.stringify(settings).length > SETTINGS_LIMITS.stored)
    problems.push(
      'These settings are too long to store together: shorten the Departments, Holidays or Security team lists.',
    );
  return problems.length > 0 ? { settings: null, problems } : { settings, problems };
}
