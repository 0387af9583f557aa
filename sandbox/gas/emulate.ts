/** Thrown for any Apps Script call the runtime does not support: never a silent success. */
export class NotEmulatedError extends Error {}

export function notEmulated(what: string): never {
  throw new NotEmulatedError(`not emulated: ${what}`);
}

/** Property names that tooling probes on any object; answering undefined is harmless. */
const PROBES = new Set([
  'then',
  'toJSON',
  'asymmetricMatch',
  'nodeType',
  '$$typeof',
  'constructor',
  'inspect',
]);

/**
 * Wraps a fake service object: a method it does not implement throws `not emulated:
 * Service.method` when called, exactly where the add-on would have relied on it.
 */
export function emulated<T extends object>(target: T, service: string): T {
  return new Proxy(target, {
    get(obj, prop, receiver) {
      if (typeof prop === 'symbol' || prop in obj || PROBES.has(prop) || prop.startsWith('_')) {
        return Reflect.get(obj, prop, receiver);
      }
      return () => notEmulated(`${service}.${prop}`);
    },
  });
}

/**
 * Ties a fake to the real Apps Script type: every listed name must be a method of T in
 * @types/google-apps-script (a typo or an invented method fails to compile). Parameters are
 * the fakes' own, since they take the other fakes rather than the real interfaces.
 */
export type Emulates<T, K extends keyof T> = Record<K, (...args: never[]) => unknown>;
