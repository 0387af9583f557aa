/**
 * The sandbox page's Google Chat, Microsoft Teams, signed-webhook and mail panels: what the
 * local receiver got, drawn as each client shows it. Every value is put in text nodes or
 * elements built here; received HTML is shown only in a sandboxed iframe (mail's htmlBody).
 */
import { chatHtml, chatText } from './chatfmt';
import { teamsMarkdown } from './teamsmd';

export interface ReceivedMessage {
  receivedAt: string;
  sentAt?: string;
  path?: string;
  headers?: Record<string, string>;
  raw?: string;
  host?: string;
  threadKey?: string | null;
  note?: string;
  payload: Record<string, unknown>;
}
export interface ServiceMessages {
  messages: ReceivedMessage[];
  failed: number;
}
export interface Mail {
  at: string;
  from?: string;
  to: string;
  cc?: string;
  bcc?: string;
  subject: string;
  body: string;
  htmlBody?: string;
  name?: string;
  replyTo?: string;
}

type Child = Node | string;

function h<K extends keyof HTMLElementTagNameMap>(
  tag: K,
  attrs: Record<string, string> = {},
  ...children: Child[]
): HTMLElementTagNameMap[K] {
  const el = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs)) el.setAttribute(k, v);
  el.append(...children);
  return el;
}

type Json = Record<string, unknown>;
const obj = (v: unknown): Json =>
  typeof v === 'object' && v !== null && !Array.isArray(v) ? (v as Json) : {};
const arr = (v: unknown): unknown[] => (Array.isArray(v) ? v : []);
const str = (v: unknown): string => (typeof v === 'string' ? v : '');
const webLink = (url: string): string | null => (/^https?:\/\/\S+$/i.test(url) ? url : null);

function linkButton(caption: string, url: string, className: string): HTMLElement {
  const href = webLink(url);
  const a = h('a', { class: className, target: '_blank', rel: 'noopener noreferrer' }, caption);
  if (href) a.href = href;
  else a.setAttribute('aria-disabled', 'true');
  return a;
}

function failures(box: HTMLElement, failed: number): void {
  if (failed > 0)
    box.prepend(h('p', { class: 'empty' }, `${failed} post(s) answered with an injected failure.`));
}

// ------------------------------------------------------------------ Google Chat

function chatWidget(widget: Json): Node {
  if ('decoratedText' in widget) {
    const w = obj(widget.decoratedText);
    return h(
      'div',
      { class: 'chat-decorated' },
      ...(str(w.topLabel)
        ? [h('div', { class: 'chat-top-label' }, chatHtml(str(w.topLabel)))]
        : []),
      h('div', { class: 'chat-decorated-text' }, chatHtml(str(w.text))),
      ...(str(w.bottomLabel)
        ? [h('div', { class: 'chat-bottom-label' }, chatHtml(str(w.bottomLabel)))]
        : []),
    );
  }
  if ('textParagraph' in widget)
    return h('div', { class: 'chat-paragraph' }, chatHtml(str(obj(widget.textParagraph).text)));
  if ('buttonList' in widget) {
    return h(
      'div',
      { class: 'chat-buttons' },
      ...arr(obj(widget.buttonList).buttons).map((b) => {
        const button = obj(b);
        const url = str(obj(obj(obj(button.onClick).openLink)).url);
        return linkButton(str(button.text) || 'Open', url, 'chat-button');
      }),
    );
  }
  if ('divider' in widget) return h('hr', { class: 'chat-divider' });
  const kind = Object.keys(widget)[0] ?? 'widget';
  return h('div', { class: 'chat-unsupported' }, `(${kind}: not drawn by the sandbox)`);
}

function chatCard(entry: unknown): HTMLElement {
  const card = obj(obj(entry).card);
  const header = obj(card.header);
  const el = h('div', { class: 'chat-card' });
  if (str(header.title) || str(header.subtitle)) {
    el.append(
      h(
        'div',
        { class: 'chat-card-header' },
        h('div', { class: 'chat-card-title' }, str(header.title)),
        ...(str(header.subtitle)
          ? [h('div', { class: 'chat-card-subtitle' }, str(header.subtitle))]
          : []),
      ),
    );
  }
  for (const s of arr(card.sections)) {
    const section = obj(s);
    el.append(
      h(
        'div',
        { class: 'chat-section' },
        ...(str(section.header)
          ? [h('div', { class: 'chat-section-header' }, chatHtml(str(section.header)))]
          : []),
        ...arr(section.widgets).map((w) => chatWidget(obj(w))),
      ),
    );
  }
  return el;
}

