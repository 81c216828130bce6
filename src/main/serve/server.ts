import { randomBytes, timingSafeEqual } from 'node:crypto';
import { readFile, stat } from 'node:fs/promises';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { extname, join, normalize, sep } from 'node:path';
import { WebSocketServer, type WebSocket } from 'ws';
import { callRequestSchema, type ApiEvent } from '../../shared/api';
import type { Language } from '../../shared/settlement-keys';
import { dispatch } from '../engine/dispatch';
import type { ApiHandlers } from '../engine/engine';
import { createLogger } from '../log/logger';

const log = createLogger('serve');

/** Loopback only: the bridge is for a browser on this machine (or one reached through remote desktop). */
export const SERVE_HOST = '127.0.0.1';
const MAX_BODY_BYTES = 1024 * 1024;
/**
 * After a 413 the rest of an oversized body is still read and dropped, up to this much, so a
 * client that is still sending receives the answer instead of a reset; past it the socket is cut.
 */
const DRAIN_LIMIT_BYTES = 16 * MAX_BODY_BYTES;

/** The same policy the Electron window's page declares; ws: is allowed back to this server only. */
export const CONTENT_SECURITY_POLICY =
  "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; connect-src 'self'; " +
  "frame-ancestors 'none'; base-uri 'none'; form-action 'none'";

const CONTENT_TYPES: Readonly<Record<string, string>> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.json': 'application/json',
  '.woff2': 'font/woff2',
};

export interface ServeOptions {
  readonly handlers: ApiHandlers;
  readonly onEvent: (listener: (event: ApiEvent) => void) => () => void;
  /** The language the engine's refusals speak (the one the window last chose). */
  readonly language: () => Language;
  /** The built renderer (out/renderer). */
  readonly rendererDir: string;
  /** 0 picks a free port. */
  readonly port?: number;
  /** Fixed only in tests; normally a fresh random token per run. */
  readonly token?: string;
}

export interface RunningServer {
  readonly url: string;
  readonly port: number;
  readonly token: string;
  close(): Promise<void>;
}

/**
 * `kassebro serve`: the built renderer as static files, plus the API bridge: POST /api/call
 * ({id, method, args} → {id, ok, result|error}) and a WebSocket at /api/events for the event
 * stream. Both need the session token; requests whose Host is not this loopback address are
 * refused, so a web page elsewhere cannot reach the bridge through DNS rebinding.
 */
