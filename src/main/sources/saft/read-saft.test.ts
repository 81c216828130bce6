import { closeSync, openSync, writeFileSync, writeSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { formatAmount } from '../../../shared/money';
import {
  generateSaft,
  OFFICIAL_EXAMPLE,
  plainEvent,
  registerClose,
  registerOpen,
  reportEvent,
  saftHead,
  saftTail,
  transaction,
  type ReportFixture,
  type TransactionFixture,
} from '../../../../test/fixtures/saft';
import { useTempHome } from '../../../../test/helpers/temp-home';
import type { SettlementDraft } from '../../domain/settlement';
import { SourceError } from '../source-error';
import { readSaftFile } from './read-saft';

const newHome = useTempHome();

function write(xml: string, name = 'saft.xml'): string {
  const path = join(newHome(), name);
  writeFileSync(path, xml);
  return path;
}

function lines(draft: SettlementDraft): string[] {
  return draft.lines.map(
    (line) =>
      `${line.key} ${formatAmount(line.amount)}${line.vat !== 0 ? ` vat ${formatAmount(line.vat)}` : ''} (${line.sourceCode})`,
  );
}

function readError(path: string): SourceError {
  try {
    readSaftFile(path);
  } catch (error) {
    if (error instanceof SourceError) return error;
    throw error;
  }
  throw new Error('expected a SourceError');
}

const zReport: ReportFixture = {
  kind: 'Z',
  id: '41',
  date: '2026-11-20',
  time: '21:30:00',
  total: '1250.00',
  vats: [
    { code: '3', perc: '25.00', net: '800.00', vat: '200.00' },
    { code: '31', perc: '15.00', net: '200.00', vat: '30.00' },
    { code: '5', perc: '0.00', net: '20.00', vat: '0.00' },
    { code: '33', perc: '12.00', net: '0.00', vat: '0.00' },
  ],
  payments: [
    { type: 'DEBCARD', amount: '1000.00' },
    { type: 'CASH', amount: '250.00' },
  ],
};

const sale: TransactionFixture = {
  id: '9001',
  date: '2026-11-20',
  time: '10:00:00',
  amountIn: '1250.00',
  type: 'C',
  lines: [
    { perc: '25.00', code: '3', base: '800.00', vat: '200.00', amountIn: '1000.00' },
    { perc: '15.00', code: '31', base: '200.00', vat: '30.00', amountIn: '230.00' },
    { perc: '0.00', code: '5', base: '20.00', vat: '0.00', amountIn: '20.00' },
  ],
  payments: [
    { type: 'DEBCARD', amount: '1000.00' },
    { type: 'CASH', amount: '250.00' },
  ],
};

function file(events: string, transactions = '', register = '10009'): string {
  return `${saftHead()}${registerOpen(register)}${events}${transactions}${registerClose}${saftTail}`;
}

describe('readSaftFile on the official example', () => {
  it('produces the Z report with sales per VAT rate, payments per type and the 0.40 cash rounding', () => {
    const { drafts, warnings } = readSaftFile(OFFICIAL_EXAMPLE);
    expect(warnings).toEqual([]);
    expect(drafts).toHaveLength(1);
    const [z] = drafts;
    expect(z).toMatchObject({
      source: 'saft',
      location: 'Location A: Shop Frogner',
      registerId: '11.222-33.44.567',
      kind: 'Z',
      reportNumber: '1',
      businessDate: '2020-01-01',
      closedAt: '2020-01-01T23:56:59',
      currency: 'NOK',
      warnings: [],
    });
    expect(lines(z!)).toEqual([
      'sales_15 89.38 vat 13.42 (2)',
      'sales_25 329.12 vat 82.28 (3)',
      'cash 295.00 (CASH)',
      'card_integrated 218.80 (DEBCARD)',
      'rounding -0.40 (sales-payments)',
    ]);
  });
});

describe('readSaftFile on a generated shop', () => {
  it('reads the same settlements as the golden file, byte for byte', async () => {
    const path = join(newHome(), 'generated.xml');
    const fd = openSync(path, 'w');
    generateSaft((text) => writeSync(fd, text), { days: 30, receiptsPerDay: 12, seed: 7 });
    closeSync(fd);
    const { drafts, warnings } = readSaftFile(path);
    // One settlement per line, so a difference shows which report changed.
    const text = [...drafts, { warnings }]
      .map((item) => JSON.stringify(item))
      .join('\n')
      .replaceAll(path, 'generated.xml');
    // Written by the reader before its speed-up; `vitest -u` rewrites it.
    await expect(text).toMatchFileSnapshot('../../../../test/golden/saft/generated-settlements.txt');
  });
});

describe('readSaftFile on crafted files', () => {
  it('reads Z and X reports of two registers, skipping all-zero VAT rows and "None" payment rows', () => {
    const xml = `${saftHead()}${registerOpen('10009')}${plainEvent('DRAWOPEN', '2026-11-20', '09:00:00')}${reportEvent({ ...zReport, kind: 'X', id: '40', time: '14:00:00' })}${reportEvent(zReport)}${transaction(sale)}${registerClose}${registerOpen('10010')}${reportEvent({ kind: 'Z', id: '7', date: '2026-11-20', total: '0.00', vats: [{ code: '3', perc: '25.00', net: '0.00', vat: '0.00' }], payments: [] }, '10010')}${registerClose}${saftTail}`;
    const { drafts } = readSaftFile(write(xml));
    expect(drafts.map((d) => `${d.registerId} ${d.kind} ${d.reportNumber} ${d.lines.length} lines`)).toEqual([
      '10009 X 40 5 lines',
      '10009 Z 41 5 lines',
      '10010 Z 7 0 lines',
    ]);
    const z = drafts[1]!;
    expect(lines(z)).toEqual([
      'sales_25 800.00 vat 200.00 (3)',
      'sales_15 200.00 vat 30.00 (31)',
      'sales_0 20.00 (5)',
      'card_integrated 1000.00 (DEBCARD)',
      'cash 250.00 (CASH)',
    ]);
    expect(z.warnings).toEqual([]);
    expect(drafts[2]!.warnings).toEqual([]);
  });

  it('warns on the settlement when the Z totals differ from its receipts', () => {
    const short = {
      ...sale,
      lines: sale.lines.slice(0, 1),
      amountIn: '1000.00',
      payments: [{ type: 'DEBCARD', amount: '1000.00' }],
    };
    const { drafts } = readSaftFile(write(file(reportEvent(zReport), transaction(short))));
    expect(drafts[0]!.warnings).toEqual([
      'sales at 15 %: the Z report says net 200.00 VAT 30.00, the receipts add up to net 0.00 VAT 0.00',
      'sales at 0 %: the Z report says net 20.00 VAT 0.00, the receipts add up to net 0.00 VAT 0.00',
      'payments CASH: the Z report says 250.00, the receipts add up to 0.00',
    ]);
  });

  it('leaves void receipts out of the cross-check and counts a refund with its written sign', () => {
    const refund: TransactionFixture = {
      id: '9002',
      date: '2026-11-20',
      time: '11:00:00',
      amountIn: '-125.00',
      type: 'D',
      lines: [{ perc: '25.00', code: '3', base: '-100.00', vat: '-25.00', amountIn: '-125.00' }],
      payments: [{ type: 'DEBCARD', amount: '-125.00' }],
    };
    const report: ReportFixture = {
      ...zReport,
      total: '1125.00',
      vats: [
        { code: '3', perc: '25.00', net: '700.00', vat: '175.00' },
        { code: '31', perc: '15.00', net: '200.00', vat: '30.00' },
        { code: '5', perc: '0.00', net: '20.00', vat: '0.00' },
      ],
      payments: [
        { type: 'DEBCARD', amount: '875.00' },
        { type: 'CASH', amount: '250.00' },
      ],
    };
    const voided = { ...sale, id: '9003', void: true };
    const { drafts } = readSaftFile(
      write(file(reportEvent(report), transaction(sale) + transaction(refund) + transaction(voided))),
    );
    expect(drafts[0]!.warnings).toEqual([]);
    expect(lines(drafts[0]!)[0]).toBe('sales_25 700.00 vat 175.00 (3)');
  });

  it('flags amounts whose C/D type disagrees with the written sign instead of guessing', () => {
    const danish = { ...sale, type: 'D' as const };
    const { drafts } = readSaftFile(write(file(reportEvent(zReport), transaction(danish))));
    expect(drafts[0]!.warnings).toEqual([
      '4 amounts have a C/D type that disagrees with their written sign (first: transaction 9001 (line 32)); read as written',
    ]);
  });

  it('assigns receipts after midnight to the Z that closed them, and several Z reports a day to their own periods', () => {
    const early = { ...zReport, id: '1', time: '12:00:00' };
    const late = { ...zReport, id: '2', date: '2026-11-21', time: '00:30:00' };
    const afterMidnight = { ...sale, id: '2', date: '2026-11-21', time: '00:10:00' };
    const { drafts } = readSaftFile(
      write(file(reportEvent(early) + reportEvent(late), transaction(sale) + transaction(afterMidnight))),
    );
    expect(drafts.map((d) => d.warnings)).toEqual([[], []]);
  });

  it('posts a large sales − payments difference as cash difference, with a warning', () => {
    const report = {
      ...zReport,
      payments: [
        { type: 'DEBCARD', amount: '1000.00' },
        { type: 'CASH', amount: '240.00' },
      ],
    };
    const { drafts } = readSaftFile(write(file(reportEvent(report))));
    expect(lines(drafts[0]!).at(-1)).toBe('difference -10.00 (sales-payments)');
    expect(drafts[0]!.warnings).toContain(
      'payments 1240.00 differ from sales 1250.00 by -10.00; posted as cash difference',
    );
  });

  it('recognises a Danish-style "X-report" and warns when the event type says otherwise', () => {
    const { drafts } = readSaftFile(
      write(file(reportEvent({ ...zReport, eventType: 'ZREP', reportType: 'X-report' }))),
    );
    expect(drafts[0]!.kind).toBe('X');
    expect(drafts[0]!.warnings?.[0]).toBe(
      'event type ZREP resolves to a Z report but the eventReport says X; read as X',
    );
  });

  it('decodes the encoding the XML declaration names (ISO-8859-1)', () => {
    const xml = file(reportEvent(zReport))
      .replace('encoding="UTF-8"', 'encoding="ISO-8859-1"')
      .replace('Butikk Sentrum', 'Butikk Tromsø');
    const path = join(newHome(), 'latin1.xml');
    writeFileSync(path, Buffer.from(xml, 'latin1'));
    expect(readSaftFile(path).drafts[0]!.location).toBe('Butikk Tromsø');
  });

  it('rebuilds a Z event without an eventReport from the receipts of its period', () => {
    const { drafts, warnings } = readSaftFile(
      write(file(plainEvent('ZREP', '2026-11-20', '22:00:00'), transaction(sale))),
    );
    expect(warnings).toEqual([]);
    expect(drafts[0]).toMatchObject({
      kind: 'Z',
      businessDate: '2026-11-20',
      reportNumber: expect.stringMatching(/^\d+$/),
    });
    expect(lines(drafts[0]!)).toEqual([
      'sales_25 800.00 vat 200.00 (25.00)',
      'sales_15 200.00 vat 30.00 (15.00)',
      'sales_0 20.00 (0.00)',
      'card_integrated 1000.00 (DEBCARD)',
      'cash 250.00 (CASH)',
    ]);
    expect(drafts[0]!.warnings).toEqual([
      'the Z event has no eventReport; its totals are built from the 1 receipts of its period (number = eventID)',
    ]);
  });

  it('warns about tips and pay-outs that are not posted', () => {
    const extra = '<reportTip><tipNum>1</tipNum><tipAmnt>50.00</tipAmnt></reportTip>';
    const { drafts } = readSaftFile(write(file(reportEvent({ ...zReport, extra }))));
    expect(drafts[0]!.warnings).toContain('the report lists tips of 50.00, which are not posted separately');
  });
});

describe('readSaftFile refuses bad input with file, line and field', () => {
  it('an unknown payment code', () => {
    const report = { ...zReport, payments: [{ type: 'GIFT', amount: '1250.00' }] };
    const error = readError(write(file(reportEvent(report))));
    expect(error.field).toBe('paymentType');
    expect(error.location).toBe('line 25');
    expect(error.reason).toBe('payment code "GIFT" in Z report 41 is not defined in company/basics (basicType 12)');
  });

  it('a SAF-T payment code without a settlement key', () => {
    const report = { ...zReport, payments: [{ type: 'PANT', amount: '1250.00' }] };
    expect(readError(write(file(reportEvent(report)))).reason).toBe(
      'payment code "PANT" (12008 bottle deposit) has no settlement key; map it with "kassebro sources map-payment PANT KEY"',
    );
  });

  it('a VAT rate with no sales key', () => {
    const report = { ...zReport, vats: [{ code: '32', perc: '11.11', net: '100.00', vat: '11.11' }] };
    expect(readError(write(file(reportEvent(report)))).reason).toBe('VAT rate "11.11" (VAT code 32) has no sales key');
  });

  it('an amount with three decimals', () => {
    const error = readError(write(file(reportEvent({ ...zReport, total: '12.345' }))));
    expect(error.field).toBe('totalCashSaleAmnt');
    expect(error.reason).toContain('more than two decimals');
  });

  it('mismatched tags, with line and column', () => {
    const error = readError(write(file(reportEvent(zReport)).replace('</reportDate>', '</reportdate>')));
    expect(error.message).toMatch(/saft\.xml: line 22, column 48: XML is not well-formed: unexpected close tag/);
  });

  it('a truncated file', () => {
    const xml = file(reportEvent(zReport), transaction(sale));
    expect(readError(write(xml.slice(0, Math.floor(xml.length * 0.7)))).reason).toMatch(
      /^XML is not well-formed: unclosed tag/,
    );
  });

  it('a file that is not SAF-T Cash Register', () => {
    expect(
      readError(write('<?xml version="1.0"?><AuditFile xmlns="urn:StandardAuditFile-Taxation-Financial:NO"/>')).reason,
    ).toBe(
      'not a SAF-T Cash Register file: root is <AuditFile> in "urn:StandardAuditFile-Taxation-Financial:NO", expected <auditfile> in "urn:StandardAuditFile-Taxation-CashRegister:NO"',
    );
  });

  it('a report or receipt missing a part the XSD requires', () => {
    const noVat = file(reportEvent(zReport)).replace(/<reportCashSalesVat>.*<\/reportCashSalesVat>/, '');
    expect(readError(write(noVat)).reason).toBe('XSD: the eventReport opened on line 20 has no <reportCashSalesVat>');
    const noDate = file(reportEvent(zReport), transaction(sale)).replace(/<transDate>[^<]*<\/transDate>/, '');
    expect(readError(write(noDate)).reason).toBe('XSD: the cashtransaction opened on line 32 has no <transDate>');
  });

  it('an event after a cashtransaction (XSD order)', () => {
    expect(readError(write(file(transaction(sale) + reportEvent(zReport)))).reason).toBe(
      'XSD order: an <event> after a <cashtransaction> in the same cashregister',
    );
  });
});

describe('readSaftFile refuses impossible values and hostile shapes', () => {
  const base = (): string => file(reportEvent(zReport), transaction(sale));
  /** The line where `marker` is written last. */
  const lineOf = (xml: string, marker: string): number => xml.slice(0, xml.lastIndexOf(marker)).split('\n').length;
  const huge = 'x'.repeat(1.5 * 1024 * 1024);
  const bigPayment = { type: 'DEBCARD', amount: '40000000000.00' };
  const bigSale = (id: string): string =>
    transaction({
      ...sale,
      id,
      amountIn: '60000000000.00',
      lines: [{ perc: '25.00', code: '3', base: '48000000000.00', vat: '12000000000.00', amountIn: '60000000000.00' }],
      payments: [{ type: 'DEBCARD', amount: '60000000000.00' }],
    });
  const cases: {
    readonly name: string;
    readonly xml: () => string;
    /** Where the error is raised: the line where this text is written last. */
    readonly at: string;
    readonly field: string | null;
    readonly reason: string;
  }[] = [
    {
      name: 'a report date that is not on the calendar',
      xml: () => base().replace('<reportDate>2026-11-20', '<reportDate>2026-02-30'),
      at: '</eventReport>',
      field: 'reportDate',
      reason: '"2026-02-30" is not a calendar date YYYY-MM-DD',
    },
    {
      name: 'a receipt dated 29 February of a common year',
      xml: () => base().replace('<transDate>2026-11-20', '<transDate>2026-02-29'),
      at: '</cashtransaction>',
      field: 'transDate',
      reason: '"2026-02-29" is not a calendar date YYYY-MM-DD',
    },
    {
      name: 'a Z event without report dated in month 13',
      xml: () => file(plainEvent('ZREP', '2026-13-01', '22:00:00'), transaction(sale)),
      at: '</event>',
      field: 'eventDate',
      reason: '"2026-13-01" is not a calendar date YYYY-MM-DD',
    },
    {
      name: 'a report time that is not a time',
      xml: () => base().replace('<reportTime>21:30:00', '<reportTime>banana'),
      at: '</eventReport>',
      field: 'reportTime',
      reason: '"banana" is not a time hh:mm:ss',
    },
    {
      name: 'a receipt at 25 o’clock',
      xml: () => base().replace('<transTime>10:00:00', '<transTime>25:00:00'),
      at: '</cashtransaction>',
      field: 'transTime',
      reason: '"25:00:00" is not a time hh:mm:ss',
    },
    {
      name: 'a cashregister without registerID',
      xml: () => base().replace('<registerID>10009</registerID>\n', ''),
      at: '</cashregister>',
      field: 'registerID',
      reason: `XSD: the cashregister opened on line ${lineOf(base(), '<cashregister>')} has no <registerID>`,
    },
    {
      name: 'an amount beyond 10^13 øre',
      xml: () => base().replace('<totalCashSaleAmnt>1250.00', '<totalCashSaleAmnt>100000000000.01'),
      at: '<totalCashSaleAmnt>',
      field: 'totalCashSaleAmnt',
      reason: '"100000000000.01" is more than ±100000000000.00, the most a SAF-T amount or sum may be',
    },
    {
      name: 'VAT rows whose sum is not a safe integer (a RangeError before)',
      xml: () =>
        file(
          reportEvent({
            ...zReport,
            vats: [
              { code: '3', perc: '25.00', net: '50000000000000.00', vat: '0.00' },
              { code: '3', perc: '25.00', net: '50000000000000.00', vat: '0.00' },
            ],
          }),
        ),
      at: '<reportCashSalesVat>',
      field: 'cashSaleAmnt',
      reason: '"50000000000000.00" is more than ±100000000000.00, the most a SAF-T amount or sum may be',
    },
    {
      name: 'report payments that add up beyond 10^13 øre',
      xml: () => file(reportEvent({ ...zReport, payments: [bigPayment, bigPayment, bigPayment] })),
      at: '<reportPayments>',
      field: 'paymentAmnt',
      reason: 'the paymentAmnt amounts add up to more than ±100000000000.00, the most a SAF-T amount or sum may be',
    },
    {
      name: 'receipts of one Z that add up beyond 10^13 øre',
      xml: () => file(reportEvent(zReport), bigSale('1') + bigSale('2')),
      at: '</cashtransaction>',
      field: 'paidAmnt',
      reason: 'the paidAmnt amounts add up to more than ±100000000000.00, the most a SAF-T amount or sum may be',
    },
    {
      name: 'a text longer than 1 MiB',
      xml: () => base().replace('<companyName>Butikken AS', `<companyName>${huge}`),
      at: '<companyName>x',
      field: null,
      reason: 'a text, attribute value, comment or CDATA section longer than 1048576 characters',
    },
    {
      name: 'an attribute value longer than 1 MiB',
      xml: () => base().replace('<company>', `<company note="${huge}">`),
      at: '<company ',
      field: null,
      reason: 'a text, attribute value, comment or CDATA section longer than 1048576 characters',
    },
    {
      name: 'a comment longer than 1 MiB, full of "<"',
      xml: () => base().replace('<company>', `<company><!-- ${'<'.repeat(1.5 * 1024 * 1024)} -->`),
      at: '<company>',
      field: null,
      reason: 'a text, attribute value, comment or CDATA section longer than 1048576 characters',
    },
  ];

  for (const { name, xml, at, field, reason } of cases) {
    it(name, () => {
      const text = xml();
      const error = readError(write(text));
      expect({ field: error.field, reason: error.reason }).toEqual({ field, reason });
      expect(error.location).toMatch(new RegExp(`^line ${lineOf(text, at)}\\b`));
    });
  }

  it('200 000 nested elements, in well under a second', () => {
    const depth = 200_000;
    const path = write(
      `<auditfile xmlns="urn:StandardAuditFile-Taxation-CashRegister:NO">\n${'<a>'.repeat(depth)}${'</a>'.repeat(depth)}</auditfile>`,
    );
    const started = performance.now();
    const error = readError(path);
    expect(performance.now() - started).toBeLessThan(1000);
    expect(error.location).toMatch(/^line 2, column \d+$/);
    expect(error.reason).toBe('elements nested more than 64 deep; SAF-T Cash Register needs about 10');
  });
});
