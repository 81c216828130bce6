import { add, formatAmount, negate, sum, ZERO, type Ore } from '../../shared/money';
import type { LineKey } from '../../shared/settlement-keys';
import type { SettlementRef } from '../../shared/problems';

export type VoucherLineRole = 'entry' | 'vat' | 'residual';

export interface VoucherLine {
  readonly key: LineKey;
  readonly role: VoucherLineRole;
  readonly account: string;
  readonly vatCode: string | null;
  /** Signed: debit positive, credit negative. */
  readonly amount: Ore;
  /**
   * VAT the target will add on top of this line (only when a target takes net amounts with a VAT
   * code); it counts towards the balance because the target posts it.
   */
  readonly impliedVat: Ore;
  readonly department: string | null;
  readonly text: string;
}

export interface Voucher {
  readonly settlement: SettlementRef;
  readonly date: string;
  readonly description: string;
  readonly lines: readonly VoucherLine[];
}

/** Debit minus credit, including VAT the target derives; zero for every voucher we may send. */
export function imbalance(lines: readonly VoucherLine[]): Ore {
  return sum(lines.map((line) => add(line.amount, line.impliedVat)));
}

export function isBalanced(voucher: Pick<Voucher, 'lines'>): boolean {
  return imbalance(voucher.lines) === 0;
}

/** The CLI/JSON shape: decimal strings, debit and credit as separate columns. */
export interface VoucherJson {
  readonly id: number | null;
  readonly settlement: {
    readonly id: number;
    readonly registerId: string;
    readonly number: string;
    readonly businessDate: string;
    readonly kind: 'Z' | 'X';
  };
  readonly date: string;
  readonly description: string;
  readonly lines: readonly {
    readonly account: string;
    readonly vatCode: string | null;
    readonly debit: string;
    readonly credit: string;
    readonly text: string;
    readonly department: string | null;
  }[];
  readonly balanced: boolean;
}

export function voucherToJson(voucher: Voucher, id: number | null): VoucherJson {
  const zero = formatAmount(ZERO);
  return {
    id,
    settlement: {
      id: voucher.settlement.id,
      registerId: voucher.settlement.registerId,
      number: voucher.settlement.reportNumber,
      businessDate: voucher.settlement.businessDate,
      kind: voucher.settlement.kind,
    },
    date: voucher.date,
    description: voucher.description,
    lines: voucher.lines.map((line) => ({
      account: line.account,
      vatCode: line.vatCode,
      debit: line.amount > 0 ? formatAmount(line.amount) : zero,
      credit: line.amount < 0 ? formatAmount(negate(line.amount)) : zero,
      text: line.text,
      department: line.department,
    })),
    balanced: isBalanced(voucher),
  };
}
