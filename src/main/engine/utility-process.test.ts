import { fork, type ChildProcess } from 'node:child_process';
import { existsSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { OFFICIAL_EXAMPLE } from '../../../test/fixtures/saft';
import { useTempHome } from '../../../test/helpers/temp-home';
import { engineMessageSchema, type EngineMessage } from './protocol';

const ROOT = join(import.meta.dirname, '..', '..', '..');
const ENTRY = join(ROOT, 'out', 'main', 'engine.js');
const SHIM = join(ROOT, 'test', 'helpers', 'parent-port-shim.mjs');
const newHome = useTempHome();
const children: ChildProcess[] = [];
afterEach(() => {
  for (const child of children.splice(0)) child.kill();
});

/** The built engine bundle, run the way Electron's utilityProcess runs it, with a stand-in parent port. */
function startEngine() {
  const child = fork(ENTRY, ['--db', join(newHome(), 'kassebro.sqlite'), '--version', '1.2.3'], {
    execArgv: ['--import', SHIM],
    env: { ...process.env, KASSEBRO_LOG_LEVEL: 'warn' },
    stdio: ['ignore', 'ignore', 'pipe', 'ipc'],
  });
  children.push(child);
  const messages: EngineMessage[] = [];
  const waiters: (() => void)[] = [];
  child.on('message', (raw) => {
    messages.push(engineMessageSchema.parse(raw));
    for (const wake of waiters.splice(0)) wake();
  });
  const until = async (match: (message: EngineMessage) => boolean): Promise<EngineMessage> => {
    for (;;) {
      const found = messages.find(match);
      if (found) return found;
      await new Promise<void>((resolve) => waiters.push(resolve));
    }
  };
  return { child, messages, until };
}

describe.skipIf(!existsSync(ENTRY))('engine process entry (out/main/engine.js)', () => {
  it('says ready, answers calls by id, streams events, and refuses bad arguments', async () => {
    const { child, messages, until } = startEngine();
    await until((message) => message.kind === 'ready');
    child.send({ id: 1, method: 'loadDemo', args: {} });
    const loaded = await until((message) => message.kind === 'response' && message.response.id === 1);
    expect(loaded).toEqual({
      kind: 'response',
      response: { id: 1, ok: true, result: { zReports: 167, ready: 163, blocked: 0, skipped: 4, frozen: 0 } },
    });
    expect(messages).toContainEqual({
      kind: 'event',
      event: { type: 'progress', task: 'loadDemo', done: 1, total: 1 },
    });

    child.send({ id: 2, method: 'status', args: { extra: true } });
    const refused = await until((message) => message.kind === 'response' && message.response.id === 2);
    expect(refused).toMatchObject({ response: { id: 2, ok: false, error: { type: 'invalid_args' } } });

    child.send({ id: 3, method: 'environment', args: {} });
    const environment = await until((message) => message.kind === 'response' && message.response.id === 3);
    expect(environment).toMatchObject({ response: { ok: true, result: { appVersion: '1.2.3' } } });
  }, 30_000);

  it('imports a file through the built parse worker beside it (out/main/parse-worker.js), with progress', async () => {
    const { child, messages, until } = startEngine();
    await until((message) => message.kind === 'ready');
    child.send({ id: 1, method: 'importFile', args: { path: OFFICIAL_EXAMPLE } });
    const imported = await until((message) => message.kind === 'response' && message.response.id === 1);
    expect(imported).toMatchObject({ response: { ok: true, result: { format: 'saft', imported: [{ kind: 'Z' }] } } });
    const size = statSync(OFFICIAL_EXAMPLE).size;
    expect(messages).toContainEqual({
      kind: 'event',
      event: { type: 'importProgress', file: OFFICIAL_EXAMPLE, bytesRead: size, totalBytes: size, reportsFound: 1 },
    });
  }, 30_000);
});
