import { z } from 'zod';
import { retryAfterMs } from '../../http/backoff';
import type { HttpResponse } from '../../http/client';
import { ConnectorError, type SyncErrorCode } from '../errors';

/**
 * Fortnox's documented error codes (specs/fortnox.md §6.2) and what they mean for a voucher.
 * Licence and scope errors count as 'auth': the fix is reconnecting with the right licence/scopes.
 */
export const FORTNOX_ERROR_CODES: Readonly<Record<number, SyncErrorCode>> = {
  1000003: 'server_error', // System exception
  1000030: 'bad_request', // Invalid response type (Accept)
  1000031: 'bad_request', // Invalid content type
  2000106: 'bad_request', // Värdet måste vara alfanumeriskt
  2000108: 'bad_request', // Värdet måste vara numeriskt
  2000134: 'bad_request', // Värdet måste vara en boolean
  2000310: 'auth', // Ogiltig inloggning
  2000311: 'auth', // access-token eller client-secret saknas
  2000359: 'bad_request', // Värdet innehåller ej tillåtna tecken
  2000401: 'locked_period', // … har låst perioden t.o.m. {date}
  2000588: 'bad_request', // Ogiltig parameter i anropet
  2000637: 'duplicate', // Kundnummer {n} används redan
  2000663: 'auth', // not authorised for scope
  2000729: 'bad_request', // A valid identifier was not provided
  2000947: 'bad_request', // inactive cost center
  2001101: 'auth', // Det finns ingen aktiv licens för önskat scope
  2001103: 'auth', // Api-licens saknas
  2001304: 'invalid_account', // Kunde inte hitta konto
  2001392: 'bad_request', // Ingen eller felaktig typ av data
  2001399: 'bad_request', // Felaktigt fältnamn
  2002115: 'bad_request', // Error deserializing JSON
  2002141: 'locked_period', // locked period (invoice bookkeeping)
};

/**
 * Cases the spec knows only by their text (code UNCONFIRMED); matched on the words so a real code,
 * once seen, changes nothing here (add it to the table above).
 */
const TEXT_RULES: readonly (readonly [RegExp, SyncErrorCode])[] = [
  [/invalid_grant|refresh token/i, 'auth'],
  [/används redan/i, 'duplicate'],
  [/konto \d+ är inte aktivt|kunde inte hitta konto/i, 'invalid_account'],
  [/räkenskapsår|låst perioden/i, 'locked_period'],
  [/inte i balans|obalanserad/i, 'unbalanced'],
];

const caseless = (body: Record<string, unknown>, key: string): unknown =>
  Object.entries(body).find(([name]) => name.toLowerCase() === key)?.[1];

/** `{ErrorInformation: {error, message, code}}` in either key case, code int or string; `{message}`; OAuth `{error, error_description}`. */
export function parseFortnoxError(body: unknown): { message: string; code: number | null } | null {
  const object = z.record(z.string(), z.unknown()).safeParse(body);
  if (!object.success) return typeof body === 'string' && body ? { message: body, code: null } : null;
  const information = z.record(z.string(), z.unknown()).safeParse(caseless(object.data, 'errorinformation'));
  const source = information.success ? information.data : object.data;
  const message = caseless(source, 'message');
  const description = caseless(source, 'error_description');
  const oauthError = caseless(source, 'error');
  const code = Number(caseless(source, 'code'));
  if (typeof message === 'string') return { message, code: Number.isInteger(code) && code > 0 ? code : null };
  if (typeof description === 'string') {
    return { message: typeof oauthError === 'string' ? `${oauthError}: ${description}` : description, code: null };
  }
  return typeof oauthError === 'string' ? { message: oauthError, code: null } : null;
}

/** The SyncErrorCode for a Fortnox answer: documented code first, then status, then the words. */
export function classifyFortnoxError(status: number, message: string, code: number | null): SyncErrorCode {
  const byCode = code === null ? undefined : FORTNOX_ERROR_CODES[code];
  if (byCode) return byCode;
  if (status === 429) return 'rate_limited';
  if (status >= 500) return 'server_error';
  if (status === 401 || status === 403) return 'auth';
  return TEXT_RULES.find(([pattern]) => pattern.test(message))?.[1] ?? 'bad_request';
}

/** A failed Fortnox answer as a ConnectorError: Fortnox's own words, with its error code after them. */
export function fortnoxError(response: HttpResponse): ConnectorError {
  const parsed = parseFortnoxError(response.body) ?? { message: `HTTP ${response.status}`, code: null };
  return new ConnectorError(
    classifyFortnoxError(response.status, parsed.message, parsed.code),
    parsed.code === null ? parsed.message : `${parsed.message} (Fortnox ${parsed.code})`,
    { status: response.status, retryAfterMs: retryAfterMs(response.headers) },
  );
}
