import { describe, expect, it } from 'vitest';
import { invoiceLine, invoiceSale, swedishInvoiceSale } from '../../../test/fixtures/invoices';
import { line, swedishDay } from '../../../test/fixtures/settlements';
import { TARGETS } from '../../shared/targets';
import { PRESETS } from '../mapping/presets';
import { buildVoucher, DEFAULT_RESIDUAL_LIMITS } from '../vouchers/build';
import { invoiceSaleSchema, invoiceTotals } from './invoice';
import { targetLines } from './target-lines';
import { clearInvoiceSales } from './z-clearing';

describe('invoice sales per country', () => {
  it('takes a Swedish sale: 25/12/6 % lines, an NNNNNN-NNNN organisation number, Swedish product names and momskoder', () => {
    const sale = invoiceSaleSchema.parse(swedishInvoiceSale());
    expect(Object.fromEntries(invoiceTotals(sale).revenueByRate)).toEqual({
      2500: { net: 83_900, vat: 20_975 },
      1200: { net: 10_000, vat: 1_200 },
      600: { net: 5_000, vat: 300 },
    });
    expect(targetLines(sale, 'net').map((item) => [item.productNumber, item.productName, item.vatCode])).toEqual([
      ['KB-VARE-25', 'Försäljning från kassa 25 % moms', 'MP1'],
      ['KB-VARE-12', 'Försäljning från kassa 12 % moms', 'MP2'],
      ['KB-VARE-6', 'Försäljning från kassa 6 % moms', 'MP3'],
      ['KB-GEBYR-25', 'Avgift 25 % moms', 'MP1'],
    ]);
    const tip = targetLines({ country: 'SE', lines: [invoiceLine('20.00', '0', 0, { kind: 'tip' })] }, 'net')[0];
    expect([tip?.productName, tip?.vatCode]).toEqual(['Dricks', '']);
  });

  it('refuses a 6 % line on a Norwegian sale and a 15 % line on a Swedish one, naming the line', () => {
    const norwegian = invoiceSaleSchema.safeParse(invoiceSale({ lines: [invoiceLine('50.00', '3.00', 600)] }));
    expect(norwegian.error?.issues).toEqual([
      expect.objectContaining({
        path: ['lines', 0, 'vatRateBp'],
        message: '6 % is not a Norwegian VAT rate (0, 12, 15, 25 %)',
      }),
    ]);
    const swedish = invoiceSaleSchema.safeParse(swedishInvoiceSale({ lines: [invoiceLine('100.00', '15.00', 1500)] }));
    expect(swedish.error?.issues).toEqual([
      expect.objectContaining({
        path: ['lines', 0, 'vatRateBp'],
        message: '15 % is not a Swedish VAT rate (0, 6, 12, 25 %)',
      }),
    ]);
  });

  it("checks the organisation number against the sale's country", () => {
    const customer = swedishInvoiceSale().customer;
    const nineDigits = invoiceSaleSchema.safeParse(
      swedishInvoiceSale({ customer: { ...customer, organizationNumber: '923609016' } }),
    );
    expect(nineDigits.error?.issues[0]).toMatchObject({
      path: ['customer', 'organizationNumber'],
      message: 'a Swedish organisation number is NNNNNN-NNNN (ten digits)',
    });
    const swedishOnNorwegian = invoiceSaleSchema.safeParse(
      invoiceSale({ customer: { ...invoiceSale().customer, organizationNumber: '559012-3456' } }),
    );
    expect(swedishOnNorwegian.error?.issues[0]?.message).toBe('an organisation number has nine digits');
  });

  it('clears a Swedish invoice off sales_25/12/6 and 1510 in the BAS voucher', () => {
    const day = swedishDay({
      lines: [
        ...swedishDay().lines.filter((item) => item.key !== 'cash'),
        line('sales_6', '50.00', '3.00'),
        line('cash', '89.25'),
        line('invoice', '1213.75'),
      ],
    });
    const cleared = clearInvoiceSales(day, [swedishInvoiceSale()]);
    expect(cleared.clearingOpen).toBe(0);
    const { voucher } = buildVoucher(cleared.settlement, PRESETS['se-bas'].kontooppsett, {
      vatStyle: TARGETS.fortnox.vatStyle,
      language: 'sv',
      chart: null,
      ...DEFAULT_RESIDUAL_LIMITS,
    });
    const amountOn = (account: string) =>
      voucher?.lines.filter((item) => item.account === account).reduce((total, item) => total + item.amount, 0);
    expect([amountOn('3001'), amountOn('2611'), amountOn('3002'), amountOn('2621')]).toEqual([
      -(700_000 - 83_900),
      -(175_000 - 20_975),
      -(111_607 - 10_000),
      -(13_393 - 1_200),
    ]);
    expect([amountOn('3003'), amountOn('2631'), amountOn('1510')]).toEqual([0, 0, 0]);
  });
});
