import { INPUT_FIELDS } from '../../src/domain/entry';
import { GasRuntime } from '../../sandbox/gas/runtime';
import {
  addToSecurityTeam,
  ADMIN,
  EMPLOYEE,
  SECURITY,
  SETUP,
  requireDist,
  useSlackReceiver,
} from '../helpers';

/** Friday 27 November 2026, 17:00 in New York. */
const FRIDAY_5PM = '2026-11-27T22:00:00Z';
const DAY = 24 * 3600 * 1000;

const slack = useSlackReceiver();

function runtime(holidays: string[] = []): GasRuntime {
  requireDist();
  const rt = new GasRuntime({ now: '2026-11-23T14:00:00Z', slackBaseUrl: slack().baseUrl });
  rt.clickMenu(SETUP, ADMIN);
  addToSecurityTeam(rt, SECURITY);
  const settings = JSON.parse(rt.registryProperties().settings);
  rt.registryProperties().settings = JSON.stringify({ ...settings, holidays });
  rt.registryProperties().slackWebhookUrl = 'https://hooks.slack.com/services/T0/B0/sla';
  rt.advanceTo(FRIDAY_5PM);
  return rt;
}

function registerTier3(rt: GasRuntime, project = 'Support bot', status = 'dev') {
  const values: Record<string, string> = {
    'Creator Email': EMPLOYEE,
    Department: 'Support',
    Project: project,
    'Business Purpose': 'Drafts replies to customer tickets.',
    'Data Tier': '3',
    'Data Stores': '',
    'AI Tool': 'Claude Code',
    'AI Tool Version': '1.0',
    'Deployment Status': status,
  };
  const n = rt.view('Registry').values.length + 1;
  rt.edit('Registry', `C${n}:K${n}`, [INPUT_FIELDS.map((f) => values[f])], EMPLOYEE);
  return n;
}

const entry = (rt: GasRuntime, row = 2) => {
  const [head, ...rows] = rt.view('Registry').values;
  return Object.fromEntries(head.map((h, i) => [h, rows[row - 2][i]]));
};
const review = (rt: GasRuntime, row = 2) => {
  const [head, ...rows] = rt.view('Reviews').values;
  return Object.fromEntries(head.map((h, i) => [h, rows[row - 2][i]]));
};
const slackTexts = async () => (await slack().messages()).messages.map((m) => m.payload.text ?? '');

test('an entry registered Friday 17:00 is due the next Friday', () => {
  const rt = runtime();
  registerTier3(rt);
  expect(entry(rt)).toMatchObject({ Approval: 'In Review', 'Review Due': '2026-12-04' });
  expect(review(rt)).toMatchObject({
    'Review ID': 'R-0001',
    Opened: '2026-11-27 17:00',
    Due: '2026-12-04',
    Status: 'Open',
  });
});

test('with a holiday on the Wednesday it is due the Monday after', () => {
  const rt = runtime(['2026-12-02']);
  registerTier3(rt);
  expect(entry(rt)['Review Due']).toBe('2026-12-07');
});

test('a reminder the day before, once, even when the daily job runs twice', async () => {
  const rt = runtime();
  registerTier3(rt);
  rt.advanceTo('2026-12-03T12:00:00Z'); // Thursday: the 06:00 daily job has run
  const reminders = (await slackTexts()).filter((t) => t.includes('due 2026-12-04'));
  expect(reminders).toEqual(['1 Tier 3 security review(s) due 2026-12-04: R-0001']);
  const again = rt.clickMenu('Security team > Run daily checks now', SECURITY);
  expect(again.ui[0].message).not.toContain('Reminded');
  expect((await slackTexts()).filter((t) => t.includes('due 2026-12-04'))).toHaveLength(1);
});

