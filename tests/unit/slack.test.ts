import {
  afterAttempt,
  backoff,
  due,
  pauseAfter,
  revived,
  staleSending,
  type OutboxRecord,
} from '../../src/domain/outbox';
import {
  buildDigest,
  buildMessage,
  escapeMrkdwn,
  LIMITS,
  messagesFor,
  notificationsFor,
  shorten,
  type EntrySummary,
  type Notification,
  type RegistryEvent,
} from '../../src/domain/slack';

const ENTRY: EntrySummary = {
  id: 'AI-0007',
  project: 'Lead enrichment',
  creator: 'jordan@example.com',
  department: 'Sales',
  tier: 'Tier 2 - Internal',
  tool: 'Claude Code',
  version: '1.0',
  approval: 'Approved',
  status: 'Production',
  url: 'https://docs.google.com/spreadsheets/d/abc/edit#gid=0&range=A8',
};

describe('mrkdwn escaping', () => {
  test.each([
    ['<!channel>', '&lt;!channel&gt;'],
    ['<!here> please', '&lt;!here&gt; please'],
    ['<@U123>', '&lt;@U123&gt;'],
    ['<http://evil.example|click>', '&lt;http://evil.example|click&gt;'],
    ['R&D', 'R&amp;D'],
    ['&lt;', '&amp;lt;'],
    ['*bold* _it_ "quotes" \'apos\'', '*bold* _it_ "quotes" \'apos\''],
  ])('%p → %p', (input, escaped) => {
    expect(escapeMrkdwn(input)).toBe(escaped);
  });

  test('shortening never cuts an escape in half', () => {
    expect(shorten('abc&amp;def', 6)).toBe('abc…');
    expect(shorten('abcdef', 10)).toBe('abcdef');
  });

  test('person-supplied text in every message kind arrives escaped', () => {
    const evil = {
      ...ENTRY,
      project: '<!channel> <http://evil|click>',
      creator: '<@U1>',
      department: 'A&B',
    };
    const kinds: Notification[] = [
      { kind: 'registered', entry: evil },
      { kind: 'review-requested', entry: { ...evil, due: '2026-12-01' } },
      { kind: 'blocked', entry: evil },
      { kind: 'production-gate', entry: evil },
      {
        kind: 'review-decided',
        entry: evil,
        decision: 'Approved',
        reviewer: '<!everyone>',
        note: '<!here>',
      },
      {
        kind: 'tampering',
        actor: '<@U2>',
        where: 'Registry Approval',
        attempted: '<!channel>',
        registryId: 'AI-1',
      },
    ];
    for (const n of kinds) {
      const json = JSON.stringify(buildMessage(n));
      expect(json).not.toMatch(/<!channel>|<!here>|<!everyone>|<@U\d>|<http:\/\/evil/);
      expect(buildMessage(n).text.length).toBeGreaterThan(0);
    }
  });
});

