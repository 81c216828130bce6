import { callRequestSchema } from '../../shared/api';
import { setLogSink } from '../log/logger';
import { openDatabase } from '../store/database';
import { dispatch } from './dispatch';
import { Engine } from './engine';
import type { EngineMessage } from './protocol';

/**
 * Entry point of the engine inside Electron's utilityProcess: the process that owns the
 * database writer, so closing the window never stops the work. Main sends {id, method, args};
 * the engine answers on the same port and pushes events and log records.
 * Arguments: --db FILE --version X.Y.Z (given by src/main/app/engine-host.ts).
 */
interface ParentPort {
  on(event: 'message', listener: (message: { data: unknown }) => void): void;
  postMessage(message: EngineMessage): void;
}

const parentPort = (process as unknown as { parentPort?: ParentPort }).parentPort;
if (!parentPort) throw new Error('utility-process.ts must run inside an Electron utilityProcess');
const port: ParentPort = parentPort;

function argument(name: string): string {
  const index = process.argv.indexOf(name);
  const value = index >= 0 ? process.argv[index + 1] : undefined;
  if (!value) throw new Error(`engine: missing ${name}`);
  return value;
}

// Engine log records go to main, which writes them with electron-log (one file, rotated).
setLogSink((record) => port.postMessage({ kind: 'log', record }));

const databaseFile = argument('--db');
const engine = new Engine({ db: openDatabase(databaseFile), databaseFile, appVersion: argument('--version') });
engine.onEvent((event) => port.postMessage({ kind: 'event', event }));

port.on('message', ({ data }) => {
  const request = callRequestSchema.safeParse(data);
  if (!request.success) return;
  void dispatch(engine.handlers, request.data.id, request.data.method, request.data.args).then((response) =>
    port.postMessage({ kind: 'response', response }),
  );
});
port.postMessage({ kind: 'ready' });
