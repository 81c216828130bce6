import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  DUETT_SETTINGS,
  EXPORT_NOW,
  exportFixture,
  GBAT10_SETTINGS,
  XLEDGER_SETTINGS,
} from '../../../test/fixtures/export-days';
import { line } from '../../../test/fixtures/settlements';
import { useTempHome } from '../../../test/helpers/temp-home';
import { main } from '../cli/main';
import { SourceError } from '../sources/source-error';
import { loadKontooppsett, saveKontooppsett } from '../store/mappings';
import { importSettlements } from '../store/settlements';
import { listVouchers } from '../store/vouchers';
import { readDuett } from './duett/read-duett';
import { readGbat10 } from './gbat10/read-gbat10';
import { ExportError, exportFileTarget } from './run-export';
import { readXledger } from './xledger/read-xledger';
import { xmlText } from './xledger/xledger-format';

const tempDir = useTempHome();
const later = new Date('2026-11-22T06:00:00Z');

const day43 = {
  source: 'test-pos',
  location: '1',
  registerId: '10009',
  kind: 'Z' as const,
  reportNumber: '43/10009',
  businessDate: '2026-11-21',
  currency: 'NOK',
  lines: [line('sales_25', '80.00', '20.00'), line('cash', '100.00')],
};

describe('re-running Xledger and Duett exports', () => {
  it('Xledger: nothing twice; the next Z-report goes alone into file 2 as voucher 7004', () => {
    const db = exportFixture('xledger', XLEDGER_SETTINGS);
    const folder = tempDir();
    expect(exportFileTarget(db, 'xledger', { folder, now: EXPORT_NOW }).exported).toHaveLength(3);
    expect(exportFileTarget(db, 'xledger', { folder, now: EXPORT_NOW })).toMatchObject({
      file: null,
      exported: [],
      alreadyExported: 3,
    });
    importSettlements(db, [day43]);
    const second = exportFileTarget(db, 'xledger', { folder, now: later });
    expect(second.file?.name).toBe('kassebro-xledger-0002-20261121-20261121.xml');
    expect(second.alreadyExported).toBe(3);
    const [voucher, ...rest] = readXledger(readFileSync(second.file!.path));
    expect(rest).toEqual([]);
    expect(voucher!.number).toBe('7004');
    expect(voucher!.entries.map((entry) => [entry.account, entry.taxRule, entry.amount])).toEqual([
      ['1900', null, 10000],
      ['3000', 'U25', -8000],
      ['2700', null, -2000],
    ]);
    expect(listVouchers(db, { targetId: 'xledger' }).map((stored) => stored.state)).toEqual([
      'posted',
      'posted',
      'posted',
      'posted',
    ]);
  });

  it('Duett: nothing twice, numbering on from the voucher number start', () => {
    const db = exportFixture('duett', DUETT_SETTINGS);
    const folder = tempDir();
    const first = exportFileTarget(db, 'duett', { folder, to: '2026-11-19', now: EXPORT_NOW });
    expect(first.exported.map((voucher) => voucher.number)).toEqual([3001, 3002]);
    expect(exportFileTarget(db, 'duett', { folder, to: '2026-11-19', now: EXPORT_NOW }).file).toBeNull();
    importSettlements(db, [day43]);
    const second = exportFileTarget(db, 'duett', { folder, now: later });
    expect(second.exported.map((voucher) => [voucher.reportNumber, voucher.number])).toEqual([
      ['7/20001', 3003],
      ['43/10009', 3004],
    ]);
    expect(second.alreadyExported).toBe(2);
    const vouchers = readDuett(readFileSync(second.file!.path));
    expect(vouchers.map((voucher) => voucher.number)).toEqual(['3003', '3004']);
  });
});

