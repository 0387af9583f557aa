/**
 * The sandbox spreadsheet: set up by the admin as in production, with a security team, a
 * catalog and a data inventory, then (unless --no-demo) registrations typed in by people over
 * the past weeks: the guide's five quick-reference scenarios and more across departments,
 * tools and tiers, so every panel and report has something to show.
 */
import { newSheet } from './gas/model';
import { INPUT_FIELDS } from '../src/domain/entry';
import { headersOf, REGISTRY } from '../src/domain/schema';
import type { GasRuntime } from './gas/runtime';
import { wallClock, zonedTime } from './gas/time';

export const SANDBOX_PEOPLE = {
  admin: 'admin@example.com',
  security: 'security@example.com',
  employee: 'dana@example.com',
} as const;

/** The demo registrations start this many days before now; the clock then moves to now. */
export const DEMO_DAYS = 60;
const DAY = 86400000;

/** The local Slack receiver answers this webhook (the runtime routes hooks.slack.com there). */
export const SANDBOX_WEBHOOK = 'https://hooks.slack.com/services/T0SANDBOX/B0SANDBOX/sandboxdemo01';

/** Google Chat, Teams Workflows and a ticketing webhook, answered by the same local receiver. */
export const SANDBOX_CHAT =
  'https://chat.googleapis.com/v1/spaces/AAAAsandbox/messages?key=AIzaSySandboxDemo&token=sandboxChatToken01';
export const SANDBOX_TEAMS =
  'https://prod-00.westus.logic.azure.com:443/workflows/5ec0sandbox/triggers/manual/paths/invoke?api-version=2016-06-01&sp=%2Ftriggers%2Fmanual%2Frun&sv=1.0&sig=sandboxTeamsSig01';
export const SANDBOX_HOOK = 'https://acme.service-now.com/api/x_acme/governed_path/events';

function isoDate(ms: number): string {
  return new Date(ms).toISOString().slice(0, 10);
}

function must(
  result: { ok: boolean; refused?: string | null; error?: string | null },
  what: string,
): void {
  if (!result.ok)
    throw new Error(`sandbox setup: ${what} failed: ${result.refused ?? result.error}`);
}

/** The admin sets the registry up; the security team and its catalog and inventory follow. */
export function setUpSandbox(rt: GasRuntime): void {
  const { admin, security } = SANDBOX_PEOPLE;
  must(rt.clickMenu('Security team > Set up or repair registry', admin), 'setup');
  // Through Settings, as the admin would: the Discovered sheet's editors follow the team.
  must(
    rt.run(
      'saveSettings',
      [
        {
          securityTeam: [admin, security],
          estimatedProjects: 25,
          // Issue 17: overdue reviews escalate to a lead; Support's entries have a named contact.
          securityLead: 'lead@example.com',
        },
      ],
      admin,
    ),
    'the settings',
  );
  const props = rt.registryProperties();
  props.departmentContacts = JSON.stringify({ Support: 'support-lead@example.com' });
  props.slackWebhookUrl = SANDBOX_WEBHOOK;
  props.channelSecrets = JSON.stringify({
    chat: SANDBOX_CHAT,
    teams: SANDBOX_TEAMS,
    hooks: { 'review-requested': SANDBOX_HOOK },
    hookSecret: 'sandbox-signing-secret-0001',
    jiraToken: '',
  });

  const verified = isoDate(rt.world.now - 150 * DAY);
  must(
    rt.edit(
      'AI Tools',
      'A2:H4',
      [
        [
          'Claude Code',
          'Anthropic',
          'Approved',
          '3',
          verified,
          'US',
          'Request a seat in the IT portal.',
          'Team plan, no training on our data.',
        ],
        [
          'GitHub Copilot',
          'GitHub (Microsoft)',
          'Approved',
          '2',
          verified,
          'US/EU',
          'Ask IT for a Copilot Business seat.',
          '',
        ],
        [
          'ChatGPT',
          'OpenAI',
          'Pending',
          '',
          '',
          '',
          'Ask the security team in #security-updates.',
          'Enterprise plan under review.',
        ],
      ],
      security,
    ),
    'catalog',
  );
  must(
    rt.edit(
      'Data Stores',
      'A2:D7',
      [
        [
          'Marketing CMS',
          'marketing@example.com',
          'Tier 1 - Public',
          'Published campaign pages and assets',
        ],
        ['Employee Directory', 'it@example.com', 'Tier 2 - Internal', 'Names, titles, teams'],
        [
          'HR Database',
          'people@example.com',
          'Tier 3 - Confidential',
          'Compensation, reviews, personal details',
        ],
        [
          'Support Tickets',
          'support@example.com',
          'Tier 3 - Confidential',
          'Customer conversations',
        ],
        [
          'Payments Vault',
          'finance@example.com',
          'Tier 4 - Regulated',
          'Cardholder data (PCI DSS)',
        ],
        ['Patient Records', 'clinical@example.com', 'Tier 4 - Regulated', 'PHI'],
      ],
      security,
    ),
    'data stores',
  );
}

