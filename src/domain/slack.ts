import type { MonthlyReview } from './attestation';
import type { EventKind } from './channels';
import type { Outgoing } from './outbox';
export type { Outgoing };
/**
 * Slack messages (Block Kit with a `text` fallback) for what the security team needs to see.
 * Every value a person typed is escaped for mrkdwn, so `<!channel>`, `<@U123>` or
 * `<http://evil|click>` arrive as harmless text; long values are shortened to fit Slack's limits.
 */
export interface TextObject {
  type: 'mrkdwn' | 'plain_text';
  text: string;
}
export interface Block {
  type: 'header' | 'section' | 'context' | 'divider';
  text?: TextObject;
  fields?: TextObject[];
  elements?: TextObject[];
}
export interface SlackMessage {
  text: string;
  /** Omitted or empty: the text alone is sent (Slack refuses `"blocks": []`). */
  blocks?: Block[];
}

/**
 * The JSON body posted to Slack: `blocks` only when there are some (Slack answers
 * `invalid_blocks` to an empty array), and always a text (the notification fallback).
 */
export function slackPayload(message: SlackMessage): { text: string; blocks?: Block[] } {
  const text = message.text.trim() === '' ? 'Governed Path notification' : message.text;
  return message.blocks && message.blocks.length > 0 ? { text, blocks: message.blocks } : { text };
}

/** Slack's documented limits, with room to spare. */
export const LIMITS = {
  header: 150,
  section: 3000,
  field: 2000,
  fields: 10,
  blocks: 50,
  text: 3000,
} as const;

