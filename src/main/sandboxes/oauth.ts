import { randomBytes } from 'node:crypto';
import { z } from 'zod';
import { pkceChallenge } from '../http/oauth2';
import type { SandboxReply, SandboxRequest } from './server';

export interface OAuthProviderOptions {
  readonly clientId: string;
  readonly clientSecret: string;
  readonly accessTtlMs: number;
  /** How the client authenticates at the token endpoint (as the real target wants it). */
  readonly clientAuth: 'basic' | 'body';
  /**
   * The authorize parameters the provider documents besides the standard four (response_type,
   * client_id, redirect_uri, state); anything else is refused, so a parameter meant for another
   * provider is caught here rather than on a shop's first connect.
   */
  readonly authorizeParams: readonly string[];
  /** The provider supports PKCE (S256): a challenge given at authorize must be met by the verifier. */
  readonly pkce: boolean;
  /** The provider requires the attempt's `state` again on the code exchange (Fiken). */
  readonly stateOnExchange: boolean;
}

const STANDARD_AUTHORIZE_PARAMS = ['response_type', 'client_id', 'redirect_uri', 'state'];
const PKCE_PARAMS = ['code_challenge', 'code_challenge_method'];

interface IssuedCode {
  readonly redirectUri: string;
  readonly state: string;
  readonly challenge: string | null;
}

const tokenFormSchema = z.object({
  grant_type: z.string(),
  code: z.string().optional(),
  redirect_uri: z.string().optional(),
  state: z.string().optional(),
  code_verifier: z.string().optional(),
  refresh_token: z.string().optional(),
  client_id: z.string().optional(),
  client_secret: z.string().optional(),
});

const oauthError = (status: number, error: string, description: string): SandboxReply => ({
  status,
  body: { error, error_description: description },
});

/**
 * The OAuth2 authorization-code server every OAuth sandbox shares: an authorize page that approves
 * at once and redirects back with a code, a token endpoint with single-use codes and ROTATING
 * refresh tokens (a spent one answers `invalid_grant`, as Fortnox and Fiken do), and access tokens
 * that expire.
 */
export class SandboxOAuth {
  private readonly access = new Map<string, number>();
  private readonly refresh = new Set<string>();
  private readonly codes = new Map<string, IssuedCode>();

  constructor(private readonly options: OAuthProviderOptions) {}

  /** Tokens as if a person had just connected (tests and the demo skip the browser). */
  issueTokens(): { accessToken: string; refreshToken: string } {
    const accessToken = randomBytes(16).toString('base64url');
    const refreshToken = randomBytes(16).toString('base64url');
    this.access.set(accessToken, Date.now() + this.options.accessTtlMs);
    this.refresh.add(refreshToken);
    return { accessToken, refreshToken };
  }

  /** A personal API token (Fiken's "API-nøkkel"): works until revoked, has no refresh token. */
  issuePersonalToken(): string {
    const token = randomBytes(24).toString('base64url');
    this.access.set(token, Number.POSITIVE_INFINITY);
    return token;
  }

  /** Whether the request carries a live `Bearer` access token. */
  authorized(request: SandboxRequest): boolean {
    const bearer = /^Bearer (.+)$/.exec(request.headers.authorization ?? '')?.[1];
    const expires = bearer ? this.access.get(bearer) : undefined;
    return expires !== undefined && expires > Date.now();
  }

