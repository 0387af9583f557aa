/**
 * Formula injection (OWASP, CWE-1236): a value from a person that starts with one of these
 * would be read by Sheets (or a spreadsheet that opens an export) as a formula.
 */
const TRIGGERS = ['=', '+', '-', '@', '\t', '\r'];

export function needsNeutralising(value: string): boolean {
  return TRIGGERS.some((t) => value.startsWith(t));
}

/** Sheets refuses a cell over 50,000 characters: nothing the add-on writes comes near it. */
export const CELL_TEXT_MAX = 50_000;

/** Text cut to fit one cell, saying it was cut (a last line of defence: fields have limits). */
export function fitCell(value: string): string {
  return value.length <= CELL_TEXT_MAX ? value : `${value.slice(0, CELL_TEXT_MAX - 12)}… (cut off)`;
}

/** The text to write so the cell shows exactly `value` as text. */
export function neutralise(value: string): string {
  return fitCell(needsNeutralising(value) ? `'${value}` : value);
}

/**
 * Text Sheets would read as something else when written back (a number, a percentage, a
 * boolean, a date), as well as formula-like text, gets the `'` prefix that keeps it text.
 */
const PARSEABLE = [
  /^\s*(?=[^\d]*\d)[+-]?(?:\d{1,3}(?:,\d{3})+|\d+)?(?:\.\d+)?(?:[eE][+-]?\d+)?%?\s*$/, // 1,234.5, 50%
  /^\s*(?:true|false)\s*$/i,
  /^\s*\d{1,4}[-/.]\d{1,2}(?:[-/.]\d{1,4})?(?:[ T]\d{1,2}:\d{2}(?::\d{2})?)?\s*$/, // dates
  /^\s*\d{1,2}:\d{2}(?::\d{2})?\s*(?:am|pm)?\s*$/i, // times
];

export function keepAsText(value: string): string {
  if (value === '') return value;
  const misread =
    value.startsWith("'") || needsNeutralising(value) || PARSEABLE.some((re) => re.test(value));
  return fitCell(misread ? `'${value}` : value);
}

/** The longest link the add-on keeps (a threat model's address). */
export const LINK_MAX = 1000;

/**
 * Only https:// links are accepted or rendered (issue 15): no other scheme (javascript:,
 * data:, http:), no spaces, quotes or angle brackets that could close an HTML attribute.
 */
export function isHttpsLink(value: string): boolean {
  return value.length <= LINK_MAX && /^https:\/\/[^\s<>"'`]+$/.test(value);
}

/** A link in another scheme than https:// anywhere in a text. */
const UNSAFE_SCHEME = /\b(?:javascript|data|vbscript|file|http|ftp|blob)\s*:/i;

/** What the add-on shows of catalog instructions (How to Get Access): bounded, https only. */
export const INSTRUCTIONS_MAX = 300;

export function safeInstructions(value: string): string {
  const text = value.trim();
  if (UNSAFE_SCHEME.test(text))
    return 'Ask the security team (the instructions in the AI Tools sheet hold a link that is not https://).';
  return text.length > INSTRUCTIONS_MAX ? `${text.slice(0, INSTRUCTIONS_MAX - 1)}…` : text;
}
