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