export async function startServer(options: ServeOptions): Promise<RunningServer> {
  const token = options.token ?? randomBytes(24).toString('base64url');
  const expected = Buffer.from(token);
  const tokenMatches = (candidate: string | null | undefined): boolean => {
    const given = Buffer.from(candidate ?? '');
    return given.length === expected.length && timingSafeEqual(given, expected);
  };
  let port = 0;
  const hostAllowed = (host: string | undefined): boolean =>
    host === `${SERVE_HOST}:${port}` || host === `localhost:${port}`;

  const server = createServer((request, response) => {
    void handle(request, response).catch((error: unknown) => {
      log.error('request failed', error);
      if (!response.headersSent) send(response, 500, 'text/plain; charset=utf-8', 'Internal error');
    });
  });

  async function handle(request: IncomingMessage, response: ServerResponse): Promise<void> {
    if (!hostAllowed(request.headers.host)) return send(response, 421, 'text/plain; charset=utf-8', 'Wrong host');
    if (hasMalformedEscape(request.url)) return send(response, 400, 'text/plain; charset=utf-8', 'Malformed %-escape');
    const url = new URL(request.url ?? '/', `http://${SERVE_HOST}:${port}`);
    if (url.pathname === '/api/call') {
      if (request.method !== 'POST') return send(response, 405, 'text/plain; charset=utf-8', 'POST only');
      if (!tokenMatches(request.headers['x-kassebro-token'] as string | undefined)) {
        return sendJson(response, 401, { type: 'refused', message: 'Missing or wrong session token' });
      }
      const body = await readBody(request);
      if (body === null) return sendJson(response, 413, { type: 'invalid_args', message: 'Request too large' });
      let raw: unknown;
      try {
        raw = JSON.parse(body);
      } catch {
        return sendJson(response, 400, { type: 'invalid_args', message: 'Request body is not JSON' });
      }
      const call = callRequestSchema.safeParse(raw);
      if (!call.success) {
        return sendJson(response, 400, { type: 'invalid_args', message: 'Expected {id, method, args}' });
      }
      return sendJson(
        response,
        200,
        await dispatch(options.handlers, call.data.id, call.data.method, call.data.args, options.language),
      );
    }
    if (request.method !== 'GET' && request.method !== 'HEAD') {
      return send(response, 405, 'text/plain; charset=utf-8', 'Method not allowed');
    }
    return serveStatic(options.rendererDir, url.pathname, response);
  }

  const sockets = new WebSocketServer({ noServer: true });
  server.on('upgrade', (request, socket, head) => {
    if (hasMalformedEscape(request.url)) {
      socket.end('HTTP/1.1 400 Bad Request\r\n\r\n');
      return;
    }
    const url = new URL(request.url ?? '/', `http://${SERVE_HOST}:${port}`);
    const origin = request.headers.origin;
    const sameOrigin = origin === undefined || origin === `http://${request.headers.host}`;
    if (
      url.pathname !== '/api/events' ||
      !hostAllowed(request.headers.host) ||
      !sameOrigin ||
      !tokenMatches(url.searchParams.get('token'))
    ) {
      socket.end('HTTP/1.1 401 Unauthorized\r\n\r\n');
      return;
    }
    sockets.handleUpgrade(request, socket, head, (client: WebSocket) => {
      const stop = options.onEvent((event) => client.send(JSON.stringify(event)));
      client.on('close', stop);
    });
  });

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, SERVE_HOST, () => resolve());
  });
  port = (server.address() as AddressInfo).port;
  return {
    url: `http://${SERVE_HOST}:${port}/?token=${token}`,
    port,
    token,
    close: () =>
      new Promise<void>((resolve) => {
        for (const client of sockets.clients) client.terminate();
        sockets.close();
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

async function serveStatic(root: string, pathname: string, response: ServerResponse): Promise<void> {
  const relative = normalize(decodeURIComponent(pathname === '/' ? '/index.html' : pathname)).replace(/^([/\\])+/, '');
  const file = join(root, relative);
  if (relative.startsWith('..') || !(file === root || file.startsWith(root + sep))) {
    return send(response, 404, 'text/plain; charset=utf-8', 'Not found');
  }
  const info = await stat(file).catch(() => null);
  if (!info?.isFile()) return send(response, 404, 'text/plain; charset=utf-8', 'Not found');
  const type = CONTENT_TYPES[extname(file)] ?? 'application/octet-stream';
  send(response, 200, type, await readFile(file));
}

function send(response: ServerResponse, status: number, type: string, body: string | Buffer): void {
  response.writeHead(status, {
    'content-type': type,
    'content-security-policy': CONTENT_SECURITY_POLICY,
    'x-content-type-options': 'nosniff',
    'referrer-policy': 'no-referrer',
    'cache-control': 'no-store',
  });
  response.end(body);
}

function sendJson(response: ServerResponse, status: number, value: unknown): void {
  send(response, status, 'application/json; charset=utf-8', JSON.stringify(value));
}

/** True when the path or query holds a %-escape that does not decode (`%zz`, a lone `%`, bad UTF-8). */
function hasMalformedEscape(target: string | undefined): boolean {
  try {
    decodeURIComponent(target ?? '/');
    return false;
  } catch {
    return true;
  }
}

/**
 * The body as text, or null as soon as it is known to be over the limit: at once from its
 * Content-Length, else when the bytes read pass it (chunked). What is over is read and dropped,
 * not kept, so the caller's 413 reaches the client while it is still sending.
 */
function readBody(request: IncomingMessage): Promise<string | null> {
  return new Promise((resolve, reject) => {
    let chunks: Buffer[] | null = [];
    let size = 0;
    const tooLarge = (): void => {
      chunks = null;
      resolve(null);
    };
    if (Number(request.headers['content-length'] ?? 0) > MAX_BODY_BYTES) tooLarge();
    request.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > DRAIN_LIMIT_BYTES) request.socket.destroy();
      else if (size > MAX_BODY_BYTES) tooLarge();
      else chunks?.push(chunk);
    });
    request.on('end', () => resolve(chunks ? Buffer.concat(chunks).toString('utf8') : null));
    request.on('error', reject);
  });
}
