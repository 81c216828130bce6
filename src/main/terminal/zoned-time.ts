/** Local wall-clock times of a shop ↔ ISO strings with the shop's offset, without a date library. */

function offsetMinutes(utcMillis: number, timeZone: string): number {
  const name = new Intl.DateTimeFormat('en-US', { timeZone, timeZoneName: 'longOffset' })
    .formatToParts(new Date(utcMillis))
    .find((part) => part.type === 'timeZoneName')?.value;
  const match = /GMT([+-])(\d{2}):(\d{2})/.exec(name ?? '');
  if (!match) return 0;
  const minutes = Number(match[2]) * 60 + Number(match[3]);
  return match[1] === '-' ? -minutes : minutes;
}

const pad = (value: number, width = 2): string => String(value).padStart(width, '0');

export interface LocalDateTime {
  readonly year: number;
  readonly month: number;
  readonly day: number;
  readonly hour: number;
  readonly minute: number;
  readonly second: number;
}

/** "2026-11-23T22:14:00+01:00" for 23.11.2026 22:14 in Europe/Oslo. */
export function localToIso(local: LocalDateTime, timeZone: string): string {
  const asUtc = Date.UTC(local.year, local.month - 1, local.day, local.hour, local.minute, local.second);
  // Offset at the guessed instant, then again at the corrected one (the two differ only around DST changes).
  const offset = offsetMinutes(asUtc - offsetMinutes(asUtc, timeZone) * 60_000, timeZone);
  const sign = offset < 0 ? '-' : '+';
  const magnitude = Math.abs(offset);
  return (
    `${pad(local.year, 4)}-${pad(local.month)}-${pad(local.day)}T${pad(local.hour)}:${pad(local.minute)}:${pad(local.second)}` +
    `${sign}${pad(Math.floor(magnitude / 60))}:${pad(magnitude % 60)}`
  );
}

/** The shop-local wall clock of an instant. */
export function isoInZone(instant: Date, timeZone: string): string {
  const parts = Object.fromEntries(
    new Intl.DateTimeFormat('en-CA', {
      timeZone,
      year: 'numeric',
      month: '2-digit',
      day: '2-digit',
      hour: '2-digit',
      minute: '2-digit',
      second: '2-digit',
      hourCycle: 'h23',
    })
      .formatToParts(instant)
      .map((part) => [part.type, part.value]),
  );
  return localToIso(
    {
      year: Number(parts['year']),
      month: Number(parts['month']),
      day: Number(parts['day']),
      hour: Number(parts['hour']),
      minute: Number(parts['minute']),
      second: Number(parts['second']),
    },
    timeZone,
  );
}

/**
 * The business day a terminal closing belongs to: its local date, or the day before when it was
 * closed before the cut-over time (a bar reconciling at 01:30 closes yesterday's day).
 */
export function businessDateOf(closedAtIso: string, cutover = '00:00'): string {
  const date = closedAtIso.slice(0, 10);
  const time = closedAtIso.slice(11, 16);
  if (time >= cutover) return date;
  const previous = new Date(`${date}T00:00:00Z`);
  previous.setUTCDate(previous.getUTCDate() - 1);
  return previous.toISOString().slice(0, 10);
}

/** ZVT and some prints give no year: the year that puts the date on or before the capture day. */
export function inferYear(month: number, day: number, capturedAt: Date, timeZone: string): number {
  const localNow = isoInZone(capturedAt, timeZone);
  const year = Number(localNow.slice(0, 4));
  const monthDay = `${String(month).padStart(2, '0')}-${String(day).padStart(2, '0')}`;
  return monthDay > localNow.slice(5, 10) ? year - 1 : year;
}
