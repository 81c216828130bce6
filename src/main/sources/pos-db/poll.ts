import { setTimeout as sleep } from 'node:timers/promises';
import { z } from 'zod';
import { createLogger } from '../../log/logger';
import type { Db } from '../../store/database';
import { readSetting } from '../../store/settings';
import { storeDrafts, type StoreOutcome } from '../import-file';
import { SourceError } from '../source-error';
import type { PosProfile } from './profile';
import { readPosDatabase } from './read-pos-db';

const log = createLogger('pos-poll');

export const DEFAULT_POLL_SECONDS = 60;
/** Setting `sources.posPollSeconds` overrides the default interval. */
export const POLL_SETTING = 'sources.posPollSeconds';

export function pollIntervalSeconds(db: Db): number {
  const parsed = z.number().int().min(5).max(86_400).safeParse(readSetting(db, POLL_SETTING));
  return parsed.success ? parsed.data : DEFAULT_POLL_SECONDS;
}

export interface PollTarget {
  readonly posDatabase: string;
  readonly profile: PosProfile;
  /** How long one read waits on the POS's write lock before it counts as busy. */
  readonly busyTimeoutMs?: number;
  /** Attempts when the POS holds its database locked; waits double from `retryDelayMs`. */
  readonly attempts?: number;
  readonly retryDelayMs?: number;
}

function isBusy(error: unknown): boolean {
  const code = (error instanceof SourceError ? (error.cause as { code?: string } | undefined) : undefined)?.code;
  return code === 'SQLITE_BUSY' || code === 'SQLITE_LOCKED';
}

/**
 * One poll: reads the POS database read-only in one short snapshot and stores new reports. A POS
 * that holds its database locked is waited for (retry with back-off), never fought over; reports
 * already stored are recognised by identity, so each Z is imported exactly once however often we poll.
 */
export async function pollOnce(db: Db, target: PollTarget): Promise<StoreOutcome> {
  const attempts = target.attempts ?? 5;
  let delay = target.retryDelayMs ?? 500;
  for (let attempt = 1; ; attempt += 1) {
    try {
      const drafts = readPosDatabase(target.posDatabase, target.profile, {
        busyTimeoutMs: target.busyTimeoutMs ?? 1000,
      });
      return storeDrafts(db, drafts, `${target.profile.name} (${target.posDatabase})`);
    } catch (error) {
      if (!isBusy(error) || attempt >= attempts) throw error;
      log.info('POS database busy; trying again', { attempt, delayMs: delay });
      await sleep(delay);
      delay *= 2;
    }
  }
}

/**
 * Polls until `signal` aborts, every `intervalSeconds`. A failed poll is reported through
 * `onError` and does not stop the next one: the POS may simply be mid-update.
 */
export async function pollForever(
  db: Db,
  target: PollTarget,
  intervalSeconds: number,
  signal: AbortSignal,
  report: { onResult: (outcome: StoreOutcome) => void; onError: (error: unknown) => void },
): Promise<void> {
  while (!signal.aborted) {
    try {
      report.onResult(await pollOnce(db, target));
    } catch (error) {
      report.onError(error);
    }
    await sleep(intervalSeconds * 1000, undefined, { signal }).catch(() => undefined);
  }
}
