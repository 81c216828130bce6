import iconv from 'iconv-lite';
import { SourceError } from './source-error';

/**
 * Finds the first byte that breaks UTF-8 (WHATWG rules: no overlongs, no surrogates, nothing past
 * U+10FFFF), across chunks, so a reader can name its offset instead of decoding it to U+FFFD.
 */
class Utf8Validator {
  private offset = 0;
  /** Where the multi-byte sequence being read began: a bad sequence is named by its first byte. */
  private start = 0;
  private needed = 0;
  private lower = 0x80;
  private upper = 0xbf;

  /** The offset in the whole stream of the first invalid byte (or sequence) of `chunk`, or -1. */
  check(chunk: Uint8Array): number {
    for (let index = 0; index < chunk.length; index += 1, this.offset += 1) {
      const byte = chunk[index]!;
      if (this.needed > 0) {
        if (byte < this.lower || byte > this.upper) return this.start;
        this.needed -= 1;
        this.lower = 0x80;
        this.upper = 0xbf;
      } else if (byte >= 0xc2 && byte <= 0xdf) {
        this.start = this.offset;
        this.needed = 1;
      } else if (byte >= 0xe0 && byte <= 0xef) {
        this.start = this.offset;
        this.needed = 2;
        if (byte === 0xe0) this.lower = 0xa0;
        if (byte === 0xed) this.upper = 0x9f;
      } else if (byte >= 0xf0 && byte <= 0xf4) {
        this.start = this.offset;
        this.needed = 3;
        if (byte === 0xf0) this.lower = 0x90;
        if (byte === 0xf4) this.upper = 0x8f;
      } else if (byte >= 0x80) {
        return this.offset;
      }
    }
    return -1;
  }

  /** The offset of a sequence cut off by the end of the file, or -1. */
  end(): number {
    return this.needed > 0 ? this.start : -1;
  }
}

function isUtf8Name(encoding: string): boolean {
  return /^utf-?8$/i.test(encoding);
}

/**
 * Decodes a file chunk by chunk in the encoding it declares (or is known to have), refusing any byte
 * that encoding does not define with a SourceError naming the byte's offset: a wrong declared
 * encoding must stop the import, not turn "Frøgner" into "Fr�gner" and become a new report.
 */
export class StrictDecoder {
  private readonly validator: Utf8Validator | null;
  private readonly decoder: iconv.DecoderStream;
  private bytesBefore = 0;

  constructor(
    private readonly path: string,
    private readonly encoding: string,
  ) {
    this.validator = isUtf8Name(encoding) ? new Utf8Validator() : null;
    this.decoder = iconv.getDecoder(encoding);
  }

  write(chunk: Buffer): string {
    const invalid = this.validator?.check(chunk) ?? -1;
    if (invalid >= 0) this.refuse(invalid, chunk);
    const text = this.decoder.write(chunk);
    if (!this.validator) this.refuseReplacement(text, chunk);
    this.bytesBefore += chunk.length;
    return text;
  }

  end(): string {
    const cut = this.validator?.end() ?? -1;
    if (cut >= 0) throw this.error(cut, `the file ends inside a ${this.encoding} character`);
    const text = this.decoder.end() ?? '';
    if (!this.validator) this.refuseReplacement(text, Buffer.alloc(0));
    return text;
  }

  /** A single-byte table maps an undefined byte to U+FFFD; re-encoding the text before it gives its offset. */
  private refuseReplacement(text: string, chunk: Buffer): void {
    const at = text.indexOf('\uFFFD');
    if (at >= 0) this.refuse(this.bytesBefore + iconv.encode(text.slice(0, at), this.encoding).length, chunk);
  }

  private refuse(offset: number, chunk: Buffer): never {
    const byte = chunk[offset - this.bytesBefore];
    const what = byte === undefined ? 'a byte sequence' : `0x${byte.toString(16).toUpperCase().padStart(2, '0')}`;
    throw this.error(offset, `${what} is not valid ${this.encoding} here`);
  }

  private error(offset: number, reason: string): SourceError {
    return new SourceError(
      this.path,
      `byte ${offset}`,
      null,
      `${reason}; the file is in another encoding than it declares`,
    );
  }
}

/** The whole of `bytes`, decoded strictly (see StrictDecoder). */
export function decodeStrict(path: string, bytes: Buffer, encoding: string): string {
  const decoder = new StrictDecoder(path, encoding);
  return decoder.write(bytes) + decoder.end();
}
