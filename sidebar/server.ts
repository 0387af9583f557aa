import type { ServerApi } from '../src/api';

export type { ImportMapping, ImportOptions, ImportSourceInput } from '../src/api';
type Api = ServerApi;

type Run = Record<string, (...args: unknown[]) => void> & {
  withSuccessHandler(fn: (value: unknown) => void): Run;
  withFailureHandler(fn: (error: Error) => void): Run;
};

declare const google: { script: { run: Run } };

/**
 * The one typed way to call the server: a promise per call, so panels never juggle handler
 * chains, and a failure handler always attached (without one, errors vanish into the console).
 */
export function call<K extends keyof Api>(
  name: K,
  ...args: Parameters<Api[K]>
): Promise<ReturnType<Api[K]>> {
  return new Promise((resolve, reject) => {
    const run = google.script.run
      .withSuccessHandler((value) => {
        resolve(value as ReturnType<Api[K]>);
        if (NOTIFYING.has(name)) deliverInBackground();
      })
      .withFailureHandler((error) => reject(error));
    run[name](...args);
  });
}

/** Calls whose changes may queue Slack messages: the server answers before posting them. */
const NOTIFYING: ReadonlySet<keyof Api> = new Set<keyof Api>([
  'registerProject',
  'attestProject',
  'setCoOwners',
  'decideReview',
  'saveSettings',
  'reanchorAuditLog',
  'rotateSigningKey',
  'reassignReview',
  'markPersonGone',
]);

/**
 * Posts what the change queued, in a call of its own that nobody waits for: a slow Slack never
 * holds up the person, and what this does not post (the sidebar closed, Slack down) the hourly
 * job does.
 */
export function deliverInBackground(): void {
  google.script.run
    .withSuccessHandler(() => undefined)
    .withFailureHandler(() => undefined)
    .deliverNotifications();
}

/**
 * Google refuses add-on calls from a browser signed in to several Google accounts when the
 * add-on runs under one that is not the default (Google: intended); it then answers with a
 * generic server or permission error, never with a reason.
 */
export const SEVERAL_ACCOUNTS =
  'If you are signed in to several Google accounts, Google blocks add-ons in all but the first one: open the spreadsheet in a private window (or a browser profile) signed in only to your work account.';

/** The sentence to show for a failed call: the server's own words when it sent some. */
export function failureMessage(error: unknown): string {
  const message = error instanceof Error ? error.message : String(error ?? '');
  if (/NetworkError|network|Failed to fetch/i.test(message) || message === '') {
    return `Governed Path could not reach the spreadsheet. Check your connection and try again. ${SEVERAL_ACCOUNTS}`;
  }
  if (/server error|PERMISSION_DENIED|authori[sz]ation is required|ScriptError/i.test(message)) {
    return `Google could not run Governed Path for this account. ${SEVERAL_ACCOUNTS}`;
  }
  return message.replace(/^(Exception|Error):\s*/, '');
}
