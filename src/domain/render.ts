import type { Block, SlackMessage } from './slack';

/**
 * The same message for Google Chat and Microsoft Teams (issue 16). Messages are built once, as
 * Slack Block Kit whose mrkdwn carries people's values with `&`, `<`, `>` escaped and only the
 * add-on's own links as `<https://…|label>`; each channel's form is derived here with that
 * channel's escaping, so nobody can inject `<users/all>`, an `<at>` mention or a Markdown link.
 */

/** Slack's emoji shortcodes the builders use, as characters (other clients do not know them). */
const EMOJI: Record<string, string> = {
  warning: '⚠️',
  no_entry: '⛔',
  rotating_light: '🚨',
  hourglass: '⌛',
  information_source: 'ℹ️',
};

export function withEmoji(text: string): string {
  return text.replace(/:([a-z_]+):/g, (all, name: string) => EMOJI[name] ?? all);
}

/** Our links: the only literal `<` in builders' mrkdwn (people's are `&lt;`). */
const LINK = /<(https:\/\/[^\s<>|]+)\|([^>]*)>/g;
/** Bold, as Slack shows it. */
const BOLD = /\*([^*\n]+)\*/g;

export function decodeEntities(text: string): string {
  return text.replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&amp;/g, '&');
}

// ---------------------------------------------------------------- Google Chat

/**
 * Chat's card text is an HTML subset (`<b>`, `<a href>`, `<br>`): people's `&`, `<`, `>` stay
 * entities, so they show as typed and open no tag.
 */
