/**
 * Business days on calendar dates (`yyyy-MM-dd`). Time zones stay at the edge: the shell turns
 * an instant into the settings' local date before asking, so this is plain date arithmetic.
 */
const DAY = 86400000;

function toUtc(date: string): number {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(date);
  if (!m) throw new Error(`Not a yyyy-MM-dd date: ${date}`);
  return Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3]));
}

function fromUtc(ms: number): string {
  return new Date(ms).toISOString().slice(0, 10);
}

export function isBusinessDay(date: string, holidays: readonly string[] = []): boolean {
  const weekday = new Date(toUtc(date)).getUTCDay();
  return weekday !== 0 && weekday !== 6 && !holidays.includes(date);
}

export function addDays(date: string, days: number): string {
  return fromUtc(toUtc(date) + days * DAY);
}

/**
 * The date `days` business days after `start`. Counting starts the day after, so a
 * submission on a Friday (or the weekend after it) with 5 days is due the next Friday.
 */
export function addBusinessDays(
  start: string,
  days: number,
  holidays: readonly string[] = [],
): string {
  let date = start;
  let left = days;
  while (left > 0) {
    date = addDays(date, 1);
    if (isBusinessDay(date, holidays)) left--;
  }
  return date;
}

/**
 * Business days from `start` to `end` (yyyy-MM-dd): how many business days end after start,
 * so a review opened on a Friday and decided the next Wednesday took 3.
 */
export function businessDaysBetween(
  start: string,
  end: string,
  holidays: readonly string[] = [],
): number {
  let count = 0;
  for (let d = start; d < end;) {
    d = addDays(d, 1);
    if (isBusinessDay(d, holidays)) count++;
  }
  return count;
}

export function nextBusinessDay(date: string, holidays: readonly string[] = []): string {
  return addBusinessDays(date, 1, holidays);
}

/**
 * The wall-clock time a Sheets date serial names (days since 1899-12-30; the fraction is the
 * time of day), as `yyyy-MM-dd HH:mm:ss`. Sheets stores dates without a zone, and an edit
 * event's `oldValue` for a date cell is this serial as text: read it in the spreadsheet's zone.
 * Null when the text is not a serial.
 */
export function wallClockOfSerial(text: string): string | null {
  if (!/^-?\d+(\.\d+)?$/.test(text.trim())) return null;
  const serial = Number(text);
  if (!Number.isFinite(serial) || serial < 1 || serial > 2958465) return null; // 1899 … 9999
  const ms = Math.round(((serial - 25569) * 86400000) / 1000) * 1000;
  return new Date(ms).toISOString().slice(0, 19).replace('T', ' ');
}
