import { Cron } from 'croner';
import { setTimeout as sleep } from 'node:timers/promises';
import { hasConnector } from '../connectors/registry';
import { createLogger } from '../log/logger';
import type { SecretStore } from '../secrets/secret-store';
import type { Db } from '../store/database';
import { listTargets, type TargetRecord } from '../store/targets';
import type { SyncRunResult } from './engine';
import { sendableCount } from './outbox';
import { cronPattern } from './schedule';
import { syncTarget } from './run-target';
import { syncSettingsOf } from './settings';

const log = createLogger('sync');

export interface DaemonOptions {
  readonly secrets: SecretStore;
  /** How often on-close targets (and due retries) are checked; the default keeps Z → posted under a minute. */
  readonly pollMs: number;
  readonly only?: string;
  /** Further targets to leave alone (the agent skips targets that have no credentials at all). */
  readonly include?: (target: TargetRecord) => boolean;
  readonly signal: AbortSignal;
  readonly onRun?: (target: TargetRecord, result: SyncRunResult) => void;
}

/** Work a poll should start: an on-close target with vouchers to send, or any target with a retry due. */
export function hasWork(db: Db, target: TargetRecord, onClose: boolean): boolean {
  // Ready vouchers dated before go-live are never sent, so they are no reason to start a run.
  if (onClose && sendableCount(db, target.id, syncSettingsOf(target).exportFrom) > 0) return true;
  const due = db
    .prepare(`SELECT COUNT(*) AS n FROM vouchers WHERE target_id = ? AND state = 'failed' AND next_attempt_at <= ?`)
    .get(target.id, new Date().toISOString()) as { n: number };
  return due.n > 0;
}

/**
 * The long-running sync: timed schedules through croner (overrun-protected), on-close targets
 * and due retries by polling. The schedule only triggers runs; the outbox decides what is sent.
 */
export async function runSyncDaemon(db: Db, options: DaemonOptions): Promise<void> {
  const running = new Set<string>();
  const runOnce = async (target: TargetRecord): Promise<void> => {
    if (running.has(target.id)) return;
    running.add(target.id);
    try {
      options.onRun?.(target, await syncTarget(db, target, { secrets: options.secrets }));
    } catch (error) {
      log.error(`sync of ${target.id} failed`, error);
    } finally {
      running.delete(target.id);
    }
  };
  const targets = () =>
    listTargets(db).filter(
      (target) =>
        hasConnector(target.kind) &&
        (!options.only || target.id === options.only) &&
        (options.include?.(target) ?? true),
    );

  const jobs = targets().flatMap((target) => {
    const pattern = cronPattern(syncSettingsOf(target).schedule);
    return pattern ? [new Cron(pattern, { protect: true }, () => runOnce(target))] : [];
  });
  try {
    while (!options.signal.aborted) {
      for (const target of targets()) {
        const schedule = syncSettingsOf(target).schedule;
        if (schedule.kind !== 'never' && hasWork(db, target, schedule.kind === 'on-close')) await runOnce(target);
      }
      await sleep(options.pollMs, undefined, { signal: options.signal }).catch(() => undefined);
    }
  } finally {
    for (const job of jobs) job.stop();
  }
}
