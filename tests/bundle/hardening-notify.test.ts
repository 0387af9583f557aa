import type { GasRuntime } from '../../sandbox/gas/runtime';
import {
  addToSecurityTeam,
  ADMIN,
  EMPLOYEE,
  registryInputs,
  SECURITY,
  setUpRuntime,
  useSlackReceiver,
} from '../helpers';
import {
  HOUR,
  mailTo,
  notifyRuntime as fixtureRuntime,
  assigneeOf,
  outbox,
  received,
  registerTier3,
  SLACK,
  type Service,
} from './notify-fixture';

/** Attacks on issue 16 (review). Each test states the property that should hold. */
const receiver = useSlackReceiver();
const notifyRuntime = () => fixtureRuntime(receiver());
const got = (service: Service) => received(receiver(), service);

describe.each([
  ['Japanese text (3 bytes a character)', '設計図を追加してください。'.repeat(200).slice(0, 2000)],
  ['ASCII quotes and backslashes', 'C:\\"data flow\\" '.repeat(200).slice(0, 2000)],
])(
  'A: a reviewer note of 2,000 characters (%s) with a decision ticketing webhook',
  (_name, note) => {
    test('the decision is answered normally and every channel still hears it', async () => {
      const rt = notifyRuntime();
      registerTier3(rt);
      rt.advance(HOUR);
      await receiver().reset();
      rt.world.mail.length = 0;
      const decided = rt.run(
        'decideReview',
        ['R-0001', { decision: 'Changes Requested', note, threatModel: '' }],
        SECURITY,
      );
      const status = rt.view('Reviews').values[1][6];
      // The error sentence says "Nothing in the registry was changed": it must be true.
      if (!decided.ok) expect(status).toBe('Open');
      expect(decided).toMatchObject({ ok: true });
      rt.advance(HOUR);
      // The owner must act: the required mail comes.
      expect(mailTo(rt, EMPLOYEE).map((m) => m.subject)).toEqual([
        'Governed Path: AI-0001 Payroll checker: changes requested',
      ]);
      expect((await got('slack')).length).toBeGreaterThan(0);
      expect((await got('hooks')).length).toBe(1);
    });
  },
);

function pasteRows(rt: GasRuntime, rows: string[][], from = 2): void {
  const r = rt.edit('Registry', `C${from}:K${from + rows.length - 1}`, rows, EMPLOYEE);
  expect(r.ok).toBe(true);
}

describe('B: mail MailApp would refuse never fills the outbox', () => {
  test('after typos in Creator Email, other people still get their mail', async () => {
    const rt = notifyRuntime();
    // Addresses MailApp refuses ("Invalid email"): typos, or on purpose. They are not addresses
    // to the add-on either, so no mail is queued for them.
    const rows = Array.from({ length: 40 }, (_, i) =>
      registryInputs({
        'Creator Email': `p${i}@example..com`,
        Project: `Card ${i}`,
        'Data Tier': '4',
      }),
    );
    pasteRows(rt, rows);
    rt.advance(HOUR);
    pasteRows(
      rt,
      rows.map((r) => r.map((v) => v.replace('@example..com', '@example..org'))),
      42,
    );
    rt.advance(HOUR);
    const stuck = outbox(rt).filter((r) => r.channel === 'mail');
    expect(stuck).toEqual([]);
    rt.world.mail.length = 0;
    // Weeks later, an ordinary Tier 3 registration: the reviewers must be mailed.
    registerTier3(rt, 'Payroll checker', 90);
    rt.advance(HOUR);
    expect(mailTo(rt, assigneeOf(rt, 'AI-0081')).map((m) => m.subject)).toEqual([
      'Governed Path: AI-0081 Payroll checker: new Tier 3 security review',
    ]);
  });
});

describe('C: ticketing events whose webhook was cleared', () => {
  test('do not hold up the events of another kind’s webhook', async () => {
    const rt = notifyRuntime();
    await receiver().fail({ status: 503, count: 100000, service: 'hooks' });
    const rows = Array.from({ length: 31 }, (_, i) =>
      registryInputs({ Project: `P${i}`, 'Data Tier': '3', Department: 'Finance' }),
    );
    pasteRows(rt, rows);
    rt.advance(HOUR);
    // The ServiceNow tenant is gone: the admin clears its webhook.
    expect(rt.run('saveSettings', [{ hookUrls: { 'review-requested': '' } }], ADMIN)).toMatchObject(
      { ok: true },
    );
    await receiver().reset();
    rt.advance(3 * HOUR);
    expect(
      rt.run(
        'decideReview',
        ['R-0001', { decision: 'Approved', note: '', threatModel: '' }],
        SECURITY,
      ),
    ).toMatchObject({ ok: true });
    rt.advance(HOUR);
    rt.advance(HOUR);
    rt.advance(HOUR);
    // The events whose webhook was cleared are dropped (that place is gone); nothing waits.
    expect(outbox(rt).filter((r) => r.channel === 'hook')).toEqual([]);
    // Jira (decision) works: the decision event arrives.
    expect((await got('hooks')).map((h) => h.headers['x-governed-path-event'])).toEqual([
      'decision',
    ]);
  });
});

