import { formatAmountForPeople, ore } from '../../../shared/money';

/** Øre to "1 234,50" in the UI's locale; the digits come from integers, never a float. */
export function money(amount: number, locale: string): string {
  return formatAmountForPeople(ore(amount), locale);
}

/** Bytes as megabytes with one decimal, for progress ("12,3"). */
export function megabytes(bytes: number, locale: string): string {
  return (bytes / (1024 * 1024)).toLocaleString(locale, { minimumFractionDigits: 1, maximumFractionDigits: 1 });
}

export function percent(rateBp: number): string {
  return `${rateBp / 100} %`;
}

/** "2026-11-20T21:14:03.120Z" → "2026-11-20 22:14:03" in the machine's time zone. */
export function timestamp(iso: string): string {
  const date = new Date(iso);
  const pad = (n: number): string => String(n).padStart(2, '0');
  return `${date.getFullYear()}-${pad(date.getMonth() + 1)}-${pad(date.getDate())} ${pad(date.getHours())}:${pad(date.getMinutes())}:${pad(date.getSeconds())}`;
}
