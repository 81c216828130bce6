import type { Language } from '../../shared/settlement-keys';
import type { Connector } from '../connectors/connector';
import type { BackoffPolicy } from '../http/backoff';
import type { Db } from '../store/database';
import { DEFAULT_LOOKUP_DELAY, drainOutbox, ExchangeRecorder, type LookupDelay, type OutboxItem } from './delivery';
import { acquireSyncLease } from './lock';
import { enqueueReady, nextDue, outboxRow, type DueVoucher } from './outbox';

export { ExchangeRecorder } from './delivery';

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
  /** How long a voucher that may be on its way is left alone before it is looked up (default: the default tuning's). */
  readonly lookupDelay?: LookupDelay;
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

/** A voucher of the outbox as the delivery loop handles it. */
function voucherItem(db: Db, due: DueVoucher, connector: Connector): OutboxItem {
  const voucher = due.voucher;
  if (!voucher) throw new Error(`Voucher ${due.id} has no lines`);
  return {
    id: due.id,
    attempts: due.attempts,
    state: due.state,
    description: voucher.description,
    module: 'voucher',
    voucherId: due.id,
    findExisting: () => connector.findExisting(due.idempotencyKey, voucher),
    send: () => connector.postVoucher(voucher, due.idempotencyKey),
    ...outboxRow(db, 'vouchers', due.id),
  };
}

/**
 * One pass over a target's outbox, oldest business date first, under the target's lease. The
 * state is committed before every network call; a voucher that may have reached the target (left
 * 'sending', timed out, connection dropped) is looked up by its idempotency key before it is ever
 * sent again, once the target can have finished with it. Throws LeaseLostError when another run
 * took the lease over (nothing more is sent).
 */
export async function runSync(db: Db, options: SyncRunOptions): Promise<SyncRunResult> {
  const now = options.now ?? (() => new Date());
  const lease = acquireSyncLease(db, options.targetId, { now });
  if (!lease) return { outcome: 'locked', posted: 0, foundExisting: 0, failed: 0 };
  try {
    enqueueReady(db, options.targetId, options.exportFrom, now());
    const next = (attempted: ReadonlySet<number>): OutboxItem | undefined => {
      for (;;) {
        const due = nextDue(db, options.targetId, now(), attempted);
        if (!due) return undefined;
        if (due.voucher) return voucherItem(db, due, options.connector);
        outboxRow(db, 'vouchers', due.id).markFailed(
          { code: 'bad_request', message: 'Voucher has no lines', retryAt: null },
          now(),
        );
      }
    };
    const { stop, counts } = await drainOutbox(
      {
        db,
        targetId: options.targetId,
        language: options.language,
        recorder: options.recorder ?? new ExchangeRecorder(),
        lease,
        lookupDelay: options.lookupDelay ?? DEFAULT_LOOKUP_DELAY,
        ...(options.retryBackoff ? { retryBackoff: options.retryBackoff } : {}),
        ...(options.maxRateLimitWaitMs === undefined ? {} : { maxRateLimitWaitMs: options.maxRateLimitWaitMs }),
        now,
      },
      next,
    );
    return { outcome: stop ?? 'done', ...counts };
  } finally {
    lease.release();
  }
}
