import { EventEmitter } from 'node:events';
import { SerialPort } from 'serialport';
import { createLogger } from '../../log/logger';
import type { LineSettings } from './line-settings';

const log = createLogger('terminal.serial');

export interface ReconnectingPortEvents {
  open: [];
  data: [chunk: Buffer];
  /** The port went away (USB-serial adapter unplugged) or could not be opened; a retry is scheduled. */
  down: [reason: string];
}

/**
 * A serial port that stays open: when the device disappears (unplug) or cannot be opened yet, it
 * retries every `retryMs` until `stop()`, so a replugged USB-serial adapter is picked up by itself.
 */
export class ReconnectingPort extends EventEmitter<ReconnectingPortEvents> {
  private port: SerialPort | undefined;
  private timer: NodeJS.Timeout | undefined;
  private stopped = false;
  private lastDownReason: string | undefined;

  constructor(
    readonly settings: LineSettings,
    private readonly retryMs = 1000,
  ) {
    super();
  }

  start(): void {
    this.stopped = false;
    this.connect();
  }

  get isOpen(): boolean {
    return this.port?.isOpen ?? false;
  }

  write(bytes: Buffer): void {
    if (!this.port?.isOpen) throw new Error(`${this.settings.path} is not open`);
    this.port.write(bytes);
  }

  /** Waits until everything written has left the driver. */
  drain(): Promise<void> {
    return new Promise((resolve) => (this.port ? this.port.drain(() => resolve()) : resolve()));
  }

  async stop(): Promise<void> {
    this.stopped = true;
    clearTimeout(this.timer);
    const port = this.port;
    this.port = undefined;
    if (!port?.isOpen) return;
    // Bytes still in the driver (a last ACK, the end of a print) go out before the port closes.
    await new Promise<void>((resolve) => port.drain(() => resolve()));
    await new Promise<void>((resolve) => port.close(() => resolve()));
  }

  private connect(): void {
    if (this.stopped) return;
    const { path, baudRate, dataBits, parity, stopBits, rtscts, xon } = this.settings;
    const port = new SerialPort({
      path,
      baudRate,
      dataBits,
      parity,
      stopBits,
      rtscts,
      xon,
      xoff: xon,
      autoOpen: false,
    });
    this.port = port;
    port.on('data', (chunk: Buffer) => this.emit('data', chunk));
    port.on('error', (error: Error) => log.warn('serial port error', { path, error: error.message }));
    port.on('close', (error: Error | null) => {
      if (this.stopped || this.port !== port) return;
      this.down(error ? `disconnected: ${error.message}` : 'closed');
    });
    port.open((error) => {
      if (error) {
        this.down(`cannot open: ${error.message}`);
        return;
      }
      this.lastDownReason = undefined;
      log.info('serial port open', { path });
      this.emit('open');
    });
  }

  private down(reason: string): void {
    if (this.stopped) return;
    // One line per outage, not one per retry.
    if (reason !== this.lastDownReason) {
      log.warn('serial port down, retrying', { path: this.settings.path, reason });
      this.emit('down', reason);
    }
    this.lastDownReason = reason;
    this.port = undefined;
    clearTimeout(this.timer);
    this.timer = setTimeout(() => this.connect(), this.retryMs);
  }
}
