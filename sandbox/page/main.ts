import type { UiRecord } from '../gas/exec';
import type { ChartView } from '../gas/runtime';
import type { MenuEntry } from '../gas/spreadsheet';
import {
  renderChat,
  renderHooks,
  renderMail,
  renderTeams,
  type Mail,
  type ServiceMessages,
} from './channels';
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
interface State {
  now: string;
  user: string;
  people: Record<string, string>;
  timeZone: string;
  sheets: string[];
  menus: MenuEntry[];
  slack: { messages: SlackMessage[]; failed: number };
  chat?: ServiceMessages;
  teams?: ServiceMessages;
  hooks?: ServiceMessages;
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

/** The demo's registrations are spread over the days before its start (DEMO_DAYS, sandbox/demo.ts). */
const DEMO_DAYS = 60;

const root = document.getElementById('root')!;
let state: State;
let sheetName = 'Registry';
let view: SheetView = { values: [], formulas: [], backgrounds: [], notes: [] };
/** The active cell, and the corner the selection was started from (Shift extends it). */
let selected = { row: 2, col: 1 };
let anchor = { row: 2, col: 1 };
let editing = false;
/** The grid draws at most this many rows (a sheet can grow to millions). */
const MAX_GRID_ROWS = 2000;
/** Table cells by row and column, filled as the grid renders. */
let cells = new Map<string, HTMLTableCellElement>();
/** The widest the grid shows, so a whole-row selection has an end. */
let gridCols = 8;
let gridRows = 30;

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
  bar.title = message;
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

/** A message's time as chat clients show it: Dec 6, 18:18 (the spreadsheet's zone). */
function formatShort(iso: string): string {
  return new Intl.DateTimeFormat('en-US', {
    timeZone: state.timeZone,
    month: 'short',
    day: 'numeric',
    hour: '2-digit',
    minute: '2-digit',
    hourCycle: 'h23',
  }).format(new Date(iso));
}

/** The zone's short name at that time (EST, GMT+1), as the clock shows it. */
function zoneName(iso: string): string {
  return (
    new Intl.DateTimeFormat('en-US', { timeZone: state.timeZone, timeZoneName: 'short' })
      .formatToParts(new Date(iso))
      .find((p) => p.type === 'timeZoneName')?.value ?? state.timeZone
  );
}

/** The selected block: rows r1..r2, columns c1..c2. */
function selection(): { r1: number; r2: number; c1: number; c2: number } {
  return {
    r1: Math.min(anchor.row, selected.row),
    r2: Math.max(anchor.row, selected.row),
    c1: Math.min(anchor.col, selected.col),
    c2: Math.max(anchor.col, selected.col),
  };
}

function selectionA1(): string {
  const { r1, r2, c1, c2 } = selection();
  return r1 === r2 && c1 === c2 ? a1(r1, c1) : `${a1(r1, c1)}:${a1(r2, c2)}`;
}

/** The selection as the name box shows it: whole rows as `20:22`, whole columns as `E:E`. */
function selectionRef(): string {
  const { r1, r2, c1, c2 } = selection();
  if (c1 <= shownColumn(1, 1) && c2 >= gridCols && (r1 > 1 || r2 < gridRows)) return `${r1}:${r2}`;
  if (r1 === 1 && r2 >= gridRows && (c1 > 1 || c2 < gridCols))
    return `${letters(c1)}:${letters(c2)}`;
  return selectionA1();
}

const rowsLabel = (r1: number, r2: number) => (r1 === r2 ? `row ${r1}` : `rows ${r1}–${r2}`);

/** Whether a column is one the add-on hides (the grid leaves it out, as Sheets does). */
const isHidden = (col: number) => (view.hiddenColumns ?? []).includes(col);

/** The next shown column from `col` going `step` (±1), or `col` itself if it is shown. */
function shownColumn(col: number, step: number): number {
  let c = Math.max(1, col);
  while (isHidden(c) && c + step >= 1) c += step;
  while (isHidden(c)) c++;
  return c;
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
      h('button', { id: 'reset', type: 'button', class: 'reset' }, 'Reset…'),
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
          { class: 'panel channels' },
          h('div', { id: 'channel-tabs', class: 'channel-tabs', role: 'tablist' }),
          h('p', { id: 'channel-title', class: 'channel-title' }),
          ...CHANNELS.map((c) =>
            h('div', {
              id: c.id,
              class: c.id,
              role: 'tabpanel',
              'aria-labelledby': `channel-tab-${c.id}`,
              ...(c.id === channel ? {} : { hidden: '' }),
            }),
          ),
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
  document.getElementById('reset')!.onclick = () => resetDialog();
  document.getElementById('user')!.onchange = (e) =>
    void switchUser((e.target as HTMLSelectElement).value);
  const grid = document.getElementById('grid')!;
  grid.addEventListener('keydown', onGridKey);
  grid.addEventListener('paste', (e) => void onPaste(e));
  grid.addEventListener('contextmenu', onContextMenu);
  document.getElementById('modal')!.addEventListener('keydown', (e) => {
    if (e.key === 'Escape') closeModal();
  });
}

/** Where notifications land, one tab each beside the sheet. */
const CHANNELS = [
  { id: 'slack', caption: 'Slack', title: '#security-updates (Slack incoming webhook)' },
  { id: 'chat', caption: 'Chat', title: 'Google Chat space (incoming webhook)' },
  { id: 'teams', caption: 'Teams', title: 'Microsoft Teams channel (Workflows webhook)' },
  { id: 'hooks', caption: 'Hooks', title: 'Signed webhooks (Jira Automation, ServiceNow)' },
  { id: 'mail', caption: 'Mail', title: 'Mail the add-on sent (MailApp), by recipient' },
] as const;
type Channel = (typeof CHANNELS)[number]['id'];
let channel: Channel = 'slack';
/** The recipient whose mail the Mail tab shows ('' for everyone). */
let mailRecipient = '';

function renderMailPanel(): void {
  renderMail(
    document.getElementById('mail')!,
    state.mail,
    mailRecipient,
    (recipient) => {
      mailRecipient = recipient;
      renderMailPanel();
    },
    formatShort,
  );
}

function renderChannelTabs(): void {
  const count = (id: Channel): number =>
    id === 'mail'
      ? state.mail.length
      : id === 'slack'
        ? state.slack.messages.length
        : (state[id]?.messages.length ?? 0);
  document.getElementById('channel-title')!.textContent = CHANNELS.find(
    (c) => c.id === channel,
  )!.title;
  document.getElementById('channel-tabs')!.replaceChildren(
    ...CHANNELS.map((c) => {
      const tab = h(
        'button',
        {
          type: 'button',
          id: `channel-tab-${c.id}`,
          class: c.id === channel ? 'channel-tab active' : 'channel-tab',
          role: 'tab',
          'aria-selected': String(c.id === channel),
          'aria-controls': c.id,
          title: c.title,
        },
        c.caption,
        h('span', { class: 'count' }, String(count(c.id))),
      );
      tab.onclick = () => {
        channel = c.id;
        for (const other of CHANNELS)
          document.getElementById(other.id)!.toggleAttribute('hidden', other.id !== channel);
        renderChannelTabs();
      };
      return tab;
    }),
  );
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
  const now = document.getElementById('now')!;
  now.textContent = `${formatNow(state.now)} ${zoneName(state.now)}`;
  now.title = `Spreadsheet time zone: ${state.timeZone} (File › Settings)`;
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
  renderChannelTabs();
  renderSlack();
  const empty = { messages: [], failed: 0 };
  renderChat(document.getElementById('chat')!, state.chat ?? empty, formatShort);
  renderTeams(document.getElementById('teams')!, state.teams ?? empty, formatShort);
  renderHooks(document.getElementById('hooks')!, state.hooks ?? empty, formatShort);
  renderMailPanel();
  if (state.failures.length > 0) {
    const last = state.failures[state.failures.length - 1];
    status(`A trigger failed: ${last.fn}: ${last.error}`, 'error');
  }
}

function closeMenus(): void {
  document.querySelectorAll('.menu.open').forEach((m) => m.classList.remove('open'));
  document.getElementById('context-menu')?.remove();
}

/** A menu item of the page itself (what Sheets offers around the add-on's menu). */
interface Action {
  caption: string;
  shortcut?: string;
  run: () => void;
}
type ActionEntry = Action | 'separator';

function actionList(entries: ActionEntry[]): HTMLElement {
  const list = h('ul', { class: 'menu-list', role: 'menu' });
  for (const entry of entries) {
    if (entry === 'separator') {
      list.append(h('li', { class: 'separator', role: 'separator' }));
      continue;
    }
    const item = h(
      'li',
      { role: 'menuitem', tabindex: '0' },
      h('span', {}, entry.caption),
      ...(entry.shortcut ? [h('span', { class: 'shortcut' }, entry.shortcut)] : []),
    );
    item.onclick = (e) => {
      e.stopPropagation();
      closeMenus();
      entry.run();
    };
    item.onkeydown = (e) => {
      if (e.key === 'Enter') item.click();
    };
    list.append(item);
  }
  return list;
}

function deleteRowsAction(): Action {
  const { r1, r2 } = selection();
  return { caption: `Delete ${rowsLabel(r1, r2)}`, run: () => void deleteRows(r1, r2 - r1 + 1) };
}

function sortActions(): Action[] {
  const col = letters(selected.col);
  return [
    { caption: `Sort sheet by column ${col} (A to Z)`, run: () => void sortSheet(col, true) },
    { caption: `Sort sheet by column ${col} (Z to A)`, run: () => void sortSheet(col, false) },
  ];
}

function clearAction(): Action {
  return { caption: 'Clear', shortcut: 'Delete', run: () => void clearSelection() };
}

/** The page's own menus, built as they open so their captions follow the selection. */
const NATIVE_MENUS: { caption: string; entries: () => ActionEntry[] }[] = [
  {
    caption: 'File',
    entries: () => [
      { caption: 'Settings…', run: settingsDialog },
      'separator',
      { caption: 'Reset the sandbox…', run: resetDialog },
    ],
  },
  {
    caption: 'Edit',
    entries: () => [
      { caption: 'Paste', shortcut: 'Ctrl+V', run: () => void pasteFromClipboard() },
      clearAction(),
      'separator',
      deleteRowsAction(),
    ],
  },
  { caption: 'Data', entries: () => sortActions() },
];

/** Right-click on the grid: what Sheets' context menu offers for the selection. */
function onContextMenu(e: MouseEvent): void {
  const target = (e.target as HTMLElement).closest<HTMLElement>('td[data-r], th[data-r]');
  if (!target || editing) return;
  e.preventDefault();
  const row = Number(target.dataset.r);
  const { r1, r2, c1, c2 } = selection();
  const col = target.dataset.c ? Number(target.dataset.c) : null;
  const inside = row >= r1 && row <= r2 && (col === null || (col >= c1 && col <= c2));
  if (!inside) {
    if (col === null) selectRows(row, row);
    else select(row, col);
  }
  closeMenus();
  const menu = actionList([
    clearAction(),
    'separator',
    deleteRowsAction(),
    'separator',
    ...sortActions(),
  ]);
  menu.id = 'context-menu';
  menu.classList.add('context-menu');
  menu.style.left = `${Math.min(e.clientX, window.innerWidth - 280)}px`;
  menu.style.top = `${Math.min(e.clientY, window.innerHeight - 200)}px`;
  document.body.append(menu);
  menu.querySelector<HTMLElement>('[role="menuitem"]')?.focus();
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
  const native = NATIVE_MENUS.map(({ caption, entries }) => {
    const button = h(
      'button',
      { type: 'button', class: 'menu-button', 'aria-haspopup': 'true' },
      caption,
    );
    const wrap = h('div', { class: 'menu' }, button);
    button.onclick = (e) => {
      e.stopPropagation();
      const open = wrap.classList.contains('open');
      closeMenus();
      if (open) return;
      wrap.replaceChildren(button, actionList(entries()));
      wrap.classList.add('open');
    };
    return wrap;
  });
  bar.replaceChildren(
    ...native,
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
  const rows = (gridRows = Math.min(Math.max(view.values.length + 5, 30), MAX_GRID_ROWS));
  const cols = (gridCols = Math.max(view.values[0]?.length ?? 0, 8) + 1);
  const table = h('table', { class: 'cells' });
  const corner = h('th', { class: 'corner', title: 'Select all' });
  corner.onclick = () => {
    anchor = { row: 1, col: shownColumn(1, 1) };
    select(gridRows, gridCols, true);
  };
  const head = h('tr', {}, corner);
  const hidden = new Set(view.hiddenColumns ?? []);
  cells = new Map();
  for (let c = 1; c <= cols; c++) {
    if (hidden.has(c)) continue;
    const th = h('th', { class: 'col-head', 'data-c': String(c) }, letters(c));
    th.onclick = (e) => selectColumns(e.shiftKey ? anchor.col : c, c);
    head.append(th);
  }
  table.append(h('thead', {}, head));
  const body = h('tbody');
  for (let r = 1; r <= rows; r++) {
    const rowHead = h('th', { class: 'row-head', 'data-r': String(r) }, String(r));
    rowHead.onclick = (e) => selectRows(e.shiftKey ? anchor.row : r, r);
    const tr = h('tr', {}, rowHead);
    for (let c = 1; c <= cols; c++) {
      if (hidden.has(c)) continue;
      const value = view.values[r - 1]?.[c - 1] ?? '';
      const note = view.notes[r - 1]?.[c - 1] ?? '';
      const bg = view.backgrounds[r - 1]?.[c - 1];
      const td = h(
        'td',
        { 'data-cell': a1(r, c), 'data-r': String(r), 'data-c': String(c), title: note || value },
        value,
      );
      if (bg) td.style.background = bg;
      if (bg && isDark(bg)) td.classList.add('dark');
      if (r === 1) td.classList.add('header-cell');
      if (note) td.classList.add('has-note');
      td.onclick = (e) => select(r, c, e.shiftKey);
      td.ondblclick = () => startEdit();
      cells.set(a1(r, c), td);
      tr.append(td);
    }
    body.append(tr);
  }
  if (view.values.length > rows) {
    body.append(
      h(
        'tr',
        {},
        h('th', { class: 'row-head' }),
        h(
          'td',
          { class: 'more', colspan: String(cols) },
          `Rows ${rows + 1}–${view.values.length} are not shown here.`,
        ),
      ),
    );
  }
  table.append(body);
  const charts = view.charts ?? [];
  grid.replaceChildren(
    ...(charts.length
      ? [h('div', { class: 'charts', 'aria-label': 'Charts' }, ...charts.map(renderChart))]
      : []),
    table,
  );
  paintSelection();
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
    .replaceChildren(h('span', { class: 'ref' }, selectionRef()), h('span', {}, formula));
}

/** Marks the selected block, the active cell and their row and column headings. */
function paintSelection(): void {
  document
    .querySelectorAll('.cells .in-range, .cells .selected, .cells th.active')
    .forEach((el) => el.classList.remove('in-range', 'selected', 'active'));
  const { r1, r2, c1, c2 } = selection();
  const single = r1 === r2 && c1 === c2;
  for (let r = r1; r <= Math.min(r2, gridRows); r++) {
    document.querySelector(`th.row-head[data-r="${r}"]`)?.classList.add('active');
    for (let c = c1; c <= Math.min(c2, gridCols); c++)
      if (!single) cells.get(a1(r, c))?.classList.add('in-range');
  }
  for (let c = c1; c <= Math.min(c2, gridCols); c++)
    document.querySelector(`th.col-head[data-c="${c}"]`)?.classList.add('active');
  cells.get(a1(selected.row, selected.col))?.classList.add('selected');
  showFormula();
}

/** Moves the active cell; with `extend` (Shift) the selection grows from its anchor. */
function select(row: number, col: number, extend = false): void {
  selected = { row: Math.max(1, row), col: shownColumn(col, col < selected.col ? -1 : 1) };
  if (!extend) anchor = { ...selected };
  paintSelection();
  cells
    .get(a1(selected.row, selected.col))
    ?.scrollIntoView({ block: 'nearest', inline: 'nearest' });
  document.getElementById('grid')!.focus();
}

/** Clicking row headings selects whole rows (Shift+click extends). */
function selectRows(from: number, to: number): void {
  anchor = { row: from, col: gridCols };
  selected = { row: to, col: shownColumn(1, 1) };
  paintSelection();
  document.getElementById('grid')!.focus();
}

/** Clicking a column heading selects the column; the active cell is its header. */
function selectColumns(from: number, to: number): void {
  anchor = { row: gridRows, col: from };
  selected = { row: 1, col: to };
  paintSelection();
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

// ------------------------------------------------------------------ what the add-on shows

/**
 * The sandbox of Apps Script's HtmlService frames ("HTML Service: Restrictions", IFRAME mode):
 * no top navigation; downloads, popups and modals allowed.
 */
const HTML_SERVICE_SANDBOX =
  'allow-same-origin allow-forms allow-scripts allow-popups allow-downloads allow-modals allow-popups-to-escape-sandbox';

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
      const frame = h('iframe', {
        title: record.title || 'Sidebar',
        class: 'sidebar-frame',
        sandbox: HTML_SERVICE_SANDBOX,
      });
      frame.srcdoc = bridged(record.html ?? '');
      panel.replaceChildren(
        h('div', { class: 'panel-title' }, h('span', {}, record.title || 'Sidebar'), close),
        frame,
      );
      panel.removeAttribute('hidden');
    } else modal(record);
  }
}

