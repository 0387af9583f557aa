import { createHmac } from 'node:crypto';
import type { GasRuntime } from '../../sandbox/gas/runtime';
import {
  addToSecurityTeam,
  ADMIN,
  auditRows,
  EMPLOYEE,
  registryInputs,
  SECURITY,
  setUpRuntime,
  useSlackReceiver,
} from '../helpers';
import {
  CHAT,
  HOOK_SECRET,
  HOUR,
  JIRA_TOKEN,
  mailTo,
  notifyRuntime as fixtureRuntime,
  assigneeOf,
  outbox,
  received,
  registerTier3,
  SLACK,
  SNOW,
  TEAMS,
  type Service,
} from './notify-fixture';

/** Issue 16: every channel gets what Slack gets, with the same guarantees. */
const receiver = useSlackReceiver();
const MEMBER = 'sam@example.com';
const notifyRuntime = () => fixtureRuntime(receiver());
const got = (service: Service) => received(receiver(), service);

describe('a creator’s Tier 3 journey: register → changes requested → re-submit → approved', () => {
  let rt: GasRuntime;
  beforeAll(async () => {
    await receiver().reset();
  });

  test('each step reaches every channel once, and the right people by mail once', async () => {
    rt = notifyRuntime();
    addToSecurityTeam(rt, MEMBER);
    await receiver().reset(); // the settings change alerts went out; the journey starts here
    rt.world.mail.length = 0;

    // 1. Registered: the security team hears in every channel; reviewers by mail.
    registerTier3(rt);
    const requested = (s: Service) =>
      got(s).then((l) =>
        l.filter(
          (m) =>
            JSON.stringify(m.payload).includes('review requested') ||
            JSON.stringify(m.payload).includes('Tier 3 security review'),
        ),
      );
    expect(await requested('slack')).toHaveLength(1);
    const chat = await got('chat');
    expect(chat).toHaveLength(1);
    expect(chat[0].threadKey).toBe('AI-0001');
    expect(JSON.stringify(chat[0].payload)).toContain('Tier 3 security review requested');
    const teams = await got('teams');
    expect(teams).toHaveLength(1);
    expect((teams[0].payload as { type: string }).type).toBe('message');
    // The ticketing webhook: a signed JSON event the receiver can verify.
    const hooks = await got('hooks');
    expect(hooks).toHaveLength(1);
    const event = hooks[0];
    expect(event.headers['x-governed-path-event']).toBe('review-requested');
    expect(event.headers['x-governed-path-signature']).toBe(
      `sha256=${createHmac('sha256', HOOK_SECRET).update(event.raw).digest('hex')}`,
    );
    expect(event.headers['x-governed-path-signature-base64']).toBe(
      createHmac('sha256', HOOK_SECRET).update(event.raw).digest('base64'),
    );
    expect(JSON.parse(event.raw)).toMatchObject({
      event: 'review-requested',
      entry: { id: 'AI-0001', project: 'Payroll checker', creator: EMPLOYEE },
      review: { id: 'R-0001' },
    });
    // The review's assignee (issue 17), not the whole team.
    const assignee = assigneeOf(rt, 'AI-0001');
    expect([ADMIN, SECURITY, MEMBER]).toContain(assignee);
    for (const reviewer of [ADMIN, SECURITY, MEMBER])
      expect(mailTo(rt, reviewer).map((m) => m.subject)).toEqual(
        reviewer === assignee
          ? ['Governed Path: AI-0001 Payroll checker: new Tier 3 security review']
          : [],
      );
    expect(mailTo(rt, EMPLOYEE)).toEqual([]);
    // Mail goes from the account the triggers run as, never from the person who typed.
    expect(new Set(rt.world.mail.map((m) => m.from))).toEqual(new Set([ADMIN]));

    // 2. Changes requested from the queue (a sidebar call: mail waits for the next trigger run).
    expect(
      rt.run(
        'decideReview',
        [
          'R-0001',
          {
            decision: 'Changes Requested',
            note: 'Add the data flow <b>diagram</b>.',
            threatModel: '',
          },
        ],
        SECURITY,
      ),
    ).toMatchObject({ ok: true });
    rt.run('deliverNotifications', [], SECURITY);
    expect(mailTo(rt, EMPLOYEE)).toEqual([]);
    rt.advance(HOUR);
    const changes = mailTo(rt, EMPLOYEE);
    expect(changes.map((m) => m.subject)).toEqual([
      'Governed Path: AI-0001 Payroll checker: changes requested',
    ]);
    expect(changes[0].body).toContain('Note from the reviewer: Add the data flow <b>diagram</b>.');
    expect(changes[0].htmlBody).toContain('&lt;b&gt;diagram&lt;/b&gt;');
    expect(changes[0].htmlBody).not.toContain('<b>diagram</b>');
    expect(changes[0].body).toContain('https://docs.google.com/spreadsheets/d/');
    // Jira Automation's incoming webhook: its own secret header, no signature.
    const jira = (await got('hooks')).filter((h) => h.path.includes('api-private.atlassian.com'));
    expect(jira).toHaveLength(1);
    expect(jira[0].headers['x-automation-webhook-token']).toBe(JIRA_TOKEN);
    expect(jira[0].headers['x-governed-path-signature']).toBeUndefined();
    expect(JSON.parse(jira[0].raw)).toMatchObject({
      event: 'decision',
      summary: 'Security review Changes Requested: AI-0001 Payroll checker',
      review: { decision: 'Changes Requested', reviewer: SECURITY },
    });

    // 3. The creator re-submits by editing the entry: reviewers hear it is back.
    rt.edit('Registry', 'F2', [['Checks payroll totals; data flow diagram attached.']], EMPLOYEE);
    for (const reviewer of [ADMIN, SECURITY, MEMBER])
      expect(mailTo(rt, reviewer).map((m) => m.subject)).toEqual(
        reviewer === assignee
          ? [
              'Governed Path: AI-0001 Payroll checker: new Tier 3 security review',
              'Governed Path: AI-0001 Payroll checker: re-submitted for security review',
            ]
          : [],
      );

    // 4. Approved: the creator hears it once.
    expect(
      rt.run(
        'decideReview',
        ['R-0001', { decision: 'Approved', note: '', threatModel: '' }],
        SECURITY,
      ),
    ).toMatchObject({ ok: true });
    rt.advance(HOUR);
    expect(mailTo(rt, EMPLOYEE).map((m) => m.subject)).toEqual([
      'Governed Path: AI-0001 Payroll checker: changes requested',
      'Governed Path: AI-0001 Payroll checker: security review approved',
    ]);

    // Days later nothing repeats, on any channel, and nothing waits.
    rt.advance(3 * 24 * HOUR);
    const texts = (await got('slack')).map((m) => m.payload.text ?? '');
    expect(texts.filter((t) => t.startsWith('Security review requested'))).toHaveLength(2);
    expect(texts.filter((t) => t.startsWith('Review decided'))).toHaveLength(2);
    const chatAll = await got('chat');
    expect(chatAll).toHaveLength(4);
    expect(new Set(chatAll.map((m) => m.threadKey))).toEqual(new Set(['AI-0001']));
    expect(await got('teams')).toHaveLength(4);
    expect((await got('hooks')).map((h) => h.headers['x-governed-path-event'])).toEqual([
      'review-requested',
      'decision',
      'review-requested',
      'decision',
    ]);
    expect(mailTo(rt, EMPLOYEE)).toHaveLength(2);
    expect(outbox(rt)).toEqual([]);
  });
});

