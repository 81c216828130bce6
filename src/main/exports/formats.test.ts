import { describe, expect, it } from 'vitest';
import { ore, sum } from '../../shared/money';
import type { Voucher } from '../vouchers/voucher';
import { EXPORT_NOW, EXPORT_PROGRAM } from '../../../test/fixtures/export-days';
import type { NumberedVoucher } from './format';
import { gbat10Format, gbat10SettingsSchema } from './gbat10/gbat10-format';
import { gbatText } from './gbat10/gbat10-line';
import { effectiveAmount, readGbat10 } from './gbat10/read-gbat10';
import { duettFormat, duettSettingsSchema } from './duett/duett-format';
import { encodeLines } from './run-export';
import { sieFields } from '../sources/sie4/tokenize';
import { readSie4 } from './sie4/read-sie4';
import { sie4Format, sie4SettingsSchema, sieQuote } from './sie4/sie4-format';

// #GEN is the shop's local date; pin the zone so the byte-exact files do not depend on the machine's.
process.env['TZ'] = 'Europe/Stockholm';

const settlement = { id: 1, registerId: '1', reportNumber: '9', businessDate: '2026-02-03', kind: 'Z' as const };

function numbered(voucher: Partial<Voucher>, number: number | null = 1): NumberedVoucher {
  return {
    voucher: { settlement, date: '2026-02-03', description: 'Test', lines: [], ...voucher },
    number,
    idempotencyKey: 'kb1-test',
  };
}

describe('SIE 4 writer details', () => {
  it('quotes texts, escapes " as \\" and reads them back unchanged', () => {
    expect(sieQuote('Kaffe "Bryggt" 2 st')).toBe('"Kaffe \\"Bryggt\\" 2 st"');
    expect(sieQuote('a\\b\r\nc')).toBe('"a/b c"');
    expect(sieFields('#TRANS 1910 {1 "Lager 2"} -12.50 20260203 "Kaffe \\"Bryggt\\" 2 st"')).toEqual([
      '#TRANS',
      '1910',
      '{1 "Lager 2"}',
      '-12.50',
      '20260203',
      'Kaffe "Bryggt" 2 st',
    ]);
  });

  it('writes characters CP437 lacks as "?" instead of writing UTF-8', () => {
    const bytes = encodeLines(['#FNAMN "Café € AB"'], '\r\n', 'cp437');
    expect([...bytes.subarray(8, 15)]).toEqual([0x43, 0x61, 0x66, 0x82, 0x20, 0x3f, 0x20]); // "Café ? "
  });

  it('renders an empty series and the department on the configured dimension', () => {
    const settings = sie4SettingsSchema.parse({
      companyName: 'AB',
      orgNumber: '556677-8899',
      series: '',
      departmentDimension: 6,
    });
    const lines = sie4Format.render(
      [
        numbered(
          {
            lines: [
              {
                key: 'cash',
                role: 'entry',
                account: '1910',
                vatCode: null,
                amount: ore(5),
                impliedVat: ore(0),
                department: 'P1',
                text: 'K',
              },
              {
                key: 'sales_0',
                role: 'entry',
                account: '3004',
                vatCode: null,
                amount: ore(-5),
                impliedVat: ore(0),
                department: 'P1',
                text: 'F',
              },
            ],
          },
          null,
        ),
      ],
      settings,
      { generatedAt: EXPORT_NOW, program: EXPORT_PROGRAM },
    );
    expect(lines.slice(7)).toEqual([
      '#VER "" "" 20260203 "Test" 20261121',
      '{',
      '#TRANS 1910 {6 "P1"} 0.05 20260203 "K"',
      '#TRANS 3004 {6 "P1"} -0.05 20260203 "F"',
      '}',
    ]);
  });
});

describe('SIE 4 reader refuses what an importer would', () => {
  const file = (...records: string[]): Buffer => Buffer.from(`${records.join('\r\n')}\r\n`, 'latin1');
  const head = ['#FLAGGA 0', '#FORMAT PC8', '#SIETYP 4'];

  it('an unbalanced #VER, naming its line', () => {
    expect(() =>
      readSie4(
        file(...head, '#VER "A" "1" 20260203 "x"', '{', '#TRANS 1910 {} 10.00', '#TRANS 3001 {} -9.99', '}'),
        'x.si',
      ),
    ).toThrow('x.si: line 8: voucher A 1 (line 4) sums to 1 öre, not 0');
  });

  it('a UTF-8 byte order mark, a missing #FORMAT PC8, a comma decimal and a duplicate number', () => {
    expect(() => readSie4(Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), file(...head)]))).toThrow('byte order mark');
    expect(() => readSie4(file('#FLAGGA 0', '#SIETYP 4'))).toThrow('field "#FORMAT": must be PC8');
    expect(() => readSie4(file(...head, '#VER A 1 20260203 x', '{', '#TRANS 1910 {} 10,00', '}'))).toThrow(
      'line 6, field "belopp": "10,00" is not an amount',
    );
    const voucher = ['#VER A 1 20260203 x', '{', '#TRANS 1910 {} 0', '}'];
    expect(() => readSie4(file(...head, ...voucher, ...voucher))).toThrow('voucher A 1 appears twice');
  });
});

