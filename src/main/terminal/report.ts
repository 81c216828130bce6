import { createHash } from 'node:crypto';
import { z } from 'zod';

/**
 * The neutral record every capture path ends in (spec terminal.md §3). Money is integer øre.
 * Stored as validated JSON, so a report written by an older parser is re-checked when read.
 */
export const SCHEMES = [
  'bankaxept',
  'visa',
  'mastercard',
  'maestro',
  'amex',
  'diners',
  'jcb',
  'unionpay',
  'discover',
  'vipps',
  'mobilepay',
  'swish',
  'girocard',
  'giftcard',
  'other',
] as const;
export type Scheme = (typeof SCHEMES)[number];

export const TERMINAL_REPORT_KINDS = ['reconciliation', 'z', 'x'] as const;
export type TerminalReportKind = (typeof TERMINAL_REPORT_KINDS)[number];

export const TERMINAL_SOURCES = [
  'zvt',
  'opi',
  'baxi',
  'verifone-ecr',
  'nexo',
  'receipt-text',
  'provider-csv',
  'manual',
] as const;
export type TerminalSource = (typeof TERMINAL_SOURCES)[number];

const whole = z.number().int().refine(Number.isSafeInteger, 'not a safe integer');
const count = z.number().int().nonnegative();

export const schemeTotalSchema = z.object({
  scheme: z.enum(SCHEMES),
  label: z.string(),
  purchaseCount: count,
  purchaseAmount: whole,
  refundCount: count,
  refundAmount: whole,
  tips: whole,
  cashback: whole,
  surcharge: whole,
  netAmount: whole,
  count,
});
export type SchemeTotal = z.infer<typeof schemeTotalSchema>;

export const terminalReportSchema = z.object({
  id: z.string().min(1),
  kind: z.enum(TERMINAL_REPORT_KINDS),
  source: z.enum(TERMINAL_SOURCES),
  bax: z
    .string()
    .regex(/^\d{6,7}$/)
    .optional(),
  terminalId: z.string().min(1),
  merchantIds: z.record(z.string(), z.string()).optional(),
  batchNo: z.string().optional(),
  receiptNoRange: z.object({ from: count, to: count }).optional(),
  periodStart: z.string().optional(),
  closedAt: z.string().regex(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}([+-]\d{2}:\d{2}|Z)$/),
  currency: z.enum(['NOK', 'SEK', 'DKK', 'EUR']),
  copy: z.boolean(),
  schemes: z.array(schemeTotalSchema),
  totals: z.object({ count, amount: whole, refunds: whole, tips: whole, cashback: whole, surcharge: whole }),
  hostResult: z.enum(['ok', 'mismatch', 'failed', 'unknown']),
  raw: z.object({ text: z.string().optional(), hex: z.string().optional(), encoding: z.string().optional() }),
  parserVersion: z.string(),
  warnings: z.array(z.string()),
});
export type TerminalReport = z.infer<typeof terminalReportSchema>;
export type TerminalReportDraft = Omit<TerminalReport, 'id'>;

/** Derived, never random: the same reconciliation read twice (or re-parsed) gets the same id. */
export function terminalReportId(draft: TerminalReportDraft): string {
  const identity = [
    draft.source,
    draft.kind,
    draft.bax ?? '',
    draft.terminalId,
    draft.batchNo ?? '',
    draft.closedAt,
    String(draft.totals.amount),
    draft.copy ? 'copy' : '',
  ].join('|');
  return `tr-${createHash('sha256').update(identity).digest('hex').slice(0, 20)}`;
}

export function withId(draft: TerminalReportDraft): TerminalReport {
  return { id: terminalReportId(draft), ...draft };
}

/** A scheme line that only states a net amount and a count (most printed reports). */
export function netSchemeTotal(scheme: Scheme, label: string, lineCount: number, netAmount: number): SchemeTotal {
  return {
    scheme,
    label,
    purchaseCount: lineCount,
    purchaseAmount: netAmount,
    refundCount: 0,
    refundAmount: 0,
    tips: 0,
    cashback: 0,
    surcharge: 0,
    netAmount,
    count: lineCount,
  };
}
