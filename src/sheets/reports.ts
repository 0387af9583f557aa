import { keepAsText } from '../domain/injection';
import { adoptionTrend, percent, type MeasuredAdoption } from '../domain/discovered';
import { adoptionHistory, currentMeasured } from './discovered';
import {
  CHANNEL_NAMES,
  EVENT_KINDS,
  EVENT_NAMES,
  isChatWebhookUrl,
  isTeamsWebhookUrl,
  parseHttpsUrl,
} from '../domain/channels';
import { loadSecrets } from '../services/settings';
import { attestationCalendar, needsConfirmation, quarterLabel } from '../domain/attestation';
import { CONTROL_MAPPING } from '../domain/controls';
import { toCsv } from '../domain/export';
import {
  ADOPTION_TARGET,
  computeMetrics,
  dashboardTables,
  LOW_ADOPTION_ADVICE,
  type DashboardTables,
  type Metrics,
} from '../domain/metrics';
import { AUDIT_LOG, DATE_PATTERN, REGISTRY, REVIEWS, TIMESTAMP_PATTERN } from '../domain/schema';
import type { Settings } from '../domain/settings';
import { archivedEntries, archiveFiles, verifyAuditLog } from './audit-log';
import { asText, isDate, readCatalog } from './catalog';
import { attestationEntries, metricEntries, reviewRecords } from './readers';
import {
  findRows,
  readLayout,
  readRowsAt,
  readTable,
  recordOf,
  replaceSheet,
  type Cell,
} from './table';

type Spreadsheet = GoogleAppsScript.Spreadsheet.Spreadsheet;
type Value = string | number;

export const ADOPTION_SHEET = 'Report - Adoption & SLA';

function dateText(v: Cell | undefined, tz: string, pattern = DATE_PATTERN): string {
  return isDate(v) ? Utilities.formatDate(v, tz, pattern) : asText(v);
}

/** Reads the registry and reviews once each: the Phase 4 metrics and the dashboard's tables. */
export function readMetrics(
  ss: Spreadsheet,
  settings: Settings,
  now: Date,
): {
  metrics: Metrics;
  dashboard: DashboardTables;
  /** Issue 18: adoption measured against the Discovered sheet (null without lines). */
  measured: MeasuredAdoption | null;
} {
  const tz = settings.timeZone;
  const registry = readTable(ss, REGISTRY);
  const entries = metricEntries(registry, tz);
  const reviewRows = reviewRecords(readTable(ss, REVIEWS), tz);
  const today = Utilities.formatDate(now, tz, DATE_PATTERN);
  const quarter = attestationCalendar(today, settings.graceDays, settings.holidays).quarter;
  const stale = attestationEntries(registry, tz).filter((e) =>
    needsConfirmation(e, quarter),
  ).length;
  const metrics = computeMetrics(
    entries,
    reviewRows,
    settings.estimatedProjects,
    settings.reviewSlaDays,
    today,
    readCatalog(ss, tz).map((t) => t.tool),
    stale,
  );
  const measured = currentMeasured(ss, metrics.live);
  const dashboard = dashboardTables(entries, reviewRows, settings.estimatedProjects);
  dashboard.trend = adoptionTrend(dashboard.adoption, adoptionHistory(), {
    month: today.slice(0, 7),
    measured,
  });
  return { metrics, dashboard, measured };
}

const pairs = (title: string, list: [string, number][]): Value[][] => [
  [title, ''],
  ...list.map(([k, n]) => [`  ${k}`, n]),
];

