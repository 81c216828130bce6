import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import iconv from 'iconv-lite';
import { describe, expect, it } from 'vitest';
import { formatAmount } from '../../../shared/money';
import { useTempHome } from '../../../../test/helpers/temp-home';
import { SourceError } from '../source-error';
import { readSie4File } from './read-sie4';
import { tokenizeSieLine } from './tokenize';

const newHome = useTempHome();

const DAILY = [
  '#FLAGGA 0',
  '#PROGRAM "KassaApp" "1.0"',
  '#FORMAT PC8',
  '#GEN 20240503',
  '#SIETYP 4',
  '#ORGNR "556677-8899"',
  '#FNAMN "Kaffebaren i Växjö AB"',
  '#KONTO 3001 "Försäljning 25%"',
  '#VER "K" "" 20240502 "Z-rapport 1042 kassa 1" 20240503',
  '{',
  '#TRANS 1580 {} 9300.00 20240502 "Kort"',
  '#TRANS 1910 {} 4000.00 20240502 "Kontant"',
  '#TRANS 3001 {1 "10"} -8000.00 20240502 "Försäljning 25% \\"kaffe\\""',
  '#TRANS 2611 {} -2000.00 20240502 "Utg moms 25%"',
  '#TRANS 3002 {1 "10"} -2946.43 20240502 "Försäljning 12%"',
  '#TRANS 2621 {} -353.57 20240502 "Utg moms 12%"',
  '}',
];

function write(lines: readonly string[], encoding: 'cp437' | 'utf8' = 'cp437'): string {
  const path = join(newHome(), 'dag.se');
  writeFileSync(path, iconv.encode(`${lines.join('\r\n')}\r\n`, encoding));
  return path;
}

function readError(path: string): SourceError {
  try {
    readSie4File(path);
  } catch (error) {
    if (error instanceof SourceError) return error;
    throw error;
  }
  throw new Error('expected a SourceError');
}

describe('tokenizeSieLine', () => {
  it('splits on spaces and tabs, keeps quoted text with escaped quotes and object lists whole', () => {
    expect(tokenizeSieLine('#TRANS 3001\t{1 "Stockholm" 6 "P100"} -8000.00 20240502 "Sålt \\"kaffe\\" idag"')).toEqual([
      '#TRANS',
      '3001',
      '{1 "Stockholm" 6 "P100"}',
      '-8000.00',
      '20240502',
      'Sålt "kaffe" idag',
    ]);
    expect(tokenizeSieLine('#VER "" "" 20240502 ""')).toEqual(['#VER', '', '', '20240502', '']);
    expect(tokenizeSieLine('#FNAMN "unterminated')).toBeNull();
  });
});

describe('readSie4File', () => {
  it('reads a CP437 daily voucher into one settlement keyed by the POS accounts', () => {
    const { drafts, warnings } = readSie4File(write(DAILY));
    expect(warnings).toEqual([]);
    expect(drafts).toHaveLength(1);
    const [z] = drafts;
    expect(z).toMatchObject({
      source: 'sie4',
      location: '556677-8899',
      registerId: '1',
      kind: 'Z',
      reportNumber: '1042',
      businessDate: '2024-05-02',
      currency: 'SEK',
    });
    expect(
      z!.lines.map((l) => `${l.sourceCode} ${l.key} ${formatAmount(l.amount)} vat ${formatAmount(l.vat)}`),
    ).toEqual([
      '1580 card_integrated 9300.00 vat 0.00',
      '1910 cash 4000.00 vat 0.00',
      '3001 sales_25 8000.00 vat 0.00',
      '2611 sales_25 0.00 vat 2000.00',
      '3002 sales_12 2946.43 vat 0.00',
      '2621 sales_12 0.00 vat 353.57',
    ]);
  });

  it('decodes å/ä/ö from CP437 and sniffs UTF-8 in a file that says PC8', () => {
    const withName = [...DAILY.slice(0, 5), '#FNAMN "Kaffebaren i Växjö AB"', ...DAILY.slice(7)];
    const cp437 = readSie4File(write(withName));
    expect(cp437.drafts[0]!.location).toBe('Kaffebaren i Växjö AB');
    const utf8 = readSie4File(write(withName, 'utf8'));
    expect(utf8.drafts[0]!.location).toBe('Kaffebaren i Växjö AB');
    expect(utf8.warnings).toEqual(['the file says #FORMAT PC8 but is UTF-8; read as UTF-8']);
  });

  it('numbers a daily voucher without a number by its date, stably', () => {
    const unnumbered = DAILY.map((line) => (line.startsWith('#VER') ? '#VER "" "" 20240502 "Dagsavslut"' : line));
    expect(readSie4File(write(unnumbered)).drafts[0]).toMatchObject({ registerId: '1', reportNumber: '2024-05-02' });
  });

  it('refuses a voucher that does not balance, naming the #VER line', () => {
    const error = readError(write(DAILY.map((line) => line.replace('-353.57', '-353.75'))));
    expect(error.message).toMatch(
      /dag\.se: line 9: #VER K \(no number\) does not balance: its #TRANS rows add up to -0\.18$/,
    );
  });

  it('refuses a bad amount, a truncated voucher and an unterminated quote', () => {
    expect(readError(write(DAILY.map((line) => line.replace('9300.00', '9300,00')))).reason).toBe(
      '"9300,00" is not an amount like -1234.50',
    );
    expect(readError(write(DAILY.slice(0, 13))).reason).toBe('the file ends inside this #VER (truncated?)');
    expect(readError(write([...DAILY.slice(0, 6), '#FNAMN "Kaffe', ...DAILY.slice(7)])).reason).toBe(
      'unterminated quote or brace',
    );
  });
});
