/**
 * People who leave, and who takes their entries (issue 17). A department's named contact is
 * kept in its own store (not in the settings value); a person the security team marks as gone
 * stops owning every entry they owned (their address stays in the entry's seal as a former
 * owner), and each entry left with no owner goes to its department's contact, who is told.
 */
import { handOver, type Leaver } from '../domain/lifecycle';
import type { PersonalItem } from '../domain/mail';
import { isWaitingReview, REGISTRY, REVIEWS } from '../domain/schema';
import { isEmail, normaliseEmail, SETTINGS_LIMITS, type Settings } from '../domain/settings';
import { lifecycleMessage, type Outgoing } from '../domain/slack';
import { UserError } from '../errors';
import { registryProperties, storedJson } from '../services/store';
import { appendAudit, type AuditEntry } from './audit-log';
import { asText } from './catalog';
import { notReadySentence } from './columns';
import {
  REGISTRY_SEAL,
  REVIEWS_SEAL,
  reviewConflicts,
  rowOwners,
  sealer,
  sealOf,
  sealRows,
} from './seals';
import { nextAssignee } from './registry';
import { findRows, findRowsOf, readLayout, readRowsAt, type Cell } from './table';

type Spreadsheet = GoogleAppsScript.Spreadsheet.Spreadsheet;

const CONTACTS = 'departmentContacts';
const LEAVERS = 'leavers';
/** The store keeps the latest leavers (the Audit Log keeps every one). */
const LEAVERS_KEPT = 60;
/** What one store value may hold, with room to spare (9 KB a value). */
const STORE_MAX = 8000;

export interface DepartmentContact {
  department: string;
  email: string;
}

export interface People {
  contacts: DepartmentContact[];
  leavers: Leaver[];
}

export function departmentContacts(): Record<string, string> {
  const v = storedJson<unknown>(CONTACTS, {});
  if (typeof v !== 'object' || v === null || Array.isArray(v)) return {};
  return Object.fromEntries(
    Object.entries(v as Record<string, unknown>).filter(
      (e): e is [string, string] => typeof e[1] === 'string' && isEmail(e[1]),
    ),
  );
}

function leavers(): Leaver[] {
  const v = storedJson<unknown>(LEAVERS, []);
  return Array.isArray(v)
    ? v.filter(
        (l): l is Leaver =>
          typeof l === 'object' && l !== null && typeof (l as Leaver).email === 'string',
      )
    : [];
}

export function people(): People {
  return {
    contacts: Object.entries(departmentContacts()).map(([department, email]) => ({
      department,
      email,
    })),
    leavers: leavers(),
  };
}

/**
 * The waiting reviews assigned to someone who left go to the next member in turn who may take
 * them (not an owner of the entry). Sealed and logged as "Reassigned"; the new assignee is told.
 */