test('it turns Review Overdue the morning after its due date, with exactly one overdue digest', async () => {
  const rt = runtime();
  registerTier3(rt);
  rt.advanceTo('2026-12-05T10:00:00Z'); // Saturday 05:00: not yet
  expect(entry(rt).Approval).toBe('In Review');
  rt.advanceTo('2026-12-05T12:00:00Z'); // after Saturday's 06:00 run
  expect(entry(rt).Approval).toBe('Review Overdue');
  expect(rt.view('Registry').backgrounds[1][11]).toBe('#f9cb9c');
  rt.advance(3 * DAY);
  rt.clickMenu('Security team > Run daily checks now', SECURITY);
  expect((await slackTexts()).filter((t) => t.includes('overdue'))).toEqual([
    '1 Tier 3 security review(s) are overdue: R-0001',
  ]);
});

test('many reviews going overdue at once are written as blocks of add-on cells, people’s cells untouched', async () => {
  const rt = runtime();
  // 60 entries, every third a Tier 3 review: 20 scattered rows go overdue the same morning.
  const rows = Array.from({ length: 60 }, (_, i) => {
    const values: Record<string, string> = {
      'Creator Email': EMPLOYEE,
      Department: 'Support',
      Project: `Bot ${i}`,
      'Business Purpose': 'Drafts replies.',
      'Data Tier': i % 3 === 0 ? '3' : '1',
      'Data Stores': '',
      'AI Tool': 'Claude Code',
      'AI Tool Version': '1.0',
      'Deployment Status': 'dev',
    };
    return INPUT_FIELDS.map((f) => values[f]);
  });
  rt.edit('Registry', 'C2:K61', rows, EMPLOYEE);
  const people = rt.view('Registry').values.map((r) => r.slice(2, 11));
  const before = rt.world.executions.length;
  rt.advanceTo('2026-12-05T12:00:00Z'); // after Saturday's 06:00 run
  const daily = rt.world.executions.slice(before).find((e) => e.calls.byMethod['Range.setValues']);
  expect(daily).toBeDefined();
  for (let row = 2; row <= 61; row++)
    expect(entry(rt, row).Approval).toBe((row - 2) % 3 === 0 ? 'Review Overdue' : 'Approved');
  // Two blocks of owned columns (ID…Registered, Approval…Seal) and the audit log, not a call
  // per row; every person's cell is as it was.
  expect(daily!.calls.byMethod['Range.setValues']).toBeLessThanOrEqual(5);
  expect(rt.view('Registry').values.map((r) => r.slice(2, 11))).toEqual(people);
  expect((await slackTexts()).filter((t) => t.includes('overdue'))).toHaveLength(1);
});

test('a reviewer’s approval in the Reviews sheet after 3 business days records 3, and the registry follows', async () => {
  const rt = runtime();
  registerTier3(rt);
  rt.advanceTo('2026-12-02T16:00:00Z'); // Wednesday
  const result = rt.edit('Reviews', 'G2', [['Approved']], SECURITY);
  expect(result.executions.every((e) => e.ok)).toBe(true);
  expect(review(rt)).toMatchObject({
    Status: 'Approved',
    Reviewer: SECURITY,
    Decided: '2026-12-02 11:00',
    'Business Days': '3',
  });
  expect(entry(rt)).toMatchObject({ Approval: 'Approved', 'Review Due': '' });
  expect(
    (await slackTexts()).some((t) =>
      t.startsWith('Review decided: AI-0001 Support bot: review Approved by security@example.com'),
    ),
  ).toBe(true);
});

test('an employee’s "approval" in the Reviews sheet is reverted', () => {
  const rt = runtime();
  registerTier3(rt);
  rt.edit('Reviews', 'G2', [['Approved']], EMPLOYEE);
  expect(review(rt).Status).toBe('Open');
  expect(entry(rt).Approval).toBe('In Review');
});

test('a sheet decision the rules refuse is put back with the reason', () => {
  const rt = runtime();
  registerTier3(rt, 'Live bot', 'prod');
  const result = rt.edit('Reviews', 'G2', [['Approved']], SECURITY);
  expect(review(rt).Status).toBe('Open');
  expect(result.executions[0].ui).toEqual([
    expect.objectContaining({
      type: 'toast',
      message: 'This project is in Production: attach the threat model link to approve it.',
    }),
  ]);
  rt.edit('Reviews', 'J2', [['https://docs.example.com/tm/live-bot']], SECURITY);
  rt.edit('Reviews', 'G2', [['Approved']], SECURITY);
  expect(entry(rt).Approval).toBe('Approved');
});

