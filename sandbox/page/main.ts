import type { UiRecord } from '../gas/exec';
import type { ChartView } from '../gas/runtime';
import type { MenuEntry } from '../gas/spreadsheet';
import { renderChart } from './charts';
import { mrkdwn } from './mrkdwn';
import './page.css';

/** The sandbox page: a spreadsheet-like view of the runtime, driven through the JSON API. */

interface SlackMessage {
  receivedAt: string;
  sentAt?: string;
  payload: { text?: string; blocks?: Block[] };
}
interface Block {
  type: string;
  text?: { type: string; text: string };
  fields?: { type: string; text: string }[];
  elements?: { type: string; text?: string }[];
}
interface Mail {
  at: string;
  to: string;
  subject: string;
  body: string;
}
interface State {
  now: string;
  user: string;
  people: Record<string, string>;
  timeZone: string;
  sheets: string[];
  menus: MenuEntry[];
  slack: { messages: SlackMessage[]; failed: number };
  mail: Mail[];
  failures: { fn: string; at: string; error: string }[];
}
interface SheetView {
  charts?: ChartView[];
  values: string[][];
  formulas: string[][];
  backgrounds: (string | null)[][];
  notes: string[][];
  /** Columns the add-on hides (the seal), as Sheets hides them. */
  hiddenColumns?: number[];
}

const root = document.getElementById('root')!;
let state: State;
let sheetName = 'Registry';
let view: SheetView = { values: [], formulas: [], backgrounds: [], notes: [] };
let selected = { row: 2, col: 1 };
let editing = false;

async function api<T>(method: string, path: string, body?: unknown): Promise<T> {
  const res = await fetch(path, {
    method,
    headers: body === undefined ? {} : { 'Content-Type': 'application/json' },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const data = (await res.json()) as T & { error?: string };
  if (!res.ok) throw new Error(data.error ?? `HTTP ${res.status}`);
  return data;
}

function h<K extends keyof HTMLElementTagNameMap>(
  tag: K,
  attrs: Record<string, string> = {},
  ...children: (Node | string)[]
): HTMLElementTagNameMap[K] {
  const el = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs)) el.setAttribute(k, v);
  el.append(...children);
  return el;
}

const letters = (col: number): string => {
  let s = '';
  for (let n = col; n > 0; n = Math.floor((n - 1) / 26))
    s = String.fromCharCode(65 + ((n - 1) % 26)) + s;
  return s;
};
const a1 = (row: number, col: number) => `${letters(col)}${row}`;

function status(message: string, kind: 'info' | 'warn' | 'error' = 'info'): void {
  const bar = document.getElementById('status')!;
  bar.textContent = message;
  bar.className = `status ${kind}`;
}

function formatNow(iso: string): string {
  return new Intl.DateTimeFormat('en-CA', {
    timeZone: state.timeZone,
    weekday: 'short',
    year: 'numeric',
    month: '2-digit',
    day: '2-digit',
    hour: '2-digit',
    minute: '2-digit',
    hourCycle: 'h23',
  }).format(new Date(iso));
}

// ------------------------------------------------------------------ layout

