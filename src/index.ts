/**
 * Every function Apps Script can call: simple and installable triggers, menu items and
 * google.script.run targets. Each is thin: it reads, asks the domain, writes, and turns errors
 * into sentences a person can act on.
 */
import { runSelfTest, type CheckResult } from './sheets/selftest';
import { beat, heartbeats } from './services/heartbeat';
import { assessHeartbeats } from './domain/watchdog';
import type {
  ClientSettings,
  ImportDryRun,
  ImportPreview,
  ImportProgress,
  ImportStart,
  SidebarData,
} from './api';
import { classifyData as classify, type Classification } from './domain/classify';
import { quarterStart } from './domain/attestation';
import { approvedTools } from './domain/policy';
import type { CatalogTool } from './domain/catalog';
import { DATE_PATTERN, REGISTRY, TIERS } from './domain/schema';
import {
  isEmail,
  isSecurityTeamMember,
  maskWebhookUrl,
  normaliseEmail,
  validateSettings,
  type Settings,
} from './domain/settings';
import {
  one,
  decisionTreeMessage,
  monthlyDigestMessage,
  messagesFor,
  notificationsFor,
  escapeMrkdwn,
  type Outgoing,
  type SlackMessage,
} from './domain/slack';
import { TIER_INFO } from './domain/tiers';
import { UNEXPECTED, UserError } from './errors';
import { MENU, SECURITY_SUBMENU } from './menu';
import {
  computeMonthlyReview,
  highlightStale,
  MONTHLY_SHEET,
  startCycles,
  writeMonthlyReport,
} from './sheets/attestation';
import {
  adoptionSummary,
  readMetrics,
  writeAdoptionReport,
  writeEvidencePack,
} from './sheets/reports';
import { DASHBOARD_SHEET, writeDashboard } from './sheets/dashboard';
import {
  appendAudit,
  chainState,
  reanchorChain,
  startChain,
  type ChainState,
} from './sheets/audit-log';
import { mailSecurityTeam } from './sheets/daily';
import { rotateKey } from './sheets/rotation';
import { readTable } from './sheets/table';
import {
  attestProject as attest,
  setCoOwners as changeCoOwners,
  decideReview as decide,
  listMyProjects as listProjectsOf,
  listReviewQueue as queueOf,
  reassignReview as reassign,
  registerProject as registerProjectRow,
  type MyProject,
  type ReviewQueue,
  type RegisterResult,
} from './sheets/projects';
import { setUpSheets, type SetupReport } from './sheets/setup';
import {
  discoveredProtected,
  foundFor,
  markDiscoveredExposed,
  protectDiscovered,
  setUpDiscovered,
} from './sheets/discovered';
import {
  currentImport,
  discardImport,
  dryRunInventory,
  IMPORT_BATCH,
  importInventoryBatch,
  importSources,
  previewInventory,
} from './sheets/inventory';
import { IMPORT_FIELDS } from './domain/inventory';
import {
  markPersonGone as personGone,
  people,
  setDepartmentContacts as saveContacts,
  type People,
} from './sheets/people';
import { sealExistingRows, TOOLS_SEAL } from './sheets/seals';
import { readCatalog, readDataStores } from './sheets/catalog';
import {
  ensureSettings,
  loadSecrets,
  loadSettings,
  PROP,
  storeSecrets,
  storeSettings,
} from './services/settings';
import { registryProperties } from './services/store';
import { currentUser, fromMenu, logRepairsFound, spreadsheet, withRegistry } from './entry/context';
import { dailyChecks, onHourly, onRegistryChange, onRegistryEdit } from './entry/triggers';
import {
  configuredChannels,
  deliverOutbox,
  enqueue,
  mailsOffFor,
  outboxLines,
  outboxRecord,
  outboxStatus,
  postToChannel,
  setMailsOff,
} from './services/slack';
import {
  CHANNEL_NAMES,
  CHANNELS,
  EVENT_KINDS,
  EVENT_NAMES,
  maskedSecrets,
  validateSecrets,
  type Channel,
  type ChannelSecrets,
  type Routes,
} from './domain/channels';
import { guideMail } from './domain/mail';
import { FETCH_ALLOWLIST, PINNED_HOOK_HOSTS } from './publisher';
import { installTriggers, type TriggerReport } from './services/triggers';
import { exportDialogHtml, partRequest, type ExportKind } from './domain/export';
import { exportDialog, exportPart as partOf } from './sheets/export';
import { sweepRegistry } from './sheets/sweep';

// ---------------------------------------------------------------- simple triggers and menu

/**
 * Builds the add-on menu (Extensions › Governed Path). It runs in AuthMode NONE until the add-on
 * is used in the document, so it reads nothing: the menu is the same whole menu in every mode.
 */
function onOpen(_e?: GoogleAppsScript.Events.SheetsOnOpen): void {
  const ui = SpreadsheetApp.getUi();
  const menu = ui.createAddonMenu();
  for (const item of MENU.items) {
    if (item === 'separator') menu.addSeparator();
    else menu.addItem(item.caption, item.fn);
  }
  if (MENU.items.length > 0) menu.addSeparator();
  const security = ui.createMenu(SECURITY_SUBMENU);
  for (const item of MENU.securityTeam) security.addItem(item.caption, item.fn);
  menu.addSubMenu(security).addToUi();
}

/** Runs when a person installs the add-on (a domain install may never run it). */
function onInstall(e?: GoogleAppsScript.Events.AddonOnInstall): void {
  onOpen(e as unknown as GoogleAppsScript.Events.SheetsOnOpen);
}

