import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { useTempHome } from '../../../test/helpers/temp-home';
import { INVOICES_OFF, saveInvoiceConfig } from '../invoices/config';
import { listInvoiceOutbox } from '../invoices/store';
import { PRESETS } from '../mapping/presets';
import { FIKEN_SANDBOX_DEFAULTS, startFikenSandbox } from '../sandboxes/fiken';
import { saveKontooppsett } from '../store/mappings';
import { getTarget, saveTarget } from '../store/targets';
import { syncTarget } from '../sync/run-target';
import { ledgerRevenueByRate } from './ledger-check';
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

describe('the demo invoice sales at Fiken', () => {
  it('reach the Fiken sandbox as contacts + invoices, and its ledger too holds the POS revenue per VAT rate', async () => {
    const home = newHome();
    const file = join(home, 'kassebro.sqlite');
    const db = openDatabase(file);
    const summary = runDemo(db, file);
    const sandbox = await startFikenSandbox();
    try {
      const secrets = homeSecretStore(home);
      await secrets.set('fiken', {
        ...sandbox.issueTokens(),
        clientId: FIKEN_SANDBOX_DEFAULTS.clientId,
        clientSecret: FIKEN_SANDBOX_DEFAULTS.clientSecret,
      });
      saveTarget(db, {
        id: 'fiken',
        kind: 'fiken',
        name: 'Fiken sandbox',
        settings: {
          baseUrl: `${sandbox.url}/api/v2`,
          tokenUrl: `${sandbox.url}/oauth/token`,
          companySlug: FIKEN_SANDBOX_DEFAULTS.companySlug,
          rateLimit: { requests: 1_000, perMs: 1_000 },
        },
        secretRef: 'fiken',
      });
      saveKontooppsett(db, 'fiken', PRESETS['no-fiken'].kontooppsett);
      saveInvoiceConfig(db, 'fiken', { ...INVOICES_OFF, enabled: true }, 'nb');
      const result = await syncTarget(db, getTarget(db, 'fiken')!, { secrets });
      expect(result).toMatchObject({
        outcome: 'done',
        failed: 0,
        invoices: { posted: summary.invoiceSales.total, failed: 0 },
      });
      const invoices = sandbox.invoicing!.invoices();
      expect(invoices).toHaveLength(summary.invoiceSales.total);
      expect(sandbox.invoicing!.customers()).toHaveLength(4);
      const pos = new Map(summary.salesByRate.map((rate) => [rate.rateBp, rate.gross as number]));
      expect(ledgerRevenueByRate(sandbox.vouchers(), invoices)).toEqual(pos);
    } finally {
      await sandbox.close();
      db.close();
    }
  });
});
