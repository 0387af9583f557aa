/**
 * Every function Apps Script can call: simple and installable triggers, menu items and
 * google.script.run targets. Each is thin: it reads, asks the domain, writes, and turns errors
 * into sentences a person can act on.
 */
import type { SidebarData } from './api';
import type { CatalogTool } from './domain/catalog';
import { AUDIT_LOG, REGISTRY, REVIEWS, type SheetSpec } from './domain/schema';
import { isSecurityTeamMember, type Settings } from './domain/settings';
import { messagesFor, notificationsFor, type SlackMessage } from './domain/slack';
import { TIER_INFO } from './domain/tiers';
import { messageFor, UserError } from './errors';
import { MENU, SECURITY_SUBMENU } from './menu';
import { runDailyChecks, type DailyReport } from './sheets/daily';
import { guardOwnedSheet, noticeDeletedRows } from './sheets/guards';
import { processRegistryEdit, type EditInfo } from './sheets/registry';
import { setUpSheets, type SetupReport } from './sheets/setup';
import { readCatalog, readDataStores } from './sheets/catalog';
import { ensureSettings, loadSettings, PROP } from './services/settings';
import { deliverOutbox, enqueue, outboxStatus } from './services/slack';
import { installTriggers, isCurrentTriggerOwner, type TriggerReport } from './services/triggers';

function spreadsheet(): GoogleAppsScript.Spreadsheet.Spreadsheet {
  const ss = SpreadsheetApp.getActiveSpreadsheet();
  if (!ss) throw new UserError('Governed Path must run from the registry spreadsheet.');
  return ss;
}

function currentUser(): string {
  return Session.getActiveUser().getEmail().trim().toLowerCase();
}

/** Runs a menu action; any failure becomes an alert with a human sentence. */
function fromMenu(action: () => void): void {
  try {
    action();
  } catch (error) {
    console.error(error);
    SpreadsheetApp.getUi().alert(
      'Governed Path',
      messageFor(error),
      SpreadsheetApp.getUi().ButtonSet.OK,
    );
  }
}

// ---------------------------------------------------------------- simple triggers and menu

/** Builds the menu. Runs in AuthMode NONE too, so it reads no properties. */
function onOpen(): void {
  const ui = SpreadsheetApp.getUi();
  const menu = ui.createMenu(MENU.title);
  for (const item of MENU.items) {
    if (item === 'separator') menu.addSeparator();
    else menu.addItem(item.caption, item.fn);
  }
  if (MENU.items.length > 0) menu.addSeparator();
  const security = ui.createMenu(SECURITY_SUBMENU);
  for (const item of MENU.securityTeam) security.addItem(item.caption, item.fn);
  menu.addSubMenu(security).addToUi();
}

function onInstall(): void {
  onOpen();
}

function setupSummary(setup: SetupReport, triggers: TriggerReport, firstRun: boolean): string {
  const lines: string[] = [];
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
      'Installed the triggers: the edit check, the deleted-row check, the daily job and the hourly Slack retry.',
    );
  if (triggers.removedDuplicates > 0) {
    lines.push(`Removed ${triggers.removedDuplicates} duplicate trigger(s).`);
  }
  if (lines.length === 0) lines.push('Everything was already in place; nothing needed repair.');
  const head = firstRun ? 'The registry is set up.' : 'The registry is repaired.';
  return `${head}\n\n${lines.join('\n')}`;
}

function setUpRegistry(): string {
  const me = currentUser();
  if (me === '') {
    throw new UserError(
      'Governed Path could not read your Google account email, so it cannot tell whether you are on the security team. Sign in with your work account and try again.',
    );
  }
  const ss = spreadsheet();
  const props = PropertiesService.getDocumentProperties();
  const firstRun = props.getProperty(PROP.settings) === null;
  if (!firstRun && !isSecurityTeamMember(loadSettings(ss.getSpreadsheetTimeZone()), me)) {
    throw new UserError(
      'Only the security team can set up or repair the registry. Ask them to run it, or to add you in Settings.',
    );
  }
  const lock = LockService.getDocumentLock();
  if (!lock.tryLock(30000)) {
    throw new UserError('Someone else is changing the registry right now. Try again in a minute.');
  }
  try {
    ensureSettings(ss.getSpreadsheetTimeZone(), me);
    const setup = setUpSheets(ss);
    const triggers = installTriggers(ss, Session.getEffectiveUser().getEmail());
    props.setProperty(PROP.spreadsheetId, ss.getId());
    SpreadsheetApp.flush();
    return setupSummary(setup, triggers, firstRun);
  } finally {
    lock.releaseLock();
  }
}

function menuSetUpRegistry(): void {
  fromMenu(() => {
    const summary = setUpRegistry();
    SpreadsheetApp.getUi().alert('Governed Path', summary, SpreadsheetApp.getUi().ButtonSet.OK);
  });
}

// ---------------------------------------------------------------- installable triggers

/** Sheets the edit trigger looks after; edits anywhere else return at once. */
const WATCHED: Record<string, SheetSpec> = {
  [REGISTRY.name]: REGISTRY,
  [REVIEWS.name]: REVIEWS,
  [AUDIT_LOG.name]: AUDIT_LOG,
};

