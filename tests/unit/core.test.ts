import { createHash, createHmac } from 'node:crypto';
import {
  canonicalText,
  chain,
  chainKeyed,
  verifyKeyed,
  GENESIS,
  hexOfSignedBytes,
  verifyChain,
  planRollingPass,
  ROLLING_MIN,
  FULL_MAX,
  type AuditRecord,
} from '../../src/domain/audit';
import { fingerprint, ownersOf, partialSortMoves, type SealBody } from '../../src/domain/seal';
import { addBusinessDays, isBusinessDay } from '../../src/domain/calendar';
import { formatId, parseId } from '../../src/domain/ids';
import { keepAsText, neutralise } from '../../src/domain/injection';

const sha = (s: string) => createHash('sha256').update(s, 'utf8').digest('hex');

describe('business days (weekends only; holidays arrive with the SLA work)', () => {
  test.each([
    ['Tuesday', '2026-11-24', '2026-12-01'],
    ['Friday', '2026-11-27', '2026-12-04'],
    ['Saturday', '2026-11-28', '2026-12-04'],
    ['Sunday', '2026-11-29', '2026-12-04'],
    ['across the year end', '2026-12-29', '2027-01-05'],
  ])('5 business days after a %s (%s) is %s', (_day, start, due) => {
    expect(addBusinessDays(start, 5)).toBe(due);
  });

  test('a holiday is skipped', () => {
    expect(addBusinessDays('2026-11-27', 5, ['2026-12-02'])).toBe('2026-12-07');
    expect(isBusinessDay('2026-12-02', ['2026-12-02'])).toBe(false);
  });
});

describe('audit hash chain', () => {
  const rec = (n: number): AuditRecord => ({
    timestamp: `2026-11-24T15:00:0${n}Z`,
    actor: 'dana@example.com',
    action: 'Edited',
    registryId: 'AI-0001',
    field: 'Project',
    oldValue: `v${n}`,
    newValue: `v${n + 1}`,
  });

  test('verifies an intact chain and names the first row that was changed', () => {
    const rows = chain(GENESIS, [rec(1), rec(2), rec(3), rec(4)], sha);
    const check = verifyChain(rows, sha);
    expect(check).toEqual({ ok: true, rows: 4, head: rows[3].hash });
    const tampered = rows.map((r, i) =>
      i === 2 ? { ...r, record: { ...r.record, newValue: 'forged' } } : r,
    );
    expect(verifyChain(tampered, sha)).toEqual({ ok: false, rows: 4, brokenAt: 2 });
    expect(verifyChain([rows[0], rows[1], rows[3]], sha)).toEqual({
      ok: false,
      rows: 3,
      brokenAt: 2,
    });
  });

  test('chaining continues from a head', () => {
    const first = chain(GENESIS, [rec(1)], sha);
    const more = chain(first[0].hash, [rec(2)], sha);
    expect(verifyChain([...first, ...more], sha).ok).toBe(true);
  });

  test('hex of signed bytes', () => {
    expect(hexOfSignedBytes([0, 15, -1, -128, 127])).toBe('000fff807f');
  });
});

describe('formula injection', () => {
  test.each([
    ['=HYPERLINK("http://evil","x")', `'=HYPERLINK("http://evil","x")`],
    ['+1 555 0100', "'+1 555 0100"],
    ['-5', "'-5"],
    ['@SUM(A1)', "'@SUM(A1)"],
    ['\tcmd', "'\tcmd"],
    ['\rcmd', "'\rcmd"],
    ['plain', 'plain'],
    ['a=b', 'a=b'],
    ['', ''],
  ])('%p → %p', (value, written) => {
    expect(neutralise(value)).toBe(written);
  });
});

describe('IDs', () => {
  test.each([
    [1, 'AI-0001'],
    [42, 'AI-0042'],
    [12345, 'AI-12345'],
  ])('%p → %p and back', (n, id) => {
    expect(formatId('AI', n)).toBe(id);
    expect(parseId('AI', id)).toBe(n);
  });
  test.each(['AI-1', 'AI-00x1', 'R-0001', '', ' AI-0001 '])('parse %p', (id) => {
    expect(parseId('AI', id)).toBe(id === ' AI-0001 ' ? 1 : null);
  });
});

describe('text kept as text when written back to a column of unknown format', () => {
  test.each([
    ['007', "'007"],
    ['1.10', "'1.10"],
    ['1,234', "'1,234"],
    ['50%', "'50%"],
    ['TRUE', "'TRUE"],
    ['2026-01-02', "'2026-01-02"],
    ['1/2/2026', "'1/2/2026"],
    ['9:30', "'9:30"],
    ["'quoted", "''quoted"],
    ['=SUM(A1)', "'=SUM(A1)"],
    ['Sam owes 5', 'Sam owes 5'],
    ['v2', 'v2'],
    ['', ''],
  ])('%p → %p', (value, written) => {
    expect(keepAsText(value)).toBe(written);
  });
});

