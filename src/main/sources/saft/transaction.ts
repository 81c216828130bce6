import { ZERO, type Ore } from '../../../shared/money';
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

/** The reader's amount parsing and summing: each refuses with this file's name, line and field. */
export interface AmountReader {
  amount(field: string, value: string): Ore;
  /** total + amount, refused when it passes the limit. */
  sum(total: Ore, amount: Ore, field: string): Ore;
}

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

  constructor(
    readonly line: number,
    private readonly amounts: AmountReader,
  ) {}

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

  close(name: string, parent: string | undefined, grandparent: string | undefined, value: string): void {
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
          this.receiptVats.push(this.vatRow());
          return;
        case 'payment': {
          const paid = this.amounts.amount('paidAmnt', this.paid || '0');
          if (!(isDummyCode(this.paymentType) && paid === 0))
            this.payments.push({ code: this.paymentType, amount: paid });
          return;
        }
      }
      return;
    }
    if (parent === 'ctLine') {
      if (name === 'vat') this.lineVats.push(this.vatRow());
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
      this.rounding = this.amounts.sum(this.rounding, this.amounts.amount(name, value), name);
    }
  }

  private vatRow(): { perc: string; base: Ore; vat: Ore } {
    return {
      perc: this.vat.perc,
      base: this.amounts.amount('vatBasAmnt', this.vat.base || this.lineAmountEx || '0'),
      vat: this.amounts.amount('vatAmnt', this.vat.amount || '0'),
    };
  }

  private checkSign(type: string, written: string): void {
    if (!type || !written) return;
    const sign = writtenSign(written);
    if ((type === 'C' && sign < 0) || (type === 'D' && sign > 0)) this.signDisagreements += 1;
  }

  /** Folds this receipt into its Z report's running totals, in place. */
  addTo(totals: TransactionTotals): void {
    const { sum } = this.amounts;
    totals.receipts += 1;
    for (const row of this.lineVats.length > 0 ? this.lineVats : this.receiptVats) {
      const rate = totals.byRate.get(row.perc);
      if (rate) {
        rate.net = sum(rate.net, row.base, 'vatBasAmnt');
        rate.vat = sum(rate.vat, row.vat, 'vatAmnt');
      } else totals.byRate.set(row.perc, { net: row.base, vat: row.vat });
    }
    for (const payment of this.payments) {
      const total = totals.byPayment.get(payment.code);
      totals.byPayment.set(payment.code, total === undefined ? payment.amount : sum(total, payment.amount, 'paidAmnt'));
    }
    totals.rounding = sum(totals.rounding, this.rounding, 'roundingAmnt');
    if (this.signDisagreements > 0) {
      totals.signDisagreements += this.signDisagreements;
      totals.firstDisagreement ??= `transaction ${this.id || '?'} (line ${this.line})`;
    }
  }
}
