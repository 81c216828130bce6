import { readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { findNumberingGaps, type NumberingGap } from '../../sources/gaps';
import { importFile, type FileImportOutcome } from '../../sources/import-file';
import { pollForever, pollOnce, type PollTarget } from '../../sources/pos-db/poll';
import { loadPosProfile } from '../../sources/pos-db/read-pos-db';
import { watchLoop } from '../../sources/run-sources';
import { FileAccessError } from '../../log/io-error';
import { SourceError } from '../../sources/source-error';
import { FolderWatcher, type WatchEvent } from '../../sources/watch-folder';
import { listSettlements } from '../../store/settlements';
import type { CliContext } from '../context';
import { CliError, EXIT, table, type Output } from '../output';
import { formatArgument, intervalOption, printPoll, printWatch, stopSignal } from './source-common';
/** Files named on the command line; a directory stands for the files directly inside it, in name order. */
function expandFiles(paths: readonly string[]): string[] {
  return paths.flatMap((path) => {
    let isDirectory = false;
    try {
      isDirectory = statSync(path).isDirectory();
    } catch {
      return [path]; // importFile names the file that cannot be opened
    }
    if (!isDirectory) return [path];
    return readdirSync(path, { withFileTypes: true })
      .filter((entry) => entry.isFile() && !entry.name.startsWith('.'))
      .map((entry) => join(path, entry.name))
      .sort();
  });
}

interface Rejected {
  readonly file: string;
  readonly error: string;
}

export function importCommand(context: CliContext, out: Output, paths: readonly string[], format: string): number {
  const chosen = formatArgument(format);
  const outcomes: FileImportOutcome[] = [];
  const rejected: Rejected[] = [];
  for (const file of expandFiles(paths)) {
    try {
      outcomes.push(importFile(context.db, file, chosen));
    } catch (error) {
      if (error instanceof FileAccessError) rejected.push({ file, error: error.describe(out.language) });
      else if (error instanceof SourceError) rejected.push({ file, error: error.message });
      else throw error;
    }
  }
  if (out.json) {
    out.data({
      files: [
        ...outcomes.map((outcome) => ({ ...outcome, status: 'imported' })),
        ...rejected.map((entry) => ({ ...entry, status: 'rejected' })),
      ],
    });
  } else {
    for (const outcome of outcomes) {
      out.line(
        `${outcome.file} (${outcome.format}): ${outcome.imported.length} imported, ${outcome.duplicates.length} already present, ${outcome.conflicts.length} conflicts`,
      );
      for (const warning of outcome.warnings) out.line(`  warning: ${warning}`);
      for (const report of [...outcome.imported, ...outcome.conflicts]) {
        for (const warning of report.warnings) {
          out.line(
            `  ${report.kind} ${report.number} register ${report.registerId} (${report.businessDate}): ${warning}`,
          );
        }
      }
    }
  }
  if (rejected.length > 0) {
    throw new CliError(
      rejected.length === 1
        ? rejected[0]!.error
        : `${rejected.length} files rejected:\n${rejected.map((r) => r.error).join('\n')}`,
      EXIT.usage,
    );
  }
  // A file with no report imported nothing: say so in the exit code as well as in its warning.
  return outcomes.some((outcome) => outcome.reportless) ? EXIT.problems : EXIT.ok;
}

const REASON_TEXT: Readonly<Record<NumberingGap['reason'], string>> = {
  x_report: 'taken by an X report',
  other_register: 'taken by another register',
  empty_z: 'empty Z report (nothing to post)',
  missing: 'MISSING — no stored report has this number',
};

export function gapsCommand(context: CliContext, out: Output): number {
  const gaps = findNumberingGaps(listSettlements(context.db));
  const missing = gaps.filter((gap) => gap.reason === 'missing');
  if (out.json) {
    out.data({ gaps, missing: missing.length });
    return missing.length > 0 ? EXIT.problems : EXIT.ok;
  }
  const shown = gaps.filter((gap) => gap.scheme === 'report' || gap.reason === 'missing');
  const rows = [['register', 'numbering', 'number', 'why']];
  for (const gap of shown) {
    rows.push([
      gap.registerId,
      gap.scheme === 'report' ? 'Z number' : 'global seq',
      String(gap.number),
      REASON_TEXT[gap.reason],
    ]);
  }
  if (shown.length > 0) for (const row of table(rows, [2])) out.line(row);
  const explained = gaps.filter((gap) => gap.scheme === 'sequence' && gap.reason !== 'missing').length;
  out.line(
    `${missing.length} missing; ${explained} global sequence numbers between Z reports are explained by X reports or other registers`,
  );
  return missing.length > 0 ? EXIT.problems : EXIT.ok;
}

export interface PollOptions {
  readonly profile: string;
  readonly posDb: string;
  readonly every?: string;
  readonly once?: boolean;
}

export async function pollCommand(context: CliContext, out: Output, options: PollOptions): Promise<number> {
  const target: PollTarget = { posDatabase: options.posDb, profile: loadPosProfile(options.profile) };
  if (options.once) {
    printPoll(out, await pollOnce(context.db, target));
    return EXIT.ok;
  }
  const seconds = intervalOption(context, options.every);
  await pollForever(context.db, target, seconds, stopSignal(), {
    onResult: (outcome) => printPoll(out, outcome),
    onError: (error) => out.line(`poll failed: ${error instanceof Error ? error.message : String(error)}`),
  });
  return EXIT.ok;
}

export interface WatchOptions {
  readonly every?: string;
  readonly once?: boolean;
  readonly format: string;
}

export async function watchCommand(
  context: CliContext,
  out: Output,
  dir: string,
  options: WatchOptions,
): Promise<number> {
  const watcher = new FolderWatcher(context.db, dir, formatArgument(options.format));
  let failed = false;
  const onEvent = (event: WatchEvent): void => {
    failed ||= event.status === 'failed';
    printWatch(out, event);
  };
  if (options.once) await watchLoop(watcher, 1, 2, undefined, onEvent);
  else await watchLoop(watcher, intervalOption(context, options.every ?? '5'), Infinity, stopSignal(), onEvent);
  return failed && options.once ? EXIT.usage : EXIT.ok;
}
