import type { Db } from '../store/database';
import type { SyncErrorCode } from '../connectors/errors';
import type { PostedVoucher } from '../connectors/connector';
import { listVouchers, type StoredVoucher } from '../store/vouchers';

/**
 * The outbox lives on the vouchers table: ready → queued → sending → posted | failed. Each
 * function is one committed statement, so the state on disk is always the truth about what may
 * have reached the target.
 */

/** Hands every ready voucher dated on or after the export-from date to the sync engine. */
export function enqueueReady(db: Db, targetId: string, exportFrom: string | null, now: Date): number {
  return db
    .prepare(
      `UPDATE vouchers SET state = 'queued', updated_at = ?
       WHERE target_id = ? AND state = 'ready' AND (? IS NULL OR date >= ?)`,
    )
    .run(now.toISOString(), targetId, exportFrom, exportFrom).changes;
}

export interface DueVoucher extends StoredVoucher {
  readonly attempts: number;
}

/**
 * The next voucher to work on, oldest business date first: one left 'sending' by a crash, a
 * queued one, or a transiently failed one whose wait is over; never one that may still be on its
 * way to the target (its `lookup_after` not reached).
 */
export function nextDue(
  db: Db,
  targetId: string,
  now: Date,
  skip: ReadonlySet<number> = new Set(),
): DueVoucher | undefined {
  const skipped = [...skip];
  const row = db
    .prepare(
      `SELECT v.id, v.settlement_id, v.attempts FROM vouchers v JOIN settlements s ON s.id = v.settlement_id
       WHERE v.target_id = ? AND (v.state IN ('queued', 'sending') OR (v.state = 'failed' AND v.next_attempt_at <= ?))
         AND (v.lookup_after IS NULL OR v.lookup_after <= ?)
         AND v.id NOT IN (${skipped.map(() => '?').join(', ')})
       ORDER BY s.business_date, s.register_id, s.id LIMIT 1`,
    )
    .get(targetId, now.toISOString(), now.toISOString(), ...skipped) as
    { id: number; settlement_id: number; attempts: number } | undefined;
  if (!row) return undefined;
  const [stored] = listVouchers(db, { targetId, settlementId: row.settlement_id });
  return stored ? { ...stored, attempts: row.attempts } : undefined;
}

/** The outbox tables: vouchers and invoices move through the same states in the same columns. */
export type OutboxTable = 'vouchers' | 'invoice_outbox';

/** How an attempt failed, as the outbox row keeps it. */
export interface FailedAttempt {
  readonly code: SyncErrorCode;
  readonly message: string;
  /** Retried at this time when the error is transient; null = waits for a person. */
  readonly retryAt: Date | null;
  /** Set when the request may still be on its way: the item is not looked up before then. */
  readonly lookupAfter?: Date | null;
  /** A failed look-up: counted like a send (which counts in markSending), so the backoff grows. */
  readonly countAttempt?: boolean;
}

/** One outbox row's state transitions, each a single committed statement. */
export interface OutboxRow {
  /**
   * Committed before the request leaves: from here on the target may hold the item, so it is not
   * looked up before `lookupAfter` (the target may still be working on it).
   */
  markSending(now: Date, lookupAfter: Date): void;
  /** The heartbeat of a request on its way: pushes the earliest look-up further out. */
  holdLookup(lookupAfter: Date): void;
  markPosted(posted: PostedVoucher, now: Date): void;
  markFailed(failure: FailedAttempt, now: Date): void;
  /** The request certainly did not reach the target (refused connection, 429): back in the queue. */
  markNotSent(now: Date): void;
}

