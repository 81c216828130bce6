import { z } from 'zod';
import { ore } from '../../shared/money';
import { lineKeySchema } from '../../shared/line-key-schema';
import type { SettlementDraft } from '../domain/settlement';
import type { FileReadResult } from './file-source';
import { sourceOverridesSchema } from './overrides';

/** The contract between the engine thread and the parse worker (parse-worker.ts); each side validates what it gets. */

const FILE_FORMATS = ['saft', 'sie4', 'csv'] as const;
const count = z.number().int().min(0);
const oreSchema = z.number().refine(Number.isSafeInteger, 'not a whole, safe number of øre').transform(ore);

/** The worker's `workerData`: one file to read, with the shop's code overrides read from the store. */
export const parseRequestSchema = z.object({
  path: z.string().min(1),
  format: z.enum([...FILE_FORMATS, 'auto']),
  overrides: sourceOverridesSchema,
});
export type ParseRequest = z.input<typeof parseRequestSchema>;

const settlementLineSchema = z.object({
  key: lineKeySchema,
  amount: oreSchema,
  vat: oreSchema,
  department: z.string().optional(),
  sourceCode: z.string().optional(),
  sourceAccount: z.string().optional(),
});

const settlementDraftSchema = z.object({
  source: z.string(),
  location: z.string(),
  registerId: z.string(),
  kind: z.enum(['Z', 'X']),
  reportNumber: z.string(),
  globalSequence: z.number().int().optional(),
  businessDate: z.string(),
  openedAt: z.string().optional(),
  closedAt: z.string().optional(),
  currency: z.string(),
  lines: z.array(settlementLineSchema).readonly(),
  sourceRef: z.string().optional(),
  warnings: z.array(z.string()).readonly().optional(),
}) satisfies z.ZodType<SettlementDraft, unknown>;

const fileReadResultSchema = z.object({
  format: z.enum(FILE_FORMATS),
  drafts: z.array(settlementDraftSchema).readonly(),
  warnings: z.array(z.string()).readonly(),
}) satisfies z.ZodType<FileReadResult, unknown>;

/** What the worker posts: progress now and then, then exactly one of read / refused / failed. */
export const parseWorkerMessageSchema = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('progress'), bytesRead: count, totalBytes: count, reportsFound: count }),
  z.object({ kind: z.literal('read'), result: fileReadResultSchema }),
  /** A SourceError's parts, so the engine raises the same error with the same sentence. */
  z.object({
    kind: z.literal('refused'),
    source: z.string(),
    location: z.string(),
    field: z.string().nullable(),
    reason: z.string(),
  }),
  /** Anything else that went wrong while reading (an unreadable file's errno code, a bug). */
  z.object({ kind: z.literal('failed'), message: z.string(), code: z.string().optional() }),
]);
export type ParseWorkerMessage = z.input<typeof parseWorkerMessageSchema>;
export type ParseProgress = Omit<Extract<ParseWorkerMessage, { kind: 'progress' }>, 'kind'>;
