import { formatAmount, sum, ZERO, type Ore } from '../../../shared/money';
import type { Voucher } from '../../vouchers/voucher';
import { compactDate } from '../format';

/** One GBAT10 posting (one line of the file), before it is laid out in fields. */
export interface Gbat10Posting {
  readonly account: string;
  readonly vatCode: string;
  /** Field 8: the net amount. */
  readonly amount: Ore;
  readonly text: string;
  readonly department: string | null;
  /** Fields 26–27: `T` + amount incl. VAT (receiver generates VAT), `F` (receiver skips the line), or blank. */
  readonly gross: { readonly flag: 'T'; readonly sum: Ore } | { readonly flag: 'F' } | null;
}

/** Texts have no escape in GBAT10: `;` and line breaks are removed, and the field holds at most 100 characters. */
export function gbatText(text: string): string {
  return text
    .replace(/[;\r\n\t]+/g, ' ')
    .replace(/ {2,}/g, ' ')
    .trim()
    .slice(0, 100);
}

const FIELD_COUNT = 28;
const FIELD = {
  number: 1,
  date: 2,
  type: 3,
  period: 4,
  year: 5,
  account: 6,
  vatCode: 7,
  amount: 8,
  text: 20,
  department: 24,
  grossFlag: 26,
  grossSum: 27,
} as const;

/** What a receiver that generates VAT books (§3.2): the gross sum for `T`, nothing for `F`, field 8 otherwise. */
function grossAmount(posting: Gbat10Posting): Ore {
  if (posting.gross === null) return posting.amount;
  return posting.gross.flag === 'T' ? posting.gross.sum : ZERO;
}

/**
 * §3: the net (field 8) and the gross amounts must each sum to 0 per voucher, or one of the two ways
 * a receiver imports (with or without generating VAT) rejects or misposts it. Never write such a file.
 */
function assertBalanced(number: number, postings: readonly Gbat10Posting[]): void {
  const net = sum(postings.map((posting) => posting.amount));
  const gross = sum(postings.map(grossAmount));
  if (net !== 0 || gross !== 0)
    throw new Error(
      `GBAT10 voucher ${number} does not balance: the net amounts (field 8) sum to ${formatAmount(net)}, ` +
        `the gross amounts to ${formatAmount(gross)}`,
    );
}

/**
 * The lines of one voucher per shared/specs/gbat10.md §2 (GBAT10 itself, and Duett's import of
 * it): field 0 `GBAT10`, number, date, type, period, year, account, VAT code, amount, text,
 * department, gross flag and sum. Trailing empty fields are left out; fields in between keep their `;`.
 * Throws when the postings do not balance on both amount columns.
 */
export function gbat10Lines(
  voucher: Voucher,
  head: { readonly number: number; readonly voucherType: number },
  postings: readonly Gbat10Posting[],
): string[] {
  assertBalanced(head.number, postings);
  const [year, month] = voucher.date.split('-');
  return postings.map((posting) => {
    const fields = new Array<string>(FIELD_COUNT).fill('');
    fields[0] = 'GBAT10';
    fields[FIELD.number] = String(head.number);
    fields[FIELD.date] = compactDate(voucher.date);
    fields[FIELD.type] = String(head.voucherType);
    fields[FIELD.period] = String(Number(month));
    fields[FIELD.year] = year ?? '';
    fields[FIELD.account] = posting.account;
    fields[FIELD.vatCode] = posting.vatCode;
    fields[FIELD.amount] = formatAmount(posting.amount);
    fields[FIELD.text] = gbatText(posting.text);
    fields[FIELD.department] = posting.department === null ? '' : gbatText(posting.department);
    if (posting.gross) {
      fields[FIELD.grossFlag] = posting.gross.flag;
      if (posting.gross.flag === 'T') fields[FIELD.grossSum] = formatAmount(posting.gross.sum);
    }
    while (fields.length > FIELD.text + 1 && fields.at(-1) === '') fields.pop();
    return fields.join(';');
  });
}
