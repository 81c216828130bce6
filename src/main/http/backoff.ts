export interface BackoffPolicy {
  readonly baseMs: number;
  readonly maxMs: number;
}

/**
 * "Full jitter" exponential backoff: a random wait between 0 and base·2^attempt (capped), so many
 * shops coming back online at once do not hit the target in lock-step.
 */
export function backoffDelay(attempt: number, policy: BackoffPolicy, random: () => number = Math.random): number {
  const ceiling = Math.min(policy.maxMs, policy.baseMs * 2 ** Math.max(0, attempt));
  return Math.round(ceiling * random());
}

/**
 * Milliseconds a response asks us to wait: `Retry-After` as seconds or an HTTP date, else a
 * rate-limit reset header in seconds (Tripletex `X-Rate-Limit-Reset`); undefined when none says.
 */
export function retryAfterMs(headers: Headers, now: number = Date.now()): number | undefined {
  const retryAfter = headers.get('retry-after');
  if (retryAfter !== null) {
    const seconds = Number(retryAfter);
    if (Number.isFinite(seconds)) return Math.max(0, seconds * 1000);
    const date = Date.parse(retryAfter);
    if (Number.isFinite(date)) return Math.max(0, date - now);
  }
  const reset = headers.get('x-rate-limit-reset');
  if (reset !== null && Number.isFinite(Number(reset))) return Math.max(0, Number(reset) * 1000);
  return undefined;
}
