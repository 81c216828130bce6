import { add, negate, type Ore } from '../../shared/money';
import {
  invoiceCountry,
  vatOfNet,
  type InvoiceCountry,
  type InvoiceLine,
  type InvoiceSale,
  type InvoiceVatRateBp,
} from './invoice';
import { vatCodeOf } from './vat-codes';

/** Whether a target's invoice lines take prices excluding VAT (it adds the VAT) or including it. */
export type LineBasis = 'net' | 'gross';

/** One line as a target receives it, with the product it is sold under. */
export interface TargetInvoiceLine {
  /** Product per VAT rate, plus one tip and one fee product, so targets never guess VAT from a price. */
  readonly productNumber: string;
  readonly productName: string;
  readonly description: string;
  readonly vatRateBp: InvoiceVatRateBp;
  /** The country's standard VAT code (NO: 3, 31, 33, 5; 6 for tips. SE: MP1, MP2, MP3, MF; none for tips). */
  readonly vatCode: string;
  /** The unit price to send (count 1): net or gross as the target expects, never both. */
  readonly price: Ore;
  readonly net: Ore;
  readonly vat: Ore;
}

/** Product names in the shop's language; the numbers are the same everywhere. */
const PRODUCT_NAMES: Readonly<Record<InvoiceCountry, Readonly<Record<InvoiceLine['kind'] | 'vat', string>>>> = {
  NO: { goods: 'Salg fra kasse', tip: 'Tips', fee: 'Gebyr', vat: 'mva' },
  SE: { goods: 'Försäljning från kassa', tip: 'Dricks', fee: 'Avgift', vat: 'moms' },
};

export function productFor(
  line: Pick<InvoiceLine, 'kind' | 'vatRateBp'>,
  country: InvoiceCountry = 'NO',
): { number: string; name: string } {
  const names = PRODUCT_NAMES[country];
  if (line.kind === 'tip') return { number: 'KB-TIPS', name: names.tip };
  const rate = line.vatRateBp / 100;
  return {
    number: `KB-${line.kind === 'fee' ? 'GEBYR' : 'VARE'}-${rate}`,
    name: `${names[line.kind]} ${rate} % ${names.vat}`,
  };
}

/**
 * The invoice's lines for a target. A net-basis target gets prices excluding VAT and adds the VAT
 * itself (sending gross there would add the VAT a second time).
 */
export function targetLines(sale: Pick<InvoiceSale, 'lines' | 'country'>, basis: LineBasis): TargetInvoiceLine[] {
  const country = invoiceCountry(sale);
  return sale.lines.map((line) => {
    const product = productFor(line, country);
    return {
      productNumber: product.number,
      productName: product.name,
      description: line.articleGroup ? `${line.description} (${line.articleGroup})` : line.description,
      vatRateBp: line.vatRateBp,
      vatCode: vatCodeOf(line, country),
      price: basis === 'net' ? line.net : add(line.net, line.vat),
      net: line.net,
      vat: line.vat,
    };
  });
}

/**
 * Lines whose VAT a net-basis target would compute differently from the POS (it rounds
 * net × rate); the difference in øre, so the sync can say so instead of silently drifting.
 */
export function vatDrift(sale: Pick<InvoiceSale, 'lines'>): Ore[] {
  return sale.lines
    .map((line) => add(line.vat, negate(vatOfNet(line.net, line.vatRateBp))))
    .filter((difference) => difference !== 0);
}
