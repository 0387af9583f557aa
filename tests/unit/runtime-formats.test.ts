import { parseA1 } from '../../sandbox/gas/a1';
import { displayValue, formatSimpleDate, parseInput, storedDate } from '../../sandbox/gas/formats';
import { evaluateFormula } from '../../sandbox/gas/formula';
import { deleteRows, insertRows, newSheet } from '../../sandbox/gas/model';
import { nextRun } from '../../sandbox/gas/schedule';
import { zonedTime } from '../../sandbox/gas/time';

const NY = 'America/New_York';

describe('typing, as Sheets reads it (en-US)', () => {
  test.each([
    ['42', undefined, { value: 42 }],
    ['1.10', undefined, { value: 1.1 }],
    ['1.10', '@', { value: '1.10' }],
    ['1,234.5', undefined, { value: 1234.5 }],
    ['007', undefined, { value: 7 }],
    ['-3', undefined, { value: -3 }],
    ['50%', undefined, { value: 0.5, format: '0%' }],
    ['true', undefined, { value: true }],
    ['TRUE', '@', { value: 'TRUE' }],
    ['=1+1', undefined, { value: '', formula: '=1+1' }],
    ['=1+1', '@', { value: '=1+1' }],
    ["'=1+1", undefined, { value: '=1+1' }],
    ["'42", undefined, { value: '42' }],
    ['=', undefined, { value: '=' }],
    [
      '2026-03-01',
      undefined,
      { value: { d: Date.parse('2026-03-01T00:00:00Z') }, format: 'yyyy-mm-dd' },
    ],
    [
      '3/1/2026',
      undefined,
      { value: { d: Date.parse('2026-03-01T00:00:00Z') }, format: 'M/d/yyyy' },
    ],
    ['2026-02-30', undefined, { value: '2026-02-30' }],
    ['+1 555 0100', undefined, { value: '+1 555 0100' }],
    ['Tier 3', undefined, { value: 'Tier 3' }],
  ])('%p in a %p cell', (text, format, expected) => {
    expect(parseInput(text, format)).toEqual(expected);
  });
});

describe('display', () => {
  const instant = Date.parse('2026-07-02T18:30:05Z');
  const d = storedDate(instant, NY); // stored zone-less: the wall clock in New York
  test.each([
    [1.1, undefined, '1.1'],
    [0.1 + 0.2, undefined, '0.3'],
    [1234.5, '#,##0.00', '1,234.50'],
    [0.456, '0%', '46%'],
    [3, '0', '3'],
    [true, undefined, 'TRUE'],
    [d, 'yyyy-mm-dd', '2026-07-02'],
    [d, 'yyyy-mm-dd hh:mm', '2026-07-02 14:30'],
    [d, undefined, '7/2/2026 14:30:05'],
    ['text', '0.00', 'text'],
  ])('%p with %p shows %p', (v, format, shown) => {
    expect(displayValue(v, format, NY)).toBe(shown);
  });

  test.each([
    ['yyyy-MM-dd', '2026-07-02'],
    ['yyyy-MM-dd HH:mm', '2026-07-02 14:30'],
    ['EEE, d MMM yyyy h:mm a', 'Thu, 2 Jul 2026 2:30 PM'],
    ["yyyy-MM-dd'T'HH:mm:ssXXX", '2026-07-02T14:30:05-04:00'],
    ["'quoted ''text'''", "quoted 'text'"],
  ])('Utilities.formatDate pattern %p', (pattern, expected) => {
    expect(formatSimpleDate(instant, NY, pattern)).toBe(expected);
  });

  test('an unsupported pattern letter is refused, not guessed', () => {
    expect(() => formatSimpleDate(instant, NY, 'w')).toThrow(
      "not emulated: Utilities.formatDate pattern letter 'w'",
    );
  });
});

describe('formulas', () => {
  const cells: Record<string, number | string> = { '1,1': 2, '1,2': 'x' };
  const lookup = (r: number, c: number) => cells[`${r},${c}`];
  test.each([
    ['=1+2*3', 7],
    ['=(1+2)*3', 9],
    ['=A1*10', 20],
    ['="a"&B1&"c"', 'axc'],
    ['=HYPERLINK("https://example.com","threat model")', 'threat model'],
    ['=1/0', '#DIV/0!'],
    ['=IMPORTXML("x")', '#NAME?'],
    ['=1+', '#ERROR!'],
  ])('%p → %p', (formula, value) => {
    expect(evaluateFormula(formula, lookup)).toBe(value);
  });
});