function setupSummary(
  setup: SetupReport,
  triggers: TriggerReport,
  firstRun: boolean,
  chainLines: readonly string[],
): string {
  const lines: string[] = [...chainLines];
  const created = setup.sheets.filter((s) => s.created).map((s) => s.sheet);
  if (created.length > 0) lines.push(`Created sheets: ${created.join(', ')}.`);
  for (const s of setup.sheets) {
    if (s.addedColumns.length > 0) {
      lines.push(`Added missing columns to ${s.sheet}: ${s.addedColumns.join(', ')}.`);
    }
    if (s.fixedHeaders.length > 0) {
      lines.push(`Corrected headers in ${s.sheet}: ${s.fixedHeaders.join(', ')}.`);
    }
    if (s.duplicateHeaders.length > 0) {
      lines.push(
        `${s.sheet} has more than one column named ${s.duplicateHeaders.join(', ')}; Governed Path uses the first of each.`,
      );
    }
  }
  if (setup.seededTools > 0) {
    lines.push(`Added ${setup.seededTools} AI tools to AI Tools as Pending: please review them.`);
  }
  if (triggers.created.length > 0)
    lines.push(
      'Installed the triggers: the edit check, the deleted-row check and the hourly job (notifications, and the daily work once a day).',
    );
  if (triggers.removedDuplicates > 0) {
    lines.push(`Removed ${triggers.removedDuplicates} duplicate trigger(s).`);
  }
  if (lines.length === 0) lines.push('Everything was already in place; nothing needed repair.');
  const head = firstRun ? 'The registry is set up.' : 'The registry is repaired.';
  return `${head}\n\n${lines.join('\n')}`;
}

/** Addresses the publisher allows to set up a registry they do not own (script property). */
function bootstrapAdmins(): string[] {
  return (PropertiesService.getScriptProperties().getProperty('bootstrapAdmins') ?? '')
    .split(/[\s,;]+/)
    .map((a) => a.trim().toLowerCase())
    .filter((a) => a !== '');
}

function setUpRegistry(): string {
  const me = currentUser();
  if (me === '') {
    throw new UserError(
      'Governed Path could not read your Google account email, so it cannot tell whether you are on the security team. Sign in with your work account and try again.',
    );
  }
  const ss = spreadsheet();
  const props = registryProperties();
  const firstRun = props.getProperty(PROP.settings) === null;
  if (firstRun) {
    // DESIGN §6.1: only the spreadsheet's owner, or an address the publisher names, may set a
    // document up for the first time.
    const owner = (ss.getOwner()?.getEmail() ?? '').toLowerCase();
    if (me !== owner && !bootstrapAdmins().includes(me)) {
      throw new UserError(
        "Only the spreadsheet's owner can set up Governed Path in it for the first time. Ask them to run Set up or repair registry, or ask whoever publishes Governed Path in your organisation to add you as a bootstrap admin.",
      );
    }
  } else if (!isSecurityTeamMember(loadSettings(ss.getSpreadsheetTimeZone()), me)) {
    throw new UserError(
      'Only the security team can set up or repair the registry. Ask them to run it, or to add you in Settings.',
    );
  }
  return withRegistry(
    30000,
    () => {
      // The chain first: a copy or a broken v1 log is refused before anything is written.
      const chain = startChain(ss, me, new Date());
      const { settings } = ensureSettings(ss.getSpreadsheetTimeZone(), me);
      const setup = setUpSheets(ss);
      // Issue 18: the Discovered sheet, protected for real (the security team only).
      if (setUpDiscovered(ss, settings.securityTeam))
        chain.lines.push('Added the Discovered sheet (editable by the security team only).');
      // What is in the sheets when a registry is first set up (or upgraded from v1) is its
      // starting point: sealed once. A repair seals only the tools it has just seeded.
      if (chain.upgraded || firstRun) {
        const sealed = sealExistingRows(ss, new Date());
        if (sealed > 0) chain.lines.push(`Sealed the ${sealed} existing registry entries.`);
      } else if (setup.seededTools > 0) {
        sealExistingRows(ss, new Date(), [TOOLS_SEAL]);
      }
      const registry = readTable(ss, REGISTRY);
      if (registry) {
        const today = Utilities.formatDate(new Date(), settings.timeZone, DATE_PATTERN);
        const quarter = Utilities.parseDate(quarterStart(today), settings.timeZone, DATE_PATTERN);
        highlightStale(registry.sheet, registry.columns['Last Confirmed'] + 1, quarter);
      }
      startCycles(settings, new Date());
      const triggers = installTriggers(ss, Session.getEffectiveUser().getEmail());
      props.setProperty(PROP.spreadsheetId, ss.getId());
      beat('setup', new Date());
      return setupSummary(setup, triggers, firstRun, chain.lines);
    },
    true,
  );
}

function menuSetUpRegistry(): void {
  fromMenu(() => {
    const summary = setUpRegistry();
    SpreadsheetApp.getUi().alert('Governed Path', summary, SpreadsheetApp.getUi().ButtonSet.OK);
  });
}

// ---------------------------------------------------------------- installable triggers

/** The edit trigger (see src/entry/triggers.ts). */
function handleRegistryEdit(e: GoogleAppsScript.Events.SheetsOnEdit): void {
  onRegistryEdit(e);
}

/** The change trigger: deleted rows. */
function handleRegistryChange(e: GoogleAppsScript.Events.SheetsOnChange): void {
  onRegistryChange(e);
}

/** The hourly job: outbox, queued edits, and the daily work once a day. */
function runHourlyJob(e: GoogleAppsScript.Events.TimeDriven): void {
  onHourly(e);
}