/** The Adoption & SLA report sheet, replaced on regeneration, in one write. */
export function writeAdoptionReport(
  ss: Spreadsheet,
  m: Metrics,
  settings: Settings,
  now: Date,
  measured: MeasuredAdoption | null = null,
  trend: readonly [string, number | '', number | ''][] = [],
): void {
  const t = m.timeToReview;
  replaceSheet(ss, ADOPTION_SHEET, [
    ['Adoption & SLA report', ''],
    ['Generated', Utilities.formatDate(now, settings.timeZone, TIMESTAMP_PATTERN)],
    ['', ''],
    ['Registered live projects', m.live],
    ['Estimated AI-built projects (Settings)', settings.estimatedProjects ?? 'not set'],
    ['Registry adoption', m.adoption.text],
    ['  Source', 'registered live projects ÷ the estimate typed in Settings'],
    ...measuredRows(measured),
    ['Target', `${ADOPTION_TARGET * 100}%`],
    ...(m.belowTarget ? [['Advice', LOW_ADOPTION_ADVICE]] : []),
    ['', ''],
    ['Tier 3 reviews decided', t.decided],
    ['Median business days to decide', t.median ?? 'not enough data'],
    ['90th percentile business days', t.p90 ?? 'not enough data'],
    [`Decided within ${settings.reviewSlaDays} business days`, t.withinSla.text],
    ['Open reviews', t.open],
    ['Overdue reviews', t.overdue],
    ['', ''],
    ...pairs(
      'Review lifecycle (records in this spreadsheet’s Audit Log; archived ones are in the archive)',
      lifecycleCounts(ss),
    ),
    ['', ''],
    ...(trend.length > 0
      ? [
          ['Adoption trend by month', 'estimate-based % · measured %'],
          ...trend.map(([month, e, me]) => [
            `  ${month}`,
            `${e === '' ? '—' : `${e}%`} · ${me === '' ? '—' : `${me}%`}`,
          ]),
          ['', ''],
        ]
      : []),
    ...pairs('Registrations by month', m.byMonth),
    ...pairs('By data tier', m.byTier),
    ...pairs('By department', m.byDepartment),
    ...pairs('By AI tool', m.byTool),
    ...pairs('By approval', m.byApproval),
    ...pairs('By deployment status', m.byStatus),
    ...pairs('Unlisted AI tools (not in AI Tools)', m.unlistedTools),
    ['Entries waiting for this quarter’s confirmation', m.staleAttestations],
  ]).setColumnWidth(1, 320);
}

/** The measured adoption's rows: the figure, where it comes from, and the lines behind it. */
function measuredRows(measured: MeasuredAdoption | null): Value[][] {
  if (!measured || measured.value === null)
    return [
      [
        'Measured adoption',
        'not measured: list projects found elsewhere in the Discovered sheet (see the README)',
      ],
    ];
  return [
    // As text: Sheets would read "37.5%" as a number and show it rounded.
    ['Measured adoption', keepAsText(`${percent(measured.value)}%`)],
    [
      '  Source',
      'registered live projects ÷ (those + discovered projects nobody registered), from the Discovered sheet as of the last daily run',
    ],
    ['  Discovered projects', measured.discovered],
    ['  matched to an entry (Registered)', measured.matched],
    ['  not registered (Invited or waiting)', measured.unregistered],
    ['  ignored by the security team', measured.ignored],
  ];
}

export function adoptionSummary(
  m: Metrics,
  settings: Settings,
  measured: MeasuredAdoption | null = null,
): string {
  const t = m.timeToReview;
  const lines = [
    `Registry adoption: ${m.adoption.text}${m.adoption.value !== null ? ` (${m.live} of ${settings.estimatedProjects} estimated AI-built projects)` : ` (${m.live} registered; set the estimate in Settings)`}.`,
    ...(measured && measured.value !== null
      ? [
          `Measured adoption: ${percent(measured.value)}% (${measured.registered} registered; ${measured.unregistered} discovered project(s) not registered).`,
        ]
      : []),
    `Tier 3 time to review: median ${t.median ?? '—'} business day(s), 90th percentile ${t.p90 ?? '—'}, ${t.withinSla.text} within the SLA. Open: ${t.open}, overdue: ${t.overdue}.`,
  ];
  if (m.belowTarget) lines.push(LOW_ADOPTION_ADVICE);
  return `${lines.join('\n')}\n\nThe full report is in the sheet "${ADOPTION_SHEET}".`;
}

export interface EvidencePack {
  sheet: string;
  headHash: string;
  chainIntact: boolean;
  csv: string;
}

/**
 * The audit evidence pack: a dated, protected sheet with the control mapping, the registry
 * snapshot with classification and approval, review SLA and attestation evidence, the
 * settings in force (never the webhook URL) and the audit chain's head hash, verified.
 */
