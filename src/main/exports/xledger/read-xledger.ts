import { SaxesParser } from 'saxes';
import { z } from 'zod';
import { parseAmount, sum, type Ore } from '../../../shared/money';
import { SourceError } from '../../sources/source-error';

const entrySchema = z.object({
  EntityCode: z.string().regex(/^\d+$/, 'digits'),
  VoucherType: z.string().min(1),
  VoucherNo: z.string().regex(/^\d{1,8}$/, 'at most 8 digits'),
  FiscalYear: z.string().regex(/^\d{4}$/, 'a year yyyy'),
  VoucherDate: z.string().regex(/^\d{8}$/, 'a date yyyymmdd'),
  Account: z.string().min(1),
  TaxRule: z.string().min(1).optional(),
  Posting1: z.string().min(1).optional(),
  Text: z.string(),
  Amount: z.string().regex(/^-?\d+(\.\d{1,2})?$/, 'an amount like -1234.50'),
});

export interface XledgerEntry {
  readonly account: string;
  readonly taxRule: string | null;
  readonly posting1: string | null;
  readonly text: string;
  readonly amount: Ore;
}

export interface XledgerVoucher {
  readonly entityCode: string;
  readonly voucherType: string;
  readonly number: string;
  readonly fiscalYear: string;
  readonly date: string;
  readonly entries: readonly XledgerEntry[];
}

/**
 * Reads and checks an Xledger GL02XML file: `<xml><JournalEntries><JournalEntry>` with the
 * elements of shared/specs/xledger.md §B (plus VoucherNo/TaxRule), every element known and at most
 * once, the fiscal year matching the date, and every voucher (entries sharing VoucherNo) balancing to 0.
 */
export function readXledger(bytes: Uint8Array, fileName = 'Xledger file'): XledgerVoucher[] {
  const parser = new SaxesParser({ position: true });
  const path: string[] = [];
  const raw: { line: number; fields: Record<string, string> }[] = [];
  let text = '';
  const fail = (where: string, field: string | null, reason: string): never => {
    throw new SourceError(fileName, where, field, reason);
  };
  parser.on('error', (error) => fail(`line ${parser.line}`, null, error.message));
  parser.on('opentag', (tag) => {
    const expected = ['xml', 'JournalEntries', 'JournalEntry'][path.length];
    if (path.length < 3 && tag.name !== expected) fail(`line ${parser.line}`, tag.name, `expected <${expected}>`);
    if (path.length === 4) fail(`line ${parser.line}`, tag.name, 'unexpected nested element');
    if (path.length === 2) raw.push({ line: parser.line, fields: {} });
    path.push(tag.name);
    text = '';
  });
  parser.on('text', (chunk) => (text += chunk));
  parser.on('closetag', (tag) => {
    path.pop();
    if (path.length !== 3) return;
    const entry = raw.at(-1)!;
    if (!Object.hasOwn(entrySchema.shape, tag.name)) fail(`line ${parser.line}`, tag.name, 'unknown element');
    if (Object.hasOwn(entry.fields, tag.name)) fail(`line ${parser.line}`, tag.name, 'given twice');
    entry.fields[tag.name] = text;
  });
  parser.write(Buffer.from(bytes).toString('utf8')).close();

  const vouchers = new Map<string, XledgerVoucher & { entries: XledgerEntry[] }>();
  for (const { line, fields } of raw) {
    const parsed = entrySchema.safeParse(fields);
    if (!parsed.success) {
      const issue = parsed.error.issues[0]!;
      fail(`entry at line ${line}`, issue.path.join('.') || null, issue.message);
    }
    const entry = parsed.data!;
    if (!entry.VoucherDate.startsWith(entry.FiscalYear))
      fail(`entry at line ${line}`, 'FiscalYear', `${entry.FiscalYear} is not the year of ${entry.VoucherDate}`);
    const head = {
      entityCode: entry.EntityCode,
      voucherType: entry.VoucherType,
      number: entry.VoucherNo,
      fiscalYear: entry.FiscalYear,
      date: entry.VoucherDate,
    };
    const voucher = vouchers.get(entry.VoucherNo) ?? { ...head, entries: [] };
    if (voucher.date !== head.date || voucher.entityCode !== head.entityCode)
      fail(`entry at line ${line}`, 'VoucherNo', `voucher ${head.number} has entries with two dates or entities`);
    voucher.entries.push({
      account: entry.Account,
      taxRule: entry.TaxRule ?? null,
      posting1: entry.Posting1 ?? null,
      text: entry.Text,
      amount: parseAmount(entry.Amount),
    });
    vouchers.set(entry.VoucherNo, voucher);
  }
  for (const voucher of vouchers.values()) {
    const balance = sum(voucher.entries.map((entry) => entry.amount));
    if (balance !== 0) fail(`voucher ${voucher.number}`, null, `sums to ${balance} øre, not 0`);
  }
  return [...vouchers.values()];
}
