/**
 * The watchdog (issue 13): installable triggers stop silently (their owner lost access,
 * uninstalled or disabled the add-on, a new version needs authorising again) and Google mails
 * nobody. Each run leaves a heartbeat; these rules read them and say what is wrong, in words
 * a security team can act on. One account cannot list another's triggers: the heartbeats are
 * the evidence, never a guess.
 */

export type RunKind = 'setup' | 'edit' | 'change' | 'hourly' | 'daily';

export interface Heartbeat {
  /** ISO time of the run. */
  at: string;
  /** Who the run ran as (the trigger owner). */
  owner: string;
  /** From ScriptApp.getAuthorizationInfo(FULL): `required` means the owner must authorise again. */
  authorization: 'ok' | 'required' | 'unknown';
  /** The owner's remaining MailApp recipients today; null when it could not be read. */
  mailQuota: number | null;
  /** False when the run failed; `error` says how. */
  ok: boolean;
  error?: string;
}

export type Heartbeats = Partial<Record<RunKind, Heartbeat>>;

export interface Health {
  ok: boolean;
  lines: string[];
}

const HOUR = 3600 * 1000;
/** The hourly job runs within about an hour; two missed runs and more are worth a word. */
const HOURLY_LATE = 3 * HOUR;
/** The daily work runs once a day after its hour; a day and a few hours late is a failure. */
const DAILY_LATE = 30 * HOUR;
/** A new registry's first hourly run comes within the hour: no alarm before then. */
const GRACE_AFTER_SETUP = 2 * HOUR;
const LOW_MAIL_QUOTA = 10;

function ago(ms: number): string {
  const hours = Math.floor(ms / HOUR);
  if (hours < 48) return `${hours} hour(s) ago`;
  return `${Math.floor(hours / 24)} day(s) ago`;
}

const FIX =
  'The trigger owner should open the spreadsheet and run Extensions › Governed Path › Security team › Set up or repair registry (it reinstalls the triggers as them).';

/** What the heartbeats say at `now`: each problem a sentence; `ok` when there is none. */
export function assessHeartbeats(beats: Heartbeats, now: number): Health {
  const lines: string[] = [];
  const time = (b: Heartbeat | undefined) => (b ? Date.parse(b.at) : NaN);
  const setupAt = time(beats.setup);
  const since = (kind: RunKind, late: number): void => {
    const beat = beats[kind];
    const at = time(beat);
    const label = kind === 'hourly' ? 'The hourly job' : 'The daily work';
    if (!beat || !Number.isFinite(at)) {
      if (Number.isFinite(setupAt) && now - setupAt > late + GRACE_AFTER_SETUP)
        lines.push(`${label} has never run since the registry was set up. ${FIX}`);
      return;
    }
    if (now - at > late)
      lines.push(
        `${label} last ran ${beat.at.slice(0, 16).replace('T', ' ')} UTC (${ago(now - at)}) as ${beat.owner || 'an unknown account'}: its trigger may have stopped. ${FIX}`,
      );
  };
  since('hourly', HOURLY_LATE);
  since('daily', DAILY_LATE);

  const runs = (['hourly', 'daily', 'edit', 'change'] as const)
    .map((kind) => ({ kind, beat: beats[kind] }))
    .filter(
      (r): r is { kind: RunKind & ('hourly' | 'daily' | 'edit' | 'change'); beat: Heartbeat } =>
        !!r.beat,
    )
    .sort((a, b) => time(b.beat) - time(a.beat));
  const latest = runs[0];
  if (latest?.beat.authorization === 'required')
    lines.push(
      `${latest.beat.owner || 'The trigger owner'} must authorise Governed Path again (a new version asks for more access); until then its triggers fail. Open Extensions › Governed Path as ${latest.beat.owner || 'the trigger owner'} and follow the prompt.`,
    );
  for (const { kind, beat } of runs)
    if (!beat.ok)
      lines.push(
        `The last ${kind} run (${beat.at.slice(0, 16).replace('T', ' ')} UTC) failed: ${beat.error ?? 'no reason given'}.`,
      );
  return { ok: lines.length === 0, lines };
}

/** One line for the daily report when all is well: who runs the triggers and their mail left. */
export function heartbeatSummary(beats: Heartbeats): string {
  const last = beats.hourly ?? beats.daily;
  if (!last) return 'Triggers: no hourly run recorded yet.';
  const quota =
    last.mailQuota === null
      ? ''
      : `; ${last.mailQuota} mail recipient(s) left today${last.mailQuota < LOW_MAIL_QUOTA ? ' (low)' : ''}`;
  return `Triggers: last hourly run ${last.at.slice(0, 16).replace('T', ' ')} UTC as ${last.owner}${quota}.`;
}
