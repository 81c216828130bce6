import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { useTempHome } from '../../../../test/helpers/temp-home';
import { SourceError } from '../source-error';
import { readInvoiceCsv } from './read-invoice-csv';

const newHome = useTempHome();

const HEADER =
  'invoice;register;date;due_date;customer_name;org_number;customer_number;email;street;postal_code;city;kind;description;article_group;vat_rate;net;vat';
const ROWS = [
  '6001;10009;2026-11-20;2026-12-04;Fjord Bygg AS;923 609 016;2001;faktura@fjordbygg.no;Kaigata 2;5003;Bergen;goods;Varer;04003;25;800,00;200,00',
  '6001;10009;2026-11-20;2026-12-04;Fjord Bygg AS;923 609 016;2001;faktura@fjordbygg.no;Kaigata 2;5003;Bergen;fee;Fakturagebyr;;25 %;39,00;9,75',
  '6002;10010;2026-11-20;;Kari Nordmann;;;kari@example.no;;;;goods;Mat;04006;15;100,00;15,00',
];

function csv(rows: string[]): string {
  const path = join(newHome(), 'invoices.csv');
  writeFileSync(path, [HEADER, ...rows].join('\r\n'));
  return path;
}

function failure(rows: string[]): SourceError {
  try {
    readInvoiceCsv(csv(rows));
  } catch (error) {
    if (error instanceof SourceError) return error;
    throw error;
  }
  throw new Error('expected a SourceError');
}

describe('invoice CSV', () => {
  it('groups rows into invoices, øre exact, organisation number without spaces, due date defaulted', () => {
    const [first, second] = readInvoiceCsv(csv(ROWS));
    expect(first).toMatchObject({
      posNumber: '6001',
      registerId: '10009',
      businessDate: '2026-11-20',
      issueDate: '2026-11-20',
      dueDate: '2026-12-04',
      customer: {
        name: 'Fjord Bygg AS',
        organizationNumber: '923609016',
        customerNumber: '2001',
        address: { street: 'Kaigata 2', postalCode: '5003', city: 'Bergen', country: 'NO' },
      },
    });
    expect(first?.lines.map((line) => [line.kind, line.vatRateBp, line.net, line.vat])).toEqual([
      ['goods', 2500, 80_000, 20_000],
      ['fee', 2500, 3_900, 975],
    ]);
    expect(second).toMatchObject({ dueDate: '2026-12-04', customer: { address: null, email: 'kari@example.no' } });
  });

  it('names file, line and column for a bad amount, a bad rate, a changed header field and a bad e-mail', () => {
    expect(failure([ROWS[0]!.replace('800,00', '800,001')]).message).toMatch(
      /invoices\.csv: line 2, field "net": "800,001" is not an amount: more than two decimals/,
    );
    expect(failure([ROWS[0]!.replace(';25;', ';24;')]).message).toMatch(
      /line 2, field "vat_rate": "24" is not 0, 12, 15 or 25/,
    );
    expect(failure([ROWS[0]!, ROWS[1]!.replace('2026-12-04', '2026-12-05')]).message).toMatch(
      /line 3, field "due_date": invoice 6001 began on line 2 with due_date "2026-12-04"/,
    );
    expect(failure([ROWS[2]!.replace('kari@example.no', 'kari-at-example')]).message).toMatch(
      /line 2 \(invoice 6002\), field "email": not an e-mail address/,
    );
    expect(failure([ROWS[2]!.replace(';15;100,00;15,00', ';0;100,00;15,00')]).message).toMatch(
      /line 2 \(invoice 6002\), field "vat": a 0 % line has no VAT/,
    );
    const path = join(newHome(), 'bad.csv');
    writeFileSync(path, 'invoice;register;date\n1;2;2026-01-01');
    expect(() => readInvoiceCsv(path)).toThrow(
      /line 1, field "customer_name": the header lacks the column\(s\) customer_name/,
    );
  });
});