function closeModal(): void {
  document.getElementById('modal')!.setAttribute('hidden', '');
  document.getElementById('grid')!.focus();
}

/** Shows a dialog over the page: a title, its content and its buttons (the last is the main one). */
function dialog(title: string, content: Node[], actions: HTMLElement[], role = 'dialog'): void {
  const box = document.getElementById('modal')!;
  box.replaceChildren(
    h(
      'div',
      { class: 'dialog', role, 'aria-modal': 'true', 'aria-label': title },
      h('h3', {}, title),
      ...content,
      h('div', { class: 'actions' }, ...actions),
    ),
  );
  box.removeAttribute('hidden');
}

function button(caption: string, onclick: () => void, primary = false): HTMLButtonElement {
  const b = h('button', { type: 'button', ...(primary ? { class: 'primary' } : {}) }, caption);
  b.onclick = onclick;
  return b;
}

function modal(record: UiRecord): void {
  const ok = button('OK', closeModal, true);
  // A dialog's frame has the size the add-on asked for (setWidth, setHeight), as in Sheets.
  const size = `width:${record.width ?? 480}px;height:${record.height ?? 420}px`;
  const content: Node =
    record.type === 'dialog'
      ? Object.assign(
          h('iframe', {
            class: 'dialog-frame',
            title: record.title,
            sandbox: HTML_SERVICE_SANDBOX,
            style: size,
          }),
          { srcdoc: bridged(record.html ?? '') },
        )
      : h('p', { class: record.type === 'error' ? 'message error' : 'message' }, record.message);
  dialog(
    record.type === 'error' ? 'Error' : record.title || 'Governed Path',
    [content],
    [ok],
    'alertdialog',
  );
  ok.focus();
}

