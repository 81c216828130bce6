import { randomBytes, timingSafeEqual } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { z } from 'zod';
import { authorizeUrl, exchangeCode, pkcePair, type OAuthEndpoints } from '../http/oauth2';
import { TARGET_SETUP, usesOAuth } from '../../shared/target-setup';
import type { HttpResponse } from '../http/client';
import type { SecretStore } from '../secrets/secret-store';
import type { TargetRecord } from '../store/targets';
import { connectorHttp, type ConnectorTuning } from './connector';
import { ConnectorError } from './errors';
import { apiTarget } from './registry';

/**
 * OAuth2 authorization-code connect for every API target that declares `oauth`: a listener on
 * 127.0.0.1 (random port, used once) receives the browser coming back, the random `state` is
 * checked, the code is exchanged, and the tokens are in the secret store BEFORE success is
 * reported. Where no browser can come back to this machine (a remote technician), the code or the
 * whole redirect address can be pasted instead (`finish`), also from a later CLI run.
 */

/** Why a connect could not be made, in words for the person doing it. */
export class ConnectError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ConnectError';
  }
}

export interface ConnectAttempt {
  /** The address to open in the browser. */
  readonly url: string;
  readonly redirectUri: string;
  /** Settles when the browser came back and the tokens are stored (or the attempt failed / timed out). */
  readonly done: Promise<void>;
  /** Finishes with a pasted code or redirect address instead of the browser coming back. */
  finish(pasted: string): Promise<void>;
  close(): Promise<void>;
}

export interface ConnectOptions {
  readonly target: TargetRecord;
  readonly secrets: SecretStore;
  /** How long the listener waits for the browser (default 10 minutes). */
  readonly timeoutMs?: number;
  readonly tuning?: Partial<ConnectorTuning>;
}

const CALLBACK_PATH = '/kassebro/oauth/callback';
/** The waiting attempt lives in the secret store: its PKCE verifier is a secret until the code is spent. */
const pendingRef = (targetId: string) => `oauth-pending.${targetId}`;
const pendingSchema = z.object({
  redirectUri: z.string().url(),
  state: z.string().min(1),
  codeVerifier: z.string().min(43).optional(),
});
type Pending = z.infer<typeof pendingSchema>;
const clientSchema = z.object({ clientId: z.string().min(1), clientSecret: z.string().min(1) });

function endpointsOf(target: TargetRecord): OAuthEndpoints {
  const definition = apiTarget(target.kind);
  if (!definition?.oauth) throw new ConnectError(`${target.kind} does not connect through OAuth in this version`);
  const settings = definition.settingsSchema.parse(target.settings);
  if (!usesOAuth(TARGET_SETUP[target.kind], settings)) {
    throw new ConnectError(
      `Target "${target.id}" logs in with an API token, not OAuth; there is nothing to connect (test it instead)`,
    );
  }
  return definition.oauth(settings);
}

/** The app's OAuth client: set up as (secret) fields of the target, or in its settings. */
async function clientOf(target: TargetRecord, secrets: SecretStore): Promise<z.infer<typeof clientSchema>> {
  const stored = (await secrets.get(target.secretRef ?? target.id)) ?? {};
  const client = clientSchema.safeParse({ ...target.settings, ...stored });
  if (!client.success) {
    throw new ConnectError(
      `Target "${target.id}" has no OAuth client id and secret; enter them in the setup before connecting`,
    );
  }
  return client.data;
}

function sameText(a: string, b: string): boolean {
  const left = Buffer.from(a);
  const right = Buffer.from(b);
  return left.length === right.length && timingSafeEqual(left, right);
}

