import { decodeEntities } from './render';
import type { EventKind } from './channels';
import { summaryLine, type EntrySummary, type Notification, type SlackMessage } from './slack';

/**
 * The JSON event a ticketing webhook receives (issue 16): `{event, entry, review, at}` with
 * people's values as they are (JSON escapes them; the receiver decides how to show them), and
 * a one-line summary and a description a Jira Automation rule can put in a ticket as they are.
 */
export interface HookEvent {
  event: EventKind;
  /** Unique per delivery: a receiver ignores one it has seen (retries after a timeout). */
  id: string;
  at: string;
  spreadsheet: { name: string; url: string };
  entry: {
    id: string;
    project: string;
    creator: string;
    department: string;
    dataTier: string;
    aiTool: string;
    aiToolVersion: string;
    approval: string;
    deploymentStatus: string;
    url: string;
  } | null;
  review: { id: string; due: string; decision: string; reviewer: string; note: string } | null;
  summary: string;
  description: string;
}

function entryOf(e: EntrySummary): NonNullable<HookEvent['entry']> {
  return {
    id: e.id,
    project: e.project,
    creator: e.creator,
    department: e.department,
    dataTier: e.tier,
    aiTool: e.tool,
    aiToolVersion: e.version,
    approval: e.approval,
    deploymentStatus: e.status,
    url: e.url,
  };
}

const clip = (text: string, max: number) =>
  text.length <= max ? text : `${text.slice(0, max - 1)}…`;

/** What a ticket's summary says, from the event itself (not the Slack text). */
function summaryOf(n: Notification & { entry: EntrySummary }): string {
  const name = `${n.entry.id} ${n.entry.project}`;
  switch (n.kind) {
    case 'review-requested':
      return `Tier 3 security review: ${name}`;
    case 'review-decided':
      return `Security review ${n.decision}: ${name}`;
    case 'blocked':
      return `Tier 4 use of AI blocked: ${name}`;
    case 'production-gate':
      return `Production without an approved review: ${name}`;
    case 'claim':
      return `Creator Email claim on ${name}`;
    default:
      return `${n.entry.approval === 'Blocked' ? 'Blocked' : 'Registered'}: ${name}`;
  }
}

export function hookEvent(
  kind: EventKind,
  source: Notification | SlackMessage,
  id: string,
  at: string,
  spreadsheet: { name: string; url: string },
): HookEvent {
  const n = 'kind' in source ? source : null;
  const withEntry = n && 'entry' in n ? (n as Notification & { entry: EntrySummary }) : null;
  const e = withEntry?.entry ?? null;
  const decided = n && n.kind === 'review-decided' ? n : null;
  // What the event says in words: the message's text, or the notification's own line.
  const plain = decodeEntities(n ? summaryLine(n) : (source as SlackMessage).text);
  const summary = clip(withEntry ? summaryOf(withEntry) : plain || kind, 250);
  const lines = e
    ? [
        `Project: ${e.project}`,
        `Creator: ${e.creator}`,
        `Department: ${e.department}`,
        `Data tier: ${e.tier}`,
        `AI tool: ${e.tool} ${e.version}`.trim(),
        `Approval: ${e.approval}`,
        `Deployment: ${e.status}`,
        ...(e.reviewId ? [`Review: ${e.reviewId}${e.due ? `, due ${e.due}` : ''}`] : []),
        ...(decided ? [`Decision: ${decided.decision} by ${decided.reviewer}`] : []),
        ...(decided?.note ? [`Note: ${decided.note}`] : []),
        `Registry: ${e.url}`,
      ]
    : [plain || summary];
  return {
    event: kind,
    id,
    at,
    spreadsheet,
    entry: e ? entryOf(e) : null,
    review:
      e && (e.reviewId || decided)
        ? {
            id: e.reviewId ?? '',
            due: e.due ?? '',
            decision: decided?.decision ?? '',
            reviewer: decided?.reviewer ?? '',
            note: decided?.note ?? '',
          }
        : null,
    summary,
    description: clip(lines.join('\n'), 4000),
  };
}
