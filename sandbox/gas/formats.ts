import { notEmulated } from './emulate';
import { offsetAt, wallClock, zonedTime } from './time';

/**
 * What a cell holds: text, number, boolean, or a date. '' is empty. Sheets stores date-times
 * without a zone: `d` is the wall-clock time coded as UTC milliseconds (the serial number's
 * meaning), read as an instant in the spreadsheet's *current* zone, so changing the zone moves
 * every date getValues returns while the cells show the same.
 */
export type Stored = string | number | boolean | { d: number };

/** The stored (zone-less) form of an instant written while the spreadsheet is in `tz`. */
export function storedDate(ms: number, tz: string): { d: number } {
  return { d: ms + offsetAt(ms, tz) };
}

/** The instant a stored date names when read in `tz`. */
export function instantOf(v: { d: number }, tz: string): number {
  const t = new Date(v.d);
  return zonedTime(
    tz,
    t.getUTCFullYear(),
    t.getUTCMonth() + 1,
    t.getUTCDate(),
    t.getUTCHours(),
    t.getUTCMinutes(),
    t.getUTCSeconds(),
    t.getUTCMilliseconds(),
  );
}

export const isDateValue = (v: unknown): v is { d: number } =>
  typeof v === 'object' && v !== null && typeof (v as { d?: unknown }).d === 'number';

const pad = (n: number, width: number): string => String(n).padStart(width, '0');
const MONTHS = [
  'January',
  'February',
  'March',
  'April',
  'May',
  'June',
  'July',
  'August',
  'September',
  'October',
  'November',
  'December',
];
const DAYS = ['Sunday', 'Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday', 'Saturday'];

function offsetText(ms: number, tz: string, colon: boolean): string {
  const minutes = Math.round(offsetAt(ms, tz) / 60000);
  const sign = minutes < 0 ? '-' : '+';
  const abs = Math.abs(minutes);
  return `${sign}${pad(Math.floor(abs / 60), 2)}${colon ? ':' : ''}${pad(abs % 60, 2)}`;
}

/** Utilities.formatDate: the Java SimpleDateFormat letters the add-on uses. */
export function formatSimpleDate(ms: number, tz: string, pattern: string): string {
  const w = wallClock(ms, tz);
  let out = '';
  for (let i = 0; i < pattern.length;) {
    const ch = pattern[i];
    if (ch === "'") {
      // Quoted literal text; '' is a literal quote, inside quotes or out.
      if (pattern[i + 1] === "'") {
        out += "'";
        i += 2;
        continue;
      }
      i++;
      while (i < pattern.length) {
        if (pattern[i] === "'" && pattern[i + 1] === "'") {
          out += "'";
          i += 2;
        } else if (pattern[i] === "'") {
          i++;
          break;
        } else {
          out += pattern[i++];
        }
      }
      continue;
    }
    if (!/[A-Za-z]/.test(ch)) {
      out += ch;
      i++;
      continue;
    }
    let n = 1;
    while (pattern[i + n] === ch) n++;
    i += n;
    switch (ch) {
      case 'y':
        out += n === 2 ? pad(w.year % 100, 2) : pad(w.year, n);
        break;
      case 'M':
        out +=
          n >= 4
            ? MONTHS[w.month - 1]
            : n === 3
              ? MONTHS[w.month - 1].slice(0, 3)
              : pad(w.month, n);
        break;
      case 'd':
        out += pad(w.day, n);
        break;
      case 'H':
        out += pad(w.hour, n);
        break;
      case 'h':
        out += pad(w.hour % 12 === 0 ? 12 : w.hour % 12, n);
        break;
      case 'm':
        out += pad(w.minute, n);
        break;
      case 's':
        out += pad(w.second, n);
        break;
      case 'S':
        out += pad(w.ms, 3).slice(0, Math.max(n, 3));
        break;
      case 'a':
        out += w.hour < 12 ? 'AM' : 'PM';
        break;
      case 'E':
        out += n >= 4 ? DAYS[w.weekday] : DAYS[w.weekday].slice(0, 3);
        break;
      case 'u':
        out += String(w.weekday === 0 ? 7 : w.weekday);
        break;
      case 'Z':
        out += offsetText(ms, tz, false);
        break;
      case 'X':
        out += offsetAt(ms, tz) === 0 ? 'Z' : offsetText(ms, tz, n >= 3);
        break;
      default:
        notEmulated(`Utilities.formatDate pattern letter '${ch}'`);
    }
  }
  return out;
}

