import type { TimeSpec } from './model';
import { wallClock, zonedTime } from './time';

const MINUTE = 60000;
const HOUR = 60 * MINUTE;

/**
 * When a time-driven trigger next fires after `after` (ms). Daily, weekly and monthly triggers
 * fire at their hour (and nearMinute, else :00) in the script's time zone: Apps Script only
 * promises "within that hour", so the runtime picks the start of it, deterministically.
 */
export function nextRun(
  spec: TimeSpec,
  createdAt: number,
  after: number,
  tz: string,
): number | null {
  if (spec.kind === 'at') return null;
  if (spec.kind === 'minutes' || spec.kind === 'hours') {
    const step = spec.every * (spec.kind === 'minutes' ? MINUTE : HOUR);
    const first = createdAt + step;
    if (first > after) return first;
    return first + Math.ceil((after - first + 1) / step) * step;
  }
  const c = wallClock(createdAt, tz);
  const hour = spec.hour ?? c.hour;
  const minute = spec.minute ?? 0;
  const at = (y: number, m: number, d: number) => zonedTime(tz, y, m, d, hour, minute);

  if (spec.kind === 'monthDay') {
    const day = spec.monthDay ?? 1;
    for (let k = 0; k < 1200; k++) {
      const t = at(c.year, c.month + k, day);
      if (wallClock(t, tz).day !== day) continue; // months without that day are skipped
      if (t > after && t > createdAt) return t;
    }
    return null;
  }

  const stepDays = spec.kind === 'weeks' ? 7 * spec.every : spec.every;
  let offset = 0;
  if (spec.kind === 'weeks' && spec.weekDay !== null) {
    offset = (spec.weekDay - c.weekday + 7) % 7;
  }
  if (at(c.year, c.month, c.day + offset) <= createdAt) offset += spec.kind === 'weeks' ? 7 : 1;
  for (let k = 0; ; k++) {
    const t = at(c.year, c.month, c.day + offset + k * stepDays);
    if (t > after) return t;
  }
}