/** The settings, if the signed-in person is on the security team; otherwise a polite refusal. */
function requireSecurityTeam(): Settings {
  const settings = loadSettings(spreadsheet().getSpreadsheetTimeZone());
  if (!isSecurityTeamMember(settings, currentUser())) {
    throw new UserError(
      'Only the security team can do this. Ask them, or ask to be added in Settings.',
    );
  }
  return settings;
}

function menuRunDailyChecks(): void {
  fromMenu(() => {
    requireSecurityTeam();
    const report = dailyChecks(spreadsheet(), true);
    const head = report.ok ? 'Daily checks passed.' : 'Daily checks found problems.';
    SpreadsheetApp.getUi().alert(
      'Governed Path',
      `${head}\n\n${report.lines.join('\n')}`,
      SpreadsheetApp.getUi().ButtonSet.OK,
    );
  });
}

const RESULT_WORDS: Record<CheckResult, [string, string]> = {
  pass: ['Holds', '#137333'],
  fail: ['Differs', '#c5221f'],
  note: ['Note', '#5f6368'],
};

/** Security team › Check this spreadsheet: the platform self-test, as a table. */
function menuCheckSpreadsheet(): void {
  fromMenu(() => {
    const settings = requireSecurityTeam();
    const ss = spreadsheet();
    const now = new Date();
    const checks = runSelfTest(ss, settings, now);
    const failed = checks.filter((c) => c.result === 'fail').length;
    withRegistry(30000, () =>
      appendAudit(
        ss,
        [
          {
            actor: currentUser() || 'unknown user',
            action: 'Self-test',
            registryId: '',
            field: 'Check this spreadsheet',
            oldValue: '',
            newValue: `${checks.length - failed} of ${checks.length} hold`,
          },
        ],
        now,
      ),
    );
    const rows = checks
      .map((c) => {
        const [word, colour] = RESULT_WORDS[c.result];
        return `<tr><td style="color:${colour};font-weight:bold;white-space:nowrap">${word}</td><td><strong>${escapeHtml(c.check)}</strong><br>${escapeHtml(c.detail)}</td></tr>`;
      })
      .join('');
    const head = failed
      ? `<p><strong>${failed} of ${checks.length} checks differ from what Governed Path relies on.</strong> Each says what to do.</p>`
      : `<p>Everything Governed Path relies on holds in this spreadsheet.</p>`;
    const html = `<!doctype html><html><head><base target="_top"><style>body{font:13px Arial,sans-serif;color:#202124;margin:12px}table{border-collapse:collapse;width:100%}td{vertical-align:top;padding:6px 8px;border-top:1px solid #e0e0e0}</style></head><body>${head}<table>${rows}</table><p style="color:#5f6368">A scratch sheet was used and removed; nothing in the registry changed, and this run is in the Audit Log.</p></body></html>`;
    SpreadsheetApp.getUi().showModalDialog(
      HtmlService.createHtmlOutput(html).setWidth(600).setHeight(520),
      'Check this spreadsheet',
    );
  });
}

// ---------------------------------------------------------------- google.script.run

function getSidebarData(): SidebarData {
  const ss = spreadsheet();
  const tz = ss.getSpreadsheetTimeZone();
  const settings = loadSettings(tz);
  const user = currentUser();
  const catalog = readCatalog(ss, tz);
  // Reading the catalog may have put a header right: logged (or kept for the next execution).
  logRepairsFound();
  const today = Utilities.formatDate(new Date(), settings.timeZone, DATE_PATTERN);
  const approvedByTier: Record<string, string[]> = {};
  for (const info of TIER_INFO.slice(0, 3)) {
    approvedByTier[info.level] = approvedTools(catalog, info.tier, today).map((t) => t.tool);
  }
  const team = isSecurityTeamMember(settings, user);
  return {
    user,
    isSecurityTeam: team,
    health: team ? assessHeartbeats(heartbeats(), Date.now()).lines : [],
    tiers: TIER_INFO.slice(),
    tools: catalog.map(({ tool, vendor, status, maxTier, howToGetAccess }) => ({
      tool,
      vendor,
      status: status as CatalogTool['status'],
      maxTier,
      howToGetAccess,
    })),
    dataStores: readDataStores(ss).map(({ name, tier, owner, description }) => ({
      name,
      tier: tier ?? '',
      owner,
      description,
    })),
    departments: settings.departments.slice(),
    approvedByTier,
    found: foundFor(ss, user, settings.timeZone),
  };
}

/** Runs a server call for the sidebar: a person sees a sentence, the log sees the detail. */
function serve<T>(action: () => T): T {
  try {
    const result = action();
    logRepairsFound();
    return result;
  } catch (error) {
    // Only the sentence crosses to the browser: no stack, no cause, nothing internal.
    // eslint-disable-next-line preserve-caught-error
    if (error instanceof UserError) throw new Error(error.message);
    console.error(error);
    // eslint-disable-next-line preserve-caught-error
    throw new Error(UNEXPECTED);
  }
}

/**
 * Runs `action` holding the registry (it writes) and queues its Slack messages. The person is
 * answered without waiting for Slack: the sidebar then calls deliverNotifications, and what
 * that does not post the hourly job does.
 */
function locked<T>(action: () => { value: T; messages: Outgoing[] }): T {
  const out = withRegistry(30000, () => {
    const result = action();
    enqueue(result.messages, new Date());
    return result;
  });
  return out.value;
}

/** The sidebar's follow-up to a change: posts what it queued for Slack (a few at most). */
function deliverNotifications(): { delivered: number; waiting: number } {
  return serve(() => {
    spreadsheet();
    const report = deliverOutbox(5);
    return { delivered: report.delivered, waiting: report.waiting };
  });
}

