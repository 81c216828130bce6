import { z } from 'zod';
import { retryAfterMs } from '../../http/backoff';
import type { HttpResponse } from '../../http/client';
import { ConnectorError, type SyncErrorCode } from '../errors';

export function fikenError(response: HttpResponse): ConnectorError {
  const body = z
    .object({ error: z.string().optional(), error_description: z.string().optional(), message: z.string().optional() })
    .safeParse(response.body);
  const text = body.success
    ? (body.data.message ?? body.data.error_description ?? body.data.error ?? `HTTP ${response.status}`)
    : typeof response.body === 'string' && response.body
      ? response.body
      : `HTTP ${response.status}`;
  return new ConnectorError(classify(response.status, text), text, {
    status: response.status,
    retryAfterMs: retryAfterMs(response.headers),
  });
}

/** Fiken documents no error schema; these match the sandbox's texts and stay easy to change. */
function classify(status: number, text: string): SyncErrorCode {
  if (status === 401 || status === 402 || status === 403) return 'auth';
  if (status === 429) return 'rate_limited';
  if (status >= 500) return 'server_error';
  if (/invalid_grant|refresh token/i.test(text)) return 'auth';
  if (/låst|locked|årsavslutning/i.test(text)) return 'locked_period';
  if (/mva-kode|vat code/i.test(text)) return 'vat_code_not_allowed';
  if (/debet .* kredit .* ikke like|not balanced/i.test(text)) return 'unbalanced';
  if (/finnes allerede|already exists/i.test(text)) return 'duplicate';
  if (/kontoen .* finnes ikke|inaktiv|account .* (not found|inactive)/i.test(text)) return 'invalid_account';
  return 'bad_request';
}
