/**
 * The sandbox's stand-ins for the notification services besides Slack (issue 16, deliverable
 * 6): UrlFetchApp's whitelist read as Apps Script reads it (leading wildcard labels, ports
 * spelled out), the routing of each service to the one local receiver, and each receiver
 * answering as the real service does (Google Chat, Teams Workflows, signed webhooks), faults
 * per service. Small fixture scripts call UrlFetchApp, as the add-on does.
 */
import { createHmac } from 'node:crypto';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Manifest } from '../../sandbox/gas/exec';
import { GasRuntime } from '../../sandbox/gas/runtime';
import { routeToReceiver, whitelistAllows } from '../../sandbox/gas/urlfetch';
import { startSandbox } from '../../sandbox/server';
import { startSlackReceiver, type SlackReceiver } from '../../sandbox/slack/receiver';
import { requireDist } from '../helpers';

const PERSON = 'dana@example.com';
const WHITELIST = [
  'https://hooks.slack.com/',
  'https://chat.googleapis.com/',
  'https://*.logic.azure.com/',
  'https://*.api.powerplatform.com/',
  'https://*.atlassian.net/',
  'https://*.service-now.com/',
];
const MANIFEST: Manifest = {
  timeZone: 'America/New_York',
  oauthScopes: ['https://www.googleapis.com/auth/script.external_request'],
  urlFetchWhitelist: WHITELIST,
};

const SLACK = 'https://hooks.slack.com/services/T000/B000/XXXX';
const CHAT =
  'https://chat.googleapis.com/v1/spaces/AAAAsecurity/messages?key=AIzaSyFAKE&token=tok3n';
const CHAT_THREADED = `${CHAT}&messageReplyOption=REPLY_MESSAGE_FALLBACK_TO_NEW_THREAD`;
const TEAMS_PATH =
  '/workflows/0a1b2c3d/triggers/manual/paths/invoke?api-version=2016-06-01&sp=%2Ftriggers%2Fmanual%2Frun&sv=1.0&sig=s1gn4ture';
const TEAMS = `https://prod-12.westus.logic.azure.com${TEAMS_PATH}`;
const TEAMS_443 = `https://prod-12.westus.logic.azure.com:443${TEAMS_PATH}`;
const JIRA = 'https://acme.atlassian.net/rest/automation/webhook/1';

const CODE = `
  function post(url, body, headers, contentType) {
    const r = UrlFetchApp.fetch(url, { method: 'post', contentType: contentType || 'application/json; charset=UTF-8',
      payload: body, headers: headers || {}, muteHttpExceptions: true });
    return [r.getResponseCode(), r.getContentText(), r.getHeaders()['Retry-After'] || null];
  }
  function loud(url, body) {
    return UrlFetchApp.fetch(url, { method: 'post', contentType: 'application/json', payload: body })
      .getResponseCode();
  }`;

let receiver: SlackReceiver;
beforeAll(async () => {
  receiver = await startSlackReceiver();
});
afterAll(async () => {
  await receiver.stop();
});
beforeEach(async () => {
  await receiver.reset();
});

function fixture(manifest: Manifest = MANIFEST, base: string | null = receiver.baseUrl) {
  return new GasRuntime({
    code: CODE,
    manifest,
    now: '2026-11-24T15:00:00Z',
    slackBaseUrl: base,
  });
}

type Answer = [number, string, string | null];

/** Posts from the fixture script: [status, body, Retry-After] or the error it threw. */
function post(
  rt: GasRuntime,
  url: string,
  body: unknown,
  headers: Record<string, string> = {},
): Answer | string {
  const payload = typeof body === 'string' ? body : JSON.stringify(body);
  const result = rt.run('post', [url, payload, headers], PERSON);
  return result.ok ? (result.result as Answer) : String(result.error);
}

const googleError = (text: string) =>
  (JSON.parse(text) as { error: { code: number; status: string; message: string } }).error;

