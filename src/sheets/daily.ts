import type { Settings } from '../domain/settings';
import { buildMessage, type SlackMessage } from '../domain/slack';
import { enqueue } from '../services/slack';
import { attestationSweep, monthlySweep } from './attestation';
import { reviewSweep } from './sla';
import { appendAudit, SYSTEM_ACTOR, verifyAuditLog } from './audit-log';
import { restoreDeletedRows, restoreReviewRows, restoreSealedRows, undoReplays } from './guards';
import { processRegistryEdit } from './registry';
import {
  REGISTRY_SEAL,
  REVIEWS_SEAL,
  rowsOutOfSeal,
  sealer,
  STORES_SEAL,
  TOOLS_SEAL,
} from './seals';
import { readTable } from './table';
import { REGISTRY, REVIEWS } from '../domain/schema';

export interface DailyReport {
  ok: boolean;
  lines: string[];
}

/**
 * The registry part of the daily job, run under the document lock: the audit chain is
 * intact, no row was left undecided, reviews are reminded or marked overdue, add-on cells
 * match the policy and the review decisions, and every registry ID ever issued is still
 * present (or its deletion was logged). Slack messages are queued; the caller delivers them
 * after releasing the lock.
 */
export function runDailyChecks(
  ss: GoogleAppsScript.Spreadsheet.Spreadsheet,
  settings: Settings,
  now: Date,
  /** Verify the whole audit chain (asked for from the menu), not only since the last check. */
  fullChain = false,
): DailyReport {
  const lines: string[] = [];
  let ok = true;

  const chain = verifyAuditLog(ss, fullChain);
  if (chain.ok) {
    lines.push(
      `Audit log intact: ${chain.rows} entries${chain.full ? ' (full check)' : ' since the last check'}, head ${chain.head.slice(0, 12) || '(empty)'}.`,
    );
  } else {
    ok = false;
    lines.push(
      `The Audit Log's hash chain is broken at row ${chain.brokenRow}: ${chain.reason ?? 'that row, or one just before it, was changed or removed by hand'}.`,
    );
    appendAudit(
      ss,
      [
        {
          actor: SYSTEM_ACTOR,
          action: 'Integrity alert',
          registryId: '',
          field: 'Audit Log',
          oldValue: '',
          newValue: `hash chain broken at row ${chain.brokenRow}: ${chain.reason ?? ''}`,
        },
      ],
      now,
    );
  }

  // Deleted rows come back first: nothing issued is ever lost.
  const restored = restoreDeletedRows(ss, 'unknown (found by the daily check)', now);
  // Older sealed rows pasted back are put back to the latest (DESIGN §6.1, replay).
  for (const spec of [REVIEWS_SEAL, REGISTRY_SEAL])
    restored.push(...undoReplays(ss, spec, 'unknown (found by the daily check)', now));
  if (restored.length > 0) {
    ok = false;
    lines.push(...restored);
  }

  // Rows whose owned cells disagree with their seals (changes no trigger saw) are put back:
  // Reviews first, since the registry's decisions follow them.
  const reviewsTable = readTable(ss, REVIEWS);
  const reviewsOut = reviewsTable
    ? rowsOutOfSeal(sealer(ss), reviewsTable.rows, reviewsTable.columns, REVIEWS_SEAL)
    : [];
  if (reviewsOut.length > 0) {
    ok = false;
    restoreReviewRows(ss, reviewsOut, 'unknown (found by the daily check)', now);
    lines.push(
      `Put back ${reviewsOut.length} Reviews row(s) changed outside Governed Path: row(s) ${reviewsOut.slice(0, 20).join(', ')} (see the Audit Log).`,
    );
  }
  for (const spec of [TOOLS_SEAL, STORES_SEAL]) {
    const table = readTable(ss, spec.sheet);
    const out = table ? rowsOutOfSeal(sealer(ss), table.rows, table.columns, spec) : [];
    if (out.length === 0) continue;
    ok = false;
    restoreSealedRows(ss, spec, out, 'unknown (found by the daily check)', now);
    lines.push(
      `Put back the catalog facts of ${out.length} ${spec.sheet.name} row(s) changed outside Governed Path: row(s) ${out.slice(0, 20).join(', ')}.`,
    );
  }
  const registry = readTable(ss, REGISTRY);
  const outOfSeal = registry ? rowsOutOfSeal(sealer(ss), registry.rows, registry.columns) : [];
  const decided = processRegistryEdit(
    ss,
    {
      user: SYSTEM_ACTOR,
      row: 0,
      column: 0,
      numRows: 0,
      numColumns: 0,
      source: 'system',
      ...(outOfSeal.length > 0 ? { rows: outOfSeal } : {}),
    },
    settings,
    now,
  );
  if (outOfSeal.length > 0) {
    ok = false;
    lines.push(
      `Put back what the add-on owns in ${outOfSeal.length} registry row(s) changed outside Governed Path: row(s) ${outOfSeal.slice(0, 20).join(', ')} (see the Audit Log).`,
    );
  }
  if (decided.rowsDecided > outOfSeal.length)
    lines.push(
      `Decided ${decided.rowsDecided - outOfSeal.length} registry row(s) that were waiting.`,
    );

  const messages: SlackMessage[] = [];
  if (!chain.ok) messages.push(buildMessage({ kind: 'chain-broken', row: chain.brokenRow ?? 0 }));

  const sweep = reviewSweep(ss, settings, now);
  lines.push(...sweep.lines);
  messages.push(...sweep.messages);
  if (sweep.drift.length > 0) ok = false;

  for (const part of [attestationSweep(ss, settings, now), monthlySweep(ss, settings, now)]) {
    lines.push(...part.lines);
    messages.push(...part.messages);
  }

  enqueue(messages, now);
  return { ok, lines };
}
