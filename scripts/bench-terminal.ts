/**
 * Terminal figures (no assertions): receipt parse throughput, and over a real socat pty pair the time
 * from the last byte of a reconciliation to the stored report (receipt with paper cut, receipt ended
 * by the quiet time, ZVT End-of-Day). Run with `npm run bench:terminal`; needs /usr/bin/socat.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startPtyPair, socatAvailable } from '../test/helpers/socat';
import { portChannel } from '../src/main/terminal/channel';
import { listenForReceipts, runZvtEndOfDay } from '../src/main/terminal/capture';
import { parseReceipt } from '../src/main/terminal/receipt-parser';
import { lineSettingsSchema } from '../src/main/terminal/serial/line-settings';
import { ReconnectingPort } from '../src/main/terminal/serial/reconnecting-port';
import { asPrinted, demoZvtScript, fixtureText, serveZvtEndOfDay } from '../src/main/terminal/simulate';
import { openDatabase } from '../src/main/store/database';

const median = (values: number[]): number => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)]!;

async function open(path: string, stopBits: 1 | 2 = 1): Promise<ReconnectingPort> {
  const port = new ReconnectingPort(lineSettingsSchema.parse({ path, stopBits }), 100);
  const opened = new Promise<void>((resolve) => port.once('open', resolve));
  port.start();
  await opened;
  return port;
}

const printed = asPrinted(fixtureText('nets-avstemming-nb'), 'cp865');
const rounds = 2000;
const parseStart = performance.now();
for (let round = 0; round < rounds; round += 1) parseReceipt(printed, { capturedAt: new Date() });
const parseMs = (performance.now() - parseStart) / rounds;
console.log(`receipt parse (24-col Nets print, CP865 + ESC/POS): ${parseMs.toFixed(3)} ms per print`);

if (!socatAvailable()) {
  console.log('pty figures SKIPPED: socat not installed');
} else {
  const home = mkdtempSync(join(tmpdir(), 'kassebro-bench-terminal-'));
  const db = openDatabase(join(home, 'kassebro.sqlite'));
  const pair = await startPtyPair(home);
  try {
    for (const [label, cut, quietMs] of [
      ['receipt ended by paper cut', true, 500],
      ['receipt ended by quiet time 500 ms', false, 500],
    ] as const) {
      const samples: number[] = [];
      let stored: (() => void) | undefined;
      const listener = listenForReceipts(db, lineSettingsSchema.parse({ path: pair.a }), {
        quietMs,
        onOutcome: () => stored?.(),
      });
      await new Promise<void>((resolve) => listener.port.once('open', resolve));
      const printer = await open(pair.b);
      for (let round = 0; round < 10; round += 1) {
        const text = fixtureText('nets-avstemming-nb').replace('0412', String(1000 + round + (cut ? 0 : 100)));
        const bytes = cut ? asPrinted(text, 'cp865') : Buffer.from(text, 'latin1');
        const done = new Promise<void>((resolve) => (stored = resolve));
        printer.write(bytes);
        await printer.drain();
        const lastByte = performance.now();
        await done;
        samples.push(performance.now() - lastByte);
      }
      await printer.stop();
      await listener.stop();
      console.log(
        `${label}: last byte → stored report median ${median(samples).toFixed(1)} ms, max ${Math.max(...samples).toFixed(1)} ms (10 prints)`,
      );
    }
    const ecr = await open(pair.a, 2);
    const terminal = await open(pair.b, 2);
    const started = performance.now();
    const served = serveZvtEndOfDay(portChannel(terminal), demoZvtScript());
    let lastByte = 0;
    // Registered before the runner's own listener, so it stamps each chunk before it is parsed.
    ecr.on('data', () => (lastByte = performance.now()));
    await runZvtEndOfDay(db, portChannel(ecr), { now: () => new Date('2021-04-07T07:00:00Z') });
    const storedAt = performance.now();
    await served;
    console.log(
      `ZVT End-of-Day over pty: whole exchange ${(storedAt - started).toFixed(1)} ms; last byte from the terminal → stored report ${(storedAt - lastByte).toFixed(1)} ms`,
    );
    await ecr.stop();
    await terminal.stop();
  } finally {
    await pair.stop();
    db.close();
    rmSync(home, { recursive: true, force: true });
  }
}
