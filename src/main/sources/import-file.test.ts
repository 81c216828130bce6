import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import iconv from 'iconv-lite';
import { describe, expect, it } from 'vitest';
import {
  OFFICIAL_EXAMPLE,
  registerClose,
  registerOpen,
  reportEvent,
  saftHead,
  saftTail,
  transaction,
} from '../../../test/fixtures/saft';
import { useTempHome } from '../../../test/helpers/temp-home';
import { openDatabase, type Db } from '../store/database';
import { homeKind } from '../store/home';
import { listLog } from '../store/integration-log';
import { listSettlements } from '../store/settlements';
import { detectFormat, importFile } from './import-file';
import { SourceError } from './source-error';

const newHome = useTempHome();

const SIE4_SAMPLE = [
  '#FLAGGA 0',
  '#FORMAT PC8',
  '#SIETYP 4',
  '#FNAMN "Kaffebaren i Växjö AB"',
  '#VER "K" "1042" 20240502 "Z-rapport 1042 kassa 1"',
  '{',
  '#TRANS 1580 {} 9300.00 20240502 "Kort"',
  '#TRANS 1910 {} 4000.00 20240502 "Kontant"',
  '#TRANS 3001 {1 "10"} -8000.00 20240502 "Försäljning 25%"',
  '#TRANS 2611 {} -2000.00 20240502 "Utg moms 25%"',
  '#TRANS 3002 {} -2946.43 20240502 "Försäljning 12%"',
  '#TRANS 2621 {} -353.57 20240502 "Utg moms 12%"',
  '}',
  '',
].join('\r\n');

const CSV_SAMPLE = [
  'location;register;number;kind;date;key;amount;vat;code',
  '1;10009;41;Z;2026-11-20;sales_25;1250,00;250,00;Varer',
  '1;10009;41;Z;2026-11-20;card_integrated;1000,00;;BAX',
  '1;10009;41;Z;2026-11-20;cash;250,00;;Kontant',
  '1;10010;8;Z;2026-11-20;sales_15;115,00;15,00;Mat',
  '1;10010;8;Z;2026-11-20;cash;115,00;;Kontant',
  '',
].join('\r\n');

function setup(): { db: Db; dir: string } {
  const dir = newHome();
  return { db: openDatabase(join(dir, 'kassebro.sqlite')), dir };
}

function counts(db: Db): { settlements: number; lines: number } {
  return db
    .prepare(
      'SELECT (SELECT COUNT(*) FROM settlements) AS settlements, (SELECT COUNT(*) FROM settlement_lines) AS lines',
    )
    .get() as {
    settlements: number;
    lines: number;
  };
}

const z = (id: string, date: string, cash: string, paymentType = 'CASH') =>
  reportEvent({
    kind: 'Z',
    id,
    date,
    total: cash,
    vats: [{ code: '3', perc: '25.00', net: (Number(cash) * 0.8).toFixed(2), vat: (Number(cash) * 0.2).toFixed(2) }],
    payments: [{ type: paymentType, amount: cash }],
  });

function twoDayFile(secondDayCash = '250.00', secondPaymentType = 'CASH'): string {
  return `${saftHead()}${registerOpen('10009')}${z('1', '2026-11-19', '125.00')}${z('2', '2026-11-20', secondDayCash, secondPaymentType)}${transaction(
    {
      id: '1',
      date: '2026-11-19',
      time: '10:00:00',
      amountIn: '125.00',
      type: 'C',
      lines: [{ perc: '25.00', code: '3', base: '100.00', vat: '25.00', amountIn: '125.00' }],
      payments: [{ type: 'CASH', amount: '125.00' }],
    },
  )}${registerClose}${saftTail}`;
}

