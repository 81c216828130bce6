import { keyInfo } from '../../shared/settlement-keys';
import { revenueVatCodes } from '../invoices/vat-codes';
import type { Kontooppsett } from '../mapping/kontooppsett';
import { PRESETS } from '../mapping/presets';
import type { SandboxInvoice, SandboxVoucher } from '../sandboxes/server';

/**
 * Revenue and output-VAT accounts per rate as a kontooppsett maps the sales keys (the se-bas
 * preset for Fortnox: 3001/2611 25 %, 3002/2621 12 %, 3003/2631 6 %, 3004 0 %). A Fortnox voucher
 * row carries no VAT code, so the account says which rate a row's amount belongs to.
 */
export function revenueAccounts(kontooppsett: Kontooppsett): ReadonlyMap<string, number> {
  const accounts = new Map<string, number>();
  for (const entry of kontooppsett.entries) {
    const rate = keyInfo(entry.key).vatRateBp;
    if (keyInfo(entry.key).group !== 'sales' || rate === undefined) continue;
    for (const account of [entry.account, entry.vatAccount]) if (account) accounts.set(account, rate);
  }
  return accounts;
}

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

const SWEDISH_REVENUE_ACCOUNTS = revenueAccounts(PRESETS['se-bas'].kontooppsett);

/** Swedish targets (Fortnox): revenue and VAT accounts on vouchers, momskoder of the booked accounts on invoices. */
export const SWEDISH_LEDGER: LedgerRates = {
  ofVoucherLine: (line) => SWEDISH_REVENUE_ACCOUNTS.get(line.account),
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