/** Every time zone the browser knows (Sheets offers a similar list), the current one first if odd. */
function timeZones(current: string): string[] {
  const intl = Intl as unknown as { supportedValuesOf?: (key: string) => string[] };
  const zones = intl.supportedValuesOf?.('timeZone') ?? [
    'UTC',
    'America/Los_Angeles',
    'America/Chicago',
    'America/New_York',
    'Europe/London',
    'Europe/Berlin',
    'Asia/Kolkata',
    'Asia/Tokyo',
    'Australia/Sydney',
  ];
  return zones.includes(current) ? zones : [current, ...zones];
}

/** File › Settings: the spreadsheet's time zone, as a person changes it in Sheets. */
function settingsDialog(): void {
  const zone = h('select', { id: 'settings-time-zone' });
  zone.append(
    ...timeZones(state.timeZone).map((z) =>
      h('option', z === state.timeZone ? { value: z, selected: '' } : { value: z }, z),
    ),
  );
  const save = button(
    'Save settings',
    () => {
      closeModal();
      if (zone.value === state.timeZone) return;
      void change(
        '/api/spreadsheet',
        { timeZone: zone.value },
        `The spreadsheet's time zone is now ${zone.value} (changed by ${state.user}).`,
      );
    },
    true,
  );
  dialog(
    'Settings for this spreadsheet',
    [
      h(
        'div',
        { class: 'field' },
        h('label', { for: 'settings-time-zone' }, 'Time zone'),
        zone,
        h(
          'p',
          { class: 'hint' },
          'The spreadsheet reads and shows dates and times in this zone; so does the clock above.',
        ),
      ),
    ],
    [button('Cancel', closeModal), save],
  );
  zone.focus();
}

