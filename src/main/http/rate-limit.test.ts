import { describe, expect, it } from 'vitest';
import { rateLimiterFor } from './rate-limit';

describe('rateLimiterFor', () => {
  it('shares one queue per target while its limit stays, and starts a new one when the limit is changed', () => {
    const first = rateLimiterFor('limit-test:shop', { requests: 5, perMs: 1_000 });
    expect(rateLimiterFor('limit-test:shop', { requests: 5, perMs: 1_000 })).toBe(first);
    expect(rateLimiterFor('limit-test:other', { requests: 5, perMs: 1_000 })).not.toBe(first);
    const faster = rateLimiterFor('limit-test:shop', { requests: 1_000, perMs: 1_000 });
    expect(faster).not.toBe(first);
    expect(rateLimiterFor('limit-test:shop', { requests: 1_000, perMs: 1_000 })).toBe(faster);
  });
});
