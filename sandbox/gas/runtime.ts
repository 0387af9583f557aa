import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import vm from 'node:vm';
import { createSyncFn } from 'synckit';
import { cellA1, parseA1 } from './a1';
import type { Exec, FetchRequest, FetchResponse, Host, Manifest, UiRecord } from './exec';
import { isAddon, deploymentOf, isForeignDate } from './exec';
import { dateSerial, displayValue, isDateValue, parseInput, type Stored } from './formats';
import { isTimeZone } from './time';
import {
  cellAt,
  cellFor,
  deleteColumns as deleteModelColumns,
  deleteRows as deleteModelRows,
  insertColumns as insertModelColumns,
  moveColumns as moveModelColumns,
  insertRows,
  isVisible,
  CELL_CHARACTER_LIMIT,
  CELL_TOO_LONG,
  ensureCellRoom,
  lastColumn,
  lastRow,
  newCallCounts,
  newWorld,
  type CellData,
  type Deployment,
  type ExecutionKind,
  type ExecutionRecord,
  type SheetData,
  type TriggerData,
  type WorldData,
} from './model';
import { nextRun } from './schedule';
import { makeGlobals } from './services';
import {
  blockingProtection,
  cellDisplay,
  displayedStyle,
  makeSpreadsheet,
  PROTECTED_MESSAGE,
  satisfies,
  spreadsheetApp,
  UiImpl,
  userObject,
  type MenuEntry,
} from './spreadsheet';
import { wallClock } from './time';

export const ROOT = join(__dirname, '..', '..');

/** A request the runtime cannot act on (unknown sheet, wrong shape): the caller's mistake. */
export class RuntimeInputError extends Error {}

export interface RuntimeOptions {
  /** Folder holding Code.js, Sidebar.html and appsscript.json. */
  distDir?: string;
  /** Start from saved state (the sandbox persists it). */
  world?: WorldData;
  now?: Date | number | string;
  owner?: string;
  timeZone?: string;
  /** Where requests for https://hooks.slack.com/… go (the local receiver), or null. */
  slackBaseUrl?: string | null;
  mailQuota?: number;
  /** A script to run instead of dist/Code.js (fidelity tests of the runtime itself). */
  code?: string;
  /** A manifest to use instead of dist/appsscript.json. */
  manifest?: Manifest;
  /** How the project is deployed (default: an Editor add-on). */
  deployment?: Deployment;
}

export interface ExecutionResult {
  ok: boolean;
  value: unknown;
  error: string | null;
  ui: UiRecord[];
  menus: MenuEntry[];
  record: ExecutionRecord;
  realm: BundleRealm;
}

/** How a person's edit arrived: typed into one cell, pasted (or filled, dragged), or cleared. */
export type EditHow = 'type' | 'paste' | 'clear';
export const EDIT_KINDS: readonly EditHow[] = ['type', 'paste', 'clear'];

export interface EditOptions {
  /**
   * A paste copied from another range of Sheets brings that range's number formats (and no
   * validation): `automatic` for cells that had none, or one format per cell.
   */
  formats?: 'automatic' | (string | null)[][];
}

export interface EditResult {
  ok: boolean;
  /** Why Sheets refused the edit (protection, strict validation). Nothing was written. */
  refused: string | null;
  /** Warning-only protections the edit went through, as Sheets would warn. */
  warnings: string[];
  /** A1 notation of cells holding values their validation rule rejects (allowed, flagged). */
  invalid: string[];
  executions: ExecutionRecord[];
}

export interface FiredTrigger {
  handler: string;
  at: string;
  ok: boolean;
  error: string | null;
}

export interface SheetView {
  values: string[][];
  formulas: string[][];
  backgrounds: (string | null)[][];
  notes: string[][];
}

interface RunOptions {
  user: string;
  effectiveUser?: string;
  kind: ExecutionKind;
  authMode?: 'NONE' | 'LIMITED' | 'FULL';
  event?: (exec: Exec) => unknown;
  args?: unknown[];
}

const DATE_SHIM = `
(function (clock) {
  const RealDate = Date;
  function ClockDate(...args) {
    if (!new.target) return new RealDate(clock()).toString();
    return args.length === 0 ? new RealDate(clock()) : new RealDate(...args);
  }
  ClockDate.prototype = RealDate.prototype;
  Object.defineProperty(RealDate.prototype, 'constructor', { value: ClockDate, writable: true, configurable: true });
  ClockDate.now = () => clock();
  ClockDate.UTC = RealDate.UTC;
  ClockDate.parse = RealDate.parse;
  globalThis.Date = ClockDate;
  return {
    date: (ms) => new RealDate(ms),
    array: () => [],
    object: () => ({}),
    json: (text) => JSON.parse(text),
    stringify: (value) => JSON.stringify(value),
    hasDate: function hasDate(value) {
      if (value instanceof RealDate) return true;
      if (value && typeof value === 'object') return Object.values(value).some(hasDate);
      return false;
    },
  };
})`;

const MAX_EXECUTION_RECORDS = 500;

let syncFetch: ((request: FetchRequest & { timeoutMs: number }) => FetchResponse) | null = null;

function fetchSync(request: FetchRequest): FetchResponse {
  syncFetch ??= createSyncFn(join(__dirname, 'fetch-worker.mjs'), { timeout: 60000 });
  return syncFetch({ ...request, timeoutMs: 30000 });
}

function toMs(t: Date | number | string): number {
  return t instanceof Date ? t.getTime() : typeof t === 'number' ? t : Date.parse(t);
}

/**
 * An in-memory Apps Script project bound to one spreadsheet. It loads the real dist/Code.js
 * into a fresh V8 context for every execution (Apps Script keeps no state between them) and
 * lets tests act as people do: type into cells, click menu items, call google.script.run
 * functions, and move the clock so time-driven triggers fire.
 */
