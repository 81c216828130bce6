import type { Command } from 'commander';
import type { Run } from '../context';
import type { PollOptions, WatchOptions } from './sources';
import type { PosDbSourceOptions } from './source-registrations';

// Declarations only; each action loads its implementation (the source readers) when it runs.
const sources = () => import('./sources');
const registrations = () => import('./source-registrations');

/** import, poll, watch, the `sources` group and gaps. */
export function registerSourceCommands(program: Command, run: Run): void {
  program
    .command('import <files...>')
    .description('import SAF-T Cash Register, SIE4 or CSV settlement files (a directory: every file in it)')
    .option('--format <format>', 'saft, sie4, csv or auto (from the file content)', 'auto')
    .action((files: string[], options: { format: string }) =>
      run(async (ctx, out) => (await sources()).importCommand(ctx, out, files, options.format))(),
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
    .action((options: PollOptions) => run(async (ctx, out) => (await sources()).pollCommand(ctx, out, options))());
  program
    .command('watch <dir>')
    .description(
      'import SAF-T/SIE4/CSV files as they appear in a folder; done files go to processed/, bad ones to failed/',
    )
    .option('--every <seconds>', 'scan interval (default 5)')
    .option('--once', 'import the complete files there now and exit')
    .option('--format <format>', 'saft, sie4, csv or auto', 'auto')
    .action((dir: string, options: WatchOptions) =>
      run(async (ctx, out) => (await sources()).watchCommand(ctx, out, dir, options))(),
    );
  registerSourcesGroup(program, run);
  program
    .command('gaps')
    .description('explain holes in the report numbering per register; exit 1 when a report is really missing')
    .action(run(async (ctx, out) => (await sources()).gapsCommand(ctx, out)));
}

/** `kassebro sources …`: what the engine reads by itself, and the shop's code tables. */
function registerSourcesGroup(program: Command, run: Run): void {
  const group = program.command('sources').description('the POS databases and folders the engine reads by itself');
  group
    .command('list')
    .description('list registered sources')
    .action(run(async (ctx, out) => (await registrations()).sourcesList(ctx, out)));
  group
    .command('add-pos-db <id>')
    .description('poll a POS database through a profile')
    .requiredOption('--profile <file>', 'the POS profile (JSON)')
    .requiredOption('--pos-db <file>', "the POS's database file")
    .option('--every <seconds>', 'poll interval (default: setting sources.posPollSeconds, else 60)')
    .action((id: string, options: PosDbSourceOptions) =>
      run(async (ctx, out) => (await registrations()).sourcesAddPosDb(ctx, out, id, options))(),
    );
  group
    .command('add-folder <id> <dir>')
    .description('watch a folder for SAF-T, SIE4 and CSV files')
    .option('--format <format>', 'saft, sie4, csv or auto', 'auto')
    .option('--every <seconds>', 'scan interval', '5')
    .action((id: string, dir: string, options: { format: string; every: string }) =>
      run(async (ctx, out) => (await registrations()).sourcesAddFolder(ctx, out, id, dir, options))(),
    );
  group
    .command('remove <id>')
    .description('forget a source (its imported reports stay)')
    .action((id: string) => run(async (ctx, out) => (await registrations()).sourcesRemove(ctx, out, id))());
  group
    .command('map-payment <code> <key>')
    .description("SAF-T: book the POS's payment code (or a 12xxx code) on a settlement key")
    .action((code: string, key: string) =>
      run(async (ctx, out) => (await registrations()).sourcesMapPayment(ctx, out, code, key))(),
    );
  group
    .command('map-account <account> <key>')
    .description('SIE4: what kind of money a POS account holds (a settlement key; --vat for its output VAT)')
    .option('--vat', "the account holds the output VAT of the key's sales")
    .action((account: string, key: string, options: { vat?: boolean }) =>
      run(async (ctx, out) => (await registrations()).sourcesMapAccount(ctx, out, account, key, options))(),
    );
  group
    .command('codes')
    .description("this shop's additions to the SAF-T payment and SIE4 account tables")
    .action(run(async (ctx, out) => (await registrations()).sourcesCodes(ctx, out)));
  group
    .command('run')
    .description('run every registered source until stopped')
    .option('--once', 'poll each POS database once and scan each folder, then exit')
    .action((options: { once?: boolean }) =>
      run(async (ctx, out) => (await registrations()).sourcesRun(ctx, out, Boolean(options.once)))(),
    );
}
