/**
 * What UrlFetchApp may reach and where the sandbox sends it: the manifest's urlFetchWhitelist
 * read as Apps Script reads it, and the one local receiver that stands in for every webhook
 * service (Slack, Google Chat, Teams Workflows, signed webhooks to Jira and ServiceNow).
 */

/** Characters of a host name label (no port, no path, no user info). */
const LABELS = /^[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)*$/;

/**
 * Whether `url` starts with one of the whitelist's prefixes. An entry may begin its host with a
 * wildcard label (`https://*.logic.azure.com/`): one or more labels stand for the `*`, and the
 * rest of the entry must then follow as it is written. So `https://*.logic.azure.com/` matches
 * neither `https://logic.azure.com/` (no label for the `*`) nor
 * `https://x.logic.azure.com:443/…` (the entry spells no port): the less forgiving reading.
 */
export function whitelistAllows(url: string, entries: readonly string[]): boolean {
  return entries.some((entry) => {
    const star = /^([a-z][a-z0-9+.-]*:\/\/)\*\./i.exec(entry);
    if (!star) return url.startsWith(entry);
    const scheme = star[1];
    if (url.slice(0, scheme.length).toLowerCase() !== scheme.toLowerCase()) return false;
    const rest = url.slice(scheme.length);
    const tail = entry.slice(star[0].length);
    // Every dot that ends one or more whole labels is a place the tail may start.
    for (let i = rest.indexOf('.'); i > 0; i = rest.indexOf('.', i + 1)) {
      if (!LABELS.test(rest.slice(0, i))) return false;
      if (rest.slice(i + 1).startsWith(tail)) return true;
    }
    return false;
  });
}

export type Service = 'slack' | 'chat' | 'teams' | 'hooks';

export interface Route {
  service: Service;
  /** Where the request goes on the local receiver. */
  url: string;
  /** Headers the receiver needs to know where the request was meant to go. */
  headers: Record<string, string>;
}

/** Hosts a signed webhook may go to: Jira Cloud (Automation) and ServiceNow. */
function isHooksHost(host: string): boolean {
  return (
    host === 'api-private.atlassian.com' ||
    host.endsWith('.atlassian.net') ||
    host.endsWith('.service-now.com')
  );
}

/**
 * The receiver address for an https URL of a service the sandbox stands in for, or null when
 * nothing would answer (`Address unavailable`). `base` is the receiver (http://127.0.0.1:PORT).
 */
export function routeToReceiver(target: URL, base: string): Route | null {
  if (target.protocol !== 'https:') return null;
  const host = target.hostname.toLowerCase();
  const path = target.pathname + target.search;
  if (host === 'hooks.slack.com') return { service: 'slack', url: base + path, headers: {} };
  if (host === 'chat.googleapis.com')
    return { service: 'chat', url: `${base}/chat${path}`, headers: {} };
  if (host.endsWith('.logic.azure.com') || host.endsWith('.api.powerplatform.com'))
    return { service: 'teams', url: `${base}/teams${path}`, headers: { 'X-Sandbox-Host': host } };
  if (isHooksHost(host))
    return {
      service: 'hooks',
      url: `${base}/hooks/${host}${path}`,
      headers: { 'X-Sandbox-Host': host },
    };
  return null;
}