export function mrkdwnToChatHtml(mrkdwn: string): string {
  return withEmoji(mrkdwn)
    .replace(/"/g, '&quot;')
    .replace(LINK, (_all, url: string, label: string) => `<a href="${url}">${label}</a>`)
    .replace(BOLD, '<b>$1</b>')
    .replace(/\n/g, '<br>');
}

/** Chat's text formatting is Slack's (`*bold*`, `<url|label>`, the same three escapes). */
export function chatText(message: SlackMessage): string {
  const text = withEmoji(message.text).trim();
  return text === '' ? 'Governed Path notification' : text;
}

interface ChatWidget {
  decoratedText?: { topLabel: string; text: string; wrapText: boolean };
  textParagraph?: { text: string };
  buttonList?: { buttons: { text: string; onClick: { openLink: { url: string } } }[] };
}

export interface ChatMessage {
  /** Shown above the cards, so only for a message without one. */
  text?: string;
  /** What Chat shows in a notification for a card message. */
  fallbackText?: string;
  cardsV2?: {
    cardId: string;
    card: {
      header: { title: string; subtitle: string };
      sections: { widgets: ChatWidget[] }[];
    };
  }[];
  thread?: { threadKey: string };
}

/** A field of an entry, written `*Label*\nvalue` by the builders. */
function splitField(text: string): { label: string; value: string } | null {
  const m = /^\*([^*\n]+)\*\n([\s\S]*)$/.exec(text);
  return m ? { label: decodeEntities(m[1]), value: m[2] } : null;
}

function firstLink(blocks: readonly Block[]): string | null {
  for (const b of blocks) {
    for (const t of [b.text, ...(b.fields ?? []), ...(b.elements ?? [])]) {
      if (!t || t.type !== 'mrkdwn') continue;
      const m = new RegExp(LINK.source).exec(t.text);
      if (m) return m[1];
    }
  }
  return null;
}

export const OPEN_LABEL = 'Open in the registry';

export function chatMessage(message: SlackMessage, thread?: string): ChatMessage {
  const text = chatText(message);
  const blocks = message.blocks ?? [];
  const out: ChatMessage = {};
  if (thread) out.thread = { threadKey: thread };
  if (blocks.length === 0) return { text, ...out };
  // Chat shows a message's text above its card: a card message carries its summary as the
  // notification's fallback instead, so it reads once.
  out.fallbackText = text;
  const title = blocks.find((b) => b.type === 'header')?.text?.text ?? 'Governed Path';
  const widgets: ChatWidget[] = [];
  for (const b of blocks) {
    if (b.type === 'section') {
      if (b.text) widgets.push({ textParagraph: { text: mrkdwnToChatHtml(b.text.text) } });
      for (const f of b.fields ?? []) {
        const field = splitField(f.text);
        widgets.push(
          field
            ? {
                decoratedText: {
                  topLabel: field.label,
                  text: mrkdwnToChatHtml(field.value),
                  wrapText: true,
                },
              }
            : { textParagraph: { text: mrkdwnToChatHtml(f.text) } },
        );
      }
    } else if (b.type === 'context') {
      for (const e of b.elements ?? [])
        widgets.push({
          textParagraph: { text: `<font color="#5f6368">${mrkdwnToChatHtml(e.text)}</font>` },
        });
    }
  }
  const url = firstLink(blocks);
  if (url)
    widgets.push({
      buttonList: { buttons: [{ text: OPEN_LABEL, onClick: { openLink: { url } } }] },
    });
  out.cardsV2 = [
    {
      cardId: 'governed-path',
      card: {
        header: { title: withEmoji(title).slice(0, 200), subtitle: 'Governed Path' },
        // Chat allows 100 widgets a card; builders never come near.
        sections: [{ widgets: widgets.slice(0, 100) }],
      },
    },
  ];
  return out;
}

// ---------------------------------------------------------------- Microsoft Teams

/** Teams' Markdown subset: every character that could start emphasis, a link or a tag. */
export function escapeMarkdown(text: string): string {
  return text.replace(/[\\`*_{}[\]()<>#+!|~]/g, '\\$&');
}

/**
 * mrkdwn as Teams Markdown: our links and bold kept, everything else (people's words) decoded
 * and escaped, so `[click](http://evil)` or `<at>…</at>` shows as typed.
 */
export function mrkdwnToTeams(mrkdwn: string): string {
  const out: string[] = [];
  const text = withEmoji(mrkdwn);
  const token = /<(https:\/\/[^\s<>|]+)\|([^>]*)>|\*([^*\n]+)\*/g;
  let at = 0;
  for (let m = token.exec(text); m !== null; m = token.exec(text)) {
    out.push(escapeMarkdown(decodeEntities(text.slice(at, m.index))));
    if (m[1] !== undefined) out.push(`[${escapeMarkdown(decodeEntities(m[2]))}](${m[1]})`);
    else out.push(`**${escapeMarkdown(decodeEntities(m[3]))}**`);
    at = m.index + m[0].length;
  }
  out.push(escapeMarkdown(decodeEntities(text.slice(at))));
  // Teams joins single line breaks: a blank line keeps them apart.
  return out.join('').replace(/\n/g, '\n\n');
}

type TeamsElement =
  | {
      type: 'TextBlock';
      text: string;
      wrap: true;
      weight?: 'Bolder';
      size?: 'Medium' | 'Small';
      isSubtle?: boolean;
    }
  | { type: 'FactSet'; facts: { title: string; value: string }[] };

export interface TeamsMessage {
  type: 'message';
  attachments: {
    contentType: 'application/vnd.microsoft.card.adaptive';
    contentUrl: null;
    content: {
      $schema: string;
      type: 'AdaptiveCard';
      version: '1.4';
      body: TeamsElement[];
      actions?: { type: 'Action.OpenUrl'; title: string; url: string }[];
      msteams: { width: 'Full' };
    };
  }[];
}

export function teamsMessage(message: SlackMessage): TeamsMessage {
  const blocks = message.blocks ?? [];
  const body: TeamsElement[] = [];
  if (blocks.length === 0) {
    body.push({ type: 'TextBlock', text: mrkdwnToTeams(chatText(message)), wrap: true });
  }
  for (const b of blocks) {
    if (b.type === 'header' && b.text) {
      body.push({
        type: 'TextBlock',
        text: escapeMarkdown(withEmoji(b.text.text)),
        wrap: true,
        weight: 'Bolder',
        size: 'Medium',
      });
    } else if (b.type === 'section') {
      if (b.text) body.push({ type: 'TextBlock', text: mrkdwnToTeams(b.text.text), wrap: true });
      const facts = (b.fields ?? []).map((f) => {
        const field = splitField(f.text);
        return field
          ? { title: escapeMarkdown(field.label), value: mrkdwnToTeams(field.value) }
          : { title: '', value: mrkdwnToTeams(f.text) };
      });
      if (facts.length > 0) body.push({ type: 'FactSet', facts });
    } else if (b.type === 'context') {
      for (const e of b.elements ?? [])
        body.push({
          type: 'TextBlock',
          text: mrkdwnToTeams(e.text),
          wrap: true,
          isSubtle: true,
          size: 'Small',
        });
    }
  }
  const url = firstLink(blocks);
  return {
    type: 'message',
    attachments: [
      {
        contentType: 'application/vnd.microsoft.card.adaptive',
        contentUrl: null,
        content: {
          $schema: 'http://adaptivecards.io/schemas/adaptive-card.json',
          type: 'AdaptiveCard',
          version: '1.4',
          body,
          ...(url
            ? { actions: [{ type: 'Action.OpenUrl' as const, title: OPEN_LABEL, url }] }
            : {}),
          msteams: { width: 'Full' },
        },
      },
    ],
  };
}
