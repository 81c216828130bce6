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
  return { text: iconv.decode(body, 'cp437'), encoding: 'cp437', warnings: [] };
}
