/**
 * PowerOffice Go invoice figures (no assertions): the demo shop synced to the PowerOffice sandbox
 * at Go's real limit (10 requests/second per subscription key; the connector paces at 9): how long
 * until its Z vouchers and its invoice sales are in the sandbox, and HTTP requests per invoice.
 * Run with `npm run bench:poweroffice-invoices`.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { sandboxHome, SYNC_TARGET } from '../test/helpers/sync-home';
import { POWEROFFICE_RATE_LIMIT } from '../src/main/connectors/poweroffice/connector';
import { powerOfficeTarget } from '../src/main/connectors/poweroffice/target';
import { runDemo } from '../src/main/demo/run-demo';
import { INVOICES_OFF, saveInvoiceConfig } from '../src/main/invoices/config';
import { syncTarget } from '../src/main/sync/run-target';

const home = mkdtempSync(join(tmpdir(), 'kassebro-bench-po-invoices-'));
const sandbox = await powerOfficeTarget.startSandbox();
try {
  const { db, file, secrets, target } = await sandboxHome(home, powerOfficeTarget, sandbox);
  const summary = runDemo(db, file);
  saveInvoiceConfig(db, SYNC_TARGET, { ...INVOICES_OFF, enabled: true }, 'nb');
  const invoicing = sandbox.invoicing;
  if (!invoicing) throw new Error('the PowerOffice sandbox has no invoice book');

  // When the last Z voucher and the last invoice arrived, seen from outside the sync.
  let vouchersDoneAt = 0;
  let invoicesDoneAt = 0;
  const started = performance.now();
  const watch = setInterval(() => {
    const now = performance.now() - started;
    if (!vouchersDoneAt && sandbox.vouchers().length >= summary.vouchers.ready) vouchersDoneAt = now;
    if (!invoicesDoneAt && invoicing.invoices().length >= summary.invoiceSales.total) invoicesDoneAt = now;
  }, 5);
  const result = await syncTarget(db, target(), { secrets });
  const totalMs = performance.now() - started;
  clearInterval(watch);
  invoicesDoneAt ||= totalMs;
  const requests = sandbox.requestCount();
  const invoices = invoicing.invoices();
  const keys = new Set(invoices.map((invoice) => invoice.idempotencyKey));
  console.log(
    `PowerOffice Go demo sync at ${POWEROFFICE_RATE_LIMIT.requests} requests/s: ${result.posted} Z vouchers in ${(vouchersDoneAt / 1000).toFixed(1)} s, ` +
      `then ${result.invoices?.posted ?? 0} invoices (${invoicing.customers().length} customers) in ${((invoicesDoneAt - vouchersDoneAt) / 1000).toFixed(1)} s; ` +
      `all in ${(totalMs / 1000).toFixed(1)} s; duplicates ${invoices.length - keys.size}`,
  );
  console.log(
    `requests: ${requests} in all (token, look-ups, vouchers, invoices); invoice side ≈${((requests - result.posted - 4) / Math.max(1, invoices.length)).toFixed(1)} per invoice ` +
      `(customer look-ups + create on first sight, products once, draft look-up, sales order, send, sent state)`,
  );
  db.close();
} finally {
  await sandbox.close();
  rmSync(home, { recursive: true, force: true });
}
