import { EVENT_KINDS } from '../../src/domain/channels';
import {
  defaultSettings,
  isSecurityTeamMember,
  isSlackWebhookUrl,
  maskWebhookUrl,
  settingsFromStored,
  validateSettings,
} from '../../src/domain/settings';

const TZ = 'America/New_York';

describe('settings', () => {
  test('defaults follow DESIGN §2', () => {
    expect(defaultSettings(TZ)).toEqual({
      securityTeam: [],
      slackWebhookUrl: '',
      slackChannel: '#security-updates',
      estimatedProjects: null,
      reviewSlaDays: 5,
      holidays: [],
      timeZone: TZ,
      graceDays: 30,
      autoDecommission: false,
      emailCreators: true,
      departments: [],
      // Issue 16: every event kind to every team channel that has a webhook; no all-staff mail.
      routes: Object.fromEntries(EVENT_KINDS.map((k) => [k, ['slack', 'chat', 'teams']])),
      allStaffEmail: '',
      // Issue 17: approvals valid 12 months, one approval, no lead, reviews in turn.
      approvalMonths: 12,
      secondApproval: false,
      securityLead: '',
      surveyUrl: '',
      assignment: 'round-robin',
      reviewerByDepartment: {},
    });
  });

  test.each([
    ['nothing stored', null],
    ['not an object', 'garbage'],
    [
      'wrong types',
      { reviewSlaDays: 'five', securityTeam: 'a@b.c', emailCreators: 'yes', estimatedProjects: -3 },
    ],
  ])('falls back to defaults for %s', (_name, stored) => {
    expect(settingsFromStored(stored, TZ)).toEqual(defaultSettings(TZ));
  });

  test('keeps valid stored values and drops invalid list items', () => {
    const s = settingsFromStored(
      { securityTeam: ['sec@example.com', 7], reviewSlaDays: 3, estimatedProjects: 120 },
      TZ,
    );
    expect(s.securityTeam).toEqual(['sec@example.com']);
    expect(s.reviewSlaDays).toBe(3);
    expect(s.estimatedProjects).toBe(120);
  });

  test.each([
    ['sec@example.com', true],
    ['  SEC@Example.com ', true],
    ['other@example.com', false],
    ['', false],
  ])('security-team membership of %p is %p (an empty email never counts)', (email, member) => {
    const s = { ...defaultSettings(TZ), securityTeam: ['sec@example.com', ''] };
    expect(isSecurityTeamMember(s, email)).toBe(member);
  });

  test.each([
    ['https://hooks.slack.com/services/T0/B0/abc', true],
    ['http://hooks.slack.com/services/T0/B0/abc', false],
    ['https://hooks.slack.com.evil.example/services/x', false],
    ['https://evil.example/?https://hooks.slack.com/', false],
    ['https://hooks.slack.com/services/T0/B0/abc?x=<y>', false],
  ])('webhook URL %p accepted: %p', (url, ok) => {
    expect(isSlackWebhookUrl(url)).toBe(ok);
  });

  test('a masked webhook URL shows only its last four characters', () => {
    expect(maskWebhookUrl('https://hooks.slack.com/services/T0/B0/abcd1234')).toBe(
      'https://hooks.slack.com/…1234',
    );
    expect(maskWebhookUrl('')).toBe('');
  });

  describe('limits (issue 15): every list and text has one, each a sentence', () => {
    const current = { ...defaultSettings(TZ), securityTeam: ['sec@example.com'] };
    const many = (n: number, f: (i: number) => string) => Array.from({ length: n }, (_, i) => f(i));
    test.each([
      [
        { departments: many(2000, (i) => `Team ${i}`) },
        'Departments can list at most 150 names (2000 given)',
      ],
      [{ departments: ['x'.repeat(60_000)] }, 'is too long: keep each name to 60 characters'],
      [
        {
          holidays: many(5000, (i) => `2027-01-${String((i % 28) + 1).padStart(2, '0')}`).map(
            (d, i) => (i < 200 ? `20${27 + (i % 50)}${d.slice(4)}` : d),
          ),
        },
        'Holidays can list at most 120 days',
      ],
      [
        { securityTeam: many(3000, (i) => `p${i}@example.com`) },
        'Security team can have at most 50 people (3000 given)',
      ],
      [
        { slackWebhookUrl: `https://hooks.slack.com/${'a'.repeat(60_000)}` },
        'The Slack webhook URL is too long',
      ],
      [{ holidays: ['x'.repeat(60_000)] }, 'must be a date written yyyy-mm-dd'],
      [
        { departments: many(150, (i) => `${'Department of things number '}${i}${'x'.repeat(25)}`) },
        'too long to store together',
      ],
    ])('%#: %s', (input, sentence) => {
      const check = validateSettings(input, current);
      expect(check.settings).toBeNull();
      expect(check.problems.join(' ')).toContain(sentence);
      expect(check.problems.join(' ').length).toBeLessThan(600);
    });

    test('a list at its limits is accepted', () => {
      const check = validateSettings(
        {
          departments: many(150, (i) => `Team ${i}`),
          holidays: many(12, (i) => `2027-${String(i + 1).padStart(2, '0')}-01`),
        },
        current,
      );
      expect(check.problems).toEqual([]);
    });
  });
});
