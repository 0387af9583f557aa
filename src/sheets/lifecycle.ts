/**
 * The daily part of the review lifecycle that follows the AI tool catalog (issue 17): a vendor's
 * SOC 2 Type II report about to lapse, lapsed, or renewed. The rules are in domain/lifecycle;
 * this reads the catalog and the Registry columns it needs and re-decides only the entries a
 * lapse or a renewal concerns, on the normal decide-and-seal path.
 */
import {
  heldByLapse,
  soc2Current,
  soc2LapsesOn,
  soc2Phase,
  SOC2_LAPSED_CHECK,
} from '../domain/lifecycle';
import type { PersonalItem } from '../domain/mail';
import { DATE_PATTERN, REGISTRY } from '../domain/schema';
import type { Settings } from '../domain/settings';
import { lifecycleMessage, type Outgoing } from '../domain/slack';
import { normaliseTier, tierLevel } from '../domain/tiers';
import { registryProperties, storedJson } from '../services/store';
import { appendAudit, SYSTEM_ACTOR, type AuditEntry } from './audit-log';
import { asText, readCatalog } from './catalog';
import { processRegistryEdit } from './registry';
import { readTable, recordOf } from './table';

type Spreadsheet = GoogleAppsScript.Spreadsheet.Spreadsheet;

/** A tool that approves Tier 2 entries today (what a renewal must achieve). */
function renewable(tool: ReturnType<typeof readCatalog>[number], today: string): boolean {
  return tool.maxTier !== null && tool.maxTier >= 2 && soc2Current(tool.soc2Verified, today);
}

/** Which SOC 2 dates the team was already warned of: tool (lower case) → verified date. */
const SOC2_WARNED = 'soc2Warned';

export interface LifecycleReport {
  lines: string[];
  messages: Outgoing[];
}

const lower = (s: string) => s.trim().toLowerCase();

/**
 * 30 days before a tool's report lapses, the security team hears which Tier 2 entries depend
 * on it (once per report date). From the day it lapses, those entries are decided again and
 * become Needs Info ("SOC 2 lapsed", sealed and logged); once a renewed date is recorded, the
 * entries held for it are decided again and approved.
 */
