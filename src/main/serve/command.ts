import type { Command } from 'commander';

export interface ServeIo {
  readonly stdout: (text: string) => void;
}

/**
 * `kassebro serve [--port N]`: the desktop UI in a normal browser, against the same engine.
 * Runs until SIGINT/SIGTERM (or `stop` resolves, in tests). The action loads the engine and
 * the server (./cli) only when it runs.
 */
export function registerServeCommand(program: Command, io: ServeIo, stop?: Promise<void>): void {
  program
    .command('serve')
    .description('serve the UI and its API on 127.0.0.1 for a browser (prints the URL with a session token)')
    .option('--port <n>', 'port to listen on (default: any free port)', '0')
    .action(async (options: { port: string }) => {
      const { serveCommand } = await import('./cli');
      await serveCommand({ port: options.port, db: program.opts<{ db?: string }>().db }, io.stdout, stop);
    });
}
