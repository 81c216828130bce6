import type { SandboxInvoice, SandboxVoucher } from '../sandboxes/server';

/** Norwegian output-VAT codes of revenue per rate (tips, code 6, are not revenue). */
export const REVENUE_VAT_CODES: Readonly<Record<number, string>> = { 2500: '3', 1500: '31', 1200: '33', 0: '5' };

/**
 * Revenue incl. VAT per VAT rate as a target's ledger holds it: the Z vouchers' sales lines
 * (credits, so negated) plus the invoices' lines (net + VAT). Compared with the POS reports'
 * sales, it shows whether every sale was booked exactly once.
 */
export function ledgerRevenueByRate(
  vouchers: readonly SandboxVoucher[],
  invoices: readonly SandboxInvoice[],
): Map<number, number> {
  const rateOf = new Map(Object.entries(REVENUE_VAT_CODES).map(([rate, code]) => [code, Number(rate)]));
  const totals = new Map<number, number>();
  const add = (code: string | null, amount: number) => {
    const rate = code === null ? undefined : rateOf.get(code);
    if (rate !== undefined) totals.set(rate, (totals.get(rate) ?? 0) + amount);
  };
  for (const voucher of vouchers) for (const line of voucher.lines) add(line.vatCode, -line.amountOre);
  for (const invoice of invoices) for (const line of invoice.lines) add(line.vatCode, line.netOre + line.vatOre);
  return totals;
}
