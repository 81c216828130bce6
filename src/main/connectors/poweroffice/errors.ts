import { z } from 'zod';
import { retryAfterMs } from '../../http/backoff';
import type { HttpResponse } from '../../http/client';
import { ConnectorError, type SyncErrorCode } from '../errors';

/**
 * Every error body PowerOffice Go (and the API gateway in front of it) answers with, read
 * case-insensitively: ProblemDetails is PascalCase in the spec but camelCase from ASP.NET
 * (spec §7), the token endpoint speaks RFC 6749 and the gateway `{statusCode, message}` (spec §2).
 */
const bodySchema = z
  .record(z.string(), z.unknown())
  .transform((body) => Object.fromEntries(Object.entries(body).map(([key, value]) => [key.toLowerCase(), value])))
  .pipe(
    z.object({
      title: z.string().nullish(),
      detail: z.string().nullish(),
      errors: z.record(z.string(), z.array(z.string())).nullish(),
      error: z.string().nullish(),
      error_description: z.string().nullish(),
      message: z.string().nullish(),
    }),
  );

/** What Go said, verbatim; where it says nothing (401/403 have empty bodies) we name the status. */
export function powerOfficeMessage(response: HttpResponse): string {
  const parsed = bodySchema.safeParse(response.body);
  if (parsed.success) {
    const body = parsed.data;
    const validation = Object.entries(body.errors ?? {}).flatMap(([field, texts]) =>
      texts.map((text) => `${field}: ${text}`),
    );
    const parts = [body.title, body.detail, ...validation, body.error_description ?? body.error, body.message];
    const text = parts.filter((part): part is string => typeof part === 'string' && part !== '').join(' ');
    if (text) return text;
  }
  if (typeof response.body === 'string' && response.body) return response.body;
  if (response.status === 401)
    return 'HTTP 401 Unauthorized (no body: the access token was missing, invalid or expired)';
  if (response.status === 403) {
    return 'HTTP 403 Forbidden (no body: the integration lacks the privilege for this request in PowerOffice Go)';
  }
  return `HTTP ${response.status}`;
}

/** The wait a 429 asks for: the Retry-After header, else "Try again in N seconds." in the body. */
function waitAsked(response: HttpResponse, text: string): number | undefined {
  const header = retryAfterMs(response.headers);
  if (header !== undefined) return header;
  const seconds = /try again in (\d+) seconds?/i.exec(text)?.[1];
  return seconds === undefined ? undefined : Number(seconds) * 1000;
}

/** Maps a non-success PowerOffice Go response to an app error code, keeping Go's words. */
export function powerOfficeError(response: HttpResponse): ConnectorError {
  const text = powerOfficeMessage(response);
  const wait = response.status === 429 ? waitAsked(response, text) : undefined;
  return new ConnectorError(classify(response.status, text), text, {
    status: response.status,
    ...(wait === undefined ? {} : { retryAfterMs: wait }),
  });
}

/**
 * Go's validation texts are UNCONFIRMED in the spec (only the behaviour is): these patterns match
 * the sandbox's wording and the spec's descriptions, and are the one place to adjust them.
 */
function classify(status: number, text: string): SyncErrorCode {
  if (status === 401 || status === 403) return 'auth';
  if (status === 429) return 'rate_limited';
  if (status >= 500) return 'server_error';
  // The token endpoint: wrong key pair, keys from the other environment, or a deactivated integration.
  if (/invalid_client|invalid_grant|unauthorized_client|client integration not found/i.test(text)) return 'auth';
  if (/locked to vat code|vat code .* not (allowed|valid)|vat code with id/i.test(text)) return 'vat_code_not_allowed';
  if (/not balanced|does not balance|sum of the voucher lines/i.test(text)) return 'unbalanced';
  if (/locked period|lock date|locked up to/i.test(text)) return 'locked_period';
  if (/externalimportreference .* already|already exists|duplicate/i.test(text)) return 'duplicate';
  if (/general ledger account .* (not found|not active|inactive)|account .* (does not exist|is inactive)/i.test(text)) {
    return 'invalid_account';
  }
  return 'bad_request';
}