/** A fresh spreadsheet set up by the admin, with or without the demo, from a chosen date. */
function resetDialog(): void {
  const demo = h('input', { type: 'checkbox', id: 'reset-demo', checked: '' });
  const start = h('input', {
    type: 'date',
    id: 'reset-start',
    min: '2000-01-01',
    max: '2099-12-31',
  });
  const go = button(
    'Reset',
    () => {
      closeModal();
      void reset(demo.checked, start.value);
    },
    true,
  );
  dialog(
    'Reset the sandbox',
    [
      h(
        'p',
        { class: 'message' },
        'Start over with a fresh spreadsheet set up by the admin. This spreadsheet, its Slack messages and mail are discarded.',
      ),
      h(
        'div',
        { class: 'field' },
        h('label', { for: 'reset-start' }, 'Start date'),
        start,
        h('p', { class: 'hint' }, 'Empty starts now; a date starts at 09:00 New York time.'),
      ),
      h(
        'label',
        { class: 'check' },
        demo,
        ` Add the demo registrations (typed over the ${DEMO_DAYS} days before the start)`,
      ),
    ],
    [button('Cancel', closeModal), go],
  );
  start.focus();
}

// ------------------------------------------------------------------ actions

async function refresh(): Promise<void> {
  state = await api<State>('GET', '/api/state');
  if (!state.sheets.includes(sheetName)) sheetName = state.sheets[0];
  view = await api<SheetView>('GET', `/api/sheets/${encodeURIComponent(sheetName)}`);
  renderTop();
  if (!editing) renderGrid(); // never pull the cell someone is typing in from under them
}

