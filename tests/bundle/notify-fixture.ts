import type { OutboxRecord } from '../../src/domain/outbox';
import type { GasRuntime } from '../../sandbox/gas/runtime';
import type { SlackReceiver } from '../../sandbox/slack/receiver';
import {
  addToSecurityTeam,
  ADMIN,
  EMPLOYEE,
  registryInputs,
  SECURITY,
  setUpRuntime,
} from '../helpers';

/** Issue 16's channels, as the notification tests configure them (every one at once). */
export const SLACK = 'https://hooks.slack.com/services/T0TEST/B0TEST/s3cr3tw3bh00k';
export const CHAT =
  'https://chat.googleapis.com/v1/spaces/AAAA1234/messages?key=AIzaSyTestKey&token=chatT0ken_secret';
export const TEAMS =
  'https://prod-12.westus.logic.azure.com:443/workflows/0a1b2c3d/triggers/manual/paths/invoke?api-version=2016-06-01&sp=%2Ftriggers%2Fmanual%2Frun&sv=1.0&sig=teamsSigSecret';
export const SNOW = 'https://acme.service-now.com/api/acme/governed_path/events';
export const JIRA =
  'https://api-private.atlassian.com/automation/webhooks/jira/a/1111-2222/3333-4444';
export const HOOK_SECRET = 'hmac-shared-secret-0123456789';
export const JIRA_TOKEN = 'jira-automation-token-abcdef';
export const HOUR = 3600000;

export type Service = 'slack' | 'chat' | 'teams' | 'hooks';

/** A registry with Slack, Chat, Teams, a ServiceNow and a Jira webhook; the alert flushed. */
export function notifyRuntime(receiver: SlackReceiver): GasRuntime {
  const rt = setUpRuntime({ slackBaseUrl: receiver.baseUrl });
  addToSecurityTeam(rt, SECURITY);
  const saved = rt.run(
    'saveSettings',
    [
      {
        slackWebhookUrl: SLACK,
        chatWebhookUrl: CHAT,
        teamsWebhookUrl: TEAMS,
        hookUrls: { 'review-requested': SNOW, decision: JIRA },
        hookSecret: HOOK_SECRET,
        jiraToken: JIRA_TOKEN,
      },
    ],
    ADMIN,
  );
  expect(saved).toMatchObject({ ok: true });
  // The alert that the webhooks were set goes to the new channels: out of the way first.
  rt.run('deliverNotifications', [], ADMIN);
  return rt;
}

/** What one receiver got, without the daily Audit Log head. */
export async function received(receiver: SlackReceiver, service: Service) {
  return (await receiver.messages(service)).messages.filter(
    (m) => !JSON.stringify(m.payload).includes('Audit Log head'),
  );
}

export function outbox(rt: GasRuntime): OutboxRecord[] {
  return Object.entries(rt.registryProperties())
    .filter(([k]) => k.startsWith('outbox.'))
    .map(([, v]) => JSON.parse(v) as OutboxRecord);
}

/** What a person was mailed, without the daily Audit Log head the team gets anyway. */
export const mailTo = (rt: GasRuntime, to: string) =>
  rt.world.mail.filter((m) => m.to === to && !m.subject.includes('Audit Log head'));

export function registerTier3(rt: GasRuntime, project = 'Payroll checker', row = 2): void {
  rt.edit(
    'Registry',
    `C${row}:K${row}`,
    [registryInputs({ Project: project, 'Data Tier': '3', Department: 'Finance' })],
    EMPLOYEE,
  );
}

/** Who an entry's latest review is assigned to (issue 17: the assignee is mailed, not the team). */
export function assigneeOf(rt: GasRuntime, registryId: string): string {
  const [head, ...rows] = rt.view('Reviews').values;
  const mine = rows.filter((r) => r[head.indexOf('Registry ID')] === registryId);
  return mine[mine.length - 1]?.[head.indexOf('Assigned To')] ?? '';
}