describe.each([
  ['chat', 'chat'],
  ['teams', 'teams'],
  ['hooks', 'hook'],
] as const)('%s has Slack’s guarantees, and its faults stay its own', (service, route) => {
  const mine = (rt: GasRuntime) => outbox(rt).filter((r) => r.channel === route);

  test('5xx: retried with back-off until accepted; Slack is not held up', async () => {
    const rt = notifyRuntime();
    await receiver().reset();
    await receiver().fail({ status: 503, count: 2, service });
    registerTier3(rt);
    expect(await got('slack')).toHaveLength(1);
    expect(mine(rt)).toMatchObject([{ attempts: 1, status: 'pending' }]);
    rt.advance(HOUR);
    rt.advance(HOUR);
    expect(await got(service)).toHaveLength(1);
    expect(mine(rt)).toEqual([]);
  });

  test('429 with Retry-After: only this channel pauses, and nothing overtakes', async () => {
    const rt = notifyRuntime();
    await receiver().reset();
    await receiver().fail({ status: 429, count: 1, retryAfter: 1800, service });
    registerTier3(rt, 'First');
    rt.edit(
      'Registry',
      'C3:K3',
      [registryInputs({ Project: 'Second', 'Data Tier': '3' })],
      EMPLOYEE,
    );
    expect((await got('slack')).length).toBe(2);
    expect(await got(service)).toHaveLength(0);
    const props = rt.registryProperties();
    // One pause per channel; per ticketing webhook (another ticketing webhook is not held up).
    const key = Object.keys(props).find((k) => k.startsWith(`${route}PausedUntil`))!;
    expect(Number(props[key].split('|')[0]) - rt.now.getTime()).toBeGreaterThan(25 * 60000);
    rt.advance(HOUR);
    const after = await got(service);
    expect(after).toHaveLength(2);
    expect(JSON.stringify(after[0].payload)).toContain('First');
  });

  test('4xx: kept as undeliverable, reported, and sent again once the webhook changes', async () => {
    const rt = notifyRuntime();
    await receiver().reset();
    await receiver().fail({ status: 404, count: 1, service });
    registerTier3(rt);
    expect(mine(rt)).toMatchObject([{ status: 'undeliverable' }]);
    const daily = rt.clickMenu('Security team > Run daily checks now', SECURITY).ui[0].message;
    expect(daily).toMatch(/refused 1 message\(s\) for good/);
    expect(await got('slack')).not.toHaveLength(0);
    const change =
      route === 'chat'
        ? { chatWebhookUrl: CHAT.replace('AAAA1234', 'BBBB5678') }
        : route === 'teams'
          ? { teamsWebhookUrl: TEAMS.replace('0a1b2c3d', '9f8e7d6c') }
          : { hookUrls: { 'review-requested': SNOW.replace('events', 'events2') } };
    expect(rt.run('saveSettings', [change], ADMIN)).toMatchObject({ ok: true });
    rt.advance(HOUR);
    expect((await got(service)).length).toBeGreaterThanOrEqual(1);
    expect(mine(rt)).toEqual([]);
  });

  test('down for a day: edits succeed, nothing is lost, each goes once when it is back', async () => {
    const rt = notifyRuntime();
    await receiver().reset();
    await receiver().fail({ status: 500, count: 200, service });
    for (let i = 0; i < 3; i++)
      rt.edit(
        'Registry',
        `C${i + 2}:K${i + 2}`,
        [registryInputs({ Project: `P${i}`, 'Data Tier': '3' })],
        EMPLOYEE,
      );
    rt.advance(24 * HOUR);
    expect(rt.failures()).toEqual([]);
    await receiver().reset();
    rt.advance(2 * HOUR);
    rt.advance(2 * HOUR);
    const arrived = await got(service);
    expect(arrived).toHaveLength(3);
    expect(mine(rt)).toEqual([]);
  });
});

