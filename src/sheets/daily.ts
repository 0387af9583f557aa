import type { Settings } from '../domain/settings';
import { guideMail } from '../domain/mail';
import { approvedTools } from '../domain/policy';
import { DATE_PATTERN, TIERS } from '../domain/schema';
import { readCatalog } from './catalog';
import { registryProperties } from '../services/store';
import { one, type Outgoing } from '../domain/slack';
import { enqueue } from '../services/slack';
import { attestationSweep, MAIL_IN_DAILY_RUN, monthlySweep } from './attestation';
import { reviewSweep } from './sla';
import { appendAudit, auditHead, SYSTEM_ACTOR, verifyAuditLog } from './audit-log';
import { sweepRegistry } from './sweep';
import { trustAuditSnapshots } from './seals';
import { readingOnce } from './table';
import { soc2Sweep } from './lifecycle';
import { reconcileDiscovered } from './discovered';
import { recordSealZone, sealZone } from '../services/keys';

/** The month the decision tree was last mailed to all staff (yyyy-MM). */
const GUIDE_MAILED = 'guideMailed';

/**
 * Once a month the guide's decision tree goes to the all-staff address in Settings (the guide
 * asks for it to be shared, not only posted where the security team reads).
 */
export function guideSweep(
  ss: GoogleAppsScript.Spreadsheet.Spreadsheet,
  settings: Settings,
  now: Date,
): { lines: string[]; messages: Outgoing[] } {
  const to = settings.allStaffEmail;
  if (!to) return { lines: [], messages: [] };
  const today = Utilities.formatDate(now, settings.timeZone, DATE_PATTERN);
  const props = registryProperties();
  if (props.getProperty(GUIDE_MAILED) === today.slice(0, 7)) return { lines: [], messages: [] };
  props.setProperty(GUIDE_MAILED, today.slice(0, 7));
  const tools = approvedTools(readCatalog(ss, settings.timeZone), TIERS[1], today).map(
    (t) => t.tool,
  );
  return {
    lines: [`Mailed the decision tree to ${to} (monthly).`],
    messages: [{ mails: [guideMail(to, tools, { name: ss.getName(), url: ss.getUrl() }, false)] }],
  };
}

/** The spreadsheet zone last alerted as differing from the sealed one. */

export interface DailyReport {
  ok: boolean;
  lines: string[];
}

/**
 * The registry part of the daily job, run under the document lock: the audit chain is
 * intact, no row was left undecided, reviews are reminded or marked overdue, add-on cells
 * match the policy and the review decisions, and every registry ID ever issued is still
 * present (or its deletion was logged). Slack messages are queued; the caller delivers them
 * after releasing the lock.
 */
export function runDailyChecks(
  ss: GoogleAppsScript.Spreadsheet.Spreadsheet,
  settings: Settings,
  now: Date,
  /** Verify the whole audit chain (asked for from the menu), not only since the last check. */
  fullChain = false,
): DailyReport {
  // Each sheet is read once for all the checks below (again only after a check wrote to it).
  return readingOnce(() => dailyChecksOnce(ss, settings, now, fullChain));
}