/** Built-ins a script uses all the time: bound once per execution rather than looked up. */
const WRAPPED_BUILTINS = [
  'Math',
  'JSON',
  'Object',
  'Array',
  'String',
  'Number',
  'Boolean',
  'RegExp',
  'Error',
  'TypeError',
  'RangeError',
  'Map',
  'Set',
  'Symbol',
  'Date',
  'parseInt',
  'parseFloat',
  'isNaN',
  'isFinite',
  'encodeURIComponent',
  'decodeURIComponent',
];

export class GasRuntime {
  readonly world: WorldData;
  readonly manifest: Manifest;
  readonly distDir: string;
  readonly host: Host;
  private script: vm.Script;
  private code: string;
  private menus = new Map<string, MenuEntry[]>();
  lastExecution: ExecutionRecord | null = null;

  constructor(options: RuntimeOptions = {}) {
    this.distDir = options.distDir ?? join(ROOT, 'dist');
    this.manifest =
      options.manifest ??
      (JSON.parse(readFileSync(join(this.distDir, 'appsscript.json'), 'utf8')) as Manifest);
    this.code = options.code ?? readFileSync(join(this.distDir, 'Code.js'), 'utf8');
    this.script = new vm.Script(this.code, { filename: 'Code.js' });
    // Apps Script evaluates `new Date(y, m, d)` in the script's time zone.
    process.env.TZ = this.manifest.timeZone;
    this.world =
      options.world ??
      newWorld({
        now: toMs(options.now ?? Date.now()),
        owner: options.owner ?? 'admin@example.com',
        timeZone: options.timeZone ?? 'America/New_York',
        scriptTimeZone: this.manifest.timeZone,
        mailQuota: options.mailQuota,
        deployment: options.deployment,
      });
    this.host = {
      fetch: fetchSync,
      foreignLocks: new Map(),
      uiAnswers: [],
      htmlDir: this.distDir,
      slackBaseUrl: options.slackBaseUrl ?? null,
    };
  }

  get now(): Date {
    return new Date(this.world.now);
  }

  /**
   * The functions Apps Script would list for this project: the global function bindings left
   * after loading the script (declarations are hoisted, so a top level that throws for lack of
   * services still declares them).
   */
  topLevelFunctions(): string[] {
    if (!this.functionNames) {
      const scratch = vm.createContext({});
      try {
        this.script.runInContext(scratch);
      } catch {
        // Only the declarations matter here.
      }
      const globals = scratch as Record<string, unknown>;
      this.functionNames = Object.getOwnPropertyNames(globals).filter(
        (k) => typeof globals[k] === 'function',
      );
    }
    return this.functionNames;
  }
  private functionNames: string[] | null = null;

  /**
   * The script as each execution loads it. Apps Script's global object is an ordinary one; a
   * Node context's answers every global lookup through an interceptor, which made each call
   * between the add-on's top-level functions (and each `Math`, `JSON`…) many times slower than
   * on Google, inflating test times and the CPU the benchmark counts. So the script runs in a
   * function scope, the common built-ins bound once, and its top-level functions are then put
   * on the global object, where the platform finds them, as Apps Script has them.
   */
  private loaded(): vm.Script {
    if (!this.wrapped) {
      const names = this.topLevelFunctions();
      const builtins = WRAPPED_BUILTINS.join(', ');
      // What the script put on the global object itself (gas-webpack-plugin assigns its entry
      // points over their hoisted stubs) stays; the other declarations join it.
      const exported = names
        .map(
          (n) =>
            `if (!Object.prototype.hasOwnProperty.call(globalThis, ${JSON.stringify(n)})) globalThis[${JSON.stringify(n)}] = ${n};`,
        )
        .join('\n');
      this.wrapped = new vm.Script(
        `(function (${builtins}) {${this.code}\n;${exported}\n}).call(this, ${builtins});`,
        { filename: 'Code.js' },
      );
    }
    return this.wrapped;
  }
  private wrapped: vm.Script | null = null;

  // -------------------------------------------------------------- executions

  /** Runs one top-level function in a fresh context, as one Apps Script execution. */
  execute(fn: string, options: RunOptions): ExecutionResult {
    const world = this.world;
    const kind = options.kind;
    const exec: Exec = {
      world,
      host: this.host,
      manifest: this.manifest,
      fn,
      kind,
      authMode: options.authMode ?? (kind === 'simple' ? 'LIMITED' : 'FULL'),
      user: options.user,
      effectiveUser: options.effectiveUser ?? options.user,
      realm: null as never,
      counts: newCallCounts(),
      ui: [],
      logs: [],
      locks: new Set(),
      hasDocument: !(kind === 'time' && isAddon(world)),
    };
    const ui = new UiImpl(exec);
    const context = vm.createContext(makeGlobals(exec, spreadsheetApp(exec, ui)));
    const realm = (vm.runInContext(DATE_SHIM, context) as (clock: () => number) => BundleRealm)(
      () => world.now,
    );
    exec.realm = realm;
    const record: ExecutionRecord = {
      id: world.nextExecutionId++,
      fn,
      kind,
      user: exec.user,
      effectiveUser: exec.effectiveUser,
      started: new Date(world.now).toISOString(),
      ok: true,
      error: null,
      logs: exec.logs,
      calls: exec.counts,
      ui: [],
    };
    let value: unknown;
    let cpu = process.cpuUsage();
    try {
      if (!this.topLevelFunctions().includes(fn))
        throw new Error(`Script function not found: ${fn}`);
      this.loaded().runInContext(context);
      // The script's own work from here (loading it is the platform's start-up, costed apart).
      cpu = process.cpuUsage();
      const target = (context as Record<string, unknown>)[fn];
      if (typeof target !== 'function') throw new Error(`Script function not found: ${fn}`);
      const args = options.args ? (realm.json(JSON.stringify(options.args)) as unknown[]) : [];
      if (options.event) args.unshift(options.event(exec));
      value = (target as (...a: unknown[]) => unknown)(...args);
    } catch (error) {
      record.ok = false;
      record.error = errorText(error);
    } finally {
      exec.locks.clear();
      const used = process.cpuUsage(cpu);
      exec.counts.cpuMs = (used.user + used.system) / 1000;
    }
    record.ui = exec.ui.map(({ type, title, message }) => ({ type, title, message }));
    world.executions.push(record);
    if (world.executions.length > MAX_EXECUTION_RECORDS) {
      world.executions.splice(0, world.executions.length - MAX_EXECUTION_RECORDS);
    }
    this.lastExecution = record;
    return {
      ok: record.ok,
      value,
      error: record.error,
      ui: exec.ui,
      menus: ui.menus,
      record,
      realm,
    };
  }