export function soc2Sweep(ss: Spreadsheet, settings: Settings, now: Date): LifecycleReport {
  const out: LifecycleReport = { lines: [], messages: [] };
  const tz = settings.timeZone;
  const today = Utilities.formatDate(now, tz, DATE_PATTERN);
  const tools = readCatalog(ss, tz).filter((t) => t.status === 'Approved' && t.soc2Verified);
  if (tools.length === 0) return out;
  const registry = readTable(ss, REGISTRY);
  if (!registry) return out;
  const byTool = new Map(tools.map((t) => [lower(t.tool), t]));
  const phase = new Map(tools.map((t) => [lower(t.tool), soc2Phase(t.soc2Verified, today)]));

  const lapsing = new Map<string, string[]>();
  const lapsedRows = new Map<number, AuditEntry>();
  const renewedRows = new Map<number, AuditEntry>();
  registry.rows.forEach((row, i) => {
    const r = recordOf(registry, row);
    const id = asText(r['ID']).trim();
    const key = lower(asText(r['AI Tool']));
    const tool = byTool.get(key);
    if (!tool || id === '' || asText(r['Deployment Status']).trim() === 'Decommissioned') return;
    const tier = normaliseTier(r['Data Tier']);
    if (!tier || tierLevel(tier) !== 2) return;
    const approval = asText(r['Approval']).trim();
    const p = phase.get(key);
    if (p === 'lapsing' && approval === 'Approved') {
      const list = lapsing.get(key) ?? [];
      list.push(`${id} ${asText(r['Project']).slice(0, 80)}`);
      lapsing.set(key, list);
    } else if (p === 'lapsed' && approval === 'Approved') {
      lapsedRows.set(i + 2, {
        actor: SYSTEM_ACTOR,
        action: 'SOC 2 lapsed',
        registryId: id,
        field: 'AI Tool',
        oldValue: `${tool.tool} SOC 2 verified ${tool.soc2Verified}`,
        newValue: `lapsed ${soc2LapsesOn(tool.soc2Verified)}`,
      });
    } else if (
      approval === 'Needs Info' &&
      renewable(tool, today) &&
      heldByLapse(asText(r['Checks']), tool.tool)
    ) {
      renewedRows.set(i + 2, {
        actor: SYSTEM_ACTOR,
        action: 'SOC 2 renewed',
        registryId: id,
        field: 'AI Tool',
        oldValue: SOC2_LAPSED_CHECK.replace(/:$/, ''),
        newValue: `${tool.tool} SOC 2 verified ${tool.soc2Verified}`,
      });
    }
  });

  // The warning, once per tool and report date.
  const props = registryProperties();
  // A hand-edited property reads as nothing warned: warn again rather than fail the job.
  const warned = storedJson<Record<string, string>>(SOC2_WARNED, {});
  const fresh = [...lapsing].filter(([key]) => warned[key] !== byTool.get(key)!.soc2Verified);
  if (fresh.length > 0) {
    const lines = fresh.flatMap(([key, entries]) => {
      const t = byTool.get(key)!;
      return [
        `${t.tool}'s SOC 2 Type II report (verified ${t.soc2Verified}) lapses on ${soc2LapsesOn(t.soc2Verified)}: ${entries.length} Tier 2 entr${entries.length === 1 ? 'y depends' : 'ies depend'} on it. Record a renewed report in AI Tools before then, or they become Needs Info.`,
        ...entries.slice(0, 25).map((e) => `  ${e}`),
        ...(entries.length > 25 ? [`  …and ${entries.length - 25} more.`] : []),
      ];
    });
    out.messages.push({
      kind: 'lifecycle',
      message: lifecycleMessage('A vendor’s SOC 2 report lapses within 30 days', lines),
    });
    const item: PersonalItem = {
      to: settings.securityTeam.slice(),
      required: true,
      headline: 'A vendor’s SOC 2 Type II report lapses within 30 days',
      lines,
      url: ss.getUrl(),
    };
    if (item.to.length > 0) out.messages.push({ personal: [item] });
    for (const [key] of fresh) warned[key] = byTool.get(key)!.soc2Verified!;
    props.setProperty(SOC2_WARNED, JSON.stringify(warned));
    out.lines.push(
      `Warned the security team of ${fresh.length} SOC 2 report(s) lapsing within 30 days (${fresh.reduce((n, [, e]) => n + e.length, 0)} Tier 2 entries depend on them).`,
    );
  }

  const rows = [...lapsedRows.keys(), ...renewedRows.keys()];
  if (rows.length === 0) return out;
  const outcome = processRegistryEdit(
    ss,
    {
      user: 'Governed Path (SOC 2 check)',
      row: 0,
      column: 0,
      numRows: 0,
      numColumns: 0,
      source: 'system',
      rows,
    },
    settings,
    now,
  );
  // Recorded as what happened: a lapse that made the entry Needs Info, a renewal that approved
  // it again (a renewed date that does not count renews nothing).
  const lapsedIds: string[] = [];
  const restored: string[] = [];
  const audit: AuditEntry[] = [];
  for (const r of outcome.rows) {
    const lapse = lapsedRows.get(r.row);
    const renewal = renewedRows.get(r.row);
    if (lapse && r.approval === 'Needs Info') {
      lapsedIds.push(r.id);
      audit.push(lapse);
    } else if (renewal && r.approval === 'Approved') {
      restored.push(r.id);
      audit.push(renewal);
    }
  }
  if (audit.length > 0) appendAudit(ss, audit, now);
  const lines: string[] = [];
  if (lapsedIds.length > 0) {
    lines.push(
      `${lapsedIds.length} Tier 2 entr${lapsedIds.length === 1 ? 'y is' : 'ies are'} Needs Info because an AI tool's SOC 2 report lapsed: ${lapsedIds.slice(0, 20).join(', ')}${lapsedIds.length > 20 ? ` and ${lapsedIds.length - 20} more` : ''}.`,
    );
  }
  if (restored.length > 0)
    lines.push(
      `${restored.length} entr${restored.length === 1 ? 'y was' : 'ies were'} approved again after a renewed SOC 2 report: ${restored.slice(0, 20).join(', ')}${restored.length > 20 ? ` and ${restored.length - 20} more` : ''}.`,
    );
  if (lines.length > 0) {
    out.lines.push(...lines);
    out.messages.push({ kind: 'lifecycle', message: lifecycleMessage('SOC 2 reports', lines) });
  }
  return out;
}
