/**
 * Invoice figures (no assertions): invoice sales sent to the Tripletex sandbox per second, HTTP
 * requests per invoice (first customer vs known customer), and what that means under Tripletex's
 * guessed quota (90 requests / 60 s). Run with `npm run bench:invoices`.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { invoiceSale } from '../test/fixtures/invoices';
import { zReport } from '../test/helpers/sync-home';
import { sandboxHome, SYNC_TARGET } from '../test/helpers/sync-home';
import { tripletexTarget } from '../src/main/connectors/tripletex/target';
import { INVOICES_OFF, saveInvoiceConfig } from '../src/main/invoices/config';
import { importInvoiceSales } from '../src/main/invoices/store';
import { importSettlements } from '../src/main/store/settlements';
import { syncTarget } from '../src/main/sync/run-target';
import { ore, parseAmount } from '../src/shared/money';
import { TRIPLETEX_RATE_LIMIT } from '../src/main/connectors/tripletex/connector';

const DAYS = Number(process.env['KASSEBRO_BENCH_INVOICE_DAYS'] ?? 200);
const CUSTOMERS = 40;
const FAST = { requests: 100_000, perMs: 1_000 };

const home = mkdtempSync(join(tmpdir(), 'kassebro-bench-invoices-'));
const sandbox = await tripletexTarget.startSandbox({ rateLimit: FAST });
try {
  const { db, secrets, target } = await sandboxHome(home, tripletexTarget, sandbox);
  saveInvoiceConfig(db, SYNC_TARGET, { ...INVOICES_OFF, enabled: true }, 'en');
  const reports = [];
  const sales = [];
  for (let day = 1; day <= DAYS; day += 1) {
    const report = zReport(day);
    const cash = report.lines.find((line) => line.key === 'cash');
    // 1 163.75 of the day's sales were paid by invoice instead of cash.
    reports.push({
      ...report,
      lines: [
        ...report.lines.filter((line) => line.key !== 'cash'),
        { key: 'cash' as const, amount: ore((cash?.amount ?? 0) - 116_375), vat: ore(0) },
        { key: 'invoice' as const, amount: parseAmount('1163.75'), vat: ore(0) },
      ],
    });
    const customer = day % CUSTOMERS;
    sales.push(
      invoiceSale({
        posNumber: String(6000 + day),
        businessDate: report.businessDate,
        issueDate: report.businessDate,
        dueDate: report.businessDate,
        customer: {
          ...invoiceSale().customer,
          name: `Kunde ${customer} AS`,
          organizationNumber: String(900_000_000 + customer),
          email: `kunde${customer}@example.no`,
        },
      }),
    );
  }
  importSettlements(db, reports);
  importInvoiceSales(db, sales);
  const before = sandbox.requestCount();
  const started = performance.now();
  const result = await syncTarget(db, target(), { secrets, tuning: { rateLimit: FAST } });
  const ms = performance.now() - started;
  const invoices = sandbox.invoicing?.invoices().length ?? 0;
  const requests = sandbox.requestCount() - before;
  // One POST per voucher; the session and chart look-ups are shared and counted with the invoices.
  const voucherRequests = result.posted;
  const perInvoice = (requests - voucherRequests) / invoices;
  console.log(
    `invoice sync: ${DAYS} Z vouchers + ${invoices} invoices (${CUSTOMERS} customers, each created once: ${sandbox.invoicing?.customers().length}) in ${ms.toFixed(0)} ms; ` +
      `${result.invoices?.posted ?? 0} invoices sent, duplicates ${invoices - new Set(sandbox.invoicing?.invoices().map((item) => item.idempotencyKey)).size}`,
  );
  console.log(
    `requests: ${requests} in all, ≈${perInvoice.toFixed(2)} per invoice (customer look-ups + create on first sight, products once, 1 POST /invoice); ` +
      `under Tripletex's guessed ${TRIPLETEX_RATE_LIMIT.requests} requests / ${TRIPLETEX_RATE_LIMIT.perMs / 1000} s that is ≈${((TRIPLETEX_RATE_LIMIT.requests / perInvoice) * 60).toFixed(0)} invoices per hour`,
  );
  db.close();
} finally {
  await sandbox.close();
  rmSync(home, { recursive: true, force: true });
}
