/**
 * `npm start`: the whole add-on in a local browser, no Google account (DESIGN §8). Serves the
 * page and a JSON API over the in-memory runtime running the real dist/Code.js, with a local
 * Slack webhook receiver; state persists in .sandbox/ (or --state DIR).
 */
import { mkdirSync, readFileSync, renameSync, writeFileSync, existsSync, rmSync } from 'node:fs';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import { join } from 'node:path';
import * as esbuild from 'esbuild';
import { googleScriptRunShim } from './bridge/google-script-run';
import { addDuration } from './duration';
import { DEMO_DAYS, seedDemo, setUpSandbox, SANDBOX_PEOPLE } from './demo';
import { columnLetters, columnNumber, rectA1 } from './gas/a1';
import { cellAt, lastColumn, lastRow, type SheetData, type WorldData } from './gas/model';
import {
  EDIT_KINDS,
  GasRuntime,
  ROOT,
  RuntimeInputError,
  type EditHow,
  type EditResult,
} from './gas/runtime';
import { zonedTime } from './gas/time';
import {
  RECEIVER_SERVICES,
  startSlackReceiver,
  type ReceiverService,
  type SlackReceiver,
} from './slack/receiver';

export interface SandboxOptions {
  port: number;
  state: string;
  fresh: boolean;
  demo: boolean;
  /** The clock of a fresh sandbox (ms since the epoch); the current time unless given. */
  now?: number;
  /** Print the URL and what happens (off in tests). */
  log?: boolean;
}

export interface Sandbox {
  url: string;
  /**
   * The local webhook receiver, where https://hooks.slack.com/…, Google Chat, Teams Workflows
   * and signed-webhook requests land (its historical name).
   */
  slackUrl: string;
  /** That receiver, to read or seed what each service received. */
  receiver: SlackReceiver;
  runtime(): GasRuntime;
  close(): Promise<void>;
}

class BadRequest extends Error {
  constructor(
    message: string,
    readonly status = 400,
  ) {
    super(message);
  }
}

interface Meta {
  user: string;
}

const MAX_BODY = 5 * 1024 * 1024;

function readBody(req: IncomingMessage): Promise<unknown> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (c: Buffer) => {
      size += c.length;
      if (size > MAX_BODY) reject(new BadRequest('The request body is larger than 5 MB.', 413));
      else chunks.push(c);
    });
    req.on('end', () => {
      const text = Buffer.concat(chunks).toString('utf8');
      if (text.trim() === '') return resolve({});
      try {
        resolve(JSON.parse(text));
      } catch {
        reject(new BadRequest('The request body is not valid JSON.'));
      }
    });
    req.on('error', reject);
  });
}

function send(res: ServerResponse, status: number, body: unknown, type = 'application/json'): void {
  const text = type === 'application/json' ? JSON.stringify(body) : String(body);
  res.writeHead(status, {
    'Content-Type': `${type}; charset=utf-8`,
    'Cache-Control': 'no-store',
    'X-Content-Type-Options': 'nosniff',
  });
  res.end(text);
}

function field<T>(body: unknown, name: string, check: (v: unknown) => v is T, what: string): T {
  const value = (body as Record<string, unknown>)?.[name];
  if (!check(value)) throw new BadRequest(`"${name}" must be ${what}.`);
  return value;
}
const isString = (v: unknown): v is string => typeof v === 'string' && v.trim() !== '';
const isGrid = (v: unknown): v is unknown[][] =>
  Array.isArray(v) && v.every((r) => Array.isArray(r));
const isArray = (v: unknown): v is unknown[] => Array.isArray(v);
const isCount = (v: unknown): v is number => Number.isInteger(v) && (v as number) >= 1;

/** The sandbox spreadsheet's time zone (DESIGN §8): where a `now` without an offset is read. */
export const SANDBOX_TIME_ZONE = 'America/New_York';

/**
 * The clock moves at most a year in one request: every hourly run on the way executes the
 * add-on (a year is about 8,800 runs, minutes of work), and the server answers nothing else
 * meanwhile.
 */
