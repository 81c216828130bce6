import { setTimeout as sleep } from 'node:timers/promises';
import type { Db } from '../store/database';
import type { StoreOutcome } from './import-file';
import { pollForever, pollIntervalSeconds, pollOnce, type PollTarget } from './pos-db/poll';
import { loadPosProfile } from './pos-db/read-pos-db';
import { listRegistrations, type SourceRegistration } from './registrations';
import { FolderWatcher, type WatchEvent } from './watch-folder';

export interface SourceReport {
  onPoll(sourceId: string, outcome: StoreOutcome): void;
  onFile(sourceId: string, event: WatchEvent): void;
  onError(sourceId: string, error: unknown): void;
}

function pollTarget(registration: Extract<SourceRegistration, { kind: 'pos-db' }>): PollTarget {
  return { posDatabase: registration.settings.posDatabase, profile: loadPosProfile(registration.settings.profile) };
}

/** Scans a folder `rounds` times, `seconds` apart, stopping early when `signal` aborts. */
export async function watchLoop(
  watcher: FolderWatcher,
  seconds: number,
  rounds: number,
  signal: AbortSignal | undefined,
  onEvent: (event: WatchEvent) => void,
): Promise<void> {
  for (let round = 0; round < rounds && !signal?.aborted; round += 1) {
    for (const event of await watcher.scan()) onEvent(event);
    if (round + 1 < rounds) await sleep(seconds * 1000, undefined, signal ? { signal } : {}).catch(() => undefined);
  }
}

/**
 * Runs every registered source side by side — what the background engine calls. With `once`, each
 * POS database is polled once and each folder scanned twice a second apart (a file must hold still
 * between two scans); otherwise they run on their own intervals until `signal` aborts. One failing
 * source is reported and does not stop the others.
 */
export async function runSources(
  db: Db,
  report: SourceReport,
  options: { readonly once?: boolean; readonly signal?: AbortSignal } = {},
): Promise<void> {
  const defaultPoll = pollIntervalSeconds(db);
  await Promise.all(
    listRegistrations(db).map(async (registration) => {
      try {
        if (registration.kind === 'pos-db') {
          const target = pollTarget(registration);
          if (options.once || !options.signal) {
            report.onPoll(registration.id, await pollOnce(db, target));
            return;
          }
          await pollForever(db, target, registration.settings.pollSeconds ?? defaultPoll, options.signal, {
            onResult: (outcome) => report.onPoll(registration.id, outcome),
            onError: (error) => report.onError(registration.id, error),
          });
          return;
        }
        const { dir, format, scanSeconds } = registration.settings;
        const watcher = new FolderWatcher(db, dir, format);
        const rounds = options.once || !options.signal ? 2 : Number.POSITIVE_INFINITY;
        await watchLoop(watcher, options.once ? 1 : scanSeconds, rounds, options.signal, (event) =>
          report.onFile(registration.id, event),
        );
      } catch (error) {
        report.onError(registration.id, error);
      }
    }),
  );
}
