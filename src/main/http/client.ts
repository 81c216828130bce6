import type PQueue from 'p-queue';
import { setTimeout as sleep } from 'node:timers/promises';
import { ConnectorError } from '../connectors/errors';
import { redact } from '../log/redact';
import { backoffDelay, retryAfterMs, type BackoffPolicy } from './backoff';

export interface HttpRequest {
  readonly method: 'GET' | 'POST' | 'PUT' | 'DELETE';
  /** Path below the base URL, e.g. "/ledger/voucher". */
  readonly path: string;
  readonly query?: Readonly<Record<string, string | number | boolean | undefined>>;
  readonly headers?: Readonly<Record<string, string>>;
  readonly json?: unknown;
  readonly form?: Readonly<Record<string, string>>;
  /** A body that is neither JSON nor a form (SOAP XML), sent as is with its content type. */
  readonly text?: { readonly contentType: string; readonly body: string };
  /**
   * Whether sending it twice is harmless. Only idempotent requests are retried after a 5xx or a
   * network failure; a lost POST becomes "unknown outcome" for the engine to resolve.
   */
  readonly idempotent?: boolean;
}

export interface HttpResponse {
  readonly status: number;
  readonly headers: Headers;
  /** Parsed JSON when the body is JSON, else the text (or null when empty). */
  readonly body: unknown;
}

/** One request/response pair as the integration log shows it; already redacted. */
export interface Exchange {
  readonly request: { readonly method: string; readonly url: string; readonly body?: unknown };
  readonly response?: { readonly status: number; readonly body: unknown };
  readonly error?: string;
  readonly durationMs: number;
}

export interface HttpClientOptions {
  readonly baseUrl: string;
  readonly timeoutMs: number;
  readonly limiter: PQueue;
  /** Extra attempts after the first one for 429 (any request) and 5xx/network (idempotent ones). */
  readonly retries: number;
  readonly backoff: BackoffPolicy;
  /** Longest Retry-After we sit out inside one call; longer waits go back to the engine's schedule. */
  readonly maxWaitMs: number;
  readonly onExchange?: (exchange: Exchange) => void;
  readonly random?: () => number;
}

const NOT_SENT_CODES = new Set(['ECONNREFUSED', 'ENOTFOUND', 'EAI_AGAIN', 'ENETUNREACH', 'EHOSTUNREACH']);

/** The one HTTP layer every API connector uses: rate limit, timeout, retries, capture. */
export class HttpClient {
  constructor(private readonly options: HttpClientOptions) {}

  async request(request: HttpRequest): Promise<HttpResponse> {
    const idempotent = request.idempotent ?? request.method !== 'POST';
    for (let attempt = 0; ; attempt += 1) {
      const last = attempt >= this.options.retries;
      let response: HttpResponse;
      try {
        response = await this.options.limiter.add(() => this.once(request), { throwOnTimeout: true });
      } catch (error) {
        if (!(error instanceof ConnectorError)) throw error;
        const retry = !last && (error.code === 'offline' || (idempotent && error.code === 'unknown_outcome'));
        if (!retry) throw idempotent && error.code === 'unknown_outcome' ? this.asOffline(error) : error;
        await sleep(backoffDelay(attempt, this.options.backoff, this.options.random));
        continue;
      }
      const waitFor = this.retryWait(response, attempt, idempotent);
      if (last || waitFor === undefined) return response;
      await sleep(waitFor);
    }
  }

  /** How long to wait before retrying this response, or undefined to hand it to the caller. */
  private retryWait(response: HttpResponse, attempt: number, idempotent: boolean): number | undefined {
    const backoff = backoffDelay(attempt, this.options.backoff, this.options.random);
    if (response.status === 429) {
      const asked = retryAfterMs(response.headers) ?? backoff;
      return asked <= this.options.maxWaitMs ? asked : undefined;
    }
    if (response.status >= 500 && idempotent) return backoff;
    return undefined;
  }

  /** An idempotent request that never got an answer is simply "could not reach" for the caller. */
  private asOffline(error: ConnectorError): ConnectorError {
    return new ConnectorError('offline', error.targetMessage, { ...error.detail, mayHaveArrived: false });
  }

  private async once(request: HttpRequest): Promise<HttpResponse> {
    const url = new URL(this.options.baseUrl.replace(/\/$/, '') + request.path);
    for (const [name, value] of Object.entries(request.query ?? {})) {
      if (value !== undefined) url.searchParams.set(name, String(value));
    }
    const headers: Record<string, string> = { accept: 'application/json', ...request.headers };
    let body: string | undefined;
    if (request.json !== undefined) {
      headers['content-type'] = 'application/json; charset=utf-8';
      body = JSON.stringify(request.json);
    } else if (request.form) {
      headers['content-type'] = 'application/x-www-form-urlencoded';
      body = new URLSearchParams(request.form).toString();
    } else if (request.text) {
      headers['content-type'] = request.text.contentType;
      body = request.text.body;
    }
    const started = performance.now();
    const captured = {
      method: request.method,
      url: url.toString(),
      body: request.json ?? request.form ?? request.text?.body,
    };
    try {
      const raw = await fetch(url, {
        method: request.method,
        headers,
        body,
        signal: AbortSignal.timeout(this.options.timeoutMs),
      });
      const text = await raw.text();
      const parsed = parseBody(text, raw.headers.get('content-type'));
      this.capture({ request: captured, response: { status: raw.status, body: parsed }, durationMs: since(started) });
      return { status: raw.status, headers: raw.headers, body: parsed };
    } catch (error) {
      const failure = networkFailure(error);
      this.capture({ request: captured, error: failure.targetMessage, durationMs: since(started) });
      throw failure;
    }
  }

  private capture(exchange: Exchange): void {
    this.options.onExchange?.(redact(exchange) as Exchange);
  }
}

function since(started: number): number {
  return Math.round(performance.now() - started);
}

function parseBody(text: string, contentType: string | null): unknown {
  if (text === '') return null;
  if (contentType?.includes('json')) {
    try {
      return JSON.parse(text) as unknown;
    } catch {
      return text;
    }
  }
  return text;
}

/**
 * A request that got no answer. Refused/unresolvable connections never reached the target
 * ("offline"); anything else (timeout, reset, dropped socket) may have been processed there.
 */
function networkFailure(error: unknown): ConnectorError {
  const cause = error instanceof Error && error.cause instanceof Error ? error.cause : undefined;
  const code = (cause as NodeJS.ErrnoException | undefined)?.code;
  const message = [error instanceof Error ? error.message : String(error), cause?.message].filter(Boolean).join(': ');
  if (code && NOT_SENT_CODES.has(code)) return new ConnectorError('offline', message, { mayHaveArrived: false });
  return new ConnectorError('unknown_outcome', message, { mayHaveArrived: true });
}
