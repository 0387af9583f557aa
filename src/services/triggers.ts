import { PROP } from './settings';
import { registryProperties } from './store';

export type TriggerKind = 'edit' | 'change' | 'hourly';

export interface TriggerSpec {
  readonly handler: string;
  readonly kind: TriggerKind;
}

/**
 * Every installable trigger a registry runs on. Editor add-ons may have one trigger of each
 * type per user per document and run time-driven ones at most hourly, so the hourly job also
 * does the daily work once a day (DESIGN §10).
 */
export const TRIGGERS: readonly TriggerSpec[] = [
  { handler: 'handleRegistryEdit', kind: 'edit' },
  { handler: 'handleRegistryChange', kind: 'change' },
  { handler: 'runHourlyJob', kind: 'hourly' },
];

/** Handlers of earlier versions, removed when setup finds them. */
const RETIRED = new Set(['runDailyJob', 'runSlackOutbox']);

/** The trigger owner's own record of the registries whose triggers they own (user properties). */
const OWNED_REGISTRIES = 'governedPath.registries';

function eventType(kind: TriggerKind): GoogleAppsScript.Script.EventType {
  if (kind === 'edit') return ScriptApp.EventType.ON_EDIT;
  return kind === 'change' ? ScriptApp.EventType.ON_CHANGE : ScriptApp.EventType.CLOCK;
}

export interface TriggerReport {
  created: string[];
  removedDuplicates: number;
}

/** The registries this account's hourly job looks after. */
export function ownedRegistries(): string[] {
  try {
    const list = JSON.parse(
      PropertiesService.getUserProperties().getProperty(OWNED_REGISTRIES) ?? '[]',
    ) as unknown;
    return Array.isArray(list) ? list.filter((id): id is string => typeof id === 'string') : [];
  } catch {
    return [];
  }
}

function recordOwned(ids: readonly string[]): void {
  PropertiesService.getUserProperties().setProperty(OWNED_REGISTRIES, JSON.stringify(ids));
}

/** This account no longer runs the registry's triggers: its hourly job forgets it. */
export function forgetRegistry(id: string): void {
  recordOwned(ownedRegistries().filter((r) => r !== id));
}

/**
 * Installs each trigger once for the current user (the admin) in this document, removes
 * duplicates and retired handlers, and records the user as the registry's trigger owner.
 * Only this document's triggers are looked at (`getUserTriggers(ss)`): in an add-on,
 * `getProjectTriggers()` lists the user's triggers in every document.
 */
export function installTriggers(
  ss: GoogleAppsScript.Spreadsheet.Spreadsheet,
  owner: string,
): TriggerReport {
  const report: TriggerReport = { created: [], removedDuplicates: 0 };
  const seen = new Set<string>();
  for (const trigger of ScriptApp.getUserTriggers(ss)) {
    const handler = trigger.getHandlerFunction();
    const spec = TRIGGERS.find(
      (t) => t.handler === handler && eventType(t.kind) === trigger.getEventType(),
    );
    if (RETIRED.has(handler) || (spec && seen.has(spec.handler))) {
      ScriptApp.deleteTrigger(trigger);
      report.removedDuplicates++;
    } else if (spec) {
      seen.add(spec.handler);
    }
  }
  for (const spec of TRIGGERS) {
    if (seen.has(spec.handler)) continue;
    const builder = ScriptApp.newTrigger(spec.handler);
    if (spec.kind === 'edit') builder.forSpreadsheet(ss).onEdit().create();
    else if (spec.kind === 'change') builder.forSpreadsheet(ss).onChange().create();
    else builder.timeBased().everyHours(1).create();
    report.created.push(spec.handler);
  }
  registryProperties().setProperty(PROP.triggerOwner, owner);
  const id = ss.getId();
  const owned = ownedRegistries();
  if (!owned.includes(id)) recordOwned([...owned, id]);
  return report;
}

/** The account whose triggers run this registry, as recorded at setup. */
export function recordedTriggerOwner(): string | null {
  return registryProperties().getProperty(PROP.triggerOwner);
}

/**
 * Whether this execution runs as the registry's recorded trigger owner, from one of the owner's
 * triggers in this document. Anyone else, and a direct call of a handler (google.script.run
 * can call any top-level function), is refused. When another security-team member has since
 * repaired the registry, the previous owner's triggers in this document retire themselves.
 */
export function isCurrentTriggerOwner(
  ss: GoogleAppsScript.Spreadsheet.Spreadsheet,
  triggerUid: unknown,
): boolean {
  const owner = recordedTriggerOwner();
  const me = Session.getEffectiveUser().getEmail();
  if (owner === null || me === '') return false;
  const mine = ScriptApp.getUserTriggers(ss);
  if (owner !== me) {
    const ours = new Set([...TRIGGERS.map((t) => t.handler), ...RETIRED]);
    for (const trigger of mine) {
      if (ours.has(trigger.getHandlerFunction())) ScriptApp.deleteTrigger(trigger);
    }
    forgetRegistry(ss.getId());
    return false;
  }
  return (
    typeof triggerUid === 'string' && mine.some((trigger) => trigger.getUniqueId() === triggerUid)
  );
}
