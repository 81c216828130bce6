import { formatAmount, type Ore } from '../../shared/money';

/**
 * The largest amount an import accepts, in øre, for one line, for the sum of one key in a report and
 * for a report's debit or credit total: 10^13 øre = 100 000 000 000.00, far beyond any shop's day.
 * 2^53 / 10^13 ≈ 900, so vouchers, day totals and reports over several hundred days can add such
 * sums without leaving the integers a float holds exactly (Number.MAX_SAFE_INTEGER).
 */
export const MAX_IMPORT_ORE = 10_000_000_000_000;

const BEYOND = `beyond the largest amount an import accepts (±${formatAmount(MAX_IMPORT_ORE as Ore)})`;

/** Why `amount` is out of bounds, or null when it is within them. */
export function amountOutOfBound(amount: number): string | null {
  return Math.abs(amount) <= MAX_IMPORT_ORE ? null : `${formatAmount(amount as Ore)} is ${BEYOND}`;
}

/**
 * Running sums of one report — per key, and its debit and credit totals — each held within
 * MAX_IMPORT_ORE. A reader adds each line as it reads it, so an overflow is named at the line that
 * causes it. Sums stay below 2 × MAX_IMPORT_ORE before the check, so they are always exact.
 */
export class ReportSums {
  private readonly sums = new Map<string, number>();

  /** Adds `amount` to the sum called `name`; the reason when that sum leaves the bound, else null. */
  add(name: string, amount: Ore): string | null {
    const lineProblem = amountOutOfBound(amount);
    if (lineProblem) return lineProblem;
    const total = (this.sums.get(name) ?? 0) + amount;
    this.sums.set(name, total);
    return Math.abs(total) <= MAX_IMPORT_ORE
      ? null
      : `the ${name} of this report reaches ${formatAmount(total as Ore)}, ${BEYOND}`;
  }

  /** Adds a debit-positive amount to the report's debit or credit total. */
  addSigned(signed: Ore): string | null {
    return signed >= 0 ? this.add('debit total', signed) : this.add('credit total', signed);
  }
}