function editInfo(e: GoogleAppsScript.Events.SheetsOnEdit): EditInfo {
  const user = (e.user ? e.user.getEmail() : '') || Session.getActiveUser().getEmail();
  return {
    user: user.trim().toLowerCase(),
    row: e.range.getRow(),
    column: e.range.getColumn(),
    numRows: e.range.getNumRows(),
    numColumns: e.range.getNumColumns(),
    oldValue: e.oldValue,
    value: e.value,
  };
}

/**
 * Installable edit trigger (runs as the admin, so it may write where employees may not).
 * Named apart from onEdit so it does not also run as a simple trigger.
 */
function handleRegistryEdit(e: GoogleAppsScript.Events.SheetsOnEdit): void {
  const spec = WATCHED[e.range.getSheet().getName()];
  if (!spec || !isCurrentTriggerOwner()) return;
  const lock = LockService.getDocumentLock();
  if (!lock.tryLock(30000)) {
    console.warn('Registry busy: this edit will be decided by the next edit or the daily check.');
    return;
  }
  const ss = e.source;
  const info = editInfo(e);
  let settings: Settings;
  let messages: SlackMessage[] = [];
  try {
    settings = loadSettings(ss.getSpreadsheetTimeZone());
    const now = new Date();
    if (spec === REGISTRY) {
      const outcome = processRegistryEdit(ss, info, settings, now);
      messages = messagesFor(notificationsFor(outcome.events, info.user));
    } else if (info.row > 1) {
      const logged = guardOwnedSheet(ss, spec, info, settings, now);
      messages = messagesFor(
        logged
          .filter((a) => a.action.startsWith('Tampering'))
          .map((a) => ({
            kind: 'tampering' as const,
            actor: a.actor,
            where: a.field,
            attempted: a.newValue,
            registryId: a.registryId,
          })),
      );
    }
    enqueue(messages, now);
    SpreadsheetApp.flush();
  } finally {
    lock.releaseLock();
  }
  // Slack after the registry is written and unlocked: a slow webhook never holds up an edit.
  const report = messages.length > 0 ? deliverOutbox(5) : null;
  if (isSecurityTeamMember(settings, info.user)) {
    const stuck = (report ?? outboxStatus()).undeliverable.length;
    if (stuck > 0)
      ss.toast(
        `${stuck} Slack message(s) could not be delivered. Run daily checks for details.`,
        'Governed Path',
        10,
      );
  }
}

/** Installable change trigger: notices deleted registry rows. */
function handleRegistryChange(e: GoogleAppsScript.Events.SheetsOnChange): void {
  if (e.changeType !== 'REMOVE_ROW' || !isCurrentTriggerOwner()) return;
  const lock = LockService.getDocumentLock();
  if (!lock.tryLock(30000)) return;
  try {
    const user = (e.user ? e.user.getEmail() : '') || Session.getActiveUser().getEmail();
    noticeDeletedRows(spreadsheet(), user, new Date());
    SpreadsheetApp.flush();
  } finally {
    lock.releaseLock();
  }
}

/** Runs the daily checks under the document lock and keeps the last report. */
function dailyChecks(): DailyReport {
  const ss = spreadsheet();
  const lock = LockService.getDocumentLock();
  if (!lock.tryLock(60000)) {
    throw new UserError('The registry is busy right now. Try again in a minute.');
  }
  try {
    const report = runDailyChecks(ss, loadSettings(ss.getSpreadsheetTimeZone()), new Date());
    PropertiesService.getDocumentProperties().setProperty(
      'lastDailyCheck',
      JSON.stringify({ at: new Date().toISOString(), ...report }),
    );
    SpreadsheetApp.flush();
    return report;
  } finally {
    lock.releaseLock();
  }
}

/** The daily time-driven job (runs as the admin). */
function runDailyJob(): void {
  if (!isCurrentTriggerOwner()) return;
  dailyChecks();
}

/** Hourly: retries Slack messages that are due. */
function runSlackOutbox(): void {
  if (!isCurrentTriggerOwner()) return;
  deliverOutbox(30);
}

/** Throws unless the signed-in person is on the security team. */
function requireSecurityTeam(): void {
  const ss = spreadsheet();
  if (!isSecurityTeamMember(loadSettings(ss.getSpreadsheetTimeZone()), currentUser())) {
    throw new UserError(
      'Only the security team can do this. Ask them, or ask to be added in Settings.',
    );
  }
}

function menuRunDailyChecks(): void {
  fromMenu(() => {
    requireSecurityTeam();
    const report = dailyChecks();
    const head = report.ok ? 'Daily checks passed.' : 'Daily checks found problems.';
    SpreadsheetApp.getUi().alert(
      'Governed Path',
      `${head}\n\n${report.lines.join('\n')}`,
      SpreadsheetApp.getUi().ButtonSet.OK,
    );
  });
}

// ---------------------------------------------------------------- google.script.run

function getSidebarData(): SidebarData {
  const ss = spreadsheet();
  const tz = ss.getSpreadsheetTimeZone();
  const settings = loadSettings(tz);
  const user = currentUser();
  return {
    user,
    isSecurityTeam: isSecurityTeamMember(settings, user),
    tiers: TIER_INFO.slice(),
    tools: readCatalog(ss, tz).map(({ tool, vendor, status, maxTier, howToGetAccess }) => ({
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
  };
}

export {
  onOpen,
  onInstall,
  menuSetUpRegistry,
  menuRunDailyChecks,
  handleRegistryEdit,
  handleRegistryChange,
  runDailyJob,
  runSlackOutbox,
  getSidebarData,
};