interface ChangeResult {
  ok: boolean;
  refused: string | null;
  warnings: string[];
  invalid: string[];
  executions: { ok: boolean; fn: string; error: string | null; toasts: string[] }[];
}

/** Changes reach the server one at a time, in the order people make them. */
let pending: Promise<void> = Promise.resolve();
function queue(work: () => Promise<void>): Promise<void> {
  pending = pending.then(work);
  return pending;
}

/**
 * Sends a person's change and says what came of it: Sheets' refusal, the add-on's toast or
 * failure, a protection warning, a value the dropdown rejects, or `done`.
 */
function change(path: string, body: Record<string, unknown>, done: string): Promise<void> {
  return queue(async () => {
    try {
      const result = await api<ChangeResult>('POST', path, { ...body, user: state.user });
      await refresh();
      const failed = result.executions.find((e) => !e.ok);
      const toast = result.executions.flatMap((e) => e.toasts)[0];
      if (!result.ok) status(result.refused ?? 'Sheets refused the change.', 'error');
      else if (toast) status(toast, 'warn');
      else if (failed) status(`${failed.fn} failed: ${failed.error}`, 'error');
      else if (result.warnings.length > 0)
        status(`${done} It touched a protected range: ${result.warnings[0]}`, 'warn');
      else if (result.invalid.length > 0)
        status(`${result.invalid.join(', ')}: not one of the dropdown's values.`, 'warn');
      else status(done);
    } catch (error) {
      status((error as Error).message, 'error');
    }
  });
}

