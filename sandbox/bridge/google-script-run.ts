/**
 * The browser side of google.script.run, for the sidebar outside Google: the same chainable
 * API (withSuccessHandler, withFailureHandler, withUserObject), asynchronous, with Apps
 * Script's argument rules (no Date, no functions; undefined array items become null).
 * `window.__gasTransport(fn, args)` carries the call to the runtime and resolves to
 * `{ok, result}` or `{ok: false, error}`: an exposed function in tests, a fetch in the sandbox.
 */
export function googleScriptRunShim(functionNames: readonly string[]): string {
  return `(() => {
  const names = ${JSON.stringify(functionNames)};
  function illegal(value, path) {
    if (value === null || value === undefined) return null;
    const t = typeof value;
    if (t === 'string' || t === 'number' || t === 'boolean') return null;
    if (t === 'function' || value instanceof Date) return path;
    if (Array.isArray(value)) {
      for (let i = 0; i < value.length; i++) { const bad = illegal(value[i], String(i)); if (bad) return bad; }
      return null;
    }
    if (t === 'object') {
      for (const k of Object.keys(value)) { const bad = illegal(value[k], k); if (bad) return bad; }
      return null;
    }
    return path;
  }
  function runner(success, failure, userObject) {
    const run = {
      withSuccessHandler: (fn) => runner(fn, failure, userObject),
      withFailureHandler: (fn) => runner(success, fn, userObject),
      withUserObject: (obj) => runner(success, failure, obj),
    };
    for (const name of names) {
      Object.defineProperty(run, name, {
        enumerable: true,
        value: (...args) => {
          args.forEach((a, i) => {
            const bad = illegal(a, String(i));
            if (bad !== null) throw new Error('Failed due to illegal value in property: ' + bad);
          });
          const payload = JSON.parse(JSON.stringify(args.map((a) => (a === undefined ? null : a))));
          Promise.resolve()
            .then(() => window.__gasTransport(name, payload))
            .then(
              (answer) => {
                if (answer && answer.ok) { if (success) success(answer.result, userObject); }
                else if (failure) failure(new Error(answer ? answer.error : 'No answer from the server'), userObject);
                else console.error(answer && answer.error);
              },
              (error) => {
                const e = new Error('NetworkError: Connection failure due to HTTP 0');
                if (failure) failure(e, userObject); else console.error(e, error);
              },
            );
        },
      });
    }
    return run;
  }
  window.google = window.google || {};
  window.google.script = window.google.script || {};
  Object.defineProperty(window.google.script, 'run', { get: () => runner(null, null, undefined), configurable: true });
  window.google.script.host = { close() { window.__gasHostClosed = true; }, setHeight() {}, setWidth() {}, editor: { focus() {} } };
})();`;
}
