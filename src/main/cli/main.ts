import { Command, CommanderError } from 'commander';
import { registerExportCommands } from '../exports/cli';
import { registerInvoiceCommands } from '../invoices/cli';
import { registerServeCommand } from '../serve/command';
import type { Language } from '../../shared/settlement-keys';
import { SchemaError } from '../store/database';
import { asDatabaseFileError, type DatabaseFileError } from '../store/database-file-error';
import { DemoRefusedError } from '../demo/run-demo';
import { SourceError } from '../sources/source-error';
import { UnknownTargetError } from '../vouchers/prepare';
import { demoCommand } from './commands/demo';
import {
  mappingExport,
  mappingImport,
  mappingPreset,
  mappingSet,
  mappingShow,
  type SetOptions,
} from './commands/mapping';
import { settlementsCommand, settlementsRemove } from './commands/settlements';
import { registerSourceCommands } from './commands/sources';
import { registerAgentCommand } from '../agent/command';
import { registerConnectCommands } from './commands/connect';
import { registerSyncCommands } from './commands/sync';
import { validateCommand } from './commands/validate';
import { vouchersCommand } from './commands/vouchers';
import { CliContext, type GlobalOptions } from './context';
import { CliError, createOutput, EXIT, pickLanguage, type Output } from './output';
import { registerTerminalCommands } from '../terminal/cli';

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
    context = new CliContext(options);
    const out = createOutput(Boolean(options.json), pickLanguage(options.lang), io.stdout);
    exitCode = await command(context, out);
  };

  program
    .command('demo')
    .description('load the demo shop, build all vouchers and post them to a local Tripletex sandbox')
    .option('--no-post', 'only load and build; leave the vouchers unsent (to try mappings)')
    .action((options: { post: boolean }) => run((ctx, out) => demoCommand(ctx, out, options.post))());
  const settlements = program
    .command('settlements')
    .description('list stored settlements (Z and X reports); "settlements remove ID" removes an unsent one')
    .action(run(settlementsCommand));
  settlements
    .command('remove <id>')
    .description('remove a stored report whose voucher was never sent (e.g. a corrupt one), logged')
    .action((id: string) => run((ctx, out) => settlementsRemove(ctx, out, id))());
  program
    .command('vouchers')
    .description('show the voucher of every Z-report for the target')
    .option('--settlement <id>', 'only the voucher of this settlement')
    .action((options: { settlement?: string }) => run((ctx, out) => vouchersCommand(ctx, out, options.settlement))());
  program
    .command('validate')
    .description('check every unsent voucher against mapping and chart')
    .action(run(validateCommand));

  registerSourceCommands(program, run);

  const mapping = program.command('mapping').description('the kontooppsett: settlement key → account and VAT code');
  mapping.command('show').description('show the mapping of the target').action(run(mappingShow));
  mapping
    .command('set <key> <account>')
    .description('map a settlement key to an account')
    .option('--vat <code>', "the target's VAT code on the line")
    .option('--vat-account <account>', 'output-VAT account for explicit VAT lines (Fortnox/SIE)')
    .option('--location <location>', 'only for this POS location')
    .action((key: string, account: string, options: SetOptions) =>
      run((ctx, out) => mappingSet(ctx, out, key, account, options))(),
    );
  mapping
    .command('preset <name>')
    .description('replace the mapping with a preset: no-standard, no-fiken, se-bas')
    .action((name: string) => run((ctx, out) => mappingPreset(ctx, out, name))());
  mapping
    .command('export [file]')
    .description('write the mapping as JSON (to stdout without a file)')
    .action((file?: string) => run((ctx, out) => mappingExport(ctx, out, file))());
  mapping
    .command('import <file>')
    .description('replace the mapping with a JSON file made by export')
    .action((file: string) => run((ctx, out) => mappingImport(ctx, out, file))());

  registerTerminalCommands(program, run);
  registerExportCommands(program, run);
  registerServeCommand(program, io);
  registerSyncCommands(program, run);
  registerInvoiceCommands(program, run);
  registerConnectCommands(program, run);
  registerAgentCommand(program, run);

  try {
    await program.parseAsync(argv, { from: 'user' });
    return exitCode;
  } catch (error) {
    const options = program.opts<GlobalOptions>();
    const fileError = context ? asDatabaseFileError(error, context.databaseFile) : null;
    if (fileError) return reportDatabaseFileError(fileError, options, io);
    return reportError(error, options.verbose ?? false, io);
  } finally {
    context?.close();
  }
}

/** A problem with the database file itself: one sentence naming the file, in the user's language. */
function reportDatabaseFileError(error: DatabaseFileError, options: GlobalOptions, io: Io): number {
  let language: Language = 'en';
  try {
    language = pickLanguage(options.lang);
  } catch {
    // An unknown --lang was already refused before any database work; English it is.
  }
  io.stderr(`kassebro: ${error.describe(language)}\n`);
  if (options.verbose && error.cause instanceof Error) io.stderr(`${error.cause.stack ?? error.cause.message}\n`);
  return EXIT.usage;
}

function reportError(error: unknown, verbose: boolean, io: Io): number {
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