function signedInUser(): string {
  const user = currentUser();
  if (user === '') {
    throw new UserError(
      'Governed Path could not read your Google account email. Sign in with your work account and reload.',
    );
  }
  return user;
}

function registerProject(form: unknown): RegisterResult {
  return serve(() => {
    const ss = spreadsheet();
    const user = signedInUser();
    const settings = loadSettings(ss.getSpreadsheetTimeZone());
    return locked(() => {
      const { result, events } = registerProjectRow(ss, form, user, settings, new Date());
      return { value: result, messages: messagesFor(notificationsFor(events, user)) };
    });
  });
}

function classifyData(answers: unknown): Classification {
  return serve(() => {
    const a = (typeof answers === 'object' && answers !== null ? answers : {}) as Record<
      string,
      unknown
    >;
    const pick = (k: string) => (typeof a[k] === 'boolean' ? (a[k] as boolean) : null);
    const ss = spreadsheet();
    const settings = loadSettings(ss.getSpreadsheetTimeZone());
    const today = Utilities.formatDate(new Date(), settings.timeZone, DATE_PATTERN);
    const result = classify(
      {
        regulated: pick('regulated'),
        confidential: pick('confidential'),
        internal: pick('internal'),
      },
      readCatalog(ss, settings.timeZone),
      today,
    );
    if (!result) throw new UserError('Answer the questions first.');
    return result;
  });
}

function listMyProjects(): MyProject[] {
  return serve(() => {
    const ss = spreadsheet();
    const settings = loadSettings(ss.getSpreadsheetTimeZone());
    return listProjectsOf(ss, signedInUser(), settings.timeZone, new Date());
  });
}

function attestProject(id: unknown, action: unknown): MyProject {
  return serve(() => {
    const ss = spreadsheet();
    const user = signedInUser();
    const settings = loadSettings(ss.getSpreadsheetTimeZone());
    return locked(() => {
      const { project, events } = attest(
        ss,
        id,
        action,
        user,
        isSecurityTeamMember(settings, user),
        new Date(),
        settings.timeZone,
        settings,
      );
      return { value: project, messages: messagesFor(notificationsFor(events, user)) };
    });
  });
}

/** An owner or the security team changes an entry's co-owners (DESIGN §6.1). */
function setCoOwners(id: unknown, emails: unknown): MyProject {
  return serve(() => {
    const ss = spreadsheet();
    const user = signedInUser();
    const settings = loadSettings(ss.getSpreadsheetTimeZone());
    return locked(() => ({
      value: changeCoOwners(
        ss,
        id,
        emails,
        user,
        isSecurityTeamMember(settings, user),
        new Date(),
        settings.timeZone,
      ),
      messages: [],
    }));
  });
}

function listReviewQueue(): ReviewQueue {
  return serve(() => {
    const settings = requireSecurityTeam();
    return queueOf(spreadsheet(), settings, new Date(), currentUser());
  });
}

/** A security-team member gives a waiting review to another member (issue 17). */
function reassignReview(
  reviewId: unknown,
  to: unknown,
): { reviewId: string; assignedTo: string; message: string } {
  return serve(() => {
    const settings = requireSecurityTeam();
    const ss = spreadsheet();
    const user = signedInUser();
    return locked(() => {
      const { mail, ...value } = reassign(ss, reviewId, to, user, settings, new Date());
      return { value, messages: mail.length > 0 ? [{ personal: mail }] : [] };
    });
  });
}

// ---------------------------------------------------------------- import (issue 18)

/** What the import panel opens with: the sheets it can read and any import under way. */
function startImportPanel(): ImportStart {
  return serve(() => {
    requireSecurityTeam();
    const ss = spreadsheet();
    return {
      sheets: importSources(ss),
      job: currentImport(),
      fields: [...IMPORT_FIELDS],
      batch: IMPORT_BATCH,
    };
  });
}

function previewImport(source: unknown, options: unknown): ImportPreview {
  return serve(() => {
    const settings = requireSecurityTeam();
    return previewInventory(spreadsheet(), source, options, settings);
  });
}

function dryRunImport(source: unknown, mapping: unknown, options: unknown): ImportDryRun {
  return serve(() => {
    const settings = requireSecurityTeam();
    return dryRunInventory(spreadsheet(), source, mapping, options, settings, new Date());
  });
}

/** Imports the next batch (starting the import if none is under way); called until done. */
function importBatch(source: unknown, mapping: unknown, options: unknown): ImportProgress {
  return serve(() => {
    const settings = requireSecurityTeam();
    const ss = spreadsheet();
    const user = signedInUser();
    return locked(() => {
      const { progress, messages } = importInventoryBatch(
        ss,
        source,
        mapping,
        options,
        user,
        settings,
        new Date(),
      );
      return { value: progress, messages };
    });
  });
}

function discardUnfinishedImport(): { message: string } {
  return serve(() => {
    const settings = requireSecurityTeam();
    const ss = spreadsheet();
    const user = signedInUser();
    return locked(() => ({
      value: { message: discardImport(ss, user, settings, new Date()) },
      messages: [],
    }));
  });
}

function menuImportInventory(): void {
  fromMenu(() => {
    requireSecurityTeam();
    // A page of its own (dist/Import.html): the sidebar everyone opens does not carry it.
    SpreadsheetApp.getUi().showModalDialog(
      HtmlService.createHtmlOutputFromFile('Import')
        .setTitle('Import an inventory')
        .setWidth(900)
        .setHeight(680),
      'Import an inventory',
    );
  });
}

/** Department contacts and the people marked as gone (issue 17): the security team's view. */
function getPeople(): People {
  return serve(() => {
    requireSecurityTeam();
    spreadsheet();
    return people();
  });
}

