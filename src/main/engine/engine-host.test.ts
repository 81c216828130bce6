import { fork, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { useTempHome } from '../../../test/helpers/temp-home';
import { waitFor } from '../../../test/helpers/wait-for';
import { ApiError, unwrapResponse, type ApiEvent } from '../../shared/api';
import { EngineHost, type EngineProcess } from './engine-host';

const ROOT = join(import.meta.dirname, '..', '..', '..');
const ENTRY = join(ROOT, 'out', 'main', 'engine.js');
const SHIM = join(ROOT, 'test', 'helpers', 'parent-port-shim.mjs');
const newHome = useTempHome();
const hosts: EngineHost[] = [];
afterEach(() => {
  for (const host of hosts.splice(0)) host.stop();
});

/** The host as the app runs it, with child_process.fork standing in for utilityProcess.fork. */
function startHost() {
  const children: ChildProcess[] = [];
  const events: ApiEvent[] = [];
  const spawn = (args: readonly string[]): EngineProcess => {
    const child = fork(ENTRY, [...args], { execArgv: ['--import', SHIM], stdio: ['ignore', 'ignore', 'pipe', 'ipc'] });
    children.push(child);
    return {
      onMessage: (listener) => child.on('message', listener),
      onExit: (listener) => child.on('exit', (code) => listener(code ?? 1)),
      post: (message) => child.send(message as object),
      kill: () => void child.kill(),
    };
  };
  const host = new EngineHost({
    spawn,
    databaseFile: join(newHome(), 'kassebro.sqlite'),
    version: '1.0.0',
    onEvent: (event) => events.push(event),
    onLog: () => undefined,
  });
  hosts.push(host);
  host.start();
  return { host, children, events };
}

describe.skipIf(!existsSync(ENTRY))('EngineHost (auto-restart)', () => {
  it('relays calls, and when the engine dies restarts it quietly and keeps answering', async () => {
    const { host, children, events } = startHost();
    expect(unwrapResponse(await host.call('loadDemo', {}))).toMatchObject({ zReports: 167, ready: 163 });
    expect(events).toContainEqual({ type: 'engine', state: 'running' });

    children[0]?.kill('SIGKILL');
    await waitFor(
      () => events.some((event) => event.type === 'engine' && event.state === 'restarting'),
      'the engine to restart',
      15_000,
    );
    // A call made while the engine is down waits for the new one instead of failing.
    const status = unwrapResponse(await host.call('status', {}));
    expect(children).toHaveLength(2);
    expect(status).toMatchObject({ homeKind: 'demo', vouchers: { ready: 163 } });
    expect(events.filter((event) => event.type === 'engine').map((event) => event.state)).toEqual([
      'running',
      'restarting',
      'running',
    ]);
  }, 30_000);

  it('fails a call that was in flight when the engine died, with a clear error', async () => {
    const { host, children } = startHost();
    await host.call('status', {});
    const inFlight = host.call('loadDemo', {});
    children[0]?.kill('SIGKILL');
    await expect(inFlight).rejects.toThrow(
      new ApiError('internal', 'The background engine stopped while answering; try again'),
    );
  }, 30_000);
});
