import PQueue from 'p-queue';

export interface RateLimit {
  /** At most `requests` requests start within any `perMs` window. */
  readonly requests: number;
  readonly perMs: number;
}

const limiters = new Map<string, { readonly queue: PQueue; readonly interval: number }>();

/**
 * One queue per target and process, shared by every client of that target, so a backlog drain
 * and a connection test together still stay under the target's limit. A changed limit (the
 * target's settings were edited) starts a new queue rather than keeping the old pace.
 */
export function rateLimiterFor(key: string, limit: RateLimit): PQueue {
  const interval = Math.ceil(limit.perMs / limit.requests);
  const known = limiters.get(key);
  if (known?.interval === interval) return known.queue;
  // Evenly spaced rather than bursts of `requests`: our window never lines up with the target's,
  // and two bursts straddling its window boundary would draw a 429.
  const queue = new PQueue({ concurrency: 1, intervalCap: 1, interval, carryoverConcurrencyCount: true });
  limiters.set(key, { queue, interval });
  return queue;
}
