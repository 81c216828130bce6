import { createLogger } from '../log/logger';
import type { Db } from '../store/database';
import { appendLog } from '../store/integration-log';
import { ingestReceiptDocument, storeParsed, type CaptureContext, type IngestOutcome } from './ingest';
import { appendJournal } from './journal';
import { ReceiptSplitter } from './receipt-splitter';
import { ReconnectingPort } from './serial/reconnecting-port';
import type { LineSettings } from './serial/line-settings';
import type { ByteChannel } from './channel';
import { EndOfDayExchange } from './zvt/end-of-day';
import { serialLink, tcpLink } from './zvt/link';
import { endOfDayToReport } from './zvt/to-report';

const log = createLogger('terminal.capture');

export interface ReceiptListenerOptions extends CaptureContext {
  /** A document without a paper cut ends after this much silence. */
  readonly quietMs?: number;
  readonly retryMs?: number;
  readonly now?: () => Date;
}

export interface Listener {
  readonly port: ReconnectingPort;
  readonly session: string;
  stop(): Promise<void>;
}

/**
 * Listens on a printer line (tee or listen-only): every chunk goes to the journal first, then the
 * splitter; each finished document is parsed and stored. Survives unplug/replug.
 */
export function listenForReceipts(db: Db, settings: LineSettings, options: ReceiptListenerOptions = {}): Listener {
  const now = options.now ?? (() => new Date());
  const session = `${settings.path}@${now().toISOString()}`;
  const port = new ReconnectingPort(settings, options.retryMs);
  const splitter = new ReceiptSplitter();
  let quietTimer: NodeJS.Timeout | undefined;
  let firstChunk: number | undefined;
  let lastChunk = 0;

  const finish = (document: Buffer): void => {
    const journal = { session, from: firstChunk ?? lastChunk, to: lastChunk };
    firstChunk = splitter.buffered > 0 ? lastChunk : undefined;
    try {
      ingestReceiptDocument(db, document, { ...options, capturedAt: now(), journal, device: settings.path });
    } catch (error) {
      // The bytes are in the journal: `terminal reparse` reads them again once the cause is fixed.
      log.error('terminal print could not be stored', { journal, error: (error as Error).message });
    }
  };

  port.on('data', (chunk) => {
    lastChunk = appendJournal(
      db,
      { session, device: settings.path, protocol: 'receipt', direction: 'in', bytes: chunk },
      now(),
    );
    firstChunk ??= lastChunk;
    for (const document of splitter.push(chunk)) finish(document);
    if (splitter.buffered === 0) firstChunk = undefined;
    clearTimeout(quietTimer);
    quietTimer = setTimeout(() => {
      const document = splitter.flush();
      if (document) finish(document);
      firstChunk = undefined;
    }, options.quietMs ?? 500);
  });
  port.on('down', (reason) =>
    appendLog(
      db,
      {
        module: 'terminal',
        status: 'info',
        code: 'terminal_port_down',
        message: `${settings.path} ${reason}; reconnecting`,
      },
      now(),
    ),
  );
  port.start();
  return {
    port,
    session,
    stop: async () => {
      clearTimeout(quietTimer);
      const document = splitter.flush();
      if (document) finish(document);
      await port.stop();
    },
  };
}

export interface EndOfDayOptions extends CaptureContext {
  readonly password?: string;
  /** ZVT T4: how long the terminal may take to finish (the spec's 180 s). */
  readonly timeoutMs?: number;
  readonly now?: () => Date;
}

/**
 * Kassebro as the ECR: sends ZVT `06 50` over a serial port or TCP and stores the answer. Every byte
 * both ways is journaled; link problems (bad checksum → NAK, noise, framing) are logged, never parsed.
 */
export function runZvtEndOfDay(db: Db, channel: ByteChannel, options: EndOfDayOptions = {}): Promise<IngestOutcome> {
  const now = options.now ?? (() => new Date());
  const device = channel.name;
  const session = `${device}@${now().toISOString()}`;
  const exchange = new EndOfDayExchange(options.password, channel.transport === 'tcp' ? tcpLink() : serialLink());
  const journal = (direction: 'in' | 'out', bytes: Buffer): number =>
    appendJournal(db, { session, device, protocol: 'zvt', direction, bytes }, now());
  const write = (bytes: Buffer): void => {
    journal('out', bytes);
    channel.write(bytes);
  };
  return new Promise((resolve, reject) => {
    let firstChunk: number | undefined;
    const received: Buffer[] = [];
    const timeoutMs = options.timeoutMs ?? 180_000;
    const timer = setTimeout(() => {
      unsubscribe();
      reject(new Error(`no end-of-day answer from ${device} within ${timeoutMs / 1000} s`));
    }, timeoutMs);
    const unsubscribe = channel.onData((chunk) => {
      const id = journal('in', chunk);
      firstChunk ??= id;
      received.push(chunk);
      const step = exchange.receive(chunk);
      for (const bytes of step.writes) write(bytes);
      for (const problem of step.problems) {
        appendLog(
          db,
          { module: 'terminal', status: 'info', code: 'zvt_link_problem', message: `${device}: ${problem}` },
          now(),
        );
      }
      if (!step.result) return;
      clearTimeout(timer);
      unsubscribe();
      const capturedAt = now();
      const parsed = endOfDayToReport(step.result, {
        capturedAt,
        raw: Buffer.concat(received),
        ...(options.timeZone ? { timeZone: options.timeZone } : {}),
        ...(options.currency ? { currency: options.currency } : {}),
      });
      try {
        resolve(
          storeParsed(db, parsed, { ...options, capturedAt, device, journal: { session, from: firstChunk, to: id } }),
        );
      } catch (error) {
        reject(error instanceof Error ? error : new Error(String(error)));
      }
    });
    for (const bytes of exchange.start()) write(bytes);
  });
}
