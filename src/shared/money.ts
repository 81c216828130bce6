/**
 * Money is integer øre (or cents) everywhere. Decimal strings exist only at the edges:
 * parsed exactly here, formatted exactly here, never through a float.
 */
declare const oreBrand: unique symbol;
export type Ore = number & { readonly [oreBrand]: 'Ore' };

export class MoneyFormatError extends Error {
  constructor(
    readonly input: string,
    reason: string,
  ) {
    super(`"${input}" is not an amount: ${reason}`);
    this.name = 'MoneyFormatError';
  }
}

/** Wraps a whole number of øre; refuses fractions and values a float cannot hold exactly. */
export function ore(value: number): Ore {
  if (!Number.isSafeInteger(value)) {
    throw new RangeError(`${value} is not a whole, safe number of øre`);
  }
  // Normalise -0 so that formatting and equality never see it.
  return (value === 0 ? 0 : value) as Ore;
}

export const ZERO = ore(0);

export function add(...amounts: Ore[]): Ore {
  let sum = 0;
  for (const amount of amounts) sum += amount;
  return ore(sum);
}

export function negate(amount: Ore): Ore {
  return ore(-amount);
}

export function sum(amounts: Iterable<Ore>): Ore {
  let total = 0;
  for (const amount of amounts) total += amount;
  return ore(total);
}

export function abs(amount: Ore): Ore {
  return ore(Math.abs(amount));
}

/**
 * VAT on a net amount at a rate in basis points (2500 = 25 %), rounded half away from zero to
 * whole øre — how a target that computes VAT itself arrives at it (UNCONFIRMED for Fiken's exact
 * rounding). Exact in integers: amounts near the import bound times a rate exceed a float's 2^53.
 */
export function vatOnNet(net: Ore, rateBp: number): Ore {
  const scaled = BigInt(Math.abs(net)) * BigInt(rateBp);
  const whole = scaled / 10_000n;
  const rounded = (scaled % 10_000n) * 2n >= 10_000n ? whole + 1n : whole;
  return ore(Math.sign(net) * Number(rounded));
}

/**
 * The net amount whose gross (net + vatOnNet) comes closest to `gross`. Not every gross has an
 * exact net (at 25 %, 2 øre: a net of 1 gives 1, a net of 2 gives 3); the closer one below wins.
 */
export function netForGross(gross: Ore, rateBp: number): Ore {
  const estimate = Number((BigInt(gross) * 10_000n) / BigInt(10_000 + rateBp));
  let best = ore(estimate);
  for (const candidate of [estimate - 1, estimate, estimate + 1]) {
    const miss = (net: number) => Math.abs(gross - net - vatOnNet(ore(net), rateBp));
    if (miss(candidate) < miss(best)) best = ore(candidate);
  }
  return best;
}

export interface ParseOptions {
  /** Accept "1 234,50" (space thousands, comma decimals) as written on Nordic reports. */
  readonly allowGrouping?: boolean;
}

// sign, integer part, optional 1–2 decimals; a trailing minus ("72.00-") is how some POS print refunds.
const PLAIN = /^([+-]?)(\d+)(?:[.,](\d{1,2}))?(-?)$/;
const EXTRA_ZERO_DECIMALS = /^([+-]?\d+[.,]\d{2})0+(-?)$/;

/**
 * Parses a decimal amount exactly into øre: "1234.50" → 123450, "-72" → -7200, "0,5" → 50.
 * More than two decimals are accepted only when the extra digits are zeros ("12.3400"),
 * because anything else would silently lose money.
 */
export function parseAmount(input: string, options: ParseOptions = {}): Ore {
  let text = input.trim();
  if (options.allowGrouping) text = text.replace(/[\s\u00a0\u202f]/g, '');
  text = text.replace(EXTRA_ZERO_DECIMALS, '$1$2');
  const match = PLAIN.exec(text);
  if (!match) {
    const reason = /^[+-]?\d+[.,]\d{3,}-?$/.test(text)
      ? 'more than two decimals (fractions of an øre)'
      : 'expected digits with at most two decimals, like 1234.50';
    throw new MoneyFormatError(input, reason);
  }
  const [, leadingSign, whole, fraction = '', trailingSign] = match;
  if (leadingSign && trailingSign) throw new MoneyFormatError(input, 'two signs');
  const negative = leadingSign === '-' || trailingSign === '-';
  const digits = `${whole}${fraction.padEnd(2, '0')}`;
  const value = Number(digits);
  if (!Number.isSafeInteger(value)) throw new MoneyFormatError(input, 'too large');
  return ore(negative ? -value : value);
}

/** "123450" øre → "1234.50"; negative as "-72.00". Machine format for JSON and files. */
export function formatAmount(amount: Ore): string {
  const negative = amount < 0;
  const digits = String(Math.abs(amount)).padStart(3, '0');
  const text = `${digits.slice(0, -2)}.${digits.slice(-2)}`;
  return negative ? `-${text}` : text;
}

/** Human format with the locale's grouping and decimal sign; the digits still come from integers. */
export function formatAmountForPeople(amount: Ore, locale: string): string {
  const negative = amount < 0;
  const whole = Math.trunc(Math.abs(amount) / 100);
  const cents = String(Math.abs(amount) % 100).padStart(2, '0');
  const parts = new Intl.NumberFormat(locale, { useGrouping: true }).formatToParts(1.5);
  const decimal = parts.find((part) => part.type === 'decimal')?.value ?? ',';
  const wholeText = new Intl.NumberFormat(locale, { useGrouping: true }).format(whole);
  return `${negative ? '−' : ''}${wholeText}${decimal}${cents}`;
}
