/**
 * Slack mrkdwn to DOM, for the Slack panel: `<url|label>` links, `<!channel>` and `<@U1>`
 * mentions, *bold*, _italic_, ~strike~, `code`, and the &amp; &lt; &gt; entities. Everything
 * becomes text nodes and elements: nothing a message says is ever parsed as HTML.
 */
const ENTITIES: Record<string, string> = { '&amp;': '&', '&lt;': '<', '&gt;': '>' };
const decode = (s: string) => s.replace(/&(amp|lt|gt);/g, (m) => ENTITIES[m]);

function styled(text: string): Node[] {
  const nodes: Node[] = [];
  const re = /\*([^*\n]+)\*|_([^_\n]+)_|~([^~\n]+)~|`([^`\n]+)`|\n/g;
  let at = 0;
  for (let m = re.exec(text); m; m = re.exec(text)) {
    if (m.index > at) nodes.push(document.createTextNode(decode(text.slice(at, m.index))));
    if (m[0] === '\n') nodes.push(document.createElement('br'));
    else {
      const tag = m[1] ? 'strong' : m[2] ? 'em' : m[3] ? 's' : 'code';
      const el = document.createElement(tag);
      el.textContent = decode(m[1] ?? m[2] ?? m[3] ?? m[4]);
      nodes.push(el);
    }
    at = m.index + m[0].length;
  }
  if (at < text.length) nodes.push(document.createTextNode(decode(text.slice(at))));
  return nodes;
}

export function mrkdwn(text: string): DocumentFragment {
  const fragment = document.createDocumentFragment();
  const re = /<([^<>]+)>/g;
  let at = 0;
  for (let m = re.exec(text); m; m = re.exec(text)) {
    fragment.append(...styled(text.slice(at, m.index)));
    const [target, label] = m[1].split('|');
    if (target.startsWith('!') || target.startsWith('@') || target.startsWith('#')) {
      const mention = document.createElement('span');
      mention.className = 'mention';
      mention.textContent = label ?? (target.startsWith('!') ? `@${target.slice(1)}` : target);
      fragment.append(mention);
    } else {
      const link = document.createElement('a');
      const url = decode(target);
      if (/^https?:\/\//i.test(url)) link.href = url;
      link.target = '_blank';
      link.rel = 'noopener noreferrer';
      link.textContent = decode(label ?? target);
      fragment.append(link);
    }
    at = m.index + m[0].length;
  }
  fragment.append(...styled(text.slice(at)));
  return fragment;
}
