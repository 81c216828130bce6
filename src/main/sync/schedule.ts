import { Cron } from 'croner';
import { z } from 'zod';

const time = z.string().regex(/^([01]\d|2[0-3]):[0-5]\d$/, 'a time as HH:MM');

/**
 * When a target's queue is sent. "on-close" (recommended) sends as soon as a Z-report's voucher is
 * ready; "daily" at 05:00 is what shops know from their old back office.
 */
export const scheduleSchema = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('on-close') }),
  z.object({ kind: z.literal('daily'), time: time.default('05:00') }),
  z.object({
    kind: z.literal('weekly'),
    weekday: z.number().int().min(0).max(6).default(1),
    time: time.default('05:00'),
  }),
  z.object({
    kind: z.literal('monthly'),
    day: z.number().int().min(1).max(28).default(1),
    time: time.default('05:00'),
  }),
  z.object({ kind: z.literal('never') }),
]);
export type Schedule = z.output<typeof scheduleSchema>;

export const DEFAULT_SCHEDULE: Schedule = { kind: 'on-close' };

/** The cron pattern of a timed schedule; null for on-close (event driven) and never (manual). */
export function cronPattern(schedule: Schedule): string | null {
  const at = (hhmm: string) => {
    const [hours, minutes] = hhmm.split(':');
    return `${Number(minutes)} ${Number(hours)}`;
  };
  switch (schedule.kind) {
    case 'daily':
      return `${at(schedule.time)} * * *`;
    case 'weekly':
      return `${at(schedule.time)} * * ${schedule.weekday}`;
    case 'monthly':
      return `${at(schedule.time)} ${schedule.day} * *`;
    case 'on-close':
    case 'never':
      return null;
  }
}

/** When the schedule next fires after `from` (local time of the shop PC), or null if it never does by itself. */
export function nextRun(schedule: Schedule, from: Date, timezone?: string): Date | null {
  const pattern = cronPattern(schedule);
  if (!pattern) return null;
  return new Cron(pattern, { paused: true, ...(timezone ? { timezone } : {}) }).nextRun(from);
}

/** "daily", "daily@06:30", "weekly@mon 05:00"-style CLI text → a schedule. */
export function parseScheduleOption(text: string): Schedule {
  const [kind, rest] = text.split('@');
  const days = ['sun', 'mon', 'tue', 'wed', 'thu', 'fri', 'sat'];
  if (kind === 'weekly' && rest) {
    const [day, at] = rest.split(/\s+/);
    return scheduleSchema.parse({ kind, weekday: days.indexOf(day ?? ''), ...(at ? { time: at } : {}) });
  }
  if (kind === 'monthly' && rest) {
    const [day, at] = rest.split(/\s+/);
    return scheduleSchema.parse({ kind, day: Number(day), ...(at ? { time: at } : {}) });
  }
  return scheduleSchema.parse({ kind, ...(rest ? { time: rest } : {}) });
}
