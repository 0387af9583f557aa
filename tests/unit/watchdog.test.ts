import {
  assessHeartbeats,
  heartbeatSummary,
  type Heartbeat,
  type Heartbeats,
} from '../../src/domain/watchdog';

const NOW = Date.parse('2026-11-26T12:00:00Z');
const HOUR = 3600 * 1000;
const beatAt = (hoursAgo: number, over: Partial<Heartbeat> = {}): Heartbeat => ({
  at: new Date(NOW - hoursAgo * HOUR).toISOString(),
  owner: 'admin@example.com',
  authorization: 'ok',
  mailQuota: 97,
  ok: true,
  ...over,
});

describe('the watchdog reads the heartbeats', () => {
  test.each<[string, Heartbeats, string[]]>([
    ['all recent', { setup: beatAt(30), hourly: beatAt(0.5), daily: beatAt(6) }, []],
    ['a registry set up an hour ago has not run yet: no alarm', { setup: beatAt(1) }, []],
    [
      'never ran since setup',
      { setup: beatAt(6) },
      ['The hourly job has never run since the registry was set up.'],
    ],
    [
      'the hourly job stopped',
      { setup: beatAt(100), hourly: beatAt(4), daily: beatAt(10) },
      ['The hourly job last ran 2026-11-26 08:00 UTC (4 hour(s) ago) as admin@example.com'],
    ],
    [
      'the daily work stopped (days)',
      { setup: beatAt(200), hourly: beatAt(0.2), daily: beatAt(75) },
      ['The daily work last ran 2026-11-23 09:00 UTC (3 day(s) ago)'],
    ],
    [
      'the owner must authorise again',
      { setup: beatAt(30), hourly: beatAt(0.5, { authorization: 'required' }), daily: beatAt(6) },
      ['admin@example.com must authorise Governed Path again'],
    ],
    [
      'the last run failed',
      {
        setup: beatAt(30),
        hourly: beatAt(0.5, { ok: false, error: 'Service invoked too many times' }),
        daily: beatAt(6),
      },
      ['The last hourly run (2026-11-26 11:30 UTC) failed: Service invoked too many times.'],
    ],
  ])('%s', (_, beats, expected) => {
    const health = assessHeartbeats(beats, NOW);
    expect(health.ok).toBe(expected.length === 0);
    expect(health.lines).toHaveLength(expected.length);
    expected.forEach((start, i) => expect(health.lines[i]).toContain(start));
  });

  test('the summary names the owner and the mail left, and says when it is low', () => {
    expect(heartbeatSummary({ hourly: beatAt(0.5) })).toBe(
      'Triggers: last hourly run 2026-11-26 11:30 UTC as admin@example.com; 97 mail recipient(s) left today.',
    );
    expect(heartbeatSummary({ hourly: beatAt(0.5, { mailQuota: 3 }) })).toContain('(low)');
    expect(heartbeatSummary({})).toBe('Triggers: no hourly run recorded yet.');
  });
});