describe('what Xledger and Duett refuse', () => {
  it('Xledger refuses a VAT code with no tax rule, and takes it once taxRules names one', () => {
    const db = exportFixture('xledger', XLEDGER_SETTINGS);
    const kontooppsett = loadKontooppsett(db, 'xledger')!;
    saveKontooppsett(db, 'xledger', {
      ...kontooppsett,
      entries: kontooppsett.entries.map((entry) => (entry.key === 'sales_0' ? { ...entry, vatCode: '52' } : entry)),
    });
    const folder = tempDir();
    const refused = exportFileTarget(db, 'xledger', { folder, now: EXPORT_NOW });
    expect(refused.exported.map((voucher) => voucher.reportNumber)).toEqual(['42/10009']);
    expect(refused.notExported.map((entry) => [entry.reportNumber, entry.formatReasons])).toEqual([
      ['41/10009', ['VAT code "52" is not translated to an Xledger tax rule (setting taxRules)']],
      ['7/20001', ['VAT code "52" is not translated to an Xledger tax rule (setting taxRules)']],
    ]);

    db.prepare("UPDATE targets SET settings = ? WHERE id = 'xledger'").run(
      JSON.stringify({ ...XLEDGER_SETTINGS, taxRules: { '52': 'X0' } }),
    );
    const retried = exportFileTarget(db, 'xledger', { folder, now: later });
    expect(retried.exported.map((voucher) => voucher.reportNumber)).toEqual(['41/10009', '7/20001']);
    const taxRules = readXledger(readFileSync(retried.file!.path)).flatMap((voucher) =>
      voucher.entries.map((entry) => entry.taxRule),
    );
    expect(taxRules.filter((rule) => rule !== null)).toEqual(['U25', 'U15', 'X0', 'X0']);
  });

  it('Duett and GBAT10 refuse a VAT code without an output-VAT account in every mode (the net amounts would not balance)', () => {
    const targets = [
      ['duett', DUETT_SETTINGS],
      ['duett', { ...DUETT_SETTINGS, amounts: 'gross' }],
      ['gbat10', GBAT10_SETTINGS],
    ] as const;
    for (const [kind, settings] of targets) {
      const db = exportFixture(kind, { ...settings, vatAccounts: { '3': '2700' } });
      const refused = exportFileTarget(db, kind, { folder: tempDir(), now: EXPORT_NOW });
      expect(refused.notExported.map((entry) => [entry.reportNumber, entry.formatReasons])).toEqual([
        ['41/10009', ['VAT code "31" has no output-VAT account (setting vatAccounts)']],
      ]);
      expect(refused.exported).toHaveLength(2);
    }
  });

  it('Duett takes sub-accounts like 1920.1; GBAT10 does not', () => {
    for (const kind of ['duett', 'gbat10'] as const) {
      const db = exportFixture(kind, kind === 'duett' ? DUETT_SETTINGS : { voucherNumberStart: 1 });
      const kontooppsett = loadKontooppsett(db, kind)!;
      saveKontooppsett(db, kind, {
        ...kontooppsett,
        entries: kontooppsett.entries.map((entry) => (entry.key === 'cash' ? { ...entry, account: '1900.1' } : entry)),
      });
      const result = exportFileTarget(db, kind, { folder: tempDir(), now: EXPORT_NOW });
      expect(result.exported.length).toBe(kind === 'duett' ? 3 : 1);
      if (kind === 'gbat10') continue;
      const bytes = readFileSync(result.file!.path);
      expect(readDuett(bytes)[0]!.postings.map((posting) => posting.account)).toContain('1900.1');
      expect(() => readGbat10(bytes)).toThrow(
        'GBAT10 file: line 3, field "6": account "1900.1" is not an account number',
      );
    }
  });

  it('names the bad setting', () => {
    const db = exportFixture('xledger', { voucherNumberStart: 1 });
    expect(() => exportFileTarget(db, 'xledger', { folder: tempDir(), now: EXPORT_NOW })).toThrow(
      new ExportError(
        'Target "xledger" has invalid Xledger GL02XML settings: entityCode: the Xledger entity code (digits), e.g. 23001',
      ),
    );
    const duett = exportFixture('duett', { amounts: 'brutto' });
    expect(() => exportFileTarget(duett, 'duett', { folder: tempDir(), now: EXPORT_NOW })).toThrow(
      /invalid Duett \(GBAT10\) settings: amounts: /,
    );
  });
});

describe('Xledger texts', () => {
  it('escapes the XML markup characters and turns line breaks into one space', () => {
    expect(xmlText('Mat & drikke <ute>\r\nkveld')).toBe('Mat &amp; drikke &lt;ute&gt; kveld');
  });
});

describe('the Xledger reader', () => {
  const entry = (fields: string): string =>
    `<xml><JournalEntries><JournalEntry>${fields}</JournalEntry></JournalEntries></xml>`;
  const head =
    '<EntityCode>1</EntityCode><VoucherType>GL</VoucherType><VoucherNo>5</VoucherNo>' +
    '<FiscalYear>2026</FiscalYear><VoucherDate>20261118</VoucherDate><Account>1900</Account><Text>x</Text>';

  it('refuses unbalanced vouchers, bad amounts, unknown elements and a wrong fiscal year, naming the place', () => {
    const read = (xml: string) => () => readXledger(Buffer.from(xml));
    expect(read(entry(`${head}<Amount>10.00</Amount>`))).toThrow(
      new SourceError('Xledger file', 'voucher 5', null, 'sums to 1000 øre, not 0'),
    );
    expect(read(entry(`${head}<Amount>10,00</Amount>`))).toThrow(
      new SourceError('Xledger file', 'entry at line 1', 'Amount', 'an amount like -1234.50'),
    );
    expect(read(entry(`${head}<Amount>0</Amount><Vat>3</Vat>`))).toThrow(/field "Vat": unknown element/);
    expect(read(entry(head.replace('2026</Fiscal', '2025</Fiscal') + '<Amount>0</Amount>'))).toThrow(
      /FiscalYear.*2025 is not the year of 20261118/,
    );
    expect(read('<xml><Entries/></xml>')).toThrow(/field "Entries": expected <JournalEntries>/);
  });
});

describe('kassebro export xledger|duett', () => {
  it('exports the range through the shared export command', async () => {
    for (const [kind, settings, extension] of [
      ['xledger', XLEDGER_SETTINGS, 'xml'],
      ['duett', DUETT_SETTINGS, 'csv'],
    ] as const) {
      const db = join(tempDir(), 'kassebro.sqlite');
      exportFixture(kind, settings, db).close();
      const out = tempDir();
      let stdout = '';
      const code = await main(
        ['--db', db, 'export', kind, '--from', '2026-11-19', '--to', '2026-11-20', '--out', out],
        { stdout: (text) => (stdout += text), stderr: () => undefined },
      );
      expect(code).toBe(0);
      expect(stdout).toContain(
        `Wrote ${join(out, `kassebro-${kind}-0001-20261119-20261120.${extension}`)} (2 vouchers,`,
      );
    }
  });
});
