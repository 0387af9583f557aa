import { SEED_TOOLS } from '../domain/catalog';
import { planHeaders } from '../domain/layout';
import { locateColumns, tagColumns, TAGGED_SHEETS } from './columns';
import { formatAllRows, openColumn } from './column-formats';
import { forgetLayouts } from './table';
import { registryProperties, storedJson } from '../services/store';
import { APPROVAL_COLOURS, REVIEW_COLOURS, SHEET, SHEETS, type SheetSpec } from '../domain/schema';

/** Marks protections this add-on owns, so repair replaces its own and leaves people's alone. */
const PROTECTION_PREFIX = 'Governed Path';

export interface SheetReport {
  sheet: string;
  created: boolean;
  addedColumns: string[];
  fixedHeaders: string[];
  duplicateHeaders: string[];
}

export interface SetupReport {
  sheets: SheetReport[];
  seededTools: number;
}

type Sheet = GoogleAppsScript.Spreadsheet.Sheet;

/**
 * Creates or repairs every sheet of DESIGN §2. Idempotent: existing data, extra columns and
 * people's column order are kept; only missing headers are appended and the add-on's own
 * formatting, validation and protections are (re)applied.
 */
export function setUpSheets(ss: GoogleAppsScript.Spreadsheet.Spreadsheet): SetupReport {
  const report: SetupReport = { sheets: [], seededTools: 0 };
  SHEETS.forEach((spec, index) => {
    const existing = ss.getSheetByName(spec.name);
    const sheet = existing ?? ss.insertSheet(spec.name, index);
    const sheetReport = repairSheet(sheet, spec, existing === null);
    report.sheets.push(sheetReport);
    if (spec.name === SHEET.tools && sheet.getLastRow() <= 1) {
      report.seededTools = seedTools(sheet, columnsOf(sheet, spec));
    }
  });
  removeEmptyDefaultSheet(ss);
  return report;
}

export function repairSheet(sheet: Sheet, spec: SheetSpec, created: boolean): SheetReport {
  forgetLayouts();
  // A tagged sheet's header row is put right by its tags first (renamed, duplicated and
  // deleted columns, logged by the caller); what is still missing is appended below.
  if (!created && TAGGED_SHEETS.has(spec.name)) {
    const used = sheet.getLastColumn();
    locateColumns(sheet, spec, used > 0 ? sheet.getRange(1, 1, 1, used).getValues()[0] : []);
  }
  const lastColumn = sheet.getLastColumn();
  const header = lastColumn > 0 ? sheet.getRange(1, 1, 1, lastColumn).getValues()[0] : [];
  const plan = planHeaders(header, spec, lastColumn);
  const width = Math.max(lastColumn, ...Object.values(plan.columns).map((c) => c + 1));
  if (sheet.getMaxColumns() < width) {
    sheet.insertColumnsAfter(sheet.getMaxColumns(), width - sheet.getMaxColumns());
  }

  if (plan.missing.length > 0 || plan.renames.length > 0) {
    const row = Array.from({ length: width }, (_, i) => (i < header.length ? header[i] : ''));
    for (const [name, index] of Object.entries(plan.columns)) row[index] = name;
    sheet.getRange(1, 1, 1, width).setValues([row]);
  }

  // Every sheet counts against a spreadsheet's 10 million cells, empty columns included:
  // columns past the last one in use go (people's own columns with anything in them stay).
  const used = Math.max(width, sheet.getLastColumn());
  if (sheet.getMaxColumns() > used) sheet.deleteColumns(used + 1, sheet.getMaxColumns() - used);

  sheet.setFrozenRows(1);
  sheet
    .getRange(1, 1, 1, width)
    .setFontWeight('bold')
    .setBackground('#f1f3f4')
    .setVerticalAlignment('middle');

  // Every row, including rows a paste below the end added without formats (repair).
  formatAllRows(sheet, spec, plan.columns);
  for (const column of spec.columns) {
    const col = plan.columns[column.header] + 1;
    if (column.width && created) sheet.setColumnWidth(col, column.width);
    if (column.hidden) sheet.hideColumns(col);
  }

  if (spec.name === SHEET.registry) applyApprovalColours(sheet, plan.columns['Approval'] + 1);
  if (spec.name === SHEET.reviews)
    applyApprovalColours(sheet, plan.columns['Status'] + 1, REVIEW_COLOURS);
  protect(sheet, spec, plan.columns);
  tagColumns(sheet, spec, plan.columns);

  return {
    sheet: spec.name,
    created,
    addedColumns: created ? [] : plan.missing.slice(),
    fixedHeaders: plan.renames.map((r) => r.header),
    duplicateHeaders: plan.duplicates.slice(),
  };
}

type Colours = Readonly<Record<string, string>>;

function isOurColourRule(
  rule: GoogleAppsScript.Spreadsheet.ConditionalFormatRule,
  colours: Colours,
): boolean {
  const condition = rule.getBooleanCondition();
  if (!condition || condition.getCriteriaType() !== SpreadsheetApp.BooleanCriteria.TEXT_EQUAL_TO) {
    return false;
  }
  const word = String(condition.getCriteriaValues()[0]);
  return (
    Object.prototype.hasOwnProperty.call(colours, word) &&
    condition.getBackground() === colours[word]
  );
}

const fontFor = (word: string) => (word === 'Blocked' ? '#ffffff' : '#202124');

