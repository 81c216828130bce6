import { Command, CommanderError } from 'commander';
import { registerExportCommands } from '../exports/register-commands';
import { registerInvoiceCommands } from '../invoices/register-commands';
import { registerServeCommand } from '../serve/command';
import type { Language } from '../../shared/settlement-keys';
import { asFileAccessError } from '../log/io-error';
import { SchemaError } from '../store/schema-error';
import type { DatabaseFileError } from '../store/database-file-error';
import { DemoRefusedError } from '../demo/demo-refused-error';
import { SourceError } from '../sources/source-error';
import { UnknownTargetError } from '../vouchers/unknown-target-error';
import type { SetOptions } from './commands/mapping';
import { registerSourceCommands } from './commands/register-sources';
import { registerAgentCommand } from '../agent/command';
import { registerSyncCommands } from './commands/register-sync';
import type { CliContext, GlobalOptions } from './context';
import { CliError, createOutput, EXIT, pickLanguage, type Output } from './output';
import { registerTerminalCommands } from '../terminal/register-commands';

// Start-up cost is what every `kassebro` run pays: this module and the register* modules only
// declare commands (names, options, help). Each action loads its implementation with
// `await import(…)`, so `--help` never loads SQLite, SOAP, serial ports or the sandboxes.

export interface Io {
  readonly stdout: (text: string) => void;
  readonly stderr: (text: string) => void;
}

const processIo: Io = {
  stdout: (text) => process.stdout.write(text),
  stderr: (text) => process.stderr.write(text),
};

/** Runs one CLI invocation and returns its exit code; never calls process.exit, so tests can run it in-process. */
export async function main(argv: readonly string[], io: Io = processIo): Promise<number> {
  let exitCode: number = EXIT.ok;
  let context: CliContext | undefined;
  const program = new Command('kassebro')
    .description('Kassebro: POS settlements in, balanced vouchers out.')
    .option('--db <path>', 'database file (default: $KASSEBRO_HOME/kassebro.sqlite or the OS user-data folder)')
    .option('--json', 'machine-readable output')
    .option('--lang <code>', 'language of messages: nb, sv or en')
    .option('--target <id>', 'target to work on (default: the active one)')
    .option('--verbose', 'details on errors')
    .exitOverride()
    .configureOutput({ writeOut: io.stdout, writeErr: io.stderr })
    .showHelpAfterError(false);

  const run = (command: (ctx: CliContext, out: Output) => number | Promise<number>) => async (): Promise<void> => {
    const options = program.opts<GlobalOptions>();
    const { CliContext } = await import('./context');
    context = new CliContext(options);
    const out = createOutput(Boolean(options.json), pickLanguage(options.lang), io.stdout);
    exitCode = await command(context, out);
  };

  program
    .command('demo')
    .description('load the demo shop, build all vouchers and post them to a local Tripletex sandbox')
    .option('--no-post', 'only load and build; leave the vouchers unsent (to try mappings)')
    .action((options: { post: boolean }) =>
      run(async (ctx, out) => (await import('./commands/demo')).demoCommand(ctx, out, options.post))(),
    );
  const settlements = program
    .command('settlements')
    .description('list stored settlements (Z and X reports); "settlements remove ID" removes an unsent one')
    .action(run(async (ctx, out) => (await import('./commands/settlements')).settlementsCommand(ctx, out)));
  settlements
    .command('remove <id>')
    .description('remove a stored report whose voucher was never sent (e.g. a corrupt one), logged')
    .action((id: string) =>
      run(async (ctx, out) => (await import('./commands/settlements')).settlementsRemove(ctx, out, id))(),
    );
  program
    .command('vouchers')
    .description('show the voucher of every Z-report for the target')
    .option('--settlement <id>', 'only the voucher of this settlement')
    .action((options: { settlement?: string }) =>
      run(async (ctx, out) => (await import('./commands/vouchers')).vouchersCommand(ctx, out, options.settlement))(),
    );
  program
    .command('validate')
    .description('check every unsent voucher against mapping and chart')
    .action(run(async (ctx, out) => (await import('./commands/validate')).validateCommand(ctx, out)));

  registerSourceCommands(program, run);

  const mapping = program.command('mapping').description('the kontooppsett: settlement key → account and VAT code');
  mapping
    .command('show')
    .description('show the mapping of the target')
    .action(run(async (ctx, out) => (await import('./commands/mapping')).mappingShow(ctx, out)));
  mapping
    .command('set <key> <account>')
    .description('map a settlement key to an account')
    .option('--vat <code>', "the target's VAT code on the line")
    .option('--vat-account <account>', 'output-VAT account for explicit VAT lines (Fortnox/SIE)')
    .option('--location <location>', 'only for this POS location')
    .action((key: string, account: string, options: SetOptions) =>
      run(async (ctx, out) => (await import('./commands/mapping')).mappingSet(ctx, out, key, account, options))(),
    );
  mapping
    .command('preset <name>')
    .description('replace the mapping with a preset: no-standard, no-fiken, se-bas')
    .action((name: string) =>
      run(async (ctx, out) => (await import('./commands/mapping')).mappingPreset(ctx, out, name))(),
    );
  mapping
    .command('export [file]')
    .description('write the mapping as JSON (to stdout without a file)')
    .action((file?: string) =>
      run(async (ctx, out) => (await import('./commands/mapping')).mappingExport(ctx, out, file))(),
    );
  mapping
    .command('import <file>')
    .description('replace the mapping with a JSON file made by export')
    .action((file: string) =>
      run(async (ctx, out) => (await import('./commands/mapping')).mappingImport(ctx, out, file))(),
    );

  registerTerminalCommands(program, run);
  registerExportCommands(program, run);
  registerServeCommand(program, io);
  registerSyncCommands(program, run);
  registerInvoiceCommands(program, run);
  registerAgentCommand(program, run);

  try {
    await program.parseAsync(argv, { from: 'user' });
    return exitCode;
  } catch (error) {
    const options = program.opts<GlobalOptions>();
    // Loaded only on failure: the mapping needs better-sqlite3, which --help never loads.
    const fileError = context
      ? (await import('../store/database-file-error')).asDatabaseFileError(error, context.databaseFile)
      : null;
    if (fileError) return reportDatabaseFileError(fileError, options, io);
    return reportError(error, options.verbose ?? false, languageOrEnglish(options.lang), io);
  } finally {
    context?.close();
  }
}