describe('D: routes can silence the security channels without any alert', () => {
  test('turning tampering and integrity alerts off everywhere is alerted like clearing a webhook', async () => {
    const rt = notifyRuntime();
    await receiver().reset();
    rt.world.mail.length = 0;
    // Routed nowhere at all: refused with a sentence.
    const nowhere = rt.run(
      'saveSettings',
      [{ routes: { tampering: [], integrity: [] } }],
      SECURITY,
    );
    expect(nowhere).toMatchObject({ ok: false });
    expect((nowhere as { error: string }).error).toMatch(
      /Tampering and claims must go to at least one team channel/,
    );
    // Routed away from a channel: alerted on the channels as they were, and by mail.
    const routes = { tampering: ['teams'], integrity: ['teams'] };
    expect(rt.run('saveSettings', [{ routes }], SECURITY)).toMatchObject({ ok: true });
    rt.advance(HOUR);
    const said = (await got('slack')).map((m) => m.payload.text ?? '');
    const mailed = rt.world.mail.map((m) => m.subject);
    expect(said).toContainEqual(
      expect.stringContaining(
        'Tampering and claims now goes to Microsoft Teams (was Slack, Google Chat, Microsoft Teams)',
      ),
    );
    expect(mailed).toContain('Governed Path: notification settings changed');
  });
});

describe('E: Registered By is a sealed owner (DESIGN §6.1)', () => {
  test('registering for someone else: the registrant hears of the block too', () => {
    const rt = notifyRuntime();
    rt.world.mail.length = 0;
    pasteRows(rt, [
      registryInputs({
        'Creator Email': 'someone@outside.example',
        Project: 'Card matcher',
        'Data Tier': '4',
      }),
    ]);
    rt.advance(HOUR);
    expect(mailTo(rt, EMPLOYEE).map((m) => m.subject)).toEqual([
      'Governed Path: AI-0001 Card matcher: blocked (Tier 4 data)',
    ]);
  });
});

describe('F: the webhook-change alert', () => {
  test('reaches the people removed from the team in the same save, or the old channel later', async () => {
    const rt = setUpRuntime({ slackBaseUrl: receiver().baseUrl });
    addToSecurityTeam(rt, SECURITY);
    expect(rt.run('saveSettings', [{ slackWebhookUrl: SLACK }], ADMIN)).toMatchObject({ ok: true });
    rt.run('deliverNotifications', [], ADMIN);
    await receiver().reset();
    rt.world.mail.length = 0;
    // Slack answers the direct post with a passing 503; the rogue member swaps the webhook
    // and drops the admin from the team in one save.
    await receiver().fail({ status: 503, count: 1, service: 'slack' });
    const attacker = 'https://hooks.slack.com/services/T0EVIL/B0EVIL/attackerhook';
    expect(
      rt.run('saveSettings', [{ slackWebhookUrl: attacker, securityTeam: [SECURITY] }], SECURITY),
    ).toMatchObject({ ok: true });
    rt.advance(HOUR);
    rt.advance(HOUR);
    const oldChannel = (await got('slack')).filter(
      (m) => m.path.includes('B0TEST') && (m.payload.text ?? '').includes('webhooks changed'),
    );
    const adminMail = mailTo(rt, ADMIN).filter((m) => m.subject.includes('webhook changed'));
    expect(oldChannel.length + adminMail.length).toBeGreaterThan(0);
  });
});

describe('G: one ticketing target’s 429 holds up another target', () => {
  test('a Jira decision event is not held up by ServiceNow’s Retry-After', async () => {
    const rt = notifyRuntime();
    await receiver().reset();
    await receiver().fail({ status: 429, count: 1, retryAfter: 3600, service: 'hooks' });
    registerTier3(rt, 'First', 2);
    registerTier3(rt, 'Second', 3);
    expect(
      rt.run(
        'decideReview',
        ['R-0001', { decision: 'Approved', note: '', threatModel: '' }],
        SECURITY,
      ),
    ).toMatchObject({ ok: true });
    rt.run('deliverNotifications', [], SECURITY);
    expect((await got('hooks')).map((h) => h.headers['x-governed-path-event'])).toContain(
      'decision',
    );
  });
});

describe('B: mail Gmail refuses is reported and never fills the outbox', () => {
  test('a refused address is tried once, reported, and only the latest few are kept', () => {
    const rt = notifyRuntime();
    const refused = Array.from({ length: 25 }, (_, i) => `gone${i}@example.com`);
    rt.world.mailRefuses = refused;
    // 25 Tier 4 entries registered for people whose mailbox no longer exists.
    pasteRows(
      rt,
      refused.map((creator, i) =>
        registryInputs({ 'Creator Email': creator, Project: `Card ${i}`, 'Data Tier': '4' }),
      ),
    );
    rt.advance(HOUR);
    const mail = outbox(rt).filter((r) => r.channel === 'mail');
    expect(mail.every((r) => r.status === 'undeliverable')).toBe(true);
    expect(mail.length).toBeLessThanOrEqual(20);
    const daily = rt.clickMenu('Security team > Run daily checks now', SECURITY).ui[0].message;
    expect(daily).toMatch(
      /Mail: \d+ mail\(s\) could not be sent \(Invalid email: gone\d+@example\.com/,
    );
    // The registrant still got theirs (one mail for the batch), and later mail is not held up.
    expect(mailTo(rt, EMPLOYEE).map((m) => m.subject)).toEqual([
      'Governed Path: 25 updates about AI projects',
    ]);
    registerTier3(rt, 'Payroll checker', 40);
    expect(mailTo(rt, assigneeOf(rt, 'AI-0026')).map((m) => m.subject)).toContain(
      'Governed Path: AI-0026 Payroll checker: new Tier 3 security review',
    );
  });
});
