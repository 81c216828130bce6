import { z } from 'zod';
import type { Ore } from '../../shared/money';
import { keyInfo } from '../../shared/settlement-keys';
import type { Voucher, VoucherLine } from '../vouchers/voucher';

/**
 * Output-VAT accounts of the Norwegian standard chart (NS 4102) by standard SAF-T VAT code:
 * 2700 high (25 %), 2701 middle (15 %), 2702 low (12 %). The default for formats that write the
 * VAT as a line of its own (Xledger, Duett in net mode); a target setting overrides it.
 */
export const NS4102_OUTPUT_VAT_ACCOUNTS: Readonly<Record<string, string>> = { '3': '2700', '31': '2701', '33': '2702' };

/** The `vatAccounts` setting: VAT code → output-VAT account. */
export function vatAccountsSetting(account: z.ZodString, fallback: Readonly<Record<string, string>>) {
  return z.record(z.string().regex(/^\d{1,5}$/, 'a VAT code of at most 5 digits'), account).default({ ...fallback });
}

export interface OutputVatPosting {
  readonly account: string;
  readonly amount: Ore;
  /** `Utgående mva 25 %`: these formats are Norwegian. */
  readonly text: string;
}

/**
 * The VAT a net revenue line carries (built with VAT style code-on-line/net), as a posting on the
 * output-VAT account of its code; null when the line has no VAT or its code has no account.
 */
export function outputVatPosting(
  line: VoucherLine,
  vatAccounts: Readonly<Record<string, string>>,
): OutputVatPosting | null {
  if (line.impliedVat === 0 || line.vatCode === null) return null;
  const account = vatAccounts[line.vatCode];
  if (account === undefined) return null;
  return { account, amount: line.impliedVat, text: `Utgående mva ${(keyInfo(line.key).vatRateBp ?? 0) / 100} %` };
}

/** A refusal per VAT code that carries VAT but has no output-VAT account: the file would not balance. */
export function missingVatAccountRefusals(voucher: Voucher, vatAccounts: Readonly<Record<string, string>>): string[] {
  const missing = new Set(
    voucher.lines
      .filter((line) => line.impliedVat !== 0 && line.vatCode !== null && vatAccounts[line.vatCode] === undefined)
      .map((line) => line.vatCode),
  );
  return [...missing].map((code) => `VAT code "${code}" has no output-VAT account (setting vatAccounts)`);
}

/** The Z-report a line came from, appended to line texts: `Bankterminal integrert Z41/10009`. */
export function withReportNumber(text: string, voucher: Voucher): string {
  return `${text} Z${voucher.settlement.reportNumber}`;
}