export function writeEvidencePack(ss: Spreadsheet, settings: Settings, now: Date): EvidencePack {
  const tz = settings.timeZone;
  const today = Utilities.formatDate(now, tz, DATE_PATTERN);
  const chain = verifyAuditLog(ss, true);
  const archive = {
    ...archivedEntries(ss.getSheetByName(AUDIT_LOG.name)),
    files: archiveFiles().files,
  };
  const registry = readTable(ss, REGISTRY);
  const reviews = readTable(ss, REVIEWS);
  const entries = (registry?.rows ?? [])
    .map((row) => recordOf(registry!, row))
    .filter((r) => asText(r['ID']) !== '');
  const cal = attestationCalendar(today, settings.graceDays, settings.holidays);
  const stale = attestationEntries(registry, tz).filter((e) => needsConfirmation(e, cal.quarter));
  const rows: Value[][] = [
    ['Audit evidence pack', today],
    ['Generated', Utilities.formatDate(now, tz, TIMESTAMP_PATTERN)],
    ['Spreadsheet', ss.getName()],
    [],
    ['Audit Log integrity'],
    ['Head MAC (HMAC-SHA256 chain)', chain.ok ? chain.head : ''],
    ['Entries in the chain', chain.rows],
    [
      'Archived entries',
      archive.count === 0
        ? 'none: every entry is in this spreadsheet'
        : `entries 1–${archive.count}, verified before they moved, in ${archive.files.map((f) => f.url).join(' and ')} (the chain here continues from entry ${archive.count}'s MAC, ${archive.mac.slice(0, 16)}…)`,
    ],
    [
      'Verification',
      !chain.ok
        ? `BROKEN at row ${chain.brokenRow}: ${chain.reason ?? ''}`
        : chain.catchingUp
          ? `not yet verified to its end: entries ${chain.catchingUp[0]}–${chain.catchingUp[1]} verified now; a log this long is verified over several daily runs`
          : chain.full
            ? `intact: every entry${archive.count > 0 ? ' in this spreadsheet' : ''} is signed and chained to the one before, and the log ends where the head on record says`
            : `intact: the entries since the last daily check${chain.rolled ? ` and entries ${chain.rolled[0]}–${chain.rolled[1]}` : ''} were verified now, and the log ends where the head on record says; the daily check verifies every older entry at least once a week`,
    ],
    [],
    ['Control mapping'],
    ['Framework', 'Control', 'Title', 'What the registry shows', 'Where'],
    ...CONTROL_MAPPING.map((c) => [c.framework, c.control, c.title, c.evidence, c.where]),
    [],
    ['Registry snapshot'],
    [
      'ID',
      'Registered',
      'Creator Email',
      'Department',
      'Project',
      'Data Tier',
      'AI Tool',
      'Approval',
      'Deployment Status',
      'Last Confirmed',
    ],
    ...entries.map((r) => [
      asText(r['ID']),
      dateText(r['Registered'], tz, TIMESTAMP_PATTERN),
      asText(r['Creator Email']),
      asText(r['Department']),
      asText(r['Project']),
      asText(r['Data Tier']),
      `${asText(r['AI Tool'])} ${asText(r['AI Tool Version'])}`.trim(),
      asText(r['Approval']),
      asText(r['Deployment Status']),
      dateText(r['Last Confirmed'], tz),
    ]),
    [],
    ['Review SLA evidence'],
    [
      'Review ID',
      'Registry ID',
      'Opened',
      'Due',
      'Status',
      'Reviewer',
      'Assigned To',
      'Decided',
      'Business Days',
      'Threat Model',
    ],
    ...(reviews?.rows ?? [])
      .map((row) => recordOf(reviews!, row))
      .filter((r) => asText(r['Review ID']) !== '')
      .map((r) => [
        asText(r['Review ID']),
        asText(r['Registry ID']),
        dateText(r['Opened'], tz, TIMESTAMP_PATTERN),
        dateText(r['Due'], tz),
        asText(r['Status']),
        asText(r['Reviewer']),
        asText(r['Assigned To']),
        dateText(r['Decided'], tz, TIMESTAMP_PATTERN),
        typeof r['Business Days'] === 'number' ? r['Business Days'] : '',
        asText(r['Threat Model']),
      ]),
    [],
    ['Review lifecycle (expiries, SOC 2 lapses, reassignments, escalations, owners who left)'],
    ['Timestamp', 'Actor', 'Action', 'Registry ID', 'Field', 'Old Value', 'New Value'],
    ...lifecycleRecords(ss),
    [],
    ['Attestation evidence'],
    ['Quarter', quarterLabel(cal.quarter)],
    ['Kickoff', cal.kickoff],
    ['Grace period ends', cal.graceEnds],
    [
      'Live entries confirmed this quarter',
      entries.filter((r) => asText(r['Deployment Status']) !== 'Decommissioned').length -
        stale.length,
    ],
    ['Live entries not yet confirmed', stale.length],
    ...stale.map((e) => [`  ${e.id}`, e.creator]),
    [],
    ['Settings in force'],
    ['Security team', settings.securityTeam.join(', ')],
    ['Slack webhook', settings.slackWebhookUrl ? 'configured (not shown)' : 'not configured'],
    ['Slack channel', settings.slackChannel],
    ...notificationRows(settings),
    ['Review SLA (business days)', settings.reviewSlaDays],
    ['Holidays', settings.holidays.join(', ')],
    ['Time zone', settings.timeZone],
    ['Attestation grace days', settings.graceDays],
    ['Auto-decommission', settings.autoDecommission ? 'on' : 'off'],
    ['Email creators', settings.emailCreators ? 'on' : 'off'],
    ['Estimated AI-built projects', settings.estimatedProjects ?? 'not set'],
    ['Tier 3 approvals valid for (months)', settings.approvalMonths],
    ['Second approval before Production', settings.secondApproval ? 'required' : 'not required'],
    ['Security lead (escalations)', settings.securityLead || 'not named'],
    [
      'Review assignment',
      settings.assignment === 'department' ? 'by department, else in turn' : 'in turn',
    ],
  ];
  const name = `Evidence - ${today}`;
  const sheet = replaceSheet(ss, name, rows);
  protectForTeam(
    sheet,
    settings.securityTeam,
    'Governed Path: audit evidence. Regenerate it from the menu rather than editing it.',
  );
  return {
    sheet: name,
    headHash: chain.ok ? chain.head : '',
    chainIntact: chain.ok,
    csv: toCsv(rows),
  };
}

