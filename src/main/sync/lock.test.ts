import { spawn, type ChildProcess } from 'node:child_process';
import { hostname } from 'node:os';
import { afterEach, describe, expect, it } from 'vitest';
import { openDatabase, type Db } from '../store/database';
import { acquireSyncLease, LeaseLostError } from './lock';
import { ownIdentity, processStartTime } from './process-identity';

const LOCK = 'tt';
const PAST = '2000-01-01T00:00:00.000Z';
const FUTURE = '2999-01-01T00:00:00.000Z';

/** A real other process on this host that stays alive until killed. */
function sleeper(): Promise<ChildProcess & { pid: number }> {
  const child = spawn(process.execPath, ['-e', 'setInterval(() => {}, 60000)'], { stdio: 'ignore' });
  return new Promise((resolve, reject) => {
    child.once('spawn', () => resolve(child as ChildProcess & { pid: number }));
    child.once('error', reject);
  });
}

function exited(child: ChildProcess): Promise<void> {
  return new Promise((resolve) => {
    if (child.exitCode !== null || child.signalCode !== null) resolve();
    else child.once('exit', () => resolve());
  });
}

describe('sync lease', () => {
  let db: Db;
  const children: ChildProcess[] = [];
  afterEach(async () => {
    for (const child of children.splice(0)) {
      child.kill('SIGKILL');
      await exited(child);
    }
    db.close();
  });
  const fresh = () => {
    db = openDatabase(':memory:');
    return db;
  };
  /** A lease row as another runner would have written it. */
  const heldBy = (holder: { pid: number; startedAt: string | null; host: string }, expiresAt: string) =>
    db
      .prepare('INSERT INTO sync_locks (target_id, owner, pid, started_at, host, expires_at) VALUES (?, ?, ?, ?, ?, ?)')
      .run(LOCK, 'other-run', holder.pid, holder.startedAt, holder.host, expiresAt);
  const owner = () =>
    (db.prepare('SELECT owner FROM sync_locks WHERE target_id = ?').get(LOCK) as { owner: string } | undefined)?.owner;

  it('is never taken over from a live holder on this host, even when its lease has expired', async () => {
    fresh();
    const child = await sleeper();
    children.push(child);
    heldBy({ pid: child.pid, startedAt: processStartTime(child.pid), host: hostname() }, PAST);
    expect(acquireSyncLease(db, LOCK)).toBeNull();
    expect(owner()).toBe('other-run');
  });

  it('refuses a second run in this very process', () => {
    fresh();
    const first = acquireSyncLease(db, LOCK);
    expect(first).not.toBeNull();
    db.prepare('UPDATE sync_locks SET expires_at = ?').run(PAST);
    expect(acquireSyncLease(db, LOCK)).toBeNull();
    first?.release();
    expect(acquireSyncLease(db, LOCK)).not.toBeNull();
  });

  it('is taken over at once from a killed holder, and from a live pid that is another process', async () => {
    fresh();
    const child = await sleeper();
    const identity = { pid: child.pid, startedAt: processStartTime(child.pid), host: hostname() };
    child.kill('SIGKILL');
    await exited(child);
    heldBy(identity, FUTURE);
    const taken = acquireSyncLease(db, LOCK);
    expect(taken?.owner).toBe(owner());
    taken?.release();

    // A reused pid: alive, but started at another time than the holder.
    heldBy({ ...ownIdentity(), startedAt: 'another-start' }, FUTURE);
    expect(acquireSyncLease(db, LOCK)).not.toBeNull();
  });

  it('honours the lease of a holder it cannot check (another host) until it expires', () => {
    fresh();
    heldBy({ pid: 1, startedAt: 'x', host: `not-${hostname()}` }, FUTURE);
    expect(acquireSyncLease(db, LOCK)).toBeNull();
    db.prepare('UPDATE sync_locks SET expires_at = ?').run(PAST);
    expect(acquireSyncLease(db, LOCK)).not.toBeNull();
  });

  it('is renewed by a heartbeat while its holder works', async () => {
    fresh();
    const lease = acquireSyncLease(db, LOCK, { ttlMs: 200 });
    const expiresAt = () =>
      (db.prepare('SELECT expires_at FROM sync_locks').get() as { expires_at: string }).expires_at;
    const first = expiresAt();
    await expect.poll(expiresAt, { timeout: 2_000, interval: 10 }).not.toBe(first);
    lease?.release();
    expect(db.prepare('SELECT COUNT(*) AS n FROM sync_locks').get()).toEqual({ n: 0 });
  });

  it('a holder whose lease was taken over stops with a clear error', () => {
    fresh();
    const lease = acquireSyncLease(db, LOCK);
    expect(() => lease?.confirm()).not.toThrow();
    db.prepare("UPDATE sync_locks SET owner = 'the-run-that-took-over'").run();
    expect(() => lease?.confirm()).toThrow(LeaseLostError);
    expect(() => lease?.confirm()).toThrow(/"tt" was taken over by another run; this run stopped before sending more/);
    lease?.release();
    expect(owner()).toBe('the-run-that-took-over');
  });
});

describe('process start time', () => {
  it('tells this process from another, and a gone one from both, on Linux (/proc) and through ps', async () => {
    const child = await sleeper();
    for (const platform of ['linux', 'darwin'] as const) {
      const own = processStartTime(process.pid, platform);
      const other = processStartTime(child.pid, platform);
      expect(own).toMatch(/\S/);
      expect(processStartTime(process.pid, platform)).toBe(own);
      expect(other).not.toBeNull();
      if (platform === 'linux') expect(other).not.toBe(own);
    }
    child.kill('SIGKILL');
    await exited(child);
    expect(processStartTime(child.pid, 'linux')).toBeNull();
    expect(processStartTime(child.pid, 'darwin')).toBeNull();
    expect(processStartTime(process.pid, 'win32')).toBeNull();
  });
});
