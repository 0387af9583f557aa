/**
 * ISO 8601 durations for POST /api/clock: `PT1H`, `P1D`, `P1W`, `P1DT12H`, `P3M`. Years and
 * months are calendar steps (UTC), the rest fixed lengths. Returns the target instant.
 */
const DURATION =
  /^P(?:(\d+)Y)?(?:(\d+)M)?(?:(\d+)W)?(?:(\d+)D)?(?:T(?:(\d+)H)?(?:(\d+)M)?(?:(\d+(?:\.\d+)?)S)?)?$/;

export function addDuration(from: number, duration: string): number | null {
  const m = DURATION.exec(duration.trim().toUpperCase());
  if (!m || duration.trim().toUpperCase() === 'P' || duration.trim().toUpperCase().endsWith('T'))
    return null;
  const [, y, mo, w, d, h, mi, s] = m.map((v) => (v === undefined ? 0 : Number(v)));
  const date = new Date(from);
  if (y || mo) date.setUTCMonth(date.getUTCMonth() + y * 12 + mo);
  return date.getTime() + (((w * 7 + d) * 24 + h) * 60 + mi) * 60000 + s * 1000;
}
