import manifest from '../appsscript.json';

/**
 * What the publisher fixes at deployment (issue 16): the hosts Apps Script may fetch (the
 * manifest's urlFetchWhitelist, read from appsscript.json at build time so the two never
 * disagree) and, optionally, the only ticketing tenants a security team may point webhooks
 * at. Pin them by listing exact hosts, e.g. `['acme.atlassian.net', 'acme.service-now.com']`,
 * then `npm run deploy`: a webhook elsewhere is refused with a sentence, even if allowlisted.
 */
export const FETCH_ALLOWLIST: readonly string[] = manifest.urlFetchWhitelist;

export const PINNED_HOOK_HOSTS: readonly string[] = [];
