import type { Settings } from '../domain/settings';
import { buildMessage } from '../domain/slack';
import { deliverOutbox, enqueue, outboxLines } from '../services/slack';
import { appendAudit, SYSTEM_ACTOR, verifyAuditLog } from './audit-log';
import { noticeDeletedRows } from './guards';
import { processRegistryEdit } from './registry';

export interface DailyReport {
  ok: boolean;
  lines: string[];
}

/**
 * The integrity part of the daily job: the audit chain is intact, no row was left undecided,
 * and every registry ID ever issued is still present (or its deletion was logged).
 */
export function runDailyChecks(
  ss: GoogleAppsScript.Spreadsheet.Spreadsheet,
  settings: Settings,
  now: Date,
): DailyReport {
  const lines: string[] = [];
  let ok = true;

  const chain = verifyAuditLog(ss);
  if (chain.ok) {
    lines.push(
      `Audit log intact: ${chain.rows} rows, head hash ${chain.head.slice(0, 12) || '(empty)'}.`,
    );
  } else {
    ok = false;
    lines.push(
      `The Audit Log's hash chain is broken at row ${chain.brokenRow}: that row, or one just before it, was changed or removed by hand.`,
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
          newValue: `hash chain broken at row ${chain.brokenRow}`,
        },
      ],
      now,
    );
  }

  const decided = processRegistryEdit(
    ss,
    { user: SYSTEM_ACTOR, row: 0, column: 0, numRows: 0, numColumns: 0 },
    settings,
    now,
  );
  if (decided.rowsDecided > 0)
    lines.push(`Decided ${decided.rowsDecided} registry row(s) that were waiting.`);

  if (!chain.ok) enqueue([buildMessage({ kind: 'chain-broken', row: chain.brokenRow ?? 0 })], now);

  const vanished = noticeDeletedRows(ss, SYSTEM_ACTOR, now);
  if (vanished.length > 0) {
    ok = false;
    lines.push(
      `Registry rows deleted since the last check: ${vanished.join(', ')} (logged in the Audit Log).`,
    );
  }
  const slack = deliverOutbox(30);
  lines.push(...outboxLines(slack));
  if (slack.undeliverable.length > 0) ok = false;
  return { ok, lines };
}
