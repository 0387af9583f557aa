/** A1 notation and rectangles (1-based rows and columns). `nr`/`nc` null: open to the end. */
export interface Rect {
  r: number;
  c: number;
  nr: number | null;
  nc: number | null;
}

export function columnLetters(col: number): string {
  let s = '';
  for (let n = col; n > 0; n = Math.floor((n - 1) / 26))
    s = String.fromCharCode(65 + ((n - 1) % 26)) + s;
  return s;
}

export function columnNumber(letters: string): number {
  let n = 0;
  for (const ch of letters.toUpperCase()) n = n * 26 + (ch.charCodeAt(0) - 64);
  return n;
}

const PART = /^(\$?[A-Za-z]{1,3})?(\$?\d+)?$/;

function part(s: string): { col: number | null; row: number | null } {
  const m = PART.exec(s.replace(/\$/g, ''));
  if (!m || (!m[1] && !m[2])) throw new Error(`Range not found`);
  return { col: m[1] ? columnNumber(m[1]) : null, row: m[2] ? Number(m[2]) : null };
}

/** Parses `B2`, `B2:D9`, `B:B`, `B2:B`, `3:5`. Open-ended sides come back as null sizes. */
export function parseA1(a1: string): Rect {
  const pieces = a1.trim().split(':');
  if (pieces.length > 2) throw new Error('Range not found');
  const a = part(pieces[0]);
  const b = pieces.length === 2 ? part(pieces[1]) : a;
  // A single cell needs both a column and a row; whole rows/columns need the colon.
  if (pieces.length === 1 && (a.col === null || a.row === null)) throw new Error('Range not found');
  const r = a.row ?? 1;
  const c = a.col ?? 1;
  const nr = b.row === null ? null : b.row - r + 1;
  const nc = b.col === null ? null : b.col - c + 1;
  if ((nr !== null && nr < 1) || (nc !== null && nc < 1) || r < 1 || c < 1) {
    throw new Error('Range not found');
  }
  return { r, c, nr, nc };
}

export function cellA1(r: number, c: number): string {
  return `${columnLetters(c)}${r}`;
}

export function rectA1(r: number, c: number, nr: number, nc: number): string {
  const start = `${columnLetters(c)}${r}`;
  return nr === 1 && nc === 1 ? start : `${start}:${columnLetters(c + nc - 1)}${r + nr - 1}`;
}

export function contains(
  rect: Rect,
  row: number,
  col: number,
  maxRows: number,
  maxCols: number,
): boolean {
  return overlaps(rect, row, col, 1, 1, maxRows, maxCols);
}

export function overlaps(
  rect: Rect,
  r: number,
  c: number,
  nr: number,
  nc: number,
  maxRows: number,
  maxCols: number,
): boolean {
  const lastRow = rect.nr === null ? maxRows : rect.r + rect.nr - 1;
  const lastCol = rect.nc === null ? maxCols : rect.c + rect.nc - 1;
  return r <= lastRow && r + nr - 1 >= rect.r && c <= lastCol && c + nc - 1 >= rect.c;
}