function layout(): void {
  root.replaceChildren(
    h(
      'header',
      { class: 'topbar' },
      h('span', { class: 'brand' }, 'Governed Path', h('small', {}, ' sandbox')),
      h('nav', { id: 'menubar', class: 'menubar', 'aria-label': 'Menus' }),
      h('span', { class: 'spacer' }),
      h(
        'label',
        { class: 'user' },
        'Acting as ',
        h('select', { id: 'user', 'aria-label': 'Acting as' }),
      ),
      h(
        'span',
        { class: 'clock' },
        h('span', { id: 'now', 'aria-label': 'Sandbox time' }),
        h('button', { id: 'plus-day', type: 'button' }, '+1 day'),
        h('button', { id: 'plus-week', type: 'button' }, '+1 week'),
        h('button', { id: 'next-quarter', type: 'button' }, 'Next quarter'),
      ),
    ),
    h(
      'div',
      { class: 'workspace' },
      h(
        'main',
        { class: 'sheet-area' },
        h('div', { id: 'formula', class: 'formula-bar' }),
        h('div', { id: 'grid', class: 'grid', tabindex: '0', 'aria-label': 'Sheet' }),
        h('nav', { id: 'tabs', class: 'tabs', 'aria-label': 'Sheets' }),
      ),
      h(
        'aside',
        { class: 'side' },
        h('section', { id: 'sidebar-panel', class: 'panel sidebar-panel', hidden: '' }),
        h(
          'section',
          { class: 'panel' },
          h('h2', {}, 'Slack ', h('small', { id: 'slack-channel' }, '#security-updates')),
          h('div', { id: 'slack', class: 'slack' }),
        ),
        h(
          'section',
          { class: 'panel' },
          h('h2', {}, 'Mail outbox'),
          h('div', { id: 'mail', class: 'mail' }),
        ),
      ),
    ),
    h('footer', { id: 'status', class: 'status', role: 'status' }),
    h('div', { id: 'modal', class: 'modal', hidden: '' }),
  );
  document.getElementById('plus-day')!.onclick = () => void clock({ advance: 'P1D' });
  document.getElementById('plus-week')!.onclick = () => void clock({ advance: 'P1W' });
  document.getElementById('next-quarter')!.onclick = () =>
    void clock({ to: nextQuarter(state.now) });
  document.getElementById('user')!.onchange = (e) =>
    void switchUser((e.target as HTMLSelectElement).value);
  const grid = document.getElementById('grid')!;
  grid.addEventListener('keydown', onGridKey);
  grid.addEventListener('paste', (e) => void onPaste(e));
}

/** The first day of the next quarter, 09:00 New York time (the sandbox spreadsheet's zone). */
function nextQuarter(nowIso: string): string {
  const now = new Date(nowIso);
  const month = now.getUTCMonth();
  const year = now.getUTCFullYear() + (month >= 9 ? 1 : 0);
  const start = ((Math.floor(month / 3) + 1) % 4) * 3;
  return `${year}-${String(start + 1).padStart(2, '0')}-01T14:00:00Z`;
}

// ------------------------------------------------------------------ rendering

function renderTop(): void {
  document.getElementById('now')!.textContent = formatNow(state.now);
  const select = document.getElementById('user') as HTMLSelectElement;
  const people = new Set([
    ...Object.values(state.people),
    state.user,
    'sam@example.com',
    'priya@example.com',
  ]);
  select.replaceChildren(
    ...[...people].map((p) =>
      h('option', p === state.user ? { value: p, selected: '' } : { value: p }, p),
    ),
    h('option', { value: '__other' }, 'Someone else…'),
  );
  renderMenus();
  const tabs = document.getElementById('tabs')!;
  tabs.replaceChildren(
    ...state.sheets.map((name) => {
      const tab = h(
        'button',
        { type: 'button', class: name === sheetName ? 'tab active' : 'tab', role: 'tab' },
        name,
      );
      tab.onclick = () => {
        sheetName = name;
        selected = { row: 2, col: 1 };
        void refresh();
      };
      return tab;
    }),
  );
  renderSlack();
  renderMail();
  if (state.failures.length > 0) {
    const last = state.failures[state.failures.length - 1];
    status(`A trigger failed: ${last.fn}: ${last.error}`, 'error');
  }
}

function closeMenus(): void {
  document.querySelectorAll('.menu.open').forEach((m) => m.classList.remove('open'));
}