/** How values arrive, as the add-on's edit trigger tells them apart (DESIGN §8). */
type How = 'type' | 'paste' | 'clear';

function edit(range: string, values: string[][], how: How): Promise<void> {
  const verb = { type: 'Typed into', paste: 'Pasted into', clear: 'Cleared' }[how];
  return change(
    '/api/edit',
    { sheet: sheetName, range, values, how },
    `${verb} ${sheetName}!${range} as ${state.user}.`,
  );
}

function clearSelection(): Promise<void> {
  const { r1, r2, c1, c2 } = selection();
  const values = Array.from({ length: r2 - r1 + 1 }, () => new Array<string>(c2 - c1 + 1).fill(''));
  return edit(selectionA1(), values, 'clear');
}

function deleteRows(start: number, count: number): Promise<void> {
  const label = rowsLabel(start, start + count - 1);
  selected = { row: start, col: shownColumn(selected.col, 1) };
  anchor = { ...selected };
  return change(
    '/api/delete-rows',
    { sheet: sheetName, start, count },
    `Deleted ${label} of ${sheetName} as ${state.user}.`,
  );
}

function sortSheet(column: string, ascending: boolean): Promise<void> {
  const header = view.values[0]?.[selected.col - 1];
  const by = header ? `${header} (column ${column})` : `column ${column}`;
  return change(
    '/api/sort',
    { sheet: sheetName, column, ascending },
    `Sorted ${sheetName} by ${by}, ${ascending ? 'A to Z' : 'Z to A'}, as ${state.user}.`,
  );
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

function reset(demo: boolean, date: string): Promise<void> {
  status(demo ? 'Resetting: the demo registrations take a few seconds…' : 'Resetting…');
  return queue(async () => {
    try {
      const result = await api<{ now: string }>('POST', '/api/reset', {
        demo,
        ...(date ? { now: date } : {}),
      });
      document.getElementById('sidebar-panel')!.setAttribute('hidden', '');
      sheetName = 'Registry';
      selected = { row: 2, col: 1 };
      anchor = { ...selected };
      await refresh();
      status(
        `A fresh spreadsheet${demo ? ' with the demo' : ''}; it is now ${formatNow(result.now)}.`,
      );
    } catch (error) {
      status((error as Error).message, 'error');
    }
  });
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
    if (commit && input.value !== current) void edit(range, [[input.value]], 'type');
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
    const [down, right] = moves[e.key];
    select(selected.row + down, selected.col + right, e.shiftKey && e.key !== 'Tab');
  } else if (e.key === 'Enter' || e.key === 'F2') {
    e.preventDefault();
    startEdit();
  } else if (e.key === 'Delete' || e.key === 'Backspace') {
    e.preventDefault();
    void clearSelection();
  } else if (e.key === 'Escape') {
    select(selected.row, selected.col);
  } else if (e.key.length === 1 && !e.ctrlKey && !e.metaKey && !e.altKey) {
    e.preventDefault();
    startEdit(e.key);
  }
}

