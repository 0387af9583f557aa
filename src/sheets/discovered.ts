/**
 * The Discovered sheet (issue 18): projects the security team found elsewhere, protected for
 * real, reconciled daily with the Registry, their owners invited once to register them.
 */
import {
  HELD,
  measuredAdoption,
  reconcile,
  recordPoint,
  statusWord,
  type AdoptionPoint,
  type DiscoveredLine,
  type DiscoveredStatus,
  type MeasuredAdoption,
  type Reconciled,
  type RegisteredEntry,
} from '../domain/discovered';
import { isHttpsLink, neutralise } from '../domain/injection';
import { escapeHtml, organisationDomains } from '../domain/mail';
import type { Outgoing } from '../domain/outbox';
import { DATE_PATTERN, DISCOVERED, REGISTRY } from '../domain/schema';
import { isSecurityTeamMember, type Settings } from '../domain/settings';
import { asKind, lifecycleMessage } from '../domain/slack';
import { hmacHex, retiredKeys, requireSigningKey, type SigningKey } from '../services/keys';
import { registryProperties, storedJson } from '../services/store';
import { appendAudit, SYSTEM_ACTOR, type AuditEntry } from './audit-log';
import { asText, isDate } from './catalog';
import type { EditInfo } from './registry';
import { protectForTeam } from './reports';
import { rowOwners, sealer, sha256Hex } from './seals';
import { repairSheet } from './setup';
import { readColumnsOf, readLayout, type Cell, type Layout } from './table';

type Spreadsheet = GoogleAppsScript.Spreadsheet.Spreadsheet;

const PROTECTION = 'Governed Path: Discovered (the security team only)';
/** Owners invited in one run (each a mail): the rest the next day. */
export const INVITES_PER_RUN = 40;
/** Mail kept back for the day's other work (reminders, the head, attestation). */
const MAIL_RESERVE = 25;
const HISTORY = 'adoptionHistory';
/** Set when people outside the security team could write in the sheet (see markDiscoveredExposed). */
const EXPOSED = 'discoveredExposed';
const REASON_MAX = 300;

/**
 * Creates the sheet if it is missing and protects it for real: its editors are the security
 * team (and whoever runs this, who must be able to write the reconciliation).
 */
export function setUpDiscovered(ss: Spreadsheet, team: readonly string[]): boolean {
  const existing = ss.getSheetByName(DISCOVERED.name);
  const sheet = existing ?? ss.insertSheet(DISCOVERED.name, ss.getSheets().length);
  repairSheet(sheet, DISCOVERED, existing === null);
  protectDiscovered(ss, team);
  return existing === null;
}

/** (Re)applies the real protection: after setup, and when Settings changes the team. */
export function protectDiscovered(ss: Spreadsheet, team: readonly string[]): void {
  const sheet = ss.getSheetByName(DISCOVERED.name);
  if (!sheet) return;
  for (const p of sheet.getProtections(SpreadsheetApp.ProtectionType.SHEET))
    if (p.getDescription() === PROTECTION) p.remove();
  protectForTeam(sheet, team, PROTECTION);
}

/**
 * Whether the sheet's real protection is still in place: not warning-only, not open to the
 * domain, and nobody among its editors but the security team, the owner and this account.
 */
export function discoveredProtected(ss: Spreadsheet, team: readonly string[]): boolean | null {
  const sheet = ss.getSheetByName(DISCOVERED.name);
  if (!sheet) return null;
  const allowed = new Set(
    [...team, ss.getOwner()?.getEmail() ?? '', Session.getEffectiveUser().getEmail()].map((e) =>
      e.trim().toLowerCase(),
    ),
  );
  return sheet
    .getProtections(SpreadsheetApp.ProtectionType.SHEET)
    .some(
      (p) =>
        p.getDescription() === PROTECTION &&
        !p.isWarningOnly() &&
        !p.canDomainEdit() &&
        p.getEditors().every((u) => allowed.has(u.getEmail().trim().toLowerCase())),
    );
}

// ---------------------------------------------------------------------------------------------
// Seals: a line's Status and Reason, signed with the line's Source, Name and Owner Email
// ---------------------------------------------------------------------------------------------

interface LineSeal {
  status: DiscoveredStatus;
  reason: string;
}