function dailyChecksOnce(
  ss: GoogleAppsScript.Spreadsheet.Spreadsheet,
  settings: Settings,
  now: Date,
  fullChain: boolean,
): DailyReport {
  const lines: string[] = [];
  let ok = true;
  let zoneMessage: Outgoing | null = null;

  const chain = verifyAuditLog(ss, fullChain);
  if (chain.ok && chain.catchingUp) {
    lines.push(
      `Audit log: verified entries ${chain.catchingUp[0]}–${chain.catchingUp[1]} of ${chain.rows} so far; a log this long is verified over several daily runs, the next one goes on from there.`,
    );
  } else if (chain.ok) {
    // Seals that are their ID's latest snapshot in the log need no MAC of their own today.
    trustAuditSnapshots(ss);
    lines.push(
      `Audit log intact: ${chain.rows} entries, verified since the last check${chain.rolled ? ` and entries ${chain.rolled[0]}–${chain.rolled[1]} of the weekly pass over older ones` : ''}${chain.full ? ' (every entry: full check)' : ''}, head ${chain.head.slice(0, 12) || '(empty)'}.`,
    );
  } else {
    ok = false;
    lines.push(
      `The Audit Log's hash chain is broken at row ${chain.brokenRow}: ${chain.reason ?? 'that row, or one just before it, was changed or removed by hand'}. Compare it with the last head mailed to the security team; two members can re-anchor it in Settings.`,
    );
    appendAudit(
      ss,
      [
        {
          actor: SYSTEM_ACTOR,
          action: 'Integrity alert',
          registryId: '',
          field: 'Audit Log',
          oldValue: '',
          newValue: `hash chain broken at row ${chain.brokenRow}: ${chain.reason ?? ''}`,
        },
      ],
      now,
    );
  }

  // The spreadsheet's zone is recorded at setup (DESIGN §6.1). Sheets keeps dates without a
  // zone, so a change moves nothing shown; business days, due dates and the daily hour follow
  // the new zone from now on. Someone should know, once per change.
  const recorded = sealZone();
  const zone = ss.getSpreadsheetTimeZone();
  if (recorded && zone !== recorded) {
    lines.push(
      `The spreadsheet's time zone was changed from ${recorded} to ${zone} (File › Settings): dates already written keep the day and time they show; business days, due dates and the daily hour follow ${zone} from now on.`,
    );
    recordSealZone(zone);
    appendAudit(
      ss,
      [
        {
          actor: SYSTEM_ACTOR,
          action: 'Integrity alert',
          registryId: '',
          field: 'Time zone',
          oldValue: recorded,
          newValue: zone,
        },
      ],
      now,
    );
    zoneMessage = one({
      kind: 'put-back',
      title: "The spreadsheet's time zone was changed",
      lines: [
        `The spreadsheet's time zone was changed from ${recorded} to ${zone} (File › Settings). Dates already written keep what they show; Governed Path now works in ${zone}.`,
      ],
    });
  }

  // What no trigger saw is put back (the same sweep runs hourly).
  const found = sweepRegistry(ss, settings, now, 'unknown (found by the daily check)', true);
  if (found.lines.length > 0) {
    ok = false;
    lines.push(...found.lines);
  }
  if (found.decided > 0) lines.push(`Decided ${found.decided} registry row(s) that were waiting.`);

  const messages: Outgoing[] = [];
  if (!chain.ok) messages.push(one({ kind: 'chain-broken', row: chain.brokenRow ?? 0 }));
  if (found.lines.length > 0) messages.push(one({ kind: 'put-back', lines: found.lines }));
  if (zoneMessage) messages.push(zoneMessage);

  const sweep = reviewSweep(ss, settings, now);
  lines.push(...sweep.lines);
  messages.push(...sweep.messages);
  if (sweep.drift.length > 0) ok = false;

  for (const part of [
    soc2Sweep(ss, settings, now),
    attestationSweep(ss, settings, now, MAIL_IN_DAILY_RUN),
    monthlySweep(ss, settings, now),
    guideSweep(ss, settings, now),
  ]) {
    lines.push(...part.lines);
    messages.push(...part.messages);
  }

  // Issue 18: what was found elsewhere, reconciled with what was registered; owners invited.
  const discovered = reconcileDiscovered(ss, settings, now);
  if (discovered) {
    lines.push(...discovered.lines);
    messages.push(...discovered.messages);
  }
  enqueue(messages, now);
  return { ok, lines };
}

/**
 * Posts the audit log's head (count, last MAC, time) out of band, once a day: to the security
 * channel and by mail to the security team (DESIGN §6.1). It is the record outside the
 * spreadsheet that a restored or rewritten log cannot continue, and the heartbeat whose
 * silence someone notices.
 */
export function postHead(
  ss: GoogleAppsScript.Spreadsheet.Spreadsheet,
  settings: Settings,
  now: Date,
): string {
  const head = auditHead();
  const at = Utilities.formatDate(now, 'UTC', "yyyy-MM-dd'T'HH:mm:ss'Z'");
  const name = ss.getName();
  enqueue([one({ kind: 'head', count: head.count, mac: head.mac, at, spreadsheet: name })], now);
  const mailed = mailSecurityTeam(
    settings,
    `Governed Path: Audit Log head for ${name.slice(0, 80)}, ${at.slice(0, 10)}`,
    [
      `The Audit Log of "${name}" (${ss.getUrl()}) stood at:`,
      '',
      `  entries:  ${head.count}`,
      `  last MAC: ${head.mac}`,
      `  time:     ${at}`,
      '',
      'Keep this mail: it is the record outside the spreadsheet. A later check, or an auditor,',
      'finds this entry with this MAC in the log; a log that does not continue it was rewritten',
      'or restored from an older version. If this mail stops coming, the daily job is not running.',
    ],
  );
  if (!mailed)
    return 'The Audit Log head was queued for Slack; no mail (no security team, or no mail quota left).';
  return `Posted the Audit Log head (${head.count} entries) to Slack and mailed it to the security team.`;
}

/**
 * Mails each security-team member, each mail in its own try (MailApp throws for an address it
 * rejects: the others still get theirs), within the quota; false when nobody could be mailed.
 */
export function mailSecurityTeam(settings: Settings, subject: string, lines: string[]): boolean {
  const team = settings.securityTeam.filter((e) => e !== '');
  if (team.length === 0 || MailApp.getRemainingDailyQuota() < team.length) return false;
  let sent = 0;
  for (const member of team) {
    try {
      MailApp.sendEmail({ to: member, subject, body: lines.join('\n'), name: 'Governed Path' });
      sent++;
    } catch (error) {
      console.error(`Governed Path could not mail ${member}: ${String(error)}`);
    }
  }
  return sent > 0;
}