function setDepartmentContacts(contacts: unknown): People {
  return serve(() => {
    requireSecurityTeam();
    const ss = spreadsheet();
    const user = signedInUser();
    return locked(() => ({
      value: saveContacts(ss, contacts, user, new Date()),
      messages: [],
    }));
  });
}

/** The security team marks a person as gone: their entries move (issue 17). */
function markPersonGone(email: unknown): {
  message: string;
  moved: { id: string; to: string; how: string }[];
} {
  return serve(() => {
    const settings = requireSecurityTeam();
    const ss = spreadsheet();
    const user = signedInUser();
    return locked(() => {
      const { messages, ...value } = personGone(ss, email, user, settings, new Date());
      return { value, messages };
    });
  });
}

function decideReview(
  reviewId: unknown,
  decision: unknown,
): { reviewId: string; registryId: string; approval: string } {
  return serve(() => {
    const settings = requireSecurityTeam();
    const ss = spreadsheet();
    const user = signedInUser();
    return locked(() => {
      const { notification, personal, ...value } = decide(
        ss,
        reviewId,
        decision,
        user,
        settings,
        new Date(),
      );
      return {
        value,
        messages: [one(notification), ...(personal.length > 0 ? [{ personal }] : [])],
      };
    });
  });
}

function clientSettings(
  settings: Settings,
  /** The chain's state when the caller already holds the registry. */
  chain: ChainState | null = chainNow(),
): ClientSettings {
  return {
    ...settings,
    slackWebhookUrl: maskWebhookUrl(settings.slackWebhookUrl),
    webhookConfigured: settings.slackWebhookUrl !== '',
    ...maskedSecrets(loadSecrets()),
    eventKinds: EVENT_KINDS.map((k) => ({ kind: k, name: EVENT_NAMES[k] })),
    health: [...assessHeartbeats(heartbeats(), Date.now()).lines, ...outboxLines(outboxStatus())],
    chain,
  };
}

/** A security-team member rotates the signing key; rows are re-sealed in batches. */
function rotateSigningKey(): { message: string } {
  return serve(() => {
    const settings = requireSecurityTeam();
    const ss = spreadsheet();
    const user = signedInUser();
    return locked(() => ({
      value: { message: rotateKey(ss, user, settings, new Date()) },
      messages: [],
    }));
  });
}

/** The chain's state, verified holding the registry (null while it is busy). */
function chainNow(): ChainState | null {
  try {
    return withRegistry(5000, () => chainState(spreadsheet(), new Date()));
  } catch (error) {
    if (error instanceof UserError) return null;
    throw error;
  }
}

/**
 * Asks for, or (as a second security-team member) confirms, re-anchoring a broken audit
 * chain (DESIGN §6.1). Once confirmed, the old and new heads go out of band.
 */
function reanchorAuditLog(): { done: boolean; message: string } {
  return serve(() => {
    const settings = requireSecurityTeam();
    const ss = spreadsheet();
    const user = signedInUser();
    return locked<{ done: boolean; message: string }>(() => {
      const now = new Date();
      const result = reanchorChain(ss, user, now);
      if (!result.done) return { value: result, messages: [] };
      const lines = [
        `The Audit Log of "${ss.getName()}" was re-anchored by two security-team members (confirmed by ${user}).`,
        `Old head: ${result.before.count} entries, ${result.before.mac}`,
        `New head: ${result.after.count} entries, ${result.after.mac}`,
      ];
      mailSecurityTeam(
        settings,
        `Governed Path: Audit Log re-anchored for ${ss.getName().slice(0, 80)}`,
        lines,
      );
      return {
        value: { done: true, message: result.message },
        messages: [one({ kind: 'put-back', title: 'Audit Log re-anchored', lines })],
      };
    });
  });
}

function getSettings(): ClientSettings {
  return serve(() => clientSettings(requireSecurityTeam()));
}

