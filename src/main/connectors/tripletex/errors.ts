import { z } from 'zod';
import { ConnectorError, type SyncErrorCode } from '../errors';
import type { HttpResponse } from '../../http/client';
import { retryAfterMs } from '../../http/backoff';

/** Tripletex's error envelope (specs/tripletex.md §5); everything optional so odd bodies still map. */
const envelopeSchema = z.object({
  status: z.number().optional(),
  code: z.number().optional(),
  message: z.string().nullish(),
  developerMessage: z.string().nullish(),
  validationMessages: z.array(z.object({ field: z.string().nullish(), message: z.string().nullish() })).nullish(),
});

/** The target's own words: the headline plus each validation message, verbatim. */
function targetMessageOf(response: HttpResponse): { text: string; fields: string[] } {
  const parsed = envelopeSchema.safeParse(response.body);
  if (!parsed.success) {
    return {
      text: typeof response.body === 'string' && response.body ? response.body : `HTTP ${response.status}`,
      fields: [],
    };
  }
  const details = (parsed.data.validationMessages ?? []).map((item) => item.message ?? '').filter(Boolean);
  const headline = parsed.data.message ?? `HTTP ${response.status}`;
  return {
    text: [headline, ...details].join(' '),
    fields: (parsed.data.validationMessages ?? []).map((item) => item.field ?? ''),
  };
}

/** Maps a non-success Tripletex response to an app error code; texts are matched on captured wording. */
export function tripletexError(response: HttpResponse): ConnectorError {
  const { text, fields } = targetMessageOf(response);
  const code = classify(response.status, text, fields, (response.body as { code?: number } | null)?.code);
  return new ConnectorError(code, text, { status: response.status, retryAfterMs: retryAfterMs(response.headers) });
}

function classify(
  status: number,
  text: string,
  fields: readonly string[],
  internalCode: number | undefined,
): SyncErrorCode {
  if (status === 401 || status === 403) return 'auth';
  if (status === 429) return 'rate_limited';
  if (status >= 500) return 'server_error';
  if (/er låst til mva-kode|ugyldig mva-kode/i.test(text)) return 'vat_code_not_allowed';
  if (/summen av posteringene .* er ikke lik 0/i.test(text)) return 'unbalanced';
  if (/periode|regnskapet er låst|avstemt bankutskrift|mva-melding/i.test(text) || internalCode === 10000) {
    return 'locked_period';
  }
  if (/allerede i bruk/i.test(text) || internalCode === 14000 || internalCode === 7000) return 'duplicate';
  if (
    fields.some((field) => field.includes('account')) ||
    /kontoen .*(finnes ikke|inaktiv)|regnskapskontoen/i.test(text)
  ) {
    return 'invalid_account';
  }
  return 'bad_request';
}
