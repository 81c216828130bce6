import { describe, expect, it } from 'vitest';
import { isCalendarDate, isClockTime } from './calendar';

describe('isCalendarDate', () => {
  it('knows month lengths and leap years', () => {
    const dates = ['2024-02-29', '2000-02-29', '2023-02-29', '2100-02-29', '2020-02-30', '2026-04-31', '2026-12-31'];
    expect(dates.filter(isCalendarDate)).toEqual(['2024-02-29', '2000-02-29', '2026-12-31']);
  });

  it('refuses other shapes', () => {
    expect(
      ['2026-13-01', '2026-00-10', '2026-01-00', '26-01-01', '2026-1-1', '2026-01-01T00:00'].some(isCalendarDate),
    ).toBe(false);
  });
});

describe('isClockTime', () => {
  it('takes xs:time and nothing else', () => {
    const times = [
      '23:59:59',
      '00:00:00',
      '10:00:00.250',
      '10:00:00Z',
      '10:00:00+01:00',
      '24:00:00',
      '10:60:00',
      '10:00',
      'banana',
    ];
    expect(times.filter(isClockTime)).toEqual(['23:59:59', '00:00:00', '10:00:00.250', '10:00:00Z', '10:00:00+01:00']);
  });
});
