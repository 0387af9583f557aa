import { createHash, createHmac, randomUUID } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { emulated, notEmulated } from './emulate';
import { count, isAddon, isForeignDate, requireScope, SCOPE, type Exec } from './exec';
import { formatSimpleDate, parseSimpleDate } from './formats';
import type { CacheEntry, TimeSpec, TriggerData } from './model';
import { ChartType, SpreadsheetImpl, userObject } from './spreadsheet';
import { isTimeZone } from './time';
import { nextRun } from './schedule';
import { routeToReceiver, whitelistAllows } from './urlfetch';

// ------------------------------------------------------------------ PropertiesService

/** Documented as 9 KB; writes fail past about 8 KB in practice (the measured limit). */
export const PROPERTY_VALUE_LIMIT = 8 * 1024;
export const PROPERTY_STORE_LIMIT = 500 * 1024;

const bytes = (s: string): number => Buffer.byteLength(s, 'utf8');

function storeSize(store: Record<string, string>): number {
  let total = 0;
  for (const [k, v] of Object.entries(store)) total += bytes(k) + bytes(v);
  return total;
}

class PropertiesImpl {
  constructor(
    private exec: Exec,
    private store: Record<string, string>,
  ) {}
  private checked(next: Record<string, string>): void {
    for (const [key, value] of Object.entries(next)) {
      if (bytes(value) > PROPERTY_VALUE_LIMIT)
        throw new Error(`Argument too large: value (${key})`);
    }
    if (storeSize(next) > PROPERTY_STORE_LIMIT) {
      throw new Error(
        'You have exceeded the property storage quota. Please remove some properties and try again.',
      );
    }
    for (const key of Object.keys(this.store)) delete this.store[key];
    Object.assign(this.store, next);
  }
  getProperty(key: string) {
    count(this.exec, 'other', 'Properties.getProperty');
    const value = Object.prototype.hasOwnProperty.call(this.store, key) ? this.store[key] : null;
    this.exec.counts.propertyReads++;
    this.exec.counts.propertyBytes += value === null ? 0 : bytes(value);
    return value;
  }
  getProperties() {
    count(this.exec, 'other', 'Properties.getProperties');
    const out = this.exec.realm.object();
    Object.assign(out, this.store);
    this.exec.counts.propertyReads++;
    this.exec.counts.propertyBytes += storeSize(this.store);
    return out;
  }
  getKeys() {
    const out = this.exec.realm.array();
    out.push(...Object.keys(this.store));
    return out;
  }
  setProperty(key: string, value: string) {
    count(this.exec, 'other', 'Properties.setProperty');
    this.exec.counts.propertyWrites++;
    this.exec.counts.propertyBytes += bytes(String(value));
    this.checked({ ...this.store, [key]: String(value) });
    return this;
  }
  setProperties(properties: Record<string, string>, deleteAllOthers = false) {
    count(this.exec, 'other', 'Properties.setProperties');
    this.exec.counts.propertyWrites++;
    this.exec.counts.propertyBytes += storeSize(properties);
    const next: Record<string, string> = deleteAllOthers ? {} : { ...this.store };
    for (const [k, v] of Object.entries(properties)) next[k] = String(v);
    this.checked(next);
    return this;
  }
  deleteProperty(key: string) {
    count(this.exec, 'other', 'Properties.deleteProperty');
    this.exec.counts.propertyWrites++;
    delete this.store[key];
    return this;
  }
  deleteAllProperties() {
    count(this.exec, 'other', 'Properties.deleteAllProperties');
    for (const key of Object.keys(this.store)) delete this.store[key];
    return this;
  }
}

function propertiesService(exec: Exec) {
  const guard = () => {
    if (exec.authMode === 'NONE')
      throw new Error('You do not have permission to call PropertiesService in AuthMode.NONE.');
  };
  const p = exec.world.properties;
  return emulated(
    {
      getDocumentProperties() {
        guard();
        if (!exec.hasDocument) return null;
        return emulated(new PropertiesImpl(exec, p.document), 'Properties');
      },
      getScriptProperties() {
        guard();
        return emulated(new PropertiesImpl(exec, p.script), 'Properties');
      },
      getUserProperties() {
        guard();
        p.user[exec.effectiveUser] ??= {};
        return emulated(new PropertiesImpl(exec, p.user[exec.effectiveUser]), 'Properties');
      },
    },
    'PropertiesService',
  );
}

