import { setTimeout as sleep } from 'node:timers/promises';
import type { Language } from '../../shared/settlement-keys';
import { DEFAULT_TUNING, type ConnectorTuning } from '../connectors/connector';
import { ConnectorError, explainError, isTransient } from '../connectors/errors';
import { backoffDelay, type BackoffPolicy } from '../http/backoff';
import type { Exchange } from '../http/client';
import { createLogger } from '../log/logger';
import { writeTransaction, type Db } from '../store/database';
import { appendLog } from '../store/integration-log';
import { LeaseLostError, type SyncLease } from './lock';
import type { OutboxRow } from './outbox';

const log = createLogger('sync');

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
export interface OutboxItem extends OutboxRow {
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
}

/**
 * How long the target may still be working on a request we no longer wait for. An item that may
 * be on its way is looked up only after that, so a look-up never misses a request still running.
 */
export interface LookupDelay {
  /** The HTTP layer's timeout for one request. */
  readonly requestTimeoutMs: number;
  /** How much longer than our wait (timeout, dropped connection, killed process) the target may take. */
  readonly marginMs: number;
}

export function lookupDelayOf(tuning: Pick<ConnectorTuning, 'timeoutMs' | 'lookupMarginMs'>): LookupDelay {
  return { requestTimeoutMs: tuning.timeoutMs, marginMs: tuning.lookupMarginMs };
}

export const DEFAULT_LOOKUP_DELAY: LookupDelay = lookupDelayOf(DEFAULT_TUNING);

export interface DeliveryOptions {
  readonly db: Db;
  readonly targetId: string;
  readonly language: Language;
  readonly recorder: ExchangeRecorder;
  /** The run's lease on the outbox: confirmed before anything is sent. */
  readonly lease: Pick<SyncLease, 'confirm'>;
  readonly lookupDelay: LookupDelay;
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

/** Where in delivering an item a failure happened. */
type Step = 'prepare' | 'lookup' | 'send';

/**
 * Delivers one item exactly once: the lease is confirmed and the state committed before the
 * request leaves, and an item that may have reached the target (left 'sending', sent before,
 * "already in use") is looked up before it is ever sent again — but only once the target can have
 * finished with it (`lookup_after`; the outbox does not hand it out earlier). A failed look-up is
 * a failure like any other: it never leads to a send.
 */
export async function deliver(
  item: OutboxItem,
  options: DeliveryOptions,
  counts: DeliveryCounts,
): Promise<DeliveryStop> {
  options.recorder.take();
  let step: Step = 'prepare';
  try {
    options.lease.confirm();
    await item.prepare?.();
    if (item.attempts > 0 || item.state === 'sending') {
      step = 'lookup';
      const existing = await item.findExisting();
      if (existing) {
        delivered(item, existing, options, true);
        counts.foundExisting += 1;
        counts.posted += 1;
        return null;
      }
    }
    step = 'send';
    writeTransaction(options.db, () => {
      options.lease.confirm();
      item.markSending(options.now(), lookupAfterWhileSending(options));
    });
    const result = await whileOnItsWay(item, options);
    delivered(item, result, options, false);
    counts.posted += 1;
    return null;
  } catch (thrown) {
    if (thrown instanceof LeaseLostError) throw thrown;
    const error =
      thrown instanceof ConnectorError
        ? thrown
        : // Anything else after the request may have left (e.g. an answer we could not read) is an unknown outcome.
          new ConnectorError('unknown_outcome', thrown instanceof Error ? thrown.message : String(thrown), {
            mayHaveArrived: true,
          });
    return failed(item, error, step, options, counts);
  }
}

/** How often a request on its way pushes its item's earliest look-up further out. */
function heartbeatMs(delay: LookupDelay): number {
  return delay.requestTimeoutMs / 4;
}

/**
 * The earliest look-up while a request may be on its way: if this process dies before the next
 * heartbeat, a request it had sent still gets our whole timeout plus the margin.
 */
function lookupAfterWhileSending(options: DeliveryOptions): Date {
  const { lookupDelay } = options;
  return new Date(
    options.now().getTime() + heartbeatMs(lookupDelay) + lookupDelay.requestTimeoutMs + lookupDelay.marginMs,
  );
}

/** Sends the item, keeping its look-up time ahead of the request for as long as it runs. */
async function whileOnItsWay(item: OutboxItem, options: DeliveryOptions): Promise<Delivered> {
  const heartbeat = setInterval(() => {
    try {
      item.holdLookup(lookupAfterWhileSending(options));
    } catch (error) {
      // A busy database: the window set before sending still holds; the next beat tries again.
      log.warn(`could not extend the look-up time of ${item.description}`, error);
    }
  }, heartbeatMs(options.lookupDelay));
  heartbeat.unref();
  try {
    return await item.send();
  } finally {
    clearInterval(heartbeat);
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
  step: Step,
  options: DeliveryOptions,
  counts: DeliveryCounts,
): Promise<DeliveryStop> {
  const { db } = options;
  const exchanges = options.recorder.take();
  const { code } = error;
  const explained = item.explain?.(error, options.language) ?? explainError(error, options.language);
  const backoff = options.retryBackoff ?? DEFAULT_RETRY_BACKOFF;
  const now = options.now();
  // A request that got no answer may still be running at the target: no look-up before the margin is over.
  const lookupAfter =
    step === 'send' && code === 'unknown_outcome' ? new Date(now.getTime() + options.lookupDelay.marginMs) : null;
  const backoffAt = now.getTime() + backoffDelay(item.attempts, backoff);
  const retryAt = new Date(Math.max(backoffAt, lookupAfter?.getTime() ?? 0));

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
    item.markFailed(
      {
        code,
        message: error.targetMessage,
        retryAt: isTransient(code) ? retryAt : null,
        lookupAfter,
        countAttempt: step === 'lookup',
      },
      now,
    );
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
): Promise<{ stop: Exclude<DeliveryStop, 'again' | null> | null; counts: DeliveryCounts }> {
  const counts: DeliveryCounts = { posted: 0, foundExisting: 0, failed: 0 };
  const attempted = new Set<number>();
  for (;;) {
    const item = next(attempted);
    if (!item) return { stop: null, counts };
    attempted.add(item.id);
    const stop = await deliver(item, options, counts);
    if (stop === 'again') attempted.delete(item.id);
    else if (stop) return { stop, counts };
  }
}
