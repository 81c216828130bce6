import { add, negate, type Ore } from '../../shared/money';
import { vatOfNet, type InvoiceLine, type InvoiceSale, type InvoiceVatRateBp } from './invoice';
import { norwegianVatCode } from './vat-codes';

/** Whether a target's invoice lines take prices excluding VAT (it adds the VAT) or including it. */
export type LineBasis = 'net' | 'gross';

/** One line as a target receives it, with the product it is sold under. */
export interface TargetInvoiceLine {
  /** Product per VAT rate, plus one tip and one fee product, so targets never guess VAT from a price. */
  readonly productNumber: string;
  readonly productName: string;
  readonly description: string;
  readonly vatRateBp: InvoiceVatRateBp;
  /** Norwegian standard VAT code (3, 31, 33, 5; 6 for tips). */
  readonly vatCode: string;
  /** The unit price to send (count 1): net or gross as the target expects, never both. */
  readonly price: Ore;
  readonly net: Ore;
  readonly vat: Ore;
}

const PRODUCT_NAMES = {
  goods: 'Salg fra kasse',
  tip: 'Tips',
  fee: 'Gebyr',
} as const;

export function productFor(line: Pick<InvoiceLine, 'kind' | 'vatRateBp'>): { number: string; name: string } {
  if (line.kind === 'tip') return { number: 'KB-TIPS', name: PRODUCT_NAMES.tip };
  const rate = line.vatRateBp / 100;
  return {
    number: `KB-${line.kind === 'fee' ? 'GEBYR' : 'VARE'}-${rate}`,
    name: `${PRODUCT_NAMES[line.kind]} ${rate} % mva`,
  };
}

/**
 * The invoice's lines for a target. A net-basis target gets prices excluding VAT and adds the VAT
 * itself (sending gross there would add the VAT a second time).
 */
export function targetLines(sale: Pick<InvoiceSale, 'lines'>, basis: LineBasis): TargetInvoiceLine[] {
  return sale.lines.map((line) => {
    const product = productFor(line);
    return {
      productNumber: product.number,
      productName: product.name,
      description: line.articleGroup ? `${line.description} (${line.articleGroup})` : line.description,
      vatRateBp: line.vatRateBp,
      vatCode: norwegianVatCode(line),
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
