import { afterEach, describe, expect, it } from 'vitest';
import { invoiceLine, reportWithInvoices, swedishInvoiceSale } from '../../../test/fixtures/invoices';
import { sandboxHome, SYNC_TARGET, zReport } from '../../../test/helpers/sync-home';
import { useTempHome } from '../../../test/helpers/temp-home';
import type { RunningSandbox } from '../connectors/api-target';
import { CONTRACT_TUNING } from '../connectors/contract-suite';
import { fortnoxTarget } from '../connectors/fortnox/target';
import type { SettlementDraft } from '../domain/settlement';
import { INVOICES_OFF, saveInvoiceConfig, type InvoiceConfig } from '../invoices/config';
import type { InvoiceCustomer, InvoiceSale } from '../invoices/invoice';
import { importInvoiceSales, invoiceIdempotencyKey, listInvoiceOutbox } from '../invoices/store';
import type { Db } from '../store/database';
import { importSettlements } from '../store/settlements';
import { syncTarget } from '../sync/run-target';
import { PRESETS } from '../mapping/presets';
import { ledgerRevenueByRate, revenueAccounts, SWEDISH_LEDGER } from './ledger-check';
import { salesByRate } from './run-demo';

const newHome = useTempHome();
const DAYS = 6;

/** Three Swedish customers; the third has no organisation number, so it is matched by e-mail. */
const CUSTOMERS: readonly InvoiceCustomer[] = [
  swedishInvoiceSale().customer,
  {
    name: 'Bokhandeln i Lund AB',
    organizationNumber: '556036-0793',
    customerNumber: '2002',
    email: null,
    address: { street: 'Stora Södergatan 3', postalCode: '222 23', city: 'Lund', country: 'SE' },
  },
  {
    name: 'Kafé Sjöboden',
    organizationNumber: null,
    customerNumber: '2003',
    email: 'ekonomi@sjoboden.se',
    address: { street: 'Hamnen 1', postalCode: '471 32', city: 'Skärhamn', country: 'SE' },
  },
];

/** Day n's invoice sales: n % 3 + 1 of them, rotating customers; day 2's first carries a 20.00 tip. */
function invoicesOfDay(n: number, date: string): InvoiceSale[] {
  return Array.from({ length: (n % 3) + 1 }, (_, index) => {
    const tip = n === 2 && index === 0 ? [invoiceLine('20.00', '0', 0, { kind: 'tip', description: 'Dricks' })] : [];
    return swedishInvoiceSale({
      posNumber: String(7000 + n * 10 + index),
      businessDate: date,
      issueDate: date,
      dueDate: date,
      customer: CUSTOMERS[(n + index) % CUSTOMERS.length]!,
      lines: [...swedishInvoiceSale().lines, ...tip],
    });
  });
}

function dayWithInvoices(n: number): { report: SettlementDraft; invoices: InvoiceSale[] } {
  const base = zReport(n, 'SE');
  const invoices = invoicesOfDay(n, base.businessDate);
  return { report: reportWithInvoices(base, invoices), invoices };
}

describe('the Swedish ledger check', () => {
  it('reads revenue per rate off the se-bas accounts: net and output VAT accounts per rate', () => {
    expect(Object.fromEntries(revenueAccounts(PRESETS['se-bas'].kontooppsett))).toEqual({
      '3001': 2500,
      '2611': 2500,
      '3002': 1200,
      '2621': 1200,
      '3003': 600,
      '2631': 600,
      '3004': 0,
    });
  });
});

describe('a Swedish shop with invoice sales, synced to the Fortnox sandbox', () => {
  let sandbox: RunningSandbox | undefined;
  let db: Db | undefined;
  afterEach(async () => {
    db?.close();
    await sandbox?.close();
  });

  it.each(['invoice-in-target', 'pos-issued'] as const)(
    "%s: every invoice once, each customer once, and the ledger's revenue per VAT rate (vouchers + invoices) is the POS reports'",
    async (mode) => {
      sandbox = await fortnoxTarget.startSandbox({ rateLimit: { requests: 10_000, perMs: 1_000 } });
      const home = await sandboxHome(newHome(), fortnoxTarget, sandbox);
      db = home.db;
      const days = Array.from({ length: DAYS }, (_, index) => dayWithInvoices(index + 1));
      const sales = days.flatMap((day) => day.invoices);
      saveInvoiceConfig(db, SYNC_TARGET, { ...INVOICES_OFF, enabled: true, mode } satisfies InvoiceConfig, 'sv');
      importSettlements(
        db,
        days.map((day) => day.report),
      );
      importInvoiceSales(db, sales);
      const sync = () => syncTarget(db!, home.target(), { secrets: home.secrets, tuning: CONTRACT_TUNING });

      const first = await sync();
      expect(first).toMatchObject({
        outcome: 'done',
        posted: DAYS,
        failed: 0,
        invoices: { posted: sales.length, failed: 0 },
      });
      const again = await sync();
      expect(again).toMatchObject({ posted: 0, invoices: { posted: 0, failed: 0 } });

      const book = sandbox.invoicing!;
      const stored = book.invoices();
      expect(stored).toHaveLength(sales.length);
      expect(stored.map((invoice) => invoice.idempotencyKey).sort()).toEqual(
        sales.map((sale) => invoiceIdempotencyKey(SYNC_TARGET, sale)).sort(),
      );
      if (mode === 'pos-issued') {
        expect(stored.map((invoice) => invoice.number)).toEqual(sales.map((sale) => sale.posNumber));
      } else {
        expect(stored.map((invoice) => invoice.number)).toEqual(sales.map((_, index) => String(index + 1)));
      }
      expect(listInvoiceOutbox(db, SYNC_TARGET).every((row) => row.state === 'posted')).toBe(true);
      expect(
        book
          .customers()
          .map((customer) => [customer.customerNumber, customer.name])
          .sort(),
      ).toEqual([
        ['100000', 'Bokhandeln i Lund AB'],
        ['100001', 'Kafé Sjöboden'],
        ['100002', 'Fjällbygg AB'],
      ]);

      // The POS reports' sales incl. VAT per rate, and what the Fortnox ledger holds for each.
      const pos = new Map(
        salesByRate(days.flatMap((day) => day.report.lines)).map((rate) => [rate.rateBp, rate.gross as number]),
      );
      expect(Object.fromEntries(pos)).toEqual({
        2500: DAYS * 875_000 + sales.length * (100_000 + 4_875),
        1200: DAYS * 125_000 + sales.length * 11_200,
        600: sales.length * 5_300,
      });
      const vouchers = sandbox.vouchers();
      expect(vouchers).toHaveLength(DAYS);
      expect(ledgerRevenueByRate(vouchers, stored, SWEDISH_LEDGER)).toEqual(pos);
      // Nothing stays on the invoice receivable 1510, and the tip sits on 2890, not in revenue.
      const onAccount = (account: string) =>
        vouchers.flatMap((voucher) => voucher.lines).filter((item) => item.account === account);
      expect(onAccount('1510')).toEqual([]);
      expect(stored.flatMap((invoice) => invoice.lines).filter((item) => item.productNumber === 'KB-TIPS')).toEqual([
        { productNumber: 'KB-TIPS', vatCode: '', netOre: 2_000, vatOre: 0 },
      ]);
    },
  );
});