/** What a line's seal signs: everything of it an invitation carries (Source, Name, Owner, Link). */
function lineKey(source: string, name: string, owner: string, link: string): string {
  return sha256Hex(
    JSON.stringify([source.trim(), name.trim(), owner.trim().toLowerCase(), link.trim()]),
  ).slice(0, 32);
}

function macOf(key: SigningKey, ssId: string, line: string, s: LineSeal): string {
  return hmacHex(key, JSON.stringify(['D1', ssId, line, s.status, s.reason])).slice(0, 32);
}

function sealText(ssId: string, line: string, s: LineSeal): string {
  const key = requireSigningKey();
  return JSON.stringify({
    v: 'D1',
    k: key.id,
    h: line,
    s: s.status,
    r: s.reason,
    m: macOf(key, ssId, line, s),
  });
}

/** A line's seal verified against the line it names (its `h`): that key and what it signs. */
function parseLineSeal(text: string, ssId: string): { key: string; body: LineSeal } | null {
  if (!text.startsWith('{')) return null;
  let o: { v?: unknown; k?: unknown; h?: unknown; s?: unknown; r?: unknown; m?: unknown };
  try {
    o = JSON.parse(text) as typeof o;
  } catch {
    return null;
  }
  if (o.v !== 'D1' || typeof o.k !== 'string' || typeof o.m !== 'string') return null;
  if (typeof o.h !== 'string') return null;
  const status = typeof o.s === 'string' ? statusWord(o.s) : null;
  if (status === null || typeof o.r !== 'string') return null;
  const body = { status, reason: o.r };
  const current = requireSigningKey();
  const keys = [current, ...retiredKeys()].filter((k) => k.id === o.k);
  return keys.some((k) => macOf(k, ssId, o.h as string, body) === o.m) ? { key: o.h, body } : null;
}

interface Row {
  row: number;
  cells: Cell[];
  line: DiscoveredLine;
  key: string;
  /** What the line's seal says, or blank without one. */
  sealed: LineSeal;
  /** The line's seal was found (in its own row or, moved by a sort, in another). */
  known: boolean;
  /** Its own Seal cell holds its seal. */
  authentic: boolean;
}

/**
 * The lines as rows, each with what its seal says. A seal signs its line's Source, Name and
 * Owner Email, so a line's seal is found wherever it is among the rows read: a sort of some
 * columns only (Status, Reason and Seal apart from the line) moves no decision to another line.
 */
function rowsOf(
  layout: Layout,
  ssId: string,
  values: readonly (readonly Cell[])[],
  first: number,
): Row[] {
  const c = layout.columns;
  const byKey = new Map<string, LineSeal>();
  const own = values.map((line) => {
    const parsed = parseLineSeal(asText(line[c['Seal']]), ssId);
    if (parsed && !byKey.has(parsed.key)) byKey.set(parsed.key, parsed.body);
    return parsed?.key ?? null;
  });
  return values.map((line, i) => {
    const cells = line.slice();
    const text = (h: string) => asText(cells[c[h]]).trim();
    const key = lineKey(text('Source'), text('Name'), text('Owner Email'), text('Link'));
    const seal = byKey.get(key) ?? null;
    const sealed = seal ?? { status: '' as DiscoveredStatus, reason: '' };
    return {
      row: first + i,
      cells,
      key,
      sealed,
      known: seal !== null,
      authentic: own[i] === key,
      line: {
        row: first + i,
        source: text('Source'),
        name: text('Name'),
        owner: text('Owner Email').toLowerCase(),
        link: text('Link'),
        status: sealed.status,
        reason: sealed.reason,
      },
    };
  });
}

const blankLine = (r: Row) => !r.line.source && !r.line.name && !r.line.owner && !r.line.link;

// ---------------------------------------------------------------------------------------------
// The daily reconciliation
// ---------------------------------------------------------------------------------------------

export interface DiscoveredReport {
  lines: string[];
  messages: Outgoing[];
  adoption: MeasuredAdoption | null;
}

/**
 * The registry's entries as reconciliation matches them, how many are live, and who owns an
 * entry by its seal (verified only for the entries a line would be matched to).
 */
