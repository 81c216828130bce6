import { describe, expect, it } from 'vitest';
import { sharedLoad } from './shared-load';

describe('sharedLoad', () => {
  it('loads once for concurrent callers, again after forget, and does not keep a failure', async () => {
    let loads = 0;
    let fail = true;
    const shared = sharedLoad(async () => {
      loads += 1;
      if (fail) throw new Error('offline');
      return loads;
    });
    await expect(shared.get()).rejects.toThrow('offline');
    fail = false;
    const [a, b] = await Promise.all([shared.get(), shared.get()]);
    expect([a, b, loads]).toEqual([2, 2, 2]);
    expect(await shared.get()).toBe(2);
    shared.forget();
    expect(await shared.get()).toBe(3);
  });
});
