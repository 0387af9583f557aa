import { INPUT_FIELDS } from '../../src/domain/entry';
import type { OutboxRecord } from '../../src/domain/outbox';
import type { GasRuntime } from '../../sandbox/gas/runtime';
import {
  addToSecurityTeam,
  ADMIN,
  EMPLOYEE,
  SECURITY,
  setUpRuntime,
  useSlackReceiver,
} from '../helpers';

const WEBHOOK = 'https://hooks.slack.com/services/T0TEST/B0TEST/s3cr3tw3bh00k';
const SECRET = 's3cr3tw3bh00k';
const MINUTE = 60000;
const HOUR = 60 * MINUTE;

const slack = useSlackReceiver();

function slackRuntime(webhook: string | null = WEBHOOK): GasRuntime {
  const rt = setUpRuntime({ slackBaseUrl: slack().baseUrl });
  addToSecurityTeam(rt, SECURITY);
  if (webhook) rt.registryProperties().slackWebhookUrl = webhook;
  return rt;
}

function row(project: string, tier = '1'): string[] {
  const values: Record<string, string> = {
    'Creator Email': EMPLOYEE,
    Department: 'Marketing',
    Project: project,
    'Business Purpose': 'Sends the weekly campaign email.',
    'Data Tier': tier,
    'Data Stores': '',
    'AI Tool': 'ChatGPT',
    'AI Tool Version': '4o',
    'Deployment Status': 'dev',
  };
  return INPUT_FIELDS.map((f) => values[f]);
}

function register(rt: GasRuntime, rows: string[][], first = 2) {
  return rt.edit('Registry', `C${first}:K${first + rows.length - 1}`, rows, EMPLOYEE);
}

function outbox(rt: GasRuntime): OutboxRecord[] {
  return Object.entries(rt.registryProperties())
    .filter(([k, v]) => k.startsWith('outbox.') && !JSON.parse(v).channel)
    .map(([, v]) => JSON.parse(v) as OutboxRecord);
}

/** What the receiver got, without the daily Audit Log head (sweep.test.ts covers it). */
async function posts() {
  const got = await slack().messages();
  return {
    ...got,
    messages: got.messages.filter((m) => !/^Audit Log head/.test(m.payload.text ?? '')),
  };
}

const dailyChecks = (rt: GasRuntime) =>
  rt.clickMenu('Security team > Run daily checks now', SECURITY).ui[0].message;

test('a new entry arrives once, with what people typed escaped', async () => {
  const rt = slackRuntime();
  register(rt, [row('<!channel> & <http://evil.example|click> <@U123>')]);
  rt.edit('Registry', 'F2', [['Now monthly.']], EMPLOYEE); // later edits announce nothing new
  rt.advance(2 * HOUR);
  const { messages } = await posts();
  expect(messages).toHaveLength(1);
  expect(messages[0].payload.text).toBe(
    'New AI project registered: AI-0001 &lt;!channel&gt; &amp; &lt;http://evil.example|click&gt; &lt;@U123&gt; (Tier 1 - Public, ChatGPT): Approved',
  );
  expect(JSON.stringify(messages[0].payload.blocks)).not.toMatch(
    /<!channel>|<@U123>|<http:\/\/evil/,
  );
  expect(outbox(rt)).toEqual([]);
});

test('a sidebar change answers the person first; its follow-up call posts what it queued', async () => {
  const rt = slackRuntime();
  const form = {
    creatorEmail: EMPLOYEE,
    department: 'Support',
    project: 'Reply drafter',
    businessPurpose: 'Drafts replies to support tickets.',
    dataTier: 'Tier 3 - Confidential',
    dataStores: [],
    aiTool: 'Claude Code',
    aiToolVersion: '1.0',
    deploymentStatus: 'Development',
  };
  const registered = rt.run('registerProject', [form], EMPLOYEE);
  expect(registered).toMatchObject({ ok: true, result: { id: 'AI-0001' } });
  // No Slack call in the person's execution: the message waits in the outbox.
  expect(rt.world.executions.at(-1)!.calls.byMethod['UrlFetchApp.fetch']).toBeUndefined();
  expect((await posts()).messages).toHaveLength(0);
  expect(outbox(rt)).toHaveLength(1);
  expect(rt.run('deliverNotifications', [], EMPLOYEE)).toEqual({
    ok: true,
    result: { delivered: 1, waiting: 0 },
  });
  const { messages } = await posts();
  expect(messages.map((m) => m.payload.text)).toEqual([
    expect.stringContaining('AI-0001 Reply drafter'),
  ]);
  expect(outbox(rt)).toHaveLength(0);
  // Nothing left: the next follow-up posts nothing again.
  expect(rt.run('deliverNotifications', [], EMPLOYEE)).toMatchObject({
    result: { delivered: 0, waiting: 0 },
  });
});

