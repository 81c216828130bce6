import { setTimeout as sleep } from 'node:timers/promises';
import type { Language } from '../../shared/settlement-keys';
import { ConnectorError, explainError, isTransient, type SyncErrorCode } from '../connectors/errors';
import { backoffDelay, type BackoffPolicy } from '../http/backoff';
import type { Exchange } from '../http/client';
import { writeTransaction, type Db } from '../store/database';
import { appendLog } from '../store/integration-log';

/** Collects the HTTP exchanges of one attempt so its log row can show them ("Vis"). */
export class ExchangeRecorder {
  private exchanges: Exchange[] = [];
  readonly record = (exchange: Exchange): void => {
    this.exchanges.push(exchange);
  };
  take(): Exchange[] {
    const taken = this.exchanges;
    this.exchanges = [];
    return taken;
  }
}

/** What the target answered for one item: its id there and the number people see. */
export interface Delivered {
  readonly externalId: string;
  readonly number: string | null;
}

/**
 * One item of an outbox (a voucher, an invoice) as the delivery loop sees it: its state on disk
 * and how to ask the target about it. Every mark* is one committed statement.
 */
export interface OutboxItem {
  readonly id: number;
  readonly attempts: number;
  /** 'sending' = a run ended while the request may have been on its way. */
  readonly state: string;
  /** Names the item in log rows ("Dagsoppgjør 12/10009 2026-11-02", "Faktura 6001"). */
  readonly description: string;
  /** The log module of the item ('voucher', 'invoice'). */
  readonly module: string;
  readonly voucherId?: number;
  /** The item's own explanation of an error, where it differs from a voucher's (null = the general one). */
  readonly explain?: (error: ConnectorError, language: Language) => { explanation: string; hint: string } | null;
  /** Work that must happen before the item can be sent (e.g. the customer must exist); may throw. */
  readonly prepare?: () => Promise<void>;
  findExisting(): Promise<Delivered | null>;
  send(): Promise<Delivered>;
  markSending(now: Date): void;
  markPosted(result: Delivered, now: Date): void;
  markFailed(failure: { code: SyncErrorCode; message: string; retryAt: Date | null }, now: Date): void;
  markNotSent(now: Date): void;
}

export interface DeliveryOptions {
  readonly db: Db;
  readonly targetId: string;
  readonly language: Language;
  readonly recorder: ExchangeRecorder;
  readonly retryBackoff?: BackoffPolicy;
  /** Longest 429 wait sat out inside a run; longer ones end the run. */
  readonly maxRateLimitWaitMs?: number;
  readonly now: () => Date;
}

export interface DeliveryCounts {
  posted: number;
  /** Items found at the target after an unknown outcome instead of re-sent. */
  foundExisting: number;
  failed: number;
}

/** Why a run stops early; 'again' = refused for speed, the same item goes again after the wait. */
export type DeliveryStop = 'offline' | 'target-unavailable' | 'auth' | 'again' | null;

const DEFAULT_RETRY_BACKOFF: BackoffPolicy = { baseMs: 60_000, maxMs: 6 * 3_600_000 };

/**
 * Delivers one item exactly once: the state is committed before the request leaves, and an item
 * that may have reached the target (left 'sending', sent before, "already in use") is looked up
 * before it is ever sent again.
 */
export async function deliver(
  item: OutboxItem,
  options: DeliveryOptions,
  counts: DeliveryCounts,
): Promise<DeliveryStop> {
  options.recorder.take();
  try {
    await item.prepare?.();
    if (item.attempts > 0 || item.state === 'sending') {
      const existing = await item.findExisting();
      if (existing) {
        delivered(item, existing, options, true);
        counts.foundExisting += 1;
        counts.posted += 1;
        return null;
      }
    }
    item.markSending(options.now());
    const result = await item.send();
    delivered(item, result, options, false);
    counts.posted += 1;
    return null;
  } catch (thrown) {
    const error =
      thrown instanceof ConnectorError
        ? thrown
        : // Anything else after the request may have left (e.g. an answer we could not read) is an unknown outcome.
          new ConnectorError('unknown_outcome', thrown instanceof Error ? thrown.message : String(thrown), {
            mayHaveArrived: true,
          });
    return failed(item, error, options, counts);
  }
}

