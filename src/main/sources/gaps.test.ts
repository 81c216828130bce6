import { describe, expect, it } from 'vitest';
import { line, settlement } from '../../../test/fixtures/settlements';
import type { Settlement } from '../domain/settlement';
import { findNumberingGaps } from './gaps';

const sale = [line('sales_25', '100.00', '25.00'), line('cash', '125.00')];

function report(registerId: string, kind: 'Z' | 'X', number: number, globalSequence: number, lines = sale): Settlement {
  return settlement(lines, { registerId, kind, reportNumber: `${number}/${registerId}`, globalSequence });
}

describe('findNumberingGaps', () => {
  it('classifies holes in a register’s Z numbers: X report, empty Z, truly missing', () => {
    const gaps = findNumberingGaps([
      report('10009', 'Z', 1, 1),
      report('10009', 'X', 2, 2),
      report('10009', 'Z', 3, 3),
      report('10009', 'Z', 4, 4, []),
      report('10009', 'Z', 7, 5),
    ]).filter((gap) => gap.scheme === 'report');
    expect(gaps.map((gap) => `${gap.number} ${gap.reason}`)).toEqual([
      '4 empty_z',
      '2 x_report',
      '5 missing',
      '6 missing',
    ]);
  });

  it('explains global sequence jumps between a register’s Z reports by other registers and X reports', () => {
    const gaps = findNumberingGaps([
      report('10009', 'Z', 1, 510),
      report('10010', 'Z', 1, 511),
      report('10009', 'X', 1, 512),
      report('10009', 'Z', 2, 514),
      report('10010', 'Z', 2, 515),
    ]).filter((gap) => gap.scheme === 'sequence');
    expect(gaps.map((gap) => `${gap.registerId} ${gap.number} ${gap.reason}`)).toEqual([
      '10009 511 other_register',
      '10009 512 x_report',
      '10009 513 missing',
      '10010 512 other_register',
      '10010 513 missing',
      '10010 514 other_register',
    ]);
  });

  it('finds nothing to explain in contiguous numbering', () => {
    expect(findNumberingGaps([report('1', 'Z', 1, 1), report('1', 'Z', 2, 2)])).toEqual([]);
  });
});
