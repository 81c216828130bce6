import { readdirSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';
import type { Command } from 'commander';
import { isSettlementKey, type SettlementKey } from '../../../shared/settlement-keys';
import type { FileFormat } from '../../sources/file-source';
import { findNumberingGaps, type NumberingGap } from '../../sources/gaps';
import { importFile, type FileImportOutcome, type StoreOutcome } from '../../sources/import-file';
import { pollForever, pollIntervalSeconds, pollOnce, type PollTarget } from '../../sources/pos-db/poll';
import { loadPosProfile } from '../../sources/pos-db/read-pos-db';
import { SourceError } from '../../sources/source-error';
import { loadSourceOverrides, setSaftPaymentKey, setSie4AccountKey } from '../../sources/overrides';
import { listRegistrations, removeRegistration, saveRegistration } from '../../sources/registrations';
import { runSources, watchLoop } from '../../sources/run-sources';
import { FolderWatcher, type WatchEvent } from '../../sources/watch-folder';
import { listSettlements } from '../../store/settlements';
import type { CliContext } from '../context';
import { CliError, EXIT, table, type Output } from '../output';

type Run = (command: (ctx: CliContext, out: Output) => number | Promise<number>) => () => Promise<void>;

const FORMATS = ['saft', 'sie4', 'csv', 'auto'] as const;

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
  if (!(FORMATS as readonly string[]).includes(format)) {
    throw new CliError(`--format must be one of ${FORMATS.join(', ')}, not "${format}"`);
  }
  const outcomes: FileImportOutcome[] = [];
  const rejected: Rejected[] = [];
  for (const file of expandFiles(paths)) {
    try {
      outcomes.push(importFile(context.db, file, format as FileFormat | 'auto'));
    } catch (error) {
      if (!(error instanceof SourceError)) throw error;
      rejected.push({ file, error: error.message });
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
  return EXIT.ok;
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

/** Aborts on Ctrl-C or a service stop, so a loop ends between two rounds, never inside an import. */
function stopSignal(): AbortSignal {
  const controller = new AbortController();
  const stop = (): void => controller.abort();
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
  return controller.signal;
}

function intervalOption(context: CliContext, every: string | undefined): number {
  if (every === undefined) return pollIntervalSeconds(context.db);
  const seconds = Number(every);
  if (!Number.isInteger(seconds) || seconds < 1)
    throw new CliError(`--every must be whole seconds ≥ 1, not "${every}"`);
  return seconds;
}

function printPoll(out: Output, outcome: StoreOutcome, source?: string): void {
  if (out.json) out.data({ at: new Date().toISOString(), ...(source ? { source } : {}), ...outcome });
  else {
    out.line(
      `${new Date().toISOString()} ${source ? `[${source}] ` : ''}${outcome.imported.length} imported, ${outcome.duplicates.length} already present, ${outcome.conflicts.length} conflicts`,
    );
    for (const conflict of outcome.conflicts) for (const warning of conflict.warnings) out.line(`  ${warning}`);
  }
}

interface PollOptions {
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

function printWatch(out: Output, event: WatchEvent, source?: string): void {
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

interface WatchOptions {
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
  if (!(FORMATS as readonly string[]).includes(options.format)) {
    throw new CliError(`--format must be one of ${FORMATS.join(', ')}, not "${options.format}"`);
  }
  const watcher = new FolderWatcher(context.db, dir, options.format as FileFormat | 'auto');
  let failed = false;
  const onEvent = (event: WatchEvent): void => {
    failed ||= event.status === 'failed';
    printWatch(out, event);
  };
  if (options.once) await watchLoop(watcher, 1, 2, undefined, onEvent);
  else await watchLoop(watcher, intervalOption(context, options.every ?? '5'), Infinity, stopSignal(), onEvent);
  return failed && options.once ? EXIT.usage : EXIT.ok;
}

export function sourcesList(context: CliContext, out: Output): number {
  const registrations = listRegistrations(context.db);
  if (out.json) {
    out.data(registrations);
    return EXIT.ok;
  }
  for (const registration of registrations) {
    const where =
      registration.kind === 'pos-db'
        ? `${registration.settings.posDatabase} (profile ${registration.settings.profile})`
        : `${registration.settings.dir} (${registration.settings.format})`;
    out.line(`${registration.id}  ${registration.kind}  ${where}`);
  }
  out.line(`${registrations.length} sources`);
  return EXIT.ok;
}

export async function sourcesRun(context: CliContext, out: Output, once: boolean): Promise<number> {
  let failed = false;
  await runSources(
    context.db,
    {
      onPoll: (id, outcome) => printPoll(out, outcome, id),
      onFile: (id, event) => {
        failed ||= event.status === 'failed';
        printWatch(out, event, id);
      },
      onError: (id, error) => {
        failed = true;
        out.line(`[${id}] failed: ${error instanceof Error ? error.message : String(error)}`);
      },
    },
    once ? { once } : { signal: stopSignal() },
  );
  return failed && once ? EXIT.usage : EXIT.ok;
}

function settlementKeyArgument(key: string): SettlementKey {
  if (!isSettlementKey(key)) throw new CliError(`"${key}" is not a settlement key; see docs/sources.md`);
  return key;
}

function registerSourcesGroup(program: Command, run: Run): void {
  const sources = program.command('sources').description('the POS databases and folders the engine reads by itself');
  sources.command('list').description('list registered sources').action(run(sourcesList));
  sources
    .command('add-pos-db <id>')
    .description('poll a POS database through a profile')
    .requiredOption('--profile <file>', 'the POS profile (JSON)')
    .requiredOption('--pos-db <file>', "the POS's database file")
    .option('--every <seconds>', 'poll interval (default: setting sources.posPollSeconds, else 60)')
    .action((id: string, options: { profile: string; posDb: string; every?: string }) =>
      run((ctx, out) => {
        loadPosProfile(options.profile); // refuse a bad profile now, not at the first poll
        saveRegistration(ctx.db, {
          id,
          kind: 'pos-db',
          settings: {
            posDatabase: resolve(options.posDb),
            profile: resolve(options.profile),
            ...(options.every ? { pollSeconds: intervalOption(ctx, options.every) } : {}),
          },
        });
        out.line(`source ${id} saved`);
        return EXIT.ok;
      })(),
    );
  sources
    .command('add-folder <id> <dir>')
    .description('watch a folder for SAF-T, SIE4 and CSV files')
    .option('--format <format>', 'saft, sie4, csv or auto', 'auto')
    .option('--every <seconds>', 'scan interval', '5')
    .action((id: string, dir: string, options: { format: string; every: string }) =>
      run((ctx, out) => {
        if (!(FORMATS as readonly string[]).includes(options.format)) {
          throw new CliError(`--format must be one of ${FORMATS.join(', ')}, not "${options.format}"`);
        }
        saveRegistration(ctx.db, {
          id,
          kind: 'watch-folder',
          settings: {
            dir: resolve(dir),
            format: options.format as FileFormat | 'auto',
            scanSeconds: intervalOption(ctx, options.every),
          },
        });
        out.line(`source ${id} saved`);
        return EXIT.ok;
      })(),
    );
  sources
    .command('remove <id>')
    .description('forget a source (its imported reports stay)')
    .action((id: string) =>
      run((ctx, out) => {
        if (!removeRegistration(ctx.db, id)) throw new CliError(`No source called "${id}"`);
        out.line(`source ${id} removed`);
        return EXIT.ok;
      })(),
    );
  sources
    .command('map-payment <code> <key>')
    .description("SAF-T: book the POS's payment code (or a 12xxx code) on a settlement key")
    .action((code: string, key: string) =>
      run((ctx, out) => {
        setSaftPaymentKey(ctx.db, code, settlementKeyArgument(key));
        out.line(`SAF-T payment code ${code} → ${key}`);
        return EXIT.ok;
      })(),
    );
  sources
    .command('map-account <account> <key>')
    .description('SIE4: what kind of money a POS account holds (a settlement key; --vat for its output VAT)')
    .option('--vat', "the account holds the output VAT of the key's sales")
    .action((account: string, key: string, options: { vat?: boolean }) =>
      run((ctx, out) => {
        setSie4AccountKey(ctx.db, account, settlementKeyArgument(key), Boolean(options.vat));
        out.line(`SIE4 account ${account} → ${key}${options.vat ? ' (VAT)' : ''}`);
        return EXIT.ok;
      })(),
    );
  sources
    .command('codes')
    .description("this shop's additions to the SAF-T payment and SIE4 account tables")
    .action(
      run((ctx, out) => {
        const overrides = loadSourceOverrides(ctx.db);
        if (out.json) out.data(overrides);
        else {
          for (const [code, key] of Object.entries(overrides.saftPaymentKeys))
            out.line(`SAF-T payment ${code} → ${key}`);
          for (const [account, { key, part }] of Object.entries(overrides.sie4AccountKeys)) {
            out.line(`SIE4 account ${account} → ${key}${part ? ' (VAT)' : ''}`);
          }
        }
        return EXIT.ok;
      }),
    );
  sources
    .command('run')
    .description('run every registered source until stopped')
    .option('--once', 'poll each POS database once and scan each folder, then exit')
    .action((options: { once?: boolean }) => run((ctx, out) => sourcesRun(ctx, out, Boolean(options.once)))());
}

/** The import and numbering commands, registered on the main program. */
export function registerSourceCommands(program: Command, run: Run): void {
  program
    .command('import <files...>')
    .description('import SAF-T Cash Register, SIE4 or CSV settlement files (a directory: every file in it)')
    .option('--format <format>', 'saft, sie4, csv or auto (from the file content)', 'auto')
    .action((files: string[], options: { format: string }) =>
      run((ctx, out) => importCommand(ctx, out, files, options.format))(),
    );
  program
    .command('poll')
    .description(
      'read new Z reports from the POS database through its profile, every 60 s (setting sources.posPollSeconds)',
    )
    .requiredOption('--profile <file>', 'the POS profile (JSON)')
    .requiredOption('--pos-db <file>', "the POS's database file (opened read-only)")
    .option('--every <seconds>', 'poll interval')
    .option('--once', 'poll once and exit')
    .action((options: PollOptions) => run((ctx, out) => pollCommand(ctx, out, options))());
  program
    .command('watch <dir>')
    .description(
      'import SAF-T/SIE4/CSV files as they appear in a folder; done files go to processed/, bad ones to failed/',
    )
    .option('--every <seconds>', 'scan interval (default 5)')
    .option('--once', 'import the complete files there now and exit')
    .option('--format <format>', 'saft, sie4, csv or auto', 'auto')
    .action((dir: string, options: WatchOptions) => run((ctx, out) => watchCommand(ctx, out, dir, options))());
  registerSourcesGroup(program, run);
  program
    .command('gaps')
    .description('explain holes in the report numbering per register; exit 1 when a report is really missing')
    .action(run(gapsCommand));
}