function menuList(entries: MenuEntry[], path: string[]): HTMLElement {
  const list = h('ul', { class: 'menu-list', role: 'menu' });
  for (const entry of entries) {
    if (entry === 'separator') {
      list.append(h('li', { class: 'separator', role: 'separator' }));
      continue;
    }
    if (entry.submenu) {
      const item = h(
        'li',
        { class: 'has-submenu', role: 'menuitem', tabindex: '-1' },
        entry.caption,
      );
      item.append(menuList(entry.submenu, [...path, entry.caption]));
      list.append(item);
      continue;
    }
    const item = h('li', { role: 'menuitem', tabindex: '0' }, entry.caption);
    const itemPath = [...path, entry.caption].join(' > ');
    item.onclick = (e) => {
      e.stopPropagation();
      closeMenus();
      void clickMenu(itemPath);
    };
    item.onkeydown = (e) => {
      if (e.key === 'Enter') item.click();
    };
    list.append(item);
  }
  return list;
}

function renderMenus(): void {
  const bar = document.getElementById('menubar')!;
  bar.replaceChildren(
    ...state.menus
      .filter((m): m is Exclude<MenuEntry, 'separator'> => m !== 'separator')
      .map((menu) => {
        const button = h(
          'button',
          { type: 'button', class: 'menu-button', 'aria-haspopup': 'true' },
          menu.caption,
        );
        const wrap = h('div', { class: 'menu' }, button, menuList(menu.submenu ?? [], []));
        button.onclick = (e) => {
          e.stopPropagation();
          const open = wrap.classList.contains('open');
          closeMenus();
          if (!open) wrap.classList.add('open');
        };
        return wrap;
      }),
  );
}

function renderGrid(): void {
  const grid = document.getElementById('grid')!;
  const rows = Math.max(view.values.length + 5, 30);
  const cols = Math.max(view.values[0]?.length ?? 0, 8) + 1;
  const table = h('table', { class: 'cells' });
  const head = h('tr', {}, h('th', { class: 'corner' }));
  const hidden = new Set(view.hiddenColumns ?? []);
  for (let c = 1; c <= cols; c++)
    if (!hidden.has(c)) head.append(h('th', { class: 'col-head' }, letters(c)));
  table.append(h('thead', {}, head));
  const body = h('tbody');
  for (let r = 1; r <= rows; r++) {
    const tr = h('tr', {}, h('th', { class: 'row-head' }, String(r)));
    for (let c = 1; c <= cols; c++) {
      if (hidden.has(c)) continue;
      const value = view.values[r - 1]?.[c - 1] ?? '';
      const note = view.notes[r - 1]?.[c - 1] ?? '';
      const bg = view.backgrounds[r - 1]?.[c - 1];
      const td = h('td', { 'data-cell': a1(r, c), title: note || value }, value);
      if (bg) td.style.background = bg;
      if (bg && isDark(bg)) td.classList.add('dark');
      if (r === 1) td.classList.add('header-cell');
      if (note) td.classList.add('has-note');
      if (r === selected.row && c === selected.col) td.classList.add('selected');
      td.onclick = () => select(r, c);
      td.ondblclick = () => startEdit();
      tr.append(td);
    }
    body.append(tr);
  }
  table.append(body);
  const charts = view.charts ?? [];
  grid.replaceChildren(
    ...(charts.length
      ? [h('div', { class: 'charts', 'aria-label': 'Charts' }, ...charts.map(renderChart))]
      : []),
    table,
  );
  showFormula();
}

function isDark(color: string): boolean {
  const m = /^#([0-9a-f]{6})$/i.exec(color);
  if (!m) return false;
  const n = parseInt(m[1], 16);
  return ((n >> 16) & 255) * 0.299 + ((n >> 8) & 255) * 0.587 + (n & 255) * 0.114 < 140;
}

function showFormula(): void {
  const { row, col } = selected;
  const formula = view.formulas[row - 1]?.[col - 1] || view.values[row - 1]?.[col - 1] || '';
  document
    .getElementById('formula')!
    .replaceChildren(h('span', { class: 'ref' }, a1(row, col)), h('span', {}, formula));
}