function reassignFrom(
  ss: Spreadsheet,
  email: string,
  user: string,
  settings: Settings,
  audit: AuditEntry[],
  told: Map<string, PersonalItem>,
  url: string,
): string[] {
  const layout = readLayout(ss, REVIEWS);
  const registry = readLayout(ss, REGISTRY);
  if (!layout || !registry || layout.columns['Assigned To'] === undefined) return [];
  const rc = layout.columns;
  const numbers = findRows(layout.sheet, rc['Assigned To'] + 1, layout.lastRow, email, true);
  if (numbers.length === 0) return [];
  const table = readRowsAt(layout, numbers);
  const s = sealer(ss);
  const out: string[] = [];
  const changed: number[] = [];
  const block = table.rows.map((r) => r.slice());
  // The waiting reviews still with the leaver, then their entries: one search and one read.
  const waiting = block
    .map((row, k) => ({ row, k, seal: sealOf(s, asText(row[rc['Seal']]), REVIEWS_SEAL) }))
    .filter(
      ({ seal }) =>
        seal !== null &&
        isWaitingReview(seal.o['Status'] ?? '') &&
        (seal.o['Assigned To'] ?? '').trim().toLowerCase() === email,
    );
  const entries = readRowsAt(
    registry,
    findRowsOf(
      registry.sheet,
      registry.columns['ID'] + 1,
      registry.lastRow,
      waiting.map(({ seal }) => (seal!.o['Registry ID'] ?? '').trim()),
    ),
  );
  const entryOf = new Map<string, readonly Cell[]>();
  for (const row of entries.rows) {
    const id = asText(row[registry.columns['ID']]).trim();
    if (!entryOf.has(id)) entryOf.set(id, row);
  }
  const reviewAudit: AuditEntry[] = [];
  for (const { row, k, seal: found } of waiting) {
    const seal = found!;
    const registryId = (seal.o['Registry ID'] ?? '').trim();
    const entry = entryOf.get(registryId);
    const conflicts = entry ? reviewConflicts(s, entry, registry.columns) : [];
    const first = seal.o['Status'] === 'First Approval' ? [seal.o['Reviewer'] ?? ''] : [];
    const department = entry ? asText(entry[registry.columns['Department']]) : '';
    const next = nextAssignee(settings, [email, ...conflicts, ...first], department, seal.id);
    row[rc['Assigned To']] = next;
    changed.push(k);
    reviewAudit.push({
      actor: user,
      action: 'Reassigned',
      registryId,
      field: seal.id,
      oldValue: email,
      newValue: next || 'nobody (no member may take it)',
    });
    out.push(`${seal.id} (${registryId}) → ${next || 'nobody: assign it in the Review queue'}`);
    if (next) {
      const item = told.get(next) ?? {
        to: [next],
        required: true,
        headline: `${email} left: reviews now assigned to you`,
        lines: [],
        url,
      };
      item.lines.push(`${seal.id} ${registryId} ${asText(row[rc['Project']]).slice(0, 100)}`);
      told.set(next, item);
    }
  }
  if (changed.length === 0) return [];
  audit.push(...reviewAudit);
  sealRows(s, block, changed, rc, audit, REVIEWS_SEAL);
  for (const k of changed)
    for (const header of ['Assigned To', 'Seal'])
      layout.sheet.getRange(table.rowNumbers![k], rc[header] + 1).setValue(block[k][rc[header]]);
  return out;
}

/** The contact of a department, matched without regard to case or spaces around it. */
function contactFor(contacts: Record<string, string>, department: string): string {
  const key = Object.keys(contacts).find(
    (d) => d.trim().toLowerCase() === department.trim().toLowerCase(),
  );
  return key ? contacts[key] : '';
}

/** Replaces the department contacts (the security team, from Settings); logged. */
export function setDepartmentContacts(
  ss: Spreadsheet,
  input: unknown,
  user: string,
  now: Date,
): People {
  if (!Array.isArray(input))
    throw new UserError('Department contacts must be a list of department and email address.');
  const out: Record<string, string> = {};
  for (const item of input) {
    const rec = (typeof item === 'object' && item !== null ? item : {}) as Record<string, unknown>;
    const department = typeof rec.department === 'string' ? rec.department.trim() : '';
    const email = typeof rec.email === 'string' ? normaliseEmail(rec.email) : '';
    if (department === '' && email === '') continue;
    if (department === '')
      throw new UserError(`Name the department ${email.slice(0, 80)} is the contact for.`);
    if (department.length > SETTINGS_LIMITS.departmentLength)
      throw new UserError(
        `Department "${department.slice(0, 30)}…" is too long: keep it to ${SETTINGS_LIMITS.departmentLength} characters.`,
      );
    if (!isEmail(email))
      throw new UserError(
        `The contact for ${department.slice(0, 60)} must be one email address ("${email.slice(0, 60)}" is not).`,
      );
    const same = Object.keys(out).find((d) => d.toLowerCase() === department.toLowerCase());
    if (same !== undefined)
      throw new UserError(
        `${department.slice(0, 60)} is listed twice (as "${same.slice(0, 60)}" too): give each department one contact.`,
      );
    out[department] = email;
  }
  if (JSON.stringify(out).length > STORE_MAX)
    throw new UserError(
      'These department contacts are too long to store together: shorten the department names or list fewer.',
    );
  if (Object.keys(out).length > SETTINGS_LIMITS.departments)
    throw new UserError(
      `At most ${SETTINGS_LIMITS.departments} department contacts (${Object.keys(out).length} given).`,
    );
  const before = departmentContacts();
  registryProperties().setProperty(CONTACTS, JSON.stringify(out));
  const changed = [...new Set([...Object.keys(before), ...Object.keys(out)])].filter(
    (d) => before[d] !== out[d],
  );
  if (changed.length > 0)
    appendAudit(
      ss,
      changed.slice(0, 50).map((d): AuditEntry => ({
        actor: user,
        action: 'Department contact',
        registryId: '',
        field: d.slice(0, 60),
        oldValue: before[d] ?? '',
        newValue: out[d] ?? '',
      })),
      now,
    );
  return people();
}

