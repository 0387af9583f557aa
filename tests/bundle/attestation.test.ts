import { INPUT_FIELDS } from '../../src/domain/entry';
import { GasRuntime } from '../../sandbox/gas/runtime';
import {
  addToSecurityTeam,
  ADMIN,
  SECURITY,
  SETUP,
  requireDist,
  useSlackReceiver,
} from '../helpers';

const CREATORS = [
  'ana@example.com',
  'ben@example.com',
  'cai@example.com',
  'dee@example.com',
  'eli@example.com',
];
const DAY = 24 * 3600 * 1000;

const slack = useSlackReceiver();

/** Set up in November 2026 (Q4); five creators register six projects; New Year's Day is a holiday. */
function runtime(
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

const mailTo = (rt: GasRuntime, subject: RegExp) =>
  rt.world.mail
    .filter((m) => subject.test(m.subject))
    .map((m) => m.to)
    .sort();
/** Mail to creators (the daily head mailed to the security team is another test's). */
const creatorMail = (rt: GasRuntime) =>
  rt.world.mail.filter((m) => !/Audit Log head/.test(m.subject));
const slackTexts = async () => (await slack().messages()).messages.map((m) => m.payload.text ?? '');
const lastConfirmedColour = (rt: GasRuntime, row: number) =>
  rt.view('Registry').backgrounds[row - 1][13];

test('registration counts as the first confirmation; the quarter it was set up in is not attested', async () => {
  const rt = runtime();
  expect(rt.view('Registry').values[1][13]).toBe('2026-11-24');
  rt.advanceTo('2026-12-31T12:00:00Z');
  expect(creatorMail(rt)).toEqual([]);
  expect((await slackTexts()).filter((t) => t.includes('attestation'))).toEqual([]);
});

test('the kickoff: each creator of stale entries gets exactly one email, Slack one summary, and a second run repeats nothing', async () => {
  const rt = runtime();
  rt.advanceTo('2027-01-04T12:00:00Z'); // Monday 4 January: first business day of Q1 (1 January is a holiday)
  expect(mailTo(rt, /^Are your AI projects still in use\? \(Q1 2027, by 2027-02-03\)$/)).toEqual(
    CREATORS,
  );
  const ana = creatorMail(rt).find((m) => m.to === 'ana@example.com')!;
  expect(ana.body).toContain('AI-0001  Project 1');
  expect(ana.body).toContain('AI-0006  Project 6');
  expect(lastConfirmedColour(rt, 2)).toBe('#fde2b5');
  rt.clickMenu('Security team > Run daily checks now', SECURITY);
  rt.advance(DAY);
  expect(creatorMail(rt)).toHaveLength(5);
  expect((await slackTexts()).filter((t) => t.startsWith('Q1 2027 attestation'))).toEqual([
    'Q1 2027 attestation: 6 project(s) to confirm by 2027-02-03',
  ]);
});

test('confirming through the sidebar clears the flag; the halfway reminder goes once, only to those still pending', async () => {
  const rt = runtime();
  rt.advanceTo('2027-01-04T12:00:00Z');
  expect(rt.run('attestProject', ['AI-0002', 'active'], 'ben@example.com')).toMatchObject({
    ok: true,
    result: { lastConfirmed: '2027-01-04', pending: '' },
  });
  expect(lastConfirmedColour(rt, 3)).toBeNull();
  expect(lastConfirmedColour(rt, 2)).toBe('#fde2b5');
  rt.edit('Registry', 'K4', [['Decommissioned']], 'cai@example.com'); // decommissioning in the row counts too
  expect(rt.view('Registry').values[3][13]).toBe('2027-01-04');

  rt.advanceTo('2027-01-19T12:00:00Z'); // halfway through 30 days
  rt.clickMenu('Security team > Run daily checks now', SECURITY);
  rt.advance(3 * DAY);
  expect(mailTo(rt, /^Reminder: /)).toEqual([
    'ana@example.com',
    'dee@example.com',
    'eli@example.com',
  ]);
  expect((await slackTexts()).filter((t) => t.includes('still unconfirmed'))).toEqual([
    'Q1 2027 attestation: 4 project(s) still unconfirmed (grace ends 2027-02-03)',
  ]);
});

test('after grace, unconfirmed entries are flagged to security; nothing is deleted', async () => {
  const rt = runtime();
  rt.advanceTo('2027-01-04T12:00:00Z');
  rt.run('attestProject', ['AI-0001', 'active'], 'ana@example.com');
  rt.advanceTo('2027-02-04T12:00:00Z');
  expect(
    (await slackTexts()).filter((t) => t.includes('not confirmed after the grace period')),
  ).toEqual(['Q1 2027 attestation: 5 project(s) not confirmed after the grace period']);
  expect(
    rt
      .view('Registry')
      .values.slice(1)
      .filter((r) => r[0]).length,
  ).toBe(6);
  expect(
    rt
      .view('Registry')
      .values.slice(1)
      .every((r) => r[10] === 'Production'),
  ).toBe(true);
});

test('after grace, with auto-decommission on, unconfirmed entries are Decommissioned with a reason', () => {
  const rt = runtime({ autoDecommission: true });
  rt.advanceTo('2027-01-04T12:00:00Z');
  rt.run('attestProject', ['AI-0001', 'active'], 'ana@example.com');
  rt.advanceTo('2027-02-04T12:00:00Z');
  const rows = rt
    .view('Registry')
    .values.slice(1)
    .filter((r) => r[0]);
  expect(rows.map((r) => [r[0], r[10]])).toEqual([
    ['AI-0001', 'Production'],
    ['AI-0002', 'Decommissioned'],
    ['AI-0003', 'Decommissioned'],
    ['AI-0004', 'Decommissioned'],
    ['AI-0005', 'Decommissioned'],
    ['AI-0006', 'Decommissioned'],
  ]);
  expect(rows[1][14]).toMatch(
    /^Decommissioned automatically: not confirmed in the Q1 2027 attestation \(grace period ended 2027-02-03\)\./,
  );
  expect(rt.view('Audit Log').values.filter((r) => r[2] === 'Decommissioned')).toHaveLength(5);
});

test('with a mail quota of 3 and 5 creators, all 5 are emailed over two days', () => {
  const rt = runtime({ mailQuota: 3 });
  rt.advanceTo('2027-01-04T12:00:00Z');
  expect(creatorMail(rt).map((m) => m.to)).toEqual(CREATORS.slice(0, 3));
  const report = rt.clickMenu('Security team > Run daily checks now', SECURITY).ui[0].message;
  expect(report).toContain('2 creator(s) will be emailed tomorrow (daily mail quota).');
  rt.advanceTo('2027-01-05T12:00:00Z');
  expect(
    creatorMail(rt)
      .map((m) => m.to)
      .sort(),
  ).toEqual(CREATORS);
});

test('an address MailApp rejects is reported; every other creator still gets their mail, once', () => {
  const odd = 'cai@exa_mple.com'; // the registry accepts it; MailApp does not
  const rt = runtime({ creators: [CREATORS[0], CREATORS[1], odd, CREATORS[3]] });
  rt.advanceTo('2027-01-04T12:00:00Z');
  expect(creatorMail(rt).map((m) => m.to)).toEqual([CREATORS[0], CREATORS[1], CREATORS[3]]);
  const report = JSON.parse(rt.registryProperties().lastDailyCheck) as { lines: string[] };
  expect(report.lines.join('\n')).toContain(
    `Q1 2027 attestation: 1 address(es) could not be emailed (${odd}); check their Creator Email.`,
  );
  rt.advanceTo('2027-01-06T12:00:00Z');
  expect(creatorMail(rt)).toHaveLength(3);
});

test('more creators than one run may mail: the rest go out in the next hourly run, nobody twice', () => {
  const many = Array.from({ length: 54 }, (_, i) => `p${String(i).padStart(3, '0')}@example.com`);
  const rt = runtime({ creators: many, mailQuota: 1500 });
  rt.advanceTo('2027-01-04T11:30:00Z'); // the daily work (06:00 New York) has run
  expect(creatorMail(rt)).toHaveLength(50);
  const report = JSON.parse(rt.registryProperties().lastDailyCheck) as { lines: string[] };
  expect(report.lines.join('\n')).toContain('4 creator(s) will be emailed in the next hourly run.');
  rt.advanceTo('2027-01-04T14:00:00Z');
  expect(
    creatorMail(rt)
      .map((m) => m.to)
      .sort(),
  ).toEqual(many);
  expect(rt.registryProperties().attestation.length).toBeLessThan(400);
});

test('the monthly digest arrives once, on the first business day, with the report sheet', async () => {
  const rt = runtime();
  rt.advanceTo('2026-11-30T12:00:00Z');
  expect(rt.sheetNames()).not.toContain('Report - Monthly Review');
  rt.advanceTo('2026-12-01T12:00:00Z'); // Tuesday 1 December
  rt.clickMenu('Security team > Run daily checks now', SECURITY);
  rt.advanceTo('2026-12-10T12:00:00Z');
  const digests = (await slackTexts()).filter((t) => t.startsWith('Monthly registry review'));
  expect(digests).toEqual([
    'Monthly registry review: 2026-11: 6 new entries; No reviews were decided.',
  ]);
  const report = rt.view('Report - Monthly Review').values;
  expect(report[0][0]).toBe('Monthly registry review: 2026-11');
  expect(report).toContainEqual(['New entries', '6']);
  expect(report).toContainEqual(['Median business days to decide', 'not enough data']);
});
