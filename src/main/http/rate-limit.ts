import PQueue from 'p-queue';

export interface RateLimit {
  /** At most `requests` requests start within any `perMs` window. */
  readonly requests: number;
  readonly perMs: number;
}

const limiters = new Map<string, PQueue>();

/**
 * One queue per target and process, shared by every client of that target, so a backlog drain
 * and a connection test together still stay under the target's limit.
 */
export function rateLimiterFor(key: string, limit: RateLimit): PQueue {
  let queue = limiters.get(key);
  if (!queue) {
    // Evenly spaced rather than bursts of `requests`: our window never lines up with the target's,
    // and two bursts straddling its window boundary would draw a 429.
    queue = new PQueue({
      concurrency: 1,
      intervalCap: 1,
      interval: Math.ceil(limit.perMs / limit.requests),
      carryoverConcurrencyCount: true,
    });
    limiters.set(key, queue);
  }
  return queue;
}
