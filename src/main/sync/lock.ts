import { randomUUID } from 'node:crypto';
import { createLogger } from '../log/logger';
import type { Db } from '../store/database';
import { holderState, ownIdentity } from './process-identity';

const log = createLogger('sync');

/** How long a lease holds without a heartbeat; its holder renews it every quarter of that. */
export const LEASE_TTL_MS = 120_000;

/** The run's lease was taken over: it must not send anything more. */
export class LeaseLostError extends Error {
  constructor(readonly lockId: string) {
    super(`The sync lease for "${lockId}" was taken over by another run; this run stopped before sending more.`);
    this.name = 'LeaseLostError';
  }
}

export interface SyncLease {
  readonly owner: string;
  /** Renews the lease now; throws LeaseLostError when another run holds it. Called before each send. */
  confirm(): void;
  release(): void;
}

interface HeldRow {
  pid: number;
  started_at: string | null;
  host: string;
  expires_at: string;
}

/** A live holder is never taken over; a gone one at once; one we cannot check when its lease expired. */
function mayTakeOver(held: HeldRow, now: Date): boolean {
  switch (holderState({ pid: held.pid, startedAt: held.started_at, host: held.host })) {
    case 'running':
      return false;
    case 'gone':
      return true;
    case 'unknown':
      return Date.parse(held.expires_at) <= now.getTime();
  }
}

/**
 * One runner per target (the cure for cron jobs registered twice): a lease row in sync_locks
 * taken in an IMMEDIATE transaction, naming its holder by pid, OS start time and host. A heartbeat
 * timer renews it while the run works (however long one request blocks). Returns null when a
 * live runner holds it.
 */
export function acquireSyncLease(
  db: Db,
  lockId: string,
  options: { readonly now?: () => Date; readonly ttlMs?: number } = {},
): SyncLease | null {
  const now = options.now ?? (() => new Date());
  const ttlMs = options.ttlMs ?? LEASE_TTL_MS;
  const owner = randomUUID();
  const me = ownIdentity();
  const expiry = () => new Date(now().getTime() + ttlMs).toISOString();
  const taken = db
    .transaction(() => {
      const held = db
        .prepare('SELECT pid, started_at, host, expires_at FROM sync_locks WHERE target_id = ?')
        .get(lockId) as HeldRow | undefined;
      if (held && !mayTakeOver(held, now())) return false;
      db.prepare(
        `INSERT INTO sync_locks (target_id, owner, pid, started_at, host, expires_at) VALUES (?, ?, ?, ?, ?, ?)
         ON CONFLICT (target_id) DO UPDATE SET owner = excluded.owner, pid = excluded.pid,
           started_at = excluded.started_at, host = excluded.host, expires_at = excluded.expires_at`,
      ).run(lockId, owner, me.pid, me.startedAt, me.host, expiry());
      return true;
    })
    .immediate();
  if (!taken) return null;

  let lost = false;
  const renew = (): boolean => {
    if (lost) return false;
    const { changes } = db
      .prepare('UPDATE sync_locks SET expires_at = ? WHERE target_id = ? AND owner = ?')
      .run(expiry(), lockId, owner);
    lost = changes === 0;
    return !lost;
  };
  const heartbeat = setInterval(() => {
    try {
      if (!renew()) clearInterval(heartbeat);
    } catch (error) {
      // A busy or closed database: the next beat, or the check before the next send, tries again.
      log.warn(`could not renew the sync lease for ${lockId}`, error);
    }
  }, ttlMs / 4);
  heartbeat.unref();
  return {
    owner,
    confirm: () => {
      if (!renew()) throw new LeaseLostError(lockId);
    },
    release: () => {
      clearInterval(heartbeat);
      db.prepare('DELETE FROM sync_locks WHERE target_id = ? AND owner = ?').run(lockId, owner);
    },
  };
}