describe('GBAT10 writer details', () => {
  const context = { generatedAt: EXPORT_NOW, program: EXPORT_PROGRAM };
  const sale: Voucher['lines'][number] = {
    key: 'sales_25',
    role: 'entry',
    account: '3000',
    vatCode: '3',
    amount: ore(-8000),
    impliedVat: ore(-2000),
    department: null,
    text: 'Salg; 25 %',
  };
  const cash: Voucher['lines'][number] = {
    ...sale,
    key: 'cash',
    account: '1900',
    vatCode: null,
    amount: ore(10000),
    impliedVat: ore(0),
    text: 'Kontant',
  };

  it('strips ";" and line breaks from texts', () => {
    expect(gbatText('a;b\r\nc  d')).toBe('a b c d');
  });

  it('writes the F lines on the configured VAT accounts with the configured no-VAT code', () => {
    const settings = gbat10SettingsSchema.parse({ vatAccounts: { '3': '2710' }, noVatCode: '1' });
    const lines = gbat10Format.render([numbered({ lines: [cash, sale] }, 77)], settings, context);
    expect(lines).toEqual([
      'GBAT10;77;20260203;6;2;2026;1900;1;100.00;;;;;;;;;;;;Kontant Z9',
      'GBAT10;77;20260203;6;2;2026;3000;3;-80.00;;;;;;;;;;;;Salg 25 % Z9;;;;;;T;-100.00',
      'GBAT10;77;20260203;6;2;2026;2710;1;-20.00;;;;;;;;;;;;Utgående mva 25 % Z9;;;;;;F',
    ]);
    expect(readGbat10(encodeLines(lines, '\r\n', 'iso-8859-1'))).toHaveLength(1);
  });

  it('with the default settings every voucher balances on the net (field 8) and the gross amounts alike', () => {
    const vouchers = [numbered({ lines: [cash, sale] }, 1)];
    const files = [
      gbat10Format.render(vouchers, gbat10SettingsSchema.parse({}), context),
      duettFormat.render(vouchers, duettSettingsSchema.parse({}), context),
    ];
    for (const lines of files) {
      const [voucher] = readGbat10(encodeLines(lines, '\r\n', 'iso-8859-1'));
      expect(sum(voucher!.postings.map((posting) => posting.amount))).toBe(0);
      expect(sum(voucher!.postings.map(effectiveAmount))).toBe(0);
      expect(lines.at(-1)).toBe('GBAT10;1;20260203;6;2;2026;2700;0;-20.00;;;;;;;;;;;;Utgående mva 25 % Z9;;;;;;F');
    }
  });

  it('never writes a voucher that does not balance on both columns', () => {
    const settings = gbat10SettingsSchema.parse({});
    const short = { ...cash, amount: ore(9000) };
    expect(() => gbat10Format.render([numbered({ lines: [short, sale] }, 5)], settings, context)).toThrow(
      'GBAT10 voucher 5 does not balance: the net amounts (field 8) sum to -10.00, the gross amounts to -10.00',
    );
    // Sales 25 % whose VAT (code 6) has no output-VAT account: refused by the format, and the writer still checks.
    const unknownCode = { ...sale, vatCode: '6' };
    const voucher = numbered({ lines: [cash, unknownCode] }, 6);
    expect(gbat10Format.refusals(voucher.voucher, settings)).toEqual([
      'VAT code "6" has no output-VAT account (setting vatAccounts)',
    ]);
    expect(() => gbat10Format.render([voucher], settings, context)).toThrow(
      'the net amounts (field 8) sum to 20.00, the gross amounts to 0.00',
    );
  });

  it('refuses an unbalanced voucher and shifted columns, naming the line', () => {
    const bytes = (...lines: string[]): Buffer => Buffer.from(lines.join('\r\n'), 'latin1');
    expect(() =>
      readGbat10(
        bytes('GBAT10;1;20260203;6;2;2026;1900;0;10.00', 'GBAT10;1;20260203;6;2;2026;3000;0;-9.00'),
        'iso-8859-1',
        'g.csv',
      ),
    ).toThrow('g.csv: voucher 1: sums to 100 øre, not 0');
    // Balanced on the gross amounts only: a receiver importing without generating VAT would be off by the VAT.
    expect(() =>
      readGbat10(
        bytes(
          'GBAT10;2;20260203;6;2;2026;1900;0;10.00',
          'GBAT10;2;20260203;6;2;2026;3000;3;-8.00;;;;;;;;;;;;;;;;;;T;-10.00',
        ),
        'iso-8859-1',
        'g.csv',
      ),
    ).toThrow('g.csv: voucher 2, field "8": net amounts sum to 200 øre, not 0');
    expect(() => readGbat10(bytes('GBAT10;1;20260203;6;2;2026;Kontant;0;10.00'))).toThrow(
      'line 1, field "6": account "Kontant" is not an account number',
    );
  });
});