function saveSettings(input: unknown): ClientSettings {
  return serve(() => {
    const current = requireSecurityTeam();
    const user = signedInUser();
    const check = validateSettings(input, current);
    const oldSecrets = loadSecrets();
    const secretCheck =
      typeof input === 'object' && input !== null && !Array.isArray(input)
        ? validateSecrets(
            input as Record<string, unknown>,
            oldSecrets,
            FETCH_ALLOWLIST,
            PINNED_HOOK_HOSTS,
          )
        : null;
    const problems = [...check.problems, ...(secretCheck?.problems ?? [])];
    if (!check.settings || !secretCheck || problems.length > 0)
      throw new UserError(problems.join(' ') || 'Settings must be sent as a form.');
    const next = check.settings;
    if (!isSecurityTeamMember(next, user)) {
      throw new UserError(
        'Keep yourself on the security team, or ask another member to remove you.',
      );
    }
    const changed = (Object.keys(next) as (keyof Settings)[]).filter(
      (k) => JSON.stringify(next[k]) !== JSON.stringify(current[k]),
    );
    const webhookChanges = [
      ...(changed.includes('slackWebhookUrl')
        ? [
            `The Slack webhook ${next.slackWebhookUrl ? (current.slackWebhookUrl ? 'changed' : 'set') : 'cleared'}`,
          ]
        : []),
      ...secretCheck.changed,
      ...routeChanges(current.routes, next.routes),
    ];
    return locked(() => {
      const now = new Date();
      const before = configuredChannels();
      const oldUrl = channelUrls(current.slackWebhookUrl, oldSecrets);
      const missed: Channel[] = [];
      const alert = webhookAlert(user, webhookChanges);
      if (webhookChanges.length > 0) {
        // Told on the channels as they were (an attacker's new webhook would hide it), and by
        // mail to the security team; channels new or changed hear it through the outbox.
        for (const c of before)
          if (postToChannel(c, alert, oldSecrets, current.slackWebhookUrl) !== null) missed.push(c);
        // The team before and after the change: removing members in the same save hides nothing.
        const told = [...new Set([...current.securityTeam, ...next.securityTeam])];
        mailSecurityTeam(
          { ...next, securityTeam: told },
          'Governed Path: notification settings changed',
          [
            `${user} changed where the registry's notifications go:`,
            '',
            ...webhookChanges.map((c) => `  • ${c}`),
            '',
            'If this was not expected, check Settings and the Audit Log.',
          ],
        );
      }
      storeSettings(next);
      if (secretCheck.changed.length > 0) storeSecrets(secretCheck.secrets);
      // The Discovered sheet's editors follow the security team (issue 18).
      if (changed.includes('securityTeam')) {
        try {
          // Found open before it is set again: what was written meanwhile is held (issue 18).
          if (discoveredProtected(spreadsheet(), current.securityTeam) === false)
            markDiscoveredExposed(`Settings, saved by ${user}, found its protection open`, now);
          protectDiscovered(spreadsheet(), next.securityTeam);
        } catch (error) {
          console.warn(`Discovered protection not updated: ${String(error)}`);
        }
      }
      const newUrl = channelUrls(next.slackWebhookUrl, secretCheck.secrets);
      const toldNow = configuredChannels().filter(
        (c) => !before.includes(c) || oldUrl[c] !== newUrl[c],
      );
      appendAudit(
        spreadsheet(),
        [
          ...changed.map((k) => ({
            actor: user,
            action: 'Settings changed',
            registryId: '',
            field: k,
            oldValue:
              k === 'slackWebhookUrl'
                ? current.slackWebhookUrl
                  ? '(set)'
                  : ''
                : JSON.stringify(current[k]),
            newValue:
              k === 'slackWebhookUrl'
                ? next.slackWebhookUrl
                  ? '(changed)'
                  : '(cleared)'
                : JSON.stringify(next[k]),
          })),
          ...secretCheck.changed.map((c) => ({
            actor: user,
            action: 'Settings changed',
            registryId: '',
            field: 'Notification webhooks',
            oldValue: '(not shown)',
            newValue: c,
          })),
        ],
        now,
      );
      return {
        value: clientSettings(next, chainState(spreadsheet(), now)),
        messages:
          webhookChanges.length > 0
            ? [
                ...toldNow.map((channel) => ({
                  channel,
                  message: alert,
                })),
                // An old channel that did not answer now still gets it, at its old webhook.
                ...missed.map((channel) => ({
                  channel,
                  message: alert,
                  pinnedUrl: oldUrl[channel],
                })),
              ]
            : [],
      };
    });
  });
}

/** A route change in words: it can silence a channel as surely as clearing its webhook. */
function routeChanges(before: Routes, after: Routes): string[] {
  const name = (list: readonly Channel[]) =>
    list.length ? list.map((c) => CHANNEL_NAMES[c]).join(', ') : 'no team channel';
  return EVENT_KINDS.filter((k) => before[k].join() !== after[k].join()).map(
    (k) => `${EVENT_NAMES[k]} now goes to ${name(after[k])} (was ${name(before[k])})`,
  );
}

function channelUrls(slack: string, secrets: ChannelSecrets): Record<Channel, string> {
  return { slack, chat: secrets.chat, teams: secrets.teams };
}

/** The alert that a webhook changed: who, and what (never a URL or a secret). */
function webhookAlert(user: string, changes: readonly string[]): SlackMessage {
  return {
    text: `Notification webhooks changed by ${escapeMrkdwn(user)}: ${changes.map(escapeMrkdwn).join('; ')}`,
    blocks: [
      {
        type: 'header',
        text: { type: 'plain_text', text: ':warning: Notification webhooks changed' },
      },
      {
        type: 'section',
        text: {
          type: 'mrkdwn',
          text: `${escapeMrkdwn(user)} changed the registry's notification settings:\n${changes.map((c) => `• ${escapeMrkdwn(c)}`).join('\n')}`,
        },
      },
      {
        type: 'context',
        elements: [
          { type: 'mrkdwn', text: 'If this was not expected, check Settings and the Audit Log.' },
        ],
      },
    ],
  };
}

/** A security-team member checks one channel's webhook (Slack when none is named). */
function sendTestMessage(channel?: unknown): { ok: boolean; message: string } {
  return serve(() => {
    const settings = requireSecurityTeam();
    const which: Channel =
      channel === undefined || channel === null ? 'slack' : (channel as Channel);
    if (!(CHANNELS as readonly unknown[]).includes(which))
      throw new UserError('Choose Slack, Google Chat or Microsoft Teams.');
    const name = CHANNEL_NAMES[which];
    if (!configuredChannels().includes(which)) {
      throw new UserError(
        `No ${name} webhook is configured yet: paste it in Settings and save first.`,
      );
    }
    const where = which === 'slack' ? settings.slackChannel : `the ${name} space or channel`;
    const [id] = enqueue(
      [
        {
          channel: which,
          message: {
            text: `Test message from Governed Path: ${name} notifications reach ${which === 'slack' ? settings.slackChannel : 'this space'}.`,
            blocks: [],
          },
        },
      ],
      new Date(),
    );
    deliverOutbox(5);
    const left = outboxRecord(id);
    if (!left)
      return {
        ok: true,
        message: which === 'slack' ? `Sent: check ${where} in Slack.` : `Sent: check ${where}.`,
      };
    return {
      ok: false,
      message: `${name} did not accept the test message (${left.lastError}). ${left.status === 'undeliverable' ? 'Check the webhook URL and channel.' : 'It will be retried.'}`,
    };
  });
}

