import type { Ore } from '../../../shared/money';
import { encodeApdu, encodePrintText, lllLength, toBcd } from './apdu';
import { ACK } from './framing';
import { serialLink, type ZvtLink } from './link';
import { BMP60_BRANDS } from './end-of-day';

export interface ZvtEndOfDayScript {
  readonly terminalId: string;
  /** MMDD and hhmmss as the terminal clock shows them. */
  readonly date: string;
  readonly time: string;
  readonly total: Ore;
  readonly printText: readonly string[];
  readonly receipts: { readonly from: number; readonly to: number };
  readonly brands: Partial<Record<(typeof BMP60_BRANDS)[number], { count: number; amount: Ore }>>;
  /** Fault injection for tests and technicians: the first print-text frame goes out with a broken CRC. */
  readonly badChecksumOnce?: boolean;
}

export function statusInformation(script: ZvtEndOfDayScript): Buffer {
  const totals = Buffer.concat([
    toBcd(String(script.receipts.from), 2),
    toBcd(String(script.receipts.to), 2),
    ...BMP60_BRANDS.map((brand) => {
      const entry = script.brands[brand];
      return Buffer.concat([Buffer.from([entry?.count ?? 0]), toBcd(String(entry?.amount ?? 0), 6)]);
    }),
  ]);
  return encodeApdu(
    0x04,
    0x0f,
    Buffer.concat([
      Buffer.from([0x27, 0x00, 0x04]),
      toBcd(String(script.total), 6),
      Buffer.from([0x0c]),
      toBcd(script.time, 3),
      Buffer.from([0x0d]),
      toBcd(script.date, 2),
      Buffer.from([0x29]),
      toBcd(script.terminalId, 4),
      Buffer.from([0x60]),
      lllLength(totals.length),
      totals,
    ]),
  );
}

/**
 * The payment-terminal side of a ZVT End-of-Day, for tests, the demo and technicians without
 * hardware: answers `06 50` with `80 00 00`, then sends print text, status information and
 * completion, each after the ECR's ACK and `80 00 00`, repeating a frame the ECR NAKs.
 */
export class ZvtTerminalSimulator {
  private queue: Buffer[] = [];
  private current: Buffer | undefined;
  private state: 'await-request' | 'await-ack' | 'await-completion' | 'done' = 'await-request';
  private corruptNext: boolean;

  constructor(
    private readonly script: ZvtEndOfDayScript,
    private readonly link: ZvtLink = serialLink(),
  ) {
    this.corruptNext = Boolean(script.badChecksumOnce);
  }

  get finished(): boolean {
    return this.state === 'done';
  }

  receive(chunk: Uint8Array): Buffer[] {
    const writes: Buffer[] = [];
    for (const event of this.link.push(chunk)) {
      if (event.type === 'frame') {
        if (this.link.transport === 'serial') writes.push(Buffer.from([ACK]));
        const command = event.apdu.subarray(0, 2).toString('hex');
        if (this.state === 'await-request' && command === '0650') {
          // Our 80 00 00 needs no 80 00 00 back: after its ACK the first command follows.
          this.queue = [
            encodeApdu(0x80, 0x00),
            ...(this.script.printText.length ? [encodeApdu(0x06, 0xd3, encodePrintText(this.script.printText))] : []),
            statusInformation(this.script),
            encodeApdu(0x06, 0x0f),
          ];
          this.sendNext(writes);
        } else if (this.state === 'await-completion' && command === '8000') {
          this.sendNext(writes);
        }
      } else if (event.type === 'ack' && this.state === 'await-ack') {
        if (this.current?.subarray(0, 2).toString('hex') === '8000') this.sendNext(writes);
        else this.state = 'await-completion';
      } else if (event.type === 'nak' && this.state === 'await-ack' && this.current) {
        writes.push(this.link.wrap(this.current));
      }
    }
    return writes;
  }

  private sendNext(writes: Buffer[]): void {
    this.current = this.queue.shift();
    if (!this.current) {
      this.state = 'done';
      return;
    }
    const bytes = this.link.wrap(this.current);
    if (this.corruptNext && this.current[0] === 0x06 && this.link.transport === 'serial') {
      this.corruptNext = false;
      bytes.writeUInt8(bytes.readUInt8(bytes.length - 1) ^ 0xff, bytes.length - 1);
    }
    writes.push(bytes);
    if (this.link.transport === 'serial') this.state = 'await-ack';
    // TCP has no ACK byte: our 80 00 00 is followed at once by the next command.
    else if (this.current.subarray(0, 2).toString('hex') === '8000') this.sendNext(writes);
    else this.state = 'await-completion';
  }
}