/** The Audit Log actions the review lifecycle records (issue 17). */
export const LIFECYCLE_ACTIONS = [
  'Approval expired',
  'SOC 2 lapsed',
  'SOC 2 renewed',
  'Reassigned',
  'Escalated',
  'Owner left',
] as const;
/** The evidence pack lists at most this many (the latest). */
const LIFECYCLE_SHOWN = 2000;

/** How many of each lifecycle record the Audit Log holds (issue 17), every action listed. */
function lifecycleCounts(ss: Spreadsheet): [string, number][] {
  const layout = readLayout(ss, AUDIT_LOG);
  return LIFECYCLE_ACTIONS.map((a) => [
    a,
    layout ? findRows(layout.sheet, layout.columns['Action'] + 1, layout.lastRow, a).length : 0,
  ]);
}

/**
 * The lifecycle's Audit Log records, oldest first: found by one search of the Action column per
 * action, then only those rows read.
 */
export function lifecycleRecords(ss: Spreadsheet): Value[][] {
  const layout = readLayout(ss, AUDIT_LOG);
  if (!layout) return [];
  const column = layout.columns['Action'] + 1;
  const numbers = [
    ...new Set(LIFECYCLE_ACTIONS.flatMap((a) => findRows(layout.sheet, column, layout.lastRow, a))),
  ]
    .sort((a, b) => a - b)
    .slice(-LIFECYCLE_SHOWN);
  const table = readRowsAt(layout, numbers);
  return table.rows.map((row) => {
    const r = recordOf(table, row);
    return ['Timestamp', 'Actor', 'Action', 'Registry ID', 'Field', 'Old Value', 'New Value'].map(
      (h) => asText(r[h]),
    );
  });
}

/**
 * Protection that holds: `protect()` alone mirrors the spreadsheet's editors and stops nobody,
 * so the editors are replaced by the security team (the owner always keeps access). A team
 * address Sheets refuses (not an editor of the file) is skipped, never a reason to leave the
 * sheet open.
 */
export function protectForTeam(
  sheet: GoogleAppsScript.Spreadsheet.Sheet,
  team: readonly string[],
  description: string,
): void {
  const protection = sheet.protect().setDescription(description);
  const me = Session.getEffectiveUser().getEmail();
  if (me) protection.addEditor(me);
  protection.removeEditors(protection.getEditors().filter((u) => u.getEmail() !== me));
  if (protection.canDomainEdit()) protection.setDomainEdit(false);
  for (const member of team) {
    try {
      protection.addEditor(member);
    } catch {
      // Not an editor of the file: nothing to grant.
    }
  }
}

/** Where notifications go, for the evidence pack: hosts and kinds, never a URL or a secret. */
function notificationRows(settings: Settings): (string | number)[][] {
  const secrets = loadSecrets();
  const host = (url: string) =>
    url ? `configured (${parseHttpsUrl(url)?.host ?? '?'})` : 'not configured';
  const hooks = EVENT_KINDS.filter((k) => secrets.hooks[k]).map(
    (k) => `${EVENT_NAMES[k]} → ${parseHttpsUrl(secrets.hooks[k] ?? '')?.host ?? '?'}`,
  );
  return [
    ['Google Chat webhook', isChatWebhookUrl(secrets.chat) ? host(secrets.chat) : 'not configured'],
    ['Teams webhook', isTeamsWebhookUrl(secrets.teams) ? host(secrets.teams) : 'not configured'],
    ['Ticketing webhooks', hooks.length ? hooks.join('; ') : 'none'],
    ['Webhook signing secret', secrets.hookSecret ? 'set (not shown)' : 'not set'],
    ...EVENT_KINDS.map((k) => [
      `  ${EVENT_NAMES[k]} goes to`,
      settings.routes[k].map((c) => CHANNEL_NAMES[c]).join(', ') || 'no team channel',
    ]),
    ['All-staff decision tree mail', settings.allStaffEmail || 'not set'],
  ];
}
