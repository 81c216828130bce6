import { z } from 'zod';
import { ALL_SETTLEMENT_KEYS, type SettlementKey } from '../../../shared/settlement-keys';

/**
 * A POS database profile: the SQL that reads one POS's settlement tables into Kassebro's model.
 * Supporting a new POS is writing one of these, not code.
 *
 * `settlements` must return the columns ref, location, registerId, kind ('Z'|'X'), reportNumber,
 * businessDate and may return globalSequence, openedAt, closedAt. `lines` is run once per report
 * with the named parameter `:ref` and must return code, amount and may return vat, department.
 */
export const posProfileSchema = z.object({
  name: z.string().min(1),
  description: z.string().default(''),
  /** Written as the settlement's source; part of its identity. */
  source: z.string().min(1),
  currency: z.string().length(3).default('NOK'),
  /** How amounts are stored: decimal kroner ("1234.50", or a REAL) or integer øre. */
  amountUnit: z.enum(['decimal', 'ore']).default('decimal'),
  /** Whether a sales row's amount includes its VAT (most POS) or is net. */
  salesAmounts: z.enum(['gross', 'net']).default('gross'),
  queries: z.object({
    settlements: z.string().min(1),
    lines: z.string().includes(':ref', { message: 'the lines query must use the :ref parameter' }),
  }),
  /** The POS's own line codes → settlement keys. A code that is not here is an error, never ignored. */
  codes: z.record(z.string(), z.enum(ALL_SETTLEMENT_KEYS as [SettlementKey, ...SettlementKey[]])),
  /**
   * Invoice sales (docs/invoices.md), when the POS keeps them: `sales` returns one row per invoice
   * (ref, posNumber, location, registerId, businessDate, issueDate, dueDate, customer columns…);
   * `lines` runs per invoice with `:ref` and returns kind, description, articleGroup, vatRate (percent),
   * amount and vat (amounts like the report's: `salesAmounts` says whether they include VAT).
   */
  invoices: z
    .object({
      sales: z.string().min(1),
      lines: z.string().includes(':ref', { message: 'the invoice lines query must use the :ref parameter' }),
      /** The POS's line kinds → goods, tip or fee. */
      lineKinds: z.record(z.string(), z.enum(['goods', 'tip', 'fee'])),
    })
    .optional(),
});

export type PosProfile = z.output<typeof posProfileSchema>;

export const settlementRowSchema = z.object({
  ref: z.union([z.number(), z.string()]),
  location: z.union([z.number(), z.string()]).transform(String),
  registerId: z.union([z.number(), z.string()]).transform(String),
  kind: z.enum(['Z', 'X']),
  reportNumber: z.union([z.number(), z.string()]).transform(String),
  businessDate: z.string().regex(/^\d{4}-\d{2}-\d{2}$/, 'businessDate must be YYYY-MM-DD'),
  globalSequence: z.number().int().nullish(),
  openedAt: z.string().nullish(),
  closedAt: z.string().nullish(),
});

const amountValue = z.union([z.string(), z.number(), z.bigint()]);
export const lineRowSchema = z.object({
  code: z.union([z.string(), z.number()]).transform(String),
  amount: amountValue,
  vat: amountValue.nullish(),
  department: z.union([z.string(), z.number()]).transform(String).nullish(),
});

const text = z.union([z.string(), z.number()]).transform(String);
const optionalText = z
  .union([z.string(), z.number()])
  .nullish()
  .transform((value) => (value === null || value === undefined || value === '' ? null : String(value)));

export const invoiceRowSchema = z.object({
  ref: z.union([z.number(), z.string()]),
  posNumber: text,
  location: text,
  registerId: text,
  businessDate: z.string().regex(/^\d{4}-\d{2}-\d{2}$/, 'businessDate must be YYYY-MM-DD'),
  issueDate: z.string().regex(/^\d{4}-\d{2}-\d{2}$/, 'issueDate must be YYYY-MM-DD'),
  dueDate: z.string().regex(/^\d{4}-\d{2}-\d{2}$/, 'dueDate must be YYYY-MM-DD'),
  ourReference: optionalText,
  yourReference: optionalText,
  customerName: text,
  organizationNumber: optionalText,
  customerNumber: optionalText,
  email: optionalText,
  street: optionalText,
  postalCode: optionalText,
  city: optionalText,
});

export const invoiceLineRowSchema = z.object({
  kind: text,
  description: text,
  articleGroup: optionalText,
  vatRate: z.union([z.number(), z.string()]).transform(Number),
  amount: amountValue,
  vat: amountValue,
});