const MAX_CLOCK_STEP = 366 * 86400000;

const ISO_TIME =
  /^(\d{4})-(\d{2})-(\d{2})(?:[T ](\d{2}):(\d{2})(?::(\d{2})(?:\.(\d{1,3})\d*)?)?(Z|[+-]\d{2}(?::?\d{2})?)?)?$/i;

/**
 * `--now` and reset's `now`: an ISO 8601 time (2027-01-04T09:00:00Z). A time without an offset
 * is read in the sandbox spreadsheet's zone, and a date alone is 09:00 there. Null if it is not
 * one, or not a time from 2000 to 2099.
 */
export function parseStartTime(text: string): number | null {
  const m = ISO_TIME.exec(text.trim());
  if (!m) return null;
  const [year, month, day] = [m[1], m[2], m[3]].map(Number);
  const dateOnly = m[4] === undefined;
  const [hour, minute, second] = dateOnly ? [9, 0, 0] : [m[4], m[5], m[6] ?? '0'].map(Number);
  const ms = m[7] ? Number(m[7].padEnd(3, '0')) : 0;
  if (year < 2000 || year > 2099 || month < 1 || month > 12 || hour > 23 || minute > 59)
    return null;
  if (second > 59 || day < 1 || day > new Date(Date.UTC(year, month, 0)).getUTCDate()) return null;
  const zone = m[8]?.toUpperCase();
  if (zone === undefined)
    return zonedTime(SANDBOX_TIME_ZONE, year, month, day, hour, minute, second, ms);
  const wall = Date.UTC(year, month - 1, day, hour, minute, second, ms);
  if (zone === 'Z') return wall;
  const offset = /^([+-])(\d{2}):?(\d{2})?$/.exec(zone)!;
  const minutes = Number(offset[2]) * 60 + Number(offset[3] ?? 0);
  if (Number(offset[2]) > 23 || Number(offset[3] ?? 0) > 59) return null;
  return wall - (offset[1] === '-' ? -1 : 1) * minutes * 60000;
}

const START_TIME_HELP =
  'an ISO 8601 time from 2000 to 2099, such as 2027-01-04T09:00:00Z, or a date such as 2027-01-04 (09:00 New York time)';

/** What an edit, sort, row deletion or settings change did, as the API reports it. */
function report(result: EditResult) {
  return {
    ...result,
    executions: result.executions.map((e) => ({
      fn: e.fn,
      ok: e.ok,
      error: e.error,
      calls: e.calls,
      toasts: e.ui.filter((u) => u.type === 'toast').map((u) => u.message),
    })),
  };
}

async function buildPage(): Promise<{ js: string; css: string }> {
  const result = await esbuild.build({
    entryPoints: [join(ROOT, 'sandbox/page/main.ts')],
    bundle: true,
    write: false,
    format: 'iife',
    target: 'es2020',
    outdir: 'out',
    loader: { '.css': 'css' },
  });
  return {
    js: result.outputFiles.find((f) => f.path.endsWith('.js'))!.text,
    css: result.outputFiles.find((f) => f.path.endsWith('.css'))?.text ?? '',
  };
}

const PAGE = (css: string) => `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8" />
<meta name="viewport" content="width=device-width, initial-scale=1" />
<title>Governed Path sandbox</title>
<style>${css}</style>
</head>
<body>
<div id="root"></div>
<script src="/app.js"></script>
</body>
</html>`;

export async function startSandbox(options: SandboxOptions): Promise<Sandbox> {
  const receiver = await startSlackReceiver();
  try {
    return await serve(options, receiver);
  } catch (error) {
    // A sandbox that cannot start (a broken build, a port in use) leaves no receiver running.
    await receiver.stop();
    throw error;
  }
}

