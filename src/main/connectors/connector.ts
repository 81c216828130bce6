import type { ChartAccount, VatCodeInfo } from '../domain/chart';
import { HttpClient, type Exchange } from '../http/client';
import { rateLimiterFor } from '../http/rate-limit';
import type { SecretStore } from '../secrets/secret-store';
import type { Voucher } from '../vouchers/voucher';
import type { InvoiceConnector } from './invoice-connector';

/** What the target holds for one of our vouchers. */
export interface PostedVoucher {
  /** The target's id (used to read it back). */
  readonly externalId: string;
  /** The number people see in the target ("A 17", "2025-412"), when it has one. */
  readonly number: string | null;
}

export interface ConnectionInfo {
  /** Company or organisation the credentials belong to, as the target names it. */
  readonly company: string;
}

export interface FetchedChart {
  readonly accounts: readonly ChartAccount[];
  readonly vatCodes: readonly VatCodeInfo[] | null;
  readonly departments: readonly { readonly code: string; readonly name: string }[];
  /** Voucher series (Fortnox); empty where the target has none. */
  readonly voucherSeries: readonly { readonly code: string; readonly name: string }[];
}

/**
 * One interface for every target. API connectors speak HTTP through the shared client; a file
 * target can implement the same methods (post = write a file, findExisting = look in its ledger).
 * Every method throws ConnectorError with an app error code and the target's own message.
 */
export interface Connector {
  readonly kind: string;
  testConnection(): Promise<ConnectionInfo>;
  fetchChart(): Promise<FetchedChart>;
  /** Sends one balanced voucher; the key is stored in the target where it has a field for it. */
  postVoucher(voucher: Voucher, idempotencyKey: string): Promise<PostedVoucher>;
  /** Asks the target whether it already holds the voucher with this key (after a crash or timeout). */
  findExisting(idempotencyKey: string, voucher: Voucher): Promise<PostedVoucher | null>;
  /** Gets fresh credentials (session token, access token); persisted before they are used. */
  refreshAuth(): Promise<void>;
  /** Present when the target can take customers and invoices (docs/invoices.md). */
  readonly invoices?: InvoiceConnector;
}

/** What a connector needs from the app: where secrets are, where to capture traffic. */
export interface ConnectorContext {
  readonly targetId: string;
  readonly settings: Readonly<Record<string, unknown>>;
  readonly secrets: SecretStore;
  /** Name of this target's entry in the secret store. */
  readonly secretRef: string;
  readonly onExchange?: (exchange: Exchange) => void;
  /** Shorter timeouts/backoff for tests and benches; production uses the defaults. */
  readonly tuning?: Partial<ConnectorTuning>;
}

export interface ConnectorTuning {
  readonly timeoutMs: number;
  readonly retries: number;
  readonly backoffBaseMs: number;
  readonly backoffMaxMs: number;
  readonly maxWaitMs: number;
  /**
   * How much longer than our wait for an answer the target may still take to store what we sent;
   * an item that may be on its way is looked up only after that (docs/sync.md).
   */
  readonly lookupMarginMs: number;
  /** Overrides the target's default rate limit (requests per window). */
  readonly rateLimit: { readonly requests: number; readonly perMs: number };
}

export const DEFAULT_TUNING: Omit<ConnectorTuning, 'rateLimit'> = {
  timeoutMs: 30_000,
  retries: 3,
  backoffBaseMs: 500,
  backoffMaxMs: 30_000,
  maxWaitMs: 60_000,
  lookupMarginMs: 120_000,
};

/**
 * The HTTP client a connector talks through: the context's tuning, and the target's rate limiter
 * (shared per target and process). `name` keys the limiter; every client of a target shares it.
 */
export function connectorHttp(
  context: ConnectorContext,
  name: string,
  baseUrl: string,
  defaultRateLimit: { readonly requests: number; readonly perMs: number },
): HttpClient {
  const tuning = { ...DEFAULT_TUNING, ...context.tuning };
  return new HttpClient({
    baseUrl,
    timeoutMs: tuning.timeoutMs,
    retries: tuning.retries,
    backoff: { baseMs: tuning.backoffBaseMs, maxMs: tuning.backoffMaxMs },
    maxWaitMs: tuning.maxWaitMs,
    limiter: rateLimiterFor(`${name}:${context.targetId}`, context.tuning?.rateLimit ?? defaultRateLimit),
    onExchange: context.onExchange,
  });
}
