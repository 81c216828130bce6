import iconv from 'iconv-lite';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { receiptFixtureDir } from './simulate';
import { readAmountLine } from './amount-line';
import { decodeReceipt, stripPrinterCodes } from './decode';
import { parseReceipt, type ReceiptParseResult } from './receipt-parser';
import type { TerminalReport } from './report';

const fixture = (name: string): Buffer => readFileSync(join(receiptFixtureDir(), name));
const capturedAt = new Date('2026-11-24T08:00:00Z');

function report(result: ReceiptParseResult): TerminalReport {
  if (!result.ok) throw new Error(`not parsed: ${result.reason}`);
  return result.report;
}
const schemeSummary = (r: TerminalReport): string[] =>
  r.schemes.map((scheme) => `${scheme.scheme} ${scheme.label} ${scheme.count} ${scheme.netAmount}`);

describe('readAmountLine', () => {
  it.each([
    ['BankAxept    57  8 432,50', 'BankAxept', 57, 843250],
    ['Kjøp         92 13 459,40', 'Kjøp', 92, 1345940],
    ['Retur         1   -140,00', 'Retur', 1, -14000],
    ['Tips                225,00', 'Tips', undefined, 22500],
    ['Visa            120   2,345.60', 'Visa', 120, 234560],
    ['BankAxept                    41  kr 6.212,00', 'BankAxept', 41, 621200],
    ['Tilbakebetaling               2  kr  -100,00', 'Tilbakebetaling', 2, -10000],
    ['Retur 72,00-', 'Retur', undefined, -7200],
    ['Totalt NOK 1234,50', 'Totalt', undefined, 123450],
    ['Sum\u00a0\u00a01\u00a0234,50', 'Sum', undefined, 123450],
    ['VISA ........ 21 ..... 3 118,00', 'VISA', 21, 311800],
    ['Mastercard   14 stk   2 004,90 kr', 'Mastercard', 14, 200490],
  ])('%j', (line, label, count, amount) => {
    expect(readAmountLine(line)).toEqual(count === undefined ? { label, amount } : { label, count, amount });
  });

  it('does not read ids, dates or ambiguous separators as amounts', () => {
    expect(readAmountLine('Org.nr 912 345 678')).toBeUndefined();
    expect(readAmountLine('TERM:          80012345')).toBeUndefined();
    expect(readAmountLine('Sum 1,234,50')).toBeUndefined();
  });
});

