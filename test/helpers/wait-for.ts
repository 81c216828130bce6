import { setTimeout as sleep } from 'node:timers/promises';

/**
 * Polls `check` until it returns something other than undefined or false, and resolves with it;
 * rejects naming `what` after `timeoutMs`. Tests wait for the state they need this way instead of
 * sleeping a guessed time, which is slow on a quiet machine and flaky on a loaded one. A check
 * that throws ends the wait at once (a child that died will not start listening later).
 */
export async function waitFor<T>(
  check: () => T | undefined | false,
  what: string,
  timeoutMs = 10_000,
): Promise<Exclude<T, undefined | false>> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = check();
    if (value !== undefined && value !== false) return value as Exclude<T, undefined | false>;
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await sleep(20);
  }
}
