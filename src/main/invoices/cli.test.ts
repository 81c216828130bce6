import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { useTempHome } from '../../../test/helpers/temp-home';
import { main } from '../cli/main';
import { invoiceSale } from '../../../test/fixtures/invoices';
import type { RunningSandbox } from '../connectors/api-target';
import { sandboxHome, SYNC_TARGET } from '../../../test/helpers/sync-home';
import { tripletexTarget } from '../connectors/tripletex/target';
import { homeSecretStore } from '../secrets/secret-store';
import { checkNumberSeries } from './number-series';
import { targetLines } from './target-lines';

const newHome = useTempHome();

async function run(args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  let stdout = '';
  let stderr = '';
  const code = await main(args, { stdout: (text) => (stdout += text), stderr: (text) => (stderr += text) });
  return { code, stdout, stderr };
}

describe('kassebro invoices', () => {
  it('refuses "include invoiced sales in the Z revenue" with invoice transfer on, says why, and keeps the setting', async () => {
    const db = join(newHome(), 'kassebro.sqlite');
    expect((await run(['--db', db, 'demo', '--json', '--no-post'])).code).toBe(0);
    const refused = await run(['--db', db, '--lang', 'en', 'invoices', 'setup', '--z-revenue', 'include']);
    expect(refused.code).toBe(1);
    expect(refused.stdout).toMatch(
      /^Invoice transfer is on while "include invoiced sales in the Z revenue" is also on/,
    );
    const listed = JSON.parse((await run(['--db', db, '--json', 'invoices', 'list'])).stdout);
    expect(listed.config).toMatchObject({ enabled: true, mode: 'invoice-in-target', zRevenue: 'clearing' });
    // The demo built its vouchers without sending: every invoice waits in the queue, none lost.
    expect(listed.invoices.length).toBeGreaterThan(10);
    expect(new Set(listed.invoices.map((invoice: { state: string }) => invoice.state))).toEqual(new Set(['queued']));
    // The demo POS prices its invoices net with VAT on top, as the targets do: no drift.
    expect(listed.invoices.every((invoice: { vatDriftOre: number }) => invoice.vatDriftOre === 0)).toBe(true);
    const off = await run(['--db', db, '--lang', 'en', 'invoices', 'setup', '--off', '--z-revenue', 'include']);
    expect(off.code).toBe(0);
    expect(off.stdout).toMatch(/Invoice transfer to "demo" is off/);
  });

  it('imports an invoice CSV once', async () => {
    const home = newHome();
    const db = join(home, 'kassebro.sqlite');
    expect((await run(['--db', db, 'demo', '--json', '--no-post'])).code).toBe(0);
    const file = join(home, 'invoices.csv');
    writeFileSync(
      file,
      'invoice;register;date;customer_name;org_number;kind;description;vat_rate;net;vat\n' +
        'A-77;10009;2026-11-20;Fjord Bygg AS;923609016;goods;Varer;25;100,00;25,00\n',
    );
    expect(JSON.parse((await run(['--db', db, '--json', 'invoices', 'import', file])).stdout)).toEqual({
      inserted: 1,
      alreadyPresent: 0,
      warnings: [],
      held: [],
    });
    expect(JSON.parse((await run(['--db', db, '--json', 'invoices', 'import', file])).stdout)).toEqual({
      inserted: 0,
      alreadyPresent: 1,
      warnings: [],
      held: [],
    });
    const listed = JSON.parse((await run(['--db', db, '--json', 'invoices', 'list'])).stdout);
    expect(listed.invoices.find((invoice: { posNumber: string }) => invoice.posNumber === 'A-77')).toMatchObject({
      gross: '125.00',
      customer: 'Fjord Bygg AS',
    });
  });
});

describe('number series check (pos-issued)', () => {
  it('flags POS numbers the target has already used, and says how to fix it', () => {
    expect(checkNumberSeries({ lowest: 6001, highest: 6014 }, 10_001, 'nb')).toEqual({
      status: 'conflict',
      message: expect.stringMatching(
        /kassen nummererer fakturaer fra 6001, men regnskapssystemet har allerede brukt numre opp til 10000/,
      ),
    });
    expect(checkNumberSeries({ lowest: 6001, highest: 6014 }, 101, 'en')).toMatchObject({
      status: 'ok',
      message: expect.stringMatching(/reach 6001 after 5900 more/),
    });
    expect(checkNumberSeries(null, 101, 'en').status).toBe('unknown');
    expect(checkNumberSeries({ lowest: 6001, highest: 6014 }, null, 'en').status).toBe('ok');
  });

  it("is not fooled by the POS's own invoices already posted there (the target's highest is ours)", () => {
    const posted = new Set([6001, 6002, 6014]);
    expect(checkNumberSeries({ lowest: 6001, highest: 6014 }, 6015, 'en', posted)).toEqual({
      status: 'ok',
      message:
        "The accounting system's highest invoice number, 6014, is a POS invoice Kassebro posted there: no invoice of its own lies above the POS's numbers.",
    });
    // One of the target's own above ours is still a conflict.
    expect(checkNumberSeries({ lowest: 6001, highest: 6014 }, 10_001, 'en', posted).status).toBe('conflict');
  });
});

describe('kassebro invoices setup --mode pos-issued', () => {
  it("compares the POS's invoice numbers with the target's next number and explains a conflict", async () => {
    const sandbox = await tripletexTarget.startSandbox();
    try {
      const home = newHome();
      const db = join(home, 'kassebro.sqlite');
      expect((await run(['--db', db, 'demo', '--json', '--no-post'])).code).toBe(0);
      (await sandboxHome(home, tripletexTarget, sandbox)).db.close();
      const setup = ['--db', db, '--target', SYNC_TARGET, '--lang', 'en', 'invoices', 'setup', '--mode', 'pos-issued'];
      // Nothing invoiced in Tripletex yet: the POS numbers (6001…) can be used.
      const clean = await run(setup);
      expect(clean.code).toBe(0);
      expect(clean.stdout).toMatch(/has issued no invoices yet/);
      // Tripletex has numbered invoices up to 10001 itself: 6001… may already be taken.
      const customer = sandbox.invoicing!.addCustomer({
        customerNumber: '1',
        name: 'Kontantkunde',
        organizationNumber: null,
        email: null,
        hasAddress: true,
      });
      const tripletex = await tripletexInvoicesAt(sandbox);
      await tripletex.postInvoice({
        sale: invoiceSale(),
        mode: 'invoice-in-target',
        customer: {
          externalId: customer.id,
          customerNumber: '1',
          organizationNumber: null,
          email: null,
          name: 'Kontantkunde',
        },
        idempotencyKey: 'kbi1-made-in-tripletex',
        lines: targetLines(invoiceSale(), 'net'),
      });
      const conflict = await run(setup);
      expect(conflict.code).toBe(1);
      expect(conflict.stdout).toMatch(
        /Number series conflict: the POS numbers its invoices from 6001, but the accounting system has already used numbers up to 10001/,
      );
    } finally {
      await sandbox.close();
    }
  });
});

/** The owner invoicing in Tripletex itself, outside Kassebro. */
async function tripletexInvoicesAt(sandbox: RunningSandbox) {
  const secrets = homeSecretStore(newHome());
  await secrets.set('owner', sandbox.credentials());
  const connector = tripletexTarget.createConnector({
    targetId: 'made-in-tripletex',
    settings: sandbox.targetSettings(),
    secrets,
    secretRef: 'owner',
  });
  return connector.invoices!;
}
