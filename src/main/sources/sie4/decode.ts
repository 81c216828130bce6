import iconv from 'iconv-lite';

export interface DecodedText {
  readonly text: string;
  readonly encoding: 'utf8' | 'cp437';
  readonly warnings: readonly string[];
}

const utf8 = new TextDecoder('utf-8', { fatal: true });

/**
 * SIE4 is CP437 ("#FORMAT PC8") by the book, but some tools write UTF-8 and still say PC8. Bytes
 * that are valid UTF-8 with at least one multi-byte character are UTF-8 (CP437 text with å/ä/ö is
 * practically never valid UTF-8); everything else is CP437.
 */
export function decodeSie(bytes: Buffer): DecodedText {
  const hasBom = bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf;
  const body = hasBom ? bytes.subarray(3) : bytes;
  if (hasBom || body.some((byte) => byte >= 0x80)) {
    try {
      const text = utf8.decode(body);
      const declaresPc8 = /^#FORMAT\s+PC8\b/m.test(text);
      return {
        text,
        encoding: 'utf8',
        warnings: declaresPc8 ? ['the file says #FORMAT PC8 but is UTF-8; read as UTF-8'] : [],
      };
    } catch {
      // Not UTF-8: the normal case, CP437.
    }
  }
  return { text: iconv.decode(body, 'cp437'), encoding: 'cp437', warnings: latin1Suspicion(body) };
}

/**
 * CP437 defines every byte, so a Latin-1 or Windows-1252 file declared PC8 decodes without error —
 * "ø" (0xF8) becomes "°", "å" (0xE5) "σ". Nordic letters in CP437 lie below 0xB0; above it are box
 * drawing and Greek/maths signs (but 0xE1 "ß"), which accounting text does not hold. The first such
 * byte is named, so a mis-declared file does not pass unnoticed.
 */
function latin1Suspicion(body: Buffer): string[] {
  const at = body.findIndex((byte) => byte >= 0xb0 && byte !== 0xe1);
  if (at < 0) return [];
  const line = body.subarray(0, at).filter((byte) => byte === 0x0a).length + 1;
  const byte = body.subarray(at, at + 1);
  return [
    `line ${line}: byte 0x${byte[0]!.toString(16).toUpperCase()} is "${iconv.decode(byte, 'cp437')}" in PC8 (CP437), unusual in accounting text; if the file is really Latin-1 or Windows-1252 it meant "${iconv.decode(byte, 'win1252')}" — check the encoding the program writes`,
  ];
}
