import { safeInstructions } from '../domain/injection';
import type { StoreRecord, ToolRecord } from '../domain/policy';
import { AI_TOOLS, DATA_STORES } from '../domain/schema';
import { signingKey } from '../services/keys';
import { sealer, sealOf, STORES_SEAL, TOOLS_SEAL, type SealSpec } from './seals';
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

/**
 * The sealed facts of catalog rows (DESIGN §6): what the security team set, whatever the cells
 * show now. A row without an authentic seal has no facts: its tool is not approved, its store
 * has no tier. With no signing key nothing is trusted.
 */
function sealedFacts(
  ss: GoogleAppsScript.Spreadsheet.Spreadsheet,
  spec: SealSpec,
): (seal: Cell | undefined) => Readonly<Record<string, string>> | null {
  const s = signingKey() ? sealer(ss) : null;
  return (seal) => (s ? (sealOf(s, asText(seal), spec)?.o ?? null) : null);
}

/** The AI Tools sheet in one read; rows without a tool name are skipped. */
export function readCatalog(
  ss: GoogleAppsScript.Spreadsheet.Spreadsheet,
  _tz: string,
): CatalogRow[] {
  const table = readTable(ss, AI_TOOLS);
  if (!table) return [];
  const factsOf = sealedFacts(ss, TOOLS_SEAL);
  return table.rows
    .map((row) => recordOf(table, row))
    .filter((r) => asText(r['Tool']).trim() !== '')
    .map((r) => {
      const facts = factsOf(r['Seal']);
      const maxTier = Number(facts?.['Max Tier']);
      const verified = (facts?.['SOC 2 Type II Verified'] ?? '').trim();
      return {
        tool: (facts?.['Tool'] ?? asText(r['Tool'])).trim(),
        vendor: asText(r['Vendor']).trim(),
        status: facts ? facts['Status'].trim() : 'Pending',
        maxTier: facts && facts['Max Tier'] !== '' && Number.isInteger(maxTier) ? maxTier : null,
        soc2Verified: /^\d{4}-\d{2}-\d{2}$/.test(verified) ? verified : null,
        howToGetAccess: safeInstructions(asText(r['How to Get Access'])),
      };
    });
}

/** The Data Stores inventory in one read; a store's tier is null when it is not a valid tier. */
export function readDataStores(ss: GoogleAppsScript.Spreadsheet.Spreadsheet): StoreRow[] {
  const table = readTable(ss, DATA_STORES);
  if (!table) return [];
  const factsOf = sealedFacts(ss, STORES_SEAL);
  return table.rows
    .map((row) => recordOf(table, row))
    .filter((r) => asText(r['Data Store']).trim() !== '')
    .map((r) => {
      const facts = factsOf(r['Seal']);
      return {
        name: (facts?.['Data Store'] ?? asText(r['Data Store'])).trim(),
        tier: facts ? normaliseTier(facts['Tier']) : null,
        owner: asText(r['Owner']).trim(),
        description: asText(r['Description']).trim(),
      };
    });
}