function chatMessage(m: ReceivedMessage, formatTime: (iso: string) => string): HTMLElement {
  const text = str(m.payload.text);
  const cards = arr(m.payload.cardsV2);
  const el = h(
    'article',
    { class: 'chat-message' },
    h(
      'div',
      { class: 'chat-meta' },
      h('span', { class: 'chat-avatar', 'aria-hidden': 'true' }, 'GP'),
      h('span', { class: 'chat-sender' }, 'Governed Path'),
      h('span', { class: 'chat-badge' }, 'App'),
      h('time', {}, formatTime(m.sentAt ?? m.receivedAt)),
    ),
  );
  // Chat shows a message's text above its cards (fallbackText is what stands in for cards in
  // notifications; text is always shown).
  if (text) el.append(h('div', { class: 'chat-text' }, chatText(text)));
  for (const card of cards) el.append(chatCard(card));
  if (m.note) el.append(h('p', { class: 'chat-note' }, m.note));
  return el;
}

/** A service that got nothing yet: says so (and how many posts it failed). */
function isEmpty(box: HTMLElement, data: ServiceMessages, sentence: string): boolean {
  if (data.messages.length > 0) return false;
  box.replaceChildren(h('p', { class: 'empty' }, sentence));
  failures(box, data.failed);
  return true;
}

/** Chat's messages grouped by thread (threadKey), the thread with the latest post first. */
export function renderChat(
  box: HTMLElement,
  data: ServiceMessages,
  formatTime: (iso: string) => string,
): void {
  if (isEmpty(box, data, 'No Google Chat messages yet. Set a Chat webhook in Settings.')) return;
  const threads: { key: string | null; messages: ReceivedMessage[] }[] = [];
  const byKey = new Map<string, { key: string | null; messages: ReceivedMessage[] }>();
  for (const m of data.messages) {
    const key = m.threadKey ?? null;
    const existing = key === null ? undefined : byKey.get(key);
    if (existing) {
      existing.messages.push(m);
      // the thread moves up to where its latest post is
      threads.splice(threads.indexOf(existing), 1);
      threads.push(existing);
    } else {
      const thread = { key, messages: [m] };
      threads.push(thread);
      if (key !== null) byKey.set(key, thread);
    }
  }
  box.replaceChildren(
    ...threads.reverse().map((t) => {
      const [first, ...replies] = t.messages;
      const el = h(
        'section',
        { class: 'chat-thread', ...(t.key ? { 'data-thread': t.key } : {}) },
        chatMessage(first, formatTime),
      );
      if (replies.length > 0) {
        el.append(
          h(
            'div',
            { class: 'chat-replies' },
            h(
              'div',
              { class: 'chat-reply-count' },
              `${replies.length} ${replies.length === 1 ? 'reply' : 'replies'}`,
            ),
            ...replies.map((r) => chatMessage(r, formatTime)),
          ),
        );
      }
      if (t.key) el.prepend(h('div', { class: 'chat-thread-key' }, `Thread ${t.key}`));
      return el;
    }),
  );
  failures(box, data.failed);
}

// ------------------------------------------------------------------ Microsoft Teams

const TEXT_SIZES = new Set(['small', 'default', 'medium', 'large', 'extralarge']);
const COLOURS = new Set(['default', 'dark', 'light', 'accent', 'good', 'warning', 'attention']);