  /**
   * Opens the spreadsheet as a person: the simple onOpen trigger builds their menus. An add-on's
   * onOpen runs in AuthMode NONE until the person has used it in this document (then LIMITED).
   */
  open(user: string): MenuEntry[] {
    let menus: MenuEntry[] = [];
    if (this.topLevelFunctions().includes('onOpen')) {
      const authMode =
        isAddon(this.world) && !(this.world.addonEnabledFor ?? []).includes(user)
          ? 'NONE'
          : 'LIMITED';
      const result = this.execute('onOpen', {
        user,
        kind: 'simple',
        authMode,
        event: (exec) =>
          eventObject(exec, {
            authMode,
            ...(authMode === 'NONE' ? {} : { source: makeSpreadsheet(exec) }),
            user: userObject(''),
          }),
      });
      if (!result.ok) throw new Error(`onOpen failed: ${result.error}`);
      menus = result.menus;
    }
    this.menus.set(user, menus);
    return menus;
  }

  /** The menus a person sees (after opening the spreadsheet). */
  menusFor(user: string): MenuEntry[] {
    return this.menus.get(user) ?? this.open(user);
  }

  /** Using an add-on's menu (after authorising it) enables it for that person in the document. */
  private enableAddonFor(user: string): void {
    if (!isAddon(this.world)) return;
    this.world.addonEnabledFor ??= [];
    if (!this.world.addonEnabledFor.includes(user)) this.world.addonEnabledFor.push(user);
  }

  /**
   * Clicks a menu item by its caption path: `Security team > Set up or repair registry`, with
   * or without the top-level `AI Registry`. Errors that escape the function are shown to the
   * person the way Sheets does, as an error message.
   */
  clickMenu(path: string, user: string): ExecutionResult {
    const parts = path
      .split('>')
      .map((p) => p.trim())
      .filter((p) => p !== '');
    // The path is read from the menu bar, or from inside the add-on's menu (Extensions ›
    // Governed Path), or from inside any top-level menu: `Security team > Settings` works.
    const walk = (entries: MenuEntry[], rest: string[]): MenuNode | undefined => {
      const node = entries.find((e): e is MenuNode => e !== 'separator' && e.caption === rest[0]);
      if (!node || rest.length === 1) return node;
      return walk(node.submenu ?? [], rest.slice(1));
    };
    const roots: MenuEntry[][] = [];
    const collect = (entries: MenuEntry[], depth: number) => {
      roots.push(entries);
      if (depth >= 2) return;
      for (const e of entries) if (e !== 'separator' && e.submenu) collect(e.submenu, depth + 1);
    };
    collect(this.menusFor(user), 0);
    const item = roots.map((entries) => walk(entries, parts)).find((n) => n?.fn);
    if (!item?.fn) throw new RuntimeInputError(`There is no menu item "${path}" for ${user}.`);
    const result = this.execute(item.fn, { user, kind: 'menu' });
    this.enableAddonFor(user);
    if (!result.ok) result.ui.push({ type: 'error', title: 'Error', message: result.error ?? '' });
    return result;
  }

  /**
   * Calls a server function as google.script.run does: arguments must be plain JSON values
   * (a Date or a function is refused before anything runs), private functions (ending in _)
   * are not callable, and a result that contains a Date arrives as null.
   */
  run(fn: string, args: unknown[], user: string): RunResult {
    if (!Array.isArray(args)) throw new RuntimeInputError('args must be an array');
    args.forEach((a, i) => checkRunValue(a, String(i)));
    if (fn.endsWith('_') || !/^[A-Za-z_$][\w$]*$/.test(fn)) {
      return { ok: false, error: `Script function not found: ${fn}` };
    }
    this.enableAddonFor(user);
    const result = this.execute(fn, {
      user,
      kind: 'run',
      args: args.map((a) => (a === undefined ? null : a)),
    });
    if (!result.ok) return { ok: false, error: result.error ?? 'Error' };
    if (result.realm.hasDate(result.value)) return { ok: true, result: null };
    const json = result.realm.stringify(result.value) as string | undefined;
    return { ok: true, result: json === undefined ? null : JSON.parse(json) };
  }

  // -------------------------------------------------------------- people editing

  private sheet(name: string): SheetData {
    const sheet = this.world.spreadsheet.sheets.find((s) => s.name === name);
    if (!sheet) throw new RuntimeInputError(`There is no sheet named "${name}".`);
    return sheet;
  }