type Registration = [string, string, string, string, string, string, string, string, string];

/** [creator, department, project, purpose, tier, stores, tool, version, status] */
const DEMO: Registration[] = [
  [
    'dana@example.com',
    'Marketing',
    'Marketing email automation',
    'Sends the weekly campaign email to newsletter subscribers.',
    'Tier 1 - Public',
    'Marketing CMS',
    'ChatGPT',
    '4o',
    'Production',
  ],
  [
    'priya@example.com',
    'People Ops',
    'Internal dashboard with employee names',
    'Shows team headcount and open roles to managers.',
    'Tier 2 - Internal',
    'Employee Directory',
    'Claude Code',
    '1.0',
    'Production',
  ],
  [
    'sam@example.com',
    'Support',
    'Customer support chatbot',
    'Drafts first replies to customer tickets for agents to review.',
    'Tier 3 - Confidential',
    'Support Tickets',
    'Claude Code',
    '1.0',
    'Development',
  ],
  [
    'lee@example.com',
    'Finance',
    'Payment processing script',
    'Reconciles card payments against invoices.',
    'Tier 4 - Regulated',
    'Payments Vault',
    'GitHub Copilot',
    '1.2',
    'Development',
  ],
  [
    'alex@example.com',
    'Engineering',
    'Prototype using synthetic data',
    'Tests a new onboarding flow with generated sample users.',
    'Tier 1 - Public',
    '',
    'Cursor',
    '0.45',
    'Development',
  ],
  [
    'jordan@example.com',
    'Sales',
    'Sales forecast notebook',
    'Projects next quarter bookings from the pipeline export.',
    'Tier 2 - Internal',
    '',
    'ChatGPT',
    '4o',
    'Development',
  ],
  [
    'jordan@example.com',
    'Sales',
    'Lead enrichment script',
    'Adds company size and industry to new leads.',
    'Tier 2 - Internal',
    '',
    'GitHub Copilot',
    '1.2',
    'Production',
  ],
  [
    'priya@example.com',
    'People Ops',
    'Onboarding checklist bot',
    'Reminds new hires of their first-week tasks.',
    'Tier 1 - Public',
    'HR Database',
    'Claude Code',
    '1.0',
    'Development',
  ],
  [
    'alex@example.com',
    'Engineering',
    'Release notes generator',
    'Writes release notes from merged pull requests.',
    'Tier 1 - Public',
    '',
    'Claude Code',
    '1.0',
    'Production',
  ],
  ['casey@example.com', 'Operations', 'Shift planner', '', '2', '', 'Claude Code', '', 'dev'],
  [
    'morgan@example.com',
    'Legal',
    'Contract summariser',
    'Summarises supplier contracts for the legal team.',
    'Tier 3 - Confidential',
    '',
    'Claude Code',
    '1.0',
    'Development',
  ],
];

/** A weekday between 10:00 and 15:59 in the spreadsheet's zone, on or after `ms`. */
function workingHours(ms: number, tz: string, seed: number): number {
  for (let day = 0; day < 7; day++) {
    const w = wallClock(ms + day * DAY, tz);
    if (w.weekday === 0 || w.weekday === 6) continue;
    const t = zonedTime(tz, w.year, w.month, w.day, 10 + (seed % 6), (seed * 17) % 60);
    if (t >= ms) return t;
  }
  return ms;
}

/** People register over the last weeks: each row typed by its creator as the clock moves on. */
export function seedDemo(rt: GasRuntime, until = Date.now()): void {
  const headers = headersOf(REGISTRY);
  const first = String.fromCharCode(65 + headers.indexOf(INPUT_FIELDS[0]));
  const last = String.fromCharCode(65 + headers.indexOf(INPUT_FIELDS[INPUT_FIELDS.length - 1]));
  const tz = rt.world.spreadsheet.timeZone;
  const start = rt.world.now;
  const step = Math.floor(((until - start) * 0.96) / DEMO.length);
  DEMO.forEach((row, i) => {
    const at = workingHours(start + (i + 1) * step, tz, i);
    if (at > rt.world.now && at < until) rt.advanceTo(at);
    must(
      rt.edit('Registry', `${first}${i + 2}:${last}${i + 2}`, [row], row[0]),
      `registering ${row[2]}`,
    );
  });
  if (until > rt.world.now) rt.advanceTo(until);
  seedInventory(rt);
  // The security team has looked at the numbers: the Dashboard and the report exist.
  must(
    rt.clickMenu('Security team > Adoption & SLA report', SANDBOX_PEOPLE.security),
    'the Adoption & SLA report',
  );
}