test('webhooks and secrets are write-only, validated, and every change is alerted and logged', async () => {
  const rt = setUpRuntime({ slackBaseUrl: receiver().baseUrl });
  rt.registryProperties().slackWebhookUrl = SLACK;
  await receiver().reset();
  const bad = rt.run(
    'saveSettings',
    [{ teamsWebhookUrl: 'https://acme.webhook.office.com/webhookb2/abc/IncomingWebhook/x' }],
    ADMIN,
  );
  expect(bad).toMatchObject({ ok: false });
  expect((bad as { error: string }).error).toMatch(/retired/);
  const ok = rt.run('saveSettings', [{ chatWebhookUrl: CHAT }], ADMIN) as {
    ok: true;
    result: { chatWebhookUrl: string };
  };
  expect(ok.result.chatWebhookUrl).toBe('https://chat.googleapis.com/…cret');
  expect(JSON.stringify(ok.result)).not.toContain('chatT0ken');
  const got1 = rt.run('getSettings', [], ADMIN);
  expect(JSON.stringify(got1)).not.toContain('chatT0ken');
  // The change was told on the channel that existed (Slack) and by mail to the team.
  const slack = await got('slack');
  expect(slack.map((m) => m.payload.text)).toContainEqual(
    expect.stringContaining(
      'Notification webhooks changed by admin@example.com: The Google Chat webhook set',
    ),
  );
  expect(rt.world.mail.map((m) => m.subject)).toContain(
    'Governed Path: notification settings changed',
  );
  const logged = auditRows(rt, 'Settings changed').filter(
    (r) => r.Field === 'Notification webhooks',
  );
  expect(logged.map((r) => r['New Value'])).toEqual(['The Google Chat webhook set']);
  expect(JSON.stringify(auditRows(rt))).not.toContain('chatT0ken');
  // No value of a secret ever reaches a log line.
  expect(rt.world.executions.flatMap((e) => e.logs).join('\n')).not.toMatch(/chatT0ken|teamsSig/);
});

