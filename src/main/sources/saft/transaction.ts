import { add, ZERO, type Ore } from '../../../shared/money';
import { isDummyCode } from './codes';
import type { TransactionTotals } from './cross-check';

/** "-0.00" and "0" are zero; a leading "-" is negative. Enough for a sign check without parsing. */
function writtenSign(text: string): -1 | 0 | 1 {
  if (!/[1-9]/.test(text)) return 0;
  return text.trimStart().startsWith('-') ? -1 : 1;
}

interface VatFields {
  perc: string;
  amount: string;
  base: string;
}

type ParseField = (field: string, value: string) => Ore;

/**
 * One receipt while it is being read; folded into its Z report's totals when it closes. Only the
 * handful of fields the cross-check needs are kept, in plain properties: this is the hot path.
 */
export class Transaction {
  id = '';
  date = '';
  time = '';
  hasAmount = false;
  private amountIn = '';
  /** Void and training receipts are not sales. */
  excluded = false;
  private lineType = '';
  private lineAmountIn = '';
  private lineAmountEx = '';
  private vat: VatFields = { perc: '', amount: '', base: '' };
  private paymentType = '';
  private paid = '';
  private readonly lineVats: { perc: string; base: Ore; vat: Ore }[] = [];
  private readonly receiptVats: { perc: string; base: Ore; vat: Ore }[] = [];
  private readonly payments: { code: string; amount: Ore }[] = [];
  private rounding = ZERO;
  private signDisagreements = 0;

  constructor(readonly line: number) {}

  open(name: string, parent: string | undefined): void {
    if (name === 'ctLine') {
      this.lineType = '';
      this.lineAmountIn = '';
      this.lineAmountEx = '';
    } else if (name === 'vat') this.vat = { perc: '', amount: '', base: '' };
    else if (name === 'payment' && parent === 'cashtransaction') {
      this.paymentType = '';
      this.paid = '';
    }
  }

  close(
    name: string,
    parent: string | undefined,
    grandparent: string | undefined,
    value: string,
    amount: ParseField,
  ): void {
    if (parent === 'cashtransaction') {
      switch (name) {
        case 'transID':
          this.id = value;
          return;
        case 'transDate':
          this.date = value;
          return;
        case 'transTime':
          this.time = value;
          return;
        case 'transAmntIn':
          this.amountIn = value;
          this.hasAmount = value !== '';
          return;
        case 'amntTp':
          this.checkSign(value, this.amountIn);
          return;
        case 'voidTransaction':
        case 'trainingID':
          if (value === 'true') this.excluded = true;
          return;
        case 'ctLine':
          this.checkSign(this.lineType, this.lineAmountIn);
          return;
        case 'vat':
          this.receiptVats.push(this.vatRow(amount));
          return;
        case 'payment': {
          const paid = amount('paidAmnt', this.paid || '0');
          if (!(isDummyCode(this.paymentType) && paid === 0))
            this.payments.push({ code: this.paymentType, amount: paid });
          return;
        }
      }
      return;
    }
    if (parent === 'ctLine') {
      if (name === 'vat') this.lineVats.push(this.vatRow(amount));
      else if (name === 'amntTp') this.lineType = value;
      else if (name === 'lineAmntIn') this.lineAmountIn = value;
      else if (name === 'lineAmntEx') this.lineAmountEx = value;
    } else if (parent === 'vat' && (grandparent === 'ctLine' || grandparent === 'cashtransaction')) {
      if (name === 'vatPerc') this.vat.perc = value;
      else if (name === 'vatAmnt') this.vat.amount = value;
      else if (name === 'vatBasAmnt') this.vat.base = value;
    } else if (parent === 'payment') {
      if (name === 'paymentType') this.paymentType = value;
      else if (name === 'paidAmnt') this.paid = value;
    } else if (parent === 'rounding' && name === 'roundingAmnt') {
      this.rounding = add(this.rounding, amount(name, value));
    }
  }

  private vatRow(amount: ParseField): { perc: string; base: Ore; vat: Ore } {
    return {
      perc: this.vat.perc,
      base: amount('vatBasAmnt', this.vat.base || this.lineAmountEx || '0'),
      vat: amount('vatAmnt', this.vat.amount || '0'),
    };
  }

  private checkSign(type: string, written: string): void {
    if (!type || !written) return;
    const sign = writtenSign(written);
    if ((type === 'C' && sign < 0) || (type === 'D' && sign > 0)) this.signDisagreements += 1;
  }

  addTo(totals: TransactionTotals): void {
    totals.receipts += 1;
    for (const row of this.lineVats.length > 0 ? this.lineVats : this.receiptVats) {
      const rate = totals.byRate.get(row.perc) ?? { net: ZERO, vat: ZERO };
      totals.byRate.set(row.perc, { net: add(rate.net, row.base), vat: add(rate.vat, row.vat) });
    }
    for (const payment of this.payments) {
      totals.byPayment.set(payment.code, add(totals.byPayment.get(payment.code) ?? ZERO, payment.amount));
    }
    totals.rounding = add(totals.rounding, this.rounding);
    if (this.signDisagreements > 0) {
      totals.signDisagreements += this.signDisagreements;
      totals.firstDisagreement ??= `transaction ${this.id || '?'} (line ${this.line})`;
    }
  }
}