/**
 * Issue 18: an older inventory to try the import on (a title row, merged header wording,
 * dates in three formats, a blank line, an entry already registered and a repeated line), and
 * a Discovered list with registered, unregistered and ignored lines, reconciled once.
 */
const INVENTORY: string[][] = [
  ['AI projects tracked by IT (2025 spreadsheet)'],
  [],
  [
    'Project / App name',
    'Owner (email)',
    'Team / Dept',
    'What does it do?',
    'Data classification',
    'Systems touched',
    'AI assistant used',
    'Tool version',
    'Environment',
    'Date added',
  ],
  [
    'Invoice matcher',
    'Lee Park <lee@example.com>',
    'Finance',
    'Matches supplier invoices to POs',
    'Internal',
    '',
    'claude code',
    '1.0',
    'Live',
    '14/03/2025',
  ],
  [
    'Churn model',
    'jordan@example.com',
    'Sales',
    'Scores accounts by churn risk',
    'Confidential',
    'CRM',
    'ChatGPT',
    'Team',
    'Pilot',
    '2025-04-02',
  ],
  [],
  [
    'Meeting notes bot',
    'casey@example.com',
    'Operations',
    'Summarises meeting transcripts',
    'Public',
    '',
    'Gemini',
    '2',
    'In production',
    'May 6, 2025',
  ],
  [
    'Sales forecast notebook',
    'jordan@example.com',
    'Sales',
    'Already registered',
    'Internal',
    '',
    'GitHub Copilot',
    '',
    'dev',
    '',
  ],
  [
    'Payroll checker',
    'morgan@example.com',
    'Legal',
    'Checks payroll exports',
    'Restricted',
    '',
    'Cursor',
    '0.4',
    'Prototype',
    '30/06/2025',
  ],
  [
    'Release notes generator',
    'ALEX@example.com',
    'Engineering',
    'Drafts release notes',
    'Internal',
    '',
    'Claude Code',
    '1.0',
    'Live',
    '',
  ],
  [
    'Invoice Matcher',
    'lee@example.com',
    'Finance',
    'the same project twice',
    'Internal',
    '',
    'Claude Code',
    '',
    'Live',
    '15/03/2025',
  ],
  ['Slide helper', '', 'Marketing', 'Makes slides', 'Public', '', 'Gemini', '', 'dev', 'n/a'],
];

const DISCOVERED_LINES: string[][] = [
  [
    'GitHub repositories using Copilot',
    'acme/sales-forecast-notebook',
    'jordan@example.com',
    '2026-10-02',
    'https://github.com/acme/sales-forecast-notebook',
  ],
  [
    'Workspace admin console (apps with access)',
    'Customer support chatbot',
    'sam@example.com',
    '2026-10-03',
    '',
  ],
  [
    'Apps Script projects list',
    'Expense approvals script',
    'dana@example.com',
    '2026-10-05',
    'https://script.google.com/home/projects/1AbCdEf',
  ],
  [
    'GitHub repositories using Copilot',
    'acme/contract-clause-finder',
    'morgan@example.com',
    '2026-10-06',
    'https://github.com/acme/contract-clause-finder',
  ],
  [
    'Workspace admin console (apps with access)',
    'Partner portal assistant',
    'partner@other.example.org',
    '2026-10-08',
    '',
  ],
  [
    'GitHub repositories using Copilot',
    'acme/hackathon-2024',
    'alex@example.com',
    '2026-10-09',
    'https://github.com/acme/hackathon-2024',
  ],
];

function seedInventory(rt: GasRuntime): void {
  const { security } = SANDBOX_PEOPLE;
  const ss = rt.world.spreadsheet;
  ss.sheets.push(newSheet(ss.nextSheetId++, 'IT inventory 2025'));
  const width = Math.max(...INVENTORY.map((r) => r.length));
  must(
    rt.edit(
      'IT inventory 2025',
      `A1:${String.fromCharCode(64 + width)}${INVENTORY.length}`,
      INVENTORY.map((r) => [...r, ...new Array<string>(width - r.length).fill('')]),
      ss.owner,
    ),
    'the inventory sheet',
  );
  must(
    rt.edit('Discovered', `A2:E${DISCOVERED_LINES.length + 1}`, DISCOVERED_LINES, security),
    'the discovered list',
  );
  const ignored = DISCOVERED_LINES.length + 1;
  must(rt.edit('Discovered', `F${ignored}`, [['Ignored']], security), 'an ignored line');
  must(
    rt.edit(
      'Discovered',
      `G${ignored}`,
      [['Hackathon repository, archived; never deployed']],
      security,
    ),
    'its reason',
  );
  must(rt.clickMenu('Security team > Run daily checks now', security), 'reconciling');
}
