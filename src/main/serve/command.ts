import type { Command } from 'commander';
import { CliError } from '../cli/output';
import { Engine } from '../engine/engine';
import { databasePath } from '../paths';
import { openDatabase } from '../store/database';
import { packageVersion, rendererDir } from './locate';
import { startServer } from './server';

export interface ServeIo {
  readonly stdout: (text: string) => void;
}

/**
 * `kassebro serve [--port N]`: the desktop UI in a normal browser, against the same engine.
 * Runs until SIGINT/SIGTERM (or `stop` resolves, in tests).
 */
export function registerServeCommand(program: Command, io: ServeIo, stop?: Promise<void>): void {
  program
    .command('serve')
    .description('serve the UI and its API on 127.0.0.1 for a browser (prints the URL with a session token)')
    .option('--port <n>', 'port to listen on (default: any free port)', '0')
    .action(async (options: { port: string }) => {
      const port = Number(options.port);
      if (!Number.isInteger(port) || port < 0 || port > 65535)
        throw new CliError(`--port must be 0–65535, not "${options.port}"`);
      const root = rendererDir();
      if (!root) throw new CliError('The UI is not built yet: run "npm run build" first (it writes out/renderer).');
      const databaseFile = databasePath(program.opts<{ db?: string }>().db);
      const db = openDatabase(databaseFile);
      const engine = new Engine({ db, databaseFile, appVersion: packageVersion() });
      const server = await startServer({
        handlers: engine.handlers,
        onEvent: (listener) => engine.onEvent(listener),
        language: () => engine.language(),
        rendererDir: root,
        port,
      });
      io.stdout(`Kassebro UI: ${server.url}\n`);
      try {
        await (stop ??
          new Promise<void>((resolve) => {
            process.once('SIGINT', () => resolve());
            process.once('SIGTERM', () => resolve());
          }));
      } finally {
        await server.close();
        db.close();
      }
    });
}
