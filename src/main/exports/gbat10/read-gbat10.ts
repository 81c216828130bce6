import iconv from 'iconv-lite';
import { parseAmount, sum, ZERO, type Ore } from '../../../shared/money';
import { SourceError } from '../../sources/source-error';

export interface GbatPosting {
  readonly account: string;
  readonly vatCode: string;
  /** Field 8: the net amount (Saldo). */
  readonly amount: Ore;
  readonly text: string;
  readonly department: string;
  readonly grossFlag: '' | 'T' | 'F';
  /** Field 27, present with `T`. */
  readonly grossSum: Ore | null;
}

export interface GbatVoucher {
  readonly number: string;
  readonly date: string;
  readonly type: string;
  readonly period: string;
  readonly year: string;
  readonly postings: readonly GbatPosting[];
}

const AMOUNT = /^-?\d+(\.\d{1,2})?$/;

/** The amount the receiver books when it generates VAT: gross for `T`, nothing for `F`, field 8 otherwise. */
export function effectiveAmount(posting: GbatPosting): Ore {
  if (posting.grossFlag === 'T') return posting.grossSum ?? posting.amount;
  return posting.grossFlag === 'F' ? ZERO : posting.amount;
}

/**
 * Reads and checks a GBAT10 file as shared/specs/gbat10.md §7 describes: `GBAT10` in field 0,
 * valid date, numeric type/period/year/account/VAT code, amounts with at most 2 decimals, and
 * every voucher (lines sharing field 1) balancing on the effective amounts and on field 8 alone
 * (§3: a receiver imports one or the other, so both must sum to 0).
 */
export function readGbat10(
  bytes: Uint8Array,
  encoding = 'iso-8859-1',
  fileName = 'GBAT10 file',
  /** Duett also takes sub-accounts like `3000.1` (UNCONFIRMED). */
  accountPattern = /^\d+$/,
): GbatVoucher[] {
  const lines = iconv.decode(Buffer.from(bytes), encoding).split(/\r?\n/);
  if (lines.at(-1) === '') lines.pop();
  const vouchers = new Map<string, { head: Omit<GbatVoucher, 'postings'>; postings: GbatPosting[] }>();

  lines.forEach((text, index) => {
    const fail = (field: string | null, reason: string): never => {
      throw new SourceError(fileName, `line ${index + 1}`, field, reason);
    };
    const fields = text.split(';');
    const field = (at: number): string => fields[at] ?? '';
    if (field(0) !== 'GBAT10') fail('0', `expected "GBAT10", found "${field(0)}"`);
    if (fields.length < 9) fail(null, `only ${fields.length} fields; at least 9 are needed`);
    const numeric: [number, string][] = [
      [1, 'voucher number'],
      [3, 'voucher type'],
      [4, 'period'],
      [5, 'year'],
      [7, 'VAT code'],
    ];
    for (const [at, name] of numeric)
      if (!/^\d+$/.test(field(at))) fail(String(at), `${name} "${field(at)}" is not numeric`);
    if (!accountPattern.test(field(6))) fail('6', `account "${field(6)}" is not an account number`);
    if (!/^\d{8}$/.test(field(2))) fail('2', `"${field(2)}" is not a date YYYYMMDD`);
    if (!AMOUNT.test(field(8))) fail('8', `"${field(8)}" is not an amount like -1234.50`);
    const grossFlag = field(26);
    if (grossFlag !== '' && grossFlag !== 'T' && grossFlag !== 'F')
      fail('26', `gross flag "${grossFlag}" is not blank, T or F`);
    if (grossFlag === 'T' && !AMOUNT.test(field(27))) fail('27', `gross sum "${field(27)}" is not an amount`);

    const head = { number: field(1), date: field(2), type: field(3), period: field(4), year: field(5) };
    const voucher = vouchers.get(head.number) ?? { head, postings: [] };
    if (voucher.head.date !== head.date) fail('2', `voucher ${head.number} has lines with two dates`);
    voucher.postings.push({
      account: field(6),
      vatCode: field(7),
      amount: parseAmount(field(8)),
      text: field(20),
      department: field(24),
      grossFlag: grossFlag as GbatPosting['grossFlag'],
      grossSum: grossFlag === 'T' ? parseAmount(field(27)) : null,
    });
    vouchers.set(head.number, voucher);
  });

  return [...vouchers.values()].map(({ head, postings }) => {
    const balance = sum(postings.map(effectiveAmount));
    if (balance !== 0) throw new SourceError(fileName, `voucher ${head.number}`, null, `sums to ${balance} øre, not 0`);
    const net = sum(postings.map((posting) => posting.amount));
    if (net !== 0)
      throw new SourceError(fileName, `voucher ${head.number}`, '8', `net amounts sum to ${net} øre, not 0`);
    return { ...head, postings };
  });
}
