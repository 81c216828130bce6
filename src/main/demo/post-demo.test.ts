import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { useTempHome } from '../../../test/helpers/temp-home';
import { listInvoiceOutbox } from '../invoices/store';
import { homeSecretStore } from '../secrets/secret-store';
import { openDatabase } from '../store/database';
import { postDemoToSandbox } from './post-demo';
import { DEMO_TARGET_ID, runDemo } from './run-demo';

const newHome = useTempHome();

describe('the demo posted to the Tripletex sandbox', () => {
  it("books every sale exactly once: the sandbox ledger's revenue per VAT rate (Z vouchers + invoices) is the POS reports'", async () => {
    const home = newHome();
    const file = join(home, 'kassebro.sqlite');
    const db = openDatabase(file);
    const summary = runDemo(db, file);
    const posted = await postDemoToSandbox(db, homeSecretStore(home));

    expect(posted.invoices).toEqual({
      target: 'tripletex',
      sent: summary.invoiceSales.total,
      sandboxInvoices: summary.invoiceSales.total,
      duplicates: 0,
      customers: 4,
      unsent: 0,
    });
    expect(listInvoiceOutbox(db, DEMO_TARGET_ID).every((row) => row.state === 'posted')).toBe(true);
    const pos = new Map(summary.salesByRate.map((rate) => [rate.rateBp, rate.gross as number]));
    expect(posted.ledgerByRate).toEqual(pos);
    db.close();
  });
});
