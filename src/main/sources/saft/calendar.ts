// Real calendar days are the shared check of every source; SAF-T's clock times are its own.
export { isCalendarDate } from '../dates';
/** xs:time as SAF-T writes it: hh:mm:ss, optionally with fractions of a second and a zone. */
const TIME = /^(?:[01]\d|2[0-3]):[0-5]\d:[0-5]\d(?:\.\d+)?(?:Z|[+-](?:0\d|1[0-4]):[0-5]\d)?$/;

export function isClockTime(text: string): boolean {
  return TIME.test(text);
}
