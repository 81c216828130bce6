import { createHash } from 'node:crypto';
import { z } from 'zod';
import type { HttpClient } from '../../http/client';
import type { SecretStore } from '../../secrets/secret-store';
import { ConnectorError } from '../errors';
import { powerOfficeError } from './errors';

/** The three keys PowerOffice Go API v2 needs (spec §2) plus the cached access token. */
export const powerOfficeSecretSchema = z.object({
  /** Identifies the integration (Kassebro); the same for every shop. */
  applicationKey: z.string().min(1),
  /** Made in the shop's Go client when it activates the integration. */
  clientKey: z.string().min(1),
  /** The API v2 product subscription (Azure API Management); sent on every request. */
  subscriptionKey: z.string().min(1),
  accessToken: z.string().optional(),
  /** ISO time from which we fetch a new token, well before `expires_in` runs out. */
  accessRenewAfter: z.string().optional(),
  /**
   * Fingerprint of the keys and token URL the token was issued for: after new keys (perhaps another
   * company) or a switch between demo and production, the old token is never used again.
   */
  accessTokenFor: z.string().optional(),
  /** Fingerprint of keys + token URL Go last refused, until when we do not ask again, and Go's words. */
  refusedKeys: z.string().optional(),
  refusedUntil: z.string().optional(),
  refusedMessage: z.string().optional(),
});
export type PowerOfficeSecret = z.infer<typeof powerOfficeSecretSchema>;

const tokenAnswerSchema = z.object({
  access_token: z.string().min(1),
  expires_in: z.coerce.number().positive(),
});

/** Renew a minute before expiry (the portal asks for proactive renewal), or halfway for short tokens. */
const RENEW_MARGIN_MS = 60_000;

export function renewAfter(expiresInSeconds: number, now = Date.now()): string {
  const lifetime = expiresInSeconds * 1000;
  return new Date(now + Math.max(lifetime / 2, lifetime - RENEW_MARGIN_MS)).toISOString();
}

function keyFingerprint(secret: PowerOfficeSecret, tokenUrl: string): string {
  return createHash('sha256')
    .update([secret.applicationKey, secret.clientKey, secret.subscriptionKey, tokenUrl].join('\n'))
    .digest('hex');
}

export function tokenUsable(secret: PowerOfficeSecret, tokenUrl: string, now = Date.now()): boolean {
  return (
    secret.accessToken !== undefined &&
    secret.accessTokenFor === keyFingerprint(secret, tokenUrl) &&
    secret.accessRenewAfter !== undefined &&
    Date.parse(secret.accessRenewAfter) > now
  );
}

/**
 * Go refusing the keys (wrong client key, other environment, integration deactivated) does not
 * heal by itself, and a shop polling every 30 s would log in with refused keys all day — the
 * "repeated login failures" PowerOffice sees. The same keys are tried again only after this
 * pause, when the keys change, or when a person runs the connection test.
 */
export const REFUSED_KEYS_PAUSE_MS = 15 * 60_000;

export async function readPowerOfficeSecret(secrets: SecretStore, ref: string): Promise<PowerOfficeSecret> {
  const stored = await secrets.get(ref);
  if (!stored) throw new ConnectorError('auth', 'No PowerOffice Go keys are stored for this target.');
  const parsed = powerOfficeSecretSchema.safeParse(stored);
  if (!parsed.success) {
    throw new ConnectorError(
      'auth',
      'The stored PowerOffice Go keys are incomplete (application, client and subscription key).',
    );
  }
  return parsed.data;
}

/**
 * OAuth2 client credentials (RFC 6749 §4.4): Basic application key : client key, the subscription
 * key in its header. v2 has no refresh token, so "renewing" is asking again; the new token is
 * stored before anything uses it, so other processes of this shop reuse it instead of asking too.
 */
export async function fetchAccessToken(
  tokenHttp: HttpClient,
  tokenUrl: string,
  secrets: SecretStore,
  ref: string,
  options: { readonly evenIfRefused: boolean },
): Promise<void> {
  const { refusedKeys, refusedUntil, refusedMessage, ...secret } = await readPowerOfficeSecret(secrets, ref);
  const fingerprint = keyFingerprint(secret, tokenUrl);
  if (!options.evenIfRefused && refusedKeys === fingerprint && Date.parse(refusedUntil ?? '') > Date.now()) {
    throw new ConnectorError('auth', refusedMessage ?? 'PowerOffice Go refused these keys.', { mayHaveArrived: false });
  }
  const basic = Buffer.from(`${secret.applicationKey}:${secret.clientKey}`).toString('base64');
  const response = await tokenHttp.request({
    method: 'POST',
    path: '',
    headers: { authorization: `Basic ${basic}`, 'ocp-apim-subscription-key': secret.subscriptionKey },
    form: { grant_type: 'client_credentials' },
    // Asking twice only yields two tokens, so a lost answer may simply be asked again.
    idempotent: true,
  });
  if (response.status !== 200) {
    const error = powerOfficeError(response);
    if (error.code === 'auth') {
      await secrets.set(ref, {
        ...secret,
        refusedKeys: fingerprint,
        refusedUntil: new Date(Date.now() + REFUSED_KEYS_PAUSE_MS).toISOString(),
        refusedMessage: error.targetMessage,
      });
    }
    throw error;
  }
  const answer = tokenAnswerSchema.safeParse(response.body);
  if (!answer.success) {
    throw new ConnectorError(
      'bad_request',
      `PowerOffice Go's token answer was not understood: ${answer.error.message}`,
    );
  }
  await secrets.set(ref, {
    ...secret,
    accessToken: answer.data.access_token,
    accessRenewAfter: renewAfter(answer.data.expires_in),
    accessTokenFor: fingerprint,
  });
}
