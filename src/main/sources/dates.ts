const ISO_DAY = /^(\d{4})-(\d{2})-(\d{2})$/;

/**
 * True when `text` is YYYY-MM-DD and names a real day: 2024-02-29 is one, 2020-02-30 and
 * 2026-13-45 are not. A pattern check alone would let such dates through to the vouchers.
 */
export function isCalendarDate(text: string): boolean {
  const match = ISO_DAY.exec(text);
  if (!match) return false;
  const [year, month, day] = match.slice(1).map(Number) as [number, number, number];
  const date = new Date(Date.UTC(year, month - 1, day));
  return date.getUTCFullYear() === year && date.getUTCMonth() === month - 1 && date.getUTCDate() === day;
}

/** SIE's YYYYMMDD → YYYY-MM-DD when it names a real day, else null. */
export function calendarDateFromCompact(yyyymmdd: string): string | null {
  const match = /^(\d{4})(\d{2})(\d{2})$/.exec(yyyymmdd);
  if (!match) return null;
  const iso = `${match[1]}-${match[2]}-${match[3]}`;
  return isCalendarDate(iso) ? iso : null;
}