describe('parseReceipt on the fixtures', () => {
  it('Norwegian Nets avstemming: net scheme lines, breakdown and ids', () => {
    const r = report(parseReceipt(fixture('nets-avstemming-nb.txt'), { capturedAt }));
    expect(r).toMatchObject({
      kind: 'reconciliation',
      bax: '1234567',
      terminalId: '80012345',
      batchNo: '412',
      closedAt: '2026-11-23T22:14:00+01:00',
      currency: 'NOK',
      copy: false,
      hostResult: 'ok',
      totals: { count: 93, amount: 1394440, refunds: 14000, tips: 22500, cashback: 40000, surcharge: 0 },
      warnings: [],
      raw: { encoding: 'utf-8' },
    });
    expect(schemeSummary(r)).toEqual([
      'bankaxept BankAxept 57 843250',
      'visa VISA 21 311800',
      'mastercard Mastercard 14 200490',
      'amex Amex 1 38900',
    ]);
    expect(r.id).toMatch(/^tr-[0-9a-f]{20}$/);
  });

  it('Swedish dagsavslut: gross purchase lines with a separate refund line', () => {
    const r = report(parseReceipt(fixture('dagsavslut-sv.txt'), { capturedAt, timeZone: 'Europe/Stockholm' }));
    expect(r).toMatchObject({
      kind: 'z',
      bax: '123456',
      terminalId: '00071234',
      batchNo: '118',
      closedAt: '2026-11-23T21:58:00+01:00',
      currency: 'SEK',
      totals: { count: 67, amount: 948150, refunds: 19900 },
      warnings: ['schemes-are-gross-purchases'],
    });
    expect(schemeSummary(r)).toEqual([
      'visa Visa 34 512000',
      'mastercard Mastercard 28 431050',
      'maestro Maestro 3 25000',
    ]);
  });

  it('Verifone 42-column Z-rapport with "kr 1.234,50" amounts and Vipps', () => {
    const r = report(parseReceipt(fixture('verifone-z-rapport-nb-42col.txt'), { capturedAt }));
    expect(r).toMatchObject({
      kind: 'z',
      bax: '7654321',
      terminalId: '45012399',
      batchNo: '31',
      closedAt: '2026-11-23T20:05:11+01:00',
      totals: { count: 66, amount: 941950, refunds: 10000, tips: 10000 },
      warnings: [],
    });
    expect(schemeSummary(r)).toContain('vipps Vipps 4 31200');
  });

  it('ZVT Kassenschnitt (German): brand and figures on separate lines, cashback, #: batch', () => {
    const r = report(parseReceipt(fixture('zvt-kassenschnitt-de.txt'), { capturedAt }));
    expect(r).toMatchObject({
      kind: 'reconciliation',
      terminalId: '29001006',
      batchNo: '105',
      closedAt: '2021-04-07T08:36:08+02:00',
      currency: 'EUR',
      totals: { count: 7, amount: 16240, cashback: 2000 },
      warnings: [],
    });
    expect(r.bax).toBeUndefined();
    expect(schemeSummary(r)).toEqual(['girocard girocard 4 10400', 'mastercard Mastercard 2 4590', 'visa VISA 1 1250']);
  });

  it('English end of day with 1,234.56 amounts and gratuity after the total', () => {
    const r = report(parseReceipt(fixture('end-of-day-en.txt'), { capturedAt }));
    expect(r).toMatchObject({
      bax: '998877',
      terminalId: '80054321',
      batchNo: '7',
      closedAt: '2026-11-23T23:48:00+01:00',
      totals: { count: 214, amount: 470060, tips: 31000 },
      warnings: [],
    });
    expect(schemeSummary(r)).toContain('jcb JCB 1 5500');
  });

  it('a copy is parsed, marked and gets another id than the original', () => {
    const original = report(parseReceipt(fixture('nets-avstemming-nb.txt'), { capturedAt }));
    const copy = report(parseReceipt(fixture('kopi-avstemming-nb.txt'), { capturedAt }));
    expect(copy.copy).toBe(true);
    expect(copy.warnings).toEqual(['copy-of-earlier-report']);
    expect(copy.totals.amount).toBe(original.totals.amount);
    expect(copy.id).not.toBe(original.id);
  });

  it('lines that do not add up to the total are kept with a warning naming both numbers', () => {
    const r = report(parseReceipt(fixture('sum-mismatch-nb.txt'), { capturedAt }));
    expect(r.totals.amount).toBe(760000);
    expect(r.warnings).toEqual(['sum-mismatch: scheme lines add up to 750000, total says 760000']);
  });

  it('an X-report is recognised as kind x', () => {
    expect(report(parseReceipt(fixture('x-rapport-nb.txt'), { capturedAt })).kind).toBe('x');
  });

  it('a zero report from a second terminal on the same BAX parses as amount 0', () => {
    const r = report(parseReceipt(fixture('zero-avstemming-nb.txt'), { capturedAt }));
    expect(r).toMatchObject({
      bax: '1234567',
      terminalId: '80012399',
      batchNo: '412',
      totals: { amount: 0, count: 0 },
    });
  });

  it('a sale receipt is not a terminal report', () => {
    const result = parseReceipt(fixture('sale-receipt-nb.txt'), { capturedAt });
    expect(result.ok).toBe(false);
    expect(!result.ok && result.reason).toBe('no reconciliation title (AVSTEMMING, Z-RAPPORT, DAGSAVSLUT…)');
  });

  it('a title without a total is not a terminal report', () => {
    const result = parseReceipt('AVSTEMMING\nBAX: 1234567\nVISA 2 100,00\n', { capturedAt });
    expect(!result.ok && result.reason).toBe('no total line (TOTALT, TOTAL, SUM, Gesamt…)');
  });

  it('a receipt without a year infers the year that is not after the capture, and says so', () => {
    const r = report(
      parseReceipt('** KASSENSCHNITT **\nTerminal-ID: 29001006\n28.12 23:10\nVISA 1 10,00\nGesamt 1 10,00\n', {
        capturedAt: new Date('2027-01-02T09:00:00Z'),
      }),
    );
    expect(r.closedAt).toBe('2026-12-28T23:10:00+01:00');
    expect(r.warnings).toContain('no-year-in-date');
  });

  it('reads dates with month names and a 48-column print with dot leaders', () => {
    const text = [
      '            END OF DAY / RECONCILIATION',
      'TID: 80054321                    Batch: 12',
      'Date: 5 Dec 2026                      07:45',
      'Visa ............................ 3 ...... 30,00',
      'Mastercard ...................... 1 ...... 10,00',
      'TOTAL ........................... 4 ...... 40,00',
    ].join('\n');
    expect(report(parseReceipt(text, { capturedAt }))).toMatchObject({
      terminalId: '80054321',
      batchNo: '12',
      closedAt: '2026-12-05T07:45:00+01:00',
      totals: { count: 4, amount: 4000 },
      warnings: [],
    });
  });

  it('a subtotal per acquirer: the last total is the grand total, every scheme counts', () => {
    const text = [
      'AVSTEMMING',
      'TERM: 80012345',
      'Dato: 23.11.2026 22:14',
      'NETS',
      'BankAxept    10  1 000,00',
      'Sum          10  1 000,00',
      'ELAVON',
      'VISA          2    200,00',
      'Mastercard    1    100,00',
      'Sum           3    300,00',
      'Annullert     1     50,00',
      'TOTALT       13  1 300,00',
    ].join('\n');
    const r = report(parseReceipt(text, { capturedAt }));
    expect(r.totals).toMatchObject({ count: 13, amount: 130000 });
    expect(schemeSummary(r)).toEqual([
      'bankaxept BankAxept 10 100000',
      'visa VISA 2 20000',
      'mastercard Mastercard 1 10000',
    ]);
    expect(r.warnings).toEqual([]);
  });

  it('summer time gives +02:00', () => {
    const text = readFileSync(join(receiptFixtureDir(), 'nets-avstemming-nb.txt'), 'utf8').replace(
      '23.11.2026',
      '01.07.2026',
    );
    expect(report(parseReceipt(text, { capturedAt })).closedAt).toBe('2026-07-01T22:14:00+02:00');
  });
});

