import { INPUT_FIELDS } from '../../src/domain/entry';
import { computeMetrics } from '../../src/domain/metrics';
import { DEMO_DAYS, seedDemo, setUpSandbox } from '../../sandbox/demo';
import { GasRuntime } from '../../sandbox/gas/runtime';
import {
  addToSecurityTeam,
  EMPLOYEE,
  expectedAuditMacs,
  requireDist,
  SECURITY,
  setUpRuntime,
} from '../helpers';

function ready(estimate: number | null): GasRuntime {
  const rt = setUpRuntime();
  addToSecurityTeam(rt, SECURITY);
  const settings = JSON.parse(rt.registryProperties().settings);
  rt.registryProperties().settings = JSON.stringify({
    ...settings,
    estimatedProjects: estimate,
  });
  const rows = [
    ['Marketing', 'Mailer', '1', 'Production'],
    ['Legal', 'Contract bot', '3', 'Development'],
    ['Finance', 'Card checker', '4', 'Development'],
    ['Sales', 'Forecast', '1', 'Decommissioned'],
  ].map(([department, project, tier, status]) => {
    const v: Record<string, string> = {
      'Creator Email': EMPLOYEE,
      Department: department,
      Project: project,
      'Business Purpose': 'Does a useful thing.',
      'Data Tier': tier,
      'Data Stores': '',
      'AI Tool': 'Claude Code',
      'AI Tool Version': '1.0',
      'Deployment Status': status,
    };
    return INPUT_FIELDS.map((f) => v[f]);
  });
  rt.edit('Registry', `C2:K${rows.length + 1}`, rows, EMPLOYEE);
  // Three days on (the numbers below need the calendar, not the hourly runs between): jumped
  // with the triggers off, then the last hour run, which does that day's daily work.
  rt.jumpTo('2026-11-27T14:00:00Z');
  rt.advanceTo('2026-11-27T15:00:00Z');
  rt.edit('Reviews', 'G2', [['Approved']], SECURITY); // 3 business days
  return rt;
}

const cells = (rt: GasRuntime, sheet: string) =>
  rt.view(sheet).values.map((r) => r.filter((c) => c !== ''));

test('the Adoption & SLA report: numbers from the registry, the 40% advice, replaced on regeneration', () => {
  const rt = ready(10);
  const result = rt.clickMenu('Security team > Adoption & SLA report', SECURITY);
  expect(result.ui[0].message).toContain(
    'Registry adoption: 30% (3 of 10 estimated AI-built projects).',
  );
  expect(result.ui[0].message).toContain(
    'Tier 3 time to review: median 3 business day(s), 90th percentile 3, 100% within the SLA. Open: 0, overdue: 0.',
  );
  expect(result.ui[0].message).toContain('Adoption is below 40%');
  const report = cells(rt, 'Report - Adoption & SLA');
  expect(report).toContainEqual(['Registered live projects', '3']);
  expect(report).toContainEqual(['Registry adoption', '30%']);
  expect(report).toContainEqual(['  Tier 1 - Public', '2']);
  expect(report).toContainEqual(['  Decommissioned', '1']);
  rt.clickMenu('Security team > Adoption & SLA report', SECURITY);
  expect(rt.sheetNames().filter((n) => n === 'Report - Adoption & SLA')).toHaveLength(1);
});

test('the Dashboard: four native charts drawing registrations by tier, approvals, review times and adoption', () => {
  const rt = ready(10);
  const result = rt.clickMenu('Security team > Adoption & SLA report', SECURITY);
  expect(result.ui[0].message).toContain('Charts are in the sheet "Dashboard".');
  const charts = rt.charts('Dashboard');
  expect(charts.map((c) => [c.type, c.title])).toEqual([
    ['COLUMN', 'Registrations per month by tier'],
    ['PIE', 'Approval status'],
    ['COLUMN', 'Time to review'],
    ['LINE', 'Adoption over time (target 40%)'],
  ]);
  expect(charts[0]).toMatchObject({ stacked: true, labels: ['2026-11'] });
  expect(charts[0].series.map((s) => [s.name, s.values])).toEqual([
    ['Tier 1 - Public', [2]],
    ['Tier 2 - Internal', [0]],
    ['Tier 3 - Confidential', [1]],
    ['Tier 4 - Regulated', [1]],
  ]);
  expect(
    Object.fromEntries(charts[1].labels.map((l, i) => [l, charts[1].series[0].values[i]])),
  ).toEqual({ Approved: 3, Blocked: 1 });
  expect(charts[2].series[0].values).toEqual([0, 1, 0, 0, 0]);
  expect(charts[3].series[0].values).toEqual([30]);
  rt.clickMenu('Security team > Adoption & SLA report', SECURITY);
  expect(rt.sheetNames().filter((n) => n === 'Dashboard')).toHaveLength(1);
  expect(rt.charts('Dashboard')).toHaveLength(4);
});

test('with no estimate, adoption is "not enough data", never 0%', () => {
  const rt = ready(null);
  const result = rt.clickMenu('Security team > Adoption & SLA report', SECURITY);
  expect(result.ui[0].message).toContain(
    'Registry adoption: not enough data (3 registered; set the estimate in Settings).',
  );
  expect(result.ui[0].message).not.toContain('below 40%');
});