  /**
   * A person types or pastes `values` into `range` of `sheetName`: parsed as Sheets parses
   * typing, refused by protections and strict validation as Sheets would, then the simple
   * onEdit and the installable edit and change triggers fire.
   */
  edit(
    sheetName: string,
    range: string,
    values: unknown[][],
    user: string,
    how?: EditHow,
    options: EditOptions = {},
  ): EditResult {
    const sheet = this.sheet(sheetName);
    const rect = a1Input(range);
    const nr = rect.nr ?? values.length;
    const nc = rect.nc ?? values[0]?.length ?? 0;
    const single = nr === 1 && nc === 1;
    const kind: EditHow = how ?? (single ? 'type' : 'paste');
    if (!EDIT_KINDS.includes(kind))
      throw new RuntimeInputError(`how must be one of ${EDIT_KINDS.join(', ')}.`);
    if (kind === 'type' && !single)
      throw new RuntimeInputError('Typing fills one cell; use paste for a range.');
    if (kind === 'clear')
      values = values.map((row) => (Array.isArray(row) ? row.map(() => '') : row));
    if (
      !Array.isArray(values) ||
      values.length !== nr ||
      values.some((row) => !Array.isArray(row) || row.length !== nc)
    ) {
      throw new RuntimeInputError(
        `values must be ${nr} row(s) of ${nc} value(s) to fill ${range}.`,
      );
    }
    if (rect.r + nr - 1 > 5_000_000 || rect.c + nc - 1 > 18_278) {
      throw new RuntimeInputError(`${range} is beyond the largest sheet Sheets allows.`);
    }
    const ss = this.world.spreadsheet;
    const result = this.personalEditCheck(sheet, user, rect.r, rect.c, nr, nc);
    if (result.refused) return result;
    if (values.some((row) => row.some((v) => String(v ?? '').length > CELL_CHARACTER_LIMIT))) {
      result.refused = CELL_TOO_LONG;
      return result;
    }
    const grow =
      Math.max(0, rect.r + nr - 1 - sheet.maxRows) * Math.max(sheet.maxCols, rect.c + nc - 1) +
      Math.max(0, rect.c + nc - 1 - sheet.maxCols) * sheet.maxRows;
    try {
      ensureCellRoom(ss, grow);
    } catch (error) {
      result.refused = errorText(error);
      return result;
    }
    // Pasting past the last row or column grows the sheet, as in Sheets.
    if (rect.r + nr - 1 > sheet.maxRows)
      insertRows(sheet, sheet.maxRows, rect.r + nr - 1 - sheet.maxRows);
    if (rect.c + nc - 1 > sheet.maxCols)
      insertModelColumns(sheet, sheet.maxCols, rect.c + nc - 1 - sheet.maxCols);

    const parsed = values.map((row, i) =>
      row.map((raw, j) => {
        const cell = cellAt(sheet, rect.r + i, rect.c + j);
        const text = raw === null || raw === undefined ? '' : String(raw);
        // A paste that brings its own format is read in that format, not the cell's.
        const format =
          options.formats === undefined
            ? cell?.nf
            : options.formats === 'automatic'
              ? undefined
              : (options.formats[i]?.[j] ?? undefined);
        return parseInput(text, format);
      }),
    );
    for (let i = 0; i < nr; i++) {
      for (let j = 0; j < nc; j++) {
        const dv = cellAt(sheet, rect.r + i, rect.c + j)?.dv;
        if (dv === undefined || parsed[i][j].formula) continue;
        const rule = sheet.validations[dv];
        if (satisfies(rule, parsed[i][j].value, ss.timeZone)) continue;
        if (!rule.allowInvalid) {
          result.refused =
            `There was a problem: the data you entered in cell ${cellA1(rect.r + i, rect.c + j)} violates the data validation rules set on this cell. ${rule.helpText}`.trim();
          return result;
        }
        result.invalid.push(cellA1(rect.r + i, rect.c + j));
      }
    }

    // Sheets gives value and oldValue for one typed cell only (a cleared cell: oldValue);
    // a paste, fill, drag or move of even one cell carries neither.
    const reports = single && (kind === 'type' || kind === 'clear');
    const oldValue = reports ? eventText(sheet, rect.r, rect.c) : undefined;
    for (let i = 0; i < nr; i++) {
      for (let j = 0; j < nc; j++) {
        const cell = cellFor(sheet, rect.r + i, rect.c + j);
        const p = parsed[i][j];
        delete cell.f;
        cell.v = p.value;
        if (p.formula) cell.f = p.formula;
        if (options.formats !== undefined) {
          // A paste from another range of Sheets brings its own format (and no validation).
          const format = options.formats === 'automatic' ? null : options.formats[i]?.[j];
          if (format) cell.nf = format;
          else if (p.format) cell.nf = p.format;
          else delete cell.nf;
          delete cell.dv;
        } else if (p.format && !cell.nf) cell.nf = p.format;
      }
    }
    const newValue = reports && kind === 'type' ? eventText(sheet, rect.r, rect.c) : undefined;
    result.ok = true;

    const editEvent = (authMode: string, triggerUid?: string) => (exec: Exec) =>
      eventObject(exec, {
        authMode,
        range: makeRangeFor(exec, sheet, rect.r, rect.c, nr, nc),
        source: makeSpreadsheet(exec),
        user: userObject(exec.user),
        ...(newValue !== undefined ? { value: newValue } : {}),
        ...(oldValue !== undefined ? { oldValue } : {}),
        ...(triggerUid ? { triggerUid } : {}),
      });
    if (this.topLevelFunctions().includes('onEdit')) {
      result.executions.push(
        this.execute('onEdit', { user, kind: 'simple', event: editEvent('LIMITED') }).record,
      );
    }
    for (const t of this.triggersFor('ON_EDIT')) {
      result.executions.push(this.fire(t, editEvent('FULL', t.id), user));
    }
    for (const t of this.triggersFor('ON_CHANGE')) {
      result.executions.push(this.fire(t, changeEvent('EDIT', t.id), user));
    }
    return result;
  }

