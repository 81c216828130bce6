import { z } from 'zod';
import type { Voucher, VoucherLine } from '../../vouchers/voucher';
import { baseFileSettingsSchema, type FileFormat } from '../format';
import { gbat10Refusals, gbat10SettingsSchema, grossModePostings } from '../gbat10/gbat10-format';
import { gbat10Lines, type Gbat10Posting } from '../gbat10/gbat10-line';
import {
  missingVatAccountRefusals,
  NS4102_OUTPUT_VAT_ACCOUNTS,
  outputVatPosting,
  vatAccountsSetting,
  withReportNumber,
} from '../output-vat';

/** Duett's chart has sub-accounts written `1234.5` (shared/specs/duett.md §3; UNCONFIRMED in GBAT10 field 6). */
export const DUETT_ACCOUNT = /^\d{1,7}(\.\d{1,3})?$/;

export const duettSettingsSchema = baseFileSettingsSchema.extend({
  /**
   * `gross`: revenue lines carry the VAT code and the amount incl. VAT (GBAT10 `T`), Duett posts the VAT;
   * the VAT also follows as an `F` line on `vatAccounts`, so field 8 balances too.
   * `net`: net revenue lines plus the VAT as lines of their own on `vatAccounts`, no VAT generation.
   */
  amounts: z.enum(['gross', 'net']).default('gross'),
  /** Field 3: Duett's voucher type (bilagsart); its number series decides the numbers (UNCONFIRMED default 6). */
  voucherType: gbat10SettingsSchema.shape.voucherType,
  /** Department for lines the kontooppsett gives none (a shop with one department in Duett). */
  department: z
    .string()
    .regex(/^\d{1,4}$/, 'a department number of 1–4 digits')
    .optional(),
  noVatCode: gbat10SettingsSchema.shape.noVatCode,
  encoding: gbat10SettingsSchema.shape.encoding,
  vatAccounts: vatAccountsSetting(
    z.string().regex(DUETT_ACCOUNT, 'an account number like 2700 or 2700.1'),
    NS4102_OUTPUT_VAT_ACCOUNTS,
  ),
});
export type DuettSettings = z.output<typeof duettSettingsSchema>;

function postingsOf(line: VoucherLine, voucher: Voucher, settings: DuettSettings): Gbat10Posting[] {
  const department = line.department ?? settings.department ?? null;
  if (settings.amounts === 'gross') return grossModePostings(line, voucher, settings, department);
  // Net (GBAT10 §3.1): every line with the no-VAT code, the VAT on its own line, balancing on field 8.
  const plain = (account: string, amount: Gbat10Posting['amount'], text: string): Gbat10Posting => ({
    account,
    vatCode: settings.noVatCode,
    amount,
    text: withReportNumber(text, voucher),
    department,
    gross: null,
  });
  const vat = outputVatPosting(line, settings.vatAccounts);
  const sale = plain(line.account, line.amount, line.text);
  return vat ? [sale, plain(vat.account, vat.amount, vat.text)] : [sale];
}

/**
 * Duett Økonomi import via its GBAT10 add-on (shared/specs/duett.md §2b: the native VB_BILAG.TXT
 * layout is not public). The options Duett users set: gross or net amounts, the first voucher
 * number (`voucherNumberStart`), the voucher type and a department. Duett has no voucher API.
 */
export const duettFormat: FileFormat<DuettSettings> = {
  name: 'Duett (GBAT10)',
  extension: 'csv',
  encodings: ['iso-8859-1', 'utf-8'],
  lineEnding: '\r\n',
  vatStyle: { kind: 'code-on-line', amountBasis: 'net' },
  voucherNumbers: 'required',
  settingsSchema: duettSettingsSchema,
  encodingOf: (settings) => settings.encoding,
  refusals: (voucher, settings) => [
    ...gbat10Refusals(voucher, { pattern: DUETT_ACCOUNT, rule: '1–7 digits, optionally .sub-account (3000.1)' }),
    ...missingVatAccountRefusals(voucher, settings.vatAccounts),
  ],
  render: (vouchers, settings) =>
    vouchers.flatMap(({ voucher, number }) => {
      if (number === null) throw new Error('Duett needs a voucher number on every voucher');
      const postings = voucher.lines.flatMap((line) => postingsOf(line, voucher, settings));
      return gbat10Lines(voucher, { number, voucherType: settings.voucherType }, postings);
    }),
};
