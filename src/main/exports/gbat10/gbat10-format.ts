import { z } from 'zod';
import { add, formatAmount, type Ore } from '../../../shared/money';
import type { VoucherLine } from '../../vouchers/voucher';
import { baseFileSettingsSchema, compactDate, lineRefusals, type FileFormat, type NumberedVoucher } from '../format';

const vatCode = z.string().regex(/^\d{1,5}$/, 'a VAT code of at most 5 digits');

export const gbat10SettingsSchema = baseFileSettingsSchema.extend({
  /** Field 3, Bilagsart: the receiver's voucher type for daily settlements (UNCONFIRMED default 6). */
  voucherType: z.number().int().min(0).max(999).default(6),
  /** VAT code written on lines without VAT treatment: 0 in SAF-T style (Tripletex), 1 in Mamut. */
  noVatCode: vatCode.default('0'),
  encoding: z.enum(['iso-8859-1', 'utf-8']).default('iso-8859-1'),
  /**
   * VAT code → output-VAT account. When given, each line's VAT is also written as an `F` line on
   * that account, so the net amounts balance too (for receivers that import without generating VAT).
   */
  vatAccounts: z.record(vatCode, z.string().regex(/^\d{1,7}$/, 'an account number')).default({}),
});
export type Gbat10Settings = z.output<typeof gbat10SettingsSchema>;

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

interface Posting {
  readonly account: string;
  readonly vatCode: string;
  readonly amount: Ore;
  readonly text: string;
  readonly department: string | null;
  readonly gross: { readonly flag: 'T'; readonly sum: Ore } | { readonly flag: 'F' } | null;
}

function postingsOf(line: VoucherLine, settings: Gbat10Settings, suffix: string): Posting[] {
  const text = `${line.text} ${suffix}`;
  if (line.vatCode === null) {
    return [
      {
        account: line.account,
        vatCode: settings.noVatCode,
        amount: line.amount,
        text,
        department: line.department,
        gross: null,
      },
    ];
  }
  const postings: Posting[] = [
    {
      account: line.account,
      vatCode: line.vatCode,
      amount: line.amount,
      text,
      department: line.department,
      gross: { flag: 'T', sum: add(line.amount, line.impliedVat) },
    },
  ];
  const vatAccount = settings.vatAccounts[line.vatCode];
  if (line.impliedVat !== 0 && vatAccount !== undefined) {
    postings.push({
      account: vatAccount,
      vatCode: settings.noVatCode,
      amount: line.impliedVat,
      text: `Mva ${line.vatCode} ${suffix}`,
      department: line.department,
      gross: { flag: 'F' },
    });
  }
  return postings;
}

function renderVoucher({ voucher, number }: NumberedVoucher, settings: Gbat10Settings): string[] {
  if (number === null) throw new Error('GBAT10 needs a voucher number on every voucher');
  const [year, month] = voucher.date.split('-');
  const suffix = `Z${voucher.settlement.reportNumber}`;
  return voucher.lines
    .flatMap((line) => postingsOf(line, settings, suffix))
    .map((posting) => {
      const fields = new Array<string>(FIELD_COUNT).fill('');
      fields[0] = 'GBAT10';
      fields[FIELD.number] = String(number);
      fields[FIELD.date] = compactDate(voucher.date);
      fields[FIELD.type] = String(settings.voucherType);
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
      // Trailing optional fields may be left out; fields in between keep their separators.
      while (fields.length > FIELD.text + 1 && fields.at(-1) === '') fields.pop();
      return fields.join(';');
    });
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
  refusals: (voucher) => [
    ...lineRefusals(voucher, 'account', (line) => line.account, /^\d{1,7}$/, '1–7 digits (GBAT10 field 6)'),
    ...lineRefusals(voucher, 'VAT code', (line) => line.vatCode, /^\d{1,5}$/, '1–5 digits (GBAT10 field 7)'),
    ...lineRefusals(voucher, 'department', (line) => line.department, /^\d{1,4}$/, '1–4 digits (GBAT10 field 24)'),
  ],
  render: (vouchers, settings) => vouchers.flatMap((voucher) => renderVoucher(voucher, settings)),
};