  /**
   * A person cuts `from` and pastes it at `to` (same size): the cells move with their formats,
   * the source is left empty, and the edit trigger reports only the destination, with no
   * value or oldValue (as Sheets does for a cut-move).
   */
  move(sheetName: string, from: string, to: string, user: string): EditResult {
    const sheet = this.sheet(sheetName);
    const a = a1Input(from);
    const b = a1Input(to);
    const nr = a.nr ?? 1;
    const nc = a.nc ?? 1;
    if ((b.nr !== null && b.nr !== nr) || (b.nc !== null && b.nc !== nc))
      throw new RuntimeInputError(`${to} is not the same size as ${from}.`);
    const source = this.personalEditCheck(sheet, user, a.r, a.c, nr, nc);
    if (source.refused) return source;
    const result = this.personalEditCheck(sheet, user, b.r, b.c, nr, nc);
    if (result.refused) return result;
    if (b.r + nr - 1 > sheet.maxRows)
      insertRows(sheet, sheet.maxRows, b.r + nr - 1 - sheet.maxRows);
    if (b.c + nc - 1 > sheet.maxCols)
      insertModelColumns(sheet, sheet.maxCols, b.c + nc - 1 - sheet.maxCols);
    const cut = Array.from({ length: nr }, (_, i) =>
      Array.from({ length: nc }, (_, j) => {
        const cell = cellAt(sheet, a.r + i, a.c + j);
        const copy = cell ? structuredClone(cell) : null;
        if (sheet.grid[a.r + i - 1]) sheet.grid[a.r + i - 1][a.c + j - 1] = null;
        return copy;
      }),
    );
    cut.forEach((line, i) =>
      line.forEach((cell, j) => {
        const target = cellFor(sheet, b.r + i, b.c + j);
        for (const k of Object.keys(target)) delete (target as Record<string, unknown>)[k];
        if (cell) Object.assign(target, cell);
      }),
    );
    result.ok = true;
    return this.fireValuelessEdit(result, sheet, { r: b.r, c: b.c, nr, nc }, user, 'EDIT');
  }

  /**
   * Fires the installable edit triggers for a change Sheets reports without values (a move,
   * a sort), then the change triggers with `changeType`.
   */
  private fireValuelessEdit(
    result: EditResult,
    sheet: SheetData,
    at: { r: number; c: number; nr: number; nc: number },
    user: string,
    changeType: string,
    fireEdit = true,
  ): EditResult {
    const editEvent = (triggerUid: string) => (exec: Exec) =>
      eventObject(exec, {
        authMode: 'FULL',
        range: makeRangeFor(exec, sheet, at.r, at.c, at.nr, at.nc),
        source: makeSpreadsheet(exec),
        user: userObject(exec.user),
        triggerUid,
      });
    if (fireEdit)
      for (const t of this.triggersFor('ON_EDIT'))
        result.executions.push(this.fire(t, editEvent(t.id), user));
    for (const t of this.triggersFor('ON_CHANGE'))
      result.executions.push(this.fire(t, changeEvent(changeType, t.id), user));
    return result;
  }

  /** Sheets refuses a person's edit of a protected range they may not edit; warning-only ones warn. */
  private personalEditCheck(
    sheet: SheetData,
    user: string,
    r: number,
    c: number,
    nr: number,
    nc: number,
  ): EditResult {
    const result: EditResult = {
      ok: false,
      refused: null,
      warnings: [],
      invalid: [],
      executions: [],
    };
    const { blocked, warnings } = blockingProtection(
      this.world.spreadsheet,
      sheet,
      user,
      r,
      c,
      nr,
      nc,
    );
    if (blocked) result.refused = PROTECTED_MESSAGE;
    result.warnings = warnings.map((p) => p.description);
    return result;
  }

  /**
   * A person sorts a range by one of its columns (Data › Sort range): only the range's cells
   * move, so a range narrower than the sheet is a partial sort. Whether Sheets fires the edit
   * trigger for a sort is not documented: `fireEdit` chooses (the add-on must survive both);
   * change triggers see OTHER.
   */
  sort(
    sheetName: string,
    range: string,
    column: number,
    ascending: boolean,
    user: string,
    fireEdit = true,
  ): EditResult {
    const sheet = this.sheet(sheetName);
    const rect = a1Input(range);
    const nr = rect.nr ?? 1;
    const nc = rect.nc ?? 1;
    if (column < rect.c || column >= rect.c + nc)
      throw new RuntimeInputError(`Column ${column} is not in ${range}.`);
    const result = this.personalEditCheck(sheet, user, rect.r, rect.c, nr, nc);
    if (result.refused) return result;
    const tz = this.world.spreadsheet.timeZone;
    const lines = Array.from({ length: nr }, (_, i) =>
      Array.from({ length: nc }, (_, j) => {
        const cell = cellAt(sheet, rect.r + i, rect.c + j);
        return cell ? structuredClone(cell) : null;
      }),
    );
    const key = (line: (CellData | null)[]) => {
      const v = line[column - rect.c]?.v;
      return v === undefined || v === '' ? null : v;
    };
    const order = lines
      .map((line, i) => ({ line, i }))
      .sort((a, b) => {
        const x = key(a.line);
        const y = key(b.line);
        if (x === null || y === null) return x === y ? a.i - b.i : x === null ? 1 : -1; // blanks last
        const c = compareCells(x, y, tz);
        return (ascending ? c : -c) || a.i - b.i;
      });
    order.forEach(({ line }, i) => {
      for (let j = 0; j < nc; j++) {
        const target = cellFor(sheet, rect.r + i, rect.c + j);
        for (const k of Object.keys(target)) delete (target as Record<string, unknown>)[k];
        if (line[j]) Object.assign(target, line[j]);
      }
    });
    result.ok = true;
    return this.fireValuelessEdit(
      result,
      sheet,
      { r: rect.r, c: rect.c, nr, nc },
      user,
      'OTHER',
      fireEdit,
    );
  }

