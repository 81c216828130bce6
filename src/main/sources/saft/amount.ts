import { formatAmount, parseAmount, type Ore } from '../../../shared/money';
import { MAX_IMPORT_ORE } from '../amount-bound';

/** The import bound every source shares (sources/amount-bound.ts), checked while SAF-T streams. */
export const MAX_SAFT_ORE = MAX_IMPORT_ORE;
/** Ends a refusal: `"…" is ${OVER_SAFT_LIMIT}`. */
export const OVER_SAFT_LIMIT = `more than ±${formatAmount(MAX_SAFT_ORE as Ore)}, the most a SAF-T amount or sum may be`;

const DIGIT_0 = 48;
const DIGIT_9 = 57;
const PLUS = 43;
const MINUS = 45;
const DOT = 46;
const COMMA = 44;
/** More integer digits than this go through parseAmount, which refuses what a float cannot hold. */
const FAST_MAX_WHOLE_DIGITS = 13;

const isDigit = (code: number): boolean => code >= DIGIT_0 && code <= DIGIT_9;

/**
 * Exact øre of an amount as SAF-T writes it, read digit by digit without allocating, because a
 * large file has millions. Takes what `parseAmount` takes without grouping — a sign in front or a
 * minus behind, `.` or `,`, one or two decimals and any zeros after them — and hands anything else
 * (every refusal among them) to `parseAmount`, so the same texts are accepted and refused.
 * Throws MoneyFormatError.
 */
export function parseSaftAmount(text: string): Ore {
  let end = text.length;
  let index = 0;
  const first = text.charCodeAt(0);
  const leadingSign = first === MINUS || first === PLUS;
  if (leadingSign) index = 1;
  const trailingMinus = end > 1 && text.charCodeAt(end - 1) === MINUS;
  if (trailingMinus) end -= 1;
  const wholeStart = index;
  let whole = 0;
  for (; index < end && isDigit(text.charCodeAt(index)); index += 1)
    whole = whole * 10 + text.charCodeAt(index) - DIGIT_0;
  const wholeDigits = index - wholeStart;
  let cents = 0;
  if (index < end) {
    const separator = text.charCodeAt(index);
    const decimals = end - index - 1;
    if ((separator !== DOT && separator !== COMMA) || decimals < 1) return parseAmount(text);
    for (let at = index + 1; at < end; at += 1) {
      const code = text.charCodeAt(at);
      const place = at - index;
      if (!isDigit(code) || (place > 2 && code !== DIGIT_0)) return parseAmount(text);
      if (place <= 2) cents += (code - DIGIT_0) * (place === 1 ? 10 : 1);
    }
  }
  if (wholeDigits === 0 || wholeDigits > FAST_MAX_WHOLE_DIGITS || (leadingSign && trailingMinus)) {
    return parseAmount(text);
  }
  const value = whole * 100 + cents;
  const negative = first === MINUS || trailingMinus;
  return (negative && value !== 0 ? -value : value) as Ore;
}

export function isWithinSaftLimit(amount: number): boolean {
  return amount <= MAX_SAFT_ORE && amount >= -MAX_SAFT_ORE;
}
