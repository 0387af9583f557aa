import {
  allowlisted,
  defaultRoutes,
  hookUrlProblem,
  isChatWebhookUrl,
  isRetiredTeamsUrl,
  isTeamsWebhookUrl,
  kindOf,
  maskedSecrets,
  parseHttpsUrl,
  routesFromStored,
  validateRoutes,
  validateSecrets,
  emptySecrets,
} from '../../src/domain/channels';
import {
  chatMessage,
  mrkdwnToChatHtml,
  mrkdwnToTeams,
  teamsMessage,
} from '../../src/domain/render';
import { hookEvent } from '../../src/domain/events';
import { guideMail, mailsFor, overdueItem, personalItems } from '../../src/domain/mail';
import { buildMessage, type EntrySummary, type Notification } from '../../src/domain/slack';
import manifest from '../../appsscript.json';

const ALLOW = manifest.urlFetchWhitelist;
const CHAT =
  'https://chat.googleapis.com/v1/spaces/AAAA1234/messages?key=AIzaSyDdI0hCZtE6vySjMm-WEfRq3CPzqKqqsHI&token=abcDEF123_-xyz';
const TEAMS =
  'https://prod-12.westus.logic.azure.com:443/workflows/0a1b2c3d/triggers/manual/paths/invoke?api-version=2016-06-01&sp=%2Ftriggers%2Fmanual%2Frun&sv=1.0&sig=Secret123';
const POWER =
  'https://default0a1b.2c.environment.api.powerplatform.com:443/powerautomate/automations/direct/workflows/abc/triggers/manual/paths/invoke?api-version=1&sig=Zz9';
const JIRA = 'https://api-private.atlassian.com/automation/webhooks/jira/a/1111-2222/3333-4444';
const SNOW = 'https://acme.service-now.com/api/acme/governed_path/events';

describe('webhook URLs', () => {
  test.each([
    [CHAT, true],
    ['https://chat.googleapis.com/v1/spaces/AAAA/messages?key=k', false], // no token
    ['http://chat.googleapis.com/v1/spaces/AAAA/messages?key=k&token=t', false],
    ['https://chat.googleapis.com.evil.com/v1/spaces/A/messages?key=k&token=t', false],
    ['https://chat.googleapis.com/v1/spaces/A/messages?key=k&token=t"><script>', false],
  ])('Chat %s → %s', (url, ok) => expect(isChatWebhookUrl(url)).toBe(ok));

  test.each([
    [TEAMS, true],
    [POWER, true],
    ['https://prod-12.westus.logic.azure.com/workflows/x?sig=', false], // empty sig
    ['https://logic.azure.com.evil.net/workflows/x?sig=abc', false],
    ['https://prod.logic.azure.com:8443/workflows/x?sig=abc', false], // another port
    ['https://acme.webhook.office.com/webhookb2/abc', false],
  ])('Teams %s → %s', (url, ok) => expect(isTeamsWebhookUrl(url)).toBe(ok));

  test('a retired Office 365 connector URL is recognised, to say why it is refused', () => {
    expect(
      isRetiredTeamsUrl('https://acme.webhook.office.com/webhookb2/abc@def/IncomingWebhook/x'),
    ).toBe(true);
    expect(isRetiredTeamsUrl(TEAMS)).toBe(false);
  });

  test('Teams URLs carry :443: what is fetched drops it, and the manifest allows that', () => {
    const parsed = parseHttpsUrl(TEAMS)!;
    expect(parsed.fetchable.startsWith('https://prod-12.westus.logic.azure.com/workflows/')).toBe(
      true,
    );
    expect(allowlisted(parsed.fetchable, ALLOW)).toBe(true);
    // The less forgiving reading of the allowlist: a prefix without the port does not match it.
    expect(allowlisted(TEAMS, ['https://*.logic.azure.com/'])).toBe(false);
    expect(allowlisted(parseHttpsUrl(POWER)!.fetchable, ALLOW)).toBe(true);
    expect(allowlisted('https://logic.azure.com/x', ['https://*.logic.azure.com/'])).toBe(false);
  });

  test.each([
    [JIRA, [], null],
    [SNOW, [], null],
    ['https://acme.atlassian.net/rest/x', [], null],
    ['https://hooks.evil.com/x', [], /Jira Cloud/],
    ['http://acme.service-now.com/x', [], /https/],
    ['https://user:pw@acme.service-now.com/x', [], /https/],
    [SNOW, ['other.service-now.com'], /pinned/],
    [SNOW, ['acme.service-now.com'], null],
  ] as [string, string[], RegExp | null][])('ticketing %s pinned %j', (url, pinned, problem) => {
    const p = hookUrlProblem(url, ALLOW, pinned);
    if (problem) expect(p).toMatch(problem);
    else expect(p).toBeNull();
  });
});

