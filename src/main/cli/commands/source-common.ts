import type { CliContext } from '../context';
import { CliError, type Output } from '../output';
import type { FileFormat } from '../../sources/file-source';
import type { StoreOutcome } from '../../sources/import-file';
import { pollIntervalSeconds } from '../../sources/pos-db/poll';
import type { WatchEvent } from '../../sources/watch-folder';

const FORMATS = ['saft', 'sie4', 'csv', 'auto'] as const;

export function formatArgument(format: string): FileFormat | 'auto' {
  if (!(FORMATS as readonly string[]).includes(format)) {
    throw new CliError(`--format must be one of ${FORMATS.join(', ')}, not "${format}"`);
  }
  return format as FileFormat | 'auto';
}

/** Aborts on Ctrl-C or a service stop, so a loop ends between two rounds, never inside an import. */
export function stopSignal(): AbortSignal {
  const controller = new AbortController();
  const stop = (): void => controller.abort();
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
  return controller.signal;
}

export function intervalOption(context: CliContext, every: string | undefined): number {
  if (every === undefined) return pollIntervalSeconds(context.db);
  const seconds = Number(every);
  if (!Number.isInteger(seconds) || seconds < 1)
    throw new CliError(`--every must be whole seconds ≥ 1, not "${every}"`);
  return seconds;
}

export function printPoll(out: Output, outcome: StoreOutcome, source?: string): void {
  if (out.json) out.data({ at: new Date().toISOString(), ...(source ? { source } : {}), ...outcome });
  else {
    out.line(
      `${new Date().toISOString()} ${source ? `[${source}] ` : ''}${outcome.imported.length} imported, ${outcome.duplicates.length} already present, ${outcome.conflicts.length} conflicts`,
    );
    for (const conflict of outcome.conflicts) for (const warning of conflict.warnings) out.line(`  ${warning}`);
  }
}

export function printWatch(out: Output, event: WatchEvent, source?: string): void {
  const prefix = source ? `[${source}] ` : '';
  if (out.json) out.data({ ...(source ? { source } : {}), ...event });
  else if (event.status === 'failed')
    out.line(`${prefix}${event.file}: FAILED, moved to ${event.movedTo}: ${event.error}`);
  else {
    const { imported, duplicates, conflicts } = event.outcome;
    out.line(
      `${prefix}${event.file}: ${imported.length} imported, ${duplicates.length} already present, ${conflicts.length} conflicts`,
    );
  }
}
