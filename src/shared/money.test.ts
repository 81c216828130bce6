import { describe, expect, it } from 'vitest';
import {
  abs,
  add,
  formatAmount,
  netForGross,
  vatOnNet,
  formatAmountForPeople,
  MoneyFormatError,
  negate,
  ore,
  parseAmount,
  sum,
} from './money';

describe('parseAmount', () => {
  it.each([
    ['1234.50', 123450],
    ['1234,50', 123450],
    ['0.5', 50],
    ['0,05', 5],
    ['72', 7200],
    ['-72.00', -7200],
    ['+3.10', 310],
    ['72.00-', -7200],
    ['0.00', 0],
    ['-0.00', 0],
    ['  19.90 ', 1990],
    ['12.3400', 1234],
    ['90071992547409.91', 9007199254740991],
  ])('reads %s as %i øre', (text, expected) => {
    expect(parseAmount(text)).toBe(expected);
  });

  it('keeps -0 out of results', () => {
    expect(Object.is(parseAmount('-0.00'), -0)).toBe(false);
  });

  it('reads Nordic grouping only when asked', () => {
    expect(parseAmount('1 234 567,89', { allowGrouping: true })).toBe(123456789);
    expect(parseAmount('1\u00a0234,50', { allowGrouping: true })).toBe(123450);
    expect(() => parseAmount('1 234,50')).toThrow(MoneyFormatError);
  });

  it('refuses fractions of an øre instead of rounding them away', () => {
    expect(() => parseAmount('12.345')).toThrow(/more than two decimals/);
  });

  it.each(['', 'abc', '1.2.3', '--5', '-5-', '1e3', 'NaN', '12.', '.5', '99999999999999999.00'])(
    'refuses %j with a message naming the input',
    (text) => {
      expect(() => parseAmount(text)).toThrow(MoneyFormatError);
      try {
        parseAmount(text);
      } catch (error) {
        expect((error as Error).message).toContain(`"${text}"`);
      }
    },
  );
});

describe('formatAmount', () => {
  it.each([
    [123450, '1234.50'],
    [5, '0.05'],
    [50, '0.50'],
    [0, '0.00'],
    [-7200, '-72.00'],
    [-5, '-0.05'],
    [9007199254740991, '90071992547409.91'],
  ])('writes %i øre as %s', (value, expected) => {
    expect(formatAmount(ore(value))).toBe(expected);
  });

  it('round-trips every amount between -10 and 10 kroner exactly', () => {
    for (let value = -1000; value <= 1000; value += 1) {
      expect(parseAmount(formatAmount(ore(value)))).toBe(value);
    }
  });

  it('formats for people with the locale separators', () => {
    expect(formatAmountForPeople(ore(123456789), 'en-GB')).toBe('1,234,567.89');
    expect(formatAmountForPeople(ore(-7205), 'en-GB')).toBe('−72.05');
    expect(formatAmountForPeople(ore(123450), 'nb-NO')).toMatch(/^1\s234,50$/u);
  });
});

describe('øre arithmetic', () => {
  it('refuses floats and unsafe integers', () => {
    expect(() => ore(0.1)).toThrow(RangeError);
    expect(() => ore(Number.MAX_SAFE_INTEGER + 1)).toThrow(RangeError);
  });

  it('adds without float drift', () => {
    // 0.10 + 0.20 in floats is 0.30000000000000004; in øre it is exactly 30.
    expect(add(parseAmount('0.10'), parseAmount('0.20'))).toBe(30);
    expect(formatAmount(sum(Array.from({ length: 1000 }, () => parseAmount('0.01'))))).toBe('10.00');
    expect(negate(ore(5))).toBe(-5);
    expect(abs(ore(-5))).toBe(5);
    expect(Object.is(negate(ore(0)), -0)).toBe(false);
  });
});

describe('VAT a target computes on a net amount', () => {
  it('rounds half away from zero, exactly even past 2^53 / rate', () => {
    expect(vatOnNet(ore(7000_00), 2500)).toBe(1750_00);
    expect(vatOnNet(ore(2), 2500)).toBe(1);
    expect(vatOnNet(ore(-2), 2500)).toBe(-1);
    expect(vatOnNet(ore(1), 2500)).toBe(0);
    expect(vatOnNet(ore(10 ** 13), 2500)).toBe(2.5 * 10 ** 12);
  });

  it('finds the net whose gross is ours, or the closest below where none is', () => {
    for (const [gross, rate] of [
      [8750_00, 2500],
      [50_154, 2500],
      [10_000, 1500],
      [12_345, 1200],
      [10 ** 13 + 7, 2500],
    ] as const) {
      const net = netForGross(ore(gross), rate);
      expect(Math.abs(gross - net - vatOnNet(net, rate))).toBeLessThanOrEqual(1);
    }
    // At 25 % a gross of 2 øre has no net (1 → 1, 2 → 3).
    expect(netForGross(ore(2), 2500)).toBe(1);
    expect(netForGross(ore(3), 2500)).toBe(2);
  });
});
