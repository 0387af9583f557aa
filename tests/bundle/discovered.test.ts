/**
 * Issue 18: the Discovered sheet. What the security team found elsewhere is reconciled daily
 * with the Registry (by owner and a name like it), owners of unregistered projects are invited
 * once, the team ignores lines with a reason, and adoption is measured against it. The
 * expected tables are worked out by hand below.
 */
import type { GasRuntime } from '../../sandbox/gas/runtime';
import { ADMIN, auditRows, SECURITY, setUpRuntime } from '../helpers';
import { goTo, records, register } from './lifecycle-fixture';

const SURVEY = 'https://forms.example.com/why-not-registered';

function registry(): GasRuntime {
  const rt = setUpRuntime();
  // Through Settings, as the team would: the Discovered sheet's editors follow the team.
  const saved = rt.run(
    'saveSettings',
    [{ securityTeam: [ADMIN, SECURITY], estimatedProjects: 10, surveyUrl: SURVEY }],
    ADMIN,
  );
  expect(saved).toMatchObject({ ok: true });
  // Four entries, one of them decommissioned (registered, but not live).
  register(rt, 2, {
    Project: 'Expense Bot',
    'Creator Email': 'dana@example.com',
    'Data Tier': '1',
  });
  register(rt, 3, {
    Project: 'Churn Predictor',
    'Creator Email': 'kim@example.com',
    'Data Tier': '1',
  });
  register(rt, 4, {
    Project: 'Wiki helper',
    'Creator Email': 'lee@example.com',
    'Data Tier': '1',
    'Deployment Status': 'Decommissioned',
  });
  register(rt, 5, {
    Project: 'Report Writer',
    'Creator Email': 'sam@example.com',
    'Data Tier': '1',
  });
  return rt;
}

/** Source · Name · Owner Email · Found · Link, as the team pasted them. */
const LINES = [
  [
    'GitHub export',
    'acme/expense-bot',
    'dana@example.com',
    '2026-11-01',
    'https://github.com/acme/expense-bot',
  ],
  ['Apps Script list', 'Churn predictor v2', 'KIM@example.com', '2026-11-02', ''],
  ['Admin console', 'Slack Summarizer', 'dana@example.com', '2026-11-03', ''],
  [
    'GitHub export',
    'acme/sales-forecast',
    'kim@example.com',
    '2026-11-03',
    'https://github.com/acme/sales-forecast',
  ],
  ['GitHub export', 'acme/old-prototype', 'ana@example.com', '2026-11-04', ''],
  ['Admin console', 'Partner Portal Bot', 'partner@other.org', '2026-11-04', ''],
  ['Apps Script list', 'Budget sync', '', '2026-11-05', ''],
  ['GitHub export', 'wiki-helper', 'lee@example.com', '2026-11-05', 'javascript:alert(1)'],
  ['GitHub export', 'acme/reportwriter', 'sam@example.com', '2026-11-06', ''],
  ['Admin console', 'Report writer', 'someone@example.com', '2026-11-06', ''],
];

const status = (rt: GasRuntime) =>
  records(rt, 'Discovered').map((r) => [r.Name, r.Status, r.Reason]);

