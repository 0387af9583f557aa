import type { ServerApi } from '../src/api';

type Run = Record<string, (...args: unknown[]) => void> & {
  withSuccessHandler(fn: (value: unknown) => void): Run;
  withFailureHandler(fn: (error: Error) => void): Run;
};

declare const google: { script: { run: Run } };

/**
 * The one typed way to call the server: a promise per call, so panels never juggle handler
 * chains, and a failure handler always attached (without one, errors vanish into the console).
 */
export function call<K extends keyof ServerApi>(
  name: K,
  ...args: Parameters<ServerApi[K]>
): Promise<ReturnType<ServerApi[K]>> {
  return new Promise((resolve, reject) => {
    const run = google.script.run
      .withSuccessHandler((value) => resolve(value as ReturnType<ServerApi[K]>))
      .withFailureHandler((error) => reject(error));
    run[name](...args);
  });
}

/** The sentence to show for a failed call: the server's own words when it sent some. */
export function failureMessage(error: unknown): string {
  const message = error instanceof Error ? error.message : String(error ?? '');
  if (/NetworkError|network|Failed to fetch/i.test(message) || message === '') {
    return 'Governed Path could not reach the spreadsheet. Check your connection and try again.';
  }
  return message.replace(/^(Exception|Error):\s*/, '');
}