function registeredEntries(ss: Spreadsheet): {
  entries: RegisteredEntry[];
  live: number;
  ownsSealed: (id: string, person: string) => boolean;
} {
  const layout = readLayout(ss, REGISTRY);
  if (!layout) return { entries: [], live: 0, ownsSealed: () => false };
  const headers = [
    'ID',
    'Project',
    'Creator Email',
    'Co-owners',
    'Deployment Status',
    'Registered',
    'Seal',
  ];
  const table = readColumnsOf(layout, headers);
  const c = layout.columns;
  const entries: RegisteredEntry[] = [];
  const rowOf = new Map<string, readonly Cell[]>();
  let live = 0;
  for (const row of table.rows) {
    const id = asText(row[c['ID']]).trim();
    if (!id || !isDate(row[c['Registered']])) continue;
    if (asText(row[c['Deployment Status']]) !== 'Decommissioned') live++;
    rowOf.set(id, row);
    entries.push({
      id,
      project: asText(row[c['Project']]),
      people: [asText(row[c['Creator Email']]), ...asText(row[c['Co-owners']]).split(/[,;\s]+/)]
        .map((e) => e.trim().toLowerCase())
        .filter((e) => e.includes('@')),
    });
  }
  let sealing: ReturnType<typeof sealer> | null = null;
  const owners = new Map<string, string[]>();
  const ownsSealed = (id: string, person: string): boolean => {
    if (!owners.has(id)) {
      const row = rowOf.get(id);
      sealing ??= sealer(ss);
      owners.set(id, row ? (rowOwners(sealing, row, c)?.owners ?? []) : []);
    }
    return owners.get(id)!.includes(person);
  };
  return { entries, live, ownsSealed };
}

/**
 * Reconciles every line with the Registry (by owner and a name like it), puts back Status and
 * Reason wherever they disagree with their seal, invites the owners of projects nobody
 * registered (once, within the day's mail), and records the month's measured adoption.
 */
