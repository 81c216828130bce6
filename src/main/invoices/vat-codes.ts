import type { InvoiceCountry, InvoiceLine } from './invoice';

/**
 * The standard output-VAT code of an invoice line per country. Norway: 3 (25 %), 31 (15 %),
 * 33 (12 %), 5 (0 %, within the VAT act) and 6 for tips, which are outside the VAT act. Sweden:
 * the momskoder Fortnox puts on BAS sales accounts, MP1 (25 %), MP2 (12 %), MP3 (6 %), MF (exempt);
 * a tip is no sale and has no momskod at all (empty), so it is never counted as exempt revenue.
 */
const VAT_CODES: Readonly<
  Record<InvoiceCountry, { readonly byRate: Readonly<Record<number, string>>; readonly tip: string }>
> = {
  NO: { byRate: { 2500: '3', 1500: '31', 1200: '33', 0: '5' }, tip: '6' },
  SE: { byRate: { 2500: 'MP1', 1200: 'MP2', 600: 'MP3', 0: 'MF' }, tip: '' },
};

export function vatCodeOf(line: Pick<InvoiceLine, 'kind' | 'vatRateBp'>, country: InvoiceCountry = 'NO'): string {
  const codes = VAT_CODES[country];
  if (line.kind === 'tip') return codes.tip;
  const code = codes.byRate[line.vatRateBp];
  if (code === undefined) throw new Error(`${line.vatRateBp / 100} % is no ${country} VAT rate`);
  return code;
}

/** The revenue VAT codes of a country and their rates (tips, Norway's 6, are no revenue). */
export function revenueVatCodes(country: InvoiceCountry): ReadonlyMap<string, number> {
  return new Map(Object.entries(VAT_CODES[country].byRate).map(([rate, code]) => [code, Number(rate)]));
}
