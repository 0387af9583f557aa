import { PROP } from './settings';

export type TriggerKind = 'edit' | 'change' | 'daily' | 'hourly';

export interface TriggerSpec {
  readonly handler: string;
  readonly kind: TriggerKind;
  /** Hour of day for daily jobs, in the script's time zone (honoured within about an hour). */
  readonly hour?: number;
}

/** Every installable trigger the registry runs on. Adding one is one line here. */
export const TRIGGERS: readonly TriggerSpec[] = [
  { handler: 'handleRegistryEdit', kind: 'edit' },
  { handler: 'handleRegistryChange', kind: 'change' },
  { handler: 'runDailyJob', kind: 'daily', hour: 6 },
  { handler: 'runSlackOutbox', kind: 'hourly' },
];

function eventType(kind: TriggerKind): GoogleAppsScript.Script.EventType {
  if (kind === 'edit') return ScriptApp.EventType.ON_EDIT;
  return kind === 'change' ? ScriptApp.EventType.ON_CHANGE : ScriptApp.EventType.CLOCK;
}

export interface TriggerReport {
  created: string[];
  removedDuplicates: number;
}

/**
 * Installs each trigger once for the current user (the admin). Duplicates from earlier runs are
 * removed, so running setup twice changes nothing.
 */
export function installTriggers(
  ss: GoogleAppsScript.Spreadsheet.Spreadsheet,
  owner: string,
): TriggerReport {
  const report: TriggerReport = { created: [], removedDuplicates: 0 };
  const seen = new Set<string>();
  for (const trigger of ScriptApp.getProjectTriggers()) {
    const spec = TRIGGERS.find(
      (t) =>
        t.handler === trigger.getHandlerFunction() && eventType(t.kind) === trigger.getEventType(),
    );
    if (!spec) continue;
    if (seen.has(spec.handler)) {
      ScriptApp.deleteTrigger(trigger);
      report.removedDuplicates++;
    } else {
      seen.add(spec.handler);
    }
  }
  for (const spec of TRIGGERS) {
    if (seen.has(spec.handler)) continue;
    const builder = ScriptApp.newTrigger(spec.handler);
    if (spec.kind === 'edit') builder.forSpreadsheet(ss).onEdit().create();
    else if (spec.kind === 'change') builder.forSpreadsheet(ss).onChange().create();
    else if (spec.kind === 'hourly') builder.timeBased().everyHours(1).create();
    else
      builder
        .timeBased()
        .everyDays(1)
        .atHour(spec.hour ?? 6)
        .create();
    report.created.push(spec.handler);
  }
  PropertiesService.getDocumentProperties().setProperty(PROP.triggerOwner, owner);
  return report;
}

/**
 * Triggers run as whoever installed them. When another security-team member repairs the
 * registry they become the owner; the previous owner's triggers then retire themselves here
 * instead of handling every edit a second time.
 */
export function isCurrentTriggerOwner(): boolean {
  const owner = PropertiesService.getDocumentProperties().getProperty(PROP.triggerOwner);
  const me = Session.getEffectiveUser().getEmail();
  if (owner === null || owner === me) return true;
  const ours = new Set(TRIGGERS.map((t) => t.handler));
  for (const trigger of ScriptApp.getProjectTriggers()) {
    if (ours.has(trigger.getHandlerFunction())) ScriptApp.deleteTrigger(trigger);
  }
  return false;
}
