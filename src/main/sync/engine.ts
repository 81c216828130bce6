import { setTimeout as sleep } from 'node:timers/promises';
import type { Language } from '../../shared/settlement-keys';
import type { Connector, PostedVoucher } from '../connectors/connector';
import { ConnectorError, explainError, isTransient, type SyncErrorCode } from '../connectors/errors';
import { backoffDelay, type BackoffPolicy } from '../http/backoff';
import type { Exchange } from '../http/client';
import type { Db } from '../store/database';
import { appendLog } from '../store/integration-log';
import { acquireSyncLock } from './lock';
import { enqueueReady, markFailed, markNotSent, markPosted, markSending, nextDue, type DueVoucher } from './outbox';

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

export interface SyncRunOptions {
  readonly targetId: string;
  readonly connector: Connector;
  readonly recorder?: ExchangeRecorder;
  readonly language: Language;
  /** Z-reports dated before this are history from before go-live and are never posted. */
  readonly exportFrom: string | null;
  /** Backoff between automatic retries of transient failures. */
  readonly retryBackoff?: BackoffPolicy;
  /** Longest 429 wait sat out inside a run; longer ones end the run. */
  readonly maxRateLimitWaitMs?: number;
  readonly now?: () => Date;
}

export interface SyncRunResult {
  /** 'locked' when another runner holds the target. */
  readonly outcome: 'done' | 'locked' | 'offline' | 'target-unavailable' | 'auth';
  readonly posted: number;
  /** Posted vouchers that were found at the target after an unknown outcome instead of re-sent. */
  readonly foundExisting: number;
  readonly failed: number;
}

const DEFAULT_RETRY_BACKOFF: BackoffPolicy = { baseMs: 60_000, maxMs: 6 * 3_600_000 };

/**
 * One pass over a target's outbox, oldest business date first. The state is committed before
 * every network call; a voucher that may have reached the target (left 'sending', timed out,
 * connection dropped) is looked up by its idempotency key before it is ever sent again.
 */
export async function runSync(db: Db, options: SyncRunOptions): Promise<SyncRunResult> {
  const now = options.now ?? (() => new Date());
  const lock = acquireSyncLock(db, options.targetId, now());
  if (!lock) return { outcome: 'locked', posted: 0, foundExisting: 0, failed: 0 };
  const counts = { posted: 0, foundExisting: 0, failed: 0 };
  const attempted = new Set<number>();
  try {
    enqueueReady(db, options.targetId, options.exportFrom, now());
    for (;;) {
      const voucher = nextDue(db, options.targetId, now(), attempted);
      if (!voucher) return { outcome: 'done', ...counts };
      attempted.add(voucher.id);
      const stop = await handle(db, voucher, options, counts, now);
      lock.renew(now());
      // Refused for speed, not for content: it goes again in this run, after the wait.
      if (stop === 'again') attempted.delete(voucher.id);
      else if (stop) return { outcome: stop, ...counts };
    }
  } finally {
    lock.release();
  }
}

type Stop = Exclude<SyncRunResult['outcome'], 'done' | 'locked'> | 'again' | null;

async function handle(
  db: Db,
  due: DueVoucher,
  options: SyncRunOptions,
  counts: { posted: number; foundExisting: number; failed: number },
  now: () => Date,
): Promise<Stop> {
  const voucher = due.voucher;
  if (!voucher) {
    markFailed(db, due.id, { code: 'bad_request', message: 'Voucher has no lines', retryAt: null }, now());
    return null;
  }
  const recorder = options.recorder ?? new ExchangeRecorder();
  recorder.take();
  try {
    // Sent before (crash, timeout, dropped connection): ask before sending again.
    if (due.attempts > 0 || due.state === 'sending') {
      const existing = await options.connector.findExisting(due.idempotencyKey, voucher);
      if (existing) {
        posted(db, due, existing, options, recorder, now, true);
        counts.foundExisting += 1;
        counts.posted += 1;
        return null;
      }
    }
    markSending(db, due.id, now());
    const result = await options.connector.postVoucher(voucher, due.idempotencyKey);
    posted(db, due, result, options, recorder, now, false);
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
    return failed(db, due, error, options, recorder, counts, now);
  }
}