/** A pasted redirect address (code + state, checked) or a bare code. */
export function parsePasted(pasted: string, expectedState: string): string {
  const text = pasted.trim();
  if (!/^https?:\/\//i.test(text)) return text;
  const query = new URL(text).searchParams;
  const error = query.get('error');
  if (error)
    throw new ConnectError(`The accounting system refused the connect: ${query.get('error_description') ?? error}`);
  const code = query.get('code');
  if (!code) throw new ConnectError('The pasted address holds no code');
  if (!sameText(query.get('state') ?? '', expectedState)) {
    throw new ConnectError('The pasted address belongs to another connect attempt (state does not match)');
  }
  return code;
}

/** Trades the code for tokens and stores them, keeping the other fields of the target's secret entry. */
async function exchangeAndStore(options: ConnectOptions, code: string, pending: Pending): Promise<void> {
  const { target, secrets } = options;
  const endpoints = endpointsOf(target);
  const client = await clientOf(target, secrets);
  const secretRef = target.secretRef ?? target.id;
  const http = connectorHttp(
    {
      targetId: target.id,
      settings: target.settings,
      secrets,
      secretRef,
      ...(options.tuning ? { tuning: options.tuning } : {}),
    },
    `${target.kind}-oauth`,
    endpoints.tokenUrl,
    { requests: 5, perMs: 1_000 },
  );
  const fail = (response: HttpResponse) => {
    const body = z
      .object({ error: z.string().optional(), error_description: z.string().optional() })
      .safeParse(response.body);
    const text = body.success ? (body.data.error_description ?? body.data.error) : undefined;
    return new ConnectorError('auth', text ?? `HTTP ${response.status}`, { status: response.status });
  };
  const tokens = await exchangeCode(
    http,
    endpoints,
    {
      ...client,
      code,
      redirectUri: pending.redirectUri,
      state: pending.state,
      ...(pending.codeVerifier ? { codeVerifier: pending.codeVerifier } : {}),
    },
    fail,
  );
  const previous = (await secrets.get(secretRef)) ?? {};
  // A new connect replaces the old tokens completely (an old expiry must not survive).
  const { accessExpiresAt: _expiry, refreshToken: _refresh, ...kept } = previous;
  await secrets.set(
    secretRef,
    Object.fromEntries(
      Object.entries({ ...kept, ...tokens }).filter((entry): entry is [string, string] => typeof entry[1] === 'string'),
    ),
  );
  await secrets.delete(pendingRef(target.id));
}

const PAGE = (title: string, text: string) =>
  `<!doctype html><meta charset="utf-8"><title>${title}</title><body style="font-family:sans-serif;margin:3rem">` +
  `<h1>${title}</h1><p>${text}</p></body>`;

/** Opens the loopback listener and returns the address for the browser. */
export async function startOAuthConnect(options: ConnectOptions): Promise<ConnectAttempt> {
  const endpoints = endpointsOf(options.target);
  const client = await clientOf(options.target, options.secrets);
  const state = randomBytes(24).toString('base64url');
  const pkce = endpoints.pkce ? pkcePair() : undefined;
  let settle!: { resolve: () => void; reject: (error: Error) => void };
  const done = new Promise<void>((resolve, reject) => (settle = { resolve, reject }));
  // The caller may only look at `done` later; an unobserved failure must not crash the process.
  done.catch(() => undefined);
  let finished = false;

  const finishWith = async (code: string, pending: Pending): Promise<void> => {
    if (finished) throw new ConnectError('This connect attempt is already finished');
    finished = true;
    try {
      await exchangeAndStore(options, code, pending);
      settle.resolve();
    } catch (error) {
      settle.reject(error as Error);
      throw error;
    }
  };

  const server: Server = createServer((request, response) => {
    const url = new URL(request.url ?? '/', 'http://127.0.0.1');
    if (request.method !== 'GET' || url.pathname !== CALLBACK_PATH) {
      response.writeHead(404).end();
      return;
    }
    const reply = (status: number, title: string, text: string) =>
      response
        .writeHead(status, { 'content-type': 'text/html; charset=utf-8', 'cache-control': 'no-store' })
        .end(PAGE(title, text));
    if (!sameText(url.searchParams.get('state') ?? '', state)) {
      reply(
        400,
        'Kassebro',
        'Denne lenken hører ikke til tilkoblingen som venter. / This link does not belong to the waiting connect.',
      );
      return;
    }
    const error = url.searchParams.get('error');
    const code = url.searchParams.get('code');
    if (error || !code) {
      const message = `The accounting system refused the connect: ${url.searchParams.get('error_description') ?? error ?? 'no code'}`;
      reply(400, 'Kassebro', message);
      if (!finished) {
        finished = true;
        settle.reject(new ConnectError(message));
        void close();
      }
      return;
    }
    finishWith(code, pending)
      .then(
        () => reply(200, 'Kassebro er tilkoblet', 'Du kan lukke dette vinduet. / You can close this window.'),
        (failure: Error) => reply(502, 'Kassebro', `Tilkoblingen feilet / The connect failed: ${failure.message}`),
      )
      .finally(() => void close());
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', resolve);
  });
  const redirectUri = `http://127.0.0.1:${(server.address() as AddressInfo).port}${CALLBACK_PATH}`;
  const pending: Pending = { redirectUri, state, ...(pkce ? { codeVerifier: pkce.verifier } : {}) };
  // Remembered so a code pasted in a later run (CLI --code) is exchanged with the same redirect address.
  await options.secrets.set(pendingRef(options.target.id), pending);

  const timer = setTimeout(
    () => {
      if (finished) return;
      finished = true;
      settle.reject(new ConnectError('Nobody came back from the browser in time; start the connect again'));
      void close();
    },
    options.timeoutMs ?? 10 * 60_000,
  );
  timer.unref();

  let closing: Promise<void> | undefined;
  function close(): Promise<void> {
    clearTimeout(timer);
    closing ??= new Promise<void>((resolve) => {
      server.close(() => resolve());
      server.closeAllConnections();
    });
    return closing;
  }

  return {
    url: authorizeUrl(endpoints, { clientId: client.clientId, redirectUri, state, ...(pkce ? { pkce } : {}) }),
    redirectUri,
    done,
    // A mistyped paste leaves the attempt waiting; an exchange (good or failed) ends it.
    finish: async (pasted) => {
      const code = parsePasted(pasted, state);
      await finishWith(code, pending).finally(() => void close());
    },
    close: () => {
      if (!finished) {
        finished = true;
        settle.reject(new ConnectError('The connect was cancelled'));
      }
      return close();
    },
  };
}

/** Finishes the last attempt started for the target (e.g. by an earlier CLI run) with a pasted code. */
export async function finishPendingConnect(options: ConnectOptions, pasted: string): Promise<void> {
  const pending = pendingSchema.safeParse(await options.secrets.get(pendingRef(options.target.id)));
  if (!pending.success) {
    throw new ConnectError(`No connect is waiting for target "${options.target.id}"; start one first`);
  }
  await exchangeAndStore(options, parsePasted(pasted, pending.data.state), pending.data);
}
