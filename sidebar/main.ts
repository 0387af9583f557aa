import type { SidebarData } from '../src/api';
import { el } from './dom';
import { call, failureMessage } from './server';
import './styles.css';

function render(app: HTMLElement, ...nodes: Node[]): void {
  app.replaceChildren(...nodes);
}

function home(data: SidebarData): Node[] {
  const approved = data.tools.filter((t) => t.status === 'Approved');
  return [
    el('h1', {}, 'Governed Path'),
    el(
      'p',
      { class: 'muted', id: 'signed-in' },
      data.user ? `Signed in as ${data.user}` : 'Signed in',
    ),
    el(
      'section',
      { 'aria-labelledby': 'tiers-title' },
      el('h2', { id: 'tiers-title' }, 'Data tiers'),
      el(
        'ul',
        { class: 'tiers' },
        ...data.tiers.map((t) =>
          el(
            'li',
            { class: `tier tier-${t.level}` },
            el('strong', {}, t.tier),
            el('span', {}, t.summary),
          ),
        ),
      ),
    ),
    el(
      'section',
      { 'aria-labelledby': 'tools-title' },
      el('h2', { id: 'tools-title' }, 'Approved AI tools'),
      approved.length === 0
        ? el(
            'p',
            { class: 'muted' },
            'No AI tool is approved yet: the security team is reviewing them.',
          )
        : el('ul', {}, ...approved.map((t) => el('li', {}, `${t.tool} (${t.vendor})`))),
    ),
  ];
}

async function start(): Promise<void> {
  const app = document.getElementById('app');
  if (!app) return;
  try {
    render(app, ...home(await call('getSidebarData')));
  } catch (error) {
    render(app, el('p', { class: 'error', role: 'alert' }, failureMessage(error)));
  }
}

void start();
