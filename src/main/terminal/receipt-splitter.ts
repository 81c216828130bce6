import { stripPrinterCodes } from './decode';

const GS = 0x1d;
const CUT = 0x56;

/**
 * Splits a printer byte stream into documents: an ESC/POS paper cut (GS V m [n]) ends one at once;
 * otherwise the caller ends it after a quiet time (`flush`). Pure, so the journal replays the same.
 */
export class ReceiptSplitter {
  private pending = Buffer.alloc(0);

  push(chunk: Uint8Array): Buffer[] {
    this.pending = Buffer.concat([this.pending, chunk]);
    const documents: Buffer[] = [];
    let start = 0;
    for (let index = 0; index < this.pending.length - 1; index += 1) {
      if (this.pending[index] !== GS || this.pending[index + 1] !== CUT) continue;
      const mode = this.pending[index + 2];
      if (mode === undefined) break; // the rest of the cut command is still on its way
      const end = index + (mode === 65 || mode === 66 ? 4 : 3);
      if (end > this.pending.length) break;
      documents.push(this.pending.subarray(start, end));
      start = end;
      index = end - 1;
    }
    this.pending = this.pending.subarray(start);
    return documents.filter(hasText);
  }

  /** The quiet time passed: whatever is buffered is one document (if it has any text). */
  flush(): Buffer | undefined {
    const document = this.pending;
    this.pending = Buffer.alloc(0);
    return hasText(document) ? document : undefined;
  }

  get buffered(): number {
    return this.pending.length;
  }
}

function hasText(bytes: Buffer): boolean {
  return stripPrinterCodes(bytes).some((byte) => byte > 0x20);
}