function select(row: number, col: number): void {
  selected = { row: Math.max(1, row), col: Math.max(1, col) };
  document.querySelectorAll('td.selected').forEach((td) => td.classList.remove('selected'));
  const td = document.querySelector(`td[data-cell="${a1(selected.row, selected.col)}"]`);
  td?.classList.add('selected');
  td?.scrollIntoView({ block: 'nearest', inline: 'nearest' });
  showFormula();
  document.getElementById('grid')!.focus();
}

function renderSlack(): void {
  const box = document.getElementById('slack')!;
  const messages = state.slack.messages;
  if (messages.length === 0) {
    box.replaceChildren(
      h('p', { class: 'empty' }, 'No messages yet. New registrations and alerts appear here.'),
    );
    return;
  }
  box.replaceChildren(
    ...messages
      .slice()
      .reverse()
      .map((m) => {
        const card = h(
          'article',
          { class: 'slack-message' },
          h(
            'div',
            { class: 'slack-meta' },
            'Governed Path',
            h('time', {}, formatNow(m.sentAt ?? m.receivedAt)),
          ),
        );
        const blocks = m.payload.blocks ?? [];
        if (blocks.length === 0)
          card.append(h('div', { class: 'slack-text' }, mrkdwn(m.payload.text ?? '')));
        for (const block of blocks) card.append(renderBlock(block));
        return card;
      }),
  );
  if (state.slack.failed > 0)
    box.prepend(
      h(
        'p',
        { class: 'empty' },
        `${state.slack.failed} post(s) answered with an injected failure.`,
      ),
    );
}

function renderBlock(block: Block): Node {
  switch (block.type) {
    case 'header':
      return h('div', { class: 'slack-header' }, block.text?.text ?? '');
    case 'divider':
      return h('hr');
    case 'context':
      return h(
        'div',
        { class: 'slack-context' },
        ...(block.elements ?? []).map((e) => h('span', {}, mrkdwn(e.text ?? ''))),
      );
    default: {
      const section = h('div', { class: 'slack-section' });
      if (block.text) section.append(h('div', {}, mrkdwn(block.text.text)));
      if (block.fields)
        section.append(
          h(
            'div',
            { class: 'slack-fields' },
            ...block.fields.map((f) => h('div', {}, mrkdwn(f.text))),
          ),
        );
      return section;
    }
  }
}

function renderMail(): void {
  const box = document.getElementById('mail')!;
  if (state.mail.length === 0) {
    box.replaceChildren(h('p', { class: 'empty' }, 'No mail sent yet.'));
    return;
  }
  box.replaceChildren(
    ...state.mail
      .slice()
      .reverse()
      .map((m) =>
        h(
          'details',
          { class: 'mail-item' },
          h('summary', {}, h('strong', {}, m.subject), h('span', {}, ` to ${m.to}`)),
          h('pre', {}, m.body),
        ),
      ),
  );
}

// ------------------------------------------------------------------ what the add-on shows

function bridged(html: string): string {
  const script = `<script src="/bridge.js?user=${encodeURIComponent(state.user)}"></script>`;
  return /<head>/i.test(html) ? html.replace(/<head>/i, `<head>${script}`) : script + html;
}

function showUi(records: UiRecord[]): void {
  for (const record of records) {
    if (record.type === 'toast')
      status(record.title ? `${record.title}: ${record.message}` : record.message);
    else if (record.type === 'sidebar') {
      const panel = document.getElementById('sidebar-panel')!;
      const close = h(
        'button',
        { type: 'button', class: 'close', 'aria-label': 'Close sidebar' },
        '×',
      );
      close.onclick = () => panel.setAttribute('hidden', '');
      const frame = h('iframe', { title: record.title || 'Sidebar', class: 'sidebar-frame' });
      frame.srcdoc = bridged(record.html ?? '');
      panel.replaceChildren(
        h('div', { class: 'panel-title' }, h('span', {}, record.title || 'Sidebar'), close),
        frame,
      );
      panel.removeAttribute('hidden');
    } else modal(record);
  }
}

