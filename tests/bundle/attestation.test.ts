/** Quarterly attestation and the monthly review, over months of the runtime's clock. */
import {
  creatorMail,
  CREATORS,
  DAY,
  lastConfirmedColour,
  mailTo,
  runtime as fixtureRuntime,
  slackTexts as texts,
} from './attestation-fixture';
import { SECURITY, useSlackReceiver } from '../helpers';

// Each test runs the hourly job through weeks of the calendar (hundreds of executions): more
// than the 60 s a test gets by default on a busy two-core machine.
jest.setTimeout(240_000);

const slack = useSlackReceiver();
const runtime = (options: Parameters<typeof fixtureRuntime>[1] = {}) =>
  fixtureRuntime(slack, options);
const slackTexts = () => texts(slack);

/**
 * To the morning of Monday 4 January, the first business day of Q1 (1 January is a holiday),
 * its daily run done. The weeks before are jumped with the triggers off: that nothing is sent
 * in them is the first test's to show, which walks them.
 */
function toKickoff(rt: ReturnType<typeof runtime>): void {
  rt.jumpTo('2027-01-03T12:00:00Z');
  rt.advanceTo('2027-01-04T12:00:00Z');
}

test('registration counts as the first confirmation; the quarter it was set up in is not attested', async () => {
  const rt = runtime();
  expect(rt.view('Registry').values[1][13]).toBe('2026-11-24');
  rt.advanceTo('2026-12-31T12:00:00Z');
  expect(creatorMail(rt)).toEqual([]);
  expect((await slackTexts()).filter((t) => t.includes('attestation'))).toEqual([]);
});

test('the kickoff: each creator of stale entries gets exactly one email, Slack one summary, and a second run repeats nothing', async () => {
  const rt = runtime();
  toKickoff(rt); // Monday 4 January: first business day of Q1 (1 January is a holiday)
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
  toKickoff(rt);
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
  toKickoff(rt);
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
  toKickoff(rt);
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