  /** A person deletes rows: the sheet shrinks and change triggers see REMOVE_ROW. */
  deleteRows(sheetName: string, row: number, howMany: number, user: string): EditResult {
    const sheet = this.sheet(sheetName);
    if (
      !Number.isInteger(row) ||
      !Number.isInteger(howMany) ||
      row < 1 ||
      howMany < 1 ||
      row + howMany - 1 > sheet.maxRows
    ) {
      throw new RuntimeInputError(`Rows ${row}–${row + howMany - 1} are not in ${sheetName}.`);
    }
    const result = this.personalEditCheck(sheet, user, row, 1, howMany, sheet.maxCols);
    if (result.refused) return result;
    if (howMany >= sheet.maxRows - sheet.frozenRows) {
      result.refused = 'You can’t delete all the rows that are not frozen.';
      return result;
    }
    deleteModelRows(sheet, row, howMany);
    result.ok = true;
    for (const t of this.triggersFor('ON_CHANGE')) {
      result.executions.push(this.fire(t, changeEvent('REMOVE_ROW', t.id), user));
    }
    return result;
  }

  /**
   * A person deletes columns (right-click › Delete column): cells to the right move left, the
   * columns' developer metadata goes with them, change triggers see REMOVE_COLUMN (no edit
   * trigger fires). Refused over cells the person may not edit, as Sheets does.
   */
  deleteColumns(sheetName: string, column: number, howMany: number, user: string): EditResult {
    const sheet = this.sheet(sheetName);
    this.checkColumns(sheet, sheetName, column, howMany);
    const result = this.personalEditCheck(sheet, user, 1, column, sheet.maxRows, howMany);
    if (result.refused) return result;
    if (howMany >= sheet.maxCols - sheet.frozenCols) {
      result.refused = 'You can’t delete all the columns that are not frozen.';
      return result;
    }
    deleteModelColumns(sheet, column, howMany);
    result.ok = true;
    return this.fireChange(result, 'REMOVE_COLUMN', user);
  }

  /** A person inserts empty columns before `column`: change triggers see INSERT_COLUMN. */
  insertColumns(sheetName: string, column: number, howMany: number, user: string): EditResult {
    const sheet = this.sheet(sheetName);
    this.checkColumns(sheet, sheetName, column, howMany, true);
    const result = this.personalEditCheck(sheet, user, 1, 1, 1, 1);
    insertModelColumns(sheet, column - 1, howMany);
    result.ok = true;
    return this.fireChange(result, 'INSERT_COLUMN', user);
  }

  /**
   * A person drags columns to sit before column `before`: their cells, hidden flags and
   * developer metadata move. Which change type Sheets reports for a move is not documented:
   * change triggers see OTHER.
   */
  moveColumns(
    sheetName: string,
    column: number,
    howMany: number,
    before: number,
    user: string,
  ): EditResult {
    const sheet = this.sheet(sheetName);
    this.checkColumns(sheet, sheetName, column, howMany);
    if (!Number.isInteger(before) || before < 1 || before > sheet.maxCols + 1)
      throw new RuntimeInputError(`Column ${before} is not in ${sheetName}.`);
    const result = this.personalEditCheck(sheet, user, 1, column, sheet.maxRows, howMany);
    if (result.refused) return result;
    moveModelColumns(sheet, column, howMany, before);
    result.ok = true;
    return this.fireChange(result, 'OTHER', user);
  }

  /**
   * A person deletes a sheet (tab › Delete): refused for a sheet protected against them or for
   * the last sheet, as Sheets does; change triggers see REMOVE_GRID.
   */
  deleteSheet(sheetName: string, user: string): EditResult {
    const sheet = this.sheet(sheetName);
    const result = this.personalEditCheck(sheet, user, 1, 1, sheet.maxRows, sheet.maxCols);
    if (result.refused) return result;
    const ss = this.world.spreadsheet;
    if (ss.sheets.length <= 1) {
      result.refused = 'You can’t remove all the visible sheets in a document.';
      return result;
    }
    ss.sheets = ss.sheets.filter((s) => s !== sheet);
    result.ok = true;
    return this.fireChange(result, 'REMOVE_GRID', user);
  }

  private checkColumns(
    sheet: SheetData,
    sheetName: string,
    column: number,
    howMany: number,
    inserting = false,
  ): void {
    const end = inserting ? sheet.maxCols + 1 : sheet.maxCols;
    if (
      !Number.isInteger(column) ||
      !Number.isInteger(howMany) ||
      column < 1 ||
      howMany < 1 ||
      howMany > 1000 ||
      (inserting ? column > end : column + howMany - 1 > end)
    )
      throw new RuntimeInputError(
        `Columns ${column}–${column + howMany - 1} are not in ${sheetName}.`,
      );
  }

  private fireChange(result: EditResult, changeType: string, user: string): EditResult {
    for (const t of this.triggersFor('ON_CHANGE'))
      result.executions.push(this.fire(t, changeEvent(changeType, t.id), user));
    return result;
  }

  /**
   * A person changes File › Settings › Time zone. Dates are stored without a zone, so every
   * cell shows what it showed and every getValues date moves. No edit trigger fires; change
   * triggers see OTHER.
   */
  setTimeZone(timeZone: string, user: string): EditResult {
    if (typeof timeZone !== 'string' || !isTimeZone(timeZone))
      throw new RuntimeInputError(
        `"${String(timeZone)}" is not a time zone (for example Europe/Berlin).`,
      );
    const result: EditResult = {
      ok: true,
      refused: null,
      warnings: [],
      invalid: [],
      executions: [],
    };
    this.world.spreadsheet.timeZone = timeZone;
    for (const t of this.triggersFor('ON_CHANGE'))
      result.executions.push(this.fire(t, changeEvent('OTHER', t.id), user));
    return result;
  }

  // -------------------------------------------------------------- triggers and the clock

  private triggersFor(type: TriggerData['eventType']): TriggerData[] {
    // Installable triggers do not run in an add-on's test deployment.
    if (deploymentOf(this.world) === 'test') return [];
    return this.world.triggers.filter(
      (t) => t.eventType === type && t.sourceId === this.world.spreadsheet.id,
    );
  }