// ------------------------------------------------------------------ LockService

/**
 * Locks are shared by every execution. Executions here run one at a time, so another holder is
 * a simulated concurrent execution (Runtime.holdLock) that releases at a given clock time.
 */
class LockImpl {
  constructor(
    private exec: Exec,
    private key: string,
  ) {}
  private acquire(timeoutMs: number): boolean {
    if (this.exec.locks.has(this.key)) return true;
    const foreign = this.exec.host.foreignLocks.get(this.key);
    if (foreign !== undefined) {
      const wait = foreign - this.exec.world.now;
      if (wait > timeoutMs) {
        this.exec.world.now += Math.max(0, timeoutMs);
        return false;
      }
      this.exec.world.now += Math.max(0, wait);
      this.exec.host.foreignLocks.delete(this.key);
    }
    this.exec.locks.add(this.key);
    return true;
  }
  tryLock(timeoutInMillis: number) {
    count(this.exec, 'other', 'Lock.tryLock');
    this.exec.counts.locks++;
    return this.acquire(timeoutInMillis);
  }
  waitLock(timeoutInMillis: number) {
    count(this.exec, 'other', 'Lock.waitLock');
    this.exec.counts.locks++;
    if (!this.acquire(timeoutInMillis)) {
      throw new Error('Lock timeout: another process was holding the lock for too long.');
    }
  }
  hasLock() {
    return this.exec.locks.has(this.key);
  }
  releaseLock() {
    count(this.exec, 'other', 'Lock.releaseLock');
    this.exec.counts.locks++;
    this.exec.locks.delete(this.key);
  }
}

function lockService(exec: Exec) {
  return emulated(
    {
      getDocumentLock() {
        if (!exec.hasDocument) return null;
        return emulated(new LockImpl(exec, `document:${exec.world.spreadsheet.id}`), 'Lock');
      },
      getScriptLock() {
        return emulated(new LockImpl(exec, 'script'), 'Lock');
      },
      getUserLock() {
        return emulated(new LockImpl(exec, `user:${exec.effectiveUser}`), 'Lock');
      },
    },
    'LockService',
  );
}

// ------------------------------------------------------------------ CacheService

const CACHE_MAX_TTL = 21600;

class CacheImpl {
  constructor(
    private exec: Exec,
    private store: Record<string, CacheEntry>,
  ) {}
  private live(key: string): string | null {
    const e = this.store[key];
    if (!e) return null;
    if (e.expires <= this.exec.world.now) {
      delete this.store[key];
      return null;
    }
    return e.value;
  }
  private check(key: string, value: string): void {
    if (key.length > 250) throw new Error('Argument too large: key');
    if (bytes(value) > 100 * 1024) throw new Error('Argument too large: value');
  }
  get(key: string) {
    return this.live(key);
  }
  getAll(keys: string[]) {
    const out = this.exec.realm.object();
    for (const k of keys) {
      const v = this.live(k);
      if (v !== null) out[k] = v;
    }
    return out;
  }
  put(key: string, value: string, expirationInSeconds = 600) {
    this.check(key, String(value));
    const ttl = Math.min(Math.max(1, expirationInSeconds), CACHE_MAX_TTL);
    this.store[key] = { value: String(value), expires: this.exec.world.now + ttl * 1000 };
  }
  putAll(values: Record<string, string>, expirationInSeconds = 600) {
    for (const [k, v] of Object.entries(values)) this.put(k, v, expirationInSeconds);
  }
  remove(key: string) {
    delete this.store[key];
  }
  removeAll(keys: string[]) {
    for (const k of keys) delete this.store[k];
  }
}

