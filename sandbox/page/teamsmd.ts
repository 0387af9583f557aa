/**
 * The Markdown subset Adaptive Cards take in Teams (TextBlock and FactSet text), to DOM:
 * `**bold**`, `_italic_`, `[label](url)`, lines starting `- ` or `* ` as bullets and `1. ` as
 * numbered items. A backslash before a Markdown character shows that character as it is
 * (`\[click\](http://x)` is text, not a link). Nothing is ever parsed as HTML.
 */

/** Characters a backslash escapes in CommonMark. */
const ESCAPABLE = /\\([!-/:-@[-`{-~])/g;
const BASE = 0xe000;

/** The text with each escaped character swapped for a private-use placeholder. */
function protect(text: string): { text: string; restore: (s: string) => string } {
  const escaped: string[] = [];
  const protectedText = text.replace(ESCAPABLE, (_m, c: string) => {
    escaped.push(c);
    return String.fromCharCode(BASE + escaped.length - 1);
  });
  const restore = (s: string) =>
    escaped.length === 0
      ? s
      : s.replace(/[\ue000-\uf8ff]/g, (c) => escaped[c.charCodeAt(0) - BASE] ?? c);
  return { text: protectedText, restore };
}

const INLINE =
  /\*\*(.+?)\*\*|(?<![A-Za-z0-9_])_(.+?)_(?![A-Za-z0-9_])|\[([^\]\n]+)\]\(([^()\s]+)\)/g;

function inline(text: string, restore: (s: string) => string): Node[] {
  const nodes: Node[] = [];
  const re = new RegExp(INLINE.source, 'g');
  let at = 0;
  for (let m = re.exec(text); m; m = re.exec(text)) {
    if (m.index > at) nodes.push(document.createTextNode(restore(text.slice(at, m.index))));
    if (m[1] !== undefined) {
      const b = document.createElement('strong');
      b.append(...inline(m[1], restore));
      nodes.push(b);
    } else if (m[2] !== undefined) {
      const i = document.createElement('em');
      i.append(...inline(m[2], restore));
      nodes.push(i);
    } else {
      const a = document.createElement('a');
      const url = restore(m[4]);
      if (/^https?:\/\//i.test(url)) a.href = url;
      a.target = '_blank';
      a.rel = 'noopener noreferrer';
      a.append(...inline(m[3], restore));
      nodes.push(a);
    }
    at = m.index + m[0].length;
  }
  if (at < text.length) nodes.push(document.createTextNode(restore(text.slice(at))));
  return nodes;
}

/** One TextBlock's or fact's text as Teams shows it. */
export function teamsMarkdown(source: string): DocumentFragment {
  const fragment = document.createDocumentFragment();
  const { text, restore } = protect(source.replace(/\r\n?/g, '\n'));
  let list: HTMLElement | null = null;
  let first = true;
  for (const line of text.split('\n')) {
    const bullet = /^\s*[-*]\s+(.*)$/.exec(line);
    const numbered = /^\s*(\d{1,9})\.\s+(.*)$/.exec(line);
    if (bullet || numbered) {
      const tag = bullet ? 'ul' : 'ol';
      if (!list || list.tagName.toLowerCase() !== tag) {
        list = document.createElement(tag);
        if (numbered && numbered[1] !== '1') list.setAttribute('start', numbered[1]);
        fragment.append(list);
      }
      const li = document.createElement('li');
      li.append(...inline(bullet ? bullet[1] : numbered![2], restore));
      list.append(li);
      first = false;
      continue;
    }
    if (!list && !first) fragment.append(document.createElement('br'));
    list = null;
    fragment.append(...inline(line, restore));
    first = false;
  }
  return fragment;
}