describe('messages', () => {
  test('a new entry names project, creator, department, tier, tool and version, approval and links the row', () => {
    const m = buildMessage({ kind: 'registered', entry: ENTRY });
    expect(m.text).toBe(
      'New AI project registered: AI-0007 Lead enrichment (Tier 2 - Internal, Claude Code): Approved',
    );
    const json = JSON.stringify(m.blocks);
    for (const part of [
      'jordan@example.com',
      'Sales',
      'Tier 2 - Internal',
      'Claude Code 1.0',
      'Approved',
      `<${ENTRY.url}|AI-0007 Lead enrichment>`,
    ]) {
      expect(json).toContain(part.replace(/"/g, '\\"'));
    }
  });

  test('long values are shortened to fit Slack’s block limits', () => {
    const m = buildMessage({
      kind: 'registered',
      entry: { ...ENTRY, project: 'p'.repeat(5000), department: 'd'.repeat(5000) },
    });
    for (const block of m.blocks ?? []) {
      if (block.type === 'header')
        expect(block.text!.text.length).toBeLessThanOrEqual(LIMITS.header);
      if (block.text) expect(block.text.text.length).toBeLessThanOrEqual(LIMITS.section);
      for (const f of block.fields ?? []) expect(f.text.length).toBeLessThanOrEqual(LIMITS.field);
    }
  });

  test('a burst of 200 registrations is one digest within Slack’s limits', () => {
    const many: Notification[] = Array.from({ length: 200 }, (_, i) => ({
      kind: 'registered',
      entry: { ...ENTRY, id: `AI-${i}` },
    }));
    // The outbox digests per channel what goes to it; more than BURST is one digest.
    expect(messagesFor(many)).toEqual([{ notifications: many }]);
    const messages = [buildDigest(many)];
    expect(messages[0].text).toMatch(/^200 new AI projects registered \(200 registered\): /);
    expect(messages[0].blocks!.length).toBeLessThanOrEqual(LIMITS.blocks);
    const body = messages[0].blocks![1].text!.text;
    const shown = body.split('\n').filter((l) => l.startsWith('• ')).length;
    expect(shown).toBeGreaterThan(10);
    expect(body).toContain(`…and ${200 - shown} more: see the Registry sheet and the Audit Log.`);
    expect(body.length).toBeLessThanOrEqual(LIMITS.section);
    expect(messages[0].text.length).toBeLessThanOrEqual(LIMITS.text);
    expect(buildDigest(many.slice(0, 4)).blocks![0].text!.text).toBe(
      '4 new AI projects registered',
    );
  });

  test('a digest counts by kind and lists blocks, tampering and reviews first', () => {
    const reg = (i: number, approval = 'Approved'): Notification => ({
      kind: 'registered',
      entry: { ...ENTRY, id: `AI-${i}`, approval },
    });
    const paste: Notification[] = [
      ...Array.from({ length: 44 }, (_, i) => reg(i)),
      { kind: 'blocked', entry: { ...ENTRY, id: 'AI-45', approval: 'Blocked' } },
      ...Array.from({ length: 14 }, (_, i) => reg(46 + i)),
      { kind: 'review-requested', entry: { ...ENTRY, id: 'AI-60' } },
      reg(61, 'Blocked'),
      {
        kind: 'tampering',
        actor: 'm@example.com',
        where: 'Registry Approval',
        attempted: 'Approved',
        registryId: 'AI-3',
      },
    ];
    const body = buildDigest(paste).blocks![1].text!.text;
    const lines = body.split('\n');
    expect(lines[0]).toBe(
      '*2 blocked · 1 tampering reverted · 1 reviews requested · 58 registered*',
    );
    expect(lines[1]).toContain('AI-45');
    expect(lines[2]).toContain('AI-61');
    expect(lines[3]).toContain('m@example.com changed Registry Approval');
    expect(lines[4]).toContain('AI-60');
    expect(body).toMatch(/…and \d+ more/);
  });

  test('a new entry is announced once, as its most specific kind', () => {
    const ev = (type: RegistryEvent['type'], id = 'AI-1'): RegistryEvent => ({
      type,
      registryId: id,
      detail: '',
      entry: { ...ENTRY, id },
    });
    expect(
      notificationsFor([ev('registered'), ev('review-opened')], 'dana@example.com').map(
        (n) => n.kind,
      ),
    ).toEqual(['review-requested']);
    expect(notificationsFor([ev('registered'), ev('blocked')], 'x').map((n) => n.kind)).toEqual([
      'blocked',
    ]);
    expect(notificationsFor([ev('registered')], 'x').map((n) => n.kind)).toEqual(['registered']);
    expect(
      notificationsFor([ev('review-opened', 'AI-2'), ev('production-gate', 'AI-2')], 'x').map(
        (n) => n.kind,
      ),
    ).toEqual(['review-requested', 'production-gate']);
    expect(
      notificationsFor(
        [{ ...ev('tampering'), tampering: { fields: ['Approval'], attempted: ['Approved'] } }],
        'dana@example.com',
      ),
    ).toEqual([
      {
        kind: 'tampering',
        actor: 'dana@example.com',
        where: 'Registry Approval',
        attempted: 'Approved',
        registryId: 'AI-1',
      },
    ]);
  });
});

describe('the outbox', () => {
  const NOW = Date.parse('2026-11-24T15:00:00Z');
  const record: OutboxRecord = {
    id: 'a',
    created: NOW,
    attempts: 0,
    nextAttempt: NOW,
    status: 'pending',
    lastError: '',
    message: { text: 'x', blocks: [] },
  };

  test.each([
    ['200', { kind: 'delivered' as const }, null],
    [
      '429 Retry-After 30',
      { kind: 'http' as const, status: 429, body: 'rate_limited', retryAfterSeconds: 30 },
      { status: 'pending', nextAttempt: NOW + 30000 },
    ],
    [
      '429 without Retry-After',
      { kind: 'http' as const, status: 429, body: 'rate_limited', retryAfterSeconds: null },
      { status: 'pending', nextAttempt: NOW + 30000 },
    ],
    [
      '500',
      { kind: 'http' as const, status: 500, body: 'rollup_error', retryAfterSeconds: null },
      { status: 'pending', nextAttempt: NOW + 60000 },
    ],
    [
      'network error',
      { kind: 'network' as const, error: 'x' },
      { status: 'pending', nextAttempt: NOW + 60000 },
    ],
    [
      '400 invalid_payload',
      { kind: 'http' as const, status: 400, body: 'invalid_payload', retryAfterSeconds: null },
      { status: 'undeliverable', lastError: 'invalid_payload (HTTP 400)' },
    ],
    [
      '403 action_prohibited',
      { kind: 'http' as const, status: 403, body: 'action_prohibited', retryAfterSeconds: null },
      { status: 'undeliverable' },
    ],
    [
      '404 channel_not_found',
      { kind: 'http' as const, status: 404, body: 'channel_not_found', retryAfterSeconds: null },
      { status: 'undeliverable' },
    ],
    [
      '410 channel_is_archived',
      { kind: 'http' as const, status: 410, body: 'channel_is_archived', retryAfterSeconds: null },
      { status: 'undeliverable', lastError: 'channel_is_archived (HTTP 410)' },
    ],
  ])('%s', (_name, outcome, expected) => {
    const next = afterAttempt(record, outcome, NOW);
    if (expected === null) expect(next).toBeNull();
    else expect(next).toMatchObject({ attempts: 1, ...expected });
  });

  test('backoff doubles from a minute and stops at an hour', () => {
    expect([1, 2, 3, 4, 5, 6, 7, 8].map((n) => backoff(n) / 60000)).toEqual([
      1, 2, 4, 8, 16, 32, 60, 60,
    ]);
  });

  test('due records are pending, past their time, oldest first; undeliverable never comes back', () => {
    const list: OutboxRecord[] = [
      { ...record, id: 'late', created: NOW + 5 },
      { ...record, id: 'early', created: NOW - 5 },
      { ...record, id: 'waiting', nextAttempt: NOW + 1 },
      { ...record, id: 'dead', status: 'undeliverable', nextAttempt: 0 },
      { ...record, id: 'busy', status: 'sending' },
    ];
    expect(due(list, NOW).map((r) => r.id)).toEqual(['early', 'late']);
  });

  test('a message left "sending" by a stopped execution is never posted again', () => {
    const sending = { ...record, status: 'sending' as const, nextAttempt: NOW };
    expect(staleSending(sending, NOW + 60000)).toBeNull();
    expect(staleSending(sending, NOW + 11 * 60000)).toMatchObject({
      status: 'undeliverable',
      lastError: expect.stringContaining('delivery uncertain'),
    });
  });

  test.each([
    ['refused by the old webhook', { status: 'undeliverable', refusedBy: 'old' }, 'new', true],
    ['refused by this webhook', { status: 'undeliverable', refusedBy: 'new' }, 'new', false],
    ['uncertain delivery (no refusal)', { status: 'undeliverable' }, 'new', false],
    ['still pending', { status: 'pending' }, 'new', false],
  ] as const)('a record %s is revived by a new webhook: %p', (_name, over, hook, again) => {
    const out = revived({ ...record, ...over, attempts: 3 } as OutboxRecord, hook, NOW + 5);
    if (!again) expect(out).toBeNull();
    else expect(out).toMatchObject({ status: 'pending', attempts: 0, nextAttempt: NOW + 5 });
  });

  test.each([
    [{ kind: 'http' as const, status: 429, body: '', retryAfterSeconds: 120 }, NOW + 120000],
    [{ kind: 'http' as const, status: 429, body: '', retryAfterSeconds: null }, NOW + 30000],
    [{ kind: 'http' as const, status: 500, body: '', retryAfterSeconds: 120 }, null],
    [{ kind: 'delivered' as const }, null],
  ])('a 429 pauses the whole outbox: %p until %p', (outcome, until) => {
    expect(pauseAfter(outcome, NOW)).toBe(until);
  });
});