export function reconcileDiscovered(
  ss: Spreadsheet,
  settings: Settings,
  now: Date,
): DiscoveredReport | null {
  const sheet = ss.getSheetByName(DISCOVERED.name);
  if (!sheet) return null;
  const lines: string[] = [];
  const messages: Outgoing[] = [];
  const alert = (line: string) => {
    lines.push(line);
    messages.push(...asKind('integrity', [lifecycleMessage('Discovered sheet', [line])]));
  };
  // What could have let anyone write here comes first: a line added meanwhile is held.
  let hold = '';
  let layout = readLayout(ss, DISCOVERED);
  if (!layout) {
    // A header renamed or a column deleted (the hidden Seal column too): put back, not off.
    const used = sheet.getLastColumn();
    const headers =
      used > 0
        ? sheet
            .getRange(1, 1, 1, used)
            .getValues()[0]
            .map((h) => asText(h as Cell))
        : [];
    const sealLost = !headers.some((h) => h.trim() === 'Seal');
    repairSheet(sheet, DISCOVERED, false);
    // The repair renews the add-on's protections: the team's one with them.
    protectDiscovered(ss, settings.securityTeam);
    layout = readLayout(ss, DISCOVERED);
    if (!layout) return null;
    // Without the seals, a line invited before cannot be told from a new one: held.
    if (sealLost)
      hold = `${HELD} its seal was lost when the Seal column was deleted; check the line, then clear this Reason.`;
    alert(
      `The Discovered sheet had lost one of its columns (a header renamed or a column deleted); Governed Path put it back.${sealLost ? ' The seals went with it: lines are held, and nobody is invited until the security team clears their Reason.' : ''}`,
    );
  }
  const exposed = storedJson<{ why?: string } | null>(EXPOSED, null);
  if (exposed) {
    hold = `${HELD} added or changed while people outside the security team could edit the sheet; check the line, then clear this Reason.`;
    registryProperties().deleteProperty(EXPOSED);
  }
  if (discoveredProtected(ss, settings.securityTeam) === false) {
    let restored = true;
    try {
      protectDiscovered(ss, settings.securityTeam);
    } catch {
      restored = false;
    }
    hold = `${HELD} added or changed while the sheet was not protected; check the line, then clear this Reason.`;
    alert(
      restored
        ? 'The Discovered sheet was editable by people outside the security team; it is protected again for the team only. Lines nobody had reconciled are held: no invitation goes out until the security team checks them and clears their Reason.'
        : 'The Discovered sheet is editable by people outside the security team and Governed Path could not protect it again: run Set up or repair registry. No invitation goes out meanwhile.',
    );
    if (!restored) hold = hold || `${HELD} the sheet is not protected.`;
  }
  const ssId = ss.getId();
  const tz = settings.timeZone;
  const today = Utilities.formatDate(now, tz, DATE_PATTERN);
  const c = layout.columns;
  const n = layout.lastRow - 1;
  const values =
    n > 0 ? (layout.sheet.getRange(2, 1, n, layout.width).getValues() as Cell[][]) : [];
  const rows = rowsOf(layout, ssId, values, 2).filter((r) => !blankLine(r));
  // Nothing discovered: nothing to reconcile, and the Registry is not read for it.
  if (rows.length === 0) return { lines, messages, adoption: null };
  const { entries, live, ownsSealed } = registeredEntries(ss);
  const audit: AuditEntry[] = [];

  // Cells that disagree with their seal are put back (or cleared, without one).
  const tampered: string[] = [];
  for (const r of rows) {
    if (hold && !r.known) {
      // Held: its reason says why; what its cells showed is not a decision of anyone's.
      r.sealed = { status: '', reason: hold };
      r.line.status = '';
      r.line.reason = hold;
      continue;
    }
    const shownStatus = asText(r.cells[c['Status']]).trim();
    const shownReason = asText(r.cells[c['Reason']]).trim();
    if (shownStatus !== r.sealed.status || shownReason !== r.sealed.reason) {
      tampered.push(`row ${r.row}`);
      audit.push({
        actor: 'unknown (found by the daily check)',
        action: 'Tampering reverted',
        registryId: '',
        field: `Discovered row ${r.row} Status/Reason`,
        oldValue: `${r.sealed.status || '(blank)'}: ${r.sealed.reason}`.slice(0, 300),
        newValue: `${shownStatus || '(blank)'}: ${shownReason}`.slice(0, 300),
      });
    }
  }

  const decided = reconcile(
    rows.map((r) => r.line),
    entries,
    organisationDomains(settings.securityTeam),
    ownsSealed,
  );
  const byRow = new Map(rows.map((r) => [r.row, r]));
  const next = new Map<number, LineSeal>();
  for (const d of decided) next.set(d.row, { status: d.status, reason: d.reason });

  // Invitations: one mail per owner, listing their lines, within the run's and the day's mail.
  const invites = new Map<string, Reconciled[]>();
  for (const d of decided) {
    if (!d.invite) continue;
    const owner = byRow.get(d.row)!.line.owner;
    invites.set(owner, [...(invites.get(owner) ?? []), d]);
  }
  const owners = [...invites.keys()].sort();
  const budget = Math.max(
    0,
    Math.min(INVITES_PER_RUN, MailApp.getRemainingDailyQuota() - MAIL_RESERVE),
  );
  const inviting = owners.slice(0, budget);
  for (const owner of owners.slice(budget))
    for (const d of invites.get(owner)!)
      next.set(d.row, { status: '', reason: 'To be invited at the next daily run (mail budget).' });
  // Marked Invited before the mail goes: a run cut off never mails anyone twice.
  for (const owner of inviting)
    for (const d of invites.get(owner)!)
      next.set(d.row, { status: 'Invited', reason: `Invited ${today}` });
  writeStatuses(layout, ssId, rows, next);

  let sent = 0;
  const failed: string[] = [];
  for (const owner of inviting) {
    const lines = invites.get(owner)!.map((d) => byRow.get(d.row)!.line);
    const mail = invitation(lines, ss, settings);
    try {
      MailApp.sendEmail({
        to: owner,
        subject: mail.subject,
        body: mail.body,
        htmlBody: mail.htmlBody,
        name: 'Governed Path',
      });
      sent++;
      for (const line of lines)
        audit.push({
          actor: SYSTEM_ACTOR,
          action: 'Invited to register',
          registryId: '',
          field: `Discovered: ${line.name}`.slice(0, 200),
          oldValue: line.source.slice(0, 100),
          newValue: owner,
        });
    } catch (error) {
      failed.push(owner);
      for (const line of lines)
        next.set(line.row, {
          status: '',
          reason: `Could not be emailed (${String((error as Error).message ?? error).slice(0, 120)}): check the Owner Email.`,
        });
    }
  }
  if (failed.length > 0) writeStatuses(layout, ssId, rows, next);

  // What changed, for the log: lines that became Registered.
  for (const r of rows) {
    const to = next.get(r.row)!;
    if (to.status === 'Registered' && r.sealed.status !== 'Registered')
      audit.push({
        actor: SYSTEM_ACTOR,
        action: 'Discovered project registered',
        registryId: to.reason,
        field: `Discovered: ${r.line.name}`.slice(0, 200),
        oldValue: r.sealed.status || '(new)',
        newValue: 'Registered',
      });
  }
  if (audit.length > 0) appendAudit(ss, audit, now);

  // Held lines are unverified (anyone could have typed them): they do not move the figure.
  const statuses = rows
    .filter((r) => !next.get(r.row)!.reason.startsWith(HELD))
    .map((r) => next.get(r.row)!.status);
  const adoption = measuredAdoption(live, statuses);
  keepPoint(today, adoption, settings.estimatedProjects);
  if (rows.length > 0) {
    const count = (s: DiscoveredStatus) => statuses.filter((x) => x === s).length;
    lines.push(
      `Discovered: ${rows.length} line(s): ${count('Registered')} registered, ${count('Invited')} invited, ${count('Ignored')} ignored, ${count('')} waiting.`,
    );
    if (sent > 0) lines.push(`Discovered: ${sent} owner(s) invited to register today.`);
    if (owners.length > inviting.length)
      lines.push(
        `Discovered: ${owners.length - inviting.length} owner(s) will be invited at the next daily run (mail budget).`,
      );
    if (failed.length > 0)
      lines.push(
        `Discovered: ${failed.length} invitation(s) could not be emailed (${failed.slice(0, 3).join(', ')}).`,
      );
    if (adoption.value !== null)
      lines.push(
        `Measured adoption: ${Math.round(adoption.value * 1000) / 10}% (${adoption.registered} registered of ${adoption.registered + adoption.unregistered} known projects).`,
      );
  }
  if (tampered.length > 0) {
    lines.push(
      `Discovered: Status or Reason changed by hand and put back in ${tampered.length} line(s).`,
    );
    messages.push(
      ...asKind('tampering', [
        lifecycleMessage('Discovered: Status or Reason changed by hand, put back', tampered),
      ]),
    );
  }
  return { lines, messages, adoption };
}