describe('code pages and printer codes', () => {
  const ESC_POS_START = Buffer.from([0x1b, 0x40, 0x1b, 0x61, 0x01, 0x1b, 0x21, 0x30]);
  const ESC_POS_END = Buffer.from([0x1b, 0x64, 0x04, 0x1d, 0x56, 0x41, 0x03]);

  it.each(['cp865', 'iso-8859-15', 'utf-8'] as const)('Norwegian avstemming in %s wrapped in ESC/POS', (encoding) => {
    const text = fixture('nets-avstemming-nb.txt').toString('utf8').replace(/\n/g, '\r\n');
    const bytes = Buffer.concat([ESC_POS_START, iconv.encode(text, encoding), ESC_POS_END]);
    const r = report(parseReceipt(bytes, { capturedAt }));
    expect(r.raw.encoding).toBe(encoding);
    expect(r.raw.text).toContain('Beløp');
    expect(r.raw.text).toContain('Kjøp');
    expect(r.totals.amount).toBe(1394440);
    expect(r.raw.hex).toBe(bytes.toString('hex'));
  });

  it('Swedish dagsavslut in CP437 reads å/ä/ö right', () => {
    const text = `${fixture('dagsavslut-sv.txt').toString('utf8')}Återköp 0 0,00\nSÄNDNING OK\n`;
    const decoded = decodeReceipt(iconv.encode(text, 'cp437'));
    expect(decoded.text).toContain('Återköp');
    expect(decoded.text).toContain('SÄNDNING');
  });

  it('strips ESC/POS sequences including the paper cut', () => {
    const stripped = stripPrinterCodes(
      Buffer.from([0x1b, 0x40, 0x41, 0x1b, 0x45, 0x01, 0x42, 0x09, 0x43, 0x1d, 0x56, 0x00, 0x07, 0x0a]),
    );
    expect(stripped.toString('latin1')).toBe('AB C\n');
  });

  it('random bytes never throw: they are simply not a terminal report', () => {
    let seed = 7;
    for (let run = 0; run < 200; run += 1) {
      const bytes = Buffer.alloc(300, 0).map(() => {
        seed = (seed * 1103515245 + 12345) & 0x7fffffff;
        return seed & 0xff;
      });
      expect(() => parseReceipt(bytes, { capturedAt })).not.toThrow();
    }
  });
});
