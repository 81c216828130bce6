import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { SourceError } from '../sources/source-error';
import { parseSettlementCsv } from './settlement-csv';
import { receiptFixtureDir } from './simulate';

describe('parseSettlementCsv', () => {
  it('groups rows into one report per terminal and batch, amounts in øre', () => {
    const reports = parseSettlementCsv(
      readFileSync(join(receiptFixtureDir(), 'settlement-export.csv'), 'utf8'),
      'settlement-export.csv',
    );
    expect(
      reports.map((report) => [report.terminalId, report.bax, report.batchNo, report.closedAt, report.totals]),
    ).toEqual([
      [
        '80012345',
        '1234567',
        '412',
        '2026-11-23T22:14:00+01:00',
        { count: 93, amount: 1394440, refunds: 14000, tips: 22500, cashback: 40000, surcharge: 0 },
      ],
      [
        '45012399',
        '7654321',
        '31',
        '2026-11-23T21:58:00+01:00',
        { count: 45, amount: 652400, refunds: 0, tips: 0, cashback: 0, surcharge: 0 },
      ],
    ]);
    expect(reports[0]!.schemes[0]).toMatchObject({
      scheme: 'bankaxept',
      count: 57,
      netAmount: 843250,
      tips: 10000,
      cashback: 40000,
      refundAmount: 14000,
    });
    expect(reports[0]!.source).toBe('provider-csv');
  });

  it('names the file, line and field of a bad value', () => {
    const csv = 'date,terminal_id,scheme,count,amount\n2026-11-23,80012345,Visa,2,12.345\n';
    expect(() => parseSettlementCsv(csv, 'x.csv')).toThrow(SourceError);
    expect(() => parseSettlementCsv(csv, 'x.csv')).toThrow(
      'x.csv: line 2, field "amount": "12.345" is not an amount: more than two decimals (fractions of an øre)',
    );
    expect(() => parseSettlementCsv('date,scheme\n', 'y.csv')).toThrow(
      'y.csv: line 1, field "terminalId": missing column (accepted names: terminal_id, terminal, tid_nr, terminal-id)',
    );
    expect(() =>
      parseSettlementCsv('date,terminal_id,scheme,count,amount\n23/11/2026,1,Visa,1,1.00\n', 'z.csv'),
    ).toThrow('z.csv: line 2, field "date": expected YYYY-MM-DD or DD.MM.YYYY');
  });
});