/** Writes the Status, Reason and Seal of the lines whose sealed state changes. */
function writeStatuses(
  layout: Layout,
  ssId: string,
  rows: readonly Row[],
  next: ReadonlyMap<number, LineSeal>,
  /** Lines put back to blank without a seal: an edit by someone outside the team seals nothing. */
  unsealed: ReadonlySet<number> = new Set(),
): void {
  const c = layout.columns;
  const changed = rows.filter((r) => {
    const to = next.get(r.row);
    if (!to) return false;
    return (
      !r.authentic ||
      to.status !== r.sealed.status ||
      to.reason !== r.sealed.reason ||
      asText(r.cells[c['Status']]).trim() !== to.status ||
      asText(r.cells[c['Reason']]).trim() !== to.reason
    );
  });
  if (changed.length === 0) return;
  // One write per owned column across the span the changed lines cover.
  const first = Math.min(...changed.map((r) => r.row));
  const last = Math.max(...changed.map((r) => r.row));
  const span = rows.filter((r) => r.row >= first && r.row <= last);
  const byRow = new Map(span.map((r) => [r.row, r]));
  const column = (h: 'Status' | 'Reason' | 'Seal') =>
    Array.from({ length: last - first + 1 }, (_, i) => {
      const r = byRow.get(first + i);
      if (!r) return [''];
      const to = next.get(r.row) ?? r.sealed;
      const touched = changed.includes(r);
      if (!touched) return [r.cells[c[h]] ?? ''];
      if (h === 'Status') return [to.status];
      if (h === 'Reason') return [neutralise(to.reason)];
      return [unsealed.has(r.row) ? '' : sealText(ssId, r.key, to)];
    });
  for (const h of ['Status', 'Reason', 'Seal'] as const)
    layout.sheet.getRange(first, c[h] + 1, last - first + 1, 1).setValues(column(h));
  for (const r of changed) {
    const to = next.get(r.row)!;
    r.cells[c['Status']] = to.status;
    r.cells[c['Reason']] = to.reason;
    r.cells[c['Seal']] = unsealed.has(r.row) ? '' : sealText(ssId, r.key, to);
    r.sealed = to;
    r.authentic = !unsealed.has(r.row);
  }
}

/**
 * Someone outside the security team could write in the sheet (an edit of theirs arrived, or
 * its protection was found open): the next reconciliation holds every line it cannot verify.
 */
export function markDiscoveredExposed(why: string, now: Date): void {
  registryProperties().setProperty(
    EXPOSED,
    JSON.stringify({ why: why.slice(0, 200), at: now.getTime() }),
  );
}

