import iconv from 'iconv-lite';

/** CLASS INSTR LEN DATA; LEN is one byte, or FF lo hi for 255 bytes and more. */
export function encodeApdu(cls: number, instr: number, data: Uint8Array = new Uint8Array()): Buffer {
  const length = data.length < 0xff ? [data.length] : [0xff, data.length & 0xff, data.length >>> 8];
  return Buffer.from([cls, instr, ...length, ...data]);
}

export interface Apdu {
  readonly command: string;
  readonly data: Buffer;
}

export class ApduError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ApduError';
  }
}

export function decodeApdu(bytes: Buffer): Apdu {
  if (bytes.length < 3) throw new ApduError(`APDU of ${bytes.length} bytes is shorter than its header`);
  const command = bytes.subarray(0, 2).toString('hex');
  let length = bytes[2]!;
  let offset = 3;
  if (length === 0xff) {
    if (bytes.length < 5) throw new ApduError('extended length cut off');
    length = bytes[3]! | (bytes[4]! << 8);
    offset = 5;
  }
  if (bytes.length !== offset + length) {
    throw new ApduError(`APDU ${command} says ${length} data bytes but has ${bytes.length - offset}`);
  }
  return { command, data: bytes.subarray(offset) };
}

export function bcdDigits(bytes: Uint8Array): string {
  return Buffer.from(bytes).toString('hex');
}

export function toBcd(value: string, bytes: number): Buffer {
  return Buffer.from(value.padStart(bytes * 2, '0'), 'hex');
}

/** ZVT LLVAR/LLLVAR length: each digit in the low nibble of an Fx byte ("F0 F5 F3" = 53). */
function varLength(bytes: Uint8Array, offset: number, digits: number): number {
  let value = 0;
  for (let index = 0; index < digits; index += 1) {
    const byte = bytes[offset + index];
    if (byte === undefined || byte >> 4 !== 0xf) throw new ApduError('bad LL/LLL length');
    value = value * 10 + (byte & 0x0f);
  }
  return value;
}

export function lllLength(value: number): Buffer {
  const text = String(value).padStart(3, '0');
  return Buffer.from([...text].map((digit) => 0xf0 | Number(digit)));
}

/** Fixed lengths (bytes) of the bitmaps a status-information answer carries; -2/-3 = LL/LLLVAR. */
const BMP_LENGTH: Readonly<Record<number, number>> = {
  0x04: 6,
  0x0b: 3,
  0x0c: 3,
  0x0d: 2,
  0x0e: 2,
  0x17: 2,
  0x19: 1,
  0x22: -2,
  0x27: 1,
  0x29: 4,
  0x2a: 15,
  0x3b: 8,
  0x3c: -3,
  0x49: 2,
  0x60: -3,
  0x87: 2,
  0x88: 3,
  0x8a: 1,
  0x8b: -2,
  0x8c: 1,
  0xa0: 1,
  0xa7: -2,
  0xaf: -3,
  0xba: 5,
};

/** Bitmap number → value bytes; stops at a bitmap it does not know (its length is unknown). */
export function decodeBitmaps(data: Uint8Array): { bitmaps: Map<number, Buffer>; unknown?: number } {
  const bitmaps = new Map<number, Buffer>();
  let offset = 0;
  while (offset < data.length) {
    const bmp = data[offset]!;
    if (bmp === 0x06) return { bitmaps }; // a TLV container closes the bitmap list
    const length = BMP_LENGTH[bmp];
    if (length === undefined) return { bitmaps, unknown: bmp };
    offset += 1;
    let size = length;
    if (length < 0) {
      size = varLength(data, offset, -length);
      offset += -length;
    }
    if (offset + size > data.length) throw new ApduError(`bitmap ${bmp.toString(16)} cut off`);
    bitmaps.set(bmp, Buffer.from(data.subarray(offset, offset + size)));
    offset += size;
  }
  return { bitmaps };
}

/** BER-TLV as ZVT uses it (tag 06 container, 25 print texts, 07 text line, 1F07 receipt type). */
export interface Tlv {
  readonly tag: number;
  readonly value: Buffer;
}

export function decodeTlv(bytes: Uint8Array): Tlv[] {
  const result: Tlv[] = [];
  let offset = 0;
  while (offset < bytes.length) {
    let tag = bytes[offset++]!;
    if ((tag & 0x1f) === 0x1f) {
      let next: number;
      do {
        next = bytes[offset++]!;
        tag = (tag << 8) | next;
      } while (next & 0x80 && offset < bytes.length);
    }
    let length = bytes[offset++];
    if (length === undefined) throw new ApduError('TLV length missing');
    if (length & 0x80) {
      const count = length & 0x7f;
      length = 0;
      for (let index = 0; index < count; index += 1) length = (length << 8) | bytes[offset++]!;
    }
    if (offset + length > bytes.length) throw new ApduError(`TLV tag ${tag.toString(16)} cut off`);
    result.push({ tag, value: Buffer.from(bytes.subarray(offset, offset + length)) });
    offset += length;
  }
  return result;
}

export function encodeTlv(tag: number, value: Uint8Array): Buffer {
  const tagBytes = tag > 0xff ? [tag >> 8, tag & 0xff] : [tag];
  const length =
    value.length < 0x80
      ? [value.length]
      : value.length < 0x100
        ? [0x81, value.length]
        : [0x82, value.length >> 8, value.length & 0xff];
  return Buffer.from([...tagBytes, ...length, ...value]);
}

/** ZVT prints in a DOS code page; CP865 (the Nordic one) is assumed so ø/Ø survive — UNCONFIRMED per terminal. */
export const PRINT_TEXT_ENCODING = 'cp865';

/** Print text lines of a `06 D3` block: container 06 → 25 → 07 lines. */
export function printTextLines(data: Uint8Array): string[] {
  const lines: string[] = [];
  const walk = (items: Tlv[]): void => {
    for (const item of items) {
      if (item.tag === 0x07) lines.push(iconv.decode(item.value, PRINT_TEXT_ENCODING));
      else if (item.tag === 0x06 || item.tag === 0x25) walk(decodeTlv(item.value));
    }
  };
  walk(decodeTlv(data));
  return lines;
}

export function encodePrintText(lines: readonly string[], receiptType = 3): Buffer {
  const texts = Buffer.concat(lines.map((line) => encodeTlv(0x07, iconv.encode(line, PRINT_TEXT_ENCODING))));
  return encodeTlv(0x06, Buffer.concat([encodeTlv(0x1f07, Buffer.from([receiptType])), encodeTlv(0x25, texts)]));
}