async function serve(options: SandboxOptions, receiver: SlackReceiver): Promise<Sandbox> {
  const log = options.log ? (...a: unknown[]) => console.log(...a) : () => {};
  mkdirSync(options.state, { recursive: true });
  const worldFile = join(options.state, 'world.json');
  /** Every service's messages; slack.json is what a sandbox from before other services kept. */
  const channelsFile = join(options.state, 'channels.json');
  const slackFile = join(options.state, 'slack.json');
  const metaFile = join(options.state, 'meta.json');
  if (options.fresh)
    for (const f of [worldFile, channelsFile, slackFile, metaFile]) rmSync(f, { force: true });

  const page = await buildPage();
  let meta: Meta = existsSync(metaFile)
    ? (JSON.parse(readFileSync(metaFile, 'utf8')) as Meta)
    : { user: SANDBOX_PEOPLE.employee };

  /**
   * A fresh spreadsheet set up by the admin, its clock at `now`. A demo one starts weeks earlier,
   * so its registrations have a history; then time moves on to `now`.
   */
  const fresh = (now: number, demo: boolean) => {
    const runtime = new GasRuntime({
      now: now - (demo ? DEMO_DAYS * 86400000 : 0),
      slackBaseUrl: receiver.baseUrl,
    });
    setUpSandbox(runtime);
    if (demo) seedDemo(runtime, now);
    return runtime;
  };
  let rt: GasRuntime;
  if (existsSync(worldFile)) {
    rt = new GasRuntime({
      world: JSON.parse(readFileSync(worldFile, 'utf8')) as WorldData,
      slackBaseUrl: receiver.baseUrl,
    });
    if (existsSync(channelsFile))
      await receiver.load(JSON.parse(readFileSync(channelsFile, 'utf8')));
    else if (existsSync(slackFile))
      await receiver.load(JSON.parse(readFileSync(slackFile, 'utf8')));
    log(`Loaded the sandbox spreadsheet from ${options.state}`);
    if (options.now !== undefined)
      log(
        '--now sets the clock of a fresh sandbox; this one keeps its own (add --fresh to start over).',
      );
  } else {
    rt = fresh(options.now ?? Date.now(), options.demo);
  }

  const writeAtomically = (file: string, text: string) => {
    writeFileSync(`${file}.tmp`, text);
    renameSync(`${file}.tmp`, file);
  };
  const persist = async () => {
    writeAtomically(worldFile, JSON.stringify(rt.world));
    writeAtomically(channelsFile, JSON.stringify(await receiver.all()));
    rmSync(slackFile, { force: true }); // channels.json holds Slack's messages now
    writeAtomically(metaFile, JSON.stringify(meta));
  };
  await persist();

  const userOf = (body: unknown): string => {
    const user = (body as Record<string, unknown>)?.user;
    if (user === undefined || user === null || user === '') return meta.user;
    if (typeof user !== 'string' || !/^[^\s@]+@[^\s@]+\.[^\s@]+$/.test(user.trim())) {
      throw new BadRequest('"user" must be an email address.');
    }
    return user.trim().toLowerCase();
  };

  const sheetData = (name: string): SheetData => {
    const sheet = rt.world.spreadsheet.sheets.find((s) => s.name === name);
    if (!sheet) throw new BadRequest(`There is no sheet named "${name}".`);
    return sheet;
  };

  /** A column named by its header in row 1 (any case) or by its letter, as a 1-based number. */
  const columnOf = (sheet: SheetData, column: string): number => {
    const wanted = column.trim().toLowerCase();
    const header = (c: number) =>
      String(cellAt(sheet, 1, c)?.v ?? '')
        .trim()
        .toLowerCase();
    const width = lastColumn(sheet);
    for (let c = 1; c <= width; c++) if (header(c) === wanted) return c;
    if (/^[a-z]{1,3}$/.test(wanted) && columnNumber(wanted) <= sheet.maxCols)
      return columnNumber(wanted);
    throw new BadRequest(
      `There is no column "${column}" in ${sheet.name}: name a header in row 1 or a column letter from A to ${columnLetters(sheet.maxCols)}.`,
    );
  };

  /** google.script.run for HTML the add-on shows (sidebar, dialogs), carried over /api/run. */
  const bridge = (user: string) => `${googleScriptRunShim(rt.topLevelFunctions())}
window.__gasTransport = (fn, args) => fetch('/api/run', { method: 'POST', headers: { 'Content-Type': 'application/json' },
  body: JSON.stringify({ fn, args, user: ${JSON.stringify(user)} }) }).then((r) => { if (!r.ok) throw new Error('HTTP ' + r.status); return r.json(); });`;
  /**
   * dist/Sidebar.html as the add-on shows it: bridged, and opened on a panel (as menuX appends);
   * `import`: dist/Import.html.
   */
  const sidebar = (user: string, panel: string | null) =>
    // The import dialog is a page of its own (dist/Import.html), as the add-on opens it.
    readFileSync(
      join(rt.distDir, panel === 'import' ? 'Import.html' : 'Sidebar.html'),
      'utf8',
    ).replace(
      /<head>/i,
      `<head><script src="/bridge.js?user=${encodeURIComponent(user)}"></script>`,
    ) +
    (panel
      ? `<script>window.GP_PANEL = ${JSON.stringify(panel.replace(/[^a-z]/g, ''))};</script>`
      : '');

  /** POST /api/<service>/fail: the next `count` posts to that service answer `status`. */
  const injectFault = async (service: ReceiverService, body: unknown) => {
    const status = field(
      body,
      'status',
      (v): v is number => Number.isInteger(v) && (v as number) >= 400 && (v as number) <= 599,
      'an HTTP error status (400–599)',
    );
    const b = body as Record<string, unknown>;
    const count = b.count === undefined ? 1 : b.count;
    if (!Number.isInteger(count) || (count as number) < 1 || (count as number) > 1000)
      throw new BadRequest('"count" must be a whole number from 1 to 1000.');
    if (
      b.retryAfter !== undefined &&
      (!Number.isInteger(b.retryAfter) || (b.retryAfter as number) < 0)
    ) {
      throw new BadRequest('"retryAfter" must be a whole number of seconds.');
    }
    await receiver.fail({
      service,
      status,
      count: count as number,
      retryAfter: b.retryAfter as number | undefined,
    });
    return { ok: true };
  };

  const routes: Record<string, (body: unknown, url: URL) => Promise<unknown> | unknown> = {
    'GET /api/state': async () => ({
      now: rt.now.toISOString(),
      user: meta.user,
      people: SANDBOX_PEOPLE,
      timeZone: rt.world.spreadsheet.timeZone,
      sheets: rt.sheetNames(),
      menus: rt.menusFor(meta.user),
      ...(await receiver.all()),
      mail: rt.world.mail,
      triggers: rt.world.triggers.map((t) => ({
        handler: t.handler,
        eventType: t.eventType,
        owner: t.owner,
        nextRun: t.nextRun === null ? null : new Date(t.nextRun).toISOString(),
      })),
      failures: rt
        .failures()
        .slice(-20)
        .map((e) => ({ fn: e.fn, at: e.started, error: e.error })),
    }),
    'POST /api/user': async (body) => {
      meta = { user: userOf({ user: field(body, 'user', isString, 'an email address') }) };
      await persist();
      return { user: meta.user, menus: rt.menusFor(meta.user) };
    },
    'POST /api/edit': async (body) => {
      const sheet = field(body, 'sheet', isString, 'a sheet name');
      const range = field(body, 'range', isString, 'an A1 range such as B2 or B2:D4');
      const values = field(body, 'values', isGrid, 'a 2-D array of values');
      const how = (body as Record<string, unknown>).how ?? undefined;
      if (how !== undefined && !EDIT_KINDS.includes(how as EditHow)) {
        throw new BadRequest(
          '"how" must be "type" (one cell typed), "paste" (a range pasted) or "clear".',
        );
      }
      const result = rt.edit(sheet, range, values, userOf(body), how as EditHow | undefined);
      await persist();
      return report(result);
    },
    'POST /api/delete-columns': async (body) => {
      const name = field(body, 'sheet', isString, 'a sheet name');
      const column = field(body, 'column', isCount, 'a column number (1 or more)');
      const count = (body as Record<string, unknown>).count ?? 1;
      if (!isCount(count)) throw new BadRequest('"count" must be a number of columns (1 or more).');
      const user = userOf(body);
      const sheet = sheetData(name);
      if (column + count - 1 > sheet.maxCols)
        throw new BadRequest(
          `${name} has ${sheet.maxCols} columns, so it has no columns ${column} to ${column + count - 1} to delete.`,
        );
      const result = rt.deleteColumns(name, column, count, user);
      await persist();
      return report(result);
    },
    'POST /api/move-columns': async (body) => {
      const name = field(body, 'sheet', isString, 'a sheet name');
      const column = field(body, 'column', isCount, 'a column number (1 or more)');
      const before = field(body, 'before', isCount, 'the column number to move them before');
      const count = (body as Record<string, unknown>).count ?? 1;
      if (!isCount(count)) throw new BadRequest('"count" must be a number of columns (1 or more).');
      const sheet = sheetData(name);
      if (column + count - 1 > sheet.maxCols || before > sheet.maxCols + 1)
        throw new BadRequest(`${name} has ${sheet.maxCols} columns.`);
      const result = rt.moveColumns(name, column, count, before, userOf(body));
      await persist();
      return report(result);
    },
    'POST /api/delete-sheet': async (body) => {
      const name = field(body, 'sheet', isString, 'a sheet name');
      sheetData(name);
      const result = rt.deleteSheet(name, userOf(body));
      await persist();
      return report(result);
    },
    'POST /api/delete-rows': async (body) => {
      const name = field(body, 'sheet', isString, 'a sheet name');
      const start = field(body, 'start', isCount, 'a row number (1 or more)');
      const count = (body as Record<string, unknown>).count ?? 1;
      if (!isCount(count)) throw new BadRequest('"count" must be a number of rows (1 or more).');
      const user = userOf(body);
      const sheet = sheetData(name);
      const end = start + count - 1;
      if (end > sheet.maxRows) {
        throw new BadRequest(
          `${name} has ${sheet.maxRows} rows, so it has no rows ${start} to ${end} to delete.`,
        );
      }
      // Sheets keeps at least one row that is not frozen.
      const frozen = Math.min(sheet.frozenRows, sheet.maxRows);
      const deletedUnfrozen = Math.max(0, end - Math.max(start, frozen + 1) + 1);
      if (sheet.maxRows - frozen - deletedUnfrozen < 1) {
        return report({
          ok: false,
          refused: 'Sheets cannot delete all the rows of a sheet that are not frozen.',
          warnings: [],
          invalid: [],
          executions: [],
        });
      }
      const result = rt.deleteRows(name, start, count, user);
      await persist();
      return report(result);
    },
    'POST /api/sort': async (body) => {
      const name = field(body, 'sheet', isString, 'a sheet name');
      const column = field(body, 'column', isString, 'a header in row 1 or a column letter');
      const ascending = (body as Record<string, unknown>).ascending ?? true;
      if (typeof ascending !== 'boolean')
        throw new BadRequest('"ascending" must be true (A to Z) or false (Z to A).');
      const user = userOf(body);
      const sheet = sheetData(name);
      const col = columnOf(sheet, column);
      // Sort sheet: the data rows below the header, every column with content (hidden ones too).
      const first = Math.max(2, sheet.frozenRows + 1);
      const last = lastRow(sheet);
      if (last < first) {
        return {
          ...report({ ok: true, refused: null, warnings: [], invalid: [], executions: [] }),
          range: null,
        };
      }
      const range = rectA1(first, 1, last - first + 1, Math.max(lastColumn(sheet), col));
      const result = rt.sort(name, range, col, ascending, user);
      await persist();
      return { ...report(result), range };
    },
    'POST /api/spreadsheet': async (body) => {
      const given = field(body, 'timeZone', isString, 'a time zone such as Europe/Berlin').trim();
      let timeZone = given;
      try {
        // The zone's canonical name (europe/berlin → Europe/Berlin), as Sheets' list shows it.
        timeZone = new Intl.DateTimeFormat('en-US', { timeZone: given }).resolvedOptions().timeZone;
      } catch {
        // not a zone: the runtime says so
      }
      const result = rt.setTimeZone(timeZone, userOf(body));
      await persist();
      return { ...report(result), timeZone: rt.world.spreadsheet.timeZone };
    },
    'POST /api/menu': async (body) => {
      const item = field(
        body,
        'item',
        isString,
        'a menu caption path such as "Security team > Run daily checks now"',
      );
      const result = rt.clickMenu(item, userOf(body));
      await persist();
      return { ok: result.ok, error: result.error, ui: result.ui };
    },
    'POST /api/run': async (body) => {
      const fn = field(body, 'fn', isString, 'a server function name');
      const args = (body as Record<string, unknown>).args ?? [];
      if (!isArray(args)) throw new BadRequest('"args" must be an array.');
      const result = rt.run(fn, args, userOf(body));
      await persist();
      return result;
    },
    'POST /api/clock': async (body) => {
      const b = body as Record<string, unknown>;
      if (typeof b.advance !== 'string' && typeof b.to !== 'string') {
        throw new BadRequest(
          'Send {"advance": "P1D"} (an ISO 8601 duration) or {"to": "2027-01-01T09:00:00Z"}.',
        );
      }
      const target =
        typeof b.advance === 'string'
          ? addDuration(rt.world.now, b.advance)
          : Date.parse(String(b.to));
      if (target === null || !Number.isFinite(target))
        throw new BadRequest('That is not an ISO 8601 duration or time.');
      if (target < rt.world.now) throw new BadRequest('The clock only moves forward.');
      if (target - rt.world.now > MAX_CLOCK_STEP) {
        throw new BadRequest(
          'The clock moves at most a year at a time (every hourly trigger on the way runs); move it again for more.',
        );
      }
      if (b.quiet !== undefined && typeof b.quiet !== 'boolean')
        throw new BadRequest('"quiet" must be true (nothing fires on the way) or false.');
      // Quiet: as if the triggers had been off meanwhile (each runs next after the new time).
      if (b.quiet === true) {
        rt.jumpTo(target);
        await persist();
        return { now: rt.now.toISOString(), fired: [] };
      }
      const fired = rt.advanceTo(target);
      await persist();
      return { now: rt.now.toISOString(), fired };
    },
    ...Object.fromEntries(
      RECEIVER_SERVICES.flatMap((service) => [
        [`GET /api/${service}`, () => receiver.messages(service)],
        [`POST /api/${service}/fail`, (body: unknown) => injectFault(service, body)],
      ]),
    ),
    'GET /api/mail': () => ({ mail: rt.world.mail }),
    'POST /api/reset': async (body) => {
      const b = body as Record<string, unknown>;
      if (b.demo !== undefined && typeof b.demo !== 'boolean')
        throw new BadRequest('"demo" must be true (with the demo registrations) or false.');
      let now = Date.now();
      if (b.now !== undefined && b.now !== null && b.now !== '') {
        const start = typeof b.now === 'string' ? parseStartTime(b.now) : null;
        if (start === null) throw new BadRequest(`"now" must be ${START_TIME_HELP}.`);
        now = start;
      }
      await receiver.reset();
      rt = fresh(now, b.demo !== false);
      await persist();
      return { ok: true, now: rt.now.toISOString(), sheets: rt.sheetNames() };
    },
  };

  const server = createServer((req, res) => {
    void (async () => {
      let url: URL;
      try {
        url = new URL(req.url ?? '/', 'http://127.0.0.1');
      } catch {
        return send(res, 400, { error: 'The request address is not a valid URL.' });
      }
      try {
        if (req.method === 'GET' && url.pathname === '/')
          return send(res, 200, PAGE(page.css), 'text/html');
        if (req.method === 'GET' && url.pathname === '/app.js')
          return send(res, 200, page.js, 'text/javascript');
        if (req.method === 'GET' && url.pathname === '/bridge.js') {
          return send(
            res,
            200,
            bridge(userOf({ user: url.searchParams.get('user') ?? '' })),
            'text/javascript',
          );
        }
        if (req.method === 'GET' && url.pathname === '/sidebar') {
          return send(
            res,
            200,
            sidebar(
              userOf({ user: url.searchParams.get('user') ?? '' }),
              url.searchParams.get('panel'),
            ),
            'text/html',
          );
        }
        if (req.method === 'GET' && url.pathname.startsWith('/api/sheets/')) {
          let name: string;
          try {
            name = decodeURIComponent(url.pathname.slice('/api/sheets/'.length));
          } catch {
            throw new BadRequest('The sheet name in the address is not valid percent-encoding.');
          }
          if (!rt.sheetNames().includes(name))
            throw new BadRequest(`There is no sheet named "${name}".`, 404);
          const hiddenColumns =
            rt.world.spreadsheet.sheets.find((s) => s.name === name)?.hiddenColumns ?? [];
          return send(res, 200, { ...rt.view(name), charts: rt.charts(name), hiddenColumns });
        }
        const route = routes[`${req.method} ${url.pathname}`];
        if (!route) throw new BadRequest(`No such endpoint: ${req.method} ${url.pathname}`, 404);
        const body = req.method === 'POST' ? await readBody(req) : {};
        if (
          req.method === 'POST' &&
          (typeof body !== 'object' || body === null || Array.isArray(body))
        ) {
          throw new BadRequest('The request body must be a JSON object.');
        }
        send(res, 200, await route(body, url));
      } catch (error) {
        if (error instanceof BadRequest) return send(res, error.status, { error: error.message });
        if (error instanceof RuntimeInputError) return send(res, 400, { error: error.message });
        console.error(error);
        send(res, 500, { error: 'The sandbox hit an internal error; see the server log.' });
      }
    })();
  });

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port, '127.0.0.1', () => resolve());
  });
  const address = server.address();
  const url = `http://127.0.0.1:${typeof address === 'object' && address ? address.port : options.port}`;
  log(`Governed Path sandbox: ${url}  (state in ${options.state})`);
  return {
    url,
    slackUrl: receiver.baseUrl,
    receiver,
    runtime: () => rt,
    close: async () => {
      await new Promise<void>((resolve) => server.close(() => resolve()));
      await receiver.stop();
    },
  };
}

