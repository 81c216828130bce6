import { add, negate, sum, ZERO, type Ore } from '../../shared/money';
import { SETTLEMENT_KEYS, type SettlementKey } from '../../shared/settlement-keys';
import type { Settlement, SettlementLine } from '../domain/settlement';
import { invoiceTotals, type InvoiceSale, type InvoiceVatRateBp } from './invoice';

const SALES_KEY: Readonly<Record<InvoiceVatRateBp, SettlementKey>> = {
  2500: 'sales_25',
  1500: 'sales_15',
  1200: 'sales_12',
  600: 'sales_6',
  0: 'sales_0',
};

/** Tip keys a POS may have counted an invoice's tip under, in the order they are drawn from. */
const TIP_KEYS = (Object.keys(SETTLEMENT_KEYS) as SettlementKey[]).filter(
  (key) => SETTLEMENT_KEYS[key].group === 'tips' && SETTLEMENT_KEYS[key].side === 'credit',
);

export const INVOICE_CLEARING_SOURCE = 'invoices';

export interface ClearedSettlement {
  readonly settlement: Settlement;
  /** What the POS reported as paid by invoice minus the invoices read: stays on the clearing account. */
  readonly clearingOpen: Ore;
  /** Invoice tips the report had no tips to draw from (booked by the invoice only). */
  readonly tipsUnmatched: Ore;
}

/**
 * The Z-report with its invoice sales moved off revenue: for each invoice, its revenue per VAT
 * rate and its tips leave the sales/tips keys, and its gross leaves the invoice payment key
 * (1530 / "Faktura"). Lines are added (not edited) and tagged 'invoices', so the voucher builder
 * nets them per key and an auditor can still see where the figures came from. The invoice itself
 * carries the revenue at the target, so it is booked exactly once.
 */
export function clearInvoiceSales(settlement: Settlement, invoices: readonly InvoiceSale[]): ClearedSettlement {
  const reportedByInvoice = sum(settlement.lines.filter((line) => line.key === 'invoice').map((line) => line.amount));
  if (invoices.length === 0) return { settlement, clearingOpen: reportedByInvoice, tipsUnmatched: ZERO };
  const added: SettlementLine[] = [];
  const tag = { sourceCode: INVOICE_CLEARING_SOURCE } as const;
  let gross = ZERO;
  let tips = ZERO;
  const byRate = new Map<InvoiceVatRateBp, { net: Ore; vat: Ore }>();
  for (const invoice of invoices) {
    const totals = invoiceTotals(invoice);
    gross = add(gross, totals.gross);
    tips = add(tips, totals.tips);
    for (const [rate, amounts] of totals.revenueByRate) {
      const seen = byRate.get(rate) ?? { net: ZERO, vat: ZERO };
      byRate.set(rate, { net: add(seen.net, amounts.net), vat: add(seen.vat, amounts.vat) });
    }
  }
  for (const [rate, amounts] of [...byRate].sort(([a], [b]) => b - a)) {
    added.push({ key: SALES_KEY[rate], amount: negate(amounts.net), vat: negate(amounts.vat), ...tag });
  }
  let tipsLeft = tips;
  for (const key of TIP_KEYS) {
    if (tipsLeft <= 0) break;
    const available = sum(settlement.lines.filter((line) => line.key === key).map((line) => line.amount));
    const taken = Math.min(available, tipsLeft) as Ore;
    if (taken <= 0) continue;
    added.push({ key, amount: negate(taken), vat: ZERO, ...tag });
    tipsLeft = add(tipsLeft, negate(taken));
  }
  // The invoices' tips that the report did not count as tips were counted nowhere; leave them on 1530.
  const cleared = add(gross, negate(tipsLeft));
  added.push({ key: 'invoice', amount: negate(cleared), vat: ZERO, ...tag });
  return {
    settlement: { ...settlement, lines: [...settlement.lines, ...added] },
    clearingOpen: add(reportedByInvoice, negate(cleared)),
    tipsUnmatched: tipsLeft,
  };
}