/** A security-team member sends the guide's decision tree to a new starter (onboarding). */
function sendGuideTo(email: unknown): { message: string } {
  return serve(() => {
    const settings = requireSecurityTeam();
    const ss = spreadsheet();
    const user = signedInUser();
    const to = typeof email === 'string' ? normaliseEmail(email) : '';
    if (!isEmail(to) || to.length > 254)
      throw new UserError('Type the new starter’s work email address, like name@example.com.');
    const today = Utilities.formatDate(new Date(), settings.timeZone, DATE_PATTERN);
    const tools = approvedTools(readCatalog(ss, settings.timeZone), TIERS[1], today).map(
      (t) => t.tool,
    );
    return locked(() => {
      appendAudit(
        ss,
        [
          {
            actor: user,
            action: 'Guide sent',
            registryId: '',
            field: 'New starter',
            oldValue: '',
            newValue: to,
          },
        ],
        new Date(),
      );
      return {
        value: {
          message: `The decision tree goes to ${to} with the next hourly run (mail is sent by the add-on's jobs).`,
        },
        messages: [
          { mails: [guideMail(to, tools, { name: ss.getName(), url: ss.getUrl() }, true)] },
        ],
      };
    });
  });
}

/** Whether the signed-in person gets the mails they need not act on (My projects). */
function getMailPreference(): { mailsOff: boolean } {
  return serve(() => {
    spreadsheet();
    return { mailsOff: mailsOffFor(signedInUser()) };
  });
}

function setMailPreference(off: unknown): { mailsOff: boolean } {
  return serve(() => {
    spreadsheet();
    if (typeof off !== 'boolean') throw new UserError('Choose on or off.');
    setMailsOff(signedInUser(), off);
    return { mailsOff: off };
  });
}

// ---------------------------------------------------------------- panels

/** The sidebar file, opened on one panel. */
function panel(name: string, title: string): GoogleAppsScript.HTML.HtmlOutput {
  return HtmlService.createHtmlOutputFromFile('Sidebar')
    .setTitle(title)
    .append(`<script>window.GP_PANEL = ${JSON.stringify(name)};</script>`);
}

function menuRegister(): void {
  fromMenu(() => SpreadsheetApp.getUi().showSidebar(panel('register', 'Register an AI project')));
}

function menuClassify(): void {
  fromMenu(() =>
    SpreadsheetApp.getUi().showSidebar(panel('classify', 'Can I use AI with this data?')),
  );
}

function menuMyProjects(): void {
  fromMenu(() => SpreadsheetApp.getUi().showSidebar(panel('mine', 'My projects')));
}

function menuReviewQueue(): void {
  fromMenu(() => {
    requireSecurityTeam();
    SpreadsheetApp.getUi().showSidebar(panel('reviews', 'Review queue'));
  });
}

function menuSettings(): void {
  fromMenu(() => {
    requireSecurityTeam();
    SpreadsheetApp.getUi().showModalDialog(
      panel('settings', 'Settings').setWidth(520).setHeight(640),
      'Governed Path settings',
    );
  });
}

/** Runs a report under the document lock (it replaces a sheet) and says what it found. */
function report(
  title: string,
  build: (ss: GoogleAppsScript.Spreadsheet.Spreadsheet, settings: Settings) => string,
): void {
  fromMenu(() => {
    const settings = requireSecurityTeam();
    const ss = spreadsheet();
    const summary = locked(() => ({ value: build(ss, settings), messages: [] }));
    SpreadsheetApp.getUi().alert(title, summary, SpreadsheetApp.getUi().ButtonSet.OK);
  });
}

function menuAdoptionReport(): void {
  report('Adoption & SLA report', (ss, settings) => {
    const now = new Date();
    const { metrics, dashboard, measured } = readMetrics(ss, settings, now);
    writeAdoptionReport(ss, metrics, settings, now, measured, dashboard.trend ?? []);
    writeDashboard(ss, dashboard, Utilities.formatDate(now, settings.timeZone, 'yyyy-MM-dd HH:mm'));
    return `${adoptionSummary(metrics, settings, measured)}\nCharts are in the sheet "${DASHBOARD_SHEET}".`;
  });
}

function menuMonthlyReport(): void {
  report('Monthly review report', (ss, settings) => {
    const review = computeMonthlyReview(ss, settings, new Date());
    writeMonthlyReport(ss, review, new Date(), settings.timeZone);
    return `${monthlyDigestMessage(review).text}\n\nThe full report is in the sheet "${MONTHLY_SHEET}".`;
  });
}

