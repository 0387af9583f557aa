import type { AttestationEntry } from '../domain/attestation';
import type { MetricEntry } from '../domain/metrics';
import { DATE_PATTERN } from '../domain/schema';
import { asText, isDate } from './catalog';
import { recordOf, type Cell, type Table } from './table';

/**
 * The registry and review rows as the reports, the attestation and the monthly review read
 * them: dates as yyyy-MM-dd in the settings' time zone, one place for every such mapping.
 */
function day(v: Cell | undefined, tz: string): string | null {
  return isDate(v) ? Utilities.formatDate(v, tz, DATE_PATTERN) : null;
}

export function metricEntries(registry: Table | null, tz: string): MetricEntry[] {
  if (!registry) return [];
  return registry.rows.map((row) => {
    const r = recordOf(registry, row);
    return {
      id: asText(r['ID']),
      registered: day(r['Registered'], tz),
      tier: asText(r['Data Tier']),
      department: asText(r['Department']),
      tool: asText(r['AI Tool']),
      approval: asText(r['Approval']),
      deploymentStatus: asText(r['Deployment Status']),
    };
  });
}

export function attestationEntries(
  registry: Table | null,
  tz: string,
  /**
   * The sealed owners of a row (who gets its mail), when the caller mails them; given the
   * entry as read, so a caller asks only for the entries it will mail (each costs a seal).
   */
  ownersOf?: (row: readonly Cell[], entry: AttestationEntry) => string[] | null,
): (AttestationEntry & { row: number })[] {
  if (!registry) return [];
  return registry.rows.map((row, i) => {
    const r = recordOf(registry, row);
    const entry = {
      row: i + 2,
      id: asText(r['ID']),
      creator: asText(r['Creator Email']).trim().toLowerCase(),
      project: asText(r['Project']),
      deploymentStatus: asText(r['Deployment Status']),
      lastConfirmed: day(r['Last Confirmed'], tz),
      registered: day(r['Registered'], tz),
    };
    const owners = ownersOf?.(row, entry);
    return owners ? { ...entry, owners } : entry;
  });
}

export interface ReviewRecord {
  status: string;
  opened: string | null;
  due: string | null;
  decided: string | null;
  businessDays: number | null;
}

export function reviewRecords(reviews: Table | null, tz: string): ReviewRecord[] {
  if (!reviews) return [];
  return reviews.rows
    .map((row) => recordOf(reviews, row))
    .filter((r) => asText(r['Review ID']) !== '')
    .map((r) => ({
      status: asText(r['Status']),
      opened: day(r['Opened'], tz),
      due: day(r['Due'], tz),
      decided: day(r['Decided'], tz),
      businessDays: typeof r['Business Days'] === 'number' ? r['Business Days'] : null,
    }));
}
