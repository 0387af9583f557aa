import {
  archivedOf,
  ARCHIVE_AT,
  ARCHIVE_FILE_ENTRIES,
  ARCHIVE_MIN,
  ARCHIVE_SLICE,
  entriesToArchive,
  fileFor,
  parseArchiveState,
  snapshotsToCarry,
  worthArchiving,
} from '../../src/domain/archive';

describe('entriesToArchive: how many of the oldest entries one run moves', () => {
  const base = { cells: ARCHIVE_AT + 1, archived: 0, verified: 50_000, entries: 50_000 };
  test.each([
    ['under the mark: none', { cells: ARCHIVE_AT }, 0],
    ['over it: a slice', {}, ARCHIVE_SLICE],
    ['only entries the daily check verified', { verified: 5_000 }, 5_000],
    ['counted after those already archived', { archived: 45_000 }, 5_000],
    ['fewer than the minimum are not worth a run', { verified: ARCHIVE_MIN - 1 }, 0],
    ['the minimum is', { verified: ARCHIVE_MIN }, ARCHIVE_MIN],
    ['none while an earlier try found too little', { idleUntil: 50_001 }, 0],
    ['again once the log grew past it', { idleUntil: 50_000 }, ARCHIVE_SLICE],
  ])('%s', (_, over, expected) => {
    expect(entriesToArchive({ ...base, ...over })).toBe(expected);
  });
});

describe('snapshotsToCarry: every ID keeps its latest snapshot in the live log', () => {
  const row = (id: string, snapshot = '') => ({ id, snapshot });
  test.each([
    ['a snapshot superseded later moves', [row('A', 's1'), row('A', 's2')], 1, []],
    [
      'the newest in the segment stays when none follows',
      [row('A', 's1'), row('A', 's2'), row('B', 'b1')],
      2,
      [{ index: 1, id: 'A', snapshot: 's2' }],
    ],
    ['rows without a snapshot carry nothing', [row('A'), row(''), row('B', 'b')], 2, []],
    [
      'a later row of the ID without a snapshot does not count',
      [row('A', 's1'), row('A')],
      1,
      [{ index: 0, id: 'A', snapshot: 's1' }],
    ],
    [
      'in log order',
      [row('B', 'b1'), row('A', 'a1'), row('C', 'c1'), row('B', 'b2')],
      3,
      [
        { index: 1, id: 'A', snapshot: 'a1' },
        { index: 2, id: 'C', snapshot: 'c1' },
      ],
    ],
  ])('%s', (_, rows, n, expected) => {
    expect(snapshotsToCarry(rows, n)).toEqual(expected);
  });
});

describe('worthArchiving and fileFor', () => {
  test.each([
    [1000, 0, true],
    [1000, 750, true],
    [1000, 751, false],
    [0, 0, false],
  ])('moving %i entries carrying back %i: %s', (n, carried, expected) => {
    expect(worthArchiving(n, carried)).toBe(expected);
  });

  const file = (from: number, to: number) => ({ id: 'f', url: 'u', from, to });
  test.each([
    ['no file yet: a new one', [], 0, 10, 'new'],
    ['the last file continues at its next row', [file(0, 100)], 100, 10, { index: 0, row: 102 }],
    [
      'a segment begun and not recorded is written over',
      [file(0, 100)],
      50,
      10,
      { index: 0, row: 52 },
    ],
    [
      'a full file: a new one',
      [file(0, ARCHIVE_FILE_ENTRIES - 5)],
      ARCHIVE_FILE_ENTRIES - 5,
      10,
      'new',
    ],
  ])('%s', (_, files, first, n, expected) => {
    expect(fileFor(files, first, n)).toEqual(expected);
  });
});

describe('parseArchiveState and archivedOf refuse what is not a record', () => {
  test.each([
    [null, null],
    ['not json', null],
    ['{"files":[{"id":"x"}]}', null],
    ['{"files":[],"idleUntil":"soon"}', null],
    ['{"files":[]}', { files: [] }],
    ['{"files":[],"idleUntil":5}', { files: [], idleUntil: 5 }],
  ])('%s', (text, expected) => {
    expect(parseArchiveState(text)).toEqual(expected);
  });
  test.each([
    [undefined, null],
    [{ count: -1, mac: '' }, null],
    [{ count: 2, mac: 7 }, null],
    [
      { count: 2, mac: 'm' },
      { count: 2, mac: 'm' },
    ],
    [
      { count: 2, mac: 'm', move: { count: 5, mac: 'n', keptMac: 'k' } },
      { count: 2, mac: 'm', move: { count: 5, mac: 'n', keptMac: 'k' } },
    ],
    [
      { count: 2, mac: 'm', move: { count: 5 } },
      { count: 2, mac: 'm' },
    ],
  ])('%j', (value, expected) => {
    expect(archivedOf(value)).toEqual(expected);
  });
});