describe('routes', () => {
  test('by default every kind goes to every channel; stored junk falls back', () => {
    expect(defaultRoutes().decision).toEqual(['slack', 'chat', 'teams']);
    const r = routesFromStored({ decision: ['teams', 'fax'], nonsense: ['slack'] });
    expect(r.decision).toEqual(['teams']);
    expect(r.tampering).toEqual(['slack', 'chat', 'teams']);
  });
  test.each([
    [{ decision: ['chat'] }, [], ['chat']],
    [{ decision: 'chat' }, [/choose among/], ['slack', 'chat', 'teams']],
    [{ party: ['chat'] }, [/not an event kind/], ['slack', 'chat', 'teams']],
    [[], [/table/], ['slack', 'chat', 'teams']],
  ])('%j', (input, problems, decision) => {
    const out = validateRoutes(input, defaultRoutes());
    expect(out.problems).toHaveLength(problems.length);
    problems.forEach((p, i) => expect(out.problems[i]).toMatch(p));
    expect(out.routes.decision).toEqual(decision);
  });
  const entry = { approval: 'Approved' } as EntrySummary;
  test.each([
    [{ kind: 'registered', entry }, 'new-entry'],
    [{ kind: 'registered', entry: { ...entry, approval: 'Blocked' } }, 'blocked'],
    [{ kind: 'review-requested', entry }, 'review-requested'],
    [{ kind: 'claim', entry, actor: 'a', claimed: 'b' }, 'tampering'],
    [{ kind: 'chain-broken', row: 3 }, 'integrity'],
    [{ kind: 'review-decided', entry, decision: 'Approved', reviewer: 'r', note: '' }, 'decision'],
  ] as [Notification, string][])('%j is routed as %s', (n, kind) => expect(kindOf(n)).toBe(kind));
});

describe('secrets', () => {
  test('saved, masked, kept when sent back masked, cleared when emptied, never echoed', () => {
    const first = validateSecrets(
      {
        chatWebhookUrl: CHAT,
        teamsWebhookUrl: TEAMS,
        hookUrls: { 'review-requested': SNOW },
        hookSecret: 's3cret-s3cret-s3cret',
      },
      emptySecrets(),
      ALLOW,
      [],
    );
    expect(first.problems).toEqual([]);
    expect(first.changed).toEqual([
      'The Google Chat webhook set',
      'The Microsoft Teams webhook set',
      'The ticketing webhook for Tier 3 review requested or re-submitted set',
      'The webhook signing secret set',
    ]);
    const masked = maskedSecrets(first.secrets);
    expect(JSON.stringify(masked)).not.toContain('abcDEF123');
    expect(JSON.stringify(masked)).not.toContain('Secret123');
    expect(JSON.stringify(masked)).not.toContain('s3cret-s3cret');
    const again = validateSecrets({ ...masked }, first.secrets, ALLOW, []);
    expect(again.problems).toEqual([]);
    expect(again.changed).toEqual([]);
    expect(again.secrets).toEqual(first.secrets);
    const cleared = validateSecrets({ ...masked, chatWebhookUrl: '' }, first.secrets, ALLOW, []);
    expect(cleared.secrets.chat).toBe('');
    expect(cleared.changed).toEqual(['The Google Chat webhook cleared']);
  });
  test.each([
    [{ teamsWebhookUrl: 'https://acme.webhook.office.com/webhookb2/x' }, /retired/],
    [{ chatWebhookUrl: 'https://hooks.slack.com/services/a/b/c' }, /Chat space/],
    [{ hookUrls: { decision: SNOW } }, /signing secret/],
    [{ hookUrls: { decision: JIRA } }, /Jira Automation secret/],
    [{ hookSecret: 'short' }, /at least 16/],
    [{ hookSecret: 'has a space in it, long enough' }, /without spaces/],
    [{ chatWebhookUrl: `${CHAT}${'x'.repeat(700)}` }, /too long/],
    [{ hookUrls: { decision: 'https://evil.example.com/x' } }, /Jira Cloud/],
  ])('%j is refused with a sentence', (input, problem) => {
    const out = validateSecrets(input as Record<string, unknown>, emptySecrets(), ALLOW, []);
    expect(out.problems.join(' ')).toMatch(problem);
  });
});

