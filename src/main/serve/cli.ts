import { CliError } from '../cli/output';
import { Engine } from '../engine/engine';
import { databasePath } from '../paths';
import { openDatabase } from '../store/database';
import { packageVersion, rendererDir } from './locate';
import { startServer } from './server';

/** `kassebro serve`: runs until SIGINT/SIGTERM, or until `stop` resolves (in tests). */
export async function serveCommand(
  options: { port: string; db?: string },
  stdout: (text: string) => void,
  stop?: Promise<void>,
): Promise<void> {
  const port = Number(options.port);
  if (!Number.isInteger(port) || port < 0 || port > 65535)
    throw new CliError(`--port must be 0–65535, not "${options.port}"`);
  const root = rendererDir();
  if (!root) throw new CliError('The UI is not built yet: run "npm run build" first (it writes out/renderer).');
  const databaseFile = databasePath(options.db);
  const db = openDatabase(databaseFile);
  const engine = new Engine({ db, databaseFile, appVersion: packageVersion() });
  const server = await startServer({
    handlers: engine.handlers,
    onEvent: (listener) => engine.onEvent(listener),
    language: () => engine.language(),
    rendererDir: root,
    port,
  });
  stdout(`Kassebro UI: ${server.url}\n`);
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
}
