import { mkdirSync, writeFileSync } from 'node:fs';
import { request } from 'node:http';
import { join } from 'node:path';
import { isDeepStrictEqual } from 'node:util';
import { afterEach, describe, expect, it } from 'vitest';
import { WebSocket } from 'ws';
import { useTempHome } from '../../../test/helpers/temp-home';
import { waitFor } from '../../../test/helpers/wait-for';
import { ApiError, createApiClient, unwrapResponse, type ApiEvent } from '../../shared/api';
import { Engine } from '../engine/engine';
import { openDatabase } from '../store/database';
import { startServer, type RunningServer } from './server';

const newHome = useTempHome();
const running: RunningServer[] = [];
afterEach(async () => {
  for (const server of running.splice(0)) await server.close();
});

async function serveDemo() {
  const home = newHome();
  const rendererDir = join(home, 'renderer');
  mkdirSync(join(rendererDir, 'assets'), { recursive: true });
  writeFileSync(join(rendererDir, 'index.html'), '<!doctype html><title>Kassebro</title>');
  writeFileSync(join(rendererDir, 'assets', 'app.js'), 'console.log(1)');
  writeFileSync(join(home, 'secret.txt'), 'do not serve');
  const databaseFile = join(home, 'kassebro.sqlite');
  const engine = new Engine({ db: openDatabase(databaseFile), databaseFile, appVersion: '1.0.0' });
  const server = await startServer({
    handlers: engine.handlers,
    onEvent: (listener) => engine.onEvent(listener),
    language: () => engine.language(),
    rendererDir,
  });
  running.push(server);
  const base = `http://127.0.0.1:${server.port}`;
  const post = (body: unknown, token: string | null = server.token) =>
    fetch(`${base}/api/call`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...(token ? { 'x-kassebro-token': token } : {}) },
      body: JSON.stringify(body),
    });
  const api = createApiClient(
    async (method, args) => unwrapResponse(await (await post({ id: 1, method, args })).json()),
    () => () => undefined,
  );
  return { server, base, post, api, home };
}

/** fetch() will not send a forged Host header nor a malformed path, so this uses node:http directly. */
function statusOf(port: number, path: string, headers: Record<string, string> = {}): Promise<number> {
  return new Promise((resolve, reject) => {
    const req = request({ host: '127.0.0.1', port, path, headers }, (res) => {
      res.resume();
      resolve(res.statusCode ?? 0);
    });
    req.on('error', reject);
    req.end();
  });
}

const statusWithHost = (port: number, host: string) => statusOf(port, '/', { host });

/** A file that is not an import, like /etc/passwd, whose text must never travel back. */
const SYSTEM_FILE_TEXT = 'PRETTY_NAME="Secret OS"\nroot:x:0:0:root:/root:/bin/bash\n';