describe('urlFetchWhitelist, as Apps Script reads it', () => {
  test('a plain entry is a prefix of the URL', () => {
    expect(whitelistAllows(SLACK, WHITELIST)).toBe(true);
    expect(whitelistAllows('https://hooks.slack.com.evil.com/x', WHITELIST)).toBe(false);
    expect(whitelistAllows('http://hooks.slack.com/services/x', WHITELIST)).toBe(false);
  });

  test('a leading wildcard stands for one or more whole host labels', () => {
    expect(whitelistAllows(TEAMS, WHITELIST)).toBe(true);
    expect(whitelistAllows('https://x.logic.azure.com/workflows/1', WHITELIST)).toBe(true);
    expect(
      whitelistAllows(
        'https://default1234.56.environment.api.powerplatform.com/powerautomate/x',
        WHITELIST,
      ),
    ).toBe(true);
    // No label for the *.
    expect(whitelistAllows('https://logic.azure.com/workflows/1', WHITELIST)).toBe(false);
    // The labels must be a host's, not a path or user info that happens to hold the suffix.
    expect(whitelistAllows('https://evil.com/.logic.azure.com/', WHITELIST)).toBe(false);
    expect(whitelistAllows('https://evil.com@x.logic.azure.com/', WHITELIST)).toBe(false);
    expect(whitelistAllows('https://x.logic.azure.com.evil.com/', WHITELIST)).toBe(false);
  });

  test('an explicit port is allowed only by an entry that spells it', () => {
    expect(whitelistAllows(TEAMS_443, WHITELIST)).toBe(false);
    expect(whitelistAllows(TEAMS_443, [...WHITELIST, 'https://*.logic.azure.com:443/'])).toBe(true);
  });

  test('each service has its place on the receiver', () => {
    const route = (url: string) => routeToReceiver(new URL(url), 'http://r');
    expect(route(SLACK)).toEqual({
      service: 'slack',
      url: 'http://r/services/T000/B000/XXXX',
      headers: {},
    });
    expect(route(CHAT)?.url).toBe(
      'http://r/chat/v1/spaces/AAAAsecurity/messages?key=AIzaSyFAKE&token=tok3n',
    );
    expect(route(TEAMS_443)).toEqual({
      service: 'teams',
      url: `http://r/teams${TEAMS_PATH}`,
      headers: { 'X-Sandbox-Host': 'prod-12.westus.logic.azure.com' },
    });
    expect(route('https://env.api.powerplatform.com:443/powerautomate/a?sig=1')?.service).toBe(
      'teams',
    );
    expect(route(JIRA)?.url).toBe('http://r/hooks/acme.atlassian.net/rest/automation/webhook/1');
    expect(route('https://api-private.atlassian.com/automation/webhooks/1')?.url).toBe(
      'http://r/hooks/api-private.atlassian.com/automation/webhooks/1',
    );
    expect(route('https://acme.service-now.com/api/x')?.service).toBe('hooks');
    expect(route('https://example.com/x')).toBeNull();
    expect(route('https://outlook.webhook.office.com/webhookb2/x')).toBeNull();
  });
});

describe('UrlFetchApp routing in the runtime', () => {
  test('a Teams URL with :443 is refused unless the whitelist spells the port', async () => {
    expect(post(fixture(), TEAMS_443, {})).toBe(
      `Exception: UrlFetch calls to ${TEAMS_443} are not permitted by your admin`,
    );
    expect(post(fixture(), 'https://logic.azure.com/workflows/x', {})).toMatch(/not permitted/);
    const withPort = fixture({
      ...MANIFEST,
      urlFetchWhitelist: [...WHITELIST, 'https://*.logic.azure.com:443/'],
    });
    expect(post(withPort, TEAMS_443, TEAMS_CARD)).toEqual([202, '', null]);
    const { messages } = await receiver.messages('teams');
    expect(messages).toHaveLength(1);
    expect(messages[0].host).toBe('prod-12.westus.logic.azure.com');
  });

  test('an allowed host no service stands for is unreachable; so is everything without a receiver', () => {
    const open = fixture({ ...MANIFEST, urlFetchWhitelist: undefined });
    expect(post(open, 'https://example.com/x', {})).toBe(
      'Address unavailable: https://example.com',
    );
    const down = fixture(MANIFEST, null);
    expect(post(down, CHAT, { text: 'x' })).toBe(
      'Address unavailable: https://chat.googleapis.com',
    );
    expect(post(down, TEAMS, TEAMS_CARD)).toBe(
      'Address unavailable: https://prod-12.westus.logic.azure.com',
    );
  });

  test('the add-on’s headers and content type reach the receiver; the sandbox’s own do not show', async () => {
    const rt = fixture();
    const body = JSON.stringify({ event: 'review-requested', entry: { id: 'AI-0042' } });
    const signature = createHmac('sha256', 'shared-secret').update(body).digest('hex');
    expect(
      post(rt, JIRA, body, {
        'X-Governed-Path-Signature': `sha256=${signature}`,
        'X-Governed-Path-Event': 'review-requested',
        'X-Automation-Webhook-Token': 'jira-token',
        // a script cannot pretend to be another host
        'X-Sandbox-Host': 'evil.example.com',
      }),
    ).toEqual([200, '{"ok":true}', null]);
    const [m] = (await receiver.messages('hooks')).messages;
    expect(m.host).toBe('acme.atlassian.net');
    expect(m.raw).toBe(body);
    expect(m.headers).toEqual({
      'content-type': 'application/json; charset=UTF-8',
      'x-governed-path-signature': `sha256=${signature}`,
      'x-governed-path-event': 'review-requested',
      'x-automation-webhook-token': 'jira-token',
    });
    // The receiver's copy verifies under the shared secret.
    expect(createHmac('sha256', 'shared-secret').update(m.raw).digest('hex')).toBe(signature);
    expect(m.sentAt).toBe('2026-11-24T15:00:00.000Z');
  });
});

