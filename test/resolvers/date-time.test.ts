import { describe, expect, it } from 'vitest';
import { isCalendarDate, parseInstant } from '../../src/resolvers/date-time.js';
import { DateTime } from '../../src/resolvers/scalars.js';
import { errorOf } from '../support/errors.js';

const iso = (text: string): string | null => {
  const time = parseInstant(text);
  return time === null ? null : new Date(time).toISOString();
};

describe('parseInstant', () => {
  it.each([
    ['2024-05-01T10:11:12.345Z', '2024-05-01T10:11:12.345Z'],
    ['2024-05-01T10:11:12Z', '2024-05-01T10:11:12.000Z'],
    ['2024-05-01T10:11Z', '2024-05-01T10:11:00.000Z'],
    ['2024-05-01T10:11:12.3456789Z', '2024-05-01T10:11:12.345Z'],
    ['2024-05-01T10:11:12+05:30', '2024-05-01T04:41:12.000Z'],
    ['2024-05-01T10:11:12+0530', '2024-05-01T04:41:12.000Z'],
    ['2024-05-01T00:30:00-01:00', '2024-05-01T01:30:00.000Z'],
    ['2024-02-29T00:00:00Z', '2024-02-29T00:00:00.000Z'],
    ['2000-02-29T00:00:00Z', '2000-02-29T00:00:00.000Z'],
    ['2024-12-31T23:59:59.999Z', '2024-12-31T23:59:59.999Z'],
    ['2024-01-01T00:00:00+01:00', '2023-12-31T23:00:00.000Z'],
    ['0050-06-01T00:00:00Z', '0050-06-01T00:00:00.000Z'],
  ])('reads %s as %s', (text, expected) => {
    expect(iso(text)).toBe(expected);
  });

  it.each([
    ['30 February', '2024-02-30T00:00:00Z'],
    ['29 February of a common year', '2023-02-29T00:00:00Z'],
    ['29 February of a century year', '1900-02-29T00:00:00Z'],
    ['31 April', '2024-04-31T00:00:00Z'],
    ['31 June', '2024-06-31T00:00:00Z'],
    ['31 September', '2024-09-31T00:00:00Z'],
    ['31 November', '2024-11-31T00:00:00Z'],
    ['day 0', '2024-05-00T00:00:00Z'],
    ['day 32', '2024-01-32T00:00:00Z'],
    ['month 0', '2024-00-10T00:00:00Z'],
    ['month 13', '2024-13-01T00:00:00Z'],
    ['hour 24', '2024-05-01T24:00:00Z'],
    ['minute 60', '2024-05-01T10:60:00Z'],
    ['a leap second', '2016-12-31T23:59:60Z'],
    ['offset hour 24', '2024-05-01T10:00:00+24:00'],
    ['offset minute 60', '2024-05-01T10:00:00+05:60'],
    ['no zone', '2024-05-01T10:11:12'],
    ['a date alone', '2024-05-01'],
    ['a space for T', '2024-05-01 10:11:12Z'],
    ['a lower-case z', '2024-05-01T10:11:12z'],
    ['epoch milliseconds', '1714558272345'],
    ['an RFC 2822 date', 'Wed, 01 May 2024 10:11:12 GMT'],
    ['ten fraction digits', '2024-05-01T10:11:12.1234567891Z'],
    ['an empty string', ''],
  ])('rejects %s (%s)', (_name, text) => {
    expect(parseInstant(text)).toBeNull();
  });
});

describe('isCalendarDate', () => {
  it.each([
    [2024, 2, 29, true],
    [2023, 2, 28, true],
    [2023, 2, 29, false],
    [2100, 2, 29, false],
    [2400, 2, 29, true],
    [2024, 1, 31, true],
    [2024, 4, 30, true],
    [2024, 4, 31, false],
    [2024, 12, 31, true],
  ])('%i-%i-%i is %s', (year, month, day, valid) => {
    expect(isCalendarDate(year, month, day)).toBe(valid);
  });
});

describe('DateTime scalar', () => {
  it('normalises a variable to UTC with milliseconds', () => {
    expect(DateTime.parseValue('2024-05-01T10:11:12+02:00')).toBe('2024-05-01T08:11:12.000Z');
  });

  it('refuses an impossible date instead of rolling it over to 1 March', () => {
    const error = errorOf(() => DateTime.parseValue('2024-02-30T00:00:00Z'));
    expect(error.extensions).toMatchObject({ code: 'BAD_USER_INPUT' });
  });

  it('says an impossible date does not exist, not that it lacks the zone it has', () => {
    expect(errorOf(() => DateTime.parseValue('2024-02-30T00:00:00Z')).message).toMatch(/^DateTime must be an instant that exists/);
    expect(errorOf(() => DateTime.parseValue('2024-05-01T10:11:12')).message).toMatch(/with a zone/);
  });
});