describe('the keyed audit chain (v2)', () => {
  const mac = (s: string) => createHmac('sha256', 'k').update(s, 'utf8').digest('hex');
  const other = (s: string) => createHmac('sha256', 'other').update(s, 'utf8').digest('hex');
  const rec = (n: number): AuditRecord => ({
    timestamp: `2026-11-24T15:00:0${n}Z`,
    actor: 'dana@example.com',
    action: 'Edited',
    registryId: 'AI-0001',
    field: 'Project',
    oldValue: n === 2 ? '=HYPERLINK("x")' : `v${n}`,
    newValue: `v${n + 1}`,
  });
  const chained = chainKeyed({ count: 0, mac: '' }, [1, 2, 3, 4].map(rec), mac);
  const rows = chained.map((c) => ({ record: c.record, hash: c.mac }));
  const head = { count: 4, mac: chained[3].mac };
  const neutralised = rows.map((r, i) =>
    i === 1 ? { ...r, record: { ...r.record, oldValue: `'${r.record.oldValue}` } } : r,
  );

  test.each([
    ['intact', rows, head, false, { ok: true }],
    [
      'a leading apostrophe Sheets shows or hides verifies either way',
      neutralised,
      head,
      false,
      { ok: true },
    ],
    [
      'a changed row',
      rows.map((r, i) => (i === 2 ? { ...r, record: { ...r.record, actor: 'x' } } : r)),
      head,
      false,
      { ok: false, brokenAt: 2 },
    ],
    [
      'two rows swapped',
      [rows[0], rows[2], rows[1], rows[3]],
      head,
      false,
      { ok: false, brokenAt: 1 },
    ],
    ['the last row cut off', rows.slice(0, 3), head, false, { ok: false, brokenAt: 3 }],
    [
      'signed under another key',
      chainKeyed({ count: 0, mac: '' }, [1, 2, 3, 4].map(rec), other).map((c) => ({
        record: c.record,
        hash: c.mac,
      })),
      head,
      false,
      { ok: false, brokenAt: 0 },
    ],
    [
      'an append whose commit was lost: its rows verify from the recorded head',
      rows,
      { count: 3, mac: chained[2].mac },
      true,
      { ok: true, head },
    ],
    [
      'the same, where a lost commit is not looked for (a stretch of the log)',
      rows,
      { count: 3, mac: chained[2].mac },
      false,
      { ok: false, brokenAt: 3 },
    ],
    [
      'rows past a head they do not extend',
      rows,
      { count: 3, mac: 'e'.repeat(64) },
      true,
      { ok: false, brokenAt: 3 },
    ],
    [
      'a row added by hand past a lost commit',
      [...rows, { record: rec(5), hash: 'f'.repeat(64) }],
      { count: 3, mac: chained[2].mac },
      true,
      { ok: false, brokenAt: 4, reason: 'a row was added by hand after the last recorded entry' },
    ],
    [
      'a row added by hand',
      [...rows, { record: rec(5), hash: 'f'.repeat(64) }],
      head,
      false,
      { ok: false, brokenAt: 4 },
    ],
  ])('%s', (_name, input, onRecord, adoptTail, expected) => {
    expect(verifyKeyed(input, 0, '', onRecord, mac, adoptTail)).toMatchObject(expected);
  });

  test('verification can start at a checkpoint', () => {
    expect(verifyKeyed(rows.slice(2), 2, chained[1].mac, head, mac)).toMatchObject({
      ok: true,
      rows: 4,
    });
  });

  test.each([
    ["'=SUM(A1)", '=SUM(A1)'],
    ["'+1", '+1'],
    ["'plain", "'plain"],
    ['=x', '=x'],
  ])('canonicalText(%j) is %j', (input, out) => {
    expect(canonicalText(input)).toBe(out);
  });
});

describe('the rolling pass over the older audit entries (issue 14)', () => {
  const T = 1_000_000;
  test.each([
    // state, start, from (checkpoint), full → stretch [a, b), next
    ['no state: a round starts at the chain’s start', null, 0, 3000, false, [0, 3000], 0],
    ['short log: all of it, and the round ends', null, 2, 4000, false, [2, 4000], 2],
    ['long log: a seventh, at least ROLLING_MIN', null, 0, 70000, false, [0, 10000], 10000],
    ['goes on where it stood', { next: 10000, since: T }, 0, 70000, false, [10000, 20000], 20000],
    [
      'the last stretch ends the round',
      { next: 65000, since: T },
      0,
      70000,
      false,
      [65000, 70000],
      0,
    ],
    [
      'a state past the checkpoint starts again',
      { next: 90000, since: T },
      0,
      70000,
      false,
      [0, 10000],
      10000,
    ],
    [
      'a state before a re-anchor starts again',
      { next: 5, since: T },
      10,
      20000,
      false,
      [10, 5010],
      5010,
    ],
    [
      'full, within FULL_MAX: everything',
      { next: 7000, since: T },
      0,
      FULL_MAX,
      true,
      [7000, FULL_MAX],
      0,
    ],
    ['full, beyond FULL_MAX: a stretch as usual', null, 0, 140000, true, [0, 20000], 20000],
  ] as const)('%s', (_, state, start, from, full, [a, b], next) => {
    const plan = planRollingPass(state, start, from, T + 5, full);
    expect([plan.a, plan.b]).toEqual([a, b]);
    expect(plan.round.next).toBe(next);
    // A round that ends, or a state that no longer fits, starts again now; one that goes on
    // keeps its start.
    const fits = state !== null && state.next >= start && state.next < from;
    expect(plan.round.since).toBe(fits && plan.b < from ? state.since : T + 5);
  });

  test('every entry is verified within seven passes, whatever the length', () => {
    for (const from of [1, ROLLING_MIN, ROLLING_MIN + 1, 123_457, 1_000_000]) {
      let state = null as ReturnType<typeof planRollingPass>['round'] | null;
      let covered = 0;
      for (let day = 0; day < 7 && covered < from; day++) {
        const plan = planRollingPass(state, 0, from, day);
        expect(plan.a).toBe(covered);
        covered = plan.b;
        state = plan.round;
      }
      expect(covered).toBe(from);
    }
  });
});

