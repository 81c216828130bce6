import { z } from 'zod';
import { apiEventSchema, callResponseSchema } from '../../shared/api';

/** What the engine process sends to Electron main over its parent port; main validates each message. */
export const engineMessageSchema = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('ready') }),
  z.object({ kind: z.literal('response'), response: callResponseSchema }),
  z.object({ kind: z.literal('event'), event: apiEventSchema }),
  z.object({
    kind: z.literal('log'),
    record: z.object({
      time: z.string(),
      level: z.enum(['debug', 'info', 'warn', 'error']),
      scope: z.string(),
      message: z.string(),
      data: z.unknown().optional(),
    }),
  }),
]);
export type EngineMessage = z.infer<typeof engineMessageSchema>;