function cardElement(element: unknown): Node | null {
  const e = obj(element);
  switch (e.type) {
    case 'TextBlock': {
      const size = str(e.size).toLowerCase();
      const colour = str(e.color).toLowerCase();
      const classes = ['ac-text'];
      if (TEXT_SIZES.has(size)) classes.push(`ac-size-${size}`);
      if (str(e.weight).toLowerCase() === 'bolder') classes.push('ac-bolder');
      if (str(e.weight).toLowerCase() === 'lighter') classes.push('ac-lighter');
      if (e.isSubtle === true) classes.push('ac-subtle');
      if (COLOURS.has(colour)) classes.push(`ac-color-${colour}`);
      if (e.wrap !== true) classes.push('ac-nowrap');
      return h('div', { class: classes.join(' ') }, teamsMarkdown(str(e.text)));
    }
    case 'FactSet':
      return h(
        'table',
        { class: 'ac-facts' },
        ...arr(e.facts).map((f) =>
          h(
            'tr',
            {},
            h('th', {}, teamsMarkdown(str(obj(f).title))),
            h('td', {}, teamsMarkdown(str(obj(f).value))),
          ),
        ),
      );
    case 'Container':
      return h('div', { class: 'ac-container' }, ...cardElements(e.items));
    case 'ColumnSet':
      return h(
        'div',
        { class: 'ac-columns' },
        ...arr(e.columns).map((c) => {
          const width = obj(c).width;
          const col = h('div', { class: 'ac-column' }, ...cardElements(obj(c).items));
          if (width === 'auto') col.style.flex = '0 0 auto';
          else if (typeof width === 'number' || /^\d+$/.test(str(width)))
            col.style.flex = `${Number(width)} 1 0`;
          return col;
        }),
      );
    case 'ActionSet':
      return cardActions(e.actions);
    case 'Image':
      return h(
        'div',
        { class: 'ac-image' },
        `[image${str(e.altText) ? `: ${str(e.altText)}` : ''}]`,
      );
    default:
      return h('div', { class: 'ac-unsupported' }, `(${str(e.type) || 'element'}: not drawn)`);
  }
}

function cardElements(items: unknown): Node[] {
  return arr(items)
    .map(cardElement)
    .filter((n): n is Node => n !== null);
}

function cardActions(actions: unknown): HTMLElement {
  return h(
    'div',
    { class: 'ac-actions' },
    ...arr(actions).map((a) => {
      const action = obj(a);
      if (action.type === 'Action.OpenUrl')
        return linkButton(str(action.title) || 'Open', str(action.url), 'ac-button');
      return h(
        'span',
        { class: 'ac-button disabled', title: `${str(action.type)}: not available here` },
        str(action.title) || str(action.type),
      );
    }),
  );
}

/** Each Workflows post's Adaptive Cards, newest first, as the Teams channel shows them. */
export function renderTeams(
  box: HTMLElement,
  data: ServiceMessages,
  formatTime: (iso: string) => string,
): void {
  if (isEmpty(box, data, 'No Teams messages yet. Set a Workflows webhook in Settings.')) return;
  box.replaceChildren(
    ...data.messages
      .slice()
      .reverse()
      .map((m) => {
        const el = h(
          'article',
          { class: 'teams-message' },
          h(
            'div',
            { class: 'teams-meta' },
            h('span', { class: 'teams-sender' }, 'Workflows'),
            h('time', {}, formatTime(m.sentAt ?? m.receivedAt)),
          ),
        );
        for (const attachment of arr(m.payload.attachments)) {
          const card = obj(obj(attachment).content);
          const body = h('div', { class: 'ac-card' }, ...cardElements(card.body));
          if (arr(card.actions).length > 0) body.append(cardActions(card.actions));
          el.append(body);
        }
        return el;
      }),
  );
  failures(box, data.failed);
}

// ------------------------------------------------------------------ signed webhooks

/** Each signed-webhook post: where it went, its event and signature headers, its body. */
export function renderHooks(
  box: HTMLElement,
  data: ServiceMessages,
  formatTime: (iso: string) => string,
): void {
  if (isEmpty(box, data, 'No signed-webhook posts yet.')) return;
  box.replaceChildren(
    ...data.messages
      .slice()
      .reverse()
      .map((m) => {
        const headers = m.headers ?? {};
        let pretty = m.raw ?? JSON.stringify(m.payload);
        try {
          pretty = JSON.stringify(JSON.parse(pretty), null, 2);
        } catch {
          // shown as received
        }
        return h(
          'details',
          { class: 'hook-item' },
          h(
            'summary',
            {},
            h('strong', {}, headers['x-governed-path-event'] ?? 'POST'),
            ` to ${m.host ?? ''}`,
            h('time', {}, formatTime(m.sentAt ?? m.receivedAt)),
          ),
          h(
            'dl',
            {},
            ...Object.entries(headers).flatMap(([k, v]) => [h('dt', {}, k), h('dd', {}, v)]),
          ),
          h('pre', {}, pretty),
        );
      }),
  );
  failures(box, data.failed);
}