test('a test message goes to the chosen channel only, and says so', async () => {
  const rt = notifyRuntime();
  await receiver().reset();
  expect(rt.run('sendTestMessage', ['teams'], ADMIN)).toMatchObject({
    ok: true,
    result: { ok: true, message: 'Sent: check the Microsoft Teams space or channel.' },
  });
  expect(await got('teams')).toHaveLength(1);
  expect(await got('chat')).toHaveLength(0);
  expect(await got('slack')).toHaveLength(0);
  await receiver().fail({ status: 403, count: 1, service: 'chat' });
  expect(rt.run('sendTestMessage', ['chat'], ADMIN)).toMatchObject({
    result: {
      ok: false,
      message:
        'Google Chat did not accept the test message (PERMISSION_DENIED: The caller does not have permission (HTTP 403)). Check the webhook URL and channel.',
    },
  });
  expect(rt.run('sendTestMessage', ['fax'], ADMIN)).toMatchObject({ ok: false });
});

test('routes: an event kind goes only where Settings sends it', async () => {
  const rt = notifyRuntime();
  const routes = {
    'review-requested': ['teams'],
  };
  expect(rt.run('saveSettings', [{ routes }], ADMIN)).toMatchObject({ ok: true });
  await receiver().reset();
  registerTier3(rt);
  expect(await got('teams')).toHaveLength(1);
  expect(await got('chat')).toHaveLength(0);
  expect(
    (await got('slack')).filter((m) =>
      (m.payload.text ?? '').includes('Security review requested'),
    ),
  ).toHaveLength(0);
});

test('a person can turn off the mails they need not act on; required ones still come', () => {
  const rt = notifyRuntime();
  expect(rt.run('setMailPreference', [true], SECURITY)).toEqual({
    ok: true,
    result: { mailsOff: true },
  });
  expect(rt.run('getMailPreference', [], SECURITY)).toEqual({
    ok: true,
    result: { mailsOff: true },
  });
  expect(rt.run('setMailPreference', ['yes'], SECURITY)).toMatchObject({ ok: false });
  rt.world.mail.length = 0;
  registerTier3(rt);
  expect(mailTo(rt, SECURITY)).toEqual([]);
  expect(mailTo(rt, ADMIN)).toHaveLength(1);
  // Blocked is required: the creator gets it whatever they chose.
  expect(rt.run('setMailPreference', [true], EMPLOYEE)).toMatchObject({ ok: true });
  rt.edit(
    'Registry',
    'C3:K3',
    [registryInputs({ Project: 'Card matcher', 'Data Tier': '4' })],
    EMPLOYEE,
  );
  const blocked = mailTo(rt, EMPLOYEE);
  expect(blocked.map((m) => m.subject)).toEqual([
    'Governed Path: AI-0002 Card matcher: blocked (Tier 4 data)',
  ]);
  expect(blocked[0].body).toMatch(/What to do instead: use synthetic or anonymised data/);
});

test('a typed Creator Email is a claim: the mail goes to the sealed owner, not the claimant', () => {
  const rt = notifyRuntime();
  registerTier3(rt);
  rt.edit('Registry', 'C2', [['mallory@example.com']], 'mallory@example.com');
  rt.run(
    'decideReview',
    ['R-0001', { decision: 'Rejected', note: 'No.', threatModel: '' }],
    SECURITY,
  );
  rt.advance(HOUR);
  expect(mailTo(rt, 'mallory@example.com')).toEqual([]);
  expect(mailTo(rt, EMPLOYEE).map((m) => m.subject)).toEqual([
    'Governed Path: AI-0001 Payroll checker: security review rejected',
  ]);
});