/**
 * Pasting tab-separated rows fills a block from the selected cell, as Sheets does; one value
 * pasted on a selected block fills the block. Either way it is a paste, not typing: the edit
 * trigger gets no value or oldValue, even for one cell.
 */
async function onPaste(e: ClipboardEvent): Promise<void> {
  if (editing) return;
  e.preventDefault();
  await paste(e.clipboardData?.getData('text/plain') ?? '');
}

/** Edit › Paste: the browser asks whether the page may read the clipboard. */
async function pasteFromClipboard(): Promise<void> {
  let text: string;
  try {
    text = await navigator.clipboard.readText();
  } catch {
    status(
      'The browser did not let the page read the clipboard: press Ctrl+V (⌘V) to paste.',
      'warn',
    );
    return;
  }
  await paste(text);
}

async function paste(text: string): Promise<void> {
  if (text === '') return;
  const rows = text
    .replace(/\r\n?/g, '\n')
    .replace(/\n$/, '')
    .split('\n')
    .map((line) => line.split('\t'));
  const width = Math.max(...rows.map((r) => r.length));
  const { r1, r2, c1, c2 } = selection();
  if (rows.length === 1 && width === 1 && (r1 !== r2 || c1 !== c2)) {
    const fill = Array.from({ length: r2 - r1 + 1 }, () =>
      new Array<string>(c2 - c1 + 1).fill(rows[0][0]),
    );
    return edit(selectionA1(), fill, 'paste');
  }
  const values = rows.map((r) => [...r, ...new Array<string>(width - r.length).fill('')]);
  const range =
    values.length === 1 && width === 1
      ? a1(r1, c1)
      : `${a1(r1, c1)}:${a1(r1 + values.length - 1, c1 + width - 1)}`;
  await edit(range, values, 'paste');
}

document.addEventListener('click', closeMenus);
document.addEventListener('keydown', (e) => {
  if (e.key === 'Escape') closeMenus();
});
layout();
refresh().catch((error: Error) => status(`Could not load the sandbox: ${error.message}`, 'error'));
