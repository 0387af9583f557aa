import type { StoreRecord, ToolRecord } from '../domain/policy';
import { AI_TOOLS, DATA_STORES, DATE_PATTERN } from '../domain/schema';
import { normaliseTier } from '../domain/tiers';
import { readTable, recordOf, type Cell } from './table';

/** A catalog row: what the policy needs, plus what people are shown. */
export interface CatalogRow extends ToolRecord {
  vendor: string;
}

export interface StoreRow extends StoreRecord {
  owner: string;
  description: string;
}

export const isDate = (v: unknown): v is Date =>
  typeof v === 'object' && v !== null && Object.prototype.toString.call(v) === '[object Date]';

export function asText(v: Cell | undefined): string {
  if (typeof v === 'string') return v;
  if (v === undefined || v === null) return '';
  return isDate(v) ? v.toISOString() : String(v);
}

/** The AI Tools sheet in one read; rows without a tool name are skipped. */
export function readCatalog(
  ss: GoogleAppsScript.Spreadsheet.Spreadsheet,
  tz: string,
): CatalogRow[] {
  const table = readTable(ss, AI_TOOLS);
  if (!table) return [];
  return table.rows
    .map((row) => recordOf(table, row))
    .filter((r) => asText(r['Tool']).trim() !== '')
    .map((r) => {
      const verified = r['SOC 2 Type II Verified'];
      const verifiedText = asText(verified).trim();
      const maxTier = Number(r['Max Tier']);
      return {
        tool: asText(r['Tool']).trim(),
        vendor: asText(r['Vendor']).trim(),
        status: asText(r['Status']).trim(),
        maxTier: asText(r['Max Tier']) !== '' && Number.isInteger(maxTier) ? maxTier : null,
        soc2Verified: isDate(verified)
          ? Utilities.formatDate(verified, tz, DATE_PATTERN)
          : /^\d{4}-\d{2}-\d{2}$/.test(verifiedText)
            ? verifiedText
            : null,
        howToGetAccess: asText(r['How to Get Access']).trim(),
      };
    });
}

/** The Data Stores inventory in one read; a store's tier is null when it is not a valid tier. */
export function readDataStores(ss: GoogleAppsScript.Spreadsheet.Spreadsheet): StoreRow[] {
  const table = readTable(ss, DATA_STORES);
  if (!table) return [];
  return table.rows
    .map((row) => recordOf(table, row))
    .filter((r) => asText(r['Data Store']).trim() !== '')
    .map((r) => ({
      name: asText(r['Data Store']).trim(),
      tier: normaliseTier(r['Tier']),
      owner: asText(r['Owner']).trim(),
      description: asText(r['Description']).trim(),
    }));
}
