import { z } from 'zod';
import { isLineKey, type LineKey } from './settlement-keys';

/**
 * A line key at a boundary (IPC, the store, the parse worker). Kept apart from settlement-keys.ts
 * so that the keys and their labels load without zod (the CLI's start loads them).
 */
export const lineKeySchema = z.custom<LineKey>((value) => typeof value === 'string' && isLineKey(value), {
  message: 'expected a settlement key or account:NUMBER',
});