const TEAMS_CARD = {
  type: 'message',
  attachments: [
    {
      contentType: 'application/vnd.microsoft.card.adaptive',
      contentUrl: null,
      content: {
        $schema: 'http://adaptivecards.io/schemas/adaptive-card.json',
        type: 'AdaptiveCard',
        version: '1.4',
        body: [{ type: 'TextBlock', text: 'Tier 3 security review requested', wrap: true }],
        actions: [{ type: 'Action.OpenUrl', title: 'Open', url: 'https://docs.google.com/x' }],
      },
    },
  ],
};

const chatCard = (widgets: number) => ({
  text: 'Tier 3 security review requested',
  cardsV2: [
    {
      cardId: 'review',
      card: {
        header: { title: 'Tier 3 security review requested' },
        sections: [
          {
            widgets: Array.from({ length: widgets }, (_, i) => ({
              decoratedText: { topLabel: `Fact ${i}`, text: 'value' },
            })),
          },
        ],
      },
    },
  ],
});

describe('Google Chat incoming webhook', () => {
  test('a message posts and Chat answers with the message it made', async () => {
    const rt = fixture();
    const [status, text] = post(rt, CHAT, { text: 'hello *world*' }) as Answer;
    expect(status).toBe(200);
    const answer = JSON.parse(text) as { name: string; thread: { name: string }; text: string };
    expect(answer.name).toMatch(/^spaces\/AAAAsecurity\/messages\/\w+$/);
    expect(answer.thread.name).toMatch(/^spaces\/AAAAsecurity\/threads\/\w+$/);
    expect(answer.text).toBe('hello *world*');
    const { messages } = await receiver.messages('chat');
    expect(messages).toHaveLength(1);
    expect(messages[0].payload).toEqual({ text: 'hello *world*' });
    expect(messages[0].contentType).toBe('application/json; charset=UTF-8');
    expect(messages[0].threadKey).toBeNull();
    expect((await receiver.messages()).messages).toEqual([]); // not Slack's
  });

  test('a webhook URL without its token, or a wrong path, is not found', () => {
    const rt = fixture();
    for (const url of [
      'https://chat.googleapis.com/v1/spaces/AAAAsecurity/messages?key=AIzaSyFAKE',
      'https://chat.googleapis.com/v1/spaces/AAAAsecurity?key=k&token=t',
      'https://chat.googleapis.com/v2/spaces/AAAAsecurity/messages?key=k&token=t',
    ]) {
      const [status, text] = post(rt, url, { text: 'x' }) as Answer;
      expect(status).toBe(404);
      expect(googleError(text)).toMatchObject({ code: 404, status: 'NOT_FOUND' });
    }
  });

  test('Chat refuses an empty message, too many widgets, too many bytes and bad JSON', async () => {
    const rt = fixture();
    const refused = (body: unknown) => {
      const [status, text] = post(rt, CHAT, body) as Answer;
      expect(status).toBe(400);
      const error = googleError(text);
      expect(error).toMatchObject({ code: 400, status: 'INVALID_ARGUMENT' });
      return error.message;
    };
    refused({});
    refused({ text: '   ' });
    refused({ cardsV2: [] });
    refused([{ text: 'an array' }]);
    expect(refused('not json')).toMatch(/Invalid JSON/);
    expect(refused(chatCard(101))).toMatch(/101 widgets/);
    expect(refused({ text: 'x'.repeat(32_001) })).toMatch(/32000/);
    // A card alone is a message; 100 widgets is the limit, not over it.
    expect(post(rt, CHAT, { cardsV2: chatCard(100).cardsV2 })).toEqual([
      200,
      expect.any(String),
      null,
    ]);
    expect((await receiver.messages('chat')).messages).toHaveLength(1);
  });

  test('a thread key keeps one entry’s events together only with messageReplyOption', async () => {
    const rt = fixture();
    const body = (text: string) => ({ text, thread: { threadKey: 'AI-0042' } });
    const first = JSON.parse((post(rt, CHAT_THREADED, body('one')) as Answer)[1]) as {
      thread: { name: string };
    };
    const second = JSON.parse((post(rt, CHAT_THREADED, body('two')) as Answer)[1]) as {
      thread: { name: string };
    };
    expect(second.thread.name).toBe(first.thread.name);
    const lost = JSON.parse((post(rt, CHAT, body('three')) as Answer)[1]) as {
      thread: { name: string };
    };
    expect(lost.thread.name).not.toBe(first.thread.name);
    const { messages } = await receiver.messages('chat');
    expect(messages.map((m) => m.threadKey)).toEqual(['AI-0042', 'AI-0042', null]);
    expect(messages[2].note).toMatch(/messageReplyOption/);
  });

  test('faults answer as Google does, with Retry-After, and only for Chat', async () => {
    const rt = fixture();
    await receiver.fail({ service: 'chat', status: 429, count: 1, retryAfter: 12 });
    expect(post(rt, SLACK, { text: 'Slack is not Chat' })).toEqual([200, 'ok', null]);
    const [status, text, retryAfter] = post(rt, CHAT, { text: 'x' }) as Answer;
    expect([status, retryAfter]).toEqual([429, '12']);
    expect(googleError(text)).toMatchObject({ code: 429, status: 'RESOURCE_EXHAUSTED' });
    for (const [code, name] of [
      [400, 'INVALID_ARGUMENT'],
      [403, 'PERMISSION_DENIED'],
      [404, 'NOT_FOUND'],
      [500, 'INTERNAL'],
      [503, 'UNAVAILABLE'],
    ] as const) {
      await receiver.fail({ service: 'chat', status: code });
      const [s, t] = post(rt, CHAT, { text: 'x' }) as Answer;
      expect([s, googleError(t).status]).toEqual([code, name]);
    }
    expect(await receiver.messages('chat')).toEqual({ messages: [], failed: 6 });
    expect((await receiver.messages('slack')).failed).toBe(0);
    expect((await receiver.messages('slack')).messages).toHaveLength(1);
    // Unmuted, a fault throws as UrlFetchApp does, naming the origin only (not the token).
    await receiver.fail({ service: 'chat', status: 503 });
    expect(rt.run('loud', [CHAT, '{"text":"x"}'], PERSON)).toEqual({
      ok: false,
      error: expect.stringMatching(
        /^Request failed for https:\/\/chat\.googleapis\.com returned code 503\. Truncated server response: \{"error":/,
      ),
    });
  });

  test('a Slack fault does not touch Chat', async () => {
    const rt = fixture();
    await receiver.fail({ status: 500, count: 2 });
    expect(post(rt, CHAT, { text: 'x' })).toEqual([200, expect.any(String), null]);
    expect(post(rt, SLACK, { text: 'x' })).toEqual([500, 'rollup_error', null]);
    expect((await receiver.messages('slack')).failed).toBe(1);
  });
});

describe('Teams Workflows webhook', () => {
  test('an Adaptive Card is accepted with 202 and an empty body', async () => {
    const rt = fixture();
    expect(post(rt, TEAMS, TEAMS_CARD)).toEqual([202, '', null]);
    const [m] = (await receiver.messages('teams')).messages;
    expect(m.payload).toEqual(TEAMS_CARD);
    expect(m.host).toBe('prod-12.westus.logic.azure.com');
    expect(m.raw).toBe(JSON.stringify(TEAMS_CARD));
  });

  test('a URL without its signature is unauthorised; a wrong path is not found', () => {
    const rt = fixture();
    expect((post(rt, TEAMS.replace('&sig=s1gn4ture', ''), TEAMS_CARD) as Answer)[0]).toBe(401);
    expect(
      (post(rt, TEAMS.replace('/paths/invoke', '/paths/other'), TEAMS_CARD) as Answer)[0],
    ).toBe(404);
  });

  test('a body that is not one Adaptive Card message is refused; Action.Submit anywhere too', () => {
    const rt = fixture();
    const card = (content: Record<string, unknown>) => ({
      ...TEAMS_CARD,
      attachments: [
        {
          ...TEAMS_CARD.attachments[0],
          content: { ...TEAMS_CARD.attachments[0].content, ...content },
        },
      ],
    });
    const status = (body: unknown) => (post(rt, TEAMS, body) as Answer)[0];
    expect(status({ text: 'a connector card' })).toBe(400);
    expect(status({ type: 'message', attachments: [] })).toBe(400);
    expect(
      status({ type: 'message', attachments: [{ contentType: 'application/json', content: {} }] }),
    ).toBe(400);
    expect(status(card({ version: '2.0' }))).toBe(400);
    expect(status(card({ body: 'text' }))).toBe(400);
    expect(status('not json')).toBe(400);
    expect(status(card({ actions: [{ type: 'Action.Submit', title: 'Approve' }] }))).toBe(400);
    expect(
      status(
        card({
          body: [
            {
              type: 'Container',
              items: [{ type: 'ActionSet', actions: [{ type: 'Action.Execute', verb: 'x' }] }],
            },
          ],
        }),
      ),
    ).toBe(400);
    expect(
      status(card({ body: [{ type: 'TextBlock', text: 'x'.repeat(28_000), wrap: true }] })),
    ).toBe(413);
  });

  test('faults are Teams’ own, with Retry-After', async () => {
    const rt = fixture();
    await receiver.fail({ service: 'teams', status: 429, retryAfter: 5 });
    const [status, text, retryAfter] = post(rt, TEAMS, TEAMS_CARD) as Answer;
    expect([status, retryAfter]).toEqual([429, '5']);
    expect(JSON.parse(text)).toMatchObject({ error: { code: 'WorkflowRequestsThrottled' } });
    expect(post(rt, TEAMS, TEAMS_CARD)).toEqual([202, '', null]);
    expect((await receiver.messages('teams')).failed).toBe(1);
  });
});

describe('signed webhooks (Jira, ServiceNow)', () => {
  test('any JSON is accepted; anything else is refused; faults are theirs', async () => {
    const rt = fixture();
    const now = 'https://acme.service-now.com/api/sn/governed_path';
    expect(post(rt, now, { event: 'x' })).toEqual([200, '{"ok":true}', null]);
    expect((post(rt, now, 'not json') as Answer)[0]).toBe(400);
    await receiver.fail({ service: 'hooks', status: 500 });
    expect((post(rt, JIRA, { event: 'y' }) as Answer)[0]).toBe(500);
    const hooks = await receiver.messages('hooks');
    expect(hooks.failed).toBe(1);
    expect(hooks.messages.map((m) => [m.host, m.path])).toEqual([
      ['acme.service-now.com', '/hooks/acme.service-now.com/api/sn/governed_path'],
    ]);
  });
});

describe('the receiver’s state', () => {
  test('load takes the Slack-only shape and the shape of all services; reset clears all', async () => {
    const message = (text: string) => ({
      receivedAt: '2026-11-24T15:00:00.000Z',
      sentAt: '2026-11-24T15:00:00.000Z',
      path: '/x',
      contentType: 'application/json',
      headers: {},
      raw: JSON.stringify({ text }),
      payload: { text },
    });
    await receiver.load({ messages: [message('old slack')], failed: 2 });
    expect(await receiver.all()).toEqual({
      slack: { messages: [message('old slack')], failed: 2 },
      chat: { messages: [], failed: 0 },
      teams: { messages: [], failed: 0 },
      hooks: { messages: [], failed: 0 },
    });
    await receiver.load({ chat: { messages: [message('chat')], failed: 1 } });
    expect((await receiver.messages('chat')).messages).toEqual([message('chat')]);
    expect((await receiver.messages()).messages).toEqual([]);
    await receiver.fail({ service: 'teams', status: 500 });
    await receiver.reset();
    expect(post(fixture(), TEAMS, TEAMS_CARD)).toEqual([202, '', null]);
    expect((await receiver.messages('chat')).messages).toEqual([]);
  });
});

describe('the sandbox server', () => {
  test('GET and fail endpoints for each service; persisted in the state dir, old slack.json read', async () => {
    requireDist();
    const state = mkdtempSync(join(tmpdir(), 'gp-receivers-'));
    const slackOnly = {
      messages: [
        {
          receivedAt: '2026-11-24T15:00:00.000Z',
          sentAt: '2026-11-24T15:00:00.000Z',
          path: '/services/T/B/X',
          contentType: 'application/json',
          payload: { text: 'from an older sandbox' },
        },
      ],
      failed: 0,
    };
    let sb = await startSandbox({ port: 0, state, fresh: true, demo: false });
    const call = async (method: string, path: string, body?: unknown) => {
      const res = await fetch(`${sb.url}${path}`, {
        method,
        headers: body === undefined ? {} : { 'Content-Type': 'application/json' },
        body: body === undefined ? undefined : JSON.stringify(body),
      });
      return { status: res.status, body: (await res.json()) as Record<string, unknown> };
    };
    try {
      for (const service of ['chat', 'teams', 'hooks']) {
        expect(await call('GET', `/api/${service}`)).toEqual({
          status: 200,
          body: { messages: [], failed: 0 },
        });
        expect((await call('POST', `/api/${service}/fail`, { status: 99 })).status).toBe(400);
        expect((await call('POST', `/api/${service}/fail`, { status: 503, count: 0 })).status).toBe(
          400,
        );
      }
      expect(await call('POST', '/api/chat/fail', { status: 503, retryAfter: 3 })).toEqual({
        status: 200,
        body: { ok: true },
      });
      const rt = new GasRuntime({ code: CODE, manifest: MANIFEST, slackBaseUrl: sb.slackUrl });
      expect((post(rt, CHAT, { text: 'x' }) as Answer)[0]).toBe(503);
      expect((post(rt, SLACK, { text: 'slack' }) as Answer)[0]).toBe(200);
      expect((post(rt, CHAT, { text: 'chat' }) as Answer)[0]).toBe(200);
      const all = (await call('GET', '/api/state')).body;
      expect(all).toMatchObject({
        slack: { failed: 0, messages: [{ payload: { text: 'slack' } }] },
        chat: { failed: 1, messages: [{ payload: { text: 'chat' } }] },
        teams: { messages: [], failed: 0 },
        hooks: { messages: [], failed: 0 },
      });
      await call('POST', '/api/user', { user: 'dana@example.com' }); // persists
      await sb.close();
      sb = await startSandbox({ port: 0, state, fresh: false, demo: false });
      expect((await call('GET', '/api/chat')).body).toMatchObject({
        failed: 1,
        messages: [{ payload: { text: 'chat' } }],
      });
      // A state dir from before: only slack.json.
      await sb.close();
      rmSync(join(state, 'channels.json'));
      writeFileSync(join(state, 'slack.json'), JSON.stringify(slackOnly));
      sb = await startSandbox({ port: 0, state, fresh: false, demo: false });
      expect((await call('GET', '/api/slack')).body).toMatchObject({
        messages: [{ payload: { text: 'from an older sandbox' } }],
      });
      expect((await call('GET', '/api/chat')).body).toEqual({ messages: [], failed: 0 });
      expect(existsSync(join(state, 'channels.json'))).toBe(true);
      expect(
        JSON.parse(readFileSync(join(state, 'channels.json'), 'utf8')) as Record<string, unknown>,
      ).toMatchObject({ slack: { messages: [{ payload: { text: 'from an older sandbox' } }] } });
      await call('POST', '/api/reset', { demo: false });
      expect((await call('GET', '/api/slack')).body).toEqual({ messages: [], failed: 0 });
    } finally {
      await sb.close();
    }
  }, 120_000);
});
