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
import type { WorldData } from './gas/model';
import { GasRuntime, ROOT, RuntimeInputError } from './gas/runtime';
import { startSlackReceiver, type SlackReceiver } from './slack/receiver';

export interface SandboxOptions {
  port: number;
  state: string;
  fresh: boolean;
  demo: boolean;
  /** Print the URL and what happens (off in tests). */
  log?: boolean;
}

export interface Sandbox {
  url: string;
  /** The local Slack receiver, where https://hooks.slack.com/… requests land. */
  slackUrl: string;
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
  const log = options.log ? (...a: unknown[]) => console.log(...a) : () => {};
  mkdirSync(options.state, { recursive: true });
  const worldFile = join(options.state, 'world.json');
  const slackFile = join(options.state, 'slack.json');
  const metaFile = join(options.state, 'meta.json');
  if (options.fresh) for (const f of [worldFile, slackFile, metaFile]) rmSync(f, { force: true });

  const receiver: SlackReceiver = await startSlackReceiver();
  const page = await buildPage();
  let meta: Meta = existsSync(metaFile)
    ? (JSON.parse(readFileSync(metaFile, 'utf8')) as Meta)
    : { user: SANDBOX_PEOPLE.employee };

  /** A demo spreadsheet starts weeks ago, so its registrations have a history; then time moves to now. */
  const make = (world?: WorldData, demo = false) =>
    new GasRuntime({
      world,
      now: Date.now() - (demo ? DEMO_DAYS * 86400000 : 0),
      slackBaseUrl: receiver.baseUrl,
    });
  let rt: GasRuntime;
  if (existsSync(worldFile)) {
    rt = make(JSON.parse(readFileSync(worldFile, 'utf8')) as WorldData);
    if (existsSync(slackFile)) await receiver.load(JSON.parse(readFileSync(slackFile, 'utf8')));
    log(`Loaded the sandbox spreadsheet from ${options.state}`);
  } else {
    rt = make(undefined, options.demo);
    setUpSandbox(rt);
    if (options.demo) seedDemo(rt);
  }

  const writeAtomically = (file: string, text: string) => {
    writeFileSync(`${file}.tmp`, text);
    renameSync(`${file}.tmp`, file);
  };
  const persist = async () => {
    writeAtomically(worldFile, JSON.stringify(rt.world));
    writeAtomically(slackFile, JSON.stringify(await receiver.messages()));
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

  /** google.script.run for HTML the add-on shows (sidebar, dialogs), carried over /api/run. */
  const bridge = (user: string) => `${googleScriptRunShim(rt.topLevelFunctions())}
window.__gasTransport = (fn, args) => fetch('/api/run', { method: 'POST', headers: { 'Content-Type': 'application/json' },
  body: JSON.stringify({ fn, args, user: ${JSON.stringify(user)} }) }).then((r) => { if (!r.ok) throw new Error('HTTP ' + r.status); return r.json(); });`;
  /** dist/Sidebar.html as the add-on shows it: bridged, and opened on a panel (as menuX appends). */
  const sidebar = (user: string, panel: string | null) =>
    readFileSync(join(rt.distDir, 'Sidebar.html'), 'utf8').replace(
      /<head>/i,
      `<head><script src="/bridge.js?user=${encodeURIComponent(user)}"></script>`,
    ) +
    (panel
      ? `<script>window.GP_PANEL = ${JSON.stringify(panel.replace(/[^a-z]/g, ''))};</script>`
      : '');

  const routes: Record<string, (body: unknown, url: URL) => Promise<unknown> | unknown> = {
    'GET /api/state': async () => ({
      now: rt.now.toISOString(),
      user: meta.user,
      people: SANDBOX_PEOPLE,
      timeZone: rt.world.spreadsheet.timeZone,
      sheets: rt.sheetNames(),
      menus: rt.menusFor(meta.user),
      slack: await receiver.messages(),
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
      const result = rt.edit(sheet, range, values, userOf(body));
      await persist();
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
      const fired = rt.advanceTo(target);
      await persist();
      return { now: rt.now.toISOString(), fired };
    },
    'GET /api/slack': () => receiver.messages(),
    'POST /api/slack/fail': async (body) => {
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
        status,
        count: count as number,
        retryAfter: b.retryAfter as number | undefined,
      });
      return { ok: true };
    },
    'GET /api/mail': () => ({ mail: rt.world.mail }),
    'POST /api/reset': async (body) => {
      const demo = (body as Record<string, unknown>).demo !== false;
      rt = make(undefined, demo);
      await receiver.reset();
      setUpSandbox(rt);
      if (demo) seedDemo(rt);
      await persist();
      return { ok: true, now: rt.now.toISOString(), sheets: rt.sheetNames() };
    },
  };

  const server = createServer((req, res) => {
    void (async () => {
      const url = new URL(req.url ?? '/', 'http://127.0.0.1');
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
          const name = decodeURIComponent(url.pathname.slice('/api/sheets/'.length));
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
    else if (a === '--help') {
      console.log('npm start -- [--port N] [--state DIR] [--fresh] [--no-demo]');
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
