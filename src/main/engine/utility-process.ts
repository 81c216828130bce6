import { dirname } from 'node:path';
import { callRequestSchema } from '../../shared/api';
import { runAgent } from '../agent/agent';
import { createLogger, setLogSink } from '../log/logger';
import { homeSecretStore } from '../secrets/secret-store';
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
const db = openDatabase(databaseFile);
const engine = new Engine({ db, databaseFile, appVersion: argument('--version') });
engine.onEvent((event) => port.postMessage({ kind: 'event', event }));

port.on('message', ({ data }) => {
  const request = callRequestSchema.safeParse(data);
  if (!request.success) return;
  void dispatch(engine.handlers, request.data.id, request.data.method, request.data.args, () => engine.language()).then(
    (response) => port.postMessage({ kind: 'response', response }),
  );
});
port.postMessage({ kind: 'ready' });

// The background work goes on while the window is closed: sources, schedules, sync (as `kassebro agent`).
const agentLog = createLogger('agent');
void runAgent(db, {
  secrets: homeSecretStore(dirname(databaseFile)),
  signal: new AbortController().signal,
  pollMs: 30_000,
  onLine: (line) => {
    agentLog.info(line);
    engine.notifyBackgroundWork();
  },
}).catch((error: unknown) => agentLog.error('the background work stopped', error));