/** Escapes the three characters Slack's mrkdwn treats as control characters. Nothing else. */
export function escapeMrkdwn(value: string): string {
  return value.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

/** Shortens to `max` characters with an ellipsis, without cutting an escape in half. */
export function shorten(value: string, max: number): string {
  if (value.length <= max) return value;
  let cut = value.slice(0, max - 1);
  const amp = cut.lastIndexOf('&');
  if (amp >= 0 && !cut.slice(amp).includes(';')) cut = cut.slice(0, amp);
  return `${cut}…`;
}

/** A person's value, made safe and short for mrkdwn. */
export function safe(value: string, max = 300): string {
  const oneLine = value.replace(/\s+/g, ' ').trim();
  return shorten(escapeMrkdwn(oneLine), max);
}

export interface EntrySummary {
  id: string;
  project: string;
  creator: string;
  department: string;
  tier: string;
  tool: string;
  version: string;
  approval: string;
  status: string;
  /** A link to the row in the spreadsheet. */
  url: string;
  reviewId?: string;
  due?: string;
  /** The sealed owner set (DESIGN §6.1): who is mailed about the entry. */
  owners?: string[];
  /** The entry's Checks (what a Needs Info entry is missing). */
  checks?: string[];
  /** The security-team member its new review is assigned to (issue 17). */
  assignedTo?: string;
}

export type Notification =
  | { kind: 'registered'; entry: EntrySummary }
  | { kind: 'review-requested'; entry: EntrySummary; reopened?: boolean; reReview?: boolean }
  | { kind: 'blocked'; entry: EntrySummary }
  | { kind: 'production-gate'; entry: EntrySummary }
  | {
      kind: 'review-decided';
      entry: EntrySummary;
      decision: string;
      reviewer: string;
      note: string;
    }
  | { kind: 'tampering'; actor: string; where: string; attempted: string; registryId: string }
  | { kind: 'chain-broken'; row: number }
  /** Someone typed an address that is not an owner's into an entry's Creator Email. */
  | { kind: 'claim'; actor: string; entry: EntrySummary; claimed: string }
  /** What a sweep (hourly or daily) found changed outside Governed Path and put back. */
  | { kind: 'put-back'; lines: string[]; title?: string }
  /** What the team should know about the registry itself (the archive, room left). */
  | { kind: 'notice'; title: string; lines: string[] }
  /**
   * The audit log's head, posted daily out of band: the record outside the spreadsheet that a
   * later check (or an auditor) compares with, and a heartbeat whose silence someone notices.
   */
  | { kind: 'head'; count: number; mac: string; at: string; spreadsheet: string }
  | { kind: 'undeliverable'; count: number; reasons: string[] };

const header = (text: string): Block => ({
  type: 'header',
  text: { type: 'plain_text', text: shorten(text, LIMITS.header) },
});
const section = (text: string, fields: string[] = []): Block => ({
  type: 'section',
  text: { type: 'mrkdwn', text: shorten(text, LIMITS.section) },
  ...(fields.length > 0
    ? {
        fields: fields
          .slice(0, LIMITS.fields)
          .map((f) => ({ type: 'mrkdwn' as const, text: shorten(f, LIMITS.field) })),
      }
    : {}),
});
const context = (text: string): Block => ({
  type: 'context',
  elements: [{ type: 'mrkdwn', text: shorten(text, LIMITS.section) }],
});

/** A Slack link; the URL is ours (the spreadsheet), the label is escaped. */
function link(url: string, label: string): string {
  return /^https:\/\/[^\s<>|]+$/.test(url)
    ? `<${url}|${escapeMrkdwn(label)}>`
    : escapeMrkdwn(label);
}

function entryFields(e: EntrySummary): string[] {
  return [
    `*Creator*\n${safe(e.creator, 200)}`,
    `*Department*\n${safe(e.department, 200)}`,
    `*Data tier*\n${safe(e.tier, 100)}`,
    `*AI tool*\n${safe(`${e.tool} ${e.version}`, 200)}`,
    `*Approval*\n${safe(e.approval, 100)}`,
    `*Deployment*\n${safe(e.status, 100)}`,
  ];
}

/** One line per notification, for the text fallback and for digests. */
export function summaryLine(n: Notification): string {
  switch (n.kind) {
    case 'registered':
      return `${n.entry.id} ${safe(n.entry.project, 120)} (${safe(n.entry.tier, 40)}, ${safe(n.entry.tool, 60)}): ${n.entry.approval}`;
    case 'review-requested':
      return `${n.entry.id} ${safe(n.entry.project, 120)} needs a Tier 3 security review${n.entry.due ? ` by ${n.entry.due}` : ''}`;
    case 'blocked':
      return `${n.entry.id} ${safe(n.entry.project, 120)} was blocked: Tier 4 data`;
    case 'production-gate':
      return `${n.entry.id} ${safe(n.entry.project, 120)} is set to Production without an approved review with a threat model`;
    case 'review-decided':
      return `${n.entry.id} ${safe(n.entry.project, 120)}: review ${safe(n.decision, 40)} by ${safe(n.reviewer, 120)}`;
    case 'tampering':
      return `${safe(n.actor, 120)} changed ${safe(n.where, 120)}${n.registryId ? ` (${safe(n.registryId, 20)})` : ''}; the change was reverted`;
    case 'chain-broken':
      return `The Audit Log's hash chain is broken at row ${n.row}`;
    case 'claim':
      return `${safe(n.actor, 120)} typed ${safe(n.claimed, 120)} as the creator of ${n.entry.id} ${safe(n.entry.project, 120)}: a claim, not a transfer`;
    case 'put-back':
      return `${n.title ?? 'Changes made outside Governed Path were put back'}: ${n.lines.length} finding(s)`;
    case 'notice':
      return `${safe(n.title, 150)}: ${safe(n.lines[0] ?? '', 300)}`;
    case 'head':
      return `Audit Log head: ${n.count} entries, ${n.mac.slice(0, 16)} (${n.at})`;
    case 'undeliverable':
      return `${n.count} Slack message(s) could not be delivered`;
  }
}

export function buildMessage(n: Notification): SlackMessage {
  const text = shorten(summaryLine(n), LIMITS.text);
  switch (n.kind) {
    case 'registered':
      return {
        text: `New AI project registered: ${text}`,
        blocks: [
          header('New AI project registered'),
          section(`${link(n.entry.url, `${n.entry.id} ${n.entry.project}`)}`, entryFields(n.entry)),
        ],
      };
    case 'review-requested':
      return {
        text: `${n.reReview ? 'Re-review due (approval expired)' : 'Security review requested'}: ${text}`,
        blocks: [
          header(
            n.reReview
              ? 'Tier 3 approval expired: re-review requested'
              : 'Tier 3 security review requested',
          ),
          section(
            `${link(n.entry.url, `${n.entry.id} ${n.entry.project}`)} ${n.reReview ? 'was approved long enough ago that it is reviewed again; it keeps running meanwhile.' : 'touches confidential data.'}${n.entry.due ? ` Review due *${safe(n.entry.due, 20)}* (5-business-day SLA).` : ''}${n.entry.assignedTo ? ` Assigned to ${safe(n.entry.assignedTo, 120)}.` : ''}`,
            entryFields(n.entry),
          ),
        ],
      };
    case 'blocked':
      return {
        text: `Blocked: ${text}`,
        blocks: [
          header(':no_entry: Tier 4 use of AI blocked'),
          section(
            `${link(n.entry.url, `${n.entry.id} ${n.entry.project}`)} declares regulated data (PCI DSS, PHI, GDPR personal data). The creator was told to use synthetic data or talk to the security team.`,
            entryFields(n.entry),
          ),
        ],
      };
    case 'production-gate':
      return {
        text: `Production without threat model: ${text}`,
        blocks: [
          header(':warning: Tier 3 project in Production without an approved review'),
          section(
            `${link(n.entry.url, `${n.entry.id} ${n.entry.project}`)} was set to Production. Tier 3 projects need an approved security review with a threat model first.`,
            entryFields(n.entry),
          ),
        ],
      };
    case 'review-decided':
      return {
        text: `Review decided: ${text}`,
        blocks: [
          header(`Security review: ${shorten(n.decision, 60)}`),
          section(
            `${link(n.entry.url, `${n.entry.id} ${n.entry.project}`)} — decided by ${safe(n.reviewer, 120)}`,
            entryFields(n.entry),
          ),
          ...(n.note ? [context(`Note: ${safe(n.note, 1000)}`)] : []),
        ],
      };
    case 'tampering':
      return {
        text: `Tampering detected: ${text}`,
        blocks: [
          header(':warning: Registry tampering detected'),
          section(
            `${safe(n.actor, 120)} edited *${safe(n.where, 200)}*${n.registryId ? ` (${safe(n.registryId, 20)})` : ''}. Governed Path reverted it where it could and logged it in the Audit Log.`,
          ),
          context(`Attempted value: ${safe(n.attempted, 500) || '(empty)'}`),
        ],
      };
    case 'chain-broken':
      return {
        text,
        blocks: [
          header(':rotating_light: Audit Log integrity check failed'),
          section(
            `The Audit Log's hash chain is broken at *row ${n.row}*: that row, or one just before it, was changed or removed by hand. Compare it with the evidence pack before trusting later rows.`,
          ),
        ],
      };
    case 'claim':
      return {
        text: `Creator Email claim: ${text}`,
        blocks: [
          header('Creator Email claim'),
          section(
            `${safe(n.actor, 120)} typed *${safe(n.claimed, 120)}* as the creator of ${link(n.entry.url, `${n.entry.id} ${n.entry.project}`)}. The entry's owners are unchanged; an owner or the security team can add a co-owner in the sidebar (My projects).`,
          ),
        ],
      };
    case 'put-back':
      return {
        text,
        blocks: [
          header(`:warning: ${n.title ?? 'Changes made outside Governed Path were put back'}`),
          section(
            n.lines
              .slice(0, 10)
              .map((l) => `• ${safe(l, 300)}`)
              .join('\n'),
          ),
          context('Each change is in the Audit Log with what was there and what was put back.'),
        ],
      };
    case 'notice':
      return {
        text,
        blocks: [
          header(`:information_source: ${n.title}`),
          section(
            n.lines
              .slice(0, 10)
              .map((l) => safe(l, 600))
              .join('\n'),
          ),
        ],
      };
    case 'head':
      return {
        text,
        blocks: [
          header('Audit Log head (daily record)'),
          section(
            `*${safe(n.spreadsheet, 200)}*: ${n.count} entries, last MAC \`${n.mac}\`, recorded ${n.at}.`,
          ),
          context(
            'Kept outside the spreadsheet on purpose: a later head must continue this one. If this message stops coming, the daily job is not running.',
          ),
        ],
      };
    case 'undeliverable':
      return {
        text,
        blocks: [
          header('Slack messages could not be delivered'),
          section(
            `${n.count} message(s) were refused by Slack and are kept in the registry's outbox:\n${n.reasons.map((r) => `• ${safe(r, 200)}`).join('\n')}`,
          ),
          context('Check the webhook in Settings: the channel may be archived or the app removed.'),
        ],
      };
  }
}

const DIGEST_LINES = 40;

/**
 * The order a digest lists things in (issue 15): what the security team must act on first
 * (blocks, tampering, a broken chain, claims, production gates, reviews), then the rest.
 */
const DIGEST_ORDER: readonly Notification['kind'][] = [
  'chain-broken',
  'blocked',
  'tampering',
  'claim',
  'production-gate',
  'review-requested',
  'review-decided',
  'undeliverable',
  'put-back',
  'notice',
  'registered',
  'head',
];

/** How a kind is counted in a digest's first line. */
const COUNTED: Record<Notification['kind'], string> = {
  'chain-broken': 'audit chain broken',
  blocked: 'blocked',
  tampering: 'tampering reverted',
  claim: 'creator claims',
  'production-gate': 'production gates',
  'review-requested': 'reviews requested',
  'review-decided': 'reviews decided',
  undeliverable: 'Slack failures',
  'put-back': 'put back',
  notice: 'notices',
  registered: 'registered',
  head: 'audit heads',
};

/** A registration already decided Blocked is a block, whatever kind it arrived as. */
const rankOf = (n: Notification): number =>
  n.kind === 'registered' && n.entry.approval === 'Blocked'
    ? DIGEST_ORDER.indexOf('blocked')
    : DIGEST_ORDER.indexOf(n.kind);

/**
 * Many notifications from one execution (a big paste) become one message: counts by kind
 * first, then the lines most in need of action, as many as Slack's section holds, then how
 * many more there are.
 */
export function buildDigest(notifications: readonly Notification[]): SlackMessage {
  const registered = notifications.filter((n) => n.kind === 'registered').length;
  const title =
    registered === notifications.length
      ? `${registered} new AI projects registered`
      : `${notifications.length} registry updates`;
  const ordered = notifications
    .map((n, i) => ({ n, i, rank: rankOf(n) }))
    .sort((a, b) => a.rank - b.rank || a.i - b.i)
    .map((x) => x.n);
  const counts = new Map<number, number>();
  for (const n of ordered) counts.set(rankOf(n), (counts.get(rankOf(n)) ?? 0) + 1);
  const countLine = [...counts]
    .sort((a, b) => a[0] - b[0])
    .map(([rank, count]) => `${count} ${COUNTED[DIGEST_ORDER[rank]]}`)
    .join(' · ');
  // As many lines as fit the section with room for the "more" line.
  const lines: string[] = [];
  let size = countLine.length + 2;
  for (const n of ordered.slice(0, DIGEST_LINES)) {
    const line = `• ${summaryLine(n)}`;
    if (size + line.length + 1 > LIMITS.section - 120) break;
    lines.push(line);
    size += line.length + 1;
  }
  const more = ordered.length - lines.length;
  const body =
    `*${countLine}*\n` +
    lines.join('\n') +
    (more > 0 ? `\n…and ${more} more: see the Registry sheet and the Audit Log.` : '');
  return {
    text: shorten(
      `${title} (${countLine}): ${ordered.slice(0, 5).map(summaryLine).join('; ')}${ordered.length > 5 ? '…' : ''}`,
      LIMITS.text,
    ),
    blocks: [header(title), section(body)],
  };
}

/** Above this many notifications from one execution, one digest is posted instead. */
export const BURST = 3;

/**
 * What an execution's notifications become: one batch, routed and digested per channel when
 * it is queued (the outbox knows the routes), mailed to the people it concerns.
 */
export function messagesFor(notifications: readonly Notification[]): Outgoing[] {
  return notifications.length === 0 ? [] : [{ notifications }];
}

/** A message the team channels get as it is, routed as `kind`. */
export function asKind(kind: EventKind, messages: readonly SlackMessage[]): Outgoing[] {
  return messages.map((message) => ({ kind, message }));
}

/** What the registry edit handler reports for Slack (and, later, reports). */
export interface RegistryEvent {
  type:
    | 'registered'
    | 'blocked'
    | 'review-opened'
    | 'review-closed'
    | 'production-gate'
    | 'tampering'
    | 'claim';
  registryId: string;
  detail: string;
  /** The entry as it stands after the edit. */
  entry: EntrySummary;
  /** For tampering: which owned cells a person changed, and to what. */
  tampering?: { fields: string[]; attempted: string[] };
}

/**
 * One notification per thing the security team should know. A new entry is announced once,
 * as its most specific kind (blocked, review requested, or registered).
 */
export function notificationsFor(events: readonly RegistryEvent[], actor: string): Notification[] {
  const out: Notification[] = [];
  const byEntry = new Map<string, RegistryEvent[]>();
  for (const e of events) byEntry.set(e.registryId, [...(byEntry.get(e.registryId) ?? []), e]);
  for (const [registryId, list] of byEntry) {
    const types = new Set(list.map((e) => e.type));
    const entry = list[list.length - 1].entry;
    if (types.has('registered')) {
      const kind = types.has('blocked')
        ? 'blocked'
        : types.has('review-opened')
          ? 'review-requested'
          : 'registered';
      out.push({ kind, entry });
    } else {
      if (types.has('blocked')) out.push({ kind: 'blocked', entry });
      if (types.has('review-opened'))
        out.push({
          kind: 'review-requested',
          entry,
          ...(list.some((e) => e.type === 'review-opened' && e.detail.includes('re-submitted'))
            ? { reopened: true }
            : {}),
          ...(list.some((e) => e.type === 'review-opened' && e.detail.includes('re-review'))
            ? { reReview: true }
            : {}),
        });
    }
    if (types.has('production-gate')) out.push({ kind: 'production-gate', entry });
    // A review closed because its entry changed (a downgrade is worth a second look).
    for (const e of list)
      if (e.type === 'review-closed')
        out.push({ kind: 'notice', title: 'Security review closed', lines: [e.detail] });
    for (const e of list)
      if (e.type === 'claim') out.push({ kind: 'claim', actor, entry, claimed: e.detail });
    for (const e of list) {
      if (e.type !== 'tampering' || !e.tampering) continue;
      out.push({
        kind: 'tampering',
        actor,
        where: `Registry ${e.tampering.fields.join(', ')}`,
        attempted: e.tampering.attempted.join(', '),
        registryId,
      });
    }
  }
  return out;
}

/** The guide's decision tree, one step per tier (Slack and mail word it the same). */
export function decisionTree(tools: string): { question: string; tier: string; answer: string }[] {
  return [
    {
      question: 'Card data, health data (PHI) or personal data under GDPR?',
      tier: 'Tier 4',
      answer: 'no AI tools. Use synthetic data, or talk to the security team.',
    },
    {
      question: 'Confidential (customer data, employee records, contracts, financials)?',
      tier: 'Tier 3',
      answer:
        'register it; a security review (5 business days) comes first, and a threat model before production.',
    },
    {
      question: 'Internal only?',
      tier: 'Tier 2',
      answer: `use an approved tool (${tools}) and register it: approved instantly.`,
    },
    {
      question: 'Public or marketing?',
      tier: 'Tier 1',
      answer: 'any AI tool; register it so we know it exists.',
    },
  ];
}

/** The guide's one-page decision tree, for #security-updates. */
export function decisionTreeMessage(tier2Tools: readonly string[]): SlackMessage {
  const tools =
    tier2Tools.length > 0
      ? tier2Tools.map((t) => safe(t, 60)).join(', ')
      : 'none yet: ask the security team';
  const steps = decisionTree(tools).map(
    ({ question, tier, answer }, i) => `*${i + 1}. ${question}* → *${tier}*: ${answer}`,
  );
  return {
    text: 'Can I use AI with this data? 1) Regulated → no AI. 2) Confidential → security review. 3) Internal → approved tools. 4) Public → any tool. Register every project.',
    blocks: [
      header('Can I use AI with this data?'),
      section(steps.join('\n')),
      context('Register your project from Extensions › Governed Path in the registry spreadsheet.'),
    ],
  };
}

export interface ReviewLine {
  reviewId: string;
  registryId: string;
  project: string;
  creator: string;
  due: string;
  /** Who the review is assigned to (issue 17). */
  assignedTo?: string;
}

function reviewLines(items: readonly ReviewLine[]): string {
  const lines = items
    .slice(0, 30)
    .map(
      (r) =>
        `• ${safe(r.reviewId, 12)} ${safe(r.registryId, 12)} ${safe(r.project, 100)} (${safe(r.creator, 80)}), due ${safe(r.due, 12)}`,
    );
  return (
    lines.join('\n') +
    (items.length > 30 ? `\n…and ${items.length - 30} more in the Reviews sheet.` : '')
  );
}

/** The daily reminder: Tier 3 reviews due on the next business day. */
export function reviewsDueMessage(items: readonly ReviewLine[], due: string): SlackMessage {
  return {
    text: `${items.length} Tier 3 security review(s) due ${due}: ${items.map((r) => r.reviewId).join(', ')}`,
    blocks: [
      header(`${items.length} security review(s) due ${due}`),
      section(reviewLines(items)),
      context(
        '5-business-day SLA. Decide them in the Review queue (Extensions › Governed Path › Security team).',
      ),
    ],
  };
}

/** One digest for the reviews that went past their due date since the last run. */
export function overdueDigestMessage(items: readonly ReviewLine[], lead = ''): SlackMessage {
  const assigned = items.filter((r) => r.assignedTo);
  return {
    text: `${items.length} Tier 3 security review(s) are overdue: ${items.map((r) => r.reviewId).join(', ')}${lead ? `; escalated to ${lead}` : ''}`,
    blocks: [
      header(`:hourglass: ${items.length} security review(s) overdue`),
      section(reviewLines(items)),
      context(
        `The entries now show Review Overdue in the Registry (a re-review keeps Re-review Due).${assigned.length > 0 ? ` Assigned: ${[...new Set(assigned.map((r) => safe(r.assignedTo ?? '', 80)))].slice(0, 10).join(', ')}.` : ''}${lead ? ` Escalated to the security lead, ${safe(lead, 120)}.` : ''}`,
      ),
    ],
  };
}

/** A lifecycle notice for the team channels (issue 17): a title and its lines. */
export function lifecycleMessage(title: string, lines: readonly string[]): SlackMessage {
  const shown = lines.slice(0, 30).map((l) => `• ${safe(l, 280)}`);
  if (lines.length > 30) shown.push(`…and ${lines.length - 30} more.`);
  return {
    text: `${title}: ${lines.length} item(s)`,
    blocks: [header(shorten(title, 140)), section(shown.join('\n'))],
  };
}

export interface AttestationLine {
  id: string;
  project: string;
  creator: string;
}

function attestationLines(items: readonly AttestationLine[]): string {
  const lines = items
    .slice(0, 30)
    .map((e) => `• ${safe(e.id, 12)} ${safe(e.project, 100)} (${safe(e.creator, 80)})`);
  return (
    lines.join('\n') +
    (items.length > 30 ? `\n…and ${items.length - 30} more in the Registry.` : '')
  );
}

/** Attestation summaries for #security-updates: kickoff, halfway reminder, after grace. */
export function attestationMessage(
  stage: 'kickoff' | 'reminder' | 'after-grace',
  quarter: string,
  items: readonly AttestationLine[],
  graceEnds: string,
  autoDecommission: boolean,
): SlackMessage {
  const n = items.length;
  const title =
    stage === 'kickoff'
      ? `${quarter} attestation: ${n} project(s) to confirm by ${graceEnds}`
      : stage === 'reminder'
        ? `${quarter} attestation: ${n} project(s) still unconfirmed (grace ends ${graceEnds})`
        : autoDecommission
          ? `${quarter} attestation: ${n} unconfirmed project(s) marked Decommissioned`
          : `${quarter} attestation: ${n} project(s) not confirmed after the grace period`;
  const note =
    stage === 'after-grace' && !autoDecommission
      ? 'Nothing was deleted. Follow up with the creators, or decommission the entries.'
      : 'Creators confirm in the sidebar (Extensions › Governed Path › My projects): Still active or Decommission.';
  return {
    text: title,
    blocks: [
      header(title),
      section(n ? attestationLines(items) : 'Nothing to confirm.'),
      context(note),
    ],
  };
}

/** The email each creator gets: one per creator, listing all their projects. */
export function attestationEmail(
  items: readonly AttestationLine[],
  quarter: string,
  graceEnds: string,
  spreadsheetUrl: string,
  reminder: boolean,
): { subject: string; body: string } {
  const list = items.map((e) => `  • ${e.id}  ${e.project}`).join('\n');
  return {
    subject: `${reminder ? 'Reminder: ' : ''}Are your AI projects still in use? (${quarter}, by ${graceEnds})`,
    body: [
      'Hello,',
      '',
      `Each quarter we ask creators to confirm that the AI-built projects they registered are still in use. Please confirm these by ${graceEnds}:`,
      '',
      list,
      '',
      `Open the registry (${spreadsheetUrl}), choose Extensions › Governed Path › My projects, and click "Still active" or "Decommission" for each one. It takes a minute; nothing is ever deleted.`,
      '',
      'Thank you — the security team',
    ].join('\n'),
  };
}

export function monthlyDigestMessage(r: MonthlyReview): SlackMessage {
  const list = (pairs: [string, number][]) =>
    pairs.length ? pairs.map(([k, n]) => `${safe(k, 60)}: ${n}`).join(', ') : 'none';
  const sla =
    r.reviewsDecided === 0
      ? 'No reviews were decided.'
      : `${r.reviewsDecided} review(s) decided, median ${r.medianBusinessDays} business day(s), ${Math.round((r.withinSla ?? 0) * 100)}% within the SLA.`;
  const attention = r.needsAttention.length
    ? r.needsAttention
        .slice(0, 15)
        .map((a) => `${safe(a.id, 12)} (${safe(a.approval, 30)})`)
        .join(', ') +
      (r.needsAttention.length > 15 ? `, …and ${r.needsAttention.length - 15} more` : '')
    : 'none';
  const title = `Monthly registry review: ${r.month}`;
  return {
    text: `${title}: ${r.newEntries} new entries; ${sla}`,
    blocks: [
      header(title),
      section(
        `*New entries:* ${r.newEntries}\n*By tier:* ${list(r.byTier)}\n*By department:* ${list(r.byDepartment)}`,
      ),
      section(`*Unlisted AI tools:* ${list(r.unlistedTools)}\n*Needs attention:* ${attention}`),
      section(
        `*Review SLA:* ${sla} Open reviews: ${r.openReviews} (${r.overdueReviews} overdue).` +
          (r.unconfirmed.length
            ? `\n*Not confirmed in the last attestation:* ${r.unconfirmed
                .slice(0, 20)
                .map((id) => safe(id, 12))
                .join(', ')}`
            : '') +
          ((r.soc2Lapsed ?? []).length
            ? `\n*Needs Info because a SOC 2 report lapsed:* ${r.soc2Lapsed
                .slice(0, 20)
                .map((id) => safe(id, 12))
                .join(', ')}`
            : ''),
      ),
      context('The full report is in the sheet "Report - Monthly Review".'),
    ],
  };
}

/** One notification on its own (routed by its kind). */
export function one(n: Notification): Outgoing {
  return { notifications: [n] };
}
