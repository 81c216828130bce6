import { z } from 'zod';
import type { VatStyle } from '../../shared/targets';
import type { Voucher } from '../vouchers/voucher';

/** Character sets a file format may be written in (iconv-lite names). */
export type FileEncoding = 'cp437' | 'iso-8859-1' | 'utf-8';

/** A voucher as it goes into a file: with the number this file gives it (null = the receiver numbers it). */
export interface NumberedVoucher {
  readonly voucher: Voucher;
  readonly number: number | null;
  readonly idempotencyKey: string;
}

export interface RenderContext {
  /** When the file is generated (the #GEN date of SIE, for example). */
  readonly generatedAt: Date;
  readonly program: { readonly name: string; readonly version: string };
}

/** Settings every file target has, whatever its format; each format extends them. */
export const baseFileSettingsSchema = z.object({
  /** Folder the files are written to; `--out` on the command line overrides it. */
  folder: z.string().min(1).optional(),
  /** First voucher number this target writes; numbers then count up and are never reused. */
  voucherNumberStart: z.number().int().min(1).max(99_999_999).optional(),
});

/**
 * One file format, described as data plus one pure writer function. Adding a format (Xledger,
 * Duett…) means adding one of these to `formats.ts`; the runner, the store and the CLI stay as they are.
 */
export type BaseFileSettings = z.output<typeof baseFileSettingsSchema>;

export interface FileFormat<Settings extends BaseFileSettings> {
  readonly name: string;
  /** Without the dot. */
  readonly extension: string;
  /** Allowed encodings; the first is the default, a format with more offers an `encoding` setting. */
  readonly encodings: readonly [FileEncoding, ...FileEncoding[]];
  readonly lineEnding: '\r\n' | '\n';
  /** The VAT style the vouchers must be built in (checked against the target definition). */
  readonly vatStyle: VatStyle;
  /**
   * `required`: every voucher gets a number from the target's sequence.
   * `optional`: numbered only when `voucherNumberStart` is set, else the receiver numbers them.
   */
  readonly voucherNumbers: 'required' | 'optional';
  readonly settingsSchema: z.ZodType<Settings>;
  /** Why this voucher cannot be written in this format (empty = it can); such vouchers are reported, never written. */
  refusals(voucher: Voucher, settings: Settings): string[];
  /** The file's lines, without line ends, as text (encoding happens in the runner). */
  render(vouchers: readonly NumberedVoucher[], settings: Settings, context: RenderContext): string[];
  /** The encoding these settings ask for. */
  encodingOf(settings: Settings): FileEncoding;
}

/** `2026-11-20` → `20261120`, the date form SIE and GBAT10 share. */
export function compactDate(isoDate: string): string {
  return isoDate.replaceAll('-', '');
}

/** A Date as the local calendar date `YYYYMMDD`. */
export function localCompactDate(date: Date): string {
  const pad = (value: number): string => String(value).padStart(2, '0');
  return `${date.getFullYear()}${pad(date.getMonth() + 1)}${pad(date.getDate())}`;
}

/** Distinct descriptions of the lines whose `value` breaks `rule`, e.g. `account "1920:10001" is not 1–7 digits`. */
export function lineRefusals(
  voucher: Voucher,
  field: string,
  valueOf: (line: Voucher['lines'][number]) => string | null,
  allowed: RegExp | ((value: string) => boolean),
  rule: string,
): string[] {
  const ok = typeof allowed === 'function' ? allowed : (value: string): boolean => allowed.test(value);
  const bad = new Set(voucher.lines.map(valueOf).filter((value): value is string => value !== null && !ok(value)));
  return [...bad].map((value) => `${field} "${value}" is not ${rule}`);
}
