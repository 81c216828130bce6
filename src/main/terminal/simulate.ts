import iconv from 'iconv-lite';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { ore } from '../../shared/money';
import { resourcesDir } from '../paths';
import type { ByteChannel } from './channel';
import type { ReconnectingPort } from './serial/reconnecting-port';
import { serialLink, tcpLink } from './zvt/link';
import { ZvtTerminalSimulator, type ZvtEndOfDayScript } from './zvt/terminal-simulator';

/** Realistic reconciliation prints (nb/sv/en/de, several brands): simulator, demo and tests use them. */
export const receiptFixtureDir = (): string => join(resourcesDir(), 'terminal');

/** ESC/POS around a print as a POS sends it to the printer: init, centred bold title, feed, partial cut. */
export function asPrinted(text: string, encoding: 'cp865' | 'cp437' | 'iso-8859-15' | 'utf-8' = 'cp865'): Buffer {
  return Buffer.concat([
    Buffer.from([0x1b, 0x40, 0x1b, 0x61, 0x01, 0x1b, 0x45, 0x01]),
    iconv.encode(text.replace(/\r?\n/g, '\r\n'), encoding),
    Buffer.from([0x1b, 0x64, 0x03, 0x1d, 0x56, 0x42, 0x00]),
  ]);
}

export function fixtureText(name: string): string {
  return readFileSync(join(receiptFixtureDir(), name.endsWith('.txt') ? name : `${name}.txt`), 'utf8');
}

const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

/** Writes a print the way a slow printer line delivers it: in small chunks with pauses. */
export async function writeInChunks(port: ReconnectingPort, bytes: Buffer, chunkSize = 17, pauseMs = 5): Promise<void> {
  for (let offset = 0; offset < bytes.length; offset += chunkSize) {
    port.write(bytes.subarray(offset, offset + chunkSize));
    await port.drain();
    if (pauseMs) await sleep(pauseMs);
  }
}

/** The demo ZVT terminal: the German Kassenschnitt fixture as print text, matching single totals. */
export function demoZvtScript(overrides: Partial<ZvtEndOfDayScript> = {}): ZvtEndOfDayScript {
  return {
    terminalId: '29001006',
    date: '0407',
    time: '083608',
    total: ore(16240),
    printText: fixtureText('zvt-kassenschnitt-de').trimEnd().split('\n'),
    receipts: { from: 68, to: 74 },
    brands: {
      girocard: { count: 4, amount: ore(10400) },
      mastercard: { count: 2, amount: ore(4590) },
      visa: { count: 1, amount: ore(1250) },
    },
    ...overrides,
  };
}

/** Answers one ZVT End-of-Day on a serial port or TCP socket; resolves when the terminal side is done. */
export function serveZvtEndOfDay(channel: ByteChannel, script: ZvtEndOfDayScript, timeoutMs = 30_000): Promise<void> {
  const terminal = new ZvtTerminalSimulator(script, channel.transport === 'tcp' ? tcpLink() : serialLink());
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      unsubscribe();
      reject(new Error('no end-of-day request arrived'));
    }, timeoutMs);
    const unsubscribe = channel.onData((chunk) => {
      for (const bytes of terminal.receive(chunk)) channel.write(bytes);
      if (!terminal.finished) return;
      clearTimeout(timer);
      unsubscribe();
      resolve();
    });
  });
}