test('a receiver answering 500 twice then 200 gets the message on the third attempt', async () => {
  const rt = slackRuntime();
  await slack().fail({ status: 500, count: 2 });
  register(rt, [row('Retry me')]);
  expect(outbox(rt)).toMatchObject([
    { attempts: 1, status: 'pending', lastError: 'rollup_error (HTTP 500)' },
  ]);
  rt.advance(HOUR); // the hourly retry: second attempt, 500 again
  expect(outbox(rt)).toMatchObject([{ attempts: 2, status: 'pending' }]);
  rt.advance(HOUR); // third attempt
  expect(outbox(rt)).toEqual([]);
  expect(await posts()).toMatchObject({
    failed: 2,
    messages: [{ payload: { text: expect.stringContaining('Retry me') } }],
  });
});

test('429 with Retry-After 30 is not retried before 30 seconds of runtime clock', async () => {
  const rt = slackRuntime();
  await slack().fail({ status: 429, count: 1, retryAfter: 30 });
  register(rt, [row('Rate limited')]);
  const [waiting] = outbox(rt);
  expect(waiting).toMatchObject({
    status: 'pending',
    lastError: expect.stringContaining('rate limited'),
  });
  expect(waiting.nextAttempt - rt.world.now).toBeGreaterThanOrEqual(29000);

  rt.advance(20 * 1000);
  dailyChecks(rt);
  expect(await posts()).toMatchObject({ failed: 1, messages: [] });

  rt.advance(15 * 1000);
  dailyChecks(rt);
  expect((await posts()).messages).toHaveLength(1);
  expect(outbox(rt)).toEqual([]);
});

test('410 channel_is_archived is kept as undeliverable and reported, not retried on that webhook', async () => {
  const rt = slackRuntime();
  await slack().fail({ status: 410, count: 1 });
  register(rt, [row('Archived channel')]);
  rt.advance(3 * 24 * HOUR); // 72 hourly and 3 daily runs
  expect(await posts()).toEqual({ messages: [], failed: 1 });
  expect(outbox(rt)).toMatchObject([
    { status: 'undeliverable', attempts: 1, lastError: 'channel_is_archived (HTTP 410)' },
  ]);
  expect(dailyChecks(rt)).toContain(
    'Slack refused 1 message(s) for good (channel_is_archived (HTTP 410)); they are kept and go again once the webhook in Settings changes.',
  );
  // Reported, not a failed check (issue 15).
  expect(dailyChecks(rt)).toContain('Daily checks passed.');
  const edit = rt.edit('Registry', 'F2', [['Still here.']], SECURITY);
  expect(edit.executions[0].ui).toEqual([
    expect.objectContaining({
      type: 'toast',
      message: '1 Slack message(s) could not be delivered. Run daily checks for details.',
    }),
  ]);
  expect(
    rt.edit('Registry', 'F2', [['Employees see no toast.']], EMPLOYEE).executions[0].ui,
  ).toEqual([]);
});

test('a 200-row paste produces one digest', async () => {
  const rt = slackRuntime();
  register(
    rt,
    Array.from({ length: 200 }, (_, i) => row(`Bulk ${i + 1}`, String((i % 4) + 1))),
  );
  const { messages } = await posts();
  expect(messages).toHaveLength(1);
  expect(messages[0].payload.text).toMatch(
    /^200 registry updates \(50 blocked · 50 reviews requested · 100 registered\): AI-0004 Bulk 4/,
  );
  expect(outbox(rt)).toEqual([]);
});

