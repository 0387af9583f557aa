import type { CallCounts, Deployment, ExecutionKind, WorldData } from './model';

export type AuthMode = 'NONE' | 'LIMITED' | 'FULL';

export interface UiRecord {
  type: 'alert' | 'prompt' | 'sidebar' | 'dialog' | 'toast' | 'error';
  title: string;
  message: string;
  html?: string;
  width?: number;
  height?: number;
}

/** Values built in the bundle's own realm, so `instanceof Date` holds inside the script. */
export interface Realm {
  date(ms: number): Date;
  array(): unknown[];
  object(): Record<string, unknown>;
}

export interface Host {
  /** Synchronous HTTP for UrlFetchApp. */
  fetch(request: FetchRequest): FetchResponse;
  /** Releases time of locks held by simulated other executions (by lock key). */
  foreignLocks: Map<string, number>;
  /** Answers queued for Ui.alert / Ui.prompt, first in first out. */
  uiAnswers: { button?: string; text?: string }[];
  /** Where HtmlService finds its files (dist/). */
  htmlDir: string;
  /** Maps an allowed Slack URL to where the local receiver listens. */
  slackBaseUrl: string | null;
}

export interface FetchRequest {
  url: string;
  method: string;
  headers: Record<string, string>;
  body: string | null;
}

export interface FetchResponse {
  status: number;
  headers: Record<string, string>;
  body: string;
  error?: string;
}

export interface Manifest {
  timeZone: string;
  oauthScopes: string[];
  urlFetchWhitelist?: string[];
}

/** One simulated execution: who runs, with what authority, and what it did. */
export interface Exec {
  world: WorldData;
  host: Host;
  manifest: Manifest;
  fn: string;
  kind: ExecutionKind;
  authMode: AuthMode;
  user: string;
  effectiveUser: string;
  realm: Realm;
  counts: CallCounts;
  ui: UiRecord[];
  logs: string[];
  locks: Set<string>;
  /**
   * Whether the execution runs in a document. An add-on's time-driven trigger does not: no
   * active spreadsheet, no document properties, no document lock (DESIGN §10).
   */
  hasDocument: boolean;
}

export function deploymentOf(world: WorldData): Deployment {
  return world.deployment ?? 'addon';
}

/** An add-on (published or test deployment), as opposed to a bound script. */
export function isAddon(world: WorldData): boolean {
  return deploymentOf(world) !== 'bound';
}

export type CallKind = 'reads' | 'writes' | 'formatting' | 'files' | 'other';

/** Calls that answer from the spreadsheet's structure, cheaper than data calls. */
const METADATA = new Set([
  'Spreadsheet.getSheetByName',
  'Spreadsheet.getSheets',
  'Sheet.getLastRow',
  'Sheet.getLastColumn',
  'Sheet.getDataRange',
  'Sheet.getProtections',
  'Sheet.getConditionalFormatRules',
  'DeveloperMetadataFinder.find',
]);

/** Calls at or below this many cells write at the faster rate (apps-script-costs.md). */
export const BIG_WRITE = 20_000;

/** Counts one call; `cells` for calls that read or write cells. */
/** `GAS_TRACE=1` (or setTrace): each counted call is printed with the add-on's functions that made it. */
let TRACE = Boolean(process.env.GAS_TRACE);
export function setTrace(on: boolean): void {
  TRACE = on;
}

function trace(method: string, cells: number): void {
  const callers = (new Error().stack ?? '')
    .split('\n')
    .filter((line) => line.includes('Code.js'))
    .map((line) => /at (?:Object\.)?([\w$.]+) /.exec(line)?.[1] ?? '?')
    .slice(0, Number(process.env.GAS_TRACE_DEPTH ?? 5));
  console.log(`${method}${cells ? ` [${cells}]` : ''} ← ${callers.join(' ← ')}`);
}

export function count(exec: Exec, kind: CallKind, method: string, cells = 0): void {
  if (TRACE) trace(method, cells);
  const c = exec.counts;
  if (METADATA.has(method)) c.metadata++;
  else if (kind !== 'other') c[kind]++;
  c.byMethod[method] = (c.byMethod[method] ?? 0) + 1;
  if (cells > 0 && kind === 'reads') c.cellsRead += cells;
  if (cells > 0 && (kind === 'writes' || kind === 'formatting')) {
    c.cellsWritten += cells;
    if (cells > BIG_WRITE) c.bigWriteCells += cells;
  }
}

export const SCOPE = {
  spreadsheets: 'https://www.googleapis.com/auth/spreadsheets',
  currentOnly: 'https://www.googleapis.com/auth/spreadsheets.currentonly',
  ui: 'https://www.googleapis.com/auth/script.container.ui',
  fetch: 'https://www.googleapis.com/auth/script.external_request',
  triggers: 'https://www.googleapis.com/auth/script.scriptapp',
  mail: 'https://www.googleapis.com/auth/script.send_mail',
  email: 'https://www.googleapis.com/auth/userinfo.email',
} as const;

/**
 * Apps Script refuses a call the manifest has no scope for, and simple triggers (LIMITED or
 * NONE) may not use services that need authorization at all.
 */
export function requireScope(
  exec: Exec,
  method: string,
  scopes: string[],
  needsFullAuth: boolean,
): void {
  if (needsFullAuth && exec.world.needsReauthorization?.includes(exec.effectiveUser))
    throw new Error('Authorization is required to perform that action.');
  const missing = !scopes.some((s) => exec.manifest.oauthScopes.includes(s));
  if (missing || (needsFullAuth && exec.authMode !== 'FULL')) {
    throw new Error(
      `You do not have permission to call ${method}. Required permissions: ${scopes[0]}`,
    );
  }
}

/** Converts a value the bundle handed over (from its realm) into stored form, or throws. */
export function isForeignDate(v: unknown): v is Date {
  return Object.prototype.toString.call(v) === '[object Date]';
}
