/**
 * The sandbox page's Google Chat, Teams and Mail tabs (issue 16, deliverable 6): a Chat card
 * posted through UrlFetchApp to the sandbox's receiver is drawn as the Chat client draws it,
 * threaded by its key; a Teams Workflows post as its Adaptive Card; mail by recipient, an HTML
 * body in a frame where nothing runs. Values people typed (`<users/all>`, a Markdown link)
 * show as the characters they are. Screenshots go to test-results/.
 */
import { mkdirSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import type { Manifest } from '../../sandbox/gas/exec';
import { GasRuntime, ROOT } from '../../sandbox/gas/runtime';
import { startSandbox, type Sandbox } from '../../sandbox/server';
import { requireDist } from '../helpers';
import { launch } from './chromium';

const SHOTS = join(ROOT, 'test-results');

const CHAT =
  'https://chat.googleapis.com/v1/spaces/AAAAsecurity/messages?key=AIzaSyFAKE&token=tok3n&messageReplyOption=REPLY_MESSAGE_FALLBACK_TO_NEW_THREAD';
const TEAMS =
  'https://prod-12.westus.logic.azure.com/workflows/0a1b2c3d/triggers/manual/paths/invoke?api-version=2016-06-01&sp=%2Ftriggers%2Fmanual%2Frun&sv=1.0&sig=s1gn4ture';
const REGISTRY = 'https://docs.google.com/spreadsheets/d/1sandbox/edit#gid=0&range=A43';

/** What people typed, escaped as each service asks (the add-on's job; here by hand). */
const PROJECT = 'Vendor bot <users/all>';
const PURPOSE = 'Summarises contracts [click](http://evil) <img src=x onerror=alert(1)>';
const chatEscape = (s: string) =>
  s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
const markdownEscape = (s: string) => s.replace(/[\\`*_{}[\]()#+\-.!<>|~]/g, (c) => `\\${c}`);

const decorated = (topLabel: string, text: string) => ({ decoratedText: { topLabel, text } });

const CHAT_REQUEST = {
  text: `Tier 3 security review requested: AI-0042 ${chatEscape(PROJECT)}`,
  thread: { threadKey: 'AI-0042' },
  cardsV2: [
    {
      cardId: 'review-AI-0042',
      card: {
        header: {
          title: 'Tier 3 security review requested',
          subtitle: `AI-0042 · ${PROJECT}`,
        },
        sections: [
          {
            widgets: [
              decorated('Creator', 'dana@example.com'),
              decorated('Department', 'Legal &amp; Compliance'),
              decorated('Data tier', '<b>Tier 3 - Confidential</b>'),
              decorated('AI tool', 'Claude (Enterprise)'),
              { textParagraph: { text: `<i>Purpose:</i> ${chatEscape(PURPOSE)}` } },
              {
                buttonList: {
                  buttons: [
                    { text: 'Open in the registry', onClick: { openLink: { url: REGISTRY } } },
                  ],
                },
              },
            ],
          },
        ],
      },
    },
  ],
};

const CHAT_REPLY = {
  text: `Review decided: AI-0042 ${chatEscape(PROJECT)} is *Approved* by security@example.com`,
  thread: { threadKey: 'AI-0042' },
};

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
        body: [
          {
            type: 'TextBlock',
            text: 'Tier 3 security review requested',
            size: 'Medium',
            weight: 'Bolder',
            wrap: true,
          },
          {
            type: 'TextBlock',
            text: `AI-0042 · ${markdownEscape(PROJECT)}`,
            isSubtle: true,
            spacing: 'None',
            wrap: true,
          },
          {
            type: 'FactSet',
            facts: [
              { title: 'Creator', value: 'dana@example.com' },
              { title: 'Department', value: 'Legal & Compliance' },
              { title: 'Data tier', value: '**Tier 3 - Confidential**' },
              { title: 'AI tool', value: 'Claude (Enterprise)' },
              { title: 'Purpose', value: markdownEscape(PURPOSE) },
            ],
          },
          {
            type: 'TextBlock',
            text: 'What the team checks:\n- the threat model\n- _where the data goes_',
            wrap: true,
          },
        ],
        actions: [{ type: 'Action.OpenUrl', title: 'Open in the registry', url: REGISTRY }],
      },
    },
  ],
};

const HTML_MAIL = `<!doctype html><html><body style="font-family:Arial,sans-serif;font-size:14px">
<h2 style="font-size:18px;margin:0 0 8px">Your review is due in 2 business days</h2>
<p>AI-0042 ${chatEscape(PROJECT)} is waiting for the security team.</p>
<p><a href="${REGISTRY}">Open in the registry</a></p>
<script>parent.document.title = 'ran'; document.body.append('SCRIPT RAN');</script>
</body></html>`;

const SCRIPT = `
  function post(url, body, headers) {
    const r = UrlFetchApp.fetch(url, { method: 'post', contentType: 'application/json; charset=UTF-8',
      payload: body, headers: headers || {}, muteHttpExceptions: true });
    return r.getResponseCode();
  }
  function mail(to, subject, body, htmlBody) {
    MailApp.sendEmail({ to: to, subject: subject, body: body, htmlBody: htmlBody || undefined, name: 'Governed Path' });
  }`;

let browser: Browser;
let sb: Sandbox;
let page: Page;

beforeAll(async () => {
  requireDist();
  mkdirSync(SHOTS, { recursive: true });
  sb = await startSandbox({
    port: 0,
    state: mkdtempSync(join(tmpdir(), 'gp-channels-')),
    fresh: true,
    demo: false,
  });
  // A script beside the add-on, on the sandbox's own world and receiver: its posts go through
  // UrlFetchApp's whitelist and routing, its mail through MailApp into the sandbox's outbox.
  const dist = JSON.parse(readFileSync(join(ROOT, 'dist', 'appsscript.json'), 'utf8')) as Manifest;
  const rt = new GasRuntime({
    code: SCRIPT,
    manifest: {
      ...dist,
      urlFetchWhitelist: [
        'https://chat.googleapis.com/',
        'https://*.logic.azure.com/',
        'https://*.atlassian.net/',
      ],
    },
    world: sb.runtime().world,
    slackBaseUrl: sb.slackUrl,
  });
  const run = (fn: string, ...args: unknown[]) => {
    const result = rt.run(fn, args, 'security@example.com');
    if (!result.ok) throw new Error(`${fn}: ${result.error}`);
    return result.result;
  };
  expect(run('post', CHAT, JSON.stringify(CHAT_REQUEST))).toBe(200);
  expect(run('post', CHAT, JSON.stringify(CHAT_REPLY))).toBe(200);
  expect(run('post', TEAMS, JSON.stringify(TEAMS_CARD))).toBe(202);
  expect(
    run(
      'post',
      'https://acme.atlassian.net/rest/automation/webhook/1',
      '{"event":"review-requested"}',
      {
        'X-Governed-Path-Event': 'review-requested',
        'X-Governed-Path-Signature': 'sha256=0123abcd',
      },
    ),
  ).toBe(200);
  run(
    'mail',
    'dana@example.com',
    'Governed Path: AI-0042 Vendor bot needs a security review',
    `AI-0042 ${PROJECT} is waiting for the security team.\n\nOpen in the registry: ${REGISTRY}`,
    HTML_MAIL,
  );
  run(
    'mail',
    'security@example.com',
    'Governed Path: 1 review due this week',
    'AI-0042 Vendor bot is due on Thursday.',
  );
  browser = await launch();
  page = await browser.newPage({ viewport: { width: 1400, height: 900 } });
  await page.goto(sb.url);
  await page.locator('.tab').first().waitFor();
}, 120_000);

afterAll(async () => {
  await browser?.close();
  await sb?.close();
});

async function shoot(name: string, doc: string): Promise<void> {
  const path = join(SHOTS, name);
  await page.locator('.channels').screenshot({ path });
  void doc; // the README's screenshots come from the add-on's own run (notify-screens.test.ts)
}

test('the Google Chat tab draws the card as Chat does, threaded by its key', async () => {
  await page.getByRole('tab', { name: /^Chat/ }).click();
  const thread = page.locator('#chat .chat-thread[data-thread="AI-0042"]');
  await thread.waitFor();
  expect(await page.locator('#chat .chat-thread').count()).toBe(1);
  expect(await thread.locator('.chat-reply-count').textContent()).toBe('1 reply');
  const card = thread.locator('.chat-card');
  expect(await card.locator('.chat-card-title').textContent()).toBe(
    'Tier 3 security review requested',
  );
  expect(await card.locator('.chat-card-subtitle').textContent()).toBe(
    'AI-0042 · Vendor bot <users/all>',
  );
  const facts = await card
    .locator('.chat-decorated')
    .evaluateAll((all) =>
      all.map((d) => [
        d.querySelector('.chat-top-label')?.textContent,
        d.querySelector('.chat-decorated-text')?.textContent,
      ]),
    );
  expect(facts).toEqual([
    ['Creator', 'dana@example.com'],
    ['Department', 'Legal & Compliance'],
    ['Data tier', 'Tier 3 - Confidential'],
    ['AI tool', 'Claude (Enterprise)'],
  ]);
  // Chat's HTML subset is drawn; the rest of what people typed stays text.
  expect(await card.locator('.chat-decorated-text b').textContent()).toBe('Tier 3 - Confidential');
  expect(await card.locator('.chat-paragraph').textContent()).toBe(
    'Purpose: Summarises contracts [click](http://evil) <img src=x onerror=alert(1)>',
  );
  expect(await card.locator('img').count()).toBe(0);
  const button = card.getByRole('link', { name: 'Open in the registry' });
  expect(await button.getAttribute('href')).toBe(REGISTRY);
  expect(await thread.locator('a').count()).toBe(1); // no link from [click](http://evil)
  // The escaped mention in the text is the characters, not @all.
  const text = thread.locator('.chat-text').first();
  expect(await text.textContent()).toBe(
    'Tier 3 security review requested: AI-0042 Vendor bot <users/all>',
  );
  expect(await thread.locator('.mention').count()).toBe(0);
  expect(await thread.locator('.chat-replies strong').textContent()).toBe('Approved');
  await shoot('channels-chat.png', 'chat-card.png');
});

test('the Teams tab draws the Adaptive Card, its facts and its Open URL action', async () => {
  await page.getByRole('tab', { name: /^Teams/ }).click();
  const card = page.locator('#teams .ac-card');
  await card.waitFor();
  const blocks = card.locator('.ac-text');
  expect(await blocks.first().textContent()).toBe('Tier 3 security review requested');
  expect(await blocks.first().getAttribute('class')).toContain('ac-bolder');
  expect(await blocks.nth(1).textContent()).toBe('AI-0042 · Vendor bot <users/all>');
  const facts = await card
    .locator('.ac-facts tr')
    .evaluateAll((rows) =>
      rows.map((r) => [r.querySelector('th')?.textContent, r.querySelector('td')?.textContent]),
    );
  expect(facts).toEqual([
    ['Creator', 'dana@example.com'],
    ['Department', 'Legal & Compliance'],
    ['Data tier', 'Tier 3 - Confidential'],
    ['AI tool', 'Claude (Enterprise)'],
    ['Purpose', 'Summarises contracts [click](http://evil) <img src=x onerror=alert(1)>'],
  ]);
  expect(await card.locator('.ac-facts strong').textContent()).toBe('Tier 3 - Confidential');
  expect(await card.locator('li').allTextContents()).toEqual([
    'the threat model',
    'where the data goes',
  ]);
  expect(await card.locator('img').count()).toBe(0);
  expect(await card.getByRole('link', { name: 'click' }).count()).toBe(0);
  const links = card.locator('a');
  expect(await links.count()).toBe(1);
  expect(await links.first().textContent()).toBe('Open in the registry');
  expect(await links.first().getAttribute('href')).toBe(REGISTRY);
  await shoot('channels-teams.png', 'teams-card.png');
});

test('the Mail tab shows each person’s mail; an HTML body runs nothing', async () => {
  await page.getByRole('tab', { name: /^Mail/ }).click();
  const picker = page.locator('#mail-recipient');
  await picker.waitFor();
  expect(await picker.locator('option').allTextContents()).toEqual([
    'Everyone (2)',
    'dana@example.com (1)',
    'security@example.com (1)',
  ]);
  await picker.selectOption('dana@example.com');
  const items = page.locator('#mail .mail-item');
  expect(await items.count()).toBe(1);
  const item = items.first();
  expect(await item.locator('.mail-subject').textContent()).toBe(
    'Governed Path: AI-0042 Vendor bot needs a security review',
  );
  expect(await item.locator('.mail-headers').textContent()).toContain(
    'Governed Path <security@example.com>',
  );
  const frame = item.locator('iframe.mail-html');
  expect(await frame.getAttribute('sandbox')).toBe('');
  const inner = page.frameLocator('#mail iframe.mail-html');
  await inner.getByText('Your review is due in 2 business days').waitFor();
  expect(await inner.locator('body').innerText()).not.toMatch(/SCRIPT RAN/);
  expect(await page.title()).toBe('Governed Path sandbox');
  // Nothing is fetched from the network either (no tracking pixel).
  expect(await frame.getAttribute('srcdoc')).toMatch(
    /^<!doctype html><html><meta http-equiv="Content-Security-Policy" content="default-src 'none';/,
  );
  await shoot('channels-mail.png', 'mail.png');
  await picker.selectOption('security@example.com');
  expect(await page.locator('#mail .mail-item pre').textContent()).toBe(
    'AI-0042 Vendor bot is due on Thursday.',
  );
});

test('the Hooks tab lists each signed webhook with its headers and body', async () => {
  await page.getByRole('tab', { name: /^Hooks/ }).click();
  const item = page.locator('#hooks .hook-item').first();
  await item.waitFor();
  expect(await item.locator('summary').textContent()).toContain(
    'review-requested to acme.atlassian.net',
  );
  await item.locator('summary').click();
  expect(await item.locator('dl').textContent()).toContain(
    'x-governed-path-signaturesha256=0123abcd',
  );
  expect(await item.locator('pre').textContent()).toBe('{\n  "event": "review-requested"\n}');
});