test('mail beyond the day’s quota waits for the next day, none lost, none twice', () => {
  const rt = notifyRuntime();
  rt.world.mailQuota.perDay = 3;
  rt.world.mail.length = 0;
  for (let i = 0; i < 6; i++)
    rt.edit(
      'Registry',
      `C${i + 2}:K${i + 2}`,
      [registryInputs({ Project: `P${i}`, 'Data Tier': '3' })],
      EMPLOYEE,
    );
  // Six reviews, each mailed to its assignee: six mails, three a day (the daily head too).
  expect(rt.world.mail.length).toBeLessThanOrEqual(3);
  for (let day = 0; day < 4; day++) rt.advance(26 * HOUR);
  const reviews = rt.world.mail
    .filter((m) => m.subject.includes('new Tier 3 security review'))
    .map((m) => `${m.to} ${m.subject}`);
  expect(reviews).toHaveLength(6);
  expect(new Set(reviews).size).toBe(6);
  for (let i = 0; i < 6; i++)
    expect(reviews).toContain(
      `${assigneeOf(rt, `AI-000${i + 1}`)} Governed Path: AI-000${i + 1} P${i}: new Tier 3 security review`,
    );
  expect(outbox(rt).filter((r) => r.channel === 'mail')).toEqual([]);
});

test('the decision tree goes monthly to all staff, and to a new starter on request', () => {
  const rt = notifyRuntime();
  expect(rt.run('saveSettings', [{ allStaffEmail: 'everyone@example.com' }], ADMIN)).toMatchObject({
    ok: true,
  });
  expect(rt.run('saveSettings', [{ allStaffEmail: 'not a list' }], ADMIN)).toMatchObject({
    ok: false,
  });
  rt.advance(25 * HOUR);
  const first = rt.world.mail.filter((m) => m.to === 'everyone@example.com');
  expect(first.map((m) => m.subject)).toEqual([
    'Can I use AI with this data? (the one-page guide)',
  ]);
  rt.advance(5 * 24 * HOUR);
  expect(rt.world.mail.filter((m) => m.to === 'everyone@example.com')).toHaveLength(1);
  expect(rt.run('sendGuideTo', ['new.starter@example.com'], SECURITY)).toMatchObject({ ok: true });
  expect(rt.run('sendGuideTo', ['nobody'], SECURITY)).toMatchObject({ ok: false });
  expect(rt.run('sendGuideTo', ['x@example.com'], EMPLOYEE)).toMatchObject({ ok: false });
  rt.advance(HOUR);
  const welcome = rt.world.mail.filter((m) => m.to === 'new.starter@example.com');
  expect(welcome).toHaveLength(1);
  expect(welcome[0].body).toMatch(/Welcome!/);
  expect(auditRows(rt, 'Guide sent').map((r) => r['New Value'])).toEqual([
    'new.starter@example.com',
  ]);
});

test('the evidence pack says where notifications go: hosts and routes, never a URL or a secret', () => {
  const rt = notifyRuntime();
  expect(rt.clickMenu('Security team > Audit evidence pack', SECURITY).ok).toBe(true);
  const sheet = rt.world.spreadsheet.sheets.find((s) => s.name.startsWith('Evidence - '))!.name;
  const rows = rt.view(sheet).values.map((r) => r.slice(0, 2).map(String));
  const find = (label: string) => rows.find((r) => r[0] === label)?.[1];
  expect(find('Google Chat webhook')).toBe('configured (chat.googleapis.com)');
  expect(find('Teams webhook')).toBe('configured (prod-12.westus.logic.azure.com)');
  expect(find('Ticketing webhooks')).toBe(
    'Tier 3 review requested or re-submitted → acme.service-now.com; Review decision → api-private.atlassian.com',
  );
  expect(find('  Integrity alert goes to')).toBe('Slack, Google Chat, Microsoft Teams');
  expect(JSON.stringify(rows)).not.toMatch(
    /chatT0ken|teamsSigSecret|hmac-shared|jira-automation-token/,
  );
});