export interface GoneResult {
  message: string;
  /** Entries that changed hands: ID → who has them now ('' for nobody). */
  moved: { id: string; to: string; how: string }[];
  messages: Outgoing[];
}

/**
 * The security team marks a person as gone: every entry whose sealed owners include them is
 * re-sealed without them (they stay recorded as a former owner); an entry left with no owner
 * gets its department's contact as co-owner. Entries are found by one search of the Seal
 * column (owner sets live in the seals); only those rows are read and written.
 */
export function markPersonGone(
  ss: Spreadsheet,
  input: unknown,
  user: string,
  settings: Settings,
  now: Date,
): GoneResult {
  const email = typeof input === 'string' ? normaliseEmail(input) : '';
  if (!isEmail(email)) throw new UserError('Give the email address of the person who left.');
  if (email === normaliseEmail(user))
    throw new UserError('You cannot mark yourself as gone: ask another security-team member.');
  const layout = readLayout(ss, REGISTRY);
  if (!layout) throw new UserError(notReadySentence(REGISTRY));
  const cols = layout.columns;
  const numbers = findRows(layout.sheet, cols['Seal'] + 1, layout.lastRow, email, true);
  const table = readRowsAt(layout, numbers);
  const s = sealer(ss);
  const contacts = departmentContacts();
  const gone = new Set([email]);
  const coOwners = new Map<number, string[]>();
  const former = new Map<number, string[]>();
  const moved: GoneResult['moved'] = [];
  const audit: AuditEntry[] = [];
  const told = new Map<string, PersonalItem>();
  const url = `${ss.getUrl()}#gid=${layout.sheet.getSheetId()}`;
  table.rows.forEach((row, k) => {
    const owned = rowOwners(s, row, cols);
    if (!owned || !owned.owners.includes(email)) return;
    const id = asText(row[cols['ID']]).trim();
    const department = asText(row[cols['Department']]).trim();
    const h = handOver({
      owners: owned.owners,
      coOwners: owned.coOwners,
      gone,
      contact: contactFor(contacts, department),
    });
    coOwners.set(k, h.coOwners);
    former.set(k, [...new Set([...(owned.seal.x ?? []), email])]);
    moved.push({ id, to: h.to, how: h.how });
    audit.push({
      actor: user,
      action: 'Owner left',
      registryId: id,
      field: 'Owners',
      oldValue: email,
      newValue:
        h.how === 'nobody'
          ? `no owner left${department ? ` (${department} has no contact)` : ''}`
          : `${h.to} (${h.how})`,
    });
    if (h.to) {
      const item = told.get(h.to) ?? {
        to: [h.to],
        required: h.how === 'department contact',
        headline: `${email} left: projects now in your care`,
        lines: [],
        url,
      };
      item.lines.push(
        `${id} ${asText(row[cols['Project']]).slice(0, 100)}${h.how === 'department contact' ? ` (you are ${department || 'its department'}'s named contact, now its co-owner)` : ' (you co-own it)'}`,
      );
      if (h.how === 'department contact') item.required = true;
      told.set(h.to, item);
    }
  });
  // The leaver is recorded first: if the store refuses, nothing in the sheets has changed yet.
  const leaver: Leaver = {
    email,
    at: Utilities.formatDate(now, settings.timeZone, 'yyyy-MM-dd'),
    by: user,
  };
  const list = [...leavers().filter((l) => l.email !== email), leaver].slice(-LEAVERS_KEPT);
  while (list.length > 1 && JSON.stringify(list).length > STORE_MAX) list.shift();
  registryProperties().setProperty(LEAVERS, JSON.stringify(list));
  // Reviews waiting with the leaver go to the next member in turn (issue 17). A leaver still on
  // the security team would be given new reviews in turn: the message says to remove them.
  const team = settings.securityTeam.map(normaliseEmail);
  const withoutLeaver = { ...settings, securityTeam: team.filter((m) => m !== email) };
  const handed = reassignFrom(ss, email, user, withoutLeaver, audit, told, url);
  const onTeam = team.includes(email)
    ? ` ${email} is still on the security team: remove them in Settings, or new reviews will still be assigned to them.`
    : '';
  if (moved.length === 0) {
    if (audit.length > 0) appendAudit(ss, audit, now);
    if (handed.length > 0)
      return {
        message: `${email} is marked as gone; they owned no entries. ${handed.length} review(s) assigned to them moved: ${handed.join('; ')}.${onTeam}`,
        moved,
        messages: told.size > 0 ? [{ personal: [...told.values()] }] : [],
      };
    appendAudit(
      ss,
      [
        {
          actor: user,
          action: 'Owner left',
          registryId: '',
          field: 'Owners',
          oldValue: email,
          newValue: 'owned no entries',
        },
      ],
      now,
    );
    return {
      message: `${email} is marked as gone; they owned no entries.${onTeam}`,
      moved,
      messages: [],
    };
  }
  const indices = [...coOwners.keys()];
  const block = table.rows.map((r) => r.slice());
  sealRows(s, block, indices, cols, audit, REGISTRY_SEAL, coOwners, former);
  // Only what changed: the Co-owners cell and the seal (people's cells, formulas and all, stay).
  for (const k of indices)
    for (const header of ['Co-owners', 'Seal'])
      if (cols[header] !== undefined)
        layout.sheet
          .getRange(table.rowNumbers![k], cols[header] + 1)
          .setValue(block[k][cols[header]]);
  appendAudit(ss, audit, now);
  const nobody = moved.filter((m) => m.how === 'nobody');
  for (const item of told.values())
    item.lines.push(
      'You can confirm them each quarter and receive their mail. Change their co-owners in My projects if someone else should have them.',
    );
  const lines = [
    `${email} was marked as gone by ${user}: ${moved.length} entr${moved.length === 1 ? 'y' : 'ies'} changed hands.`,
    ...handed.map((h) => `Review ${h}`),
    ...moved
      .slice(0, 25)
      .map((m) => (m.to ? `${m.id} → ${m.to} (${m.how})` : `${m.id}: no owner left`)),
    ...(nobody.length > 0
      ? [
          `${nobody.length} entr${nobody.length === 1 ? 'y has' : 'ies have'} no owner left: name a department contact in Settings, or add a co-owner in My projects. They are not decommissioned for it.`,
        ]
      : []),
  ];
  return {
    message: `${email} is marked as gone${handed.length > 0 ? ` (${handed.length} review(s) assigned to them moved)` : ''}: ${moved.length - nobody.length} of ${moved.length} entr${moved.length === 1 ? 'y' : 'ies'} moved to a co-owner or their department's contact${nobody.length > 0 ? `; ${nobody.length} ha${nobody.length === 1 ? 's' : 've'} no owner left (see the list)` : ''}.${onTeam}`,
    moved,
    messages: [
      { kind: 'lifecycle', message: lifecycleMessage('An owner left', lines) },
      ...(told.size > 0 ? [{ personal: [...told.values()] }] : []),
    ],
  };
}
