import type { InvoiceLine } from './invoice';

/**
 * The Norwegian standard output-VAT code of an invoice line: 3 (25 %), 31 (15 %), 33 (12 %),
 * 5 (0 %, within the VAT act) and 6 for tips, which are outside the VAT act.
 */
export function norwegianVatCode(line: Pick<InvoiceLine, 'kind' | 'vatRateBp'>): string {
  if (line.kind === 'tip') return '6';
  return { 2500: '3', 1500: '31', 1200: '33', 0: '5' }[line.vatRateBp];
}