function escapeHtml(s: string): string {
  return s.replace(
    /[&<>"']/g,
    (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c] as string,
  );
}

function menuEvidencePack(): void {
  fromMenu(() => {
    const settings = requireSecurityTeam();
    const ss = spreadsheet();
    const pack = locked(() => ({
      value: writeEvidencePack(ss, settings, new Date()),
      messages: [],
    }));
    const csv = JSON.stringify(pack.csv).replace(/</g, '\\u003c');
    const file = `${pack.sheet.replace(/[^\w -]/g, '')}.csv`;
    const html = `<!doctype html><html><head><base target="_top"><style>body{font:13px Arial,sans-serif;color:#202124;margin:16px}code{word-break:break-all}button{font:inherit;padding:6px 14px;background:#1a73e8;color:#fff;border:0;border-radius:4px;cursor:pointer}</style></head><body>
<p>Wrote <strong>${escapeHtml(pack.sheet)}</strong> (protected).</p>
<p>Audit Log: ${pack.chainIntact ? 'intact' : '<strong>hash chain broken</strong>: see the sheet'}. Head hash:<br><code>${escapeHtml(pack.headHash || '—')}</code></p>
<p><button id="download" type="button">Download CSV</button> <button id="copy" type="button">Copy CSV</button> <span id="copied" role="status"></span></p>
<p>If the download does not start (a browser may block downloads from this dialog), copy the text below into a file named <code>${escapeHtml(file)}</code>.</p>
<textarea id="csv" readonly rows="7" style="width:100%;box-sizing:border-box;font:12px monospace">${escapeHtml(pack.csv)}</textarea>
<script>document.getElementById('download').addEventListener('click', function () {
  var blob = new Blob([${csv}], { type: 'text/csv' });
  var a = document.createElement('a'); a.href = URL.createObjectURL(blob); a.download = ${JSON.stringify(file)}; a.click();
});
document.getElementById('copy').addEventListener('click', function () {
  var t = document.getElementById('csv'); t.focus(); t.select();
  var ok = false; try { ok = document.execCommand('copy'); } catch (e) { ok = false; }
  document.getElementById('copied').textContent = ok ? 'Copied.' : 'Selected: press Ctrl+C (Cmd+C) to copy.';
});</script></body></html>`;
    SpreadsheetApp.getUi().showModalDialog(
      HtmlService.createHtmlOutput(html).setWidth(520).setHeight(440),
      'Audit evidence pack',
    );
  });
}

/** The hourly sweep's pass, before an export reads the sheets; its findings are reported. */
function beforeExport(
  ss: GoogleAppsScript.Spreadsheet.Spreadsheet,
  settings: Settings,
  now: Date,
): void {
  const found = sweepRegistry(ss, settings, now, 'unknown (found before an export)', false);
  if (found.lines.length > 0) enqueue([one({ kind: 'put-back', lines: found.lines })], now);
}

/** Security team › Export …: a dialog with the file(s) to download (src/sheets/export.ts). */
function showExport(kind: ExportKind, title: string): void {
  fromMenu(() => {
    const settings = requireSecurityTeam();
    const ss = spreadsheet();
    const who = { user: currentUser(), now: new Date(), timeZone: settings.timeZone };
    const shown = withRegistry(30000, () => {
      // What is exported is what the add-on decided: anything changed where no trigger saw it
      // (the Sheets API, another script, a sort of one column) is put back first, as the
      // hourly sweep would, and reported.
      beforeExport(ss, settings, who.now);
      return exportDialog(ss, kind, who);
    });
    const ui = SpreadsheetApp.getUi();
    if ('nothing' in shown) ui.alert(title, shown.nothing, ui.ButtonSet.OK);
    else
      ui.showModalDialog(
        HtmlService.createHtmlOutput(exportDialogHtml(shown.dialog)).setWidth(560).setHeight(330),
        title,
      );
  });
}

function menuExportJira(): void {
  showExport('jira', 'Export reviews for Jira (CSV)');
}

function menuExportRegistry(): void {
  showExport('registry', 'Export registry (CSV or JSON)');
}

/** google.script.run: one part of an export too large for its dialog (security team). */
function exportPart(...args: unknown[]): { text: string; rows: number } {
  return serve(() => {
    const settings = requireSecurityTeam();
    const request = partRequest(args);
    if (typeof request === 'string') throw new UserError(request);
    const ss = spreadsheet();
    const who = { user: currentUser(), now: new Date(), timeZone: settings.timeZone };
    return withRegistry(30000, () => {
      beforeExport(ss, settings, who.now);
      return partOf(ss, request.kind, request.format, request.part, who);
    });
  });
}

function menuPostDecisionTree(): void {
  fromMenu(() => {
    const settings = requireSecurityTeam();
    const ss = spreadsheet();
    const today = Utilities.formatDate(new Date(), settings.timeZone, DATE_PATTERN);
    const tools = approvedTools(readCatalog(ss, settings.timeZone), TIERS[1], today).map(
      (t) => t.tool,
    );
    enqueue([{ kind: 'guide', message: decisionTreeMessage(tools) }], new Date());
    const report = deliverOutbox(5);
    const lines = outboxLines(report);
    SpreadsheetApp.getUi().alert(
      'Governed Path',
      report.delivered > 0
        ? `Posted the decision tree to ${settings.slackChannel}.`
        : `The decision tree is queued for Slack.\n${lines.join('\n')}`,
      SpreadsheetApp.getUi().ButtonSet.OK,
    );
  });
}

export {
  onOpen,
  onInstall,
  menuSetUpRegistry,
  menuRunDailyChecks,
  menuCheckSpreadsheet,
  handleRegistryEdit,
  handleRegistryChange,
  runHourlyJob,
  getSidebarData,
  registerProject,
  classifyData,
  listMyProjects,
  attestProject,
  setCoOwners,
  listReviewQueue,
  decideReview,
  deliverNotifications,
  getSettings,
  reanchorAuditLog,
  rotateSigningKey,
  reassignReview,
  getPeople,
  setDepartmentContacts,
  markPersonGone,
  saveSettings,
  sendTestMessage,
  sendGuideTo,
  getMailPreference,
  setMailPreference,
  menuRegister,
  menuClassify,
  menuMyProjects,
  menuReviewQueue,
  menuImportInventory,
  startImportPanel,
  previewImport,
  dryRunImport,
  importBatch,
  discardUnfinishedImport,
  menuSettings,
  menuPostDecisionTree,
  menuAdoptionReport,
  menuMonthlyReport,
  menuEvidencePack,
  menuExportJira,
  menuExportRegistry,
  exportPart,
};
