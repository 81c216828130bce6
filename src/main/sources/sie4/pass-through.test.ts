import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import iconv from 'iconv-lite';
import { describe, expect, it } from 'vitest';
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

/**
 * A day file as a Swedish POS exports it: two Z vouchers, each with accounts the BAS table has no
 * settlement key for (card fees 6570, bank 1940, travel 5800, re-invoiced costs 3990).
 */
const TWO_DAYS = [
  '#FLAGGA 0',
  '#PROGRAM "CaféKassan" "4.2.1"',
  '#FORMAT PC8',
  '#GEN 20240504 "Kassa"',
  '#SIETYP 4',
  '#ORGNR "556677-8899"',
  '#FNAMN "Kaffebaren i Växjö AB"',
  '#RAR 0 20240101 20241231',
  '#KPTYP BAS2014',
  '#VALUTA SEK',
  '#KONTO 1580 "Fordringar kontokort"',
  '#KONTO 1940 "Övriga bankkonton"',
  '#KONTO 5800 "Resekostnader"',
  '#KONTO 6570 "Bankkostnader"',
  '#KONTO 3990 "Övriga ersättningar och intäkter"',
  '#VER "K" "1042" 20240502 "Z-rapport 1042 kassa 1" 20240503',
  '{',
  '#TRANS 1580 {} 9300.00 20240502 "Kort"',
  '#TRANS 1910 {} 4000.00 20240502 "Kontant"',
  '#TRANS 3001 {1 "10"} -8000.00 20240502 "Försäljning 25% \\"kaffe\\"" 412.00',
  '#TRANS 2611 {} -2000.00 20240502 "Utg moms 25%"',
  '#TRANS 3002 {1 "10"} -2946.43 20240502 "Försäljning 12%" 37.00',
  '#TRANS 2621 {} -353.57 20240502 "Utg moms 12%"',
  '#TRANS 6570 {} 45.50 20240502 "Kortavgift"',
  '#TRANS 1940 {} -45.50 20240502 "Kortavgift dragen"',
  '}',
  '#VER "K" "1043" 20240503 "Z-rapport 1043 kassa 1" 20240504',
  '{',
  '#TRANS 1910 {} 2500.00 20240503 "Kontant"',
  '#TRANS 5800 {1 "10" 6 "P7"} 120.00 20240503 "Taxi leverans" 1.00',
  '#TRANS 3001 {1 "10"} -2000.00 20240503 "Försäljning 25%" 98.00',
  '#TRANS 2611 {} -500.00 20240503 "Utg moms 25%"',
  '#TRANS 3990 {} -120.00 20240503 "Vidarefakturerad taxi"',
  '#TRANS 1910 {} -120.00 20240503 "Kontant ut"',
  '#TRANS 1910 {} 120.00 20240503 "Kontant in"',
  '}',
];

function write(lines: readonly string[]): string {
  const path = join(newHome(), 'dag.se');
  writeFileSync(path, iconv.encode(`${lines.join('\r\n')}\r\n`, 'cp437'));
  return path;
}

/** Each line as the file's debit-positive amount, the way SIE4 writes it. */
function debitPositive(key: LineKey, amount: number): number {
  return keyInfo(key).side === 'debit' ? amount : -amount;
}

function setUp(): Db {
  const db = openDatabase(':memory:');
  importSettlements(db, readSie4File(write(TWO_DAYS)).drafts);
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
    const { drafts } = readSie4File(write(TWO_DAYS));
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
    expect(() => readSie4File(write(TWO_DAYS.map((l) => l.replace('-45.50', '-45.05'))))).toThrow(
      /line 16: #VER K 1042 does not balance: its #TRANS rows add up to 0\.45$/,
    );
  });
});