/** The invitation: the person's found projects, the registry's address and the survey. */
export function invitation(
  lines: readonly DiscoveredLine[],
  ss: Spreadsheet,
  settings: Settings,
): { subject: string; body: string; htmlBody: string } {
  const url = `https://docs.google.com/spreadsheets/d/${encodeURIComponent(ss.getId())}/edit`;
  // One line each: a name with a line break must not start a header of the mail.
  // eslint-disable-next-line no-control-regex
  const one = (t: string) => t.replace(/[\s\u0000-\u001f\u007f]+/g, ' ').trim();
  const listed = lines.slice(0, 20).map((l) => {
    const where = [l.source, isHttpsLink(l.link) ? l.link : ''].filter((x) => x).join(', ');
    return one(`${l.name || '(unnamed)'}${where ? ` (${where})` : ''}`).slice(0, 300);
  });
  const more = lines.length > 20 ? [`…and ${lines.length - 20} more.`] : [];
  const survey = settings.surveyUrl;
  const paragraphs = [
    `The security team found ${lines.length === 1 ? 'a project' : `${lines.length} projects`} built with AI coding tools that ${lines.length === 1 ? 'is' : 'are'} not in the AI use-case registry yet:`,
    '',
    ...listed.map((l) => `  • ${l}`),
    ...more,
    '',
    `Registering takes about a minute: open the registry at ${url} and choose AI Registry › Register an AI project. Your found projects are offered there, filled in.`,
    'If one is not yours, or no longer exists, reply to this mail and the security team will mark it.',
    ...(survey
      ? ['', `Two minutes that help us: why had you not registered it yet? ${survey}`]
      : []),
  ];
  const body = paragraphs.join('\n');
  const link = (href: string, text: string) =>
    `<a href="${escapeHtml(href)}">${escapeHtml(text)}</a>`;
  const htmlBody = [
    `<p>${escapeHtml(paragraphs[0])}</p>`,
    `<ul>${listed.map((l) => `<li>${escapeHtml(l)}</li>`).join('')}${more.map((m) => `<li>${escapeHtml(m)}</li>`).join('')}</ul>`,
    `<p>Registering takes about a minute: ${link(url, 'open the registry')} and choose <b>AI Registry › Register an AI project</b>. Your found projects are offered there, filled in.</p>`,
    '<p>If one is not yours, or no longer exists, reply to this mail and the security team will mark it.</p>',
    ...(survey
      ? [`<p>Two minutes that help us: ${link(survey, 'why had you not registered it yet?')}</p>`]
      : []),
  ].join('');
  return {
    subject:
      lines.length === 1
        ? `Governed Path: please register "${one(lines[0].name || 'your project').slice(0, 80)}" in the AI registry`
        : `Governed Path: please register your ${lines.length} AI-built projects in the AI registry`,
    body,
    htmlBody,
  };
}

function keepPoint(today: string, adoption: MeasuredAdoption, estimated: number | null): void {
  const history = storedJson<AdoptionPoint[]>(HISTORY, []);
  const next = recordPoint(Array.isArray(history) ? history : [], {
    month: today.slice(0, 7),
    registered: adoption.registered,
    unregistered: adoption.unregistered,
    estimated,
  });
  registryProperties().setProperty(HISTORY, JSON.stringify(next));
}

/** The months recorded for the trend (oldest first). */
export function adoptionHistory(): AdoptionPoint[] {
  const history = storedJson<AdoptionPoint[]>(HISTORY, []);
  return Array.isArray(history) ? history.filter((p) => p && typeof p.month === 'string') : [];
}

/**
 * The measured adoption as the Discovered sheet stands (its sealed statuses): for the reports.
 * Null when there is no Discovered sheet or no line in it.
 */
export function currentMeasured(ss: Spreadsheet, registered: number): MeasuredAdoption | null {
  const layout = readLayout(ss, DISCOVERED);
  if (!layout || layout.lastRow < 2) return null;
  const table = readColumnsOf(layout, ['Source', 'Name', 'Owner Email', 'Link', 'Seal']);
  const rows = rowsOf(layout, ss.getId(), table.rows, 2).filter((r) => !blankLine(r));
  if (rows.length === 0) return null;
  return measuredAdoption(
    registered,
    rows.filter((r) => !r.sealed.reason.startsWith(HELD)).map((r) => r.sealed.status),
  );
}