function lastLogCode(db: Db, targetId: string): string | null {
  const row = db
    .prepare('SELECT code FROM integration_log WHERE target_id = ? ORDER BY id DESC LIMIT 1')
    .get(targetId) as { code: string | null } | undefined;
  return row?.code ?? null;
}

function posted(
  db: Db,
  due: DueVoucher,
  result: PostedVoucher,
  options: SyncRunOptions,
  recorder: ExchangeRecorder,
  now: () => Date,
  found: boolean,
): void {
  const exchanges = recorder.take();
  db.transaction(() => {
    markPosted(db, due.id, result, now());
    appendLog(
      db,
      {
        targetId: options.targetId,
        voucherId: due.id,
        module: 'voucher',
        status: 'transferred',
        code: found ? 'found_existing' : 'posted',
        message: found
          ? `${due.voucher?.description ?? ''}: already in the target as ${result.number ?? result.externalId}; not sent again`
          : `${due.voucher?.description ?? ''}: posted as ${result.number ?? result.externalId}`,
        payload: exchanges.map((exchange) => exchange.request),
        response: exchanges.map((exchange) => exchange.response ?? { error: exchange.error }),
      },
      now(),
    );
  })();
}

async function failed(
  db: Db,
  due: DueVoucher,
  error: ConnectorError,
  options: SyncRunOptions,
  recorder: ExchangeRecorder,
  counts: { posted: number; foundExisting: number; failed: number },
  now: () => Date,
): Promise<Stop> {
  const exchanges = recorder.take();
  const code: SyncErrorCode = error.code;
  const explained = explainError(error, options.language);
  const backoff = options.retryBackoff ?? DEFAULT_RETRY_BACKOFF;
  const retryAt = new Date(now().getTime() + backoffDelay(due.attempts, backoff));

  const log = (status: 'not_transferred' | 'info') =>
    appendLog(
      db,
      {
        targetId: options.targetId,
        voucherId: due.id,
        module: code === 'auth' ? 'login' : 'voucher',
        status,
        code,
        message: `${due.voucher?.description ?? ''}: ${explained.explanation} ${explained.hint}`,
        targetMessage: error.targetMessage,
        payload: exchanges.map((exchange) => exchange.request),
        response: exchanges.map((exchange) => exchange.response ?? { error: exchange.error }),
      },
      now(),
    );

  // Certainly not stored: back in the queue. Said once, not on every run while it lasts.
  if (code === 'offline' || code === 'rate_limited' || code === 'auth') {
    db.transaction(() => {
      markNotSent(db, due.id, now());
      if (lastLogCode(db, options.targetId) !== code) log(code === 'auth' ? 'not_transferred' : 'info');
    })();
    if (code === 'rate_limited') {
      const wait = error.detail.retryAfterMs ?? backoffDelay(due.attempts, { baseMs: 1_000, maxMs: 60_000 });
      if (wait > (options.maxRateLimitWaitMs ?? 120_000)) return 'target-unavailable';
      await sleep(wait);
      return 'again';
    }
    return code === 'auth' ? 'auth' : 'offline';
  }
  if (code === 'duplicate') {
    // The target already has something with this reference: most likely our own earlier attempt.
    const existing = await options.connector.findExisting(
      due.idempotencyKey,
      due.voucher as NonNullable<typeof due.voucher>,
    );
    if (existing) {
      posted(db, due, existing, options, recorder, now, true);
      counts.posted += 1;
      counts.foundExisting += 1;
      return null;
    }
  }
  counts.failed += 1;
  db.transaction(() => {
    markFailed(db, due.id, { code, message: error.targetMessage, retryAt: isTransient(code) ? retryAt : null }, now());
    log('not_transferred');
  })();
  return code === 'server_error' ? 'target-unavailable' : null;
}