describe('importFile', () => {
  it('detects the format from the content and imports the official SAF-T example once', () => {
    const { db } = setup();
    expect(detectFormat(OFFICIAL_EXAMPLE)).toBe('saft');
    const first = importFile(db, OFFICIAL_EXAMPLE);
    expect(first.imported.map((r) => `${r.kind} ${r.number} ${r.registerId}`)).toEqual(['Z 1 11.222-33.44.567']);
    const again = importFile(db, OFFICIAL_EXAMPLE);
    expect(again.imported).toEqual([]);
    expect(again.duplicates).toHaveLength(1);
    expect(counts(db)).toEqual({ settlements: 1, lines: 5 });
    expect(homeKind(db)).toBe('shop');
  });

  it('identifies reports, not files: a later export holding the same Z adds only the new ones', () => {
    const { db, dir } = setup();
    const day1 = join(dir, 'day1.xml');
    writeFileSync(
      day1,
      `${saftHead()}${registerOpen('10009')}${z('1', '2026-11-19', '125.00')}${registerClose}${saftTail}`,
    );
    importFile(db, day1);
    const both = join(dir, 'both.xml');
    writeFileSync(both, twoDayFile());
    const outcome = importFile(db, both);
    expect(outcome.imported.map((r) => r.number)).toEqual(['2']);
    expect(outcome.duplicates.map((r) => r.number)).toEqual(['1']);
  });

  it('flags a changed re-export of a stored report as a conflict and keeps the stored one', () => {
    const { db, dir } = setup();
    const original = join(dir, 'a.xml');
    writeFileSync(original, twoDayFile('250.00'));
    importFile(db, original);
    const changed = join(dir, 'b.xml');
    writeFileSync(changed, twoDayFile('300.00'));
    const outcome = importFile(db, changed);
    expect(outcome.conflicts.map((r) => r.warnings[0])).toEqual([
      expect.stringMatching(
        /^Z report 2 of register 10009 was imported before with other amounts; the stored one is kept/,
      ),
    ]);
    const stored = listSettlements(db).find((s) => s.reportNumber === '2')!;
    expect(stored.lines.find((l) => l.key === 'cash')!.amount).toBe(25000);
    expect(listLog(db).some((entry) => entry.code === 'import_conflict')).toBe(true);
  });

  it('refuses an unknown file and stores nothing from a file that fails half-way', () => {
    const { db, dir } = setup();
    const text = join(dir, 'notes.txt');
    writeFileSync(text, 'hello');
    expect(() => importFile(db, text)).toThrow(SourceError);
    const bad = join(dir, 'bad.xml');
    // The first Z is fine; the second has an unknown payment code: the whole file is refused.
    writeFileSync(bad, twoDayFile('250.00', 'BITCOIN'));
    expect(() => importFile(db, bad)).toThrow(/payment code "BITCOIN"/);
    expect(counts(db)).toEqual({ settlements: 0, lines: 0 });
    expect(
      listLog(db)
        .filter((entry) => entry.code === 'import_failed')
        .map((entry) => entry.message),
    ).toEqual([
      expect.stringContaining('payment code "BITCOIN" in Z report 2 is not defined in company/basics'),
      expect.stringContaining('not a SAF-T Cash Register, SIE4 or CSV settlement file'),
    ]);
  });

  it.each([
    ['saft', 'xml', () => readFileSync(OFFICIAL_EXAMPLE)],
    ['sie4', 'se', () => iconv.encode(SIE4_SAMPLE, 'cp437')],
    ['csv', 'csv', () => Buffer.from(CSV_SAMPLE)],
  ] as const)(
    'fuzz %s: truncated and mutated files end in a clear SourceError or a correct import, never a crash or a partial import',
    (format, extension, sample) => {
      const { db, dir } = setup();
      const original = sample();
      const path = join(dir, `fuzz.${extension}`);
      let seed = 7;
      const random = (below: number): number => {
        seed = (seed * 1103515245 + 12345) % 2 ** 31;
        return seed % below;
      };
      const outcomes = { rejected: 0, imported: 0 };
      for (let round = 0; round < 150; round += 1) {
        let bytes: Buffer;
        if (round % 2 === 0) {
          bytes = original.subarray(0, random(original.length));
        } else {
          bytes = Buffer.from(original);
          for (let flips = 0; flips < 1 + random(4); flips += 1) bytes[random(bytes.length)] = random(256);
        }
        writeFileSync(path, bytes);
        const before = counts(db);
        try {
          const outcome = importFile(db, path, format);
          outcomes.imported += 1;
          expect(counts(db).settlements - before.settlements).toBe(outcome.imported.length);
        } catch (error) {
          expect(error).toBeInstanceOf(SourceError);
          expect((error as SourceError).message).toContain(path);
          expect(counts(db)).toEqual(before);
          outcomes.rejected += 1;
        }
        // Whatever got in is whole: every stored settlement kept all its lines.
        for (const settlement of listSettlements(db)) expect(settlement.lines.length).toBeGreaterThan(0);
      }
      expect(outcomes.rejected).toBeGreaterThan(20);
      expect(outcomes.imported).toBeGreaterThan(0);
    },
  );
});
