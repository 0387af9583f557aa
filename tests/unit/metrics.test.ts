import { CONTROL_MAPPING } from '../../src/domain/controls';
import {
  computeMetrics,
  median,
  percentile,
  type MetricEntry,
  type MetricReview,
} from '../../src/domain/metrics';

const TODAY = '2026-11-24';
const e = (id: string, over: Partial<MetricEntry> = {}): MetricEntry => ({
  id,
  registered: '2026-11-02',
  tier: 'Tier 1 - Public',
  department: 'Sales',
  tool: 'Claude Code',
  approval: 'Approved',
  deploymentStatus: 'Production',
  ...over,
});
const r = (status: string, businessDays: number | null, due = '2026-12-01'): MetricReview => ({
  status,
  opened: '2026-11-01',
  due,
  businessDays,
});

describe('metrics', () => {
  test('an empty registry: nothing is a misleading 0%', () => {
    const m = computeMetrics([], [], null, 5, TODAY);
    expect(m.adoption).toEqual({ value: null, text: 'not enough data' });
    expect(m.belowTarget).toBeNull();
    expect(m.timeToReview).toEqual({
      decided: 0,
      median: null,
      p90: null,
      withinSla: { value: null, text: 'not enough data' },
      open: 0,
      overdue: 0,
    });
    expect(m.byTier).toEqual([]);
  });

  test('one entry and an estimate', () => {
    const m = computeMetrics([e('AI-1')], [], 4, 5, TODAY);
    expect(m.live).toBe(1);
    expect(m.adoption).toEqual({ value: 0.25, text: '25%' });
    expect(m.belowTarget).toBe(true);
  });

  test('decommissioned and unregistered rows do not count as adoption', () => {
    const m = computeMetrics(
      [
        e('AI-1'),
        e('AI-2', { deploymentStatus: 'Decommissioned' }),
        e('', { registered: null }),
        e('AI-4', { registered: null }),
      ],
      [],
      2,
      5,
      TODAY,
    );
    expect(m.live).toBe(1);
    expect(m.adoption.text).toBe('50%');
    expect(m.belowTarget).toBe(false);
  });

  test('time to review: median, p90, share within the SLA, open and overdue', () => {
    const reviews = [
      r('Approved', 2),
      r('Approved', 3),
      r('Rejected', 4),
      r('Approved', 6),
      r('Changes Requested', 9),
      r('Open', null, '2026-11-20'),
      r('Open', null, '2026-11-30'),
    ];
    const m = computeMetrics([], reviews, null, 5, TODAY).timeToReview;
    expect(m).toEqual({
      decided: 5,
      median: 4,
      p90: 9,
      withinSla: { value: 0.6, text: '60%' },
      open: 2,
      overdue: 1,
    });
  });

  test('counts by month, tier, department, tool, approval and status', () => {
    const m = computeMetrics(
      [
        e('AI-1'),
        e('AI-2', {
          registered: '2026-10-05',
          tier: 'Tier 3 - Confidential',
          department: 'Legal',
          approval: 'In Review',
        }),
        e('AI-3', { tool: 'ChatGPT', deploymentStatus: 'Development' }),
      ],
      [],
      null,
      5,
      TODAY,
    );
    expect(m.byMonth).toEqual([
      ['2026-10', 1],
      ['2026-11', 2],
    ]);
    expect(m.byTier).toEqual([
      ['Tier 1 - Public', 2],
      ['Tier 3 - Confidential', 1],
    ]);
    expect(m.byDepartment).toEqual([
      ['Sales', 2],
      ['Legal', 1],
    ]);
    expect(m.byTool).toEqual([
      ['Claude Code', 2],
      ['ChatGPT', 1],
    ]);
    expect(m.byApproval).toEqual([
      ['Approved', 2],
      ['In Review', 1],
    ]);
    expect(m.byStatus).toEqual([
      ['Production', 2],
      ['Development', 1],
    ]);
  });

  test('unlisted tools and stale attestations', () => {
    const m = computeMetrics(
      [e('AI-1'), e('AI-2', { tool: 'Bard' }), e('AI-3', { tool: 'claude code' })],
      [],
      null,
      5,
      TODAY,
      ['Claude Code'],
      2,
    );
    expect(m.unlistedTools).toEqual([['Bard', 1]]);
    expect(m.staleAttestations).toBe(2);
  });

  test.each([
    [[], 50, null],
    [[7], 90, 7],
    [[1, 2, 3, 4, 5, 6, 7, 8, 9, 10], 90, 9],
    [[1, 2, 3, 4, 5, 6, 7, 8, 9, 10], 50, 5],
  ])('percentile of %p at %p is %p', (values, p, expected) => {
    expect(percentile(values, p)).toBe(expected);
  });

  test('median of an even count is the mean of the middle two', () => {
    expect(median([1, 2, 3, 10])).toBe(2.5);
    expect(median([])).toBeNull();
  });
});

describe('evidence', () => {
  test('the control mapping names the 2022 identifiers the design lists', () => {
    expect(CONTROL_MAPPING.map((c) => c.control)).toEqual([
      'A.5.9',
      'A.5.12',
      'A.5.1',
      'CC6.1',
      'CC6.6',
      'CC6.7',
      'ID.AM-02',
      'ID.AM-05',
      'GOVERN 1.6',
    ]);
    expect(CONTROL_MAPPING.find((c) => c.control === 'A.5.12')?.title).toContain('2013: A.8.2.1');
  });
});
