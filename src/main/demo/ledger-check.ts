import { revenueVatCodes } from '../invoices/vat-codes';
import type { SandboxInvoice, SandboxVoucher } from '../sandboxes/server';

/**
 * BAS accounts of revenue and output VAT per rate (the se-bas preset): a Fortnox voucher row
 * carries no VAT code, so the account says which rate a row's amount belongs to.
 */
export const SWEDISH_REVENUE_ACCOUNTS: Readonly<Record<string, number>> = {
  '3001': 2500,
  '2611': 2500,
  '3002': 1200,
  '2621': 1200,
  '3003': 600,
  '2631': 600,
  '3004': 0,
};

/** How a ledger tells revenue per VAT rate: from a voucher line, and from an invoice line's VAT code. */
export interface LedgerRates {
  readonly ofVoucherLine: (line: SandboxVoucher['lines'][number]) => number | undefined;
  readonly ofInvoiceCode: ReadonlyMap<string, number>;
}

const NORWEGIAN_RATE_OF_CODE = revenueVatCodes('NO');

/** Norwegian targets: the VAT code on every line (3/31/33/5; tips, code 6, are not revenue). */
export const NORWEGIAN_LEDGER: LedgerRates = {
  ofVoucherLine: (line) => (line.vatCode === null ? undefined : NORWEGIAN_RATE_OF_CODE.get(line.vatCode)),
  ofInvoiceCode: NORWEGIAN_RATE_OF_CODE,
};

/** Swedish targets (Fortnox): revenue and VAT accounts on vouchers, momskoder of the booked accounts on invoices. */
export const SWEDISH_LEDGER: LedgerRates = {
  ofVoucherLine: (line) => SWEDISH_REVENUE_ACCOUNTS[line.account],
  ofInvoiceCode: revenueVatCodes('SE'),
};

/**
 * Revenue incl. VAT per VAT rate as a target's ledger holds it: the Z vouchers' sales lines
 * (credits, so negated) plus the invoices' lines (net + VAT). Compared with the POS reports'
 * sales, it shows whether every sale was booked exactly once.
 */
export function ledgerRevenueByRate(
  vouchers: readonly SandboxVoucher[],
  invoices: readonly SandboxInvoice[],
  rates: LedgerRates = NORWEGIAN_LEDGER,
): Map<number, number> {
  const totals = new Map<number, number>();
  const add = (rate: number | undefined, amount: number) => {
    if (rate !== undefined) totals.set(rate, (totals.get(rate) ?? 0) + amount);
  };
  for (const voucher of vouchers) for (const line of voucher.lines) add(rates.ofVoucherLine(line), -line.amountOre);
  for (const invoice of invoices)
    for (const line of invoice.lines) add(rates.ofInvoiceCode.get(line.vatCode), line.netOre + line.vatOre);
  return totals;
}
