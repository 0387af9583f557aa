/** The attestation tests' registry: set up in November 2026, five creators (two test files share it). */
import { INPUT_FIELDS } from '../../src/domain/entry';
import { GasRuntime } from '../../sandbox/gas/runtime';
import type { SlackReceiver } from '../../sandbox/slack/receiver';
import { addToSecurityTeam, ADMIN, SECURITY, SETUP, requireDist } from '../helpers';

export const CREATORS = [
  'ana@example.com',
  'ben@example.com',
  'cai@example.com',
  'dee@example.com',
  'eli@example.com',
];
export const DAY = 24 * 3600 * 1000;

/** Set up in November 2026 (Q4); five creators register six projects; New Year's Day is a holiday. */
export function runtime(
  slack: () => { baseUrl: string },

  options: { mailQuota?: number; autoDecommission?: boolean; creators?: string[] } = {},
): GasRuntime {
  const creators = options.creators ?? CREATORS;
  requireDist();
  const rt = new GasRuntime({
    now: '2026-11-24T15:00:00Z',
    slackBaseUrl: slack().baseUrl,
    mailQuota: options.mailQuota,
  });
  rt.clickMenu(SETUP, ADMIN);
  addToSecurityTeam(rt, SECURITY);
  const settings = JSON.parse(rt.registryProperties().settings);
  rt.registryProperties().settings = JSON.stringify({
    ...settings,
    holidays: ['2027-01-01'],
    autoDecommission: !!options.autoDecommission,
  });
  rt.registryProperties().slackWebhookUrl = 'https://hooks.slack.com/services/T0/B0/attest';
  const projects = [...creators, creators[0]].map((creator, i) => {
    const v: Record<string, string> = {
      'Creator Email': creator,
      Department: 'Ops',
      Project: `Project ${i + 1}`,
      'Business Purpose': 'Automates a weekly report.',
      'Data Tier': '1',
      'Data Stores': '',
      'AI Tool': 'Claude Code',
      'AI Tool Version': '1.0',
      'Deployment Status': 'Production',
    };
    return INPUT_FIELDS.map((f) => v[f]);
  });
  rt.edit('Registry', `C2:K${projects.length + 1}`, projects, creators[0]);
  return rt;
}

export const mailTo = (rt: GasRuntime, subject: RegExp) =>
  rt.world.mail
    .filter((m) => subject.test(m.subject))
    .map((m) => m.to)
    .sort();
/** Mail to creators (the daily head mailed to the security team is another test's). */
export const creatorMail = (rt: GasRuntime) =>
  rt.world.mail.filter((m) => !/Audit Log head/.test(m.subject));
export const slackTexts = async (slack: () => SlackReceiver) =>
  (await slack().messages()).messages.map((m) => m.payload.text ?? '');
export const lastConfirmedColour = (rt: GasRuntime, row: number) =>
  rt.view('Registry').backgrounds[row - 1][13];
