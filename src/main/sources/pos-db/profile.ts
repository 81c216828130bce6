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
