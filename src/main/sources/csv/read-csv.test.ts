import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import iconv from 'iconv-lite';
import { describe, expect, it } from 'vitest';
import { formatAmount } from '../../../shared/money';
import { useTempHome } from '../../../../test/helpers/temp-home';
import type { SettlementDraft } from '../../domain/settlement';
import { SourceError } from '../source-error';
import { readCsvFile } from './read-csv';

const newHome = useTempHome();

function write(content: Buffer | string): string {
  const path = join(newHome(), 'oppgjor.csv');
  writeFileSync(path, content);
  return path;
}

function describeLines(draft: SettlementDraft): string[] {
  return draft.lines.map(
    (l) => `${l.key} ${formatAmount(l.amount)} vat ${formatAmount(l.vat)}${l.sourceCode ? ` (${l.sourceCode})` : ''}`,
  );
}

const SEMICOLON = [
  'location;register;number;kind;date;key;amount;vat;code',
  '1;10009;41;Z;2026-11-20;sales_25;"1 250,00";250,00;Varer 25 %',
  '1;10009;41;Z;2026-11-20;sales_15;115,00;15,00;Mat',
  '1;10009;41;Z;2026-11-20;card_integrated;1000,00;;BAX',
  '1;10009;41;Z;2026-11-20;cash;365,00;;Kontant',
  '1;10010;7;Z;2026-11-20;sales_0;0;0;',
].join('\r\n');

describe('readCsvFile', () => {
  it('reads ; separated rows with decimal comma, grouped into one settlement per report', () => {
    const { drafts } = readCsvFile(write(SEMICOLON));
    expect(drafts.map((d) => `${d.registerId} ${d.kind} ${d.reportNumber} ${d.businessDate}`)).toEqual([
      '10009 Z 41 2026-11-20',
      '10010 Z 7 2026-11-20',
    ]);
    expect(describeLines(drafts[0]!)).toEqual([
      'sales_25 1000.00 vat 250.00 (Varer 25 %)',
      'sales_15 100.00 vat 15.00 (Mat)',
      'card_integrated 1000.00 vat 0.00 (BAX)',
      'cash 365.00 vat 0.00 (Kontant)',
    ]);
    expect(drafts[0]!.warnings).toEqual([]);
  });

  it('reads , separated rows with decimal point, UTF-8 with BOM, and warns when a report does not balance', () => {
    const csv =
      '\uFEFFregister,number,date,key,amount,vat\n2,5,2026-11-21,sales_25,125.00,25.00\n2,5,2026-11-21,cash,120.00,\n';
    const { drafts } = readCsvFile(write(csv));
    expect(describeLines(drafts[0]!)).toEqual(['sales_25 100.00 vat 25.00', 'cash 120.00 vat 0.00']);
    expect(drafts[0]).toMatchObject({ location: '1', kind: 'Z', currency: 'NOK' });
    expect(drafts[0]!.warnings).toEqual(['debits and credits differ by -5.00 (rows from line 2)']);
  });

  it('reads Windows-1252 (Excel on Nordic Windows)', () => {
    const csv =
      'register;number;date;key;amount;code\n1;1;2026-11-21;cash;10,00;Kontant Bodø\n1;1;2026-11-21;sales_0;10,00;Øvrig\n';
    const { drafts } = readCsvFile(write(iconv.encode(csv, 'win1252')));
    expect(drafts[0]!.lines.map((l) => l.sourceCode)).toEqual(['Kontant Bodø', 'Øvrig']);
  });

  it('names file, line and field for bad rows', () => {
    const error = (content: string): SourceError => {
      try {
        readCsvFile(write(content));
      } catch (caught) {
        if (caught instanceof SourceError) return caught;
        throw caught;
      }
      throw new Error('expected a SourceError');
    };
    const header = 'register;number;date;key;amount\n';
    expect(error(`${header}1;1;2026-11-21;kort;10,00\n`).message).toMatch(
      /oppgjor\.csv: line 2, field "key": "kort" is not a settlement key/,
    );
    expect(error(`${header}1;1;2026-11-21;cash;10,005\n`).reason).toBe(
      '"10,005" is not an amount: more than two decimals (fractions of an øre)',
    );
    expect(error(`${header}1;1;21.11.2026;cash;10\n`).field).toBe('date');
    expect(error('register;date;key\n1;2026-11-21;cash\n').reason).toBe(
      'the header lacks the column(s) number, amount; see docs/sources.md',
    );
    expect(error(`${header}1;1;2026-11-21;cash;"10\n`).reason).toMatch(/^not valid CSV: /);
  });
});
