import { describe, expect, it } from 'vitest';
import { invoiceLine, invoiceSale } from '../../../test/fixtures/invoices';
import { line, norwegianDay } from '../../../test/fixtures/settlements';
import { ore } from '../../shared/money';
import { describeProblem } from '../../shared/problems';
import { PRESETS } from '../mapping/presets';
import { buildVoucher, DEFAULT_RESIDUAL_LIMITS } from '../vouchers/build';
import type { InvoiceConnector } from '../connectors/invoice-connector';
import { openDatabase } from '../store/database';
import { doubleBookingReason, INVOICES_OFF, type InvoiceConfig } from './config';
import { runInvoiceSync } from './sync';
import { customerQueries } from './customers';
import { customerKey, invoiceSaleSchema, invoiceTotals } from './invoice';
import { targetLines, vatDrift } from './target-lines';
import { clearInvoiceSales } from './z-clearing';

describe('invoice sale', () => {
  it('totals net, VAT and revenue per rate in øre; tips are not revenue', () => {
    const sale = invoiceSale({
      lines: [...invoiceSale().lines, invoiceLine('50.00', '0', 0, { kind: 'tip', description: 'Tips' })],
    });
    const totals = invoiceTotals(sale);
    expect(totals.net).toBe(98_900);
    expect(totals.vat).toBe(22_475);
    expect(totals.gross).toBe(121_375);
    expect(totals.tips).toBe(5_000);
    expect(Object.fromEntries(totals.revenueByRate)).toEqual({
      2500: { net: 83_900, vat: 20_975 },
      1500: { net: 10_000, vat: 1_500 },
    });
  });

  it('refuses a tip with VAT, a 0 % line with VAT and a bad organisation number, naming the field', () => {
    const bad = invoiceSaleSchema.safeParse({
      ...invoiceSale(),
      customer: { ...invoiceSale().customer, organizationNumber: '92360901' },
    });
    expect(bad.error?.issues[0]).toMatchObject({
      path: ['customer', 'organizationNumber'],
      message: 'an organisation number has nine digits',
    });
    const tip = invoiceSaleSchema.safeParse({
      ...invoiceSale(),
      lines: [invoiceLine('10.00', '2.50', 2500, { kind: 'tip' })],
    });
    expect(tip.error?.issues[0]).toMatchObject({ path: ['lines', 0, 'vatRateBp'], message: 'a tip carries no VAT' });
    const zero = invoiceSaleSchema.safeParse({ ...invoiceSale(), lines: [invoiceLine('10.00', '1.00', 0)] });
    expect(zero.error?.issues[0]).toMatchObject({ path: ['lines', 0, 'vat'], message: 'a 0 % line has no VAT' });
  });

  it('knows a customer by organisation number, then customer number, then e-mail', () => {
    const customer = invoiceSale().customer;
    expect(customerKey(customer)).toBe('org:923609016');
    expect(customerKey({ ...customer, organizationNumber: null })).toBe('pos:2001');
    expect(customerKey({ ...customer, organizationNumber: null, customerNumber: null })).toBe(
      'mail:faktura@fjordbygg.no',
    );
    expect(customerQueries(customer, '100000').map((query) => `${query.field}=${query.value}`)).toEqual([
      'organization_number=923609016',
      'customer_number=100000',
      'customer_number=2001',
      'email=faktura@fjordbygg.no',
    ]);
  });

  it('sends net prices to a net target and gross to a gross target, so VAT is added exactly once', () => {
    const sale = invoiceSale();
    expect(targetLines(sale, 'net').map((item) => [item.productNumber, item.vatCode, item.price])).toEqual([
      ['KB-VARE-25', '3', 80_000],
      ['KB-VARE-15', '31', 10_000],
      ['KB-GEBYR-25', '3', 3_900],
    ]);
    expect(targetLines(sale, 'gross').map((item) => item.price)).toEqual([100_000, 11_500, 4_875]);
    expect(vatDrift(sale)).toEqual([]);
    // 0.05 net at 25 % is 0.0125 VAT: a target computing from net says 0.01; the POS said 0.02.
    expect(vatDrift({ lines: [invoiceLine('0.05', '0.02', 2500)] })).toEqual([1]);
  });
});

