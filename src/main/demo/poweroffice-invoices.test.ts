import { describe, expect, it } from 'vitest';
import { sandboxHome, SYNC_TARGET } from '../../../test/helpers/sync-home';
import { useTempHome } from '../../../test/helpers/temp-home';
import { powerOfficeTarget } from '../connectors/poweroffice/target';
import { INVOICES_OFF, saveInvoiceConfig, type InvoiceMode } from '../invoices/config';
import { listInvoiceOutbox } from '../invoices/store';
import { syncTarget } from '../sync/run-target';
import { DEMO_FIRST_INVOICE } from './generate-pos-db';
import { ledgerRevenueByRate } from './ledger-check';
import { runDemo } from './run-demo';

const newHome = useTempHome();
// Time under Go's real 10 requests/second is a figure (npm run bench:poweroffice-invoices), not a test.
const FAST = { requests: 100_000, perMs: 1_000 };

/** The numbers the invoices should carry: Go's own series, or the POS's (from 6001) as issued. */
const EXPECTED_NUMBERS: Readonly<Record<InvoiceMode, number>> = {
  'invoice-in-target': 10_001,
  'pos-issued': DEMO_FIRST_INVOICE,
};

describe('the demo invoice sales at PowerOffice Go', () => {
  for (const mode of ['invoice-in-target', 'pos-issued'] as const) {
    it(`${mode}: every invoice sale reaches the sandbox once, 4 customers, and its ledger holds the POS revenue per VAT rate`, async () => {
      const sandbox = await powerOfficeTarget.startSandbox({ rateLimit: FAST });
      const { db, file, secrets, target } = await sandboxHome(newHome(), powerOfficeTarget, sandbox);
      const sync = () => syncTarget(db, target(), { secrets, tuning: { rateLimit: FAST } });
      try {
        const summary = runDemo(db, file);
        expect(summary.invoiceSales.total).toBeGreaterThan(0);
        saveInvoiceConfig(db, SYNC_TARGET, { ...INVOICES_OFF, enabled: true, mode }, 'nb');

        expect(await sync()).toMatchObject({
          outcome: 'done',
          failed: 0,
          invoices: { outcome: 'done', posted: summary.invoiceSales.total, failed: 0 },
        });
        const invoices = sandbox.invoicing!.invoices();
        expect(invoices).toHaveLength(summary.invoiceSales.total);
        // Each demo invoice sale once: one invoice per idempotency key, numbered in one unbroken series.
        expect(new Set(invoices.map((invoice) => invoice.idempotencyKey)).size).toBe(summary.invoiceSales.total);
        expect(invoices.map((invoice) => Number(invoice.number))).toEqual(
          invoices.map((_, index) => EXPECTED_NUMBERS[mode] + index),
        );
        expect(sandbox.invoicing!.customers()).toHaveLength(4);
        expect(listInvoiceOutbox(db, SYNC_TARGET).every((row) => row.state === 'posted')).toBe(true);

        const pos = new Map(summary.salesByRate.map((rate) => [rate.rateBp, rate.gross as number]));
        expect(ledgerRevenueByRate(sandbox.vouchers(), invoices)).toEqual(pos);

        // A second run finds nothing left to send and sends nothing twice.
        expect(await sync()).toMatchObject({ posted: 0, invoices: { posted: 0 } });
        expect(sandbox.invoicing!.invoices()).toHaveLength(summary.invoiceSales.total);
      } finally {
        db.close();
        await sandbox.close();
      }
    });
  }
});