/** The language for the last line; a bad --lang is itself the error being reported, in English. */
function languageOrEnglish(option: string | undefined): Language {
  try {
    return pickLanguage(option);
  } catch {
    return 'en';
  }
}

/** A problem with the database file itself: one sentence naming the file, in the user's language. */
function reportDatabaseFileError(error: DatabaseFileError, options: GlobalOptions, io: Io): number {
  io.stderr(`kassebro: ${error.describe(languageOrEnglish(options.lang))}\n`);
  if (options.verbose && error.cause instanceof Error) io.stderr(`${error.cause.stack ?? error.cause.message}\n`);
  return EXIT.usage;
}

function reportError(error: unknown, verbose: boolean, language: Language, io: Io): number {
  if (error instanceof CommanderError) {
    // Help and version are not errors; commander has already printed them.
    if (
      error.code === 'commander.helpDisplayed' ||
      error.code === 'commander.version' ||
      error.code === 'commander.help'
    ) {
      return EXIT.ok;
    }
    return EXIT.usage;
  }
  const fileFailure = asFileAccessError(error);
  if (fileFailure) {
    io.stderr(`kassebro: ${fileFailure.describe(language)}\n`);
    if (verbose && fileFailure.stack) io.stderr(`${fileFailure.stack}\n`);
    return EXIT.usage;
  }
  const known =
    error instanceof CliError ||
    error instanceof SourceError ||
    error instanceof SchemaError ||
    error instanceof DemoRefusedError ||
    error instanceof UnknownTargetError;
  const message = error instanceof Error ? error.message : String(error);
  io.stderr(`kassebro: ${known ? message : `unexpected error: ${message}`}\n`);
  if (error instanceof CliError && error.details && verbose) io.stderr(`${error.details}\n`);
  if (verbose && error instanceof Error && error.stack) io.stderr(`${error.stack}\n`);
  else if (!known) io.stderr('(run again with --verbose for details)\n');
  return error instanceof CliError ? error.exitCode : EXIT.usage;
}
