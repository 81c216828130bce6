import { utilityProcess, type UtilityProcess } from 'electron';
import { ApiError, type ApiEvent, type ApiMethod } from '../../shared/api';
import { createLogger, type LogRecord } from '../log/logger';
import { engineMessageSchema } from '../engine/protocol';

const log = createLogger('engine-host');

/** Restart delays after the engine dies: quick at first, then calmer, never giving up. */
const RESTART_DELAYS_MS = [500, 2_000, 10_000, 30_000];
/** An engine that stayed up this long counts as healthy again; the next crash restarts quickly. */
const HEALTHY_AFTER_MS = 60_000;

export interface EngineHostOptions {
  readonly entry: string;
  readonly databaseFile: string;
  readonly version: string;
  readonly env: NodeJS.ProcessEnv;
  readonly onEvent: (event: ApiEvent) => void;
  readonly onLog: (record: LogRecord) => void;
}

interface Pending {
  resolve: (value: unknown) => void;
  reject: (error: Error) => void;
}

/**
 * Runs the engine in a utilityProcess and relays calls to it. If the engine dies, calls in
 * flight fail with a clear error, the UI is told ('restarting'), and it is started again.
 */
export class EngineHost {
  private child: UtilityProcess | null = null;
  private ready: Promise<void> = Promise.resolve();
  private markReady: () => void = () => undefined;
  private readonly pending = new Map<number, Pending>();
  private nextId = 0;
  private crashes = 0;
  private startedAt = 0;
  private stopping = false;

  constructor(private readonly options: EngineHostOptions) {}

  start(): void {
    this.ready = new Promise((resolve) => (this.markReady = resolve));
    this.startedAt = Date.now();
    const child = utilityProcess.fork(
      this.options.entry,
      ['--db', this.options.databaseFile, '--version', this.options.version],
      { serviceName: 'Kassebro engine', env: this.options.env, stdio: 'inherit' },
    );
    this.child = child;
    child.on('message', (raw: unknown) => this.receive(raw));
    child.on('exit', (code) => this.exited(code));
  }

  async call(method: ApiMethod, args: unknown): Promise<unknown> {
    await this.ready;
    const child = this.child;
    if (!child) throw new ApiError('internal', 'The background engine is not running');
    const id = ++this.nextId;
    return new Promise((resolve, reject) => {
      this.pending.set(id, { resolve, reject });
      child.postMessage({ id, method, args });
    });
  }

  stop(): void {
    this.stopping = true;
    this.child?.kill();
  }

  private receive(raw: unknown): void {
    const message = engineMessageSchema.safeParse(raw);
    if (!message.success) {
      log.warn('ignored a malformed message from the engine');
      return;
    }
    const data = message.data;
    if (data.kind === 'ready') {
      this.markReady();
      this.options.onEvent({ type: 'engine', state: 'running' });
    } else if (data.kind === 'event') {
      this.options.onEvent(data.event);
    } else if (data.kind === 'log') {
      this.options.onLog(data.record);
    } else {
      const pending = this.pending.get(data.response.id);
      this.pending.delete(data.response.id);
      pending?.resolve(data.response);
    }
  }

  private exited(code: number): void {
    this.child = null;
    // Calls still waiting for the engine to come up go on and fail with "not running" instead of hanging.
    this.markReady();
    for (const [id, pending] of this.pending) {
      pending.reject(new ApiError('internal', 'The background engine stopped while answering; try again'));
      this.pending.delete(id);
    }
    if (this.stopping) return;
    if (Date.now() - this.startedAt > HEALTHY_AFTER_MS) this.crashes = 0;
    const delay = RESTART_DELAYS_MS[Math.min(this.crashes, RESTART_DELAYS_MS.length - 1)] ?? 30_000;
    this.crashes += 1;
    log.error(`engine exited with code ${code}; restarting in ${delay} ms`);
    this.options.onEvent({ type: 'engine', state: 'restarting' });
    setTimeout(() => this.start(), delay);
  }
}
