import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  DEFAULT_BASICS,
  registerClose,
  registerOpen,
  reportEvent,
  saftHead,
  saftTail,
  transaction,
} from '../../../../test/fixtures/saft';
import { useTempHome } from '../../../../test/helpers/temp-home';
import { readSaftInvoices } from './read-saft-invoices';

const newHome = useTempHome();

const CUSTOMERS = `<customersSuppliers><customerSupplier><custSupID>K100</custSupID><custSupName>Fjord Bygg AS</custSupName><custSupType>Customer</custSupType>
  <eMail>faktura@fjordbygg.no</eMail><taxRegIdent>923609016MVA</taxRegIdent>
  <streetAddress><streetname>Kaigata</streetname><number>2</number><city>Bergen</city><postalCode>5003</postalCode><country>NO</country></streetAddress>
</customerSupplier></customersSuppliers>`;

function creditSale(id: string, invoiceId: string, customer = 'K100'): string {
  return transaction({
    id,
    date: '2026-11-20',
    time: '12:00:00',
    amountIn: '1115.00',
    type: 'C',
    lines: [
      { perc: '25.00', code: '3', base: '800.00', vat: '200.00', amountIn: '1000.00' },
      { perc: '15.00', code: '31', base: '100.00', vat: '15.00', amountIn: '115.00' },
    ],
    payments: [{ type: 'KUNDE', amount: '1115.00' }],
  })
    .replace('<transType>CASHSAL</transType>', '<transType>CREDSAL</transType>')
    .replace(
      '<transTime>12:00:00</transTime>',
      `<transTime>12:00:00</transTime><custSupID>${customer}</custSupID><invoiceID>${invoiceId}</invoiceID>`,
    );
}

function file(creditSalesTotal: string, customer = 'K100'): string {
  const basics = [...DEFAULT_BASICS, ['11', 'CREDSAL', '11002'], ['12', 'KUNDE', '12006']] as const;
  const xml =
    saftHead(basics).replace(
      '<companyName>Butikken AS</companyName>',
      `<companyName>Butikken AS</companyName>${CUSTOMERS}`,
    ) +
    registerOpen('10009') +
    reportEvent({
      kind: 'Z',
      id: '412',
      date: '2026-11-20',
      total: '1115.00',
      vats: [{ code: '3', perc: '25.00', net: '800.00', vat: '200.00' }],
      payments: [{ type: 'KUNDE', amount: '1115.00' }],
      extra: `<reportCreditSales><creditSalesNum>1</creditSalesNum><creditSalesAmnt>${creditSalesTotal}</creditSalesAmnt></reportCreditSales>`,
    }) +
    creditSale('T1', '6001', customer) +
    transaction({
      id: 'T2',
      date: '2026-11-20',
      time: '13:00:00',
      amountIn: '50.00',
      type: 'C',
      lines: [{ perc: '25.00', code: '3', base: '40.00', vat: '10.00', amountIn: '50.00' }],
      payments: [{ type: 'CASH', amount: '50.00' }],
    }) +
    registerClose +
    saftTail;
  const path = join(newHome(), 'saft.xml');
  writeFileSync(path, xml);
  return path;
}

describe('SAF-T credit sales as invoice sales', () => {
  it('reads credit-sale transactions with their customer (org. number from taxRegIdent) and checks the Z total', () => {
    const { invoices, warnings } = readSaftInvoices(file('1115.00'));
    expect(warnings).toEqual([]);
    expect(invoices).toHaveLength(1);
    expect(invoices[0]).toMatchObject({
      source: 'saft',
      location: 'Butikk Sentrum',
      registerId: '10009',
      businessDate: '2026-11-20',
      posNumber: '6001',
      dueDate: '2026-12-04',
      customer: {
        name: 'Fjord Bygg AS',
        organizationNumber: '923609016',
        customerNumber: 'K100',
        email: 'faktura@fjordbygg.no',
        address: { street: 'Kaigata 2', postalCode: '5003', city: 'Bergen', country: 'NO' },
      },
    });
    expect(invoices[0]?.lines.map((line) => [line.vatRateBp, line.net, line.vat])).toEqual([
      [2500, 80_000, 20_000],
      [1500, 10_000, 1_500],
    ]);
    expect(readSaftInvoices(file('1200.00')).warnings).toEqual([
      'register 10009 2026-11-20: the Z-report lists credit sales of 1200.00, the credit-sale transactions add up to 1115.00',
    ]);
  });

  it('names the transaction and field when the customer is unknown', () => {
    expect(() => readSaftInvoices(file('1115.00', 'K999'))).toThrow(
      /saft\.xml: line \d+, field "custSupID": credit sale T1 names customer "K999", who is not in customersSuppliers/,
    );
  });

  it('refuses a credit sale on a day that is not on the calendar, naming the field', () => {
    const path = file('1115.00');
    writeFileSync(path, readFileSync(path, 'utf8').replace('<transDate>2026-11-20', '<transDate>2026-02-30'));
    expect(() => readSaftInvoices(path)).toThrow(
      /saft\.xml: line \d+, field "transDate": "2026-02-30" is not a calendar date YYYY-MM-DD/,
    );
  });

  it('refuses 200 000 nested elements in well under a second', () => {
    const depth = 200_000;
    const path = join(newHome(), 'deep.xml');
    writeFileSync(
      path,
      `<auditfile xmlns="urn:StandardAuditFile-Taxation-CashRegister:NO">${'<a>'.repeat(depth)}${'</a>'.repeat(depth)}</auditfile>`,
    );
    const started = performance.now();
    expect(() => readSaftInvoices(path)).toThrow(/deep\.xml: line 1, column \d+: elements nested more than 64 deep/);
    expect(performance.now() - started).toBeLessThan(1000);
  });
});
