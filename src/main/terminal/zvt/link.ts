import { encodeFrame, ZvtFrameReader, type LinkEvent } from './framing';

/**
 * How APDUs travel: over serial in DLE STX … DLE ETX CRC frames, each answered by an ACK/NAK byte;
 * over TCP (port 20007) bare, one after another, with no acknowledgement byte (spec §2.1).
 */
export interface ZvtLink {
  readonly transport: 'serial' | 'tcp';
  wrap(apdu: Buffer): Buffer;
  push(chunk: Uint8Array): LinkEvent[];
}

export function serialLink(): ZvtLink {
  const reader = new ZvtFrameReader();
  return { transport: 'serial', wrap: encodeFrame, push: (chunk) => reader.push(chunk) };
}

export function tcpLink(): ZvtLink {
  const reader = new ApduStreamReader();
  return { transport: 'tcp', wrap: (apdu) => Buffer.from(apdu), push: (chunk) => reader.push(chunk) };
}

/** Splits a TCP byte stream into APDUs by their length header (1 byte, or FF lo hi). */
export class ApduStreamReader {
  private pending = Buffer.alloc(0);

  push(chunk: Uint8Array): LinkEvent[] {
    this.pending = Buffer.concat([this.pending, chunk]);
    const events: LinkEvent[] = [];
    for (;;) {
      if (this.pending.length < 3) break;
      const short = this.pending[2]!;
      if (short === 0xff && this.pending.length < 5) break;
      const header = short === 0xff ? 5 : 3;
      const length = short === 0xff ? this.pending[3]! | (this.pending[4]! << 8) : short;
      if (this.pending.length < header + length) break;
      events.push({ type: 'frame', apdu: Buffer.from(this.pending.subarray(0, header + length)) });
      this.pending = this.pending.subarray(header + length);
    }
    return events;
  }
}
