import { parseAmount, type Ore } from '../../shared/money';

/** One printed line split into label, optional count and amount (the last number with two decimals). */
export interface AmountLine {
  readonly label: string;
  readonly count?: number;
  readonly amount: Ore;
}

// An amount at the end of a line: optional currency, digits grouped by one space/nbsp/dot or none,
// two decimals, sign in front or behind. Groups must be 3 digits, so "92 13 459,40" is count 92 + 13 459,40.
const AMOUNT_AT_END =
  /(?:^|\s)(-\s?)?(?:(?:kr|NOK|SEK|DKK|EUR)\.?\s*)?(-\s?)?(\d{1,3}(?:([ \u00a0\u202f.,])\d{3})+|\d+)([.,])(\d{2})(-?)\s*(?:kr|NOK|SEK|DKK|EUR)?$/iu;
// A count may carry a unit: "21 stk", "21 st", "21x".
const COUNT_AT_END = /(?:^|\s)(\d{1,6})(?:\s?(?:stk|st|pcs|x)\.?)?$/iu;

/**
 * Tokenises "BankAxept    57  8 432,50" → {label "BankAxept", count 57, amount 843250}. Column
 * positions are never used, so 24-, 42- and 48-column prints read the same.
 */
export function readAmountLine(line: string): AmountLine | undefined {
  // Dot leaders ("VISA ....... 21") are spacing, not digits' separators.
  const text = line
    .replace(/[\u00a0\u202f]/g, ' ')
    .replace(/[.·_]{2,}/g, ' ')
    .trimEnd();
  const match = AMOUNT_AT_END.exec(text);
  if (!match) return undefined;
  const [whole, leadingSign, innerSign, integer, groupSeparator, decimalSeparator, decimals, trailingSign] = match;
  if (groupSeparator === decimalSeparator) return undefined;
  const negative = Boolean(leadingSign || innerSign || trailingSign);
  const amount = parseAmount(`${negative ? '-' : ''}${integer!.replace(/[ .,]/g, '')},${decimals}`);
  let rest = text.slice(0, text.length - whole!.length).trimEnd();
  let count: number | undefined;
  const countMatch = COUNT_AT_END.exec(rest);
  if (countMatch) {
    count = Number(countMatch[1]);
    rest = rest.slice(0, rest.length - countMatch[0].length).trimEnd();
  }
  const label = rest.replace(/[\s:.]+$/, '').trim();
  return count === undefined ? { label, amount } : { label, count, amount };
}