test('nothing is lost across faults: every message is delivered or visible as undeliverable', async () => {
  const rt = slackRuntime();
  await slack().fail({ status: 500, count: 1 });
  register(rt, [row('One')], 2);
  await slack().fail({ status: 429, count: 1, retryAfter: 5 });
  register(rt, [row('Two')], 3);
  await slack().fail({ status: 404, count: 1 });
  register(rt, [row('Three')], 4);
  register(rt, [row('Four')], 5);
  rt.advance(4 * HOUR);
  const delivered = (await posts()).messages.map((m) => m.payload.text ?? '');
  const kept = outbox(rt).map((r) => `${r.status}: ${r.message.text}`);
  const all = [...delivered, ...kept].join('\n');
  for (const project of ['One', 'Two', 'Three', 'Four'])
    expect(all).toContain(` ${project} (Tier 1`);
  expect(delivered.length + kept.length).toBe(4);
  // One message met the 404 (which one depends on the 429's pause: the outbox waits whole).
  expect(kept).toEqual([expect.stringMatching(/^undeliverable: /)]);
});

test('with no webhook, messages wait in the outbox and the daily check says so; they go once one is set', async () => {
  const rt = slackRuntime(null);
  register(rt, [row('Waiting for a webhook')]);
  expect(outbox(rt)).toHaveLength(1);
  expect(dailyChecks(rt)).toContain(
    'Slack: 1 message(s) are waiting because no Slack webhook is configured (Settings).',
  );
  rt.registryProperties().slackWebhookUrl = WEBHOOK;
  rt.advance(HOUR);
  expect((await posts()).messages).toHaveLength(1);
  expect(outbox(rt)).toEqual([]);
});

test('only https://hooks.slack.com/ URLs are used', async () => {
  const rt = slackRuntime('https://evil.example/services/T/B/x');
  register(rt, [row('Not to evil')]);
  expect(outbox(rt)).toHaveLength(1);
  expect(rt.failures()).toEqual([]);
});

test('two executions retrying at once deliver a message once', async () => {
  const rt = slackRuntime();
  await slack().fail({ status: 500, count: 1 });
  register(rt, [row('Once only')]);
  rt.holdLock('script', rt.world.now + 2 * HOUR); // another execution is delivering
  rt.advance(HOUR);
  expect((await posts()).messages).toHaveLength(0);
  rt.advance(2 * HOUR);
  rt.advance(HOUR);
  expect((await posts()).messages).toHaveLength(1);
});

test('the webhook URL never reaches a cell, a log, an error or the client', async () => {
  const rt = slackRuntime();
  await slack().fail({ status: 403, count: 1 });
  register(rt, [row('Secret keeper', '3')]);
  rt.edit('Registry', 'L2', [['Approved']], EMPLOYEE);
  dailyChecks(rt);
  const sidebar = rt.run('getSidebarData', [], ADMIN);
  const everything = JSON.stringify({
    sheets: rt.sheetNames().map((n) => rt.view(n)),
    executions: rt.world.executions,
    outbox: outbox(rt),
    sidebar,
  });
  expect(everything).not.toContain(SECRET);
  expect(everything).not.toContain('T0TEST/B0TEST');
});