/**
 * A status column's colours are whole and come first (in Sheets the first matching rule wins),
 * so no rule of anyone else's can paint "Rejected" green. Registry's Approval column by default;
 * Reviews' Status with REVIEW_COLOURS.
 */
export function approvalColoursIntact(
  sheet: Sheet,
  approvalColumn: number,
  lastRow: number,
  colours: Colours = APPROVAL_COLOURS,
): boolean {
  const rules = sheet.getConditionalFormatRules();
  return Object.keys(colours).every((word, i) => {
    const rule = rules[i];
    if (!rule || !isOurColourRule(rule, colours)) return false;
    const condition = rule.getBooleanCondition()!;
    if (String(condition.getCriteriaValues()[0]) !== word) return false;
    if (condition.getFontColor() !== fontFor(word)) return false;
    return rule
      .getRanges()
      .some(
        (r) =>
          r.getColumn() <= approvalColumn &&
          r.getLastColumn() >= approvalColumn &&
          r.getRow() <= 2 &&
          r.getLastRow() >= lastRow,
      );
  });
}

/** Keeps people's own conditional formats; replaces only the status colours. */
export function applyApprovalColours(
  sheet: Sheet,
  approvalColumn: number,
  colours: Colours = APPROVAL_COLOURS,
): void {
  const range = openColumn(sheet, approvalColumn);
  const kept = sheet.getConditionalFormatRules().filter((rule) => !isOurColourRule(rule, colours));
  const ours = Object.keys(colours).map((word) =>
    SpreadsheetApp.newConditionalFormatRule()
      .whenTextEqualTo(word)
      .setBackground(colours[word])
      .setFontColor(fontFor(word))
      .setRanges([range])
      .build(),
  );
  sheet.setConditionalFormatRules([...ours, ...kept]);
  const applied = storedJson<Record<string, string>>(COLOUR_SETS, {});
  if (applied[sheet.getName()] !== colourSet(colours)) {
    applied[sheet.getName()] = colourSet(colours);
    registryProperties().setProperty(COLOUR_SETS, JSON.stringify(applied));
  }
}

/** Which set of status words each sheet's colours were last applied with (a store key). */
const COLOUR_SETS = 'colourSets';
const colourSet = (colours: Colours) => Object.keys(colours).join('|');

/**
 * Whether this sheet's colours were applied with exactly these words before: if not, this
 * version brought new words (or the sheet never had colours), and applying them is an
 * upgrade, not a repair of someone's change.
 */
export function coloursKnown(sheet: Sheet, colours: Colours = APPROVAL_COLOURS): boolean {
  return (
    storedJson<Record<string, string>>(COLOUR_SETS, {})[sheet.getName()] === colourSet(colours)
  );
}

/**
 * Warning-only protection: an employee's script must still be able to write a new row. What
 * makes owned cells trustworthy is the edit trigger that reverts and logs a person's changes.
 */
function protect(sheet: Sheet, spec: SheetSpec, columns: Readonly<Record<string, number>>): void {
  const ours = [
    ...sheet.getProtections(SpreadsheetApp.ProtectionType.SHEET),
    ...sheet.getProtections(SpreadsheetApp.ProtectionType.RANGE),
  ].filter((p) => p.getDescription().startsWith(PROTECTION_PREFIX));
  ours.forEach((p) => p.remove());

  if (spec.owned) {
    sheet
      .protect()
      .setDescription(`${PROTECTION_PREFIX}: ${spec.protectionNote ?? spec.name}`)
      .setWarningOnly(true);
    return;
  }
  for (const column of spec.columns) {
    if (!column.owned) continue;
    openColumn(sheet, columns[column.header] + 1, 1)
      .protect()
      .setDescription(`${PROTECTION_PREFIX}: ${spec.protectionNote ?? column.header}`)
      .setWarningOnly(true);
  }
}

function columnsOf(sheet: Sheet, spec: SheetSpec): Readonly<Record<string, number>> {
  const lastColumn = sheet.getLastColumn();
  return planHeaders(sheet.getRange(1, 1, 1, lastColumn).getValues()[0], spec, lastColumn).columns;
}

function seedTools(sheet: Sheet, columns: Readonly<Record<string, number>>): number {
  const width = Math.max(...Object.values(columns)) + 1;
  const rows = SEED_TOOLS.map((tool) => {
    const row: (string | number)[] = new Array<string | number>(width).fill('');
    row[columns['Tool']] = tool.tool;
    row[columns['Vendor']] = tool.vendor;
    row[columns['Status']] = tool.status;
    row[columns['Max Tier']] = tool.maxTier ?? '';
    row[columns['SOC 2 Type II Verified']] = tool.soc2Verified ?? '';
    row[columns['Data Residency']] = tool.dataResidency;
    row[columns['How to Get Access']] = tool.howToGetAccess;
    row[columns['Notes']] = tool.notes;
    return row;
  });
  sheet.getRange(2, 1, rows.length, width).setValues(rows);
  return rows.length;
}

/** A brand-new spreadsheet's empty "Sheet1" is clutter; anything with content is kept. */
function removeEmptyDefaultSheet(ss: GoogleAppsScript.Spreadsheet.Spreadsheet): void {
  const sheet = ss.getSheetByName('Sheet1');
  if (
    sheet &&
    sheet.getLastRow() === 0 &&
    sheet.getLastColumn() === 0 &&
    ss.getSheets().length > 1
  ) {
    ss.deleteSheet(sheet);
  }
}
