import type { Command } from 'commander';
import type { Run } from '../cli/context';

/** `kassebro agent`: the background engine as a service (no UI), for stores that want one. */
export function registerAgentCommand(program: Command, run: Run): void {
  program
    .command('agent')
    .description('run sources, schedules and sync in the background without a UI (a service); SIGTERM stops it')
    .option('--poll <seconds>', 'how often on-close targets and due retries are checked (default 30)')
    .action((options: { poll?: string }) =>
      run(async (ctx, out) => (await import('./cli')).agentCommand(ctx, out, options))(),
    );
}
