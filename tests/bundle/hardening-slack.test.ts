/**
 * The outbox under a failing platform (issue 15, deliverable 5). Fails today.
 */
import { INPUT_FIELDS } from '../../src/domain/entry';
import { addToSecurityTeam, EMPLOYEE, SECURITY, setUpRuntime, useSlackReceiver } from '../helpers';

const WEBHOOK = 'https://hooks.slack.com/services/T0TEST/B0TEST/s3cr3tw3bh00k';
const HOUR = 3600 * 1000;
const slack = useSlackReceiver();

function row(project: string): string[] {
  const v: Record<string, string> = {
    'Creator Email': EMPLOYEE,
    Department: 'Marketing',
    Project: project,
    'Business Purpose': 'Sends the weekly campaign email.',
    'Data Tier': '1',
    'Data Stores': '',
    'AI Tool': 'ChatGPT',
    'AI Tool Version': '4o',
    'Deployment Status': 'dev',
  };
  return INPUT_FIELDS.map((f) => v[f]);
}

test('one 429 with an absurd Retry-After does not silence Slack for years behind a passing check', async () => {
  const rt = setUpRuntime({ slackBaseUrl: slack().baseUrl });
  addToSecurityTeam(rt, SECURITY);
  rt.registryProperties().slackWebhookUrl = WEBHOOK;
  // One answer from a misbehaving edge: 429 with Retry-After of ten years.
  await slack().fail({ status: 429, count: 1, retryAfter: 10 * 365 * 24 * 3600 });
  rt.edit('Registry', 'C2:K2', [row('First')], EMPLOYEE);
  // The team even points Settings at a new webhook.
  const saved = rt.run(
    'saveSettings',
    [{ slackWebhookUrl: 'https://hooks.slack.com/services/T0TEST/B0NEW/n3wh00k' }],
    SECURITY,
  );
  expect(saved.ok).toBe(true);
  rt.advance(2 * 24 * HOUR);
  const report = rt.clickMenu('Security team > Run daily checks now', SECURITY).ui[0].message;
  const delivered = (await slack().messages()).messages.map((m) => m.payload.text ?? '');
  // Either the message went (the pause was bounded or lifted by the new webhook), or the
  // daily check does not pass while every alert is held back.
  const held = !delivered.some((t) => /First/.test(t));
  expect(held && report.startsWith('Daily checks passed.')).toBe(false);
});
