import { ApiError, type ApiEvent, type ApiMethod } from '../../shared/api';
import { createLogger, type LogRecord } from '../log/logger';
import { engineMessageSchema } from './protocol';

const log = createLogger('engine-host');

/** Restart delays after the engine dies: quick at first, then calmer, never giving up. */
const RESTART_DELAYS_MS = [500, 2_000, 10_000, 30_000];
/** An engine that stayed up this long counts as healthy again; the next crash restarts quickly. */
const HEALTHY_AFTER_MS = 60_000;

/** One running engine process, as the host needs it: Electron's utilityProcess in the app, a fork in tests. */
export interface EngineProcess {
  onMessage(listener: (message: unknown) => void): void;
  onExit(listener: (code: number) => void): void;
  post(message: unknown): void;
  kill(): void;
}

export interface EngineHostOptions {
  /** Starts the engine entry with these arguments (--db FILE --version X). */
  readonly spawn: (args: readonly string[]) => EngineProcess;
  readonly databaseFile: string;
  readonly version: string;
  readonly onEvent: (event: ApiEvent) => void;
  readonly onLog: (record: LogRecord) => void;
}

interface Pending {
  resolve: (value: unknown) => void;
  reject: (error: Error) => void;
}

/**
 * Runs the engine in its own process (Electron's utilityProcess) and relays calls to it. If the engine dies, calls in
 * flight fail with a clear error, the UI is told ('restarting'), and it is started again.
 */
export class EngineHost {
  private child: EngineProcess | null = null;
  /** Settles when the current engine generation says it is ready (or dies, or the host stops). */
  private ready: Promise<void> = Promise.resolve();
  private markReady: () => void = () => undefined;
  private isReady = false;
  private readonly pending = new Map<number, Pending>();
  private nextId = 0;
  private crashes = 0;
  private startedAt = 0;
  private stopping = false;

  constructor(private readonly options: EngineHostOptions) {
    this.newGeneration();
  }

  /** Calls waiting for the previous engine wake up and wait for the next one. */
  private newGeneration(): void {
    const wake = this.markReady;
    this.isReady = false;
    this.ready = new Promise((resolve) => (this.markReady = resolve));
    wake();
  }

  start(): void {
    this.startedAt = Date.now();
    const child = this.options.spawn(['--db', this.options.databaseFile, '--version', this.options.version]);
    this.child = child;
    child.onMessage((raw) => this.receive(raw));
    child.onExit((code) => this.exited(code));
  }

  /** Sends a call; while the engine is (re)starting, the call waits for it rather than failing. */
  async call(method: ApiMethod, args: unknown): Promise<unknown> {
    while (!(this.isReady && this.child)) {
      if (this.stopping) throw new ApiError('internal', 'The background engine is not running');
      await this.ready;
    }
    const child = this.child;
    const id = ++this.nextId;
    return new Promise((resolve, reject) => {
      this.pending.set(id, { resolve, reject });
      child.post({ id, method, args });
    });
  }

  stop(): void {
    this.stopping = true;
    this.markReady();
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
      this.isReady = true;
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
    this.newGeneration();
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
