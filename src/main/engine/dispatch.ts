import { ZodError } from 'zod';
import { API, ApiError, describeZodError, isApiMethod, type ApiMethod, type CallResponse } from '../../shared/api';
import { DemoRefusedError } from '../demo/run-demo';
import type { Language } from '../../shared/settlement-keys';
import { asFileAccessError } from '../log/io-error';
import { createLogger } from '../log/logger';
import { SourceError } from '../sources/source-error';
import { SchemaError } from '../store/database';
import { DatabaseFileError } from '../store/database-file-error';
import { SettlementRemovalError } from '../store/remove-settlement';
import { UnknownTargetError } from '../vouchers/prepare';
import type { ApiHandlers } from './engine';

const log = createLogger('engine');

/**
 * The engine's boundary: whatever arrives (IPC message, HTTP body) is checked here: a known
 * method, arguments that match its schema. Every failure leaves as {type, message}; an
 * unexpected error is logged in full and reported without its stack.
 */
export async function dispatch(
  handlers: ApiHandlers,
  id: number,
  method: unknown,
  args: unknown,
  /** The user's language, asked only when a refusal is worded here (a file or folder that failed). */
  language: () => Language = () => 'en',
): Promise<CallResponse> {
  try {
    if (!isApiMethod(method)) throw new ApiError('unknown_method', `Unknown API method "${String(method)}"`);
    const parsed = API[method].args.safeParse(args ?? {});
    if (!parsed.success) throw new ApiError('invalid_args', describeZodError(method, parsed.error));
    const handler = handlers[method] as (args: unknown) => unknown;
    const result = await handler(parsed.data);
    return { id, ok: true, result };
  } catch (error) {
    return { id, ok: false, error: toApiError(error, isApiMethod(method) ? method : undefined, language).toJSON() };
  }
}

export function toApiError(error: unknown, method?: ApiMethod, language: () => Language = () => 'en'): ApiError {
  if (error instanceof ApiError) return error;
  const fileFailure = asFileAccessError(error);
  if (fileFailure) return new ApiError('refused', fileFailure.describe(language()));
  if (error instanceof ZodError) return new ApiError('invalid_args', describeZodError(method ?? 'engine', error));
  if (error instanceof UnknownTargetError) return new ApiError('not_found', error.message);
  if (error instanceof SettlementRemovalError) {
    return new ApiError(error.reason === 'not_found' ? 'not_found' : 'refused', error.message);
  }
  if (
    error instanceof DemoRefusedError ||
    error instanceof SchemaError ||
    error instanceof SourceError ||
    error instanceof DatabaseFileError
  ) {
    return new ApiError('refused', error.message);
  }
  log.error(`${method ?? 'call'} failed`, error);
  return new ApiError(
    'internal',
    `Something went wrong in the engine (${error instanceof Error ? error.message : String(error)})`,
  );
}
