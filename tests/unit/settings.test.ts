import {
  defaultSettings,
  isSecurityTeamMember,
  isSlackWebhookUrl,
  maskWebhookUrl,
  settingsFromStored,
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
});
