import { z } from 'zod';
import { add } from '../../../shared/money';
import type { Voucher, VoucherLine } from '../../vouchers/voucher';
import { baseFileSettingsSchema, lineRefusals, type FileFormat } from '../format';
import {
  missingVatAccountRefusals,
  NS4102_OUTPUT_VAT_ACCOUNTS,
  outputVatPosting,
  vatAccountsSetting,
  withReportNumber,
} from '../output-vat';
import { gbat10Lines, type Gbat10Posting } from './gbat10-line';

export const gbat10VatCode = z.string().regex(/^\d{1,5}$/, 'a VAT code of at most 5 digits');

export const gbat10SettingsSchema = baseFileSettingsSchema.extend({
  /** Field 3, Bilagsart: the receiver's voucher type for daily settlements (UNCONFIRMED default 6). */
  voucherType: z.number().int().min(0).max(999).default(6),
  /** VAT code written on lines without VAT treatment: 0 in SAF-T style (Tripletex), 1 in Mamut. */
  noVatCode: gbat10VatCode.default('0'),
  encoding: z.enum(['iso-8859-1', 'utf-8']).default('iso-8859-1'),
  /**
   * VAT code → output-VAT account: each line's VAT is also written as an `F` line on that account,
   * so the net amounts (field 8) balance as well as the gross ones (§3). A code with VAT and no account is refused.
   */
  vatAccounts: vatAccountsSetting(z.string().regex(/^\d{1,7}$/, 'an account number'), NS4102_OUTPUT_VAT_ACCOUNTS),
});
export type Gbat10Settings = z.output<typeof gbat10SettingsSchema>;

/**
 * One voucher line in gross mode (§3.2): the VAT code, the net amount and `T` + the amount incl.
 * VAT; a line without VAT gets the no-VAT code.
 */
function grossPosting(
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

/**
 * Gross mode (§3.2) with each line's VAT also written as an `F` line on its output-VAT account:
 * a receiver that generates VAT skips the `F` line and books the gross amount; one that imports
 * without generating VAT books field 8 of every line. Both balance (§3: "net and gross must each sum to 0").
 * Duett's GBAT10 import reads the same lines.
 */
export function grossModePostings(
  line: VoucherLine,
  voucher: Voucher,
  settings: Pick<Gbat10Settings, 'noVatCode' | 'vatAccounts'>,
  department: string | null,
): Gbat10Posting[] {
  const sale = grossPosting(line, voucher, settings.noVatCode, department);
  const vat = outputVatPosting(line, settings.vatAccounts);
  if (!vat) return [sale];
  const vatText = withReportNumber(vat.text, voucher);
  return [sale, { ...vat, text: vatText, vatCode: settings.noVatCode, department, gross: { flag: 'F' } }];
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
 * VAT code, the net amount (field 8), `T` and the amount including VAT (field 27), followed by its
 * VAT as an `F` line on the output-VAT account; every voucher balances on both amount columns.
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
  refusals: (voucher, settings) => [
    ...gbat10Refusals(voucher, { pattern: /^\d{1,7}$/, rule: '1–7 digits (GBAT10 field 6)' }),
    ...missingVatAccountRefusals(voucher, settings.vatAccounts),
  ],
  render: (vouchers, settings) =>
    vouchers.flatMap(({ voucher, number }) => {
      if (number === null) throw new Error('GBAT10 needs a voucher number on every voucher');
      const postings = voucher.lines.flatMap((line) => grossModePostings(line, voucher, settings, line.department));
      return gbat10Lines(voucher, { number, voucherType: settings.voucherType }, postings);
    }),
};
