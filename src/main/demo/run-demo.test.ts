import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { norwegianDay } from '../../../test/fixtures/settlements';
import { useTempHome } from '../../../test/helpers/temp-home';
import { openDatabase } from '../store/database';
import { setHomeKind } from '../store/home';
import { importSettlements, listSettlements } from '../store/settlements';
import { listVouchers } from '../store/vouchers';
import { imbalance } from '../vouchers/voucher';
import { DemoRefusedError, DEMO_TARGET_ID, runDemo } from './run-demo';

const newHome = useTempHome();

describe('runDemo', () => {
  it('loads ~90 days of two registers, and every voucher it builds balances', () => {
    const file = join(newHome(), 'kassebro.sqlite');
    const db = openDatabase(file);
    const summary = runDemo(db, file);
    expect(summary.settlements.z).toBeGreaterThan(160);
    expect(summary.settlements.x).toBeGreaterThan(20);
    expect(summary.vouchers.blocked).toBe(0);
    expect(summary.vouchers.skipped).toBeGreaterThan(0);
    expect(summary.vouchers.ready + summary.vouchers.skipped).toBe(summary.settlements.z);
    expect(summary.allBalanced).toBe(true);
    expect(summary.salesByRate.map((rate) => rate.rateBp)).toEqual([2500, 1500, 1200, 0]);

    const vouchers = listVouchers(db, { targetId: DEMO_TARGET_ID, states: ['ready'] });
    for (const stored of vouchers) expect(imbalance(stored.voucher!.lines)).toBe(0);
    const accounts = new Set(vouchers.flatMap((stored) => stored.voucher!.lines.map((line) => line.account)));
    // Every kind of money the demo POS reports reaches its account.
    for (const account of [
      '1920',
      '1900',
      '1515',
      '2900',
      '3905',
      '1901',
      '7740',
      '1460',
      '4390',
      '3000',
      '3001',
      '3002',
      '3100',
    ]) {
      expect(accounts, account).toContain(account);
    }
    // Invoice sales go to Tripletex as invoices: every FAKTURA amount is explained by an invoice,
    // so no Z voucher books anything on the invoice clearing account 1530.
    expect(summary.invoiceSales.total).toBeGreaterThan(10);
    expect(accounts).not.toContain('1530');
    expect(summary.problems.filter((problem) => problem.code.startsWith('invoice_'))).toEqual([]);
    // Register numbering: per-register Z numbers have no holes, and every Z has a voucher or an explained skip.
    for (const register of ['10009', '10010']) {
      const numbers = listSettlements(db, { kind: 'Z' })
        .filter((s) => s.registerId === register)
        .map((s) => Number(s.reportNumber.split('/')[0]));
      expect(numbers).toEqual(numbers.map((_, index) => index + 1));
    }
    db.close();
  });

  it('is deterministic and idempotent: a second run imports nothing and changes no figure', () => {
    const file = join(newHome(), 'kassebro.sqlite');
    const db = openDatabase(file);
    const first = runDemo(db, file);
    const second = runDemo(db, file);
    expect(second.settlements.newlyImported).toBe(0);
    expect(second.invoiceSales).toEqual({ total: first.invoiceSales.total, newlyImported: 0 });
    expect(second.salesByRate).toEqual(first.salesByRate);
    expect(second.vouchers).toEqual(first.vouchers);

    const otherFile = join(newHome(), 'kassebro.sqlite');
    const other = openDatabase(otherFile);
    expect(runDemo(other, otherFile).salesByRate).toEqual(first.salesByRate);
    other.close();
    db.close();
  });

  it("refuses a home that holds a real shop's data, and leaves it as it was", () => {
    const file = join(newHome(), 'kassebro.sqlite');
    const db = openDatabase(file);
    importSettlements(db, [norwegianDay()]);
    expect(() => runDemo(db, file)).toThrow(DemoRefusedError);
    expect(() => runDemo(db, file)).toThrow(/already holds settlements from test-pos/);
    expect(listSettlements(db)).toHaveLength(1);

    const shopFile = join(newHome(), 'kassebro.sqlite');
    const shop = openDatabase(shopFile);
    setHomeKind(shop, 'shop');
    expect(() => runDemo(shop, shopFile)).toThrow(/this home belongs to a shop/);
    shop.close();
    db.close();
  });
});