// ---------------------------------------------------------------------------------------------
// The sidebar: a person's own discovered projects
// ---------------------------------------------------------------------------------------------

export interface FoundProject {
  name: string;
  source: string;
  link: string;
  found: string;
}

/**
 * The lines naming this person as owner that nobody registered or ignored: what the Register
 * panel offers, pre-filled. Found by one search of the Owner Email column.
 */
export function foundFor(ss: Spreadsheet, user: string, tz: string): FoundProject[] {
  if (!user) return [];
  const layout = readLayout(ss, DISCOVERED);
  if (!layout || layout.lastRow < 2) return [];
  const c = layout.columns;
  const hits = layout.sheet
    .getRange(2, c['Owner Email'] + 1, layout.lastRow - 1, 1)
    .createTextFinder(user)
    .matchCase(false)
    .matchEntireCell(true)
    .findAll()
    .map((r) => r.getRow())
    .slice(0, 50);
  if (hits.length === 0) return [];
  const first = Math.min(...hits);
  const last = Math.max(...hits);
  const values = layout.sheet
    .getRange(first, 1, last - first + 1, layout.width)
    .getValues() as Cell[][];
  const rows = rowsOf(layout, ss.getId(), values, first).filter((r) => hits.includes(r.row));
  return rows
    .filter(
      (r) =>
        r.line.owner === user.toLowerCase() &&
        (r.sealed.status === '' || r.sealed.status === 'Invited'),
    )
    .map((r) => ({
      name: r.line.name.slice(0, 100),
      source: r.line.source.slice(0, 80),
      link: isHttpsLink(r.line.link) ? r.line.link : '',
      found: isDate(r.cells[c['Found']])
        ? Utilities.formatDate(r.cells[c['Found']] as Date, tz, DATE_PATTERN)
        : '',
    }));
}

// ---------------------------------------------------------------------------------------------
// Edits
// ---------------------------------------------------------------------------------------------

/**
 * An edit of the Discovered sheet. A security-team member may type `Ignored` into one Status
 * cell (with the Reason they type, or one saying who ignored it), clear an Ignored status, or
 * write the Reason of an Ignored line. Every other change of Status or Reason is put back from
 * the seal and reported. Changing a line's Source, Name or Owner Email keeps its status.
 */