  /** GET authorize?client_id&redirect_uri&state: approves and sends the browser back with a code. */
  authorize(request: SandboxRequest): SandboxReply {
    const query = request.url.searchParams;
    const known = new Set([
      ...STANDARD_AUTHORIZE_PARAMS,
      ...this.options.authorizeParams,
      ...(this.options.pkce ? PKCE_PARAMS : []),
    ]);
    const unknown = [...query.keys()].filter((name) => !known.has(name));
    if (unknown.length > 0) {
      return oauthError(400, 'invalid_request', `Unknown authorize parameter(s): ${unknown.join(', ')}.`);
    }
    if (query.get('response_type') !== 'code') {
      return oauthError(400, 'unsupported_response_type', 'response_type must be code.');
    }
    if (query.get('client_id') !== this.options.clientId) {
      return oauthError(400, 'invalid_client', 'Unknown client_id.');
    }
    const redirectUri = query.get('redirect_uri');
    if (!redirectUri) return oauthError(400, 'invalid_request', 'redirect_uri is missing.');
    const state = query.get('state');
    if (!state) return oauthError(400, 'invalid_request', 'state is missing.');
    const challenge = query.get('code_challenge');
    if (challenge !== null && query.get('code_challenge_method') !== 'S256') {
      return oauthError(400, 'invalid_request', 'code_challenge_method must be S256.');
    }
    const code = randomBytes(12).toString('base64url');
    this.codes.set(code, { redirectUri, state, challenge });
    const back = new URL(redirectUri);
    back.searchParams.set('code', code);
    back.searchParams.set('state', state);
    return { status: 302, headers: { location: back.toString() } };
  }

  /** POST token: authorization_code or refresh_token grants. */
  token(request: SandboxRequest): SandboxReply {
    const form = tokenFormSchema.safeParse(request.body);
    if (!form.success) return oauthError(400, 'invalid_request', 'The token request is not a form.');
    if (!this.clientAuthenticated(request, form.data)) {
      return oauthError(401, 'invalid_client', 'Client authentication failed.');
    }
    if (form.data.grant_type === 'authorization_code') {
      const issued = form.data.code ? this.codes.get(form.data.code) : undefined;
      if (!form.data.code || issued === undefined || issued.redirectUri !== form.data.redirect_uri) {
        return oauthError(400, 'invalid_grant', 'The authorization code is invalid, used or expired.');
      }
      if (this.options.stateOnExchange && form.data.state !== issued.state) {
        return oauthError(400, 'invalid_request', 'state is missing or does not match the authorize request.');
      }
      if (!this.options.stateOnExchange && form.data.state !== undefined) {
        return oauthError(400, 'invalid_request', 'Unknown token parameter: state.');
      }
      if (issued.challenge !== null && pkceChallenge(form.data.code_verifier ?? '') !== issued.challenge) {
        return oauthError(400, 'invalid_grant', 'code_verifier does not match the code_challenge.');
      }
      if (issued.challenge === null && form.data.code_verifier !== undefined) {
        return oauthError(400, 'invalid_request', 'code_verifier without a code_challenge.');
      }
      this.codes.delete(form.data.code);
      return this.tokenReply();
    }
    if (form.data.grant_type === 'refresh_token') {
      // Rotation: a refresh token works once; the answer carries the next one.
      if (!form.data.refresh_token || !this.refresh.delete(form.data.refresh_token)) {
        return oauthError(400, 'invalid_grant', 'The refresh token is invalid or expired.');
      }
      return this.tokenReply();
    }
    return oauthError(400, 'unsupported_grant_type', `Grant type ${form.data.grant_type} is not supported.`);
  }

  /** Every access token stops working (refresh tokens still do). */
  expireAccess(): void {
    this.access.clear();
  }

  /** Access and refresh tokens are all revoked: only a new connect helps. */
  revokeAll(): void {
    this.access.clear();
    this.refresh.clear();
  }

  private clientAuthenticated(request: SandboxRequest, form: z.infer<typeof tokenFormSchema>): boolean {
    const { clientId, clientSecret } = this.options;
    if (this.options.clientAuth === 'body') return form.client_id === clientId && form.client_secret === clientSecret;
    const basic = `Basic ${Buffer.from(`${clientId}:${clientSecret}`).toString('base64')}`;
    return request.headers.authorization === basic;
  }

  private tokenReply(): SandboxReply {
    const issued = this.issueTokens();
    return {
      status: 200,
      body: {
        access_token: issued.accessToken,
        refresh_token: issued.refreshToken,
        token_type: 'bearer',
        expires_in: Math.round(this.options.accessTtlMs / 1000),
      },
    };
  }
}
