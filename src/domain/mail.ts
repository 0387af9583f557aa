import { isEmail, normaliseEmail } from './settings';
import { decisionTree, type EntrySummary, type Notification } from './slack';

/**
 * Mail to the people an event concerns (issue 16): an entry's owners hear of every decision
 * about it, reviewers hear of new and re-submitted reviews. One mail per person per batch of
 * events; what a person must act on is always sent, the rest only if they have not turned it
 * off. Recipients come from the sealed owner set, never from a typed Creator Email alone.
 */
export interface PersonalItem {
  /** Who it is for: owners, or reviewers. */
  to: string[];
  /** Sent even to someone who turned mails off: they have something to do. */
  required: boolean;
  headline: string;
  lines: string[];
  /** The entry's row in the spreadsheet. */
  url: string;
}

export interface PersonMail {
  to: string;
  subject: string;
  body: string;
  htmlBody: string;
}

const name = (e: Pick<EntrySummary, 'id' | 'project'>) => `${e.id} ${oneLine(e.project, 120)}`;

function oneLine(text: string, max: number): string {
  const t = text.replace(/\s+/g, ' ').trim();
  return t.length <= max ? t : `${t.slice(0, max - 1)}…`;
}

function noteLines(note: string): string[] {
  const t = note.trim();
  return t === '' ? [] : [`Note from the reviewer: ${oneLine(t, 1500)}`];
}

/** The personal items a notification makes: none for what only the security team needs. */
export function personalItems(n: Notification, reviewers: readonly string[]): PersonalItem[] {
  if (!('entry' in n)) return [];
  const e = n.entry;
  const owners = e.owners ?? [];
  const item = (
    to: readonly string[],
    required: boolean,
    headline: string,
    lines: string[],
  ): PersonalItem[] =>
    to.length === 0 ? [] : [{ to: [...to], required, headline, lines, url: e.url }];
  switch (n.kind) {
    case 'review-decided': {
      const by = `Decided by ${oneLine(n.reviewer, 120)}.`;
      if (n.decision === 'First Approval')
        return item(owners, false, `${name(e)}: first of two security approvals`, [
          `Approved by ${oneLine(n.reviewer, 120)}, the first of the two approvals this organisation asks for.`,
          ...noteLines(n.note),
          'It may run in development. Before it runs in production, a second security-team member approves it too.',
        ]);
      if (n.decision === 'Approved')
        return item(owners, false, `${name(e)}: security review approved`, [
          by,
          ...noteLines(n.note),
          e.status === 'Production'
            ? 'It may run in production.'
            : 'Before it runs in production, the review needs a threat model (the security team adds it).',
        ]);
      if (n.decision === 'Changes Requested')
        return item(owners, true, `${name(e)}: changes requested`, [
          by,
          ...noteLines(n.note),
          'Change the entry in the Registry as asked: your edit re-submits the same review, and the security team is told.',
        ]);
      return item(
        owners,
        true,
        `${name(e)}: security review ${oneLine(n.decision, 40).toLowerCase()}`,
        [
          by,
          ...noteLines(n.note),
          'This project may not use AI with this data as registered. Reply to the security team if you think the decision is wrong, or change the project and register it again.',
        ],
      );
    }
    case 'blocked':
      return item(owners, true, `${name(e)}: blocked (Tier 4 data)`, blockedLines());
    case 'registered':
      if (e.approval === 'Blocked')
        return item(owners, true, `${name(e)}: blocked (Tier 4 data)`, blockedLines());
      if (e.approval === 'Needs Info')
        return item(owners, true, `${name(e)}: needs information`, [
          'The entry is missing something the security team needs:',
          ...(e.checks ?? []).slice(0, 10).map((c) => `  • ${oneLine(c, 300)}`),
          'Fill it in on the entry’s row: it is decided again as soon as you do.',
        ]);
      return [];
    case 'review-requested': {
      // The assignee when the review has one (issue 17), else the whole team.
      const assignee = e.assignedTo && isEmail(e.assignedTo) ? [e.assignedTo] : null;
      const toReviewers = item(
        assignee ?? reviewers,
        assignee !== null,
        n.reReview
          ? `${name(e)}: approval expired, re-review due`
          : n.reopened
            ? `${name(e)}: re-submitted for security review`
            : `${name(e)}: new Tier 3 security review`,
        [
          `Creator: ${oneLine(e.creator, 120)} · Department: ${oneLine(e.department, 60)} · AI tool: ${oneLine(`${e.tool} ${e.version}`, 80)}`,
          ...(assignee ? ['It is assigned to you.'] : []),
          ...(e.due ? [`Due ${e.due} (the review SLA).`] : []),
          'Decide it in the Review queue (Extensions › Governed Path › Security team › Review queue).',
        ],
      );
      if (!n.reReview) return toReviewers;
      return [
        ...toReviewers,
        ...item(owners, false, `${name(e)}: its security approval expired`, [
          `Tier 3 approvals are valid for a set time; this one has expired, so the security team reviews it again${e.due ? ` by ${e.due}` : ''}.`,
          'Your project may keep running meanwhile. Keep its entry up to date: the reviewer may ask you questions.',
        ]),
      ];
    }
    default:
      return [];
  }
}