describe('partial sorts from the seals’ fingerprints (DESIGN §6.1)', () => {
  const F = ['A', 'B'];
  const row = (a: string, b: string) => ({ A: fingerprint(a), B: fingerprint(b) });
  const sealed = [row('x', '1'), row('y', '2'), row('z', '3')];
  test.each<[string, Record<string, string>[], { row: number; field: string; from: number }[]]>([
    ['nothing moved', [row('x', '1'), row('y', '2'), row('z', '3')], []],
    [
      'two values swapped in one column (may be typed): an edit',
      [row('z', '1'), row('y', '2'), row('x', '3')],
      [],
    ],
    [
      'column A rotated over three rows on its own',
      [row('y', '1'), row('z', '2'), row('x', '3')],
      [
        { row: 0, field: 'A', from: 2 },
        { row: 1, field: 'A', from: 0 },
        { row: 2, field: 'A', from: 1 },
      ],
    ],
    [
      'two rows swapped in both columns the same way',
      [row('y', '2'), row('x', '1'), row('z', '3')],
      [
        { row: 0, field: 'A', from: 1 },
        { row: 1, field: 'A', from: 0 },
        { row: 0, field: 'B', from: 1 },
        { row: 1, field: 'B', from: 0 },
      ],
    ],
    [
      'both columns rotated',
      [row('y', '2'), row('z', '3'), row('x', '1')],
      [
        { row: 0, field: 'A', from: 2 },
        { row: 1, field: 'A', from: 0 },
        { row: 2, field: 'A', from: 1 },
        { row: 0, field: 'B', from: 2 },
        { row: 1, field: 'B', from: 0 },
        { row: 2, field: 'B', from: 1 },
      ],
    ],
    ['two cells typed anew (an honest edit)', [row('p', '1'), row('q', '2'), row('z', '3')], []],
    [
      'one moved value and one new one is an edit',
      [row('y', '1'), row('q', '2'), row('z', '3')],
      [],
    ],
    ['one cell changed', [row('x', '9'), row('y', '2'), row('z', '3')], []],
  ])('%s', (_name, current, moves) => {
    expect(partialSortMoves(sealed, current, F)).toEqual(moves);
  });
  test('rows without a seal take no part', () => {
    const current = [row('z', '3'), row('y', '2'), row('x', '1')];
    expect(partialSortMoves([sealed[0], null, sealed[2]], current, F)).toEqual([
      { row: 0, field: 'A', from: 2 },
      { row: 2, field: 'A', from: 0 },
      { row: 0, field: 'B', from: 2 },
      { row: 2, field: 'B', from: 0 },
    ]);
    expect(partialSortMoves([null, null, sealed[2]], current, F)).toEqual([]);
  });
});

describe('owners from a seal (DESIGN §6.1)', () => {
  const seal = (registeredBy: string, w?: string[]) =>
    ({ o: { 'Registered By': registeredBy }, ...(w ? { w } : {}) }) as unknown as SealBody;
  test.each<[string, SealBody, string[]]>([
    [
      'registered by the creator',
      seal('dana@example.com', ['dana@example.com']),
      ['dana@example.com'],
    ],
    [
      'for a colleague',
      seal('dana@example.com', ['lee@example.com']),
      ['dana@example.com', 'lee@example.com'],
    ],
    [
      'with co-owners, case folded',
      seal('Dana@Example.com', ['lee@example.com', 'KIM@example.com']),
      ['dana@example.com', 'lee@example.com', 'kim@example.com'],
    ],
    [
      'an unknown editor registered',
      seal('unknown editor', ['lee@example.com']),
      ['lee@example.com'],
    ],
    ['a blank creator at registration', seal('dana@example.com', ['']), ['dana@example.com']],
    ['a seal from before owner sets', seal('dana@example.com'), ['dana@example.com']],
  ])('%s', (_name, body, owners) => {
    expect(ownersOf(body)).toEqual(owners);
  });
});
