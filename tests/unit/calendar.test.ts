import {
  addBusinessDays,
  businessDaysBetween,
  isBusinessDay,
  nextBusinessDay,
  wallClockOfSerial,
} from '../../src/domain/calendar';

const HOLIDAYS = ['2026-12-02', '2026-12-25', '2027-01-01'];

describe('due dates: 5 business days', () => {
  test.each([
    ['a Tuesday', '2026-11-24', [], '2026-12-01'],
    ['a Friday (even late on it: dates are local days)', '2026-11-27', [], '2026-12-04'],
    ['a Friday with a holiday on the Wednesday after', '2026-11-27', HOLIDAYS, '2026-12-07'],
    ['a Saturday', '2026-11-28', [], '2026-12-04'],
    ['a Sunday', '2026-11-29', [], '2026-12-04'],
    ['a holiday (Christmas, a Friday)', '2026-12-25', HOLIDAYS, '2027-01-04'],
    ['across the year end with New Year closed', '2026-12-29', HOLIDAYS, '2027-01-06'],
    ['across a month end', '2026-09-28', [], '2026-10-05'],
    ['in the week daylight saving starts (US)', '2027-03-12', [], '2027-03-19'],
    ['in the week daylight saving ends (US)', '2026-10-30', [], '2026-11-06'],
    ['across a leap day', '2028-02-25', [], '2028-03-03'],
  ])('registered on %s (%s)', (_name, start, holidays, due) => {
    expect(addBusinessDays(start, 5, holidays)).toBe(due);
  });
});

describe('elapsed business days', () => {
  test.each([
    ['same day', '2026-11-24', '2026-11-24', [], 0],
    ['Tuesday to Friday', '2026-11-24', '2026-11-27', [], 3],
    ['Friday to the next Wednesday', '2026-11-27', '2026-12-02', [], 3],
    ['Friday to Wednesday, a holiday', '2026-11-27', '2026-12-02', HOLIDAYS, 2],
    ['over a weekend only', '2026-11-27', '2026-11-29', [], 0],
    ['across the year end', '2026-12-24', '2027-01-04', HOLIDAYS, 5],
  ])('%s', (_name, start, end, holidays, days) => {
    expect(businessDaysBetween(start, end, holidays)).toBe(days);
  });

  test('the next business day skips weekends and holidays', () => {
    expect(nextBusinessDay('2026-11-27')).toBe('2026-11-30');
    expect(nextBusinessDay('2026-12-01', HOLIDAYS)).toBe('2026-12-03');
    expect(isBusinessDay('2026-11-28')).toBe(false);
  });
});

describe('date serials (an edit event’s oldValue for a date cell)', () => {
  test.each<[string, string | null]>([
    ['46143', '2026-05-01 00:00:00'],
    ['46143.5', '2026-05-01 12:00:00'],
    ['46143.75', '2026-05-01 18:00:00'],
    ['1', '1899-12-31 00:00:00'],
    ['Approved', null],
    ['0', null],
    ['1e5', null],
    ['', null],
  ])('%p is %p', (text, wall) => {
    expect(wallClockOfSerial(text)).toBe(wall);
  });
});
