import Database from 'better-sqlite3';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { useTempHome } from '../../../../test/helpers/temp-home';
import { DEMO_DEFAULTS, DEMO_FIRST_INVOICE, generateDemoPosDatabase } from '../../demo/generate-pos-db';
import { invoiceTotals } from '../../invoices/invoice';
import { resourcesDir } from '../../paths';
import { loadPosProfile, readPosDatabase } from './read-pos-db';
import { readPosInvoices } from './read-pos-invoices';

const newHome = useTempHome();
const profile = () => loadPosProfile(join(resourcesDir(), 'demo', 'demo-pos.profile.json'));

describe('invoice sales from a POS database profile', () => {
  it("reads the demo POS's invoices; each one is exactly its Z-report's FAKTURA amount", () => {
    const path = join(newHome(), 'pos.sqlite');
    const stats = generateDemoPosDatabase(path, DEMO_DEFAULTS);
    const invoices = readPosInvoices(path, profile());
    expect(invoices).toHaveLength(stats.invoices);
    expect(invoices[0]).toMatchObject({
      source: 'demo-pos',
      posNumber: String(DEMO_FIRST_INVOICE),
      customer: { name: 'Fjord Bygg AS', organizationNumber: '923609016', customerNumber: '5001' },
    });
    expect(new Set(invoices.map((invoice) => invoice.customer.name)).size).toBe(4);
    const reports = readPosDatabase(path, profile());
    for (const invoice of invoices) {
      const report = reports.find(
        (draft) =>
          draft.kind === 'Z' && draft.registerId === invoice.registerId && draft.businessDate === invoice.businessDate,
      );
      const faktura = report?.lines.find((line) => line.key === 'invoice')?.amount;
      expect(invoiceTotals(invoice).gross, invoice.posNumber).toBe(faktura);
    }
    // Same seed, same invoices.
    const again = join(newHome(), 'pos.sqlite');
    generateDemoPosDatabase(again, DEMO_DEFAULTS);
    expect(readPosInvoices(again, profile()).map((invoice) => invoice.sourceRef?.split('#')[1])).toEqual(
      invoices.map((invoice) => invoice.sourceRef?.split('#')[1]),
    );
  });

  it('names the invoice, the line and the field of a bad value', () => {
    const path = join(newHome(), 'pos.sqlite');
    generateDemoPosDatabase(path, DEMO_DEFAULTS);
    const db = new Database(path);
    db.prepare(`UPDATE invoice_lines SET amount = '12.345' WHERE invoice_no = ? AND line_no = 1`).run(
      DEMO_FIRST_INVOICE,
    );
    db.close();
    expect(() => readPosInvoices(path, profile())).toThrow(
      `demo-pos: invoice ${DEMO_FIRST_INVOICE}, line 1, field "amount": "12.345" is not an amount: more than two decimals (fractions of an øre)`,
    );
    const fixed = new Database(path);
    fixed.prepare(`UPDATE invoice_lines SET amount = '12.34' WHERE invoice_no = ?`).run(DEMO_FIRST_INVOICE);
    fixed.close();
    // A POS line kind the profile does not name is an error, never ignored.
    const withoutFees = { ...profile(), invoices: { ...profile().invoices!, lineKinds: { VARE: 'goods' as const } } };
    expect(() => readPosInvoices(path, withoutFees)).toThrow(
      /invoice \d+, line \d, field "kind": unknown line kind "GEBYR"; add it to the profile's invoices.lineKinds/,
    );
  });
});
