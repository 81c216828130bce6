import { add, formatAmount, ZERO, type Ore } from '../../../shared/money';
import { parseRateBp } from '../sales-key';

/** Running sums of the receipts that belong to one Z report; a few numbers, whatever the file size. */
export interface TransactionTotals {
  receipts: number;
  /** By VAT percentage as written (normalised when compared). */
  byRate: Map<string, { net: Ore; vat: Ore }>;
  /** By the POS's own payment code. */
  byPayment: Map<string, Ore>;
  rounding: Ore;
  signDisagreements: number;
  firstDisagreement?: string;
}

export function newTotals(): TransactionTotals {
  return { receipts: 0, byRate: new Map(), byPayment: new Map(), rounding: ZERO, signDisagreements: 0 };
}

interface ReportTotals {
  readonly vats: readonly { perc: string; net: Ore; vat: Ore }[];
  readonly payments: readonly { code: string; amount: Ore }[];
  readonly totals: TransactionTotals;
}

function rateLabel(perc: string): string {
  const bp = parseRateBp(perc);
  return bp === undefined ? perc : `${bp / 100} %`;
}

function addTo<T>(map: Map<string, T>, key: string, value: T, plus: (a: T, b: T) => T): void {
  const current = map.get(key);
  map.set(key, current === undefined ? value : plus(current, value));
}

/**
 * The Z report's own totals against the sum of the receipts in its period. The report is what is
 * posted; every difference becomes a warning on that settlement for a person to look at.
 */
export function compareWithTransactions(report: ReportTotals): string[] {
  const { totals } = report;
  const warnings: string[] = [];
  if (totals.receipts === 0) {
    if (report.vats.length > 0 || report.payments.some((payment) => payment.amount !== 0)) {
      warnings.push('no receipts in the file fall into this Z report, so its totals could not be checked');
    }
    return warnings;
  }
  const pair = (a: { net: Ore; vat: Ore }, b: { net: Ore; vat: Ore }) => ({
    net: add(a.net, b.net),
    vat: add(a.vat, b.vat),
  });
  const reported = new Map<string, { net: Ore; vat: Ore }>();
  for (const row of report.vats) addTo(reported, rateLabel(row.perc), { net: row.net, vat: row.vat }, pair);
  const counted = new Map<string, { net: Ore; vat: Ore }>();
  for (const [perc, row] of totals.byRate) addTo(counted, rateLabel(perc), row, pair);
  for (const rate of new Set([...reported.keys(), ...counted.keys()])) {
    const z = reported.get(rate) ?? { net: ZERO, vat: ZERO };
    const receipts = counted.get(rate) ?? { net: ZERO, vat: ZERO };
    if (z.net !== receipts.net || z.vat !== receipts.vat) {
      warnings.push(
        `sales at ${rate}: the Z report says net ${formatAmount(z.net)} VAT ${formatAmount(z.vat)}, the receipts add up to net ${formatAmount(receipts.net)} VAT ${formatAmount(receipts.vat)}`,
      );
    }
  }
  const paid = new Map<string, Ore>();
  for (const payment of report.payments) addTo(paid, payment.code, payment.amount, (a, b) => add(a, b));
  for (const code of new Set([...paid.keys(), ...totals.byPayment.keys()])) {
    const z = paid.get(code) ?? ZERO;
    const receipts = totals.byPayment.get(code) ?? ZERO;
    if (z !== receipts) {
      warnings.push(
        `payments ${code}: the Z report says ${formatAmount(z)}, the receipts add up to ${formatAmount(receipts)}`,
      );
    }
  }
  if (totals.signDisagreements > 0) {
    warnings.push(
      `${totals.signDisagreements} amounts have a C/D type that disagrees with their written sign (first: ${totals.firstDisagreement}); read as written`,
    );
  }
  return warnings;
}