const ENTRY: EntrySummary = {
  id: 'AI-0042',
  project: 'Payroll <users/all> [click](http://evil.example) <at>Everyone</at> *bold* & co',
  creator: 'dana@example.com',
  department: 'Finance',
  tier: 'Tier 3 - Confidential',
  tool: 'Claude Code',
  version: '1.0',
  approval: 'In Review',
  status: 'Development',
  url: 'https://docs.google.com/spreadsheets/d/X/edit#gid=1&range=A5',
  reviewId: 'R-0007',
  due: '2026-12-14',
  owners: ['dana@example.com', 'sam@example.com'],
  checks: ['Business Purpose is missing.'],
};

describe('each channel escapes people’s words its own way', () => {
  const message = buildMessage({ kind: 'review-requested', entry: ENTRY });
  test('Google Chat: text keeps Slack’s escapes; the card has only our tags and link', () => {
    const chat = chatMessage(message, 'AI-0042');
    expect(chat.thread).toEqual({ threadKey: 'AI-0042' });
    expect(chat.text).toBeUndefined(); // Chat would show it above the card
    expect(chat.fallbackText).not.toMatch(/<users\/all>|<at>/);
    expect(chat.fallbackText).toContain('&lt;users/all&gt;');
    const card = JSON.stringify(chat.cardsV2);
    expect(card).not.toMatch(/<users\/all>|<at>|href=\\"http:\/\/evil/);
    const widgets = chat.cardsV2![0].card.sections[0].widgets;
    expect(widgets.some((w) => w.decoratedText?.topLabel === 'Creator')).toBe(true);
    expect(widgets.at(-1)!.buttonList!.buttons[0].onClick.openLink.url).toBe(ENTRY.url);
    expect(chat.cardsV2![0].card.header.title).toBe('Tier 3 security review requested');
  });
  test('Teams: Markdown characters of people’s words are escaped; only our link is a link', () => {
    const teams = teamsMessage(message);
    const card = teams.attachments[0].content;
    const texts = JSON.stringify(card.body);
    expect(texts).not.toContain('[click](http://evil.example)');
    expect(texts).toContain('\\\\[click\\\\]\\\\(http://evil.example\\\\)');
    expect(texts).not.toMatch(/<at>/);
    expect(card.actions).toEqual([
      { type: 'Action.OpenUrl', title: 'Open in the registry', url: ENTRY.url },
    ]);
    expect(JSON.stringify(teams)).not.toMatch(/Action\.Submit/);
    const facts = card.body.find((b) => b.type === 'FactSet') as { facts: { title: string }[] };
    expect(facts.facts.map((f) => f.title)).toContain('Creator');
  });
  test.each([
    ['a &lt;b&gt; &amp; *c*', 'a &lt;b&gt; &amp; <b>c</b>'],
    ['<https://x.example/a|A &lt;1&gt;>', '<a href="https://x.example/a">A &lt;1&gt;</a>'],
    ['say "hi"\nthere', 'say &quot;hi&quot;<br>there'],
    [':warning: x', '⚠️ x'],
  ])('Chat HTML of %j', (mrkdwn, html) => expect(mrkdwnToChatHtml(mrkdwn)).toBe(html));
  test.each([
    ['a &lt;b&gt; &amp; *c*', 'a \\<b\\> & **c**'],
    ['<https://x.example/a|A_1>', '[A\\_1](https://x.example/a)'],
    ['[x](http://e)', '\\[x\\]\\(http://e\\)'],
    ['one\ntwo', 'one\n\ntwo'],
  ])('Teams Markdown of %j', (mrkdwn, md) => expect(mrkdwnToTeams(mrkdwn)).toBe(md));
});

describe('ticketing events', () => {
  test('an event carries the entry and review as they are, with a summary for a ticket', () => {
    const e = hookEvent(
      'review-requested',
      { kind: 'review-requested', entry: ENTRY },
      'id-1',
      '2026-12-07T10:00:00.000Z',
      {
        name: 'Registry',
        url: 'https://docs.google.com/spreadsheets/d/X/edit',
      },
    );
    expect(e).toMatchObject({
      event: 'review-requested',
      id: 'id-1',
      entry: { id: 'AI-0042', project: ENTRY.project, creator: 'dana@example.com' },
      review: { id: 'R-0007', due: '2026-12-14' },
    });
    expect(e.summary).toBe(`Tier 3 security review: AI-0042 ${ENTRY.project}`);
    expect(e.description).toContain('Registry: https://docs.google.com/');
  });
  test('an event about no entry says what happened in words, unescaped', () => {
    const e = hookEvent(
      'tampering',
      {
        kind: 'tampering',
        actor: 'eve@example.com',
        where: 'Registry Approval',
        attempted: '<b>',
        registryId: 'AI-0001',
      },
      'id-2',
      '2026-12-07T10:00:00.000Z',
      { name: 'Registry', url: 'https://docs.google.com/x' },
    );
    expect(e.entry).toBeNull();
    expect(e.summary).toBe(
      'eve@example.com changed Registry Approval (AI-0001); the change was reverted',
    );
  });
});

describe('mail to people', () => {
  const decided = (decision: string, note = ''): Notification => ({
    kind: 'review-decided',
    entry: ENTRY,
    decision,
    reviewer: 'sec@example.com',
    note,
  });
  test.each([
    [decided('Approved'), 2, false, /approved/],
    [decided('Changes Requested', 'Add the data flow'), 2, true, /changes requested/],
    [decided('Rejected'), 2, true, /rejected/],
    [{ kind: 'blocked', entry: ENTRY }, 2, true, /blocked/],
    [
      { kind: 'registered', entry: { ...ENTRY, approval: 'Needs Info' } },
      2,
      true,
      /needs information/,
    ],
    [{ kind: 'registered', entry: { ...ENTRY, approval: 'Approved' } }, 0, false, null],
    [{ kind: 'review-requested', entry: ENTRY, reopened: true }, 1, false, /re-submitted/],
    [{ kind: 'tampering', actor: 'x', where: 'y', attempted: 'z', registryId: '' }, 0, false, null],
  ] as [Notification, number, boolean, RegExp | null][])('%j', (n, people, required, headline) => {
    const items = personalItems(n, ['sec@example.com']);
    expect(items.flatMap((i) => i.to)).toHaveLength(people);
    if (headline) {
      expect(items[0].required).toBe(required);
      expect(items[0].headline).toMatch(headline);
    }
  });
  test('one mail per person per batch; optional news skipped for who turned it off; values escaped', () => {
    const items = [
      ...personalItems(decided('Changes Requested', 'Use <b>less</b> data'), []),
      ...overdueItem(ENTRY, '2026-12-14'),
      ...personalItems(decided('Approved'), []),
    ];
    const mails = mailsFor(items, (e) => e === 'sam@example.com', {
      name: 'R',
      url: 'https://docs.google.com/x',
    });
    expect(mails.map((m) => m.to).sort()).toEqual(['dana@example.com', 'sam@example.com']);
    const dana = mails.find((m) => m.to === 'dana@example.com')!;
    expect(dana.subject).toBe('Governed Path: 3 updates about AI projects');
    expect(dana.body).toContain('Note from the reviewer: Use <b>less</b> data');
    expect(dana.htmlBody).not.toContain('<b>less</b>');
    expect(dana.htmlBody).toContain('&lt;b&gt;less&lt;/b&gt;');
    expect(dana.htmlBody).not.toContain('<users/all>');
    const sam = mails.find((m) => m.to === 'sam@example.com')!;
    expect(sam.subject).toMatch(/changes requested$/);
    expect(sam.body).not.toContain('late');
  });
  test('an address that is not one is never mailed', () => {
    const items = personalItems(decided('Rejected'), []).map((i) => ({
      ...i,
      to: ['not an address', 'x@y'],
    }));
    expect(mailsFor(items, () => false, { name: 'R', url: 'https://d/x' })).toEqual([]);
  });
  test('the guide mail lists the four tiers and the approved tools, escaped', () => {
    const m = guideMail(
      'all@example.com',
      ['Tool <x>'],
      { name: 'R', url: 'https://docs.google.com/x' },
      true,
    );
    expect(m.body).toContain('Tier 4');
    expect(m.body).toContain('Tool <x>');
    expect(m.htmlBody).toContain('Tool &lt;x&gt;');
    expect(m.body).toMatch(/^Hello,\n\nWelcome!/);
  });
});