function modal(record: UiRecord): void {
  const box = document.getElementById('modal')!;
  const ok = h('button', { type: 'button', class: 'primary' }, 'OK');
  ok.onclick = () => box.setAttribute('hidden', '');
  const content: Node =
    record.type === 'dialog'
      ? Object.assign(h('iframe', { class: 'dialog-frame', title: record.title }), {
          srcdoc: bridged(record.html ?? ''),
        })
      : h('p', { class: record.type === 'error' ? 'message error' : 'message' }, record.message);
  box.replaceChildren(
    h(
      'div',
      {
        class: 'dialog',
        role: 'alertdialog',
        'aria-modal': 'true',
        'aria-label': record.title || 'Message',
      },
      h('h3', {}, record.type === 'error' ? 'Error' : record.title || 'Governed Path'),
      content,
      h('div', { class: 'actions' }, ok),
    ),
  );
  box.removeAttribute('hidden');
  ok.focus();
}

// ------------------------------------------------------------------ actions

async function refresh(): Promise<void> {
  state = await api<State>('GET', '/api/state');
  if (!state.sheets.includes(sheetName)) sheetName = state.sheets[0];
  view = await api<SheetView>('GET', `/api/sheets/${encodeURIComponent(sheetName)}`);
  renderTop();
  if (!editing) renderGrid(); // never pull the cell someone is typing in from under them
}

/** Edits reach the server one at a time, in the order people make them. */
let pending: Promise<void> = Promise.resolve();
function edit(range: string, values: string[][]): Promise<void> {
  pending = pending.then(() => sendEdit(range, values));
  return pending;
}

async function sendEdit(range: string, values: string[][]): Promise<void> {
  try {
    const result = await api<{
      ok: boolean;
      refused: string | null;
      warnings: string[];
      invalid: string[];
      executions: { ok: boolean; fn: string; error: string | null; toasts: string[] }[];
    }>('POST', '/api/edit', { sheet: sheetName, range, values, user: state.user });
    await refresh();
    const failed = result.executions.find((e) => !e.ok);
    const toast = result.executions.flatMap((e) => e.toasts)[0];
    if (!result.ok) status(result.refused ?? 'Sheets refused the edit.', 'error');
    else if (toast) status(toast, 'warn');
    else if (failed) status(`${failed.fn} failed: ${failed.error}`, 'error');
    else if (result.warnings.length > 0)
      status(`Edited a protected range: ${result.warnings[0]}`, 'warn');
    else if (result.invalid.length > 0)
      status(`${result.invalid.join(', ')}: not one of the dropdown's values.`, 'warn');
    else status(`Edited ${sheetName}!${range} as ${state.user}.`);
  } catch (error) {
    status((error as Error).message, 'error');
  }
}

async function clickMenu(item: string): Promise<void> {
  status(`Running "${item}"…`);
  try {
    const result = await api<{ ui: UiRecord[] }>('POST', '/api/menu', { item, user: state.user });
    await refresh();
    status(`Ran "${item}".`);
    showUi(result.ui);
  } catch (error) {
    status((error as Error).message, 'error');
  }
}

async function clock(body: { advance?: string; to?: string }): Promise<void> {
  try {
    const result = await api<{ now: string; fired: { handler: string; ok: boolean }[] }>(
      'POST',
      '/api/clock',
      body,
    );
    await refresh();
    const failed = result.fired.filter((f) => !f.ok).length;
    const runs = new Map<string, number>();
    for (const f of result.fired) runs.set(f.handler, (runs.get(f.handler) ?? 0) + 1);
    const ran =
      [...runs].map(([handler, n]) => `${handler} ×${n}`).join(', ') ||
      'no time-driven trigger was due';
    status(
      `Now ${formatNow(result.now)}. Ran ${ran}${failed ? `; ${failed} failed` : ''}.`,
      failed ? 'error' : 'info',
    );
  } catch (error) {
    status((error as Error).message, 'error');
  }
}

