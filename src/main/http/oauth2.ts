import { createHash, randomBytes } from 'node:crypto';
import { z } from 'zod';
import { ConnectorError } from '../connectors/errors';
import type { SecretStore } from '../secrets/secret-store';
import type { HttpClient, HttpResponse } from './client';

/** Where a target's OAuth2 authorization-code flow lives, and how it wants its client authenticated. */
export interface OAuthEndpoints {
  readonly authorizeUrl: string;
  readonly tokenUrl: string;
  readonly scopes: readonly string[];
  /** `basic`: client id/secret in an Authorization header (Fortnox, Fiken); `body`: in the form. */
  readonly clientAuth: 'basic' | 'body';
  /** Proof Key for Code Exchange (RFC 7636, S256), only where the provider documents it. */
  readonly pkce: boolean;
  /** The provider wants the attempt's `state` again on the code exchange (Fiken lists it as required). */
  readonly stateOnExchange: boolean;
  /** Provider-specific authorize parameters (Fortnox's `access_type=offline`); never sent to the others. */
  readonly authorizeParams?: Readonly<Record<string, string>>;
}

/** One connect attempt's proof: the verifier stays here, the browser only sees its S256 challenge. */
export interface PkcePair {
  readonly verifier: string;
  readonly challenge: string;
}

export function pkcePair(): PkcePair {
  // 32 random bytes → 43 base64url characters, the RFC's minimum verifier length.
  const verifier = randomBytes(32).toString('base64url');
  return { verifier, challenge: pkceChallenge(verifier) };
}

export const pkceChallenge = (verifier: string): string => createHash('sha256').update(verifier).digest('base64url');

/** What an OAuth target keeps in the secret store. The refresh token rotates on every use. */
export const oauthSecretSchema = z.object({
  clientId: z.string().min(1),
  clientSecret: z.string().min(1),
  accessToken: z.string().min(1),
  refreshToken: z.string().min(1).optional(),
  /** ISO time the access token stops working (renewed a minute before). */
  accessExpiresAt: z.string().optional(),
});
export type OAuthSecret = z.infer<typeof oauthSecretSchema>;

const tokenResponseSchema = z.object({
  access_token: z.string().min(1),
  refresh_token: z.string().min(1).optional(),
  expires_in: z.coerce.number().positive().optional(),
});

/** The address the browser opens; `state` ties the answer to this attempt. */
export function authorizeUrl(
  endpoints: OAuthEndpoints,
  request: { clientId: string; redirectUri: string; state: string; pkce?: PkcePair },
): string {
  const url = new URL(endpoints.authorizeUrl);
  url.searchParams.set('response_type', 'code');
  url.searchParams.set('client_id', request.clientId);
  url.searchParams.set('redirect_uri', request.redirectUri);
  if (endpoints.scopes.length > 0) url.searchParams.set('scope', endpoints.scopes.join(' '));
  url.searchParams.set('state', request.state);
  if (endpoints.pkce) {
    if (!request.pkce) throw new Error(`${endpoints.authorizeUrl} wants PKCE: pass a pkcePair()`);
    url.searchParams.set('code_challenge', request.pkce.challenge);
    url.searchParams.set('code_challenge_method', 'S256');
  }
  for (const [name, value] of Object.entries(endpoints.authorizeParams ?? {})) url.searchParams.set(name, value);
  return url.toString();
}

async function tokenRequest(
  http: HttpClient,
  endpoints: OAuthEndpoints,
  client: { clientId: string; clientSecret: string },
  form: Record<string, string>,
  fail: (response: HttpResponse) => ConnectorError,
): Promise<{ accessToken: string; refreshToken?: string; accessExpiresAt?: string }> {
  const basic = Buffer.from(`${client.clientId}:${client.clientSecret}`).toString('base64');
  const response = await http.request({
    method: 'POST',
    path: '',
    // A token request spends the code or refresh token: never resent blindly.
    idempotent: false,
    headers: endpoints.clientAuth === 'basic' ? { authorization: `Basic ${basic}` } : {},
    form:
      endpoints.clientAuth === 'basic'
        ? form
        : { ...form, client_id: client.clientId, client_secret: client.clientSecret },
  });
  if (response.status !== 200) throw fail(response);
  const tokens = tokenResponseSchema.safeParse(response.body);
  if (!tokens.success)
    throw new ConnectorError('bad_request', `The token answer was not understood: ${tokens.error.message}`);
  return {
    accessToken: tokens.data.access_token,
    ...(tokens.data.refresh_token ? { refreshToken: tokens.data.refresh_token } : {}),
    ...(tokens.data.expires_in
      ? { accessExpiresAt: new Date(Date.now() + tokens.data.expires_in * 1000).toISOString() }
      : {}),
  };
}

/** Trades the code the browser brought back for tokens (the caller stores them). */
export async function exchangeCode(
  http: HttpClient,
  endpoints: OAuthEndpoints,
  request: {
    clientId: string;
    clientSecret: string;
    code: string;
    redirectUri: string;
    /** The attempt's state and PKCE verifier: sent only to providers that want them. */
    state: string;
    codeVerifier?: string;
  },
  fail: (response: HttpResponse) => ConnectorError,
): Promise<OAuthSecret> {
  if (endpoints.pkce && !request.codeVerifier) throw new Error(`${endpoints.tokenUrl} wants the PKCE verifier`);
  const tokens = await tokenRequest(
    http,
    endpoints,
    request,
    {
      grant_type: 'authorization_code',
      code: request.code,
      redirect_uri: request.redirectUri,
      ...(endpoints.stateOnExchange ? { state: request.state } : {}),
      ...(endpoints.pkce && request.codeVerifier ? { code_verifier: request.codeVerifier } : {}),
    },
    fail,
  );
  return { clientId: request.clientId, clientSecret: request.clientSecret, ...tokens };
}

/**
 * Renews with the stored refresh token and persists the answer BEFORE anything uses it: the old
 * refresh token is spent, and losing the new one means the technician has to connect again.
 */
export async function refreshAndPersist(
  http: HttpClient,
  endpoints: OAuthEndpoints,
  secrets: SecretStore,
  secretRef: string,
  fail: (response: HttpResponse) => ConnectorError,
): Promise<OAuthSecret> {
  const stored = oauthSecretSchema.safeParse(await secrets.get(secretRef));
  if (!stored.success || !stored.data.refreshToken) {
    throw new ConnectorError('auth', 'There is no refresh token stored; connect the target again.');
  }
  const tokens = await tokenRequest(
    http,
    endpoints,
    stored.data,
    { grant_type: 'refresh_token', refresh_token: stored.data.refreshToken },
    fail,
  );
  const next: OAuthSecret = {
    ...stored.data,
    ...tokens,
    refreshToken: tokens.refreshToken ?? stored.data.refreshToken,
  };
  await secrets.set(secretRef, next);
  return next;
}

/** True when the stored access token is within a minute of expiring (or past it). */
export function accessTokenStale(secret: OAuthSecret, now = Date.now()): boolean {
  return secret.accessExpiresAt !== undefined && Date.parse(secret.accessExpiresAt) - 60_000 <= now;
}
