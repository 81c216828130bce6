import { z } from 'zod';
import { retryAfterMs } from '../../http/backoff';
import type { HttpResponse } from '../../http/client';
import { ConnectorError, type SyncErrorCode } from '../errors';

const apiErrorSchema = z.object({ ErrorCode: z.number(), DeveloperErrorMessage: z.string() });
const oauthErrorSchema = z.object({ error: z.string(), error_description: z.string().optional() });

/**
 * eAccounting's documented ErrorCodes (specs/visma-eaccounting.md §4). The HTTP status of each is
 * UNCONFIRMED, so the code decides, and the status only where there is no code.
 */
const BY_ERROR_CODE: Readonly<Record<number, SyncErrorCode>> = {
  3001: 'locked_period', // FiscalYearDoesNotExist: no open fiscal year for the date
  3002: 'invalid_account', // AccountNotFound
  4000: 'duplicate', // Conflict
  4003: 'auth', // StartupGuideNotCompleted: the company must finish setup before the API works
  4004: 'auth', // CompanyNotActive
  4005: 'auth', // NotAuthorized
  4006: 'auth', // NoAccessToScopes: the token lacks ea:accounting
  4010: 'rate_limited', // quota exceeded
  4026: 'locked_period', // voucher in a locked bookkeeping period
};

/** "… Try again in 55 seconds." — the wait the 4010 body names when no Retry-After header does. */
function waitFromText(text: string): number | undefined {
  const seconds = /try again in (\d+) seconds?/i.exec(text)?.[1];
  return seconds === undefined ? undefined : Number(seconds) * 1000;
}

/** Codes whose meaning depends on the message (2000, 3000 and 4002 are used for several things). */
function byMessage(errorCode: number, text: string): SyncErrorCode {
  if (/not balanced|does not balance|debit.*credit.*(equal|differ)/i.test(text)) return 'unbalanced';
  if (/vat ?code/i.test(text) && (errorCode === 3000 || errorCode === 2000)) return 'vat_code_not_allowed';
  if (/no access to module|forbidden/i.test(text)) return 'auth';
  if (/account .*(not active|inactive|blocked)/i.test(text)) return 'invalid_account';
  return 'bad_request';
}

function classify(status: number, errorCode: number | undefined, text: string): SyncErrorCode {
  if (status === 429) return 'rate_limited';
  if (status >= 500) return 'server_error';
  if (errorCode !== undefined) return BY_ERROR_CODE[errorCode] ?? byMessage(errorCode, text);
  if (status === 401 || status === 403) return 'auth';
  if (/invalid_grant|invalid_client|unauthorized_client/i.test(text)) return 'auth';
  return 'bad_request';
}

/** An eAccounting or identity-server answer mapped to the app's code, with Visma's words verbatim. */
export function vismaError(response: HttpResponse): ConnectorError {
  const api = apiErrorSchema.safeParse(response.body);
  const oauth = oauthErrorSchema.safeParse(response.body);
  const text = api.success
    ? `${api.data.ErrorCode}: ${api.data.DeveloperErrorMessage}`
    : oauth.success
      ? [oauth.data.error, oauth.data.error_description].filter(Boolean).join(': ')
      : typeof response.body === 'string' && response.body
        ? response.body
        : `HTTP ${response.status}`;
  return new ConnectorError(classify(response.status, api.success ? api.data.ErrorCode : undefined, text), text, {
    status: response.status,
    retryAfterMs: retryAfterMs(response.headers) ?? waitFromText(text),
  });
}
