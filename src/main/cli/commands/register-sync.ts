import type { Command } from 'commander';
import { TARGET_KINDS, TARGETS } from '../../../shared/targets';
import type { Run } from '../context';
import type { ConnectOptions } from './connect';
import type { AddOptions, SyncOptions } from './sync';

// Declarations only; each action loads ./sync (connectors, SOAP, sandboxes) when it runs.
const sync = () => import('./sync');

// Every API target has a connector and a sandbox (the registry in src/main/connectors).
const SANDBOX_KINDS = TARGET_KINDS.filter((kind) => TARGETS[kind].transport === 'api');

/** target add|list|test|remove|connect, sync, log and sandbox. */
export function registerSyncCommands(program: Command, run: Run): void {
  const target = program.command('target').description('accounting systems and file exports vouchers go to');
  target
    .command('add <name>')
    .description('add or change a target; its settings with --set, secrets better from environment variables')
    .option('--kind <kind>', `one of ${Object.keys(TARGETS).join(', ')}`)
    .option(
      '--set <key=value>',
      'a setting, repeatable (a wrong or missing one lists them all)',
      (value: string, previous: string[]) => [...previous, value],
      [] as string[],
    )
    .option('--schedule <when>', 'on-close (default), daily[@HH:MM], weekly@mon HH:MM, monthly@1 HH:MM, never')
    .option('--export-from <date>', 'never post Z-reports dated before this (go-live)')
    .option('--out <dir>', 'file targets: folder the files are written to')
    .action((name: string, options: AddOptions) =>
      run(async (ctx, out) => (await sync()).targetAdd(ctx, out, name, options))(),
    );
  target
    .command('list')
    .description('targets with schedule and outbox counts')
    .action(run(async (ctx, out) => (await sync()).targetList(ctx, out)));
  target
    .command('test [name]')
    .description('log in, fetch the chart of accounts and save it for validation')
    .action((name?: string) => run(async (ctx, out) => (await sync()).targetTest(ctx, out, name))());
  target
    .command('remove <name>')
    .description('remove a target that never sent anything')
    .action((name: string) => run(async (ctx, out) => (await sync()).targetRemove(ctx, out, name))());
  target
    .command('connect <name>')
    .description('connect an OAuth target through the browser (prints the address; --code for a pasted code)')
    .option('--code <code>', 'the code, or the whole address the browser ended on, from a connect started before')
    .option('--timeout <seconds>', 'how long to wait for the browser (default 600)')
    .action((name: string, options: ConnectOptions) =>
      run(async (ctx, out) => (await import('./connect')).connectCommand(ctx, out, name, options))(),
    );
  program
    .command('sync')
    .description('send queued vouchers; runs on the targets’ schedules until stopped, or one pass with --once')
    .option('--once', 'one pass over every outbox, then exit')
    .option('--retry-failed', 'first put failed vouchers back in the queue, rebuilt from the current mapping')
    .option('--poll <seconds>', 'how often on-close targets are checked (default 30)')
    .action((options: SyncOptions) => run(async (ctx, out) => (await sync()).syncCommand(ctx, out, options))());
  program
    .command('log')
    .description('the integration log: one row per attempt (use --json for the payloads)')
    .option('--limit <n>', 'rows (default 50)')
    .action((options: { limit?: string }) =>
      run(async (ctx, out) => (await sync()).logCommand(ctx, out, options.limit))(),
    );
  program
    .command('sandbox <name>')
    .description(`run a local sandbox of an accounting API (${SANDBOX_KINDS.join(', ')})`)
    .option('--port <n>', 'port on 127.0.0.1 (default: any free one)')
    .option('--session-ttl <seconds>', 'access/session token lifetime (short values test renewal)')
    .option('--rate <n/s>', 'requests per seconds before 429, e.g. 100/60')
    .action((name: string, options: unknown) =>
      run(async (ctx, out) => (await sync()).sandboxCommand(ctx, out, name, options))(),
    );
}