  /** Installable triggers run as the person who created them. */
  private fire(
    trigger: TriggerData,
    event: (exec: Exec) => unknown,
    activeUser?: string,
  ): ExecutionRecord {
    // An installable trigger sees the person's email only inside the owner's domain: anyone
    // else is an unknown editor (blank), as in Google Workspace.
    const seen =
      activeUser === undefined
        ? trigger.owner
        : domainOf(activeUser) === domainOf(trigger.owner)
          ? activeUser
          : '';
    return this.execute(trigger.handler, {
      user: seen,
      effectiveUser: trigger.owner,
      kind: trigger.eventType === 'CLOCK' ? 'time' : 'installable',
      event,
    }).record;
  }

  /** Moves the clock forward; time-driven triggers that fall due fire in order. */
  advance(ms: number): FiredTrigger[] {
    if (!Number.isFinite(ms) || ms < 0)
      throw new RuntimeInputError('The clock only moves forward.');
    return this.advanceTo(this.world.now + ms);
  }

  advanceTo(time: Date | number | string): FiredTrigger[] {
    const target = toMs(time);
    if (!Number.isFinite(target)) throw new RuntimeInputError('Not a time.');
    if (target < this.world.now) throw new RuntimeInputError('The clock only moves forward.');
    const fired: FiredTrigger[] = [];
    for (;;) {
      const due = this.world.triggers
        .filter(
          (t) =>
            t.eventType === 'CLOCK' &&
            t.nextRun !== null &&
            t.nextRun <= target &&
            deploymentOf(this.world) !== 'test',
        )
        .sort(
          (a, b) => (a.nextRun as number) - (b.nextRun as number) || Number(a.id) - Number(b.id),
        )[0];
      if (!due) break;
      const at = due.nextRun as number;
      this.world.now = Math.max(this.world.now, at);
      due.nextRun = due.time ? nextRun(due.time, at, at, this.manifest.timeZone) : null;
      const record = this.fire(due, (exec) => clockEvent(exec, at, due.id));
      fired.push({
        handler: due.handler,
        at: new Date(at).toISOString(),
        ok: record.ok,
        error: record.error,
      });
      if (fired.length > 100000) throw new Error('runaway time-driven triggers');
    }
    this.world.now = Math.max(this.world.now, target);
    return fired;
  }

  /**
   * Moves the clock forward as if the time-driven triggers had been switched off meanwhile:
   * nothing fires; each trigger's next run is the first after `time` (the benchmark uses it to
   * reach a given day without running every hour in between).
   */
  jumpTo(time: Date | number | string): void {
    const target = toMs(time);
    if (!Number.isFinite(target) || target < this.world.now)
      throw new RuntimeInputError('The clock only moves forward.');
    this.world.now = target;
    for (const t of this.world.triggers)
      if (t.eventType === 'CLOCK' && t.time)
        t.nextRun = nextRun(t.time, target, target, this.manifest.timeZone);
  }

  /** Simulates another execution holding a lock until the clock reaches `until`. */
  holdLock(kind: 'document' | 'script', until: Date | number | string): void {
    const key = kind === 'document' ? `document:${this.world.spreadsheet.id}` : 'script';
    this.host.foreignLocks.set(key, toMs(until));
  }

  /** Queues the button (and text) a person answers the next alert or prompt with. */
  answerUi(button: string, text?: string): void {
    this.host.uiAnswers.push({ button, text });
  }

  // -------------------------------------------------------------- what people see

  sheetNames(): string[] {
    return this.world.spreadsheet.sheets.map((s) => s.name);
  }

  /** A sheet as a person sees it: display values, formulas, backgrounds after conditional formats, notes. */
  view(name: string): SheetView {
    const sheet = this.sheet(name);
    const tz = this.world.spreadsheet.timeZone;
    const rows = Math.max(1, lastRow(sheet, isVisible));
    const cols = Math.max(1, lastColumn(sheet, isVisible));
    const view: SheetView = { values: [], formulas: [], backgrounds: [], notes: [] };
    for (let r = 1; r <= rows; r++) {
      const values: string[] = [];
      const formulas: string[] = [];
      const backgrounds: (string | null)[] = [];
      const notes: string[] = [];
      for (let c = 1; c <= cols; c++) {
        const cell = cellAt(sheet, r, c);
        values.push(cellDisplay(sheet, cell, tz));
        formulas.push(cell?.f ?? '');
        backgrounds.push(displayedStyle(sheet, r, c, this.world.now, tz).background);
        notes.push(cell?.note ?? '');
      }
      view.values.push(values);
      view.formulas.push(formulas);
      view.backgrounds.push(backgrounds);
      view.notes.push(notes);
    }
    return view;
  }

  /**
   * The charts a sheet holds, resolved to what they draw: the first row of each range names
   * the series, the first column labels the points (as Sheets reads a simple data range).
   */
  charts(name: string): ChartView[] {
    const sheet = this.sheet(name);
    const tz = this.world.spreadsheet.timeZone;
    return (sheet.charts ?? []).map((chart) => {
      const rect = chart.ranges[0];
      const rows: string[][] = [];
      for (let r = rect.r; r < rect.r + (rect.nr ?? 1); r++) {
        const line: string[] = [];
        for (let c = rect.c; c < rect.c + (rect.nc ?? 1); c++)
          line.push(cellDisplay(sheet, cellAt(sheet, r, c), tz));
        rows.push(line);
      }
      const [header = [], ...data] = rows;
      return {
        type: chart.type,
        title: String(chart.options.title ?? ''),
        stacked: chart.options.isStacked === true,
        labels: data.map((row) => row[0]),
        series: header.slice(1).map((seriesName, i) => ({
          name: seriesName,
          values: data.map((row) => Number(row[i + 1]) || 0),
        })),
        anchor: chart.anchor,
      };
    });
  }

