import { z } from 'zod';
import { formatAmount } from '../../../shared/money';
import type { Voucher } from '../../vouchers/voucher';
import { baseFileSettingsSchema, compactDate, lineRefusals, type FileFormat } from '../format';
import {
  missingVatAccountRefusals,
  NS4102_OUTPUT_VAT_ACCOUNTS,
  outputVatPosting,
  vatAccountsSetting,
  withReportNumber,
} from '../output-vat';
import { xledgerTaxRule } from './xledger-tax-rules';

const code = (what: string) => z.string().regex(/^[A-Za-z0-9]{1,8}$/, `${what}: letters and digits, at most 8`);

const ENTITY_CODE = 'the Xledger entity code (digits), e.g. 23001';

export const xledgerSettingsSchema = baseFileSettingsSchema.extend({
  /** `<EntityCode>`: the Xledger entity (company) the lines belong to, e.g. 23001. */
  entityCode: z.string({ error: ENTITY_CODE }).regex(/^\d{1,10}$/, ENTITY_CODE),
  /** `<VoucherType>`: GL for plain ledger vouchers. */
  voucherType: code('a voucher type').default('GL'),
  /** Standard VAT code → the entity's own tax rule code, over the defaults in xledger-tax-rules.ts. */
  taxRules: z.record(z.string().regex(/^\d{1,5}$/, 'a standard VAT code'), code('a tax rule code')).default({}),
  /** Standard VAT code → output-VAT account the VAT is posted to as a line of its own. */
  vatAccounts: vatAccountsSetting(z.string().regex(/^\d{1,10}$/, 'an account number'), NS4102_OUTPUT_VAT_ACCOUNTS),
});
export type XledgerSettings = z.output<typeof xledgerSettingsSchema>;

/** XML character data: the three markup characters escaped, line breaks and other controls as one space. */
export function xmlText(text: string): string {
  return text
    .replace(/\p{Cc}+/gu, ' ')
    .replaceAll('&', '&amp;')
    .replaceAll('<', '&lt;')
    .replaceAll('>', '&gt;');
}

interface Entry {
  readonly account: string;
  readonly taxRule: string | null;
  readonly department: string | null;
  readonly text: string;
  readonly amount: string;
}

function entriesOf(voucher: Voucher, settings: XledgerSettings): Entry[] {
  return voucher.lines.flatMap((line) => {
    const entry: Entry = {
      account: line.account,
      taxRule: line.vatCode === null ? null : xledgerTaxRule(line.vatCode, settings.taxRules),
      department: line.department,
      text: withReportNumber(line.text, voucher),
      amount: formatAmount(line.amount),
    };
    const vat = outputVatPosting(line, settings.vatAccounts);
    if (!vat) return [entry];
    const vatEntry: Entry = {
      account: vat.account,
      taxRule: null,
      department: line.department,
      text: withReportNumber(vat.text, voucher),
      amount: formatAmount(vat.amount),
    };
    return [entry, vatEntry];
  });
}

/**
 * Xledger GL02XML import file (shared/specs/xledger.md §B), the file the ReceiveFile upload or a
 * user's GL import takes with import code `GL02XML`: one `<JournalEntry>` per line, net revenue and
 * the VAT as separate lines (VAT on the output-VAT account, as in the spec's POS example), dates
 * `yyyymmdd`, signed amounts with `.`, the department as `<Posting1>`. UNCONFIRMED additions to the
 * spec's template: `<VoucherNo>` (GL02b's voucher number, so each Z-report is its own voucher) and
 * `<TaxRule>` (the entity's tax rule on revenue lines, for the VAT report).
 */
export const xledgerFormat: FileFormat<XledgerSettings> = {
  name: 'Xledger GL02XML',
  extension: 'xml',
  encodings: ['utf-8'],
  lineEnding: '\r\n',
  vatStyle: { kind: 'code-on-line', amountBasis: 'net' },
  voucherNumbers: 'required',
  settingsSchema: xledgerSettingsSchema,
  encodingOf: () => 'utf-8',
  refusals: (voucher, settings) => [
    ...lineRefusals(voucher, 'account', (line) => line.account, /^\d{1,10}$/, 'an Xledger account code (digits)'),
    ...lineRefusals(
      voucher,
      'VAT code',
      (line) => line.vatCode,
      (vatCode) => xledgerTaxRule(vatCode, settings.taxRules) !== null,
      'translated to an Xledger tax rule (setting taxRules)',
    ),
    ...lineRefusals(voucher, 'department', (line) => line.department, /^[A-Za-z0-9]{1,20}$/, 'a posting code'),
    ...missingVatAccountRefusals(voucher, settings.vatAccounts),
  ],
  render(vouchers, settings) {
    const lines = ['<?xml version="1.0" encoding="utf-8"?>', '<xml>', '  <JournalEntries>'];
    for (const { voucher, number } of vouchers) {
      if (number === null) throw new Error('Xledger needs a voucher number on every voucher');
      const head = [
        `<EntityCode>${settings.entityCode}</EntityCode>`,
        `<VoucherType>${settings.voucherType}</VoucherType>`,
        `<VoucherNo>${number}</VoucherNo>`,
        `<FiscalYear>${voucher.date.slice(0, 4)}</FiscalYear>`,
        `<VoucherDate>${compactDate(voucher.date)}</VoucherDate>`,
      ];
      for (const entry of entriesOf(voucher, settings)) {
        const fields = [
          ...head,
          `<Account>${entry.account}</Account>`,
          ...(entry.taxRule === null ? [] : [`<TaxRule>${entry.taxRule}</TaxRule>`]),
          ...(entry.department === null ? [] : [`<Posting1>${xmlText(entry.department)}</Posting1>`]),
          `<Text>${xmlText(entry.text)}</Text>`,
          `<Amount>${entry.amount}</Amount>`,
        ];
        lines.push('    <JournalEntry>', ...fields.map((field) => `      ${field}`), '    </JournalEntry>');
      }
    }
    lines.push('  </JournalEntries>', '</xml>');
    return lines;
  },
};