describe('A1 notation', () => {
  test.each([
    ['B2', { r: 2, c: 2, nr: 1, nc: 1 }],
    ['B2:D9', { r: 2, c: 2, nr: 8, nc: 3 }],
    ['L2:L', { r: 2, c: 12, nr: null, nc: 1 }],
    ['L:L', { r: 1, c: 12, nr: null, nc: 1 }],
    ['AA10', { r: 10, c: 27, nr: 1, nc: 1 }],
  ])('%p', (a1, rect) => {
    expect(parseA1(a1)).toEqual(rect);
  });
  test.each(['', 'B', '2B', 'D9:B2'])('%p is not a range', (a1) => {
    expect(() => parseA1(a1)).toThrow('Range not found');
  });
});

describe('rows inserted and deleted', () => {
  const fixtureSheet = () => {
    const sheet = newSheet(0, 'S', 3, 2);
    sheet.grid = [[{ v: 'h' }], [{ v: 1, nf: '0.00', bg: '#fff' }], [{ nf: '@' }]];
    sheet.conditionalFormats = [
      {
        ranges: [
          { r: 2, c: 1, nr: 2, nc: 1 },
          { r: 2, c: 2, nr: null, nc: 1 },
        ],
        condition: { type: 'CELL_EMPTY', values: [] },
        background: '#f00',
        fontColor: null,
        bold: null,
      },
    ];
    return sheet;
  };

  test('rows inserted inside the sheet inherit the formats above; ranges spanning them grow', () => {
    const sheet = fixtureSheet();
    insertRows(sheet, 2, 2);
    expect(sheet.maxRows).toBe(5);
    expect(sheet.grid[2]).toEqual([{ nf: '0.00', bg: '#fff' }]);
    expect(sheet.conditionalFormats[0].ranges[0]).toEqual({ r: 2, c: 1, nr: 4, nc: 1 });
    deleteRows(sheet, 2, 1);
    expect(sheet.conditionalFormats[0].ranges[0]).toEqual({ r: 2, c: 1, nr: 3, nc: 1 });
  });

  test('rows appended past the end start bare; only open-ended ranges cover them', () => {
    const sheet = fixtureSheet();
    insertRows(sheet, 3, 2);
    expect(sheet.maxRows).toBe(5);
    expect(sheet.grid[3]).toBeUndefined();
    expect(sheet.conditionalFormats[0].ranges).toEqual([
      { r: 2, c: 1, nr: 2, nc: 1 },
      { r: 2, c: 2, nr: null, nc: 1 },
    ]);
  });
});

describe('time-driven schedule', () => {
  const spec = (over: object) => ({
    kind: 'days' as const,
    every: 1,
    hour: 6,
    minute: null,
    monthDay: null,
    weekDay: null,
    ...over,
  });
  test.each([
    [
      'daily at 06:00 New York, created after 06:00',
      spec({}),
      '2026-11-24T15:00:00Z',
      '2026-11-25T11:00:00.000Z',
    ],
    [
      'daily at 06:00 New York, created before 06:00',
      spec({}),
      '2026-11-24T10:00:00Z',
      '2026-11-24T11:00:00.000Z',
    ],
    [
      'every 2 hours',
      spec({ kind: 'hours', every: 2, hour: null }),
      '2026-11-24T15:00:00Z',
      '2026-11-24T17:00:00.000Z',
    ],
    [
      'monthly on the 1st at 06:00',
      spec({ kind: 'monthDay', monthDay: 1 }),
      '2026-11-24T15:00:00Z',
      '2026-12-01T11:00:00.000Z',
    ],
    [
      'monthly on the 31st skips short months',
      spec({ kind: 'monthDay', monthDay: 31 }),
      '2026-11-24T15:00:00Z',
      '2026-12-31T11:00:00.000Z',
    ],
    [
      'weekly on Monday',
      spec({ kind: 'weeks', weekDay: 1 }),
      '2026-11-24T15:00:00Z',
      '2026-11-30T11:00:00.000Z',
    ],
  ])('%s', (_name, s, created, next) => {
    const t = Date.parse(created);
    expect(new Date(nextRun(s, t, t, 'America/New_York')!).toISOString()).toBe(next);
  });

  test('wall-clock times convert across daylight saving', () => {
    expect(new Date(zonedTime(NY, 2026, 3, 8, 12)).toISOString()).toBe('2026-03-08T16:00:00.000Z');
    expect(new Date(zonedTime(NY, 2026, 3, 7, 12)).toISOString()).toBe('2026-03-07T17:00:00.000Z');
  });
});
