import { describe, expect, it } from 'vitest';
import { cronPattern, nextRun, parseScheduleOption, scheduleSchema } from './schedule';

describe('sync schedules', () => {
  it('defaults daily to 05:00 and turns timed schedules into cron patterns', () => {
    expect(parseScheduleOption('daily')).toEqual({ kind: 'daily', time: '05:00' });
    expect(cronPattern(parseScheduleOption('daily@06:30'))).toBe('30 6 * * *');
    expect(cronPattern(parseScheduleOption('weekly@mon 05:00'))).toBe('0 5 * * 1');
    expect(cronPattern(parseScheduleOption('monthly@1 04:15'))).toBe('15 4 1 * *');
    expect(cronPattern({ kind: 'on-close' })).toBeNull();
    expect(cronPattern({ kind: 'never' })).toBeNull();
  });

  it('computes the next run in the shop’s time zone', () => {
    const next = nextRun({ kind: 'daily', time: '05:00' }, new Date('2026-11-23T10:00:00Z'), 'Europe/Oslo');
    expect(next?.toISOString()).toBe('2026-11-24T04:00:00.000Z');
    const monthly = nextRun(
      { kind: 'monthly', day: 1, time: '05:00' },
      new Date('2026-11-23T10:00:00Z'),
      'Europe/Oslo',
    );
    expect(monthly?.toISOString()).toBe('2026-12-01T04:00:00.000Z');
  });

  it('rejects impossible times and days', () => {
    expect(() => parseScheduleOption('daily@25:00')).toThrow();
    expect(scheduleSchema.safeParse({ kind: 'monthly', day: 31 }).success).toBe(false);
    expect(() => parseScheduleOption('hourly')).toThrow();
  });
});