/** Utilities.parseDate for numeric patterns (yyyy MM dd HH mm ss and literal separators). */
export function parseSimpleDate(text: string, tz: string, pattern: string): number | null {
  const fields: string[] = [];
  const source = pattern.replace(
    /'([^']*)'|(yyyy|MM|dd|HH|mm|ss)|([A-Za-z])|([^A-Za-z'])/g,
    (_m, quoted, field, letter, other) => {
      if (quoted !== undefined) return quoted.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
      if (field) {
        fields.push(field);
        return field === 'yyyy' ? '(\\d{4})' : '(\\d{1,2})';
      }
      if (letter) notEmulated(`Utilities.parseDate pattern letter '${letter}'`);
      return String(other).replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
    },
  );
  const m = new RegExp(`^${source}$`).exec(text.trim());
  if (!m) return null;
  const v: Record<string, number> = { yyyy: 1970, MM: 1, dd: 1, HH: 0, mm: 0, ss: 0 };
  fields.forEach((f, i) => (v[f] = Number(m[i + 1])));
  return zonedTime(tz, v.yyyy, v.MM, v.dd, v.HH, v.mm, v.ss);
}

// ------------------------------------------------------------------ Sheets number formats

const DATE_TOKENS = /yyyy|yy|mmmm|mmm|mm|m|dddd|ddd|dd|d|hh|h|ss|s|am\/pm|a\/p/gi;

