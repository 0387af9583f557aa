/** Minimal DOM helpers: text is always set as text, so nothing a person typed becomes markup. */
export function el<K extends keyof HTMLElementTagNameMap>(
  tag: K,
  attrs: Record<string, string> = {},
  ...children: (Node | string | null | undefined)[]
): HTMLElementTagNameMap[K] {
  const node = document.createElement(tag);
  for (const [name, value] of Object.entries(attrs)) node.setAttribute(name, value);
  for (const child of children) {
    if (child === null || child === undefined) continue;
    node.append(typeof child === 'string' ? document.createTextNode(child) : child);
  }
  return node;
}

/** A banner: an error is an alert (read out at once), anything else a status. */
export function alertBox(message: string, kind: 'error' | 'info' = 'error'): HTMLElement {
  return el('p', { class: `banner ${kind}`, role: kind === 'error' ? 'alert' : 'status' }, message);
}

/** An Approval word (or a stage) in the colour the Registry gives it. */
export function badge(text: string): HTMLElement {
  return el('span', { class: `badge badge-${text.toLowerCase().replace(/\s+/g, '-')}` }, text);
}

export function button(label: string, onClick: () => void, cls = ''): HTMLButtonElement {
  const b = el('button', { type: 'button', class: cls }, label);
  b.addEventListener('click', onClick);
  return b;
}
