import { mkdtempSync, rmSync } from 'node:fs';
import { createServer, type AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { openDatabase } from '../../store/database';
import { runZvtEndOfDay } from '../capture';
import { connectZvtTcp, socketChannel } from '../channel';
import { readJournal } from '../journal';
import { reparseJournal } from '../replay';
import { fixtureText, serveZvtEndOfDay } from '../simulate';
import { ApduStreamReader } from './link';
import { ore } from '../../../shared/money';
import { decodeApdu, encodeApdu, encodePrintText, printTextLines } from './apdu';
import { crc16Kermit } from './crc';
import { decodeStatusInformation, EndOfDayExchange, endOfDayRequest, type EndOfDayResult } from './end-of-day';
import { encodeFrame, ZvtFrameReader, type LinkEvent } from './framing';
import { ZvtTerminalSimulator, type ZvtEndOfDayScript } from './terminal-simulator';
import { endOfDayToReport } from './to-report';

const hex = (text: string): Buffer => Buffer.from(text.replace(/\s+/g, ''), 'hex');
const PRINT_TEXT = fixtureText('zvt-kassenschnitt-de').trimEnd().split('\n');

const script: ZvtEndOfDayScript = {
  terminalId: '29001006',
  date: '0407',
  time: '083608',
  total: ore(16240),
  printText: PRINT_TEXT,
  receipts: { from: 68, to: 74 },
  brands: {
    girocard: { count: 4, amount: ore(10400) },
    mastercard: { count: 2, amount: ore(4590) },
    visa: { count: 1, amount: ore(1250) },
  },
};

/** Runs ECR and simulated terminal against each other, delivering bytes in the given chunk sizes. */
function converse(
  terminal: ZvtTerminalSimulator,
  chunkSize: (index: number) => number,
  noise?: Buffer,
): { result: EndOfDayResult | undefined; problems: string[]; wire: Buffer[] } {
  const ecr = new EndOfDayExchange('123456');
  const problems: string[] = [];
  const wire: Buffer[] = [];
  let toTerminal = Buffer.concat(ecr.start());
  let toEcr = noise ?? Buffer.alloc(0);
  let result: EndOfDayResult | undefined;
  let chunkIndex = 0;
  for (let round = 0; round < 200 && !result; round += 1) {
    const forTerminal = toTerminal;
    toTerminal = Buffer.alloc(0);
    if (forTerminal.length) toEcr = Buffer.concat([toEcr, ...terminal.receive(forTerminal)]);
    while (toEcr.length) {
      const size = Math.max(1, chunkSize(chunkIndex++));
      const chunk = toEcr.subarray(0, size);
      toEcr = toEcr.subarray(size);
      wire.push(Buffer.from(chunk));
      const step = ecr.receive(chunk);
      problems.push(...step.problems);
      toTerminal = Buffer.concat([toTerminal, ...step.writes]);
      if (step.result) result = step.result;
    }
  }
  return { result, problems, wire };
}

describe('ZVT link layer', () => {
  it('CRC-16/KERMIT check value', () => {
    expect(crc16Kermit(Buffer.from('123456789'))).toBe(0x2189);
  });

  it('frames the End-of-Day request exactly as the spec worked example', () => {
    expect(encodeFrame(endOfDayRequest('123456'))).toEqual(hex('10 02 06 50 03 12 34 56 10 03 C4 AF'));
  });

  it('doubles DLE inside the APDU and reads it back', () => {
    const apdu = encodeApdu(0x06, 0xd1, hex('10 10 03 02 10'));
    const frame = encodeFrame(apdu);
    expect(frame.subarray(2, -4).toString('hex')).toBe('06d1051010101003021010');
    expect(new ZvtFrameReader().push(frame)).toEqual([{ type: 'frame', apdu }]);
  });

  it('any chunking of a stream with noise yields the same events', () => {
    const stream = Buffer.concat([
      hex('ff 00'),
      encodeFrame(encodeApdu(0x80, 0x00)),
      hex('06'),
      encodeFrame(encodeApdu(0x06, 0xd3, encodePrintText(['A', 'B\u0010']))),
      hex('15'),
    ]);
    const whole = new ZvtFrameReader().push(stream);
    const types = (events: LinkEvent[]): string[] =>
      events.map((event) => (event.type === 'frame' ? `frame:${event.apdu.toString('hex')}` : event.type));
    expect(types(whole)).toEqual([
      'noise',
      `frame:${encodeApdu(0x80, 0x00).toString('hex')}`,
      'ack',
      expect.stringMatching(/^frame:06d3/),
      'nak',
    ]);
    for (let size = 1; size <= 7; size += 1) {
      const reader = new ZvtFrameReader();
      const events: LinkEvent[] = [];
      for (let offset = 0; offset < stream.length; offset += size)
        events.push(...reader.push(stream.subarray(offset, offset + size)));
      expect(types(events).filter((type) => type !== 'noise')).toEqual(types(whole).filter((type) => type !== 'noise'));
    }
  });

  it('a bad checksum is an event with both values, not a frame', () => {
    const frame = encodeFrame(encodeApdu(0x04, 0x0f, hex('27 00')));
    frame.writeUInt8(frame.readUInt8(frame.length - 2) ^ 1, frame.length - 2);
    const [event] = new ZvtFrameReader().push(frame);
    expect(event).toMatchObject({ type: 'bad-checksum' });
  });

  it('DLE followed by a stray byte inside a frame is a framing error, and reading goes on', () => {
    const events = new ZvtFrameReader().push(
      Buffer.concat([hex('10 02 06 10 41'), encodeFrame(encodeApdu(0x80, 0x00))]),
    );
    expect(events.map((event) => event.type)).toEqual(['framing-error', 'frame']);
  });

  it('random garbage never throws', () => {
    let seed = 11;
    const reader = new ZvtFrameReader();
    const exchange = new EndOfDayExchange();
    for (let run = 0; run < 300; run += 1) {
      const bytes = Buffer.alloc(64).map(() => ((seed = (seed * 1103515245 + 12345) & 0x7fffffff) >> 8) & 0xff);
      expect(() => reader.push(bytes)).not.toThrow();
      expect(() => exchange.receive(bytes)).not.toThrow();
    }
  });
});

describe('ZVT application layer', () => {
  it('decodes status information with BMP 60 single totals (receipts 68–71, ec 4 × 26.00)', () => {
    const singles = hex(`0068 0071 04 000000002600 ${'00 000000000000 '.repeat(6)}`);
    expect(singles).toHaveLength(53);
    const data = Buffer.concat([hex('27 00 04 000000002600 0C 105937 0D 0331 60 F0 F5 F3'), singles]);
    const status = decodeStatusInformation(decodeApdu(encodeApdu(0x04, 0x0f, data)).data);
    expect(status).toMatchObject({ result: 0, total: 2600, time: '10:59:37', date: '03-31' });
    expect(status.singleTotals?.receiptFrom).toBe(68);
    expect(status.singleTotals?.receiptTo).toBe(71);
    expect(status.singleTotals?.brands[0]).toEqual({ brand: 'girocard', count: 4, amount: 2600 });
  });

  it('extended length APDUs (FF lo hi) round-trip', () => {
    const data = Buffer.alloc(1069, 0x41);
    const apdu = encodeApdu(0x06, 0xd3, data);
    expect(apdu.subarray(0, 5)).toEqual(hex('06 D3 FF 2D 04'));
    expect(decodeApdu(apdu).data).toEqual(data);
  });

  it('print text TLV round-trips Nordic letters through CP865', () => {
    expect(printTextLines(encodePrintText(['Kjøp 1 10,00', 'Återköp']))).toEqual(['Kjøp 1 10,00', 'Återköp']);
  });

  it('a full end-of-day against the simulator gives the report, in any chunking', () => {
    for (const size of [1, 3, 64, 4096]) {
      const { result, problems } = converse(new ZvtTerminalSimulator(script), () => size);
      expect(problems).toEqual([]);
      expect(result?.outcome).toBe('completed');
      expect(result?.printText).toEqual(PRINT_TEXT);
      const parsed = endOfDayToReport(result!, { capturedAt: new Date('2021-04-07T07:00:00Z') });
      expect(parsed.ok && parsed.report).toMatchObject({
        source: 'zvt',
        terminalId: '29001006',
        batchNo: '105',
        closedAt: '2021-04-07T08:36:08+02:00',
        totals: { amount: 16240, count: 7, cashback: 2000 },
        warnings: [],
      });
    }
  });

  it('a bad checksum from the terminal is NAKed, logged, not read, and the repeated frame is used', () => {
    const { result, problems, wire } = converse(
      new ZvtTerminalSimulator({ ...script, badChecksumOnce: true }),
      () => 5,
      hex('00 ff 42'),
    );
    expect(problems[0]).toBe('ignored 3 byte(s) outside a frame: 00ff42');
    expect(problems.filter((problem) => problem.startsWith('bad checksum'))).toHaveLength(1);
    expect(problems.find((problem) => problem.startsWith('bad checksum'))).toMatch(/answered NAK, frame not read$/);
    expect(result?.printText).toEqual(PRINT_TEXT);
    expect(wire.length).toBeGreaterThan(10);
  });

  it('without print text the single totals make the report, with the year inferred', () => {
    const { result } = converse(new ZvtTerminalSimulator({ ...script, printText: [] }), () => 16);
    const parsed = endOfDayToReport(result!, { capturedAt: new Date('2027-01-03T10:00:00Z') });
    expect(parsed.ok && parsed.report).toMatchObject({
      closedAt: '2026-04-07T08:36:08+02:00',
      batchNo: '68-74',
      totals: { amount: 16240, count: 7 },
      warnings: ['from-zvt-single-totals', 'no-year-in-date'],
    });
    expect(
      parsed.ok && parsed.report.schemes.map((scheme) => `${scheme.scheme}:${scheme.count}:${scheme.netAmount}`),
    ).toEqual(['girocard:4:10400', 'mastercard:2:4590', 'visa:1:1250']);
  });

  it('status total differing from the print text is a warning', () => {
    const { result } = converse(new ZvtTerminalSimulator({ ...script, total: ore(16250) }), () => 64);
    const parsed = endOfDayToReport(result!, { capturedAt: new Date('2021-04-08T10:00:00Z') });
    expect(parsed.ok && parsed.report.warnings).toEqual([
      'zvt-total-differs: status information says 16250, print text says 16240',
    ]);
  });

  it('an aborted end-of-day makes no report', () => {
    const ecr = new EndOfDayExchange();
    ecr.start();
    const step = ecr.receive(encodeFrame(encodeApdu(0x06, 0x1e, hex('6c'))));
    expect(step.result).toEqual({ outcome: 'aborted', abortCode: 0x6c, printText: [] });
    expect(step.writes).toEqual([hex('06'), encodeFrame(encodeApdu(0x80, 0x00))]);
    const parsed = endOfDayToReport(step.result!, { capturedAt: new Date() });
    expect(!parsed.ok && parsed.reason).toBe('terminal aborted the end-of-day (result code 108)');
  });
});

describe('ZVT over TCP (bare APDUs)', () => {
  it('splits a byte stream into APDUs by length, in any chunking', () => {
    const stream = Buffer.concat([
      encodeApdu(0x80, 0x00),
      encodeApdu(0x06, 0xd3, Buffer.alloc(300, 0x41)),
      encodeApdu(0x06, 0x0f),
    ]);
    for (const size of [1, 2, 5, 1000]) {
      const reader = new ApduStreamReader();
      const apdus: string[] = [];
      for (let offset = 0; offset < stream.length; offset += size) {
        for (const event of reader.push(stream.subarray(offset, offset + size)))
          if (event.type === 'frame') apdus.push(event.apdu.subarray(0, 2).toString('hex'));
      }
      expect(apdus).toEqual(['8000', '06d3', '060f']);
    }
  });

  it('a full end-of-day over a real loopback socket stores the report', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'kassebro-zvt-tcp-'));
    const db = openDatabase(join(dir, 'kassebro.sqlite'));
    const server = createServer(
      (socket) => void serveZvtEndOfDay(socketChannel(socket, 'ecr'), script).then(() => socket.end()),
    );
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    try {
      const { port } = server.address() as AddressInfo;
      const connection = await connectZvtTcp('127.0.0.1', port);
      const outcome = await runZvtEndOfDay(db, connection.channel, {
        timeoutMs: 5000,
        now: () => new Date('2021-04-07T07:00:00Z'),
      });
      connection.close();
      expect(outcome).toMatchObject({
        outcome: 'stored',
        report: { source: 'zvt', terminalId: '29001006', totals: { amount: 16240 } },
      });
      // No ACK bytes on TCP: everything the ECR wrote is whole APDUs.
      const written = Buffer.concat(
        readJournal(db)
          .filter((chunk) => chunk.direction === 'out')
          .map((chunk) => Buffer.from(chunk.bytes)),
      );
      expect(written.toString('hex')).toBe(`${endOfDayRequest('123456').toString('hex')}${'800000'.repeat(3)}`);
      expect(reparseJournal(db).map((replayed) => replayed.outcome)).toEqual(['already-stored']);
    } finally {
      server.close();
      db.close();
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
