import { ore, type Ore } from '../../../shared/money';
import { bcdDigits, decodeApdu, decodeBitmaps, encodeApdu, printTextLines, toBcd } from './apdu';
import { ACK, NAK, type LinkEvent } from './framing';
import { serialLink, type ZvtLink } from './link';

/** ECR → PT `06 50` End-of-Day with the 3-byte BCD password. */
export function endOfDayRequest(password = '123456'): Buffer {
  return encodeApdu(0x06, 0x50, toBcd(password, 3));
}

export const POSITIVE_COMPLETION = encodeApdu(0x80, 0x00);

/** BMP 60 fixed brand order (spec §2.2): ec/girocard, JCB, Eurocard/Mastercard, Amex, Visa, Diners, remaining. */
export const BMP60_BRANDS = ['girocard', 'jcb', 'mastercard', 'amex', 'visa', 'diners', 'other'] as const;

export interface SingleTotals {
  readonly receiptFrom: number;
  readonly receiptTo: number;
  readonly brands: readonly {
    readonly brand: (typeof BMP60_BRANDS)[number];
    readonly count: number;
    readonly amount: Ore;
  }[];
}

export interface StatusInformation {
  readonly result?: number;
  readonly total?: Ore;
  /** hh:mm:ss and MM-DD as the terminal sends them: ZVT has no year. */
  readonly time?: string;
  readonly date?: string;
  readonly terminalId?: string;
  readonly trace?: string;
  readonly singleTotals?: SingleTotals;
  readonly unknownBitmap?: number;
}

export function decodeSingleTotals(bytes: Buffer): SingleTotals {
  const brands = BMP60_BRANDS.map((brand, index) => {
    const offset = 4 + index * 7;
    return {
      brand,
      count: bytes[offset] ?? 0,
      amount: ore(Number(bcdDigits(bytes.subarray(offset + 1, offset + 7)) || '0')),
    };
  });
  return {
    receiptFrom: Number(bcdDigits(bytes.subarray(0, 2))),
    receiptTo: Number(bcdDigits(bytes.subarray(2, 4))),
    brands,
  };
}

export function decodeStatusInformation(data: Buffer): StatusInformation {
  const { bitmaps, unknown } = decodeBitmaps(data);
  const hex = (bmp: number): string | undefined => {
    const value = bitmaps.get(bmp);
    return value ? bcdDigits(value) : undefined;
  };
  const time = hex(0x0c);
  const date = hex(0x0d);
  const total = hex(0x04);
  const totals = bitmaps.get(0x60);
  return {
    ...(bitmaps.has(0x27) ? { result: bitmaps.get(0x27)![0]! } : {}),
    ...(total ? { total: ore(Number(total)) } : {}),
    ...(time ? { time: `${time.slice(0, 2)}:${time.slice(2, 4)}:${time.slice(4, 6)}` } : {}),
    ...(date ? { date: `${date.slice(0, 2)}-${date.slice(2, 4)}` } : {}),
    ...(bitmaps.has(0x29) ? { terminalId: hex(0x29)! } : {}),
    ...(bitmaps.has(0x0b) ? { trace: hex(0x0b)! } : {}),
    ...(totals && totals.length >= 53 ? { singleTotals: decodeSingleTotals(totals) } : {}),
    ...(unknown !== undefined ? { unknownBitmap: unknown } : {}),
  };
}

export interface EndOfDayResult {
  readonly outcome: 'completed' | 'aborted';
  readonly abortCode?: number;
  readonly printText: readonly string[];
  readonly status?: StatusInformation;
}

export interface ExchangeStep {
  /** Bytes to write to the terminal now, in order. */
  readonly writes: readonly Buffer[];
  /** Link problems worth logging (bad checksum, framing, noise). Bad frames are never parsed. */
  readonly problems: readonly string[];
  readonly result?: EndOfDayResult;
}

