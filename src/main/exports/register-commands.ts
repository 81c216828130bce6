import type { Command } from 'commander';
import { TARGET_KINDS, TARGETS } from '../../shared/targets';
import type { Run } from '../cli/context';
import type { ExportCommandOptions } from './cli';

const FILE_KINDS = TARGET_KINDS.filter((kind) => TARGETS[kind].transport === 'file');

/** Declares `kassebro export NAME --from DATE --to DATE --out DIR`; the action loads the writers. */
export function registerExportCommands(program: Command, run: Run): void {
  program
    .command('export <name>')
    .description(`write the new vouchers of a file target to one file (${FILE_KINDS.join(', ')})`)
    .option('--from <date>', 'first business date (YYYY-MM-DD)')
    .option('--to <date>', 'last business date (YYYY-MM-DD)')
    .option('--out <dir>', "folder to write to (default: the target's folder setting)")
    .action((name: string, options: ExportCommandOptions) =>
      run(async (ctx, out) => (await import('./cli')).exportCommand(ctx, out, name, options))(),
    );
}