test('a production switch without an approved review and threat model is refused and alerted once', async () => {
  const rt = runtime();
  registerTier3(rt);
  rt.edit('Registry', 'K2', [['Production']], EMPLOYEE);
  expect(entry(rt)).toMatchObject({ Approval: 'In Review', 'Deployment Status': 'Production' });
  expect(entry(rt).Checks).toContain(
    'need an approved security review with a threat model before they go to Production',
  );
  rt.edit('Registry', 'F2', [['Drafts replies, now in production.']], EMPLOYEE);
  rt.advance(2 * DAY);
  expect(
    (await slackTexts()).filter((t) => t.startsWith('Production without threat model')),
  ).toHaveLength(1);
});

test('changes requested go back to the creator; re-submitting reopens the same review with a new due date', () => {
  const rt = runtime();
  registerTier3(rt);
  rt.advanceTo('2026-11-30T15:00:00Z'); // Monday
  rt.edit('Reviews', 'M2', [['Use the redacted ticket export instead.']], SECURITY);
  rt.edit('Reviews', 'G2', [['Changes Requested']], SECURITY);
  expect(entry(rt).Approval).toBe('Changes Requested');
  expect(review(rt)).toMatchObject({ Status: 'Changes Requested', 'Business Days': '1' });

  rt.advanceTo('2026-12-01T15:00:00Z'); // Tuesday: the creator re-submits
  rt.edit('Registry', 'H2', [['Support Tickets (redacted)']], EMPLOYEE);
  expect(entry(rt)).toMatchObject({ Approval: 'In Review', 'Review Due': '2026-12-08' });
  const reopened = review(rt);
  expect(reopened).toMatchObject({
    'Review ID': 'R-0001',
    Status: 'Open',
    Opened: '2026-12-01 10:00',
    Due: '2026-12-08',
    Decided: '',
    'Business Days': '',
  });
  expect(reopened.Notes).toBe(
    'Use the redacted ticket export instead.\n[2026-12-01] Re-submitted after changes requested by security@example.com on 2026-11-30.',
  );
  expect(
    rt
      .view('Reviews')
      .values.slice(1)
      .filter((r) => r[0] !== ''),
  ).toHaveLength(1);
});

test('a changed tier, store or tool voids an approval and opens a fresh review', () => {
  const rt = runtime();
  registerTier3(rt);
  rt.edit('Reviews', 'G2', [['Approved']], SECURITY);
  expect(entry(rt).Approval).toBe('Approved');
  rt.edit('Registry', 'I2', [['GitHub Copilot']], EMPLOYEE);
  expect(entry(rt).Approval).toBe('In Review');
  expect(
    rt
      .view('Reviews')
      .values.slice(1)
      .map((r) => [r[0], r[6]]),
  ).toEqual([
    ['R-0001', 'Approved'],
    ['R-0002', 'Open'],
  ]);
});

test('the daily check puts back add-on cells written behind its back (no trigger saw it), and says so', () => {
  const rt = runtime();
  registerTier3(rt);
  // A value written behind the add-on's back (another script, the Sheets API): no edit event.
  const sheet = rt.world.spreadsheet.sheets.find((s) => s.name === 'Registry')!;
  sheet.grid[1][11] = { ...sheet.grid[1][11], v: 'Approved' };
  const report = rt.clickMenu('Security team > Run daily checks now', SECURITY).ui[0].message;
  expect(report).toContain('Daily checks found problems.');
  expect(report).toContain(
    'Put back what the add-on owns in 1 registry row(s) changed outside Governed Path: row(s) 2',
  );
  expect(entry(rt).Approval).toBe('In Review');
  const log = rt.view('Audit Log').values;
  expect(log).toContainEqual(
    expect.arrayContaining([
      'unknown (found by the daily check)',
      'Tampering reverted',
      'AI-0001',
      'Approval',
      'In Review',
      'Approved',
    ]),
  );
});
