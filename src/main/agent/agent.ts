import { hasConnector } from '../connectors/registry';
import { createLogger } from '../log/logger';
import type { SecretStore } from '../secrets/secret-store';
import { runSources } from '../sources/run-sources';
import type { Db } from '../store/database';
import { listTargets } from '../store/targets';
import { runSyncDaemon } from '../sync/daemon';
import { prepareVouchers } from '../vouchers/prepare';

const log = createLogger('agent');

export interface AgentOptions {
  readonly secrets: SecretStore;
  readonly signal: AbortSignal;
  /** How often on-close targets and due retries are checked. */
  readonly pollMs: number;
  /** One line per thing that happened, for the service's log. */
  readonly onLine: (line: string) => void;
}

/**
 * The engine's background work without any UI: the registered sources (POS databases polled,
 * folders watched), the targets' schedules and the sync. New Z-reports get their vouchers built at
 * once, so an on-close target sends them on its next poll. Returns when `signal` aborts and every
 * loop has finished its current step (nothing is cut off mid-voucher).
 */
export async function runAgent(db: Db, options: AgentOptions): Promise<void> {
  const rebuild = (): void => {
    for (const target of listTargets(db)) {
      try {
        prepareVouchers(db, target.id);
      } catch (error) {
        log.error(`building the vouchers of ${target.id} failed`, error);
      }
    }
  };
  // Vouchers of reports stored while the agent was not running (and of new targets) exist before the first poll.
  rebuild();
  const targets = listTargets(db).filter((target) => hasConnector(target.kind) && target.secretRef !== null);
  /** The last outcome said per target: a lasting problem (no login) is said once, not every poll. */
  const lastSaid = new Map<string, string>();
  options.onLine(
    `Kassebro agent: syncing ${targets.map((target) => target.id).join(', ') || 'no API target yet'}; stop with SIGTERM or Ctrl+C.`,
  );
  await Promise.all([
    runSources(
      db,
      {
        onPoll: (source, outcome) => {
          if (outcome.imported.length === 0 && outcome.conflicts.length === 0) return;
          options.onLine(
            `${source}: ${outcome.imported.length} new report(s), ${outcome.conflicts.length} conflict(s)`,
          );
          rebuild();
        },
        onFile: (source, event) => {
          options.onLine(
            event.status === 'imported'
              ? `${source}: imported ${event.file}`
              : `${source}: could not import ${event.file}: ${event.error}`,
          );
          if (event.status === 'imported') rebuild();
        },
        onError: (source, error) =>
          options.onLine(`${source}: ${error instanceof Error ? error.message : String(error)}`),
      },
      { signal: options.signal },
    ),
    runSyncDaemon(db, {
      secrets: options.secrets,
      pollMs: options.pollMs,
      signal: options.signal,
      // A target without a secret entry (the demo's) cannot log in: its vouchers stay ready, not queued.
      include: (target) => target.secretRef !== null,
      onRun: (target, result) => {
        const line = `${target.id}: ${result.outcome}, ${result.posted} posted, ${result.failed} failed`;
        const worthSaying = result.posted > 0 || result.failed > 0 || result.outcome !== 'done';
        if (worthSaying && (result.posted > 0 || lastSaid.get(target.id) !== line)) options.onLine(line);
        lastSaid.set(target.id, line);
      },
    }),
  ]);
  options.onLine('Kassebro agent stopped.');
}