test('the monthly review report can be run from the menu', () => {
  const rt = ready(10);
  rt.advanceTo('2026-12-02T15:00:00Z');
  const result = rt.clickMenu('Security team > Monthly review report', SECURITY);
  expect(result.ui[0].message).toContain(
    'Monthly registry review: 2026-11: 4 new entries; 1 review(s) decided, median 3 business day(s), 100% within the SLA.',
  );
  rt.clickMenu('Security team > Monthly review report', SECURITY);
  expect(rt.sheetNames().filter((n) => n === 'Report - Monthly Review')).toHaveLength(1);
});

test('the evidence pack names the controls and carries a head MAC the verifier accepts', () => {
  const rt = ready(10);
  const result = rt.clickMenu('Security team > Audit evidence pack', SECURITY);
  expect(result.ui[0]).toMatchObject({ type: 'dialog', title: 'Audit evidence pack' });
  const sheet = 'Evidence - 2026-11-27';
  const pack = cells(rt, sheet);
  const controls = pack.map((r) => r[1]);
  for (const c of [
    'A.5.9',
    'A.5.12',
    'A.5.1',
    'CC6.1',
    'CC6.7',
    'ID.AM-02',
    'ID.AM-05',
    'GOVERN 1.6',
  ])
    expect(controls).toContain(c);
  const head = pack.find((r) => r[0] === 'Head MAC (HMAC-SHA256 chain)')![1];
  // Recompute the chain independently with the registry's key: the head is the last MAC.
  const { actual, expected } = expectedAuditMacs(rt);
  expect(actual).toEqual(expected);
  expect(head).toBe(expected[expected.length - 1]);
  expect(pack.find((r) => r[0] === 'Verification')![1]).toMatch(/^intact/);
  expect(pack).toContainEqual(['Slack webhook', 'not configured']);
  expect(result.ui[0].html).toContain('Download CSV');
  // Downloads may be blocked in the dialog's sandboxed frame: the CSV is there as text too.
  expect(result.ui[0].html).toContain('<textarea id="csv" readonly');
  expect(result.ui[0].html).toContain('Head MAC (HMAC-SHA256 chain),');
  expect(rt.world.spreadsheet.sheets.find((s) => s.name === sheet)!.protections).toEqual([
    expect.objectContaining({ type: 'SHEET', warningOnly: false, restricted: true }),
  ]);
  // Protected for real: an employee cannot change the evidence; the security team can.
  expect(rt.edit(sheet, 'B2', [['forged']], EMPLOYEE)).toMatchObject({ ok: false });
  expect(rt.edit(sheet, 'B2', [['note']], SECURITY)).toMatchObject({ ok: true });
  rt.clickMenu('Security team > Audit evidence pack', SECURITY);
  expect(rt.sheetNames().filter((n) => n === sheet)).toHaveLength(1);
});

test('reports are for the security team only', () => {
  const rt = ready(10);
  for (const item of ['Adoption & SLA report', 'Monthly review report', 'Audit evidence pack']) {
    expect(rt.clickMenu(`Security team > ${item}`, EMPLOYEE).ui[0].message).toContain(
      'Only the security team',
    );
  }
});

test('on the demo data, the report’s numbers are the domain’s numbers', () => {
  requireDist();
  // The demo's registrations over a fortnight instead of its two months: the same data, a
  // quarter of the hourly runs (the numbers compared are read from the sheets either way).
  const rt = new GasRuntime({
    now: Date.parse('2026-11-24T15:00:00Z') - (DEMO_DAYS / 4) * 86400000,
  });
  setUpSandbox(rt);
  seedDemo(rt, Date.parse('2026-11-24T15:00:00Z'));
  const report = Object.fromEntries(cells(rt, 'Report - Adoption & SLA').map((r) => [r[0], r[1]]));
  const [head, ...rows] = rt.view('Registry').values;
  const col = (h: string) => head.indexOf(h);
  const entries = rows
    .filter((r) => r[col('ID')])
    .map((r) => ({
      id: r[col('ID')],
      registered: r[col('Registered')] ? r[col('Registered')].slice(0, 10) : null,
      tier: r[col('Data Tier')],
      department: r[col('Department')],
      tool: r[col('AI Tool')],
      approval: r[col('Approval')],
      deploymentStatus: r[col('Deployment Status')],
    }));
  const [rhead, ...rrows] = rt.view('Reviews').values;
  const reviews = rrows
    .filter((r) => r[0])
    .map((r) => ({
      status: r[rhead.indexOf('Status')],
      opened: r[rhead.indexOf('Opened')].slice(0, 10),
      due: r[rhead.indexOf('Due')],
      businessDays:
        r[rhead.indexOf('Business Days')] === '' ? null : Number(r[rhead.indexOf('Business Days')]),
    }));
  const expected = computeMetrics(entries, reviews, 25, 5, '2026-11-24', [
    'Claude Code',
    'GitHub Copilot',
    'ChatGPT',
  ]);
  expect(report['Registered live projects']).toBe(String(expected.live));
  expect(report['Registry adoption']).toBe(expected.adoption.text);
  expect(report['Open reviews']).toBe(String(expected.timeToReview.open));
  expect(report['Overdue reviews']).toBe(String(expected.timeToReview.overdue));
  expect(report['  Cursor']).toBe('1');
  expect(expected.unlistedTools).toEqual([['Cursor', 1]]);
  for (const [tier, n] of expected.byTier) expect(report[`  ${tier}`]).toBe(String(n));
});
