/**
 * Rotating the registry's signing key (DESIGN §6.1): recorded in the chain (the entry that
 * says so is the last one the old key signs), then every sealed row is re-sealed under the
 * new key in batches, by the call that starts it and then by the hourly job. A row is
 * re-sealed only as it stands sealed: anything out of seal is put back by the sweep first, so
 * a rotation never blesses a change.
 */
import type { Settings } from '../domain/settings';
import { finishKeyRotation, keyRotation, startKeyRotation } from '../services/keys';
import { appendAudit, auditEntryCount, SYSTEM_ACTOR, type AuditEntry } from './audit-log';
import { asText } from './catalog';
import {
  disagreeing,
  fingerprints,
  REGISTRY_SEAL,
  REVIEWS_SEAL,
  sealer,
  sealOf,
  sealRows,
  STORES_SEAL,
  TOOLS_SEAL,
} from './seals';
import { sweepRegistry } from './sweep';
import { readTable, writeRows } from './table';

type Spreadsheet = GoogleAppsScript.Spreadsheet.Spreadsheet;

/** Rows re-sealed per execution: well inside the six-minute limit. */
export const ROTATION_BATCH = 2000;

/** Starts a rotation and does its first batch; returns what to tell the member. */
export function rotateKey(ss: Spreadsheet, user: string, settings: Settings, now: Date): string {
  if (keyRotation()) return continueMessage(continueKeyRotation(ss, settings, now));
  const s = sealer(ss);
  appendAudit(
    ss,
    [
      {
        actor: user,
        action: 'Key rotated',
        registryId: '',
        field: 'Signing key',
        oldValue: s.keyId,
        newValue: '(a new key; its ID is in the next entries)',
      },
    ],
    now,
  );
  const rotation = startKeyRotation(auditEntryCount(), now);
  appendAudit(
    ss,
    [
      {
        actor: SYSTEM_ACTOR,
        action: 'Key in use',
        registryId: '',
        field: 'Signing key',
        oldValue: rotation.from,
        newValue: rotation.to,
      },
    ],
    now,
  );
  return continueMessage(continueKeyRotation(ss, settings, now));
}

function continueMessage(progress: { done: boolean; resealed: number; left: number }): string {
  return progress.done
    ? `The signing key was rotated and every row re-sealed under the new key (${progress.resealed} in this step).`
    : `The signing key was rotated. ${progress.resealed} row(s) re-sealed so far in this step; ${progress.left} more are re-sealed by the hourly job.`;
}

/** One batch of re-sealing; finishes the rotation when no row carries the old key. */
export function continueKeyRotation(
  ss: Spreadsheet,
  settings: Settings,
  now: Date,
  budget = ROTATION_BATCH,
): { done: boolean; resealed: number; left: number } {
  const rotation = keyRotation();
  if (!rotation) return { done: true, resealed: 0, left: 0 };
  // What is out of seal is put back first (old seals still count during the rotation).
  sweepRegistry(ss, settings, now, 'unknown (found during a key rotation)', false);
  const s = sealer(ss);
  let resealed = 0;
  let left = 0;
  for (const spec of [REGISTRY_SEAL, REVIEWS_SEAL, TOOLS_SEAL, STORES_SEAL]) {
    const table = readTable(ss, spec.sheet);
    if (!table) continue;
    const cols = table.columns;
    const old: number[] = [];
    table.rows.forEach((row, i) => {
      const seal = sealOf(s, asText(row[cols['Seal']]), spec);
      if (!seal || seal.k !== rotation.from) return;
      const agrees =
        disagreeing(s, seal, row, cols, spec).length === 0 &&
        (!seal.c ||
          Object.entries(fingerprints(row, cols, spec.people)).every(([f, v]) => seal.c![f] === v));
      if (agrees) old.push(i);
      else left++; // the sweep puts it back; the next batch re-seals it
    });
    const take = old.slice(0, Math.max(0, budget - resealed));
    left += old.length - take.length;
    if (take.length === 0) continue;
    const first = take[0];
    const block = table.rows.slice(first, take[take.length - 1] + 1).map((r) => r.slice());
    const audit: AuditEntry[] = [];
    sealRows(
      s,
      block,
      take.map((i) => i - first),
      cols,
      audit,
      spec,
    );
    writeRows(table, first + 2, block);
    appendAudit(ss, audit, now);
    resealed += take.length;
  }
  if (left > 0) return { done: false, resealed, left };
  finishKeyRotation();
  appendAudit(
    ss,
    [
      {
        actor: SYSTEM_ACTOR,
        action: 'Key rotation completed',
        registryId: '',
        field: 'Signing key',
        oldValue: rotation.from,
        newValue: rotation.to,
      },
    ],
    now,
  );
  return { done: true, resealed, left: 0 };
}
