/**
 * Formula injection (OWASP, CWE-1236): a value from a person that starts with one of these
 * would be read by Sheets (or a spreadsheet that opens an export) as a formula.
 */
const TRIGGERS = ['=', '+', '-', '@', '\t', '\r'];

export function needsNeutralising(value: string): boolean {
  return TRIGGERS.some((t) => value.startsWith(t));
}

/** The text to write so the cell shows exactly `value` as text. */
export function neutralise(value: string): string {
  return needsNeutralising(value) ? `'${value}` : value;
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
  return misread ? `'${value}` : value;
}