test('the outbox’s overflow summary (text only) is accepted by Slack: no empty blocks are ever sent', async () => {
  const rt = slackRuntime(null);
  // 151 one-row registrations while no webhook is set: the outbox keeps what fits, summarises
  // the rest.
  for (let i = 0; i < 151; i++) register(rt, [row(`P${i}`)], i + 2);
  expect(outbox(rt).some((r) => r.id === 'overflow')).toBe(true);
  // Bounded in bytes too (the store holds 500 KB for everything): at most 100 KB waits.
  const waiting = Object.entries(rt.registryProperties()).filter(
    ([k, v]) => k.startsWith('outbox.') && !JSON.parse(v).channel,
  );
  expect(waiting.reduce((n, [k, v]) => n + Buffer.byteLength(k + v), 0)).toBeLessThanOrEqual(
    100_000,
  );
  const summary = outbox(rt).find((r) => r.id === 'overflow')!.message.text;
  const kept = waiting.length - 1;
  expect(summary).toMatch(new RegExp(`^${151 - kept} more registry notifications`));
  rt.registryProperties().slackWebhookUrl = WEBHOOK;
  for (let h = 0; h < 8; h++) rt.advance(HOUR);
  const got = await posts();
  expect(got.failed).toBe(0);
  expect(outbox(rt).filter((r) => r.status === 'undeliverable')).toEqual([]);
  expect(got.messages.some((m) => /more registry notifications/.test(m.payload.text ?? ''))).toBe(
    true,
  );
  expect(got.messages.every((m) => !('blocks' in m.payload) || m.payload.blocks!.length > 0)).toBe(
    true,
  );
});

test('a 429 pauses the whole outbox until Retry-After: nothing overtakes, order is kept', async () => {
  const rt = slackRuntime();
  await slack().fail({ status: 429, count: 1, retryAfter: 120 });
  register(rt, [row('First')], 2);
  register(rt, [row('Second')], 3);
  register(rt, [row('Third')], 4);
  expect((await posts()).messages).toEqual([]);
  rt.advance(60 * 1000);
  dailyChecks(rt);
  expect((await posts()).messages).toEqual([]);
  rt.advance(HOUR);
  const texts = (await posts()).messages.map((m) => m.payload.text ?? '');
  expect(texts.map((t) => /AI-000\d (\w+)/.exec(t)?.[1])).toEqual(['First', 'Second', 'Third']);
});

test('messages refused with a 4xx go again once the webhook setting changes, once', async () => {
  const rt = slackRuntime();
  await slack().fail({ status: 404, count: 2 });
  register(rt, [row('Lost channel')], 2);
  register(rt, [row('Also lost')], 3);
  expect(outbox(rt).map((r) => r.status)).toEqual(['undeliverable', 'undeliverable']);
  rt.advance(2 * HOUR);
  expect((await posts()).messages).toEqual([]);
  const saved = rt.run(
    'saveSettings',
    [{ slackWebhookUrl: 'https://hooks.slack.com/services/T0TEST/B0NEW/n3wh00k' }],
    SECURITY,
  );
  expect(saved.ok).toBe(true);
  rt.advance(HOUR);
  const texts = (await posts()).messages.map((m) => m.payload.text ?? '');
  expect(texts.filter((t) => /Lost channel|Also lost/.test(t))).toHaveLength(2);
  expect(outbox(rt)).toEqual([]);
  rt.advance(2 * HOUR);
  expect(
    (await posts()).messages.filter((m) => /Lost channel/.test(m.payload.text ?? '')),
  ).toHaveLength(1);
});

test('Slack down for a day: edits succeed, nothing is lost, each message goes once when it is back', async () => {
  const rt = slackRuntime();
  const host = (rt as unknown as { host: { slackBaseUrl: string | null } }).host;
  const live = host.slackBaseUrl;
  host.slackBaseUrl = 'http://127.0.0.1:9'; // nothing listens: the fetch fails as a network error
  const edits = [register(rt, [row('Down one')], 2), register(rt, [row('Down two')], 3)];
  expect(edits.flatMap((e) => e.executions).every((x) => x.ok)).toBe(true);
  expect(outbox(rt).map((r) => r.lastError)).toEqual([
    'network error: Slack could not be reached',
    'network error: Slack could not be reached',
  ]);
  rt.advance(24 * HOUR);
  expect(rt.failures()).toEqual([]);
  host.slackBaseUrl = live;
  rt.advance(2 * HOUR);
  const texts = (await posts()).messages.map((m) => m.payload.text ?? '');
  expect(texts.filter((t) => t.includes('Down one'))).toHaveLength(1);
  expect(texts.filter((t) => t.includes('Down two'))).toHaveLength(1);
  expect(outbox(rt)).toEqual([]);
});
