/**
 * Fortnox invoice figures (no assertions): a Swedish shop's invoice sales sent to the Fortnox
 * sandbox, HTTP requests per invoice, and what that means under Fortnox's 25 requests / 5 s (the
 * connector keeps to FORTNOX_RATE_LIMIT). Run with `npm run bench:fortnox-invoices`.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { reportWithInvoices, swedishInvoiceSale } from '../test/fixtures/invoices';
import { sandboxHome, SYNC_TARGET, zReport } from '../test/helpers/sync-home';
import { FORTNOX_RATE_LIMIT } from '../src/main/connectors/fortnox/connector';
import { fortnoxTarget } from '../src/main/connectors/fortnox/target';
import { INVOICES_OFF, saveInvoiceConfig } from '../src/main/invoices/config';
import { importInvoiceSales } from '../src/main/invoices/store';
import { importSettlements } from '../src/main/store/settlements';
import { syncTarget } from '../src/main/sync/run-target';

const DAYS = Number(process.env['KASSEBRO_BENCH_INVOICE_DAYS'] ?? 200);
const CUSTOMERS = 40;
const FAST = { requests: 100_000, perMs: 1_000 };

const home = mkdtempSync(join(tmpdir(), 'kassebro-bench-fortnox-invoices-'));
const sandbox = await fortnoxTarget.startSandbox({ rateLimit: FAST });
try {
  const { db, secrets, target } = await sandboxHome(home, fortnoxTarget, sandbox);
  saveInvoiceConfig(db, SYNC_TARGET, { ...INVOICES_OFF, enabled: true }, 'sv');
  const reports = [];
  const sales = [];
  for (let day = 1; day <= DAYS; day += 1) {
    const report = zReport(day, 'SE');
    const customer = day % CUSTOMERS;
    const sale = swedishInvoiceSale({
      posNumber: String(7000 + day),
      businessDate: report.businessDate,
      issueDate: report.businessDate,
      dueDate: report.businessDate,
      customer: {
        ...swedishInvoiceSale().customer,
        name: `Kund ${customer} AB`,
        organizationNumber: `${556_000 + customer}-${1_000 + customer}`,
        email: `kund${customer}@example.se`,
      },
    });
    reports.push(reportWithInvoices(report, [sale]));
    sales.push(sale);
  }
  importSettlements(db, reports);
  importInvoiceSales(db, sales);
  const before = sandbox.requestCount();
  const started = performance.now();
  const result = await syncTarget(db, target(), { secrets, tuning: { rateLimit: FAST } });
  const ms = performance.now() - started;
  const stored = sandbox.invoicing?.invoices() ?? [];
  const requests = sandbox.requestCount() - before;
  // Each Z voucher costs a look-up by date and a POST; the rest is the invoices'.
  const perInvoice = (requests - 2 * result.posted) / stored.length;
  const perSecond = FORTNOX_RATE_LIMIT.requests / (FORTNOX_RATE_LIMIT.perMs / 1000);
  console.log(
    `fortnox invoice sync: ${result.posted} Z vouchers + ${stored.length} invoices (${CUSTOMERS} customers, created: ${sandbox.invoicing?.customers().length}) in ${ms.toFixed(0)} ms; ` +
      `${result.invoices?.posted ?? 0} invoices sent, duplicates ${stored.length - new Set(stored.map((item) => item.idempotencyKey)).size}`,
  );
  console.log(
    `requests: ${requests} in all, ≈${perInvoice.toFixed(2)} per invoice (customer look-ups + create on first sight, articles once per run, 1 POST /3/invoices); ` +
      `at the connector's ${perSecond} requests/s that is ≈${((perSecond / perInvoice) * 3600).toFixed(0)} invoices per hour`,
  );
  db.close();
} finally {
  await sandbox.close();
  rmSync(home, { recursive: true, force: true });
}
