/**
 * The cost model (issue 14): what an execution would take on real Apps Script, estimated from
 * what it did in the runtime and the published costs in ../shared/reference/apps-script-costs.md.
 * Each figure is an order of magnitude, not a promise: low, central and high are reported.
 */
import type { CallCounts, ExecutionKind } from './model';

export interface Estimate {
  low: number;
  central: number;
  high: number;
}

type Rate = readonly [low: number, central: number, high: number];

/** Seconds per unit, from the reference table. */
export const COSTS = {
  start: [0.1, 0.3, 1.0],
  dataCall: [0.02, 0.08, 0.16],
  metadataCall: [0.002, 0.02, 0.08],
  cellRead: [8.5e-6, 12e-6, 36e-6],
  cellWrite: [5e-6, 10e-6, 20e-6],
  bigCellWrite: [30e-6, 60e-6, 80e-6],
  /**
   * A cell a TextFinder scans on the server. Not in the reference: assumed an order of magnitude
   * below reading it (nothing is sent), with a wide range.
   */
  cellScanned: [0.3e-6, 1e-6, 4e-6],
  /** A digest or HMAC of a ~200-byte value (the call's overhead)… */
  digest: [0.05e-3, 0.25e-3, 1e-3],
  /** …and each byte beyond (Tanaike 2023: 0.75 µs a byte). */
  digestByte: [0.375e-6, 0.75e-6, 1.5e-6],
  propertyRead: [0.02, 0.03, 0.084],
  propertyWrite: [0.043, 0.062, 0.231],
  lock: [0.01, 0.03, 0.1],
  fetch: [0.2, 0.6, 1.0],
  mail: [0.25, 0.5, 1.2],
  /**
   * Creating a spreadsheet file in Drive (SpreadsheetApp.create). Not in the reference: assumed
   * a few data calls' worth, with a wide range.
   */
  fileCreate: [0.5, 1.5, 4.0],
  /** Script CPU on Apps Script, as a share of the runtime's own CPU time. */
  cpu: [0.2, 0.4, 0.75],
} as const satisfies Record<string, Rate>;

/** Limits to hold against (seconds): simple triggers 30 s, anything else 6 minutes. */
export function limitSeconds(kind: ExecutionKind): number {
  return kind === 'simple' ? 30 : 360;
}

/** Estimated seconds on Apps Script for one execution's counts. */
export function estimate(c: CallCounts): Estimate {
  const dataCalls = c.reads + c.writes + c.formatting;
  const smallWrites = c.cellsWritten - c.bigWriteCells;
  const extraDigestBytes = Math.max(0, c.digestBytes - 200 * c.digests);
  const at = (i: 0 | 1 | 2) =>
    COSTS.start[i] +
    dataCalls * COSTS.dataCall[i] +
    c.metadata * COSTS.metadataCall[i] +
    c.cellsRead * COSTS.cellRead[i] +
    smallWrites * COSTS.cellWrite[i] +
    c.bigWriteCells * COSTS.bigCellWrite[i] +
    c.cellsScanned * COSTS.cellScanned[i] +
    c.digests * COSTS.digest[i] +
    extraDigestBytes * COSTS.digestByte[i] +
    c.propertyReads * COSTS.propertyRead[i] +
    c.propertyWrites * COSTS.propertyWrite[i] +
    c.locks * COSTS.lock[i] +
    c.fetches * COSTS.fetch[i] +
    c.mails * COSTS.mail[i] +
    (c.files ?? 0) * COSTS.fileCreate[i] +
    (c.cpuMs / 1000) * COSTS.cpu[i];
  const round = (n: number) => Math.round(n * 100) / 100;
  return { low: round(at(0)), central: round(at(1)), high: round(at(2)) };
}

/** Counts of several executions together (an edit fires the edit and the change trigger). */
export function sumCounts(list: readonly CallCounts[]): CallCounts {
  const total = {} as CallCounts;
  for (const c of list)
    for (const [k, v] of Object.entries(c) as [keyof CallCounts, unknown][]) {
      if (k === 'byMethod') {
        total.byMethod ??= {};
        for (const [m, n] of Object.entries(v as Record<string, number>))
          total.byMethod[m] = (total.byMethod[m] ?? 0) + n;
      } else
        (total as unknown as Record<string, number>)[k] =
          ((total as unknown as Record<string, number>)[k] ?? 0) + (v as number);
    }
  return total;
}

/** Where an execution's central estimate goes, largest first (for `BENCH_DETAIL=1`). */
export function breakdown(c: CallCounts): [string, number][] {
  const i = 1;
  const parts: [string, number][] = [
    ['start', COSTS.start[i]],
    ['data calls', (c.reads + c.writes + c.formatting) * COSTS.dataCall[i]],
    ['metadata calls', c.metadata * COSTS.metadataCall[i]],
    ['cells read', c.cellsRead * COSTS.cellRead[i]],
    ['cells written', (c.cellsWritten - c.bigWriteCells) * COSTS.cellWrite[i]],
    ['big writes', c.bigWriteCells * COSTS.bigCellWrite[i]],
    ['cells scanned', c.cellsScanned * COSTS.cellScanned[i]],
    [
      'digests',
      c.digests * COSTS.digest[i] +
        Math.max(0, c.digestBytes - 200 * c.digests) * COSTS.digestByte[i],
    ],
    ['property reads', c.propertyReads * COSTS.propertyRead[i]],
    ['property writes', c.propertyWrites * COSTS.propertyWrite[i]],
    ['locks', c.locks * COSTS.lock[i]],
    ['fetches', c.fetches * COSTS.fetch[i]],
    ['mails', c.mails * COSTS.mail[i]],
    ['files created', (c.files ?? 0) * COSTS.fileCreate[i]],
    ['cpu', (c.cpuMs / 1000) * COSTS.cpu[i]],
  ];
  return parts.filter(([, s]) => s >= 0.01).sort((a, b) => b[1] - a[1]);
}
