import iconv from 'iconv-lite';

const ESC = 0x1b;
const GS = 0x1d;
const FS = 0x1c;
const LF = 0x0a;
const CR = 0x0d;
const TAB = 0x09;

/** Argument bytes after ESC <cmd> for the ESC/POS commands receipt printers get (unknown: none). */
const ESC_ARGS: Readonly<Record<string, number>> = {
  '@': 0,
  a: 1,
  '!': 1,
  E: 1,
  '-': 1,
  d: 1,
  t: 1,
  M: 1,
  G: 1,
  J: 1,
  R: 1,
  r: 1,
  '{': 1,
  V: 1,
  c: 2,
  p: 3,
  '2': 0,
  '3': 1,
};
const GS_ARGS: Readonly<Record<string, number>> = {
  '!': 1,
  B: 1,
  H: 1,
  h: 1,
  w: 1,
  f: 1,
  k: 1,
  L: 2,
  W: 2,
  a: 1,
  r: 1,
};

/** Removes ESC/POS control sequences and every control byte except CR/LF; TAB becomes a space. */
export function stripPrinterCodes(input: Uint8Array): Buffer {
  const out: number[] = [];
  for (let index = 0; index < input.length; index += 1) {
    const byte = input[index]!;
    if (byte === ESC || byte === GS || byte === FS) {
      const command = String.fromCharCode(input[index + 1] ?? 0);
      if (byte === GS && command === 'V') {
        // GS V m (m = 0/1/48/49) or GS V m n (m = 65/66).
        const mode = input[index + 2] ?? 0;
        index += mode === 65 || mode === 66 ? 3 : 2;
        continue;
      }
      const args = byte === ESC ? ESC_ARGS[command] : byte === GS ? GS_ARGS[command] : 1;
      index += 1 + (args ?? 0);
      continue;
    }
    if (byte === TAB) out.push(0x20);
    else if (byte === LF || byte === CR || byte >= 0x20) out.push(byte);
  }
  return Buffer.from(out);
}

export type ReceiptEncoding = 'utf-8' | 'cp865' | 'cp437' | 'iso-8859-15';

const NORDIC_LETTERS = /[æøåäöüéÆØÅÄÖÜÉ]/gu;
// Letters, digits, punctuation and symbols a receipt prints; anything else suggests the wrong code page.
const EXPECTED = /[\p{L}\p{N}\s.,:;\-+/*#()%&'"=!?_@<>[\]|$£€¤§]/u;

function score(text: string): number {
  let result = (text.match(NORDIC_LETTERS) ?? []).length * 2;
  for (const char of text) if (char.charCodeAt(0) > 0x7f && !EXPECTED.test(char)) result -= 3;
  // Box-drawing and Greek letters decode from Latin bytes as CP437 graphics; Latin letters in a DOS text are rarer.
  return result;
}

/**
 * Decodes receipt bytes: valid UTF-8 is taken as UTF-8; otherwise the code page whose reading
 * gives the most Nordic letters and the fewest oddities wins (CP865 before CP437 on a tie:
 * they differ only in ø/Ø/¤).
 */
export function decodeReceipt(bytes: Uint8Array): { text: string; encoding: ReceiptEncoding } {
  const buffer = Buffer.from(bytes);
  const utf8 = buffer.toString('utf8');
  if (!utf8.includes('\ufffd')) return { text: utf8, encoding: 'utf-8' };
  const candidates: ReceiptEncoding[] = ['cp865', 'cp437', 'iso-8859-15'];
  let best: { text: string; encoding: ReceiptEncoding; score: number } | undefined;
  for (const encoding of candidates) {
    const text = iconv.decode(buffer, encoding);
    const value = score(text);
    if (!best || value > best.score) best = { text, encoding, score: value };
  }
  return { text: best!.text, encoding: best!.encoding };
}

/** Bytes as printed → plain text lines, with the encoding that was chosen. */
export function receiptText(bytes: Uint8Array): { text: string; encoding: ReceiptEncoding } {
  const printable = stripPrinterCodes(bytes);
  const decoded = decodeReceipt(printable);
  return { text: decoded.text.replace(/\r\n?/g, '\n'), encoding: decoded.encoding };
}
