import iconv from 'iconv-lite';
import { describe, expect, it } from 'vitest';
import { startPtyPair, socatAvailable, type PtyPair } from '../../../test/helpers/socat';
import { useTempHome } from '../../../test/helpers/temp-home';
import { waitFor } from '../../../test/helpers/wait-for';
import { openDatabase, type Db } from '../store/database';
import { listLog } from '../store/integration-log';
import { listenForReceipts, runZvtEndOfDay } from './capture';
import { portChannel } from './channel';
import type { IngestOutcome } from './ingest';
import { readJournal } from './journal';
import { reparseJournal } from './replay';
import { listTerminalReports } from './report-store';
import { lineSettingsSchema } from './serial/line-settings';
import { ReconnectingPort } from './serial/reconnecting-port';
import { asPrinted, demoZvtScript, fixtureText, serveZvtEndOfDay, writeInChunks } from './simulate';

const newHome = useTempHome();

async function openPort(
  path: string,
  settings: Partial<{ baudRate: number; stopBits: 1 | 2 }> = {},
): Promise<ReconnectingPort> {
  const port = new ReconnectingPort(lineSettingsSchema.parse({ path, ...settings }), 100);
  const opened = new Promise<void>((resolve) => port.once('open', resolve));
  port.start();
  await opened;
  return port;
}

describe.skipIf(!socatAvailable())('terminal capture over real pseudo-terminals (socat)', () => {
  it('receipts in two languages and code pages, noise, a shared BAX and a zero report, then unplug/replug', async () => {
    const dir = newHome();
    const db: Db = openDatabase(`${dir}/kassebro.sqlite`);
    let pair: PtyPair = await startPtyPair(dir);
    const outcomes: IngestOutcome[] = [];
    const listener = listenForReceipts(db, lineSettingsSchema.parse({ path: pair.a }), {
      quietMs: 300,
      retryMs: 100,
      onOutcome: (outcome) => outcomes.push(outcome),
    });
    await waitFor(() => listener.port.isOpen, 'listener open');
    let printer = await openPort(pair.b);
    try {
      const nets = fixtureText('nets-avstemming-nb');
      // Line noise before the first print, then a Norwegian CP865 print, ended by its paper cut.
      await writeInChunks(printer, Buffer.from([0x00, 0xff, 0x1b]), 3);
      await writeInChunks(printer, asPrinted(nets, 'cp865'));
      await waitFor(() => outcomes.length >= 1, 'first report');
      // Swedish in CP437 with no paper cut: the quiet time ends it.
      await writeInChunks(
        printer,
        Buffer.concat([Buffer.from([0x1b, 0x40]), iconv.encode(fixtureText('dagsavslut-sv'), 'cp437')]),
      );
      await waitFor(() => outcomes.length >= 2, 'Swedish report');
      // Second terminal on the same BAX prints the same totals; a third prints zeros.
      await writeInChunks(
        printer,
        asPrinted(nets.replace('80012345', '80012346').replace('22:14', '22:15'), 'iso-8859-15'),
      );
      await writeInChunks(printer, asPrinted(fixtureText('zero-avstemming-nb'), 'utf-8'));
      await waitFor(() => outcomes.length >= 4, 'BAX copies');

      // Unplug: the pty pair disappears; replug: a new pair on the same paths.
      await printer.stop();
      await pair.stop();
      await waitFor(() => listLog(db).some((entry) => entry.code === 'terminal_port_down'), 'port down');
      pair = await startPtyPair(dir);
      await waitFor(() => listener.port.isOpen, 'listener reopened');
      printer = await openPort(pair.b);
      await writeInChunks(printer, asPrinted(fixtureText('verifone-z-rapport-nb-42col'), 'cp865'));
      await waitFor(() => outcomes.length >= 5, 'report after replug');
    } finally {
      await printer.stop();
      await listener.stop();
      await pair.stop();
    }

    expect(outcomes.map((outcome) => outcome.outcome)).toEqual([
      'stored',
      'stored',
      'duplicate',
      'duplicate',
      'stored',
    ]);
    const stored = listTerminalReports(db);
    expect(
      stored.map((entry) => [entry.report.terminalId, entry.report.totals.amount, entry.report.raw.encoding]),
    ).toEqual([
      ['45012399', 941950, 'cp865'],
      // CP437 and CP865 agree on å/ä/ö; the sniffer names the Nordic one.
      ['00071234', 948150, 'cp865'],
      ['80012345', 1394440, 'cp865'],
    ]);
    const duplicates = listTerminalReports(db, { includeDuplicates: true }).filter((entry) => entry.duplicateOf);
    expect(duplicates.map((entry) => entry.duplicateReason)).toEqual([
      'terminal 80012346 printed the same totals as terminal 80012345 for shared BAX 1234567 batch 412',
      'terminal 80012399 reported 0 for BAX 1234567 batch 412; the totals come from terminal 80012345',
    ]);
    expect(readJournal(db).length).toBeGreaterThan(20);

    // A fixed parser re-reads the journal: every document is found again, nothing is stored twice.
    const replayed = reparseJournal(db, { quietMs: 300 });
    expect(replayed.map((outcome) => outcome.outcome)).toEqual([
      'already-stored',
      'already-stored',
      'already-stored',
      'already-stored',
      'already-stored',
    ]);
    db.close();
  });

  it('ZVT end-of-day over the pty: bad checksum NAKed and logged, noise ignored, report stored', async () => {
    const dir = newHome();
    const db = openDatabase(`${dir}/kassebro.sqlite`);
    const pair = await startPtyPair(dir);
    const ecr = await openPort(pair.a, { stopBits: 2 });
    const terminal = await openPort(pair.b, { stopBits: 2 });
    try {
      terminal.write(Buffer.from([0x00, 0x42])); // noise the ECR must ignore
      const served = serveZvtEndOfDay(portChannel(terminal), demoZvtScript({ badChecksumOnce: true }));
      const outcome = await runZvtEndOfDay(db, portChannel(ecr), {
        timeoutMs: 10_000,
        now: () => new Date('2021-04-07T07:00:00Z'),
      });
      await served;
      expect(outcome).toMatchObject({
        outcome: 'stored',
        report: { source: 'zvt', terminalId: '29001006', batchNo: '105', totals: { amount: 16240 } },
      });
      const problems = listLog(db)
        .filter((entry) => entry.code === 'zvt_link_problem')
        .map((entry) => entry.message);
      expect(problems.some((message) => /bad checksum .* answered NAK, frame not read$/.test(message))).toBe(true);
      const directions = new Set(readJournal(db).map((chunk) => chunk.direction));
      expect(directions).toEqual(new Set(['in', 'out']));
    } finally {
      await ecr.stop();
      await terminal.stop();
      await pair.stop();
      db.close();
    }
  });
});