async function switchUser(value: string): Promise<void> {
  let user = value;
  if (value === '__other') {
    user = window.prompt('Act as which email address?') ?? '';
    if (!user) return renderTop();
  }
  try {
    await api('POST', '/api/user', { user });
    document.getElementById('sidebar-panel')!.setAttribute('hidden', '');
    await refresh();
    status(`Now acting as ${state.user}.`);
  } catch (error) {
    status((error as Error).message, 'error');
    renderTop();
  }
}

function startEdit(initial?: string): void {
  const td = document.querySelector<HTMLTableCellElement>(
    `td[data-cell="${a1(selected.row, selected.col)}"]`,
  );
  if (!td || editing) return;
  editing = true;
  const current =
    view.formulas[selected.row - 1]?.[selected.col - 1] ||
    view.values[selected.row - 1]?.[selected.col - 1] ||
    '';
  const input = h('input', {
    class: 'cell-input',
    'aria-label': `Edit ${a1(selected.row, selected.col)}`,
  });
  input.value = initial ?? current;
  td.replaceChildren(input);
  input.focus();
  /** Commits (or not) and moves the selection, as Enter (down) and Tab (right) do in Sheets. */
  const finish = (commit: boolean, down = 0, right = 0) => {
    if (!editing) return;
    editing = false;
    const range = a1(selected.row, selected.col);
    select(selected.row + down, selected.col + right);
    if (commit && input.value !== current) void edit(range, [[input.value]]);
    else renderGrid();
  };
  input.onkeydown = (e) => {
    if (e.key === 'Enter') finish(true, 1, 0);
    else if (e.key === 'Tab') {
      e.preventDefault();
      finish(true, 0, 1);
    } else if (e.key === 'Escape') finish(false);
    e.stopPropagation();
  };
  input.onblur = () => finish(true);
}

function onGridKey(e: KeyboardEvent): void {
  if (editing) return;
  const moves: Record<string, [number, number]> = {
    ArrowUp: [-1, 0],
    ArrowDown: [1, 0],
    ArrowLeft: [0, -1],
    ArrowRight: [0, 1],
    Tab: [0, 1],
  };
  if (moves[e.key]) {
    e.preventDefault();
    select(selected.row + moves[e.key][0], selected.col + moves[e.key][1]);
  } else if (e.key === 'Enter' || e.key === 'F2') {
    e.preventDefault();
    startEdit();
  } else if (e.key === 'Delete' || e.key === 'Backspace') {
    e.preventDefault();
    void edit(a1(selected.row, selected.col), [['']]);
  } else if (e.key.length === 1 && !e.ctrlKey && !e.metaKey && !e.altKey) {
    e.preventDefault();
    startEdit(e.key);
  }
}

/** Pasting tab-separated rows fills a block from the selected cell, as Sheets does. */
async function onPaste(e: ClipboardEvent): Promise<void> {
  if (editing) return;
  e.preventDefault();
  const text = e.clipboardData?.getData('text/plain') ?? '';
  const rows = text
    .replace(/\r\n?/g, '\n')
    .replace(/\n$/, '')
    .split('\n')
    .map((line) => line.split('\t'));
  const width = Math.max(...rows.map((r) => r.length));
  const values = rows.map((r) => [...r, ...new Array<string>(width - r.length).fill('')]);
  const { row, col } = selected;
  await edit(`${a1(row, col)}:${a1(row + values.length - 1, col + width - 1)}`, values);
}

document.addEventListener('click', closeMenus);
layout();
refresh().catch((error: Error) => status(`Could not load the sandbox: ${error.message}`, 'error'));