export function outboxRow(db: Db, table: OutboxTable, id: number): OutboxRow {
  return {
    markSending: (now, lookupAfter) =>
      db
        .prepare(
          `UPDATE ${table} SET state = 'sending', attempts = attempts + 1, next_attempt_at = NULL, lookup_after = ?,
             updated_at = ? WHERE id = ?`,
        )
        .run(lookupAfter.toISOString(), now.toISOString(), id),
    holdLookup: (lookupAfter) =>
      db
        .prepare(`UPDATE ${table} SET lookup_after = ? WHERE id = ? AND state = 'sending'`)
        .run(lookupAfter.toISOString(), id),
    markPosted: (posted, now) =>
      db
        .prepare(
          `UPDATE ${table} SET state = 'posted', external_id = ?, external_number = ?, posted_at = ?, error_code = NULL,
             error_message = NULL, next_attempt_at = NULL, lookup_after = NULL, updated_at = ? WHERE id = ?`,
        )
        .run(posted.externalId, posted.number, now.toISOString(), now.toISOString(), id),
    markFailed: (failure, now) =>
      db
        .prepare(
          `UPDATE ${table} SET state = 'failed', error_code = ?, error_message = ?, next_attempt_at = ?, lookup_after = ?,
             attempts = attempts + ?, updated_at = ? WHERE id = ?`,
        )
        .run(
          failure.code,
          failure.message,
          failure.retryAt?.toISOString() ?? null,
          failure.lookupAfter?.toISOString() ?? null,
          failure.countAttempt ? 1 : 0,
          now.toISOString(),
          id,
        ),
    markNotSent: (now) =>
      db
        .prepare(`UPDATE ${table} SET state = 'queued', lookup_after = NULL, updated_at = ? WHERE id = ?`)
        .run(now.toISOString(), id),
  };
}

/** A person fixed the cause (mapping, period, login, customer field): failed items go back in the queue. */
export function retryFailed(db: Db, table: OutboxTable, targetId: string, now: Date): number {
  return db
    .prepare(
      `UPDATE ${table} SET state = 'queued', next_attempt_at = NULL, updated_at = ? WHERE target_id = ? AND state = 'failed'`,
    )
    .run(now.toISOString(), targetId).changes;
}

export interface OutboxCounts {
  readonly queued: number;
  readonly sending: number;
  readonly posted: number;
  readonly failed: number;
  readonly waitingForPerson: number;
}

export function outboxCounts(db: Db, targetId: string): OutboxCounts {
  const rows = db
    .prepare(
      `SELECT state, next_attempt_at IS NULL AS manual, COUNT(*) AS n FROM vouchers WHERE target_id = ? GROUP BY state, manual`,
    )
    .all(targetId) as { state: string; manual: number; n: number }[];
  const count = (state: string) => rows.filter((row) => row.state === state).reduce((sum, row) => sum + row.n, 0);
  return {
    queued: count('queued'),
    sending: count('sending'),
    posted: count('posted'),
    failed: count('failed'),
    waitingForPerson: rows
      .filter((row) => row.state === 'failed' && row.manual === 1)
      .reduce((sum, row) => sum + row.n, 0),
  };
}

/**
 * A person fixed the cause (mapping, account, period): failed vouchers that wait for a person go
 * back to 'ready', so they are rebuilt from today's mapping and queued. With `includeScheduled`
 * those waiting for an automatic retry go too (a person asked for "now"). They keep their attempt
 * count and idempotency key, so the sync engine asks the target for them before sending again.
 */
export function requeueForPerson(
  db: Db,
  targetId: string,
  now: Date,
  only: { voucherId?: number; includeScheduled?: boolean } = {},
): number {
  return db
    .prepare(
      `UPDATE vouchers SET state = 'ready', next_attempt_at = NULL, updated_at = ?
       WHERE target_id = ? AND state = 'failed' AND (? OR next_attempt_at IS NULL) AND (? IS NULL OR id = ?)`,
    )
    .run(now.toISOString(), targetId, only.includeScheduled ? 1 : 0, only.voucherId ?? null, only.voucherId ?? null)
    .changes;
}

/** Vouchers a run would send now: the queue, plus ready ones dated from the go-live date on. */
export function sendableCount(db: Db, targetId: string, exportFrom: string | null): number {
  const row = db
    .prepare(
      `SELECT COUNT(*) AS n FROM vouchers WHERE target_id = ?
         AND (state IN ('queued', 'sending') OR (state = 'ready' AND (? IS NULL OR date >= ?)))`,
    )
    .get(targetId, exportFrom, exportFrom) as { n: number };
  return row.n;
}