function cacheService(exec: Exec) {
  const c = exec.world.cache;
  return emulated(
    {
      getDocumentCache() {
        return emulated(new CacheImpl(exec, c.document), 'Cache');
      },
      getScriptCache() {
        return emulated(new CacheImpl(exec, c.script), 'Cache');
      },
      getUserCache() {
        c.user[exec.effectiveUser] ??= {};
        return emulated(new CacheImpl(exec, c.user[exec.effectiveUser]), 'Cache');
      },
    },
    'CacheService',
  );
}

// ------------------------------------------------------------------ Session

function session(exec: Exec) {
  return emulated(
    {
      getActiveUser() {
        // Simple triggers may not know who is editing; the scope is needed to read any email.
        const known = exec.manifest.oauthScopes.includes(SCOPE.email) && exec.kind !== 'simple';
        return userObject(known ? exec.user : '');
      },
      getEffectiveUser() {
        const known = exec.manifest.oauthScopes.includes(SCOPE.email) && exec.kind !== 'simple';
        return userObject(known ? exec.effectiveUser : '');
      },
      getScriptTimeZone() {
        return exec.manifest.timeZone;
      },
      getActiveUserLocale() {
        return 'en';
      },
      getTemporaryActiveUserKey() {
        return createHash('sha256').update(`key:${exec.user}`).digest('base64url').slice(0, 32);
      },
    },
    'Session',
  );
}

// ------------------------------------------------------------------ Utilities, Logger, console

export const DigestAlgorithm = {
  SHA_256: 'SHA_256',
  SHA_1: 'SHA_1',
  MD5: 'MD5',
  SHA_512: 'SHA_512',
} as const;
export const Charset = { UTF_8: 'UTF_8', US_ASCII: 'US_ASCII' } as const;
const HASH: Record<string, string> = {
  SHA_256: 'sha256',
  SHA_1: 'sha1',
  MD5: 'md5',
  SHA_512: 'sha512',
};

function toBuffer(value: unknown, charset?: string): Buffer {
  if (typeof value === 'string')
    return Buffer.from(value, charset === 'US_ASCII' ? 'ascii' : 'utf8');
  if (Array.isArray(value)) return Buffer.from(value.map((b: number) => b & 0xff));
  return notEmulated('Utilities digest/encoding of a non-string, non-byte-array value');
}

function signedBytes(exec: Exec, buf: Buffer): number[] {
  const out = exec.realm.array() as number[];
  for (const b of buf) out.push(b > 127 ? b - 256 : b);
  return out;
}

