import { describe, expect, it } from 'vitest';
import { parseAmount } from '../../../shared/money';
import { isWithinSaftLimit, MAX_SAFT_ORE, parseSaftAmount } from './amount';

function outcome(parse: (text: string) => number, text: string): string {
  try {
    return `= ${parse(text)}`;
  } catch (error) {
    return `${(error as Error).name}: ${(error as Error).message}`;
  }
}

describe('parseSaftAmount', () => {
  it('reads the usual spellings exactly', () => {
    expect(['125.00', '125,5', '-0.01', '-0.00', '0', '9999999999999.99'].map(parseSaftAmount)).toEqual([
      12500, 12550, -1, 0, 0, 999999999999999,
    ]);
  });

  it('accepts and refuses exactly what parseAmount does, on 20 000 random texts, a quarter of them amounts', () => {
    // Mostly digits, so that many texts are amounts, near-amounts or too long for the fast path.
    const alphabet = '0123456789012345678901234567890123456789.,-+ ';
    let state = 42;
    const random = (below: number): number => {
      state = (state * 1103515245 + 12345) % 2147483648;
      return Math.floor((state / 2147483648) * below);
    };
    const differences: string[] = [];
    let amounts = 0;
    for (let index = 0; index < 20_000; index += 1) {
      const text = Array.from({ length: random(20) }, () => alphabet[random(alphabet.length)]).join('');
      const [fast, reference] = [outcome(parseSaftAmount, text), outcome(parseAmount, text)];
      if (fast !== reference) differences.push(`"${text}": ${fast} / ${reference}`);
      if (reference.startsWith('=')) amounts += 1;
    }
    expect(differences).toEqual([]);
    expect(amounts).toBeGreaterThan(5000);
  });
});

describe('isWithinSaftLimit', () => {
  it('holds ±10^13 øre and no more', () => {
    expect([MAX_SAFT_ORE, -MAX_SAFT_ORE, MAX_SAFT_ORE + 1, -MAX_SAFT_ORE - 1].map(isWithinSaftLimit)).toEqual([
      true,
      true,
      false,
      false,
    ]);
  });
});