// ------------------------------------------------------------------ mail

/**
 * The HTML with a policy that loads nothing from the network (no tracking pixel, no remote
 * style): the frame's sandbox already stops scripts, forms and navigation.
 */
function withoutRemoteContent(html: string): string {
  const policy =
    '<meta http-equiv="Content-Security-Policy" content="default-src \'none\'; style-src \'unsafe-inline\'; img-src data:">';
  for (const re of [/<head\b[^>]*>/i, /<html\b[^>]*>/i, /<!doctype[^>]*>/i]) {
    const m = re.exec(html);
    if (m) return html.slice(0, m.index + m[0].length) + policy + html.slice(m.index + m[0].length);
  }
  return policy + html;
}

const addressesOf = (list: string | undefined) =>
  (list ?? '')
    .split(',')
    .map((a) => a.trim().toLowerCase())
    .filter((a) => a !== '');

/** Everyone a mail went to (To, Cc and Bcc). */
export const recipientsOf = (m: Mail) => [
  ...new Set([...addressesOf(m.to), ...addressesOf(m.cc), ...addressesOf(m.bcc)]),
];

/**
 * The outbox by person: a recipient picker, then their mail, newest first; an HTML body is
 * shown in an iframe whose sandbox allows nothing (no script, no form, no navigation).
 */
export function renderMail(
  box: HTMLElement,
  mail: Mail[],
  recipient: string,
  choose: (recipient: string) => void,
  formatTime: (iso: string) => string,
): void {
  if (mail.length === 0) {
    box.replaceChildren(h('p', { class: 'empty' }, 'No mail sent yet.'));
    return;
  }
  const counts = new Map<string, number>();
  for (const m of mail) for (const r of recipientsOf(m)) counts.set(r, (counts.get(r) ?? 0) + 1);
  const people = [...counts.keys()].sort();
  const current = counts.has(recipient) ? recipient : '';
  const select = h('select', { id: 'mail-recipient', 'aria-label': 'Mail to' });
  select.append(
    h(
      'option',
      current === '' ? { value: '', selected: '' } : { value: '' },
      `Everyone (${mail.length})`,
    ),
    ...people.map((p) =>
      h(
        'option',
        p === current ? { value: p, selected: '' } : { value: p },
        `${p} (${counts.get(p)})`,
      ),
    ),
  );
  select.onchange = () => choose(select.value);
  const shown = mail
    .filter((m) => current === '' || recipientsOf(m).includes(current))
    .slice()
    .reverse();
  box.replaceChildren(
    h('label', { class: 'mail-picker' }, 'Inbox of ', select),
    ...shown.map((m, i) => {
      const from = m.name ? `${m.name} <${m.from ?? ''}>` : (m.from ?? '');
      const item = h(
        'details',
        { class: 'mail-item', ...(i === 0 ? { open: '' } : {}) },
        h(
          'summary',
          {},
          h('strong', { class: 'mail-subject' }, m.subject || '(no subject)'),
          h('time', {}, formatTime(m.at)),
        ),
        h(
          'dl',
          { class: 'mail-headers' },
          h('dt', {}, 'From'),
          h('dd', {}, from),
          h('dt', {}, 'To'),
          h('dd', {}, m.to),
          ...(m.cc ? [h('dt', {}, 'Cc'), h('dd', {}, m.cc)] : []),
          ...(m.replyTo ? [h('dt', {}, 'Reply-To'), h('dd', {}, m.replyTo)] : []),
        ),
      );
      if (m.htmlBody) {
        const frame = h('iframe', {
          class: 'mail-html',
          sandbox: '',
          referrerpolicy: 'no-referrer',
          title: `HTML body of "${m.subject}"`,
        });
        frame.srcdoc = withoutRemoteContent(m.htmlBody);
        item.append(
          frame,
          h(
            'details',
            { class: 'mail-plain' },
            h('summary', {}, 'Plain text'),
            h('pre', {}, m.body),
          ),
        );
      } else item.append(h('pre', {}, m.body));
      return item;
    }),
  );
}
