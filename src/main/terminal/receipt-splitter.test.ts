import { describe, expect, it } from 'vitest';
import { ReceiptSplitter } from './receipt-splitter';

const doc = (text: string, cut: number[]): Buffer => Buffer.concat([Buffer.from(text), Buffer.from(cut)]);

describe('ReceiptSplitter', () => {
  it('ends documents at GS V cuts, also when the cut is split across chunks', () => {
    const stream = Buffer.concat([
      doc('ONE\n', [0x1d, 0x56, 0x42, 0x00]),
      doc('TWO\n', [0x1d, 0x56, 0x00]),
      Buffer.from('THR'),
    ]);
    for (let size = 1; size <= stream.length; size += 1) {
      const splitter = new ReceiptSplitter();
      const documents: string[] = [];
      for (let offset = 0; offset < stream.length; offset += size) {
        documents.push(
          ...splitter.push(stream.subarray(offset, offset + size)).map((bytes) => bytes.toString('latin1')),
        );
      }
      expect(documents).toEqual(['ONE\n\x1dVB\x00', 'TWO\n\x1dV\x00']);
      expect(splitter.flush()?.toString()).toBe('THR');
    }
  });

  it('a quiet time with only control bytes or blanks buffered is no document', () => {
    const splitter = new ReceiptSplitter();
    splitter.push(Buffer.from([0x1b, 0x40, 0x0a, 0x20]));
    expect(splitter.flush()).toBeUndefined();
  });
});