function parseArgs(argv: string[]): SandboxOptions {
  const options: SandboxOptions = {
    port: 8787,
    state: join(ROOT, '.sandbox'),
    fresh: false,
    demo: true,
    log: true,
  };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    if (a === '--port') options.port = Number(argv[++i]);
    else if (a === '--state') options.state = argv[++i];
    else if (a === '--fresh') options.fresh = true;
    else if (a === '--no-demo') options.demo = false;
    else if (a === '--now') {
      const given = argv[++i] ?? '';
      const now = parseStartTime(given);
      if (now === null) {
        console.error(`--now takes ${START_TIME_HELP}; "${given}" is not one.`);
        process.exit(2);
      }
      options.now = now;
    } else if (a === '--help') {
      console.log('npm start -- [--port N] [--state DIR] [--fresh] [--no-demo] [--now ISO]');
      process.exit(0);
    } else {
      console.error(`Unknown option ${a}. Try: npm start -- --help`);
      process.exit(2);
    }
  }
  if (!Number.isInteger(options.port) || options.port < 0 || options.port > 65535) {
    console.error('--port takes a number from 0 to 65535.');
    process.exit(2);
  }
  return options;
}

if (require.main === module) {
  startSandbox(parseArgs(process.argv.slice(2))).catch((error: Error) => {
    console.error(`The sandbox could not start: ${error.message}`);
    process.exit(1);
  });
}