function blockedLines(): string[] {
  return [
    'It declares regulated data (card data under PCI DSS, health data (PHI), or personal data under GDPR), which may not be used with AI coding tools.',
    'What to do instead: use synthetic or anonymised data and change the Data Tier, or talk to the security team about an approved alternative.',
  ];
}

/** A month before a Tier 3 approval expires (issue 17): its owners and its reviewers hear. */
export function expiryItems(
  e: Pick<EntrySummary, 'id' | 'project' | 'url' | 'owners'>,
  expiry: string,
  reviewers: readonly string[],
): PersonalItem[] {
  const out: PersonalItem[] = [];
  if ((e.owners ?? []).length > 0)
    out.push({
      to: [...(e.owners ?? [])],
      required: false,
      headline: `${name(e)}: its security approval expires ${expiry}`,
      lines: [
        `Tier 3 approvals are valid for a set time. On ${expiry} the security team starts a re-review; your project may keep running meanwhile.`,
        'Make sure its entry is up to date (tier, data stores, AI tool, deployment) before then.',
      ],
      url: e.url,
    });
  if (reviewers.length > 0)
    out.push({
      to: [...reviewers],
      required: false,
      headline: `${name(e)}: an approval you gave expires ${expiry}`,
      lines: [`A re-review opens on ${expiry} and is assigned in the Review queue.`],
      url: e.url,
    });
  return out;
}

/** The security lead's mail for reviews that went past their due date (issue 17). */
export function escalationItem(
  items: readonly {
    reviewId: string;
    registryId: string;
    project: string;
    due: string;
    assignedTo?: string;
  }[],
  lead: string,
  url: string,
): PersonalItem {
  return {
    to: [lead],
    required: true,
    headline: `${items.length} security review(s) overdue: escalated to you`,
    lines: [
      ...items
        .slice(0, 50)
        .map(
          (r) =>
            `${r.reviewId} ${r.registryId} ${oneLine(r.project, 100)}: due ${r.due}${r.assignedTo ? `, assigned to ${oneLine(r.assignedTo, 120)}` : ', not assigned'}`,
        ),
      ...(items.length > 50 ? [`…and ${items.length - 50} more in the Reviews sheet.`] : []),
      'Decide them, or reassign them, in the Review queue (Extensions › Governed Path › Security team › Review queue).',
    ],
    url,
  };
}

/** The apology an owner gets when their review goes past its due date. */
export function overdueItem(
  e: Pick<EntrySummary, 'id' | 'project' | 'url' | 'owners'>,
  due: string,
): PersonalItem[] {
  const owners = e.owners ?? [];
  if (owners.length === 0) return [];
  return [
    {
      to: owners,
      required: false,
      headline: `${name(e)}: your security review is late`,
      lines: [
        `Sorry: the review was due on ${due} and is not decided yet. The security team has been reminded.`,
        'Nothing is needed from you, and the entry keeps its place in the queue.',
      ],
      url: e.url,
    },
  ];
}

/** The domain of an address, lower case ('' when there is none). */
export function domainOf(email: string): string {
  const at = email.lastIndexOf('@');
  return at < 0
    ? ''
    : email
        .slice(at + 1)
        .trim()
        .toLowerCase();
}

/**
 * The organisation's mail domains: those of its security team. Mail about entries goes only
 * there, so no editor can make the add-on's account mail an outside address by typing it.
 */
export function organisationDomains(team: readonly string[]): Set<string> {
  return new Set(team.map(domainOf).filter((d) => d !== ''));
}