  /**
   * The add-on's store for this registry (src/services/store.ts: script properties under the
   * spreadsheet's ID), as a live object: reading and writing it reads and writes the store.
   */
  registryProperties(): Record<string, string> {
    const script = this.world.properties.script;
    const prefix = `gp:${this.world.spreadsheet.id}:`;
    const keys = () =>
      Object.keys(script)
        .filter((k) => k.startsWith(prefix))
        .map((k) => k.slice(prefix.length));
    return new Proxy({} as Record<string, string>, {
      get: (_t, key) => (typeof key === 'string' ? script[prefix + key] : undefined),
      set: (_t, key, value) => {
        script[prefix + String(key)] = String(value);
        return true;
      },
      deleteProperty: (_t, key) => {
        delete script[prefix + String(key)];
        return true;
      },
      has: (_t, key) => typeof key === 'string' && prefix + key in script,
      ownKeys: () => keys(),
      getOwnPropertyDescriptor: (_t, key) =>
        typeof key === 'string' && prefix + key in script
          ? { value: script[prefix + key], writable: true, enumerable: true, configurable: true }
          : undefined,
    });
  }

  /** Failed executions since the runtime started (what the Apps Script executions log shows). */
  failures(): ExecutionRecord[] {
    return this.world.executions.filter((e) => !e.ok);
  }
}

type MenuNode = Exclude<MenuEntry, 'separator'>;

interface BundleRealm {
  date(ms: number): Date;
  array(): unknown[];
  object(): Record<string, unknown>;
  json(text: string): unknown;
  stringify(value: unknown): string | undefined;
  hasDate(value: unknown): boolean;
}

export interface ChartView {
  type: string;
  title: string;
  stacked: boolean;
  labels: string[];
  series: { name: string; values: number[] }[];
  anchor: { row: number; col: number };
}

export type RunResult = { ok: true; result: unknown } | { ok: false; error: string };

function eventObject(exec: Exec, fields: Record<string, unknown>): Record<string, unknown> {
  const e = exec.realm.object();
  Object.assign(e, fields);
  return e;
}

function changeEvent(changeType: string, triggerUid: string) {
  return (exec: Exec) =>
    eventObject(exec, {
      authMode: 'FULL',
      changeType,
      source: makeSpreadsheet(exec),
      user: userObject(exec.user),
      triggerUid,
    });
}

function clockEvent(exec: Exec, at: number, triggerUid: string): Record<string, unknown> {
  const w = wallClock(at, 'UTC');
  return eventObject(exec, {
    authMode: 'FULL',
    triggerUid,
    year: w.year,
    month: w.month,
    'day-of-month': w.day,
    'day-of-week': w.weekday === 0 ? 7 : w.weekday,
    hour: w.hour,
    minute: w.minute,
    second: w.second,
    timezone: 'UTC',
  });
}

function makeRangeFor(exec: Exec, sheet: SheetData, r: number, c: number, nr: number, nc: number) {
  return makeSpreadsheet(exec).getSheetByName(sheet.name)!.getRange(r, c, nr, nc);
}

/**
 * Sort order as Sheets has it: numbers (and dates, by their serial) before text, each by
 * value; booleans after text; text compared without case.
 */
function compareCells(x: Stored, y: Stored, tz: string): number {
  const rank = (v: Stored) =>
    typeof v === 'number' || isDateValue(v) ? 0 : typeof v === 'string' ? 1 : 2;
  const num = (v: Stored) => (isDateValue(v) ? dateSerial(v) : Number(v));
  if (rank(x) !== rank(y)) return rank(x) - rank(y);
  if (rank(x) === 0) return num(x) - num(y);
  return displayValue(x, undefined, tz).localeCompare(displayValue(y, undefined, tz), 'en', {
    sensitivity: 'base',
  });
}

/**
 * e.value / e.oldValue: the cell's value as text, undefined when empty. A date is its serial
 * number as text (days since 1899-12-30 of the zone-less value), as observed in Sheets.
 */
function eventText(sheet: SheetData, r: number, c: number): string | undefined {
  const cell = cellAt(sheet, r, c);
  if (!cell || ((cell.v === undefined || cell.v === '') && !cell.f)) return undefined;
  const v = cell.v ?? '';
  if (isDateValue(v)) return String(dateSerial(v));
  return displayValue(v, undefined, 'UTC');
}

function errorText(error: unknown): string {
  if (error && typeof error === 'object' && 'message' in error)
    return String((error as Error).message);
  return String(error);
}

/** google.script.run's argument rules: primitives, null, arrays and plain objects only. */
export function checkRunValue(value: unknown, path: string): void {
  if (value === null || value === undefined) return;
  const t = typeof value;
  if (t === 'string' || t === 'number' || t === 'boolean') return;
  if (t === 'function' || isForeignDate(value)) {
    throw new RuntimeInputError(`Failed due to illegal value in property: ${path}`);
  }
  if (Array.isArray(value)) {
    value.forEach((v, i) => checkRunValue(v, String(i)));
    return;
  }
  if (t === 'object') {
    const proto = Object.getPrototypeOf(value);
    if (proto !== null && proto !== Object.prototype && Object.getPrototypeOf(proto) !== null) {
      throw new RuntimeInputError(`Failed due to illegal value in property: ${path}`);
    }
    for (const [k, v] of Object.entries(value as Record<string, unknown>)) checkRunValue(v, k);
    return;
  }
  throw new RuntimeInputError(`Failed due to illegal value in property: ${path}`);
}

/** A range a caller of the runtime named, or a clear refusal. */
function a1Input(range: string): ReturnType<typeof parseA1> {
  try {
    return parseA1(range);
  } catch {
    throw new RuntimeInputError(`"${range}" is not an A1 range.`);
  }
}

function domainOf(email: string): string {
  return email.slice(email.lastIndexOf('@') + 1).toLowerCase();
}
