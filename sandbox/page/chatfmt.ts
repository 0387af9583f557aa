/**
 * Google Chat's two text formats, to DOM, for the Chat panel. Everything becomes text nodes and
 * elements built here: nothing a message says is ever parsed as HTML by the browser.
 *
 * - chatText: a message's `text` (`*bold*`, `_italic_`, `~strike~`, `` `code` ``,
 *   `<url|label>`, `<users/all>` mentions, and the &lt; &gt; &amp; entities).
 * - chatHtml: card text (decoratedText, textParagraph): Chat's HTML subset `<b> <i> <u> <s>
 *   <br> <a href> <font color>`; any other tag is shown as the text it is.
 */

const NAMED: Record<string, string> = {
  amp: '&',
  lt: '<',
  gt: '>',
  quot: '"',
  apos: "'",
  nbsp: '\u00a0',
};

/** HTML character references: the named few above and numeric ones. */
export function decodeEntities(s: string): string {
  return s.replace(/&(#x[0-9a-f]{1,6}|#[0-9]{1,7}|[a-z]+);/gi, (m, ref: string) => {
    if (ref[0] === '#') {
      const code =
        ref[1] === 'x' || ref[1] === 'X' ? parseInt(ref.slice(2), 16) : Number(ref.slice(1));
      return code > 0 && code <= 0x10ffff ? String.fromCodePoint(code) : m;
    }
    return NAMED[ref.toLowerCase()] ?? m;
  });
}

const isWebLink = (url: string) => /^https?:\/\/[^\s]+$/i.test(url);

function link(url: string, label: Node[] | string): HTMLAnchorElement {
  const a = document.createElement('a');
  if (isWebLink(url)) a.href = url;
  a.target = '_blank';
  a.rel = 'noopener noreferrer';
  a.append(...(typeof label === 'string' ? [label] : label));
  return a;
}

/** Chat's inline styles in plain text: *bold*, _italic_, ~strike~, `code`, line breaks. */
function styled(text: string): Node[] {
  const nodes: Node[] = [];
  const re = /```([\s\S]+?)```|\*([^*\n]+)\*|_([^_\n]+)_|~([^~\n]+)~|`([^`\n]+)`|\n/g;
  let at = 0;
  for (let m = re.exec(text); m; m = re.exec(text)) {
    if (m.index > at) nodes.push(document.createTextNode(decodeEntities(text.slice(at, m.index))));
    if (m[0] === '\n') nodes.push(document.createElement('br'));
    else if (m[1] !== undefined) {
      const pre = document.createElement('pre');
      pre.textContent = decodeEntities(m[1]);
      nodes.push(pre);
    } else {
      const tag = m[2] ? 'strong' : m[3] ? 'em' : m[4] ? 's' : 'code';
      const el = document.createElement(tag);
      el.textContent = decodeEntities(m[2] ?? m[3] ?? m[4] ?? m[5]);
      nodes.push(el);
    }
    at = m.index + m[0].length;
  }
  if (at < text.length) nodes.push(document.createTextNode(decodeEntities(text.slice(at))));
  return nodes;
}

/** A message's text as the Chat client shows it. */
export function chatText(text: string): DocumentFragment {
  const fragment = document.createDocumentFragment();
  const re = /<([^<>\s][^<>]*)>/g;
  let at = 0;
  for (let m = re.exec(text); m; m = re.exec(text)) {
    fragment.append(...styled(text.slice(at, m.index)));
    const [target, label] = m[1].split('|');
    if (/^users\/[A-Za-z0-9_-]+$/.test(target)) {
      const mention = document.createElement('span');
      mention.className = 'mention';
      mention.textContent = target === 'users/all' ? '@all' : `@${label ?? target.slice(6)}`;
      fragment.append(mention);
    } else if (isWebLink(decodeEntities(target))) {
      fragment.append(link(decodeEntities(target), decodeEntities(label ?? target)));
    } else {
      // Not something Chat links or mentions: the characters as they are.
      fragment.append(document.createTextNode(decodeEntities(m[0])));
    }
    at = m.index + m[0].length;
  }
  fragment.append(...styled(text.slice(at)));
  return fragment;
}

const TAG =
  /<(\/?)(b|i|u|s|br|a|font)((?:\s+[a-z-]+(?:\s*=\s*(?:"[^"]*"|'[^']*'|[^\s>"']+))?)*)\s*\/?>/gi;
const ATTR = /([a-z-]+)(?:\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\s>"']+)))?/gi;
/** Colours <font color> may set: #rgb, #rrggbb or a CSS colour name. */
const COLOUR = /^(#[0-9a-f]{3}|#[0-9a-f]{6}|[a-z]{3,20})$/i;

function attributes(text: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (let m = ATTR.exec(text); m; m = ATTR.exec(text))
    out[m[1].toLowerCase()] = decodeEntities(m[2] ?? m[3] ?? m[4] ?? '');
  ATTR.lastIndex = 0;
  return out;
}

/** Card text as the Chat client shows it: the HTML subset only; other tags as text. */
export function chatHtml(text: string): DocumentFragment {
  const fragment = document.createDocumentFragment();
  const open: { tag: string; el: Node }[] = [{ tag: '', el: fragment }];
  const top = () => open[open.length - 1].el;
  const addText = (s: string) => {
    if (s) top().appendChild(document.createTextNode(decodeEntities(s)));
  };
  let at = 0;
  TAG.lastIndex = 0;
  for (let m = TAG.exec(text); m; m = TAG.exec(text)) {
    addText(text.slice(at, m.index));
    at = m.index + m[0].length;
    const closing = m[1] === '/';
    const tag = m[2].toLowerCase();
    if (tag === 'br') {
      top().appendChild(document.createElement('br'));
      continue;
    }
    if (closing) {
      const i = open.map((o) => o.tag).lastIndexOf(tag);
      if (i > 0) open.length = i;
      else addText(m[0].replace(/&/g, '&amp;')); // a stray closing tag: shown as typed
      continue;
    }
    const attrs = attributes(m[3]);
    let el: HTMLElement;
    if (tag === 'a') {
      el = link(attrs.href ?? '', []);
    } else if (tag === 'font') {
      el = document.createElement('span');
      if (attrs.color && COLOUR.test(attrs.color)) el.style.color = attrs.color;
    } else {
      el = document.createElement(tag);
    }
    top().appendChild(el);
    open.push({ tag, el });
  }
  addText(text.slice(at));
  return fragment;
}