export function escapeHtml(text: string): string {
  return text
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;')
    .replace(/'/g, '&#39;');
}

const isOurLink = (url: string) => /^https:\/\/[^\s<>"'`]+$/.test(url);

/**
 * One mail per person: their items in order, optional ones left out for people who turned
 * them off (`mailsOff`), nobody mailed whose address is not one.
 */
export function mailsFor(
  items: readonly PersonalItem[],
  mailsOff: (email: string) => boolean,
  spreadsheet: { name: string; url: string },
  /** Whom the add-on mails at all (the organisation's domains: never a relay to anyone). */
  mayMail: (email: string) => boolean = () => true,
): PersonMail[] {
  const byPerson = new Map<string, PersonalItem[]>();
  for (const item of items)
    for (const raw of item.to) {
      const to = normaliseEmail(raw);
      if (!isEmail(to) || !mayMail(to)) continue;
      if (!item.required && mailsOff(to)) continue;
      const list = byPerson.get(to) ?? [];
      if (!list.includes(item)) list.push(item);
      byPerson.set(to, list);
    }
  const out: PersonMail[] = [];
  for (const [to, list] of byPerson) {
    const shown = list.slice(0, 25);
    const more = list.length - shown.length;
    const subject =
      list.length === 1
        ? `Governed Path: ${oneLine(list[0].headline, 150)}`
        : `Governed Path: ${list.length} updates about AI projects`;
    const optional = list.some((i) => !i.required);
    const footer = [
      `Registry: ${spreadsheet.url}`,
      ...(optional
        ? [
            'You can turn off mails you do not have to act on in Extensions › Governed Path › My projects.',
          ]
        : []),
    ];
    const body = [
      'Hello,',
      '',
      ...shown.flatMap((i) => [i.headline, ...i.lines, `Open the entry: ${i.url}`, '']),
      ...(more > 0 ? [`…and ${more} more: see the Registry.`, ''] : []),
      ...footer,
      '',
      '— Governed Path, for the security team',
    ].join('\n');
    const link = (url: string, label: string) =>
      isOurLink(url) ? `<a href="${escapeHtml(url)}">${escapeHtml(label)}</a>` : escapeHtml(label);
    const htmlBody = [
      '<div style="font-family:Arial,sans-serif;font-size:14px;line-height:1.45">',
      '<p>Hello,</p>',
      ...shown.map(
        (i) =>
          `<p><b>${escapeHtml(i.headline)}</b><br>${i.lines.map(escapeHtml).join('<br>')}<br>${link(i.url, 'Open the entry')}</p>`,
      ),
      ...(more > 0 ? [`<p>…and ${more} more: see the Registry.</p>`] : []),
      `<p style="color:#5f6368;font-size:12px">${link(spreadsheet.url, oneLine(spreadsheet.name, 100) || 'The registry')}${optional ? '<br>You can turn off mails you do not have to act on in Extensions › Governed Path › My projects.' : ''}</p>`,
      '</div>',
    ].join('');
    out.push({ to, subject, body, htmlBody });
  }
  return out;
}

/** The guide's decision tree as a mail (monthly to all staff, and to each new starter). */
export function guideMail(
  to: string,
  tier2Tools: readonly string[],
  spreadsheet: { name: string; url: string },
  onboarding: boolean,
): PersonMail {
  const tools =
    tier2Tools.length > 0
      ? tier2Tools.map((t) => oneLine(t, 60)).join(', ')
      : 'ask the security team';
  const steps = decisionTree(tools).map(
    ({ question, tier, answer }, i) => `${i + 1}. ${question} → ${tier}: ${answer}`,
  );
  const intro = onboarding
    ? 'Welcome! If you build apps or scripts with AI coding tools, this is how to do it safely here.'
    : 'A monthly reminder: before you build with an AI coding tool, ask what data it touches.';
  const register = `Register every project in the registry (${spreadsheet.url}): Extensions › Governed Path › Register a project.`;
  return {
    to,
    subject: 'Can I use AI with this data? (the one-page guide)',
    body: ['Hello,', '', intro, '', ...steps, '', register, '', '— the security team'].join('\n'),
    htmlBody: [
      '<div style="font-family:Arial,sans-serif;font-size:14px;line-height:1.45">',
      `<p>Hello,</p><p>${escapeHtml(intro)}</p><ol>`,
      ...steps.map((s) => `<li>${escapeHtml(s.replace(/^\d\. /, ''))}</li>`),
      `</ol><p>Register every project in <a href="${isOurLink(spreadsheet.url) ? escapeHtml(spreadsheet.url) : '#'}">the registry</a>: Extensions › Governed Path › Register a project.</p>`,
      '<p>— the security team</p></div>',
    ].join(''),
  };
}
