/**
 * The header row of a sealed sheet is part of what the add-on relies on: columns are found by
 * header text, so renaming `Seal`, `Approval` or `Tier` would make a sheet unreadable and
 * switch its guard off. A person's edit of the header row that removes one of the add-on's
 * headers is put back at once; the sweep puts back what no trigger saw, from the layout it
 * last read (DESIGN §6: nothing in a cell is trusted because it is there).
 */
import { loose, planHeaders } from '../domain/layout';
import type { SheetSpec } from '../domain/schema';
import { registryProperties } from '../services/store';
import { forgetLayouts, wrote } from './table';

type Spreadsheet = GoogleAppsScript.Spreadsheet.Spreadsheet;

const layoutKey = (spec: SheetSpec) => `layout.${spec.name}`;

/** Remembers where the sheet's headers are (written only when the layout changed). */
export function rememberLayout(spec: SheetSpec, columns: Readonly<Record<string, number>>): void {
  const text = JSON.stringify(columns);
  const store = registryProperties();
  if (store.getProperty(layoutKey(spec)) !== text) store.setProperty(layoutKey(spec), text);
}

/**
 * Puts missing headers of `spec` back: into the edited header cells (`edited`: 1-based first
 * column and count) that no longer hold one of the sheet's headers, or, with no edit to go
 * by, where the remembered layout had them. Returns the headers put back.
 */
export function restoreHeaders(
  ss: Spreadsheet,
  spec: SheetSpec,
  edited?: { column: number; count: number },
): string[] {
  const sheet = ss.getSheetByName(spec.name);
  if (!sheet) return [];
  const width = Math.max(1, sheet.getLastColumn());
  const row = sheet
    .getRange(1, 1, 1, width)
    .getValues()[0]
    .map((v) => String(v ?? ''));
  const plan = planHeaders(row, spec);
  if (plan.missing.length === 0) return [];
  const known = new Set(spec.columns.map((c) => loose(c.header)));
  const free = (i: number) => i >= 0 && !known.has(loose(row[i] ?? ''));
  const places = new Map<string, number>();
  if (edited) {
    const cells = Array.from({ length: edited.count }, (_, k) => edited.column - 1 + k).filter(
      free,
    );
    plan.missing.forEach((header, k) => {
      if (k < cells.length) places.set(header, cells[k]);
    });
  } else {
    const layout = rememberedLayout(spec);
    for (const header of plan.missing)
      if (layout[header] !== undefined && free(layout[header])) places.set(header, layout[header]);
  }
  for (const [header, index] of places) sheet.getRange(1, index + 1).setValue(header);
  if (places.size > 0) {
    wrote();
    forgetLayouts();
  }
  return [...places.keys()];
}

function rememberedLayout(spec: SheetSpec): Record<string, number> {
  try {
    return JSON.parse(registryProperties().getProperty(layoutKey(spec)) ?? '{}') as Record<
      string,
      number
    >;
  } catch {
    return {};
  }
}
