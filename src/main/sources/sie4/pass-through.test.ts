import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { SIE4_TWO_DAYS, writeSie4 } from '../../../../test/fixtures/sie4';
import { useTempHome } from '../../../../test/helpers/temp-home';
import { formatAmount, sum } from '../../../shared/money';
import { describeProblem } from '../../../shared/problems';
import { keyInfo, type LineKey } from '../../../shared/settlement-keys';
import { withEntry } from '../../mapping/kontooppsett';
import { PRESETS } from '../../mapping/presets';
import { openDatabase, type Db } from '../../store/database';
import { loadKontooppsett, saveKontooppsett } from '../../store/mappings';
import { importSettlements, listSettlements } from '../../store/settlements';
import { saveTarget } from '../../store/targets';
import { listVouchers } from '../../store/vouchers';
import { prepareVouchers } from '../../vouchers/prepare';
import { voucherToJson } from '../../vouchers/voucher';
import { readSie4File } from './read-sie4';

const newHome = useTempHome();

function write(lines: readonly string[]): string {
  return writeSie4(join(newHome(), 'dag.se'), lines);
}

/** Each line as the file's debit-positive amount, the way SIE4 writes it. */
function debitPositive(key: LineKey, amount: number): number {
  return keyInfo(key).side === 'debit' ? amount : -amount;
}

function setUp(): Db {
  const db = openDatabase(':memory:');
  importSettlements(db, readSie4File(write(SIE4_TWO_DAYS)).drafts);
  saveTarget(db, { id: 'fortnox', kind: 'fortnox', name: 'Fortnox', settings: {}, secretRef: null });
  saveKontooppsett(db, 'fortnox', PRESETS['se-bas'].kontooppsett);
  saveTarget(db, { id: 'tripletex', kind: 'tripletex', name: 'Tripletex', settings: {}, secretRef: null });
  saveKontooppsett(db, 'tripletex', PRESETS['no-standard'].kontooppsett);
  return db;
}

function accountProblems(db: Db, targetId: string): string[] {
  return listVouchers(db, { targetId }).flatMap((stored) =>
    stored.problems.filter((p) => p.key?.startsWith('account:')).map((p) => describeProblem(p, 'nb')),
  );
}

describe('SIE4 accounts outside the BAS table', () => {
  it('imports every #VER whole: an unknown account becomes a line of its own with the file’s amount', () => {
    const { drafts } = readSie4File(write(SIE4_TWO_DAYS));
    expect(drafts.map((d) => d.reportNumber)).toEqual(['1042', '1043']);
    expect(drafts.map((d) => d.lines.map((l) => `${l.sourceAccount} ${l.key} ${formatAmount(l.amount)}`))).toEqual([
      [
        '1580 card_integrated 9300.00',
        '1910 cash 4000.00',
        '3001 sales_25 8000.00',
        '2611 sales_25 0.00',
        '3002 sales_12 2946.43',
        '2621 sales_12 0.00',
        '6570 account:6570 45.50',
        '1940 account:1940 -45.50',
      ],
      [
        '1910 cash 2500.00',
        '5800 account:5800 120.00',
        '3001 sales_25 2000.00',
        '2611 sales_25 0.00',
        '3990 account:3990 -120.00',
        '1910 cash -120.00',
        '1910 cash 120.00',
      ],
    ]);
    // Every voucher still balances as the file did, and the debit side adds up to the file's.
    for (const draft of drafts) {
      const signed = draft.lines.map((l) => debitPositive(l.key, l.amount + l.vat));
      expect(sum(signed.map((a) => a as never))).toBe(0);
    }
    const debits = drafts.map((d) =>
      d.lines.map((l) => debitPositive(l.key, l.amount + l.vat)).reduce((t, a) => t + Math.max(a, 0), 0),
    );
    expect(debits).toEqual([13_345_50, 2_740_00]);
  });

  it('stores the account lines and reads them back', () => {
    const db = setUp();
    expect(listSettlements(db).map((s) => s.lines.filter((l) => l.key.startsWith('account:')).length)).toEqual([2, 2]);
  });

  it('posts an account line to the same account on a BAS target (Fortnox)', () => {
    const db = setUp();
    expect(prepareVouchers(db, 'fortnox')).toMatchObject({ zReports: 2, ready: 2, blocked: 0 });
    const [first, second] = listVouchers(db, { targetId: 'fortnox' }).map((stored) =>
      voucherToJson(stored.voucher!, null).lines.map((l) => [l.account, l.debit, l.credit]),
    );
    expect(first).toEqual(
      expect.arrayContaining([
        ['6570', '45.50', '0.00'],
        ['1940', '0.00', '45.50'],
      ]),
    );
    expect(second).toEqual(
      expect.arrayContaining([
        ['5800', '120.00', '0.00'],
        ['3990', '0.00', '120.00'],
      ]),
    );
  });

  it('blocks a non-BAS target (Tripletex) with a clear message until the account is mapped', () => {
    const db = setUp();
    prepareVouchers(db, 'tripletex');
    expect(accountProblems(db, 'tripletex')).toEqual([
      'Rapport Z 1042 2024-05-02: «Kassens konto 1940» har −45,50 kr, men ingen konto i kontooppsettet. Velg en konto for «Kassens konto 1940».',
      'Rapport Z 1042 2024-05-02: «Kassens konto 6570» har 45,50 kr, men ingen konto i kontooppsettet. Velg en konto for «Kassens konto 6570».',
      'Rapport Z 1043 2024-05-03: «Kassens konto 3990» har −120,00 kr, men ingen konto i kontooppsettet. Velg en konto for «Kassens konto 3990».',
      'Rapport Z 1043 2024-05-03: «Kassens konto 5800» har 120,00 kr, men ingen konto i kontooppsettet. Velg en konto for «Kassens konto 5800».',
    ]);
    let kontooppsett = loadKontooppsett(db, 'tripletex');
    for (const [key, account] of [
      ['account:6570', '7770'],
      ['account:1940', '1920'],
      ['account:5800', '7140'],
      ['account:3990', '3900'],
    ] as const) {
      kontooppsett = withEntry(kontooppsett, { key, location: '', account, vatCode: null, vatAccount: null });
    }
    saveKontooppsett(db, 'tripletex', kontooppsett);
    prepareVouchers(db, 'tripletex');
    expect(accountProblems(db, 'tripletex')).toEqual([]);
    const lines = listVouchers(db, { targetId: 'tripletex' }).flatMap((stored) => stored.voucher?.lines ?? []);
    expect(lines.filter((l) => l.key === 'account:5800').map((l) => [l.account, l.amount])).toEqual([['7140', 12000]]);
  });

  it('still refuses a #VER that does not balance', () => {
    expect(() => readSie4File(write(SIE4_TWO_DAYS.map((l) => l.replace('-45.50', '-45.05'))))).toThrow(
      /line 16: #VER K 1042 does not balance: its #TRANS rows add up to 0\.45$/,
    );
  });
});