describe('Z-report with invoice sales', () => {
  const day = () =>
    norwegianDay({
      lines: [
        ...norwegianDay().lines.filter((item) => item.key !== 'cash'),
        line('cash', '186.25'),
        line('invoice', '1163.75'),
      ],
    });
  const build = (settlement: ReturnType<typeof day>) =>
    buildVoucher(settlement, PRESETS['no-standard'].kontooppsett, {
      vatStyle: { kind: 'code-on-line', amountBasis: 'gross' },
      language: 'nb',
      chart: null,
      ...DEFAULT_RESIDUAL_LIMITS,
    });

  it('moves invoice revenue off the sales keys and clears 1530, so nothing is booked twice', () => {
    const plain = build(day()).voucher!;
    expect(plain.lines.find((item) => item.account === '1530')?.amount).toBe(116_375);
    const cleared = clearInvoiceSales(day(), [invoiceSale()]);
    expect(cleared.clearingOpen).toBe(0);
    const voucher = build(cleared.settlement).voucher!;
    expect(voucher.lines.find((item) => item.account === '1530')).toBeUndefined();
    const byAccount = Object.fromEntries(voucher.lines.map((item) => [item.account, item.amount]));
    // 25 %: 8 750.00 gross − 1 048.75 invoiced; 15 %: 1 250.00 − 115.00.
    expect(byAccount['3000']).toBe(-770_125);
    expect(byAccount['3001']).toBe(-113_500);
    expect(byAccount['1920']).toBe(812_500);
  });

  it('leaves on 1530 what the POS reports paid by invoice but no invoice explains', () => {
    const cleared = clearInvoiceSales(day(), [invoiceSale({ lines: [invoiceLine('800.00', '200.00', 2500)] })]);
    expect(cleared.clearingOpen).toBe(ore(16_375));
    expect(build(cleared.settlement).voucher!.lines.find((item) => item.account === '1530')?.amount).toBe(16_375);
  });

  it('says why "include invoiced sales in the Z revenue" with invoice transfer double-books', () => {
    expect(doubleBookingReason({ ...INVOICES_OFF, enabled: true, zRevenue: 'clearing' }, 'en')).toBeNull();
    expect(doubleBookingReason({ ...INVOICES_OFF, enabled: false, zRevenue: 'include' }, 'en')).toBeNull();
    expect(doubleBookingReason({ ...INVOICES_OFF, enabled: true, zRevenue: 'include' }, 'nb')).toMatch(
      /bokført to ganger.*mvaen ville blitt innberettet dobbelt/,
    );
    const settlement = {
      id: 1,
      registerId: '10009',
      reportNumber: '33/10009',
      businessDate: '2026-11-20',
      kind: 'Z' as const,
    };
    expect(
      describeProblem(
        { code: 'invoice_double_booking', severity: 'error', settlement, amount: ore(116_375), invoiceCount: 1 },
        'en',
      ),
    ).toBe(
      'Report Z 33/10009 2026-11-20: 1 invoice sale(s) (1,163.75 kr) are sent as invoices while "include invoiced sales in the Z revenue" is on, so their revenue and VAT would be booked twice. Set the Z revenue to "clearing" (invoice sales then go to the invoice clearing account only) or turn invoice transfer off.',
    );
  });
});

describe('invoice sync refusals', () => {
  it('refuses a mode the target does not take, and the double-booking configuration, before sending anything', async () => {
    const db = openDatabase(':memory:');
    const connector = { lineBasis: 'net', modes: ['invoice-in-target'] } as unknown as InvoiceConnector;
    const run = (config: Partial<InvoiceConfig>) =>
      runInvoiceSync(db, {
        targetId: 't',
        connector,
        config: { ...INVOICES_OFF, enabled: true, ...config },
        language: 'en',
      });
    expect(await run({ mode: 'pos-issued' })).toEqual({
      outcome: 'refused',
      posted: 0,
      foundExisting: 0,
      failed: 0,
      reason: 'This accounting system takes invoices only as invoice-in-target, not pos-issued.',
    });
    expect((await run({ zRevenue: 'include' })).reason).toMatch(
      /^Invoice transfer is on while "include invoiced sales/,
    );
    db.close();
  });
});
