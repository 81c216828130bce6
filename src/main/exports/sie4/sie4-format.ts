import { z } from 'zod';
import { formatAmount } from '../../../shared/money';
import { baseFileSettingsSchema, compactDate, lineRefusals, localCompactDate, type FileFormat } from '../format';

export const sie4SettingsSchema = baseFileSettingsSchema.extend({
  /** #FNAMN: the company name as the accounting system knows it. */
  companyName: z.string().trim().min(1, 'the company name is required'),
  /** #ORGNR: Swedish organisation number; importers compare it with the receiving company. */
  orgNumber: z.string().regex(/^\d{6}-\d{4}$/, 'a Swedish organisation number like 556677-8899'),
  /** Voucher series (`#VER serie`); "" lets the receiver use its default series. */
  series: z
    .string()
    .regex(/^[A-Za-z0-9]{0,8}$/, 'letters and digits only, at most 8')
    .default('A'),
  /** SIE dimension the department goes to; 1 = kostnadsställe by convention. */
  departmentDimension: z.number().int().min(1).max(999).default(1),
});
export type Sie4Settings = z.output<typeof sie4SettingsSchema>;

/**
 * A quoted SIE field. `"` is escaped as `\"` (the only escape SIE parsers know); a backslash has
 * no portable escape and could swallow the closing quote, so it becomes `/`; line breaks and tabs
 * would split the record, so they become spaces.
 */
export function sieQuote(text: string): string {
  const clean = text
    .replace(/[\r\n\t]+/g, ' ')
    .replaceAll('\\', '/')
    .replaceAll('"', '\\"');
  return `"${clean}"`;
}

/**
 * SIE type 4 import file (`.si`, `#SIETYP 4`) per shared/specs/sie4.md: PC8 (CP437), one `#VER`
 * per Z-report with explicit VAT rows, debit positive and credit negative, departments as an
 * object list on the configured dimension.
 */
export const sie4Format: FileFormat<Sie4Settings> = {
  name: 'SIE 4',
  extension: 'si',
  encodings: ['cp437'],
  lineEnding: '\r\n',
  vatStyle: { kind: 'explicit-vat-lines' },
  voucherNumbers: 'optional',
  settingsSchema: sie4SettingsSchema,
  encodingOf: () => 'cp437',
  refusals: (voucher) =>
    lineRefusals(voucher, 'account', (line) => line.account, /^\d{1,10}$/, 'a SIE account number (digits)'),
  render(vouchers, settings, context) {
    const generated = localCompactDate(context.generatedAt);
    const lines = [
      '#FLAGGA 0',
      `#PROGRAM ${sieQuote(context.program.name)} ${sieQuote(context.program.version)}`,
      '#FORMAT PC8',
      `#GEN ${generated}`,
      '#SIETYP 4',
      `#ORGNR ${sieQuote(settings.orgNumber)}`,
      `#FNAMN ${sieQuote(settings.companyName)}`,
    ];
    for (const { voucher, number } of vouchers) {
      const date = compactDate(voucher.date);
      lines.push(
        `#VER ${sieQuote(settings.series)} ${sieQuote(number === null ? '' : String(number))} ${date} ` +
          `${sieQuote(voucher.description)} ${generated}`,
        '{',
      );
      for (const line of voucher.lines) {
        const objects =
          line.department === null ? '{}' : `{${settings.departmentDimension} ${sieQuote(line.department)}}`;
        lines.push(`#TRANS ${line.account} ${objects} ${formatAmount(line.amount)} ${date} ${sieQuote(line.text)}`);
      }
      lines.push('}');
    }
    return lines;
  },
};
