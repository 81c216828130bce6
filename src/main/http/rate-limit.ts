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
    queue = new PQueue({
      concurrency: 1,
      intervalCap: limit.requests,
      interval: limit.perMs,
      carryoverConcurrencyCount: true,
    });
    limiters.set(key, queue);
  }
  return queue;
}