function utilities(exec: Exec) {
  return emulated(
    {
      DigestAlgorithm,
      Charset,
      formatDate(date: unknown, timeZone: string, format: string) {
        if (!isForeignDate(date)) {
          throw new Error(
            "The parameters (String,String,String) don't match the method signature for Utilities.formatDate.",
          );
        }
        if (!isTimeZone(timeZone)) throw new Error(`Invalid argument: timeZone (${timeZone})`);
        return formatSimpleDate(date.getTime(), timeZone, format);
      },
      /** The SimpleDateFormat patterns of formatDate, for fully numeric dates and times. */
      parseDate(text: string, timeZone: string, pattern: string) {
        const ms = parseSimpleDate(String(text), timeZone, pattern);
        if (ms === null) throw new Error(`Unparseable date: "${text}"`);
        return exec.realm.date(ms);
      },
      computeDigest(algorithm: string, value: unknown, charset?: string) {
        const name = HASH[algorithm];
        if (!name) notEmulated(`Utilities.computeDigest(${algorithm})`);
        const input = toBuffer(value, charset);
        count(exec, 'other', 'Utilities.computeDigest');
        exec.counts.digests++;
        exec.counts.digestBytes += input.length;
        return signedBytes(exec, createHash(name).update(input).digest());
      },
      computeHmacSha256Signature(value: unknown, key: unknown) {
        const input = toBuffer(value);
        count(exec, 'other', 'Utilities.computeHmacSha256Signature');
        exec.counts.digests++;
        exec.counts.digestBytes += input.length;
        return signedBytes(exec, createHmac('sha256', toBuffer(key)).update(input).digest());
      },
      base64Decode(encoded: unknown) {
        if (typeof encoded !== 'string') throw new Error('Invalid argument: encoded');
        return signedBytes(exec, Buffer.from(encoded, 'base64'));
      },
      /** A blob of text or bytes; only what the add-on reads of it (its UTF-8 bytes, its text). */
      newBlob(data: unknown) {
        const buf = toBuffer(data);
        return emulated(
          {
            getBytes: () => signedBytes(exec, buf),
            getDataAsString: () => buf.toString('utf8'),
          },
          'Blob',
        );
      },
      base64Encode(data: unknown) {
        return toBuffer(data).toString('base64');
      },
      base64EncodeWebSafe(data: unknown) {
        return toBuffer(data).toString('base64').replace(/\+/g, '-').replace(/\//g, '_');
      },
      getUuid() {
        return randomUUID();
      },
      /** Time passes on the runtime clock, not the wall clock: tests stay fast and exact. */
      sleep(milliseconds: number) {
        if (milliseconds > 300000) throw new Error('Invalid argument: milliseconds');
        exec.world.now += Math.max(0, milliseconds);
      },
    },
    'Utilities',
  );
}

function format(args: unknown[]): string {
  return args
    .map((a) => {
      if (typeof a === 'string') return a;
      if (
        a instanceof Error ||
        (typeof a === 'object' && a !== null && 'message' in a && 'stack' in a)
      ) {
        return String((a as Error).stack ?? (a as Error).message);
      }
      try {
        return JSON.stringify(a);
      } catch {
        return String(a);
      }
    })
    .join(' ');
}

function logger(exec: Exec) {
  const log =
    (level: string) =>
    (...args: unknown[]) => {
      exec.logs.push(`${level} ${format(args)}`);
    };
  const consoleObject = {
    log: log('INFO'),
    info: log('INFO'),
    warn: log('WARNING'),
    error: log('ERROR'),
    debug: log('DEBUG'),
  };
  const loggerObject = emulated(
    {
      log(message: unknown, ...values: unknown[]) {
        exec.logs.push(`INFO ${format([message, ...values])}`);
        return loggerObject;
      },
      getLog() {
        return exec.logs.join('\n');
      },
      clear() {
        exec.logs.length = 0;
      },
    },
    'Logger',
  );
  return { console: consoleObject, Logger: loggerObject };
}

// ------------------------------------------------------------------ MailApp

function recipients(...lists: string[]): number {
  return lists.flatMap((l) => l.split(',')).filter((s) => s.trim() !== '').length;
}

function mailApp(exec: Exec) {
  const quota = exec.world.mailQuota;
  const today = (): string =>
    formatSimpleDate(exec.world.now, exec.manifest.timeZone, 'yyyy-MM-dd');
  const used = (): number => (quota.day === today() ? quota.used : 0);
  return emulated(
    {
      getRemainingDailyQuota() {
        requireScope(exec, 'MailApp.getRemainingDailyQuota', [SCOPE.mail], true);
        return quota.perDay - used();
      },
      sendEmail(a: unknown, subject?: string, body?: string, options?: Record<string, unknown>) {
        requireScope(exec, 'MailApp.sendEmail', [SCOPE.mail], true);
        const m =
          typeof a === 'object' && a !== null
            ? (a as Record<string, unknown>)
            : { ...(options ?? {}), to: a, subject, body };
        const to = String(m.to ?? '');
        const cc = String(m.cc ?? '');
        const bcc = String(m.bcc ?? '');
        if (to.trim() === '') throw new Error('Failed to send email: no recipient');
        for (const address of [to, cc, bcc].flatMap(addresses)) {
          if (!MAIL_ADDRESS.test(address) || exec.world.mailRefuses?.includes(address))
            throw new Error(`Invalid email: ${address}`);
        }
        const n = recipients(to, cc, bcc);
        const sentToday = used();
        if (sentToday + n > quota.perDay)
          throw new Error('Service invoked too many times for one day: email.');
        quota.day = today();
        quota.used = sentToday + n;
        exec.counts.mails++;
        exec.world.mail.push({
          at: new Date(exec.world.now).toISOString(),
          from: exec.effectiveUser,
          to,
          cc,
          bcc,
          subject: String(m.subject ?? ''),
          body: String(m.body ?? ''),
          htmlBody: String(m.htmlBody ?? ''),
          name: String(m.name ?? ''),
          replyTo: String(m.replyTo ?? ''),
        });
      },
    },
    'MailApp',
  );
}

/** What MailApp accepts as one address (it rejects the rest with "Invalid email"). */
const MAIL_ADDRESS =
  /^[A-Za-z0-9.!#$%&'*+/=?^_`{|}~-]+@[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?(?:\.[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?)+$/;

function addresses(list: string): string[] {
  return list
    .split(',')
    .map((a) => a.trim())
    .filter((a) => a !== '');
}

// ------------------------------------------------------------------ HtmlService

class HtmlOutputImpl {
  private title = '';
  private width = 300;
  private height = 400;
  constructor(private content: string) {}
  _content() {
    return this.content;
  }
  _title() {
    return this.title;
  }
  _size(): [number, number] {
    return [this.width, this.height];
  }
  getContent() {
    return this.content;
  }
  setContent(content: string) {
    this.content = content;
    return this;
  }
  append(html: string) {
    this.content += html;
    return this;
  }
  getTitle() {
    return this.title;
  }
  setTitle(title: string) {
    this.title = title;
    return this;
  }
  getWidth() {
    return this.width;
  }
  setWidth(width: number) {
    this.width = width;
    return this;
  }
  getHeight() {
    return this.height;
  }
  setHeight(height: number) {
    this.height = height;
    return this;
  }
  setSandboxMode() {
    return this;
  }
  setXFrameOptionsMode() {
    return this;
  }
  addMetaTag() {
    return this;
  }
}

function htmlService(exec: Exec) {
  return emulated(
    {
      SandboxMode: { IFRAME: 'IFRAME', NATIVE: 'NATIVE', EMULATED: 'EMULATED' },
      XFrameOptionsMode: { ALLOWALL: 'ALLOWALL', DEFAULT: 'DEFAULT' },
      createHtmlOutput(html = '') {
        return emulated(new HtmlOutputImpl(String(html)), 'HtmlOutput');
      },
      createHtmlOutputFromFile(filename: string) {
        const file = join(
          exec.host.htmlDir,
          filename.endsWith('.html') ? filename : `${filename}.html`,
        );
        if (!existsSync(file)) throw new Error(`No HTML file named ${filename} was found.`);
        return emulated(new HtmlOutputImpl(readFileSync(file, 'utf8')), 'HtmlOutput');
      },
    },
    'HtmlService',
  );
}

// ------------------------------------------------------------------ ScriptApp

export const EventType = {
  CLOCK: 'CLOCK',
  ON_OPEN: 'ON_OPEN',
  ON_EDIT: 'ON_EDIT',
  ON_FORM_SUBMIT: 'ON_FORM_SUBMIT',
  ON_CHANGE: 'ON_CHANGE',
} as const;
export const TriggerSource = {
  SPREADSHEETS: 'SPREADSHEETS',
  CLOCK: 'CLOCK',
  FORMS: 'FORMS',
  DOCUMENTS: 'DOCUMENTS',
  CALENDAR: 'CALENDAR',
} as const;
export const AuthMode = {
  NONE: 'NONE',
  CUSTOM_FUNCTION: 'CUSTOM_FUNCTION',
  LIMITED: 'LIMITED',
  FULL: 'FULL',
} as const;
const WEEKDAYS = ['SUNDAY', 'MONDAY', 'TUESDAY', 'WEDNESDAY', 'THURSDAY', 'FRIDAY', 'SATURDAY'];
export const TRIGGERS_PER_USER = 20;

class TriggerImpl {
  constructor(readonly _data: TriggerData) {}
  getHandlerFunction() {
    return this._data.handler;
  }
  getEventType() {
    return this._data.eventType;
  }
  getTriggerSource() {
    return this._data.eventType === 'CLOCK' ? 'CLOCK' : 'SPREADSHEETS';
  }
  getTriggerSourceId() {
    return this._data.sourceId;
  }
  getUniqueId() {
    return this._data.id;
  }
}

class TriggerBuilderImpl {
  constructor(
    private exec: Exec,
    private handler: string,
  ) {}
  private create(
    eventType: TriggerData['eventType'],
    sourceId: string | null,
    time: TimeSpec | null,
  ) {
    requireScope(this.exec, 'ScriptApp.newTrigger', [SCOPE.triggers], true);
    const world = this.exec.world;
    const mine = world.triggers.filter((t) => t.owner === this.exec.effectiveUser);
    if (mine.length >= TRIGGERS_PER_USER) {
      throw new Error(
        'This script has too many triggers. Triggers must be deleted from the script before more can be added.',
      );
    }
    const documentId = this.exec.hasDocument ? world.spreadsheet.id : null;
    if (isAddon(world)) {
      // Editor add-ons: one trigger of each type per user per document.
      const doc = sourceId ?? documentId;
      const same = mine.filter(
        (t) => t.eventType === eventType && (t.sourceId ?? t.documentId ?? null) === doc,
      );
      if (same.length > 0) {
        throw new Error(
          `This add-on has created too many ${eventType === 'CLOCK' ? 'time-based' : eventType === 'ON_EDIT' ? 'edit' : eventType === 'ON_CHANGE' ? 'change' : 'open'} triggers in this document for this Google user account.`,
        );
      }
    }
    const data: TriggerData = {
      id: String(world.nextTriggerId++),
      owner: this.exec.effectiveUser,
      handler: this.handler,
      eventType,
      sourceId,
      documentId,
      time,
      nextRun: time ? nextRun(time, world.now, world.now, this.exec.manifest.timeZone) : null,
    };
    world.triggers.push(data);
    count(this.exec, 'other', 'TriggerBuilder.create');
    return emulated(new TriggerImpl(data), 'Trigger');
  }
  forSpreadsheet(ss: SpreadsheetImpl | string) {
    const id = typeof ss === 'string' ? ss : ss.getId();
    const create = (type: TriggerData['eventType']) => () => this.create(type, id, null);
    return emulated(
      {
        onEdit: () => emulated({ create: create('ON_EDIT') }, 'SpreadsheetTriggerBuilder'),
        onChange: () => emulated({ create: create('ON_CHANGE') }, 'SpreadsheetTriggerBuilder'),
        onOpen: () => emulated({ create: create('ON_OPEN') }, 'SpreadsheetTriggerBuilder'),
      },
      'SpreadsheetTriggerBuilder',
    );
  }
  timeBased() {
    const spec: TimeSpec = {
      kind: 'days',
      every: 0,
      hour: null,
      minute: null,
      monthDay: null,
      weekDay: null,
    };
    let at: number | null = null;
    const builder = {
      everyMinutes: (n: number) => {
        if (![1, 5, 10, 15, 30].includes(n))
          throw new Error('Invalid argument: minutes. Must be 1, 5, 10, 15 or 30.');
        Object.assign(spec, { kind: 'minutes', every: n });
        return proxy;
      },
      everyHours: (n: number) => {
        if (![1, 2, 4, 6, 8, 12].includes(n))
          throw new Error('Invalid argument: hours. Must be 1, 2, 4, 6, 8 or 12.');
        Object.assign(spec, { kind: 'hours', every: n });
        return proxy;
      },
      everyDays: (n: number) => {
        Object.assign(spec, { kind: 'days', every: n });
        return proxy;
      },
      everyWeeks: (n: number) => {
        Object.assign(spec, { kind: 'weeks', every: n });
        return proxy;
      },
      onWeekDay: (day: string) => {
        Object.assign(spec, {
          kind: 'weeks',
          every: spec.every || 1,
          weekDay: WEEKDAYS.indexOf(String(day)),
        });
        return proxy;
      },
      onMonthDay: (day: number) => {
        if (day < 1 || day > 31) throw new Error('Invalid argument: day');
        Object.assign(spec, { kind: 'monthDay', every: 1, monthDay: day });
        return proxy;
      },
      atHour: (hour: number) => {
        if (hour < 0 || hour > 23) throw new Error('Invalid argument: hour');
        spec.hour = hour;
        return proxy;
      },
      nearMinute: (minute: number) => {
        spec.minute = minute;
        return proxy;
      },
      at: (date: unknown) => {
        if (!isForeignDate(date)) throw new Error('Invalid argument: date');
        at = date.getTime();
        Object.assign(spec, { kind: 'at', every: 1 });
        return proxy;
      },
      inTimezone: () => proxy,
      create: () => {
        if (spec.every === 0)
          throw new Error('A time-based trigger needs a frequency (everyDays, everyHours…).');
        if (isAddon(this.exec.world) && spec.kind === 'minutes') {
          throw new Error(
            'Add-ons can only create time-driven triggers that run at most once an hour.',
          );
        }
        if (spec.kind === 'at') {
          const t = this.create('CLOCK', null, spec);
          t._data.nextRun = at;
          return t;
        }
        if (spec.hour !== null && (spec.kind === 'minutes' || spec.kind === 'hours')) {
          throw new Error('atHour() works only with everyDays(), everyWeeks() or onMonthDay().');
        }
        return this.create('CLOCK', null, { ...spec });
      },
    };
    const proxy = emulated(builder, 'ClockTriggerBuilder');
    return proxy;
  }
}

function scriptApp(exec: Exec) {
  const mine = () => exec.world.triggers.filter((t) => t.owner === exec.effectiveUser);
  return emulated(
    {
      AuthMode,
      EventType,
      TriggerSource,
      WeekDay: Object.fromEntries(WEEKDAYS.map((d) => [d, d])),
      newTrigger(functionName: string) {
        return emulated(new TriggerBuilderImpl(exec, functionName), 'TriggerBuilder');
      },
      getProjectTriggers() {
        requireScope(exec, 'ScriptApp.getProjectTriggers', [SCOPE.triggers], true);
        const out = exec.realm.array();
        out.push(...mine().map((t) => emulated(new TriggerImpl(t), 'Trigger')));
        return out;
      },
      getUserTriggers(ss: SpreadsheetImpl) {
        requireScope(exec, 'ScriptApp.getUserTriggers', [SCOPE.triggers], true);
        const out = exec.realm.array();
        out.push(
          ...mine()
            .filter((t) => (t.sourceId ?? t.documentId ?? null) === ss.getId())
            .map((t) => emulated(new TriggerImpl(t), 'Trigger')),
        );
        return out;
      },
      deleteTrigger(trigger: TriggerImpl) {
        requireScope(exec, 'ScriptApp.deleteTrigger', [SCOPE.triggers], true);
        if (trigger._data.owner !== exec.effectiveUser) {
          throw new Error(
            'Trigger belongs to another user and cannot be deleted by this script run.',
          );
        }
        exec.world.triggers = exec.world.triggers.filter((t) => t.id !== trigger._data.id);
      },
      getScriptId() {
        return 'sandbox-script';
      },
      AuthorizationStatus: { REQUIRED: 'REQUIRED', NOT_REQUIRED: 'NOT_REQUIRED' },
      /** Whether the effective user must authorise again (never throws, whatever the state). */
      getAuthorizationInfo(authMode: string) {
        if (!(authMode in AuthMode))
          notEmulated(`ScriptApp.getAuthorizationInfo(${String(authMode)})`);
        const required = !!exec.world.needsReauthorization?.includes(exec.effectiveUser);
        return emulated(
          {
            getAuthorizationStatus: () => (required ? 'REQUIRED' : 'NOT_REQUIRED'),
            getAuthorizationUrl: () =>
              required ? 'https://script.google.com/macros/d/sandbox-script/authorize' : null,
            getAuthorizedScopes: () => exec.realm.array(),
          },
          'AuthorizationInfo',
        );
      },
    },
    'ScriptApp',
  );
}

// ------------------------------------------------------------------ UrlFetchApp

class HttpResponseImpl {
  constructor(
    private exec: Exec,
    private response: { status: number; headers: Record<string, string>; body: string },
  ) {}
  getResponseCode() {
    return this.response.status;
  }
  getContentText() {
    return this.response.body;
  }
  getHeaders() {
    const out = this.exec.realm.object();
    Object.assign(out, this.response.headers);
    return out;
  }
  getAllHeaders() {
    return this.getHeaders();
  }
}

function urlFetchApp(exec: Exec) {
  return emulated(
    {
      fetch(url: string, params: Record<string, unknown> = {}) {
        requireScope(exec, 'UrlFetchApp.fetch', [SCOPE.fetch], true);
        count(exec, 'other', 'UrlFetchApp.fetch');
        exec.counts.fetches++;
        const allowed = exec.manifest.urlFetchWhitelist;
        if (allowed && !whitelistAllows(url, allowed)) {
          throw new Error(`Exception: UrlFetch calls to ${url} are not permitted by your admin`);
        }
        let target: URL;
        try {
          target = new URL(url);
        } catch {
          throw new Error(`Invalid argument: ${url}`);
        }
        const origin = `${target.protocol}//${target.host}`;
        // Slack, Google Chat, Teams Workflows, Jira and ServiceNow all land on the one local
        // receiver (slackBaseUrl, its historical name); nothing else answers.
        const route = exec.host.slackBaseUrl
          ? routeToReceiver(target, exec.host.slackBaseUrl)
          : null;
        if (!route) throw new Error(`Address unavailable: ${origin}`);
        const headers: Record<string, string> = {};
        for (const [k, v] of Object.entries((params.headers as Record<string, string>) ?? {}))
          headers[k] = String(v);
        let body: string | null = null;
        if (params.payload !== undefined) {
          if (typeof params.payload !== 'string')
            notEmulated('UrlFetchApp.fetch with a non-string payload');
          body = params.payload;
          if (!Object.keys(headers).some((k) => k.toLowerCase() === 'content-type'))
            headers['Content-Type'] = String(
              params.contentType ?? 'application/x-www-form-urlencoded',
            );
        }
        const method = String(params.method ?? (body === null ? 'get' : 'post')).toUpperCase();
        // The local receiver learns the runtime's clock (the bundle never sees this header).
        const response = exec.host.fetch({
          url: route.url,
          method,
          headers: {
            ...headers,
            ...route.headers,
            'X-Sandbox-Clock': new Date(exec.world.now).toISOString(),
          },
          body,
        });
        if (response.error) throw new Error(`Address unavailable: ${origin}`);
        if (response.status >= 400 && params.muteHttpExceptions !== true) {
          const truncated = response.body.slice(0, 100);
          throw new Error(
            `Request failed for ${origin} returned code ${response.status}. Truncated server response: ${truncated} (use muteHttpExceptions option to examine full response)`,
          );
        }
        return emulated(new HttpResponseImpl(exec, response), 'HTTPResponse');
      },
    },
    'UrlFetchApp',
  );
}

// ------------------------------------------------------------------ globals

/** Every global an Apps Script project sees, bound to one execution. */
export function makeGlobals(exec: Exec, spreadsheet: object): Record<string, unknown> {
  const { console, Logger } = logger(exec);
  return {
    SpreadsheetApp: spreadsheet,
    PropertiesService: propertiesService(exec),
    LockService: lockService(exec),
    CacheService: cacheService(exec),
    Session: session(exec),
    Utilities: utilities(exec),
    Logger,
    console,
    MailApp: mailApp(exec),
    HtmlService: htmlService(exec),
    ScriptApp: scriptApp(exec),
    UrlFetchApp: urlFetchApp(exec),
    Charts: emulated({ ChartType }, 'Charts'),
  };
}
