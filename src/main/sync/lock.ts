import { randomUUID } from 'node:crypto';
import type { Db } from '../store/database';

/** How long a lock holds without a heartbeat; a runner renews it after every voucher. */
export const LOCK_TTL_MS = 120_000;

function processAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

export interface SyncLock {
  readonly owner: string;
  renew(now?: Date): void;
  release(): void;
}

/**
 * One runner per target (the cure for cron jobs registered twice): a row in sync_locks taken in
 * an IMMEDIATE transaction. A lock whose process is gone (killed) or whose heartbeat expired is
 * taken over. Returns null when another live runner holds it.
 */
export function acquireSyncLock(db: Db, targetId: string, now = new Date()): SyncLock | null {
  const owner = randomUUID();
  const taken = db
    .transaction(() => {
      const held = db.prepare('SELECT owner, pid, expires_at FROM sync_locks WHERE target_id = ?').get(targetId) as
        { owner: string; pid: number; expires_at: string } | undefined;
      if (held && Date.parse(held.expires_at) > now.getTime() && processAlive(held.pid)) {
        return false;
      }
      db.prepare(
        `INSERT INTO sync_locks (target_id, owner, pid, expires_at) VALUES (?, ?, ?, ?)
         ON CONFLICT (target_id) DO UPDATE SET owner = excluded.owner, pid = excluded.pid, expires_at = excluded.expires_at`,
      ).run(targetId, owner, process.pid, new Date(now.getTime() + LOCK_TTL_MS).toISOString());
      return true;
    })
    .immediate();
  if (!taken) return null;
  return {
    owner,
    renew: (at = new Date()) => {
      db.prepare('UPDATE sync_locks SET expires_at = ? WHERE target_id = ? AND owner = ?').run(
        new Date(at.getTime() + LOCK_TTL_MS).toISOString(),
        targetId,
        owner,
      );
    },
    release: () => {
      db.prepare('DELETE FROM sync_locks WHERE target_id = ? AND owner = ?').run(targetId, owner);
    },
  };
}
