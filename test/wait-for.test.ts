import { describe, expect, it } from 'vitest';
import { waitFor } from './helpers/wait-for';

describe('waitFor', () => {
  it('resolves with the first value the check returns once it is neither undefined nor false', async () => {
    let calls = 0;
    const value = await waitFor(() => (++calls >= 3 ? `call ${calls}` : undefined), 'the third call');
    expect(value).toBe('call 3');
  });

  it('rejects naming what it waited for when the time is up', async () => {
    await expect(waitFor(() => false, 'a door that never opens', 50)).rejects.toThrow(
      'timed out after 50 ms waiting for a door that never opens',
    );
  });

  it('stops at once when the check throws', async () => {
    const started = Date.now();
    await expect(
      waitFor(
        () => {
          throw new Error('the child exited');
        },
        'a child',
        5000,
      ),
    ).rejects.toThrow('the child exited');
    expect(Date.now() - started).toBeLessThan(1000);
  });
});
