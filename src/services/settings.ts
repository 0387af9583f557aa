import { registryProperties, type RegistryStore } from './store';
import { secretsFromStored, type ChannelSecrets } from '../domain/channels';
import { defaultSettings, settingsFromStored, type Settings } from '../domain/settings';

/** Document property keys. The webhook URL lives apart so it is never serialised with the rest. */
export const PROP = {
  settings: 'settings',
  webhook: 'slackWebhookUrl',
  spreadsheetId: 'spreadsheetId',
  triggerOwner: 'triggerOwner',
  setupVersion: 'setupVersion',
  /** Chat, Teams and ticketing webhook URLs and shared secrets (issue 16): never serialised. */
  channels: 'channelSecrets',
} as const;

/** The channels' write-only values: read only where something is sent or saved. */
export function loadSecrets(): ChannelSecrets {
  return secretsFromStored(parseJson(documentProperties().getProperty(PROP.channels)));
}

export function storeSecrets(secrets: ChannelSecrets): void {
  documentProperties().setProperty(PROP.channels, JSON.stringify(secrets));
}

function documentProperties(): RegistryStore {
  return registryProperties();
}

function parseJson(text: string | null): unknown {
  if (text === null) return null;
  try {
    return JSON.parse(text);
  } catch {
    return null;
  }
}

export function loadSettings(timeZone: string): Settings {
  // Two keys, not the whole store (script properties are shared by every registry).
  const props = documentProperties();
  const settings = settingsFromStored(parseJson(props.getProperty(PROP.settings)), timeZone);
  // The webhook is read when something asks for it (an edit that posts nothing never does).
  let webhook: string | null = null;
  Object.defineProperty(settings, 'slackWebhookUrl', {
    enumerable: true,
    configurable: true,
    get: () => (webhook ??= props.getProperty(PROP.webhook) ?? ''),
    set: (value: string) => {
      webhook = value;
    },
  });
  return settings;
}

export function storeSettings(settings: Settings): void {
  const { slackWebhookUrl, ...rest } = settings;
  documentProperties().setProperties({
    [PROP.settings]: JSON.stringify(rest),
    [PROP.webhook]: slackWebhookUrl,
  });
}

/**
 * Fills in missing settings without touching what the security team chose. The first person
 * to set the registry up becomes its first security-team member (the admin).
 */
export function ensureSettings(
  timeZone: string,
  admin: string,
): { settings: Settings; created: boolean } {
  const stored = documentProperties().getProperty(PROP.settings);
  const settings = stored === null ? defaultSettings(timeZone) : loadSettings(timeZone);
  if (settings.securityTeam.length === 0) settings.securityTeam = [admin];
  storeSettings(settings);
  return { settings, created: stored === null };
}