function isDatePattern(pattern: string): boolean {
  return /[ydhs]/i.test(pattern.replace(/"[^"]*"/g, '')) || /^m+$/i.test(pattern);
}

/** Formats a date with a Sheets pattern (`yyyy-mm-dd hh:mm`: mm after h is minutes). */
function formatSheetsDate(ms: number, tz: string, pattern: string): string {
  const w = wallClock(ms, tz);
  const tokens = pattern.match(DATE_TOKENS) ?? [];
  const ampm = tokens.some((t) => /am\/pm|a\/p/i.test(t));
  let index = 0;
  return pattern.replace(DATE_TOKENS, (token) => {
    const prev = tokens[index - 1]?.toLowerCase() ?? '';
    const next = tokens[index + 1]?.toLowerCase() ?? '';
    index++;
    const t = token.toLowerCase();
    const minute = (t === 'mm' || t === 'm') && (prev.startsWith('h') || next.startsWith('s'));
    switch (minute ? `min-${t}` : t) {
      case 'yyyy':
        return pad(w.year, 4);
      case 'yy':
        return pad(w.year % 100, 2);
      case 'mmmm':
        return MONTHS[w.month - 1];
      case 'mmm':
        return MONTHS[w.month - 1].slice(0, 3);
      case 'mm':
        return pad(w.month, 2);
      case 'm':
        return String(w.month);
      case 'min-mm':
        return pad(w.minute, 2);
      case 'min-m':
        return String(w.minute);
      case 'dddd':
        return DAYS[w.weekday];
      case 'ddd':
        return DAYS[w.weekday].slice(0, 3);
      case 'dd':
        return pad(w.day, 2);
      case 'd':
        return String(w.day);
      case 'hh':
        return pad(ampm ? w.hour % 12 || 12 : w.hour, 2);
      case 'h':
        return String(ampm ? w.hour % 12 || 12 : w.hour);
      case 'ss':
        return pad(w.second, 2);
      case 's':
        return String(w.second);
      case 'am/pm':
        return w.hour < 12 ? 'AM' : 'PM';
      default:
        return w.hour < 12 ? 'A' : 'P';
    }
  });
}

const NUMBER_PATTERN = /^(#,##)?0(\.0+)?(%)?$/;

/** Sheets' date serial number (days since 1899-12-30 of the stored wall clock). */
export function dateSerial(v: { d: number }): number {
  return v.d / 86400000 + 25569;
}

function generalNumber(n: number): string {
  if (Number.isInteger(n) && Math.abs(n) < 1e15) return String(n);
  const s = Number(n.toPrecision(10)).toString();
  return s.includes('e') ? n.toExponential(2).toUpperCase() : s;
}

export const DEFAULT_DATETIME_FORMAT = 'M/d/yyyy H:mm:ss';

/** Every number format the runtime can display; others are refused when set. */
export function checkNumberFormat(pattern: string): void {
  if (pattern === '' || pattern === '@' || pattern.toLowerCase() === 'general') return;
  if (NUMBER_PATTERN.test(pattern)) return;
  const rest = pattern.replace(DATE_TOKENS, '').replace(/"[^"]*"/g, '');
  if (isDatePattern(pattern) && /^[\s\-/:.,]*$/.test(rest)) return;
  notEmulated(`Range.setNumberFormat("${pattern}")`);
}

/** What Sheets shows for a value under a number format. */
export function displayValue(
  v: Stored | undefined,
  pattern: string | undefined,
  tz: string,
): string {
  if (v === undefined || v === '') return '';
  if (typeof v === 'boolean') return v ? 'TRUE' : 'FALSE';
  if (typeof v === 'string') return v;
  const p = pattern && pattern.toLowerCase() !== 'general' ? pattern : '';
  if (isDateValue(v)) {
    if (p && p !== '@' && isDatePattern(p)) return formatSheetsDate(v.d, 'UTC', p);
    if (p && NUMBER_PATTERN.test(p)) return displayValue(dateSerial(v), p, tz);
    return formatSheetsDate(v.d, 'UTC', DEFAULT_DATETIME_FORMAT);
  }
  const m = p ? NUMBER_PATTERN.exec(p) : null;
  if (!m) return generalNumber(v);
  const decimals = m[2] ? m[2].length - 1 : 0;
  const scaled = m[3] ? v * 100 : v;
  let text = scaled.toFixed(decimals);
  if (m[1]) {
    const [int, frac] = text.split('.');
    text = int.replace(/\B(?=(\d{3})+(?!\d))/g, ',') + (frac !== undefined ? `.${frac}` : '');
  }
  return text + (m[3] ? '%' : '');
}

// ------------------------------------------------------------------ typed input

export interface Parsed {
  value: Stored;
  formula?: string;
  /** A number format Sheets applies for what was typed (dates, percentages). */
  format?: string;
}

const NUMBER = /^[+-]?(?:\d{1,3}(?:,\d{3})+|\d+)?(?:\.\d+)?(?:[eE][+-]?\d+)?$/;
const ISO_DATE = /^(\d{4})[-/](\d{1,2})[-/](\d{1,2})(?:[ T](\d{1,2}):(\d{2})(?::(\d{2}))?)?$/;
const US_DATE = /^(\d{1,2})\/(\d{1,2})\/(\d{4})(?:\s+(\d{1,2}):(\d{2})(?::(\d{2}))?)?$/;

function validDate(y: number, m: number, d: number): boolean {
  const t = new Date(Date.UTC(y, m - 1, d));
  return t.getUTCFullYear() === y && t.getUTCMonth() === m - 1 && t.getUTCDate() === d;
}

/**
 * How Sheets reads text a person types or a script writes with setValue (en-US locale):
 * a leading `'` forces text, `=` starts a formula, then numbers, percentages, booleans and
 * dates; a plain-text (`@`) cell keeps everything as typed.
 */
export function parseInput(text: string, cellFormat: string | undefined): Parsed {
  if (text.startsWith("'")) return { value: text.slice(1) };
  if (cellFormat === '@') return { value: text };
  if (text.length > 1 && text.startsWith('=')) return { value: '', formula: text };
  const t = text.trim();
  if (t === '') return { value: text };
  if (NUMBER.test(t) && /\d/.test(t)) return { value: Number(t.replace(/,/g, '')) };
  const pct = /^([+-]?\d+(?:\.\d+)?)%$/.exec(t);
  if (pct) return { value: Number(pct[1]) / 100, format: cellFormat ?? '0%' };
  if (/^(true|false)$/i.test(t)) return { value: t.toLowerCase() === 'true' };
  const iso = ISO_DATE.exec(t);
  const us = iso ? null : US_DATE.exec(t);
  if (iso || us) {
    const [y, m, d] = iso
      ? [Number(iso[1]), Number(iso[2]), Number(iso[3])]
      : [Number(us![3]), Number(us![1]), Number(us![2])];
    const time = (iso ?? us)!;
    if (validDate(y, m, d)) {
      const hasTime = time[4] !== undefined;
      const ms = Date.UTC(
        y,
        m - 1,
        d,
        Number(time[4] ?? 0),
        Number(time[5] ?? 0),
        Number(time[6] ?? 0),
      );
      const format = iso
        ? hasTime
          ? 'yyyy-mm-dd hh:mm'
          : 'yyyy-mm-dd'
        : hasTime
          ? 'M/d/yyyy H:mm'
          : 'M/d/yyyy';
      return { value: { d: ms }, format: cellFormat ?? format };
    }
  }
  return { value: text };
}