describe('reconciling the Discovered sheet', () => {
  let rt: GasRuntime;
  beforeAll(() => {
    rt = registry();
    const r = rt.edit('Discovered', 'A2:E11', LINES, SECURITY);
    expect(r.ok).toBe(true);
  });

  it('is set up with its headers and protected for the security team only', () => {
    expect(rt.view('Discovered').values[0]).toEqual(
      expect.arrayContaining([
        'Source',
        'Name',
        'Owner Email',
        'Found',
        'Link',
        'Status',
        'Reason',
      ]),
    );
    const refused = rt.edit(
      'Discovered',
      'A12:C12',
      [['x', 'y', 'dana@example.com']],
      'dana@example.com',
    );
    expect(refused.ok).toBe(false);
  });

  it('lets the team mark a line Ignored with a reason, and puts back any other status typed', () => {
    expect(rt.edit('Discovered', 'F6', [['ignored']], SECURITY).ok).toBe(true);
    expect(status(rt)[4]).toEqual([
      'acme/old-prototype',
      'Ignored',
      `Ignored by ${SECURITY} on 2026-11-24`,
    ]);
    expect(rt.edit('Discovered', 'G6', [['Archived repo, never used']], SECURITY).ok).toBe(true);
    // Registered is the add-on's word: typed, it is put back.
    expect(rt.edit('Discovered', 'F7', [['Registered']], SECURITY).ok).toBe(true);
    expect(status(rt)[5][1]).toBe('');
    expect(auditRows(rt, 'Discovered ignored').map((a) => a['New Value'])).toEqual([
      `Ignored: Ignored by ${SECURITY} on 2026-11-24`,
      'Ignored: Archived repo, never used',
    ]);
  });

  it('reconciles by owner and fuzzy name, invites once, and measures adoption (day 1)', () => {
    rt.world.mail.length = 0;
    goTo(rt, '2026-11-25');
    // Worked out by hand: an owner's entry with a name like the line's is Registered with its
    // ID (a decommissioned entry too); an owner in the organisation is invited; the rest wait.
    expect(status(rt)).toEqual([
      ['acme/expense-bot', 'Registered', 'AI-0001'],
      ['Churn predictor v2', 'Registered', 'AI-0002'],
      ['Slack Summarizer', 'Invited', 'Invited 2026-11-25'],
      ['acme/sales-forecast', 'Invited', 'Invited 2026-11-25'],
      ['acme/old-prototype', 'Ignored', 'Archived repo, never used'],
      [
        'Partner Portal Bot',
        '',
        'partner@other.org is outside the organisation, so no invitation is mailed: ask them directly, or mark the line Ignored.',
      ],
      ['Budget sync', '', 'No owner email: add the owner, or mark the line Ignored with a reason.'],
      ['wiki-helper', 'Registered', 'AI-0003'],
      ['acme/reportwriter', 'Registered', 'AI-0004'],
      ['Report writer', 'Invited', 'Invited 2026-11-25'],
    ]);
    const invites = rt.world.mail.filter((m) => m.subject.includes('in the AI registry'));
    expect(invites.map((m) => [m.to, m.subject]).sort()).toEqual([
      ['dana@example.com', 'Governed Path: please register "Slack Summarizer" in the AI registry'],
      [
        'kim@example.com',
        'Governed Path: please register "acme/sales-forecast" in the AI registry',
      ],
      ['someone@example.com', 'Governed Path: please register "Report writer" in the AI registry'],
    ]);
    const kim = invites.find((m) => m.to === 'kim@example.com')!;
    expect(kim.body).toContain('https://docs.google.com/spreadsheets/d/');
    expect(kim.body).toContain('https://github.com/acme/sales-forecast');
    expect(kim.body).toContain(SURVEY);
  });

  it('offers a person their found projects in the Register panel', () => {
    const data = rt.run('getSidebarData', [], 'kim@example.com');
    expect(data.ok).toBe(true);
    expect((data as { result: { found: unknown[] } }).result.found).toEqual([
      {
        name: 'acme/sales-forecast',
        source: 'GitHub export',
        link: 'https://github.com/acme/sales-forecast',
        found: '2026-11-03',
      },
    ]);
  });

  it('shows measured adoption beside the estimate: 3 live of 3 + 5 unregistered = 37.5 %', () => {
    const r = rt.clickMenu('Security team > Adoption & SLA report', SECURITY);
    expect(r.ok).toBe(true);
    const report = Object.fromEntries(
      rt.view('Report - Adoption & SLA').values.map((row) => [String(row[0]).trim(), row[1]]),
    );
    expect(report['Registry adoption']).toBe('30%');
    expect(report['Measured adoption']).toBe('37.5%');
    // (As the sheet shows them.)
    expect(report['Discovered projects']).toBe('10');
    expect(report['matched to an entry (Registered)']).toBe('4');
    expect(report['not registered (Invited or waiting)']).toBe('5');
    expect(report['ignored by the security team']).toBe('1');
  });

  it('registers a found project on day 2: matched, nobody invited twice, 4 of 8 = 50 %', () => {
    register(rt, 6, {
      Project: 'Sales Forecast',
      'Creator Email': 'kim@example.com',
      'Data Tier': '1',
    });
    rt.world.mail.length = 0;
    goTo(rt, '2026-11-26');
    expect(status(rt)[3]).toEqual(['acme/sales-forecast', 'Registered', 'AI-0005']);
    expect(status(rt)[2]).toEqual(['Slack Summarizer', 'Invited', 'Invited 2026-11-25']);
    expect(rt.world.mail.filter((m) => m.subject.includes('in the AI registry'))).toEqual([]);
    expect(rt.run('getSidebarData', [], 'kim@example.com')).toMatchObject({
      ok: true,
      result: { found: [] },
    });
    rt.clickMenu('Security team > Adoption & SLA report', SECURITY);
    const values = rt.view('Report - Adoption & SLA').values;
    const report = Object.fromEntries(values.map((row) => [String(row[0]).trim(), row[1]]));
    expect(report['Registry adoption']).toBe('40%');
    expect(report['Measured adoption']).toBe('50%');
    // The trend: this month, estimate-based 40 % (4 live of 10) beside measured 50 %.
    const trend = values.findIndex((row) => row[0] === 'Adoption trend by month');
    expect(values[trend + 1].slice(0, 2)).toEqual(['  2026-11', '40% · 50%']);
    const dashboard = rt.view('Dashboard').values;
    const at = dashboard.findIndex((row) => row[0] === 'Month' && row[2] === 'Measured %');
    expect(dashboard[at + 1].slice(0, 3)).toEqual(['2026-11', '40', '50']);
  });

  it('puts back a pasted Status and Reason, and logs it', () => {
    // Only one typed Status cell is a decision: a paste over Status and Reason is put back.
    expect(rt.edit('Discovered', 'F8:G8', [['Ignored', 'meh']], SECURITY).ok).toBe(true);
    expect(status(rt)[6]).toEqual([
      'Budget sync',
      '',
      'No owner email: add the owner, or mark the line Ignored with a reason.',
    ]);
    expect(auditRows(rt, 'Tampering reverted').map((a) => a.Field)).toContain(
      'Discovered row 8 Status/Reason',
    );
  });

  it('follows the team correcting a line: a new owner is invited, Ignored stays Ignored', () => {
    // Row 5 (Slack Summarizer, Invited) gets another owner; row 6 (Ignored) a corrected name.
    expect(rt.edit('Discovered', 'C4', [['ana@example.com']], SECURITY).ok).toBe(true);
    expect(status(rt)[2]).toEqual(['Slack Summarizer', '', '']);
    expect(auditRows(rt, 'Discovered line changed').map((a) => a['Old Value'])).toEqual([
      'Invited: Invited 2026-11-25',
    ]);
    expect(rt.edit('Discovered', 'B6', [['acme/old-prototype-2019']], SECURITY).ok).toBe(true);
    expect(status(rt)[4]).toEqual([
      'acme/old-prototype-2019',
      'Ignored',
      'Archived repo, never used',
    ]);
    rt.world.mail.length = 0;
    goTo(rt, '2026-11-27');
    expect(status(rt)[2]).toEqual(['Slack Summarizer', 'Invited', 'Invited 2026-11-27']);
    expect(
      rt.world.mail.filter((m) => m.subject.includes('in the AI registry')).map((m) => m.to),
    ).toEqual(['ana@example.com']);
  });
});
