import { crc16Kermit } from './crc';

export const DLE = 0x10;
export const STX = 0x02;
export const ETX = 0x03;
export const ACK = 0x06;
export const NAK = 0x15;

/** `10 02` · APDU with every 10 doubled · `10 03` · CRC low · CRC high (CRC over the APDU and ETX). */
export function encodeFrame(apdu: Uint8Array): Buffer {
  const stuffed: number[] = [];
  for (const byte of apdu) {
    stuffed.push(byte);
    if (byte === DLE) stuffed.push(DLE);
  }
  const crc = crc16Kermit(Buffer.concat([Buffer.from(apdu), Buffer.from([ETX])]));
  return Buffer.from([DLE, STX, ...stuffed, DLE, ETX, crc & 0xff, crc >>> 8]);
}

export type LinkEvent =
  | { readonly type: 'frame'; readonly apdu: Buffer }
  /** Never parsed as data: the receiver answers NAK and the sender repeats the frame. */
  | { readonly type: 'bad-checksum'; readonly apdu: Buffer; readonly expected: number; readonly received: number }
  | { readonly type: 'ack' }
  | { readonly type: 'nak' }
  | { readonly type: 'noise'; readonly bytes: Buffer }
  | { readonly type: 'framing-error'; readonly reason: string };

type State = 'idle' | 'dle' | 'data' | 'data-dle' | 'crc1' | 'crc2';

/**
 * Turns a byte stream in any chunking into link events. Pure (no I/O, no timers), so serial ports,
 * TCP, journal replays and tests all feed it the same way.
 */
export class ZvtFrameReader {
  private state: State = 'idle';
  private data: number[] = [];
  private noise: number[] = [];
  private crcLow = 0;

  push(chunk: Uint8Array): LinkEvent[] {
    const events: LinkEvent[] = [];
    for (const byte of chunk) this.step(byte, events);
    this.flushNoise(events);
    return events;
  }

  private flushNoise(events: LinkEvent[]): void {
    if (this.noise.length === 0) return;
    events.push({ type: 'noise', bytes: Buffer.from(this.noise) });
    this.noise = [];
  }

  private step(byte: number, events: LinkEvent[]): void {
    switch (this.state) {
      case 'idle':
        if (byte === DLE) this.state = 'dle';
        else if (byte === ACK || byte === NAK) {
          this.flushNoise(events);
          events.push({ type: byte === ACK ? 'ack' : 'nak' });
        } else this.noise.push(byte);
        return;
      case 'dle':
        if (byte === STX) {
          this.flushNoise(events);
          this.state = 'data';
          this.data = [];
        } else {
          this.noise.push(DLE, byte);
          this.state = 'idle';
        }
        return;
      case 'data':
        if (byte === DLE) this.state = 'data-dle';
        else this.data.push(byte);
        return;
      case 'data-dle':
        if (byte === DLE) {
          this.data.push(DLE);
          this.state = 'data';
        } else if (byte === ETX) this.state = 'crc1';
        else if (byte === STX) {
          // A new frame began before this one ended: the partial frame is lost, the new one is read.
          events.push({ type: 'framing-error', reason: `frame of ${this.data.length} bytes cut off by a new DLE STX` });
          this.data = [];
          this.state = 'data';
        } else {
          events.push({ type: 'framing-error', reason: `DLE followed by 0x${byte.toString(16).padStart(2, '0')}` });
          this.state = 'idle';
        }
        return;
      case 'crc1':
        this.crcLow = byte;
        this.state = 'crc2';
        return;
      case 'crc2': {
        const apdu = Buffer.from(this.data);
        const expected = crc16Kermit(Buffer.concat([apdu, Buffer.from([ETX])]));
        const received = this.crcLow | (byte << 8);
        events.push(
          expected === received ? { type: 'frame', apdu } : { type: 'bad-checksum', apdu, expected, received },
        );
        this.state = 'idle';
        this.data = [];
        return;
      }
    }
  }
}