/**
 * The ECR side of one End-of-Day (ecrterm's flow): send `06 50`; on serial repeat it on NAK (up to
 * three times), ACK every good frame and NAK every bad one; on TCP no link bytes; answer every PT command
 * with `80 00 00`, collect `06 D3`/`06 D1` print text and `04 0F` status, finish on `06 0F` / `06 1E`.
 * Pure: the caller owns the port and the timers.
 */
export class EndOfDayExchange {
  private readonly request: Buffer;
  private pendingFrame: Buffer;
  private resends = 0;
  private readonly printText: string[] = [];
  private status: StatusInformation | undefined;
  private finished = false;

  constructor(
    password = '123456',
    private readonly link: ZvtLink = serialLink(),
  ) {
    this.request = link.wrap(endOfDayRequest(password));
    this.pendingFrame = this.request;
  }

  start(): Buffer[] {
    return [this.request];
  }

  get done(): boolean {
    return this.finished;
  }

  receive(chunk: Uint8Array): ExchangeStep {
    const writes: Buffer[] = [];
    const problems: string[] = [];
    let result: EndOfDayResult | undefined;
    for (const event of this.link.push(chunk)) {
      const outcome = this.handle(event, writes, problems);
      if (outcome) result = outcome;
    }
    return result ? { writes, problems, result } : { writes, problems };
  }

  private handle(event: LinkEvent, writes: Buffer[], problems: string[]): EndOfDayResult | undefined {
    switch (event.type) {
      case 'ack':
        return undefined;
      case 'nak':
        if (this.resends < 3) {
          this.resends += 1;
          writes.push(this.pendingFrame);
        } else problems.push('terminal refused our frame three times (NAK)');
        return undefined;
      case 'noise':
        problems.push(`ignored ${event.bytes.length} byte(s) outside a frame: ${event.bytes.toString('hex')}`);
        return undefined;
      case 'framing-error':
        problems.push(`framing error: ${event.reason}`);
        return undefined;
      case 'bad-checksum':
        writes.push(Buffer.from([NAK]));
        problems.push(
          `bad checksum on a ${event.apdu.length}-byte frame (got ${event.received.toString(16)}, ` +
            `expected ${event.expected.toString(16)}): answered NAK, frame not read`,
        );
        return undefined;
      case 'frame':
        if (this.link.transport === 'serial') writes.push(Buffer.from([ACK]));
        return this.onApdu(event.apdu, writes, problems);
    }
  }

  private onApdu(bytes: Buffer, writes: Buffer[], problems: string[]): EndOfDayResult | undefined {
    let apdu;
    try {
      apdu = decodeApdu(bytes);
    } catch (error) {
      problems.push(`unreadable APDU ${bytes.toString('hex')}: ${(error as Error).message}`);
      return undefined;
    }
    if (apdu.command === '8000') return undefined; // the terminal accepted our request
    this.respond(writes);
    switch (apdu.command) {
      case '06d3':
        this.printText.push(...printTextLines(apdu.data));
        return undefined;
      case '06d1':
        this.printText.push(apdu.data.subarray(1).toString('latin1'));
        return undefined;
      case '040f':
        this.status = decodeStatusInformation(apdu.data);
        if (this.status.unknownBitmap !== undefined) {
          problems.push(`status information: stopped at unknown bitmap ${this.status.unknownBitmap.toString(16)}`);
        }
        return undefined;
      case '060f':
        return this.finish({
          outcome: 'completed',
          printText: this.printText,
          ...(this.status ? { status: this.status } : {}),
        });
      case '061e':
        return this.finish({
          outcome: 'aborted',
          abortCode: apdu.data[0] ?? 0,
          printText: this.printText,
          ...(this.status ? { status: this.status } : {}),
        });
      default:
        return undefined; // 04 FF intermediate status and the like: acknowledged, nothing to keep
    }
  }

  private respond(writes: Buffer[]): void {
    this.pendingFrame = this.link.wrap(POSITIVE_COMPLETION);
    this.resends = 0;
    writes.push(this.pendingFrame);
  }

  private finish(result: EndOfDayResult): EndOfDayResult {
    this.finished = true;
    return result;
  }
}
