import { TIER_NAMES, type DashboardTables } from '../domain/metrics';
import { replaceSheet } from './table';

export const DASHBOARD_SHEET = 'Dashboard';

type Value = string | number;

interface Block {
  title: string;
  chart: GoogleAppsScript.Charts.ChartType;
  header: string[];
  rows: Value[][];
  options: Record<string, string | boolean>;
}

/**
 * The Dashboard sheet: the four tables the security team watches, each drawn by a native
 * chart next to it. Regenerated (replaced) with the Adoption & SLA report.
 */
export function writeDashboard(
  ss: GoogleAppsScript.Spreadsheet.Spreadsheet,
  tables: DashboardTables,
  generated: string,
): void {
  const orNone = (rows: Value[][], width: number): Value[][] =>
    rows.length ? rows : [['(none yet)', ...new Array<Value>(width - 1).fill(0)]];
  const blocks: Block[] = [
    {
      title: 'Registrations per month by tier',
      chart: Charts.ChartType.COLUMN,
      header: ['Month', ...TIER_NAMES],
      rows: orNone(tables.perMonthByTier, 5),
      options: { title: 'Registrations per month by tier', isStacked: true },
    },
    {
      title: 'Approval status',
      chart: Charts.ChartType.PIE,
      header: ['Approval', 'Entries'],
      rows: orNone(tables.approvals, 2),
      options: { title: 'Approval status' },
    },
    {
      title: 'Tier 3 time to review (business days)',
      chart: Charts.ChartType.COLUMN,
      header: ['Business days', 'Reviews'],
      rows: tables.reviewTimes,
      options: { title: 'Time to review' },
    },
    {
      title: 'Adoption over time (% of AI-built projects: estimated and measured)',
      chart: Charts.ChartType.LINE,
      header: ['Month', 'Estimate-based %', 'Measured %'],
      rows: orNone(tables.trend ?? tables.adoption.map(([m, v]) => [m, v, '']), 3),
      options: { title: 'Adoption over time (target 40%)' },
    },
  ];
  const rows: Value[][] = [['Governed Path dashboard', generated]];
  const placed: { block: Block; headerRow: number }[] = [];
  for (const block of blocks) {
    rows.push([], [block.title]);
    placed.push({ block, headerRow: rows.length + 1 });
    rows.push(block.header, ...block.rows);
  }
  const sheet = replaceSheet(ss, DASHBOARD_SHEET, rows);
  placed.forEach(({ block, headerRow }, i) => {
    const builder = sheet
      .newChart()
      .setChartType(block.chart)
      .addRange(sheet.getRange(headerRow, 1, block.rows.length + 1, block.header.length))
      .setPosition(2 + i * 18, 8, 0, 0);
    for (const [key, value] of Object.entries(block.options)) builder.setOption(key, value);
    sheet.insertChart(builder.build());
  });
}
