import { z } from 'zod';
import { add } from '../../../shared/money';
import type { Voucher, VoucherLine } from '../../vouchers/voucher';
import { baseFileSettingsSchema, lineRefusals, type FileFormat } from '../format';
import { outputVatPosting, vatAccountsSetting, withReportNumber } from '../output-vat';
import { gbat10Lines, type Gbat10Posting } from './gbat10-line';

export const gbat10VatCode = z.string().regex(/^\d{1,5}$/, 'a VAT code of at most 5 digits');

export const gbat10SettingsSchema = baseFileSettingsSchema.extend({
  /** Field 3, Bilagsart: the receiver's voucher type for daily settlements (UNCONFIRMED default 6). */
  voucherType: z.number().int().min(0).max(999).default(6),
  /** VAT code written on lines without VAT treatment: 0 in SAF-T style (Tripletex), 1 in Mamut. */
  noVatCode: gbat10VatCode.default('0'),
  encoding: z.enum(['iso-8859-1', 'utf-8']).default('iso-8859-1'),
  /**
   * VAT code → output-VAT account. When given, each line's VAT is also written as an `F` line on
   * that account, so the net amounts balance too (for receivers that import without generating VAT).
   */
  vatAccounts: vatAccountsSetting(z.string().regex(/^\d{1,7}$/, 'an account number'), {}),
});
export type Gbat10Settings = z.output<typeof gbat10SettingsSchema>;

/**
 * One voucher line in gross mode (§3.2): the VAT code, the net amount and `T` + the amount incl.
 * VAT; a line without VAT gets the no-VAT code. Duett's GBAT10 import reads the same lines.
 */
export function grossPosting(
  line: VoucherLine,
  voucher: Voucher,
  noVatCode: string,
  department: string | null,
): Gbat10Posting {
  const text = withReportNumber(line.text, voucher);
  if (line.vatCode === null)
    return { account: line.account, vatCode: noVatCode, amount: line.amount, text, department, gross: null };
  return {
    account: line.account,
    vatCode: line.vatCode,
    amount: line.amount,
    text,
    department,
    gross: { flag: 'T', sum: add(line.amount, line.impliedVat) },
  };
}

/** Gross mode, optionally with each line's VAT also written as an `F` line on its output-VAT account. */
function grossModePostings(line: VoucherLine, voucher: Voucher, settings: Gbat10Settings): Gbat10Posting[] {
  const sale = grossPosting(line, voucher, settings.noVatCode, line.department);
  const vat = line.vatCode === null ? null : outputVatPosting(line, settings.vatAccounts);
  if (!vat) return [sale];
  const vatText = withReportNumber(vat.text, voucher);
  return [
    sale,
    { ...vat, text: vatText, vatCode: settings.noVatCode, department: line.department, gross: { flag: 'F' } },
  ];
}

/** The refusals GBAT10's field widths give (§2): accounts 1–7 digits, VAT codes 1–5, departments 1–4. */
export function gbat10Refusals(voucher: Voucher, account: { pattern: RegExp; rule: string }): string[] {
  return [
    ...lineRefusals(voucher, 'account', (line) => line.account, account.pattern, account.rule),
    ...lineRefusals(voucher, 'VAT code', (line) => line.vatCode, /^\d{1,5}$/, '1–5 digits (GBAT10 field 7)'),
    ...lineRefusals(voucher, 'department', (line) => line.department, /^\d{1,4}$/, '1–4 digits (GBAT10 field 24)'),
  ];
}

/**
 * GBAT10 voucher lines per shared/specs/gbat10.md, in gross mode: each revenue line carries its
 * VAT code, the net amount (field 8), `T` and the amount including VAT (field 27), so the receiver
 * generates the VAT posting; every voucher balances on the effective (gross) amounts.
 */
export const gbat10Format: FileFormat<Gbat10Settings> = {
  name: 'GBAT10',
  extension: 'csv',
  encodings: ['iso-8859-1', 'utf-8'],
  lineEnding: '\r\n',
  vatStyle: { kind: 'code-on-line', amountBasis: 'net' },
  voucherNumbers: 'required',
  settingsSchema: gbat10SettingsSchema,
  encodingOf: (settings) => settings.encoding,
  refusals: (voucher) => gbat10Refusals(voucher, { pattern: /^\d{1,7}$/, rule: '1–7 digits (GBAT10 field 6)' }),
  render: (vouchers, settings) =>
    vouchers.flatMap(({ voucher, number }) => {
      if (number === null) throw new Error('GBAT10 needs a voucher number on every voucher');
      const postings = voucher.lines.flatMap((line) => grossModePostings(line, voucher, settings));
      return gbat10Lines(voucher, { number, voucherType: settings.voucherType }, postings);
    }),
};
