import { formatAmount, parseAmount, type Ore } from '../../../shared/money';

/**
 * The largest amount, sum or total a SAF-T file may carry: ±100 000 000 000.00 (10^13 øre). Far
 * beyond any shop's year, and ~900× below Number.MAX_SAFE_INTEGER, so sums of bounded values stay
 * exact and what is built from them later (vouchers, exports) has headroom.
 */
export const MAX_SAFT_ORE = 10 ** 13;
/** Ends a refusal: `"…" is ${BEYOND_SAFT_LIMIT}`. */
export const BEYOND_SAFT_LIMIT = `beyond ±${formatAmount(MAX_SAFT_ORE as Ore)}, the most a SAF-T amount or sum may be`;

const DIGIT_0 = 48;
const DIGIT_9 = 57;
const MINUS = 45;
const DOT = 46;
const COMMA = 44;
/** More integer digits than this go through parseAmount, which refuses what a float cannot hold. */
const FAST_MAX_WHOLE_DIGITS = 13;

/**
 * Exact øre of an amount as SAF-T writes it. The usual spelling (`-?digits`, then `.` or `,` and one
 * or two decimals) is read digit by digit without allocating, because a large file has millions;
 * every other spelling goes to `parseAmount`, so the same texts are accepted and refused as there.
 * Throws MoneyFormatError.
 */
export function parseSaftAmount(text: string): Ore {
  const length = text.length;
  let index = text.charCodeAt(0) === MINUS ? 1 : 0;
  const wholeStart = index;
  let whole = 0;
  for (; index < length; index += 1) {
    const code = text.charCodeAt(index);
    if (code < DIGIT_0 || code > DIGIT_9) break;
    whole = whole * 10 + (code - DIGIT_0);
  }
  const wholeDigits = index - wholeStart;
  let cents = 0;
  if (index < length) {
    const separator = text.charCodeAt(index);
    const decimals = length - index - 1;
    if ((separator !== DOT && separator !== COMMA) || decimals < 1 || decimals > 2) return parseAmount(text);
    for (let at = index + 1; at < length; at += 1) {
      const code = text.charCodeAt(at);
      if (code < DIGIT_0 || code > DIGIT_9) return parseAmount(text);
      cents = cents * 10 + (code - DIGIT_0);
    }
    if (decimals === 1) cents *= 10;
  }
  if (wholeDigits === 0 || wholeDigits > FAST_MAX_WHOLE_DIGITS) return parseAmount(text);
  const value = whole * 100 + cents;
  return (wholeStart === 1 && value !== 0 ? -value : value) as Ore;
}

export function isWithinSaftLimit(amount: number): boolean {
  return amount <= MAX_SAFT_ORE && amount >= -MAX_SAFT_ORE;
}