function lastLogCode(db: Db, targetId: string): string | null {
  const row = db
    .prepare('SELECT code FROM integration_log WHERE target_id = ? ORDER BY id DESC LIMIT 1')
    .get(targetId) as { code: string | null } | undefined;
  return row?.code ?? null;
}

function delivered(item: OutboxItem, result: Delivered, options: DeliveryOptions, found: boolean): void {
  const exchanges = options.recorder.take();
  const now = options.now();
  writeTransaction(options.db, () => {
    item.markPosted(result, now);
    appendLog(
      options.db,
      {
        targetId: options.targetId,
        voucherId: item.voucherId ?? null,
        module: item.module,
        status: 'transferred',
        code: found ? 'found_existing' : 'posted',
        message: found
          ? `${item.description}: already in the target as ${result.number ?? result.externalId}; not sent again`
          : `${item.description}: posted as ${result.number ?? result.externalId}`,
        payload: exchanges.map((exchange) => exchange.request),
        response: exchanges.map((exchange) => exchange.response ?? { error: exchange.error }),
      },
      now,
    );
  });
}

async function failed(
  item: OutboxItem,
  error: ConnectorError,
  options: DeliveryOptions,
  counts: DeliveryCounts,
): Promise<DeliveryStop> {
  const { db } = options;
  const exchanges = options.recorder.take();
  const code: SyncErrorCode = error.code;
  const explained = item.explain?.(error, options.language) ?? explainError(error, options.language);
  const backoff = options.retryBackoff ?? DEFAULT_RETRY_BACKOFF;
  const now = options.now();
  const retryAt = new Date(now.getTime() + backoffDelay(item.attempts, backoff));

  const log = (status: 'not_transferred' | 'info') =>
    appendLog(
      db,
      {
        targetId: options.targetId,
        voucherId: item.voucherId ?? null,
        module: code === 'auth' ? 'login' : item.module,
        status,
        code,
        message: `${item.description}: ${explained.explanation} ${explained.hint}`,
        targetMessage: error.targetMessage,
        payload: exchanges.map((exchange) => exchange.request),
        response: exchanges.map((exchange) => exchange.response ?? { error: exchange.error }),
      },
      now,
    );

  // Certainly not stored: back in the queue. Said once, not on every run while it lasts.
  if (code === 'offline' || code === 'rate_limited' || code === 'auth') {
    writeTransaction(db, () => {
      item.markNotSent(now);
      if (lastLogCode(db, options.targetId) !== code) log(code === 'auth' ? 'not_transferred' : 'info');
    });
    if (code === 'rate_limited') {
      const wait = error.detail.retryAfterMs ?? backoffDelay(item.attempts, { baseMs: 1_000, maxMs: 60_000 });
      if (wait > (options.maxRateLimitWaitMs ?? 120_000)) return 'target-unavailable';
      await sleep(wait);
      return 'again';
    }
    return code === 'auth' ? 'auth' : 'offline';
  }
  if (code === 'duplicate') {
    // The target already has something with this reference: most likely our own earlier attempt.
    const existing = await item.findExisting();
    if (existing) {
      delivered(item, existing, options, true);
      counts.posted += 1;
      counts.foundExisting += 1;
      return null;
    }
  }
  counts.failed += 1;
  writeTransaction(db, () => {
    item.markFailed({ code, message: error.targetMessage, retryAt: isTransient(code) ? retryAt : null }, now);
    log('not_transferred');
  });
  return code === 'server_error' ? 'target-unavailable' : null;
}

/**
 * Works through an outbox: `next` gives the next due item not yet tried in this run. Stops when
 * nothing is due or the target cannot be reached; a 429 puts the item back for another go.
 */
export async function drainOutbox(
  options: DeliveryOptions,
  next: (attempted: ReadonlySet<number>) => OutboxItem | undefined,
  afterEach: () => void,
): Promise<{ stop: Exclude<DeliveryStop, 'again' | null> | null; counts: DeliveryCounts }> {
  const counts: DeliveryCounts = { posted: 0, foundExisting: 0, failed: 0 };
  const attempted = new Set<number>();
  for (;;) {
    const item = next(attempted);
    if (!item) return { stop: null, counts };
    attempted.add(item.id);
    const stop = await deliver(item, options, counts);
    afterEach();
    if (stop === 'again') attempted.delete(item.id);
    else if (stop) return { stop, counts };
  }
}