describe('kassebro serve bridge', () => {
  it('listens on 127.0.0.1 with a random token in the URL and serves the renderer with a CSP', async () => {
    const { server, base } = await serveDemo();
    expect(server.url).toMatch(new RegExp(`^http://127\\.0\\.0\\.1:${server.port}/\\?token=[A-Za-z0-9_-]{32}$`));
    const page = await fetch(`${base}/`);
    expect(page.status).toBe(200);
    expect(page.headers.get('content-security-policy')).toContain("script-src 'self'");
    expect(await page.text()).toContain('<title>Kassebro</title>');
    expect((await fetch(`${base}/assets/app.js`)).headers.get('content-type')).toBe('text/javascript; charset=utf-8');
    expect((await fetch(`${base}/%2e%2e/secret.txt`)).status).toBe(404);
    expect((await fetch(`${base}/..%2fsecret.txt`)).status).toBe(404);
  });

  it('refuses calls without the token and requests for another Host (DNS rebinding)', async () => {
    const { server, post } = await serveDemo();
    const anonymous = await post({ id: 1, method: 'status', args: {} }, null);
    expect(anonymous.status).toBe(401);
    expect(await anonymous.json()).toEqual({ type: 'refused', message: 'Missing or wrong session token' });
    expect((await post({ id: 1, method: 'status', args: {} }, 'x'.repeat(32))).status).toBe(401);
    expect(await statusWithHost(server.port, `evil.example:${server.port}`)).toBe(421);
    expect(await statusWithHost(server.port, `localhost:${server.port}`)).toBe(200);
  });

  it('answers the typed API: commands, queries and errors as {type, message}', async () => {
    const { api, post } = await serveDemo();
    await expect(api.mapping()).rejects.toThrow(
      new ApiError('not_found', 'No accounting system is set up yet; load the demo or run setup.'),
    );
    expect(await api.loadDemo()).toEqual({ zReports: 167, ready: 163, blocked: 0, skipped: 4, frozen: 0 });
    expect((await api.status()).vouchers.ready).toBe(163);
    const rejected = await post({ id: 7, method: 'setMapping', args: { key: 'cash', account: '' } });
    expect(await rejected.json()).toEqual({
      id: 7,
      ok: false,
      error: { type: 'invalid_args', message: 'setMapping: account: account must not be empty' },
    });
    expect((await post({ nonsense: true })).status).toBe(400);
  });

  it('pushes engine events over the WebSocket only to a client holding the token', async () => {
    const { server, api } = await serveDemo();
    const wsUrl = `ws://127.0.0.1:${server.port}/api/events`;
    const refused = new WebSocket(`${wsUrl}?token=wrong`);
    await expect(new Promise((resolve, reject) => refused.on('open', resolve).on('error', reject))).rejects.toThrow(
      /401/,
    );
    const socket = new WebSocket(`${wsUrl}?token=${server.token}`);
    await new Promise((resolve) => socket.on('open', resolve));
    const events: ApiEvent[] = [];
    socket.on('message', (data: Buffer) => events.push(JSON.parse(data.toString()) as ApiEvent));
    await api.loadDemo();
    await api.validate();
    const expected: ApiEvent[] = [
      { type: 'progress', task: 'validate', done: 1, total: 1 },
      { type: 'changed', topics: ['status', 'vouchers', 'mapping', 'log'] },
    ];
    await waitFor(
      () => expected.every((event) => events.some((received) => isDeepStrictEqual(received, event))),
      `${JSON.stringify(expected)} over the WebSocket`,
    );
    socket.close();
  });

  it('answers 400, not 500, to a malformed %-escape in the path or the query', async () => {
    const { server } = await serveDemo();
    for (const path of ['/%zz', '/assets/%E0%A4%A', '/%', `/?token=%zz`, `/api/call?x=%ff`])
      expect(await statusOf(server.port, path), path).toBe(400);
    expect(await statusOf(server.port, '/assets/app%2Ejs')).toBe(200);
  });

  it('answers 413 to a body over 1 MiB, declared or chunked, and the client receives it', async () => {
    const { server, base, api } = await serveDemo();
    const twoMiB = Buffer.alloc(2 * 1024 * 1024, 0x20);
    const call = (body: Buffer | ReadableStream<Uint8Array>) =>
      fetch(`${base}/api/call`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'x-kassebro-token': server.token },
        body,
        duplex: 'half',
      } as RequestInit);
    const declared = await call(twoMiB);
    expect(declared.status).toBe(413);
    expect(await declared.json()).toEqual({ type: 'invalid_args', message: 'Request too large' });
    const chunks = new ReadableStream<Uint8Array>({
      start(controller) {
        for (let offset = 0; offset < twoMiB.length; offset += 64 * 1024)
          controller.enqueue(twoMiB.subarray(offset, offset + 64 * 1024));
        controller.close();
      },
    });
    const chunked = await call(chunks);
    expect(chunked.status).toBe(413);
    expect(await chunked.json()).toEqual({ type: 'invalid_args', message: 'Request too large' });
    expect((await api.status()).homeKind).toBeNull();
  });

  it('never echoes a file that is not an import into the answer or the integration log', async () => {
    const { api, post, home } = await serveDemo();
    const systemFile = join(home, 'os-release');
    const named = join(home, 'passwd.se');
    writeFileSync(systemFile, SYSTEM_FILE_TEXT);
    writeFileSync(named, SYSTEM_FILE_TEXT);
    const attempts = [
      { path: systemFile, format: 'auto' },
      { path: systemFile, format: 'sie4' },
      { path: systemFile, format: 'csv' },
      { path: systemFile, format: 'saft' },
      { path: named, format: 'auto' },
    ];
    for (const [index, args] of attempts.entries()) {
      const answer = (await (await post({ id: index, method: 'importFile', args })).json()) as {
        ok: boolean;
        error: { type: string; message: string };
      };
      expect(answer.ok, args.format).toBe(false);
      expect(answer.error.type).toBe('refused');
      expect(answer.error.message).toContain(args.path);
      expect(answer.error.message).not.toMatch(/PRETTY|Secret|root:/);
    }
    const log = JSON.stringify(await api.log({ module: 'import' }));
    expect(log).toContain(systemFile);
    expect(log).not.toMatch(/PRETTY|Secret|root:/);
  });
});