export function discoveredEdit(
  ss: Spreadsheet,
  info: EditInfo,
  settings: Settings,
  now: Date,
): { messages: Outgoing[]; note: string } {
  const layout = readLayout(ss, DISCOVERED);
  if (!layout) return { messages: [], note: '' };
  const c = layout.columns;
  const first = Math.max(2, info.row);
  const last = Math.min(info.row + info.numRows - 1, layout.lastRow);
  if (last < first) return { messages: [], note: '' };
  const ssId = ss.getId();
  const values = layout.sheet
    .getRange(first, 1, last - first + 1, layout.width)
    .getValues() as Cell[][];
  const touches = (h: string) =>
    c[h] + 1 >= info.column && c[h] + 1 < info.column + info.numColumns;
  const team = isSecurityTeamMember(settings, info.user);
  const single = info.numRows === 1 && info.numColumns === 1 && !info.replayed;
  const today = Utilities.formatDate(now, settings.timeZone, DATE_PATTERN);
  const actor = info.user || 'unknown editor';
  const audit: AuditEntry[] = [];
  const tampered: string[] = [];
  let note = '';

  const rows = rowsOf(layout, ssId, values, first);
  const next = new Map<number, LineSeal>();
  for (const r of rows) {
    const shownStatus = asText(r.cells[c['Status']]).trim();
    const shownReason = asText(r.cells[c['Reason']]).trim();
    // A security-team member corrected the line's Source, Name or Owner Email: its status
    // goes with it (the seal still signs the line as it was).
    let sealed = r.sealed;
    const identity = ['Source', 'Name', 'Owner Email', 'Link'].some(touches);
    if (!r.known && team && identity && !touches('Seal')) {
      // Only Ignored (the team's decision) goes with the line: an Invited line with a new
      // owner invites the new owner, and Registered is decided again.
      const carried = parseLineSeal(asText(r.cells[c['Seal']]), ssId)?.body;
      if (carried?.status === 'Ignored') {
        sealed = carried;
        audit.push({
          actor,
          action: 'Discovered line changed',
          registryId: '',
          field: `Discovered: ${r.line.name} (${r.line.owner || 'no owner'})`.slice(0, 200),
          oldValue: '(the line as it was: Ignored)',
          newValue: `Ignored kept: ${carried.reason}`.slice(0, 300),
        });
      }
    }
    let to: LineSeal = sealed;
    if (team && single && touches('Status')) {
      const word = statusWord(shownStatus);
      if (word === 'Ignored') {
        const typed = shownReason && shownReason !== sealed.reason ? shownReason : '';
        to = {
          status: 'Ignored',
          reason: (typed || sealed.status === 'Ignored'
            ? typed || sealed.reason
            : `Ignored by ${actor} on ${today}`
          ).slice(0, REASON_MAX),
        };
      } else if (word === '' && sealed.status === 'Ignored')
        to = {
          status: '',
          reason: `No longer ignored (${actor}, ${today}): reconciled at the next daily run.`,
        };
      else if (word !== sealed.status)
        note = 'Only "Ignored" can be typed in Status: Governed Path sets Registered and Invited.';
    } else if (team && single && touches('Reason') && sealed.status === 'Ignored') {
      to = {
        status: 'Ignored',
        reason: shownReason.slice(0, REASON_MAX) || `Ignored by ${actor} on ${today}`,
      };
    } else if (team && single && touches('Reason') && sealed.reason.startsWith(HELD)) {
      // The team looked at a held line: clearing its Reason lets its owner be invited.
      to = { status: '', reason: shownReason.startsWith(HELD) ? sealed.reason : '' };
    }
    if (to.status !== sealed.status || to.reason !== sealed.reason)
      audit.push({
        actor,
        action:
          to.status === 'Ignored'
            ? 'Discovered ignored'
            : sealed.reason.startsWith(HELD)
              ? 'Discovered released'
              : 'Discovered un-ignored',
        registryId: '',
        field: `Discovered: ${r.line.name}`.slice(0, 200),
        oldValue: `${sealed.status || '(blank)'}: ${sealed.reason}`.slice(0, 300),
        newValue: `${to.status || '(blank)'}: ${to.reason}`.slice(0, 300),
      });
    else if (
      (shownStatus !== to.status || shownReason !== to.reason) &&
      !r.known &&
      team &&
      identity
    )
      // The team corrected the line itself: what was known of the old line starts again.
      audit.push({
        actor,
        action: 'Discovered line changed',
        registryId: '',
        field: `Discovered: ${r.line.name}`.slice(0, 200),
        oldValue: `${shownStatus || '(blank)'}: ${shownReason}`.slice(0, 300),
        newValue:
          `${to.status || '(blank)'}: ${to.reason || 'reconciled at the next daily run'}`.slice(
            0,
            300,
          ),
      });
    else if ((shownStatus !== to.status || shownReason !== to.reason) && !(note && single)) {
      tampered.push(`row ${r.row}`);
      audit.push({
        actor,
        action: 'Tampering reverted',
        registryId: '',
        field: `Discovered row ${r.row} Status/Reason`,
        oldValue: `${to.status || '(blank)'}: ${to.reason}`.slice(0, 300),
        newValue: `${shownStatus || '(blank)'}: ${shownReason}`.slice(0, 300),
      });
    }
    // Sealed anew only when something is recorded (a blank new line stays unsealed).
    if (to.status !== '' || to.reason !== '' || r.authentic || asText(r.cells[c['Seal']]) !== '')
      next.set(r.row, to);
    else if (shownStatus !== '' || shownReason !== '') next.set(r.row, to);
  }
  // Someone outside the team wrote here: the protection is open. What they touched is put
  // back, nothing is sealed for them, and the next reconciliation holds what it cannot verify.
  const unsealed = new Set(team ? [] : rows.filter((r) => !r.known).map((r) => r.row));
  writeStatuses(layout, ssId, rows, next, unsealed);
  if (!team) markDiscoveredExposed(`an edit by ${actor}`, now);
  if (audit.length > 0) appendAudit(ss, audit, now);
  const messages = !team
    ? asKind('tampering', [
        lifecycleMessage(`Discovered: edited by ${actor}, who is not on the security team`, [
          ...(tampered.length > 0 ? [`Status or Reason put back: ${tampered.join(', ')}`] : []),
          'The sheet should refuse their edits: its protection is checked and restored at the next daily run, and lines nobody verified are held.',
        ]),
      ])
    : [];
  return { messages, note };
}
