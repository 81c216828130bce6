import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { line } from '../../../test/fixtures/settlements';
import { EXPORT_NOW, exportFixture, GBAT10_SETTINGS, SIE4_SETTINGS } from '../../../test/fixtures/export-days';
import { useTempHome } from '../../../test/helpers/temp-home';
import { FileAccessError } from '../log/io-error';
import { listLog } from '../store/integration-log';
import { saveKontooppsett, loadKontooppsett } from '../store/mappings';
import { importSettlements } from '../store/settlements';
import { saveTarget } from '../store/targets';
import { listVouchers } from '../store/vouchers';
import { claimExport, exportFileVouchers, listExportFiles } from './export-store';
import { readGbat10 } from './gbat10/read-gbat10';
import { exportFileTarget } from './run-export';
import { readSie4 } from './sie4/read-sie4';

const tempDir = useTempHome();
const later = new Date('2026-11-22T06:00:00Z');

describe('re-running an export', () => {
  it('exports nothing twice; a Z-report closed after the first run goes alone into the second file', () => {
    const db = exportFixture('gbat10', GBAT10_SETTINGS);
    const folder = tempDir();
    const first = exportFileTarget(db, 'gbat10', { folder, now: EXPORT_NOW });
    expect(first.exported).toHaveLength(3);

    const again = exportFileTarget(db, 'gbat10', { folder, now: EXPORT_NOW });
    expect(again).toMatchObject({ file: null, exported: [], alreadyExported: 3 });

    importSettlements(db, [
      {
        source: 'test-pos',
        location: '1',
        registerId: '10009',
        kind: 'Z',
        reportNumber: '43/10009',
        businessDate: '2026-11-21',
        currency: 'NOK',
        lines: [line('sales_25', '80.00', '20.00'), line('cash', '100.00')],
      },
    ]);
    const second = exportFileTarget(db, 'gbat10', { folder, now: later });
    expect(second.file?.name).toBe('kassebro-gbat10-0002-20261121-20261121.csv');
    expect(second.exported.map((voucher) => [voucher.reportNumber, voucher.number])).toEqual([['43/10009', 5004]]);
    expect(second.alreadyExported).toBe(3);
    const vouchers = readGbat10(readFileSync(second.file!.path));
    expect(vouchers.map((voucher) => voucher.number)).toEqual(['5004']);
    expect(vouchers[0]!.postings.map((posting) => [posting.account, posting.amount])).toEqual([
      ['1900', 10000],
      ['3000', -8000],
      ['2700', -2000],
    ]);

    expect(readdirSync(folder).sort()).toEqual([
      'kassebro-gbat10-0001-20261118-20261120.csv',
      'kassebro-gbat10-0002-20261121-20261121.csv',
    ]);
    const stored = listVouchers(db, { targetId: 'gbat10' });
    expect(stored.map((voucher) => [voucher.state, voucher.externalId])).toEqual([
      ['posted', 'kassebro-gbat10-0001-20261118-20261120.csv'],
      ['posted', 'kassebro-gbat10-0001-20261118-20261120.csv'],
      ['posted', 'kassebro-gbat10-0001-20261118-20261120.csv'],
      ['posted', 'kassebro-gbat10-0002-20261121-20261121.csv'],
    ]);
    const runs = listLog(db).filter((entry) => entry.module === 'export' && entry.status === 'transferred');
    expect(runs[0]!.payload).toMatchObject({
      file: join(folder, 'kassebro-gbat10-0002-20261121-20261121.csv'),
      format: 'gbat10',
      bytes: readFileSync(second.file!.path).length,
      sha256: second.file!.sha256,
      vouchers: [{ idempotencyKey: stored[3]!.idempotencyKey, number: 5004 }],
    });
    expect(runs.map((entry) => entry.message.split(' (')[0])).toEqual([
      '1 voucher written to kassebro-gbat10-0002-20261121-20261121.csv',
      '3 vouchers written to kassebro-gbat10-0001-20261118-20261120.csv',
    ]);
  });

  it('filters by business date and exports the rest later, numbering on where it stopped', () => {
    const db = exportFixture('sie4', SIE4_SETTINGS);
    const folder = tempDir();
    const middle = exportFileTarget(db, 'sie4', { folder, from: '2026-11-19', to: '2026-11-19', now: EXPORT_NOW });
    expect(middle.exported.map((voucher) => [voucher.businessDate, voucher.number])).toEqual([['2026-11-19', 101]]);
    const rest = exportFileTarget(db, 'sie4', { folder, now: later });
    expect(rest.exported.map((voucher) => [voucher.businessDate, voucher.number])).toEqual([
      ['2026-11-18', 102],
      ['2026-11-20', 103],
    ]);
    expect(rest.alreadyExported).toBe(1);
    const file = readSie4(readFileSync(rest.file!.path));
    expect(file.vouchers.map((voucher) => voucher.date)).toEqual(['20261118', '20261120']);
  });

  it('leaves the voucher number to the receiver when a SIE target sets no start', () => {
    const { voucherNumberStart: _unused, ...settings } = SIE4_SETTINGS;
    const db = exportFixture('sie4', settings);
    const result = exportFileTarget(db, 'sie4', { folder: tempDir(), now: EXPORT_NOW });
    expect(readSie4(readFileSync(result.file!.path)).vouchers.map((voucher) => voucher.number)).toEqual(['', '', '']);
  });
});

describe('refusals', () => {
  it('never exports a refused voucher, says which and why, and exports the others', () => {
    const db = exportFixture('gbat10', GBAT10_SETTINGS);
    const mapping = loadKontooppsett(db, 'gbat10');
    saveKontooppsett(db, 'gbat10', {
      ...mapping,
      entries: mapping.entries.filter((entry) => entry.key !== 'vipps_integrated'),
    });
    const result = exportFileTarget(db, 'gbat10', { folder: tempDir(), now: EXPORT_NOW });
    expect(result.exported.map((voucher) => voucher.reportNumber)).toEqual(['42/10009', '7/20001']);
    expect(result.notExported).toMatchObject([{ reportNumber: '41/10009', state: 'blocked' }]);
    expect(result.notExported[0]!.problems[0]).toMatchObject({ code: 'unmapped_key', key: 'vipps_integrated' });
    const log = listLog(db).find((entry) => entry.code === 'vouchers_refused');
    expect(log).toMatchObject({ status: 'not_transferred' });
    expect(log!.message).toContain('1 Z-report not exported: 41/10009 (2026-11-18)');
  });

  it('never writes a voucher the format cannot hold (Fiken sub-account, named department), and says why', () => {
    const db = exportFixture('gbat10', GBAT10_SETTINGS);
    const mapping = loadKontooppsett(db, 'gbat10');
    saveKontooppsett(db, 'gbat10', {
      entries: mapping.entries.map((entry) =>
        entry.key === 'vipps_integrated' ? { ...entry, account: '1920:10002' } : entry,
      ),
      departments: [{ location: '2', department: 'Oslo' }],
    });
    const result = exportFileTarget(db, 'gbat10', { folder: tempDir(), now: EXPORT_NOW });
    expect(result.exported.map((voucher) => voucher.reportNumber)).toEqual(['42/10009']);
    expect(result.notExported.map((entry) => [entry.reportNumber, entry.formatReasons])).toEqual([
      ['41/10009', ['account "1920:10002" is not 1–7 digits (GBAT10 field 6)']],
      ['7/20001', ['department "Oslo" is not 1–4 digits (GBAT10 field 24)']],
    ]);
    expect(readGbat10(readFileSync(result.file!.path)).map((voucher) => voucher.number)).toEqual(['5001']);
  });

  it('stops before a voucher number would pass 8 digits', () => {
    const db = exportFixture('gbat10', { voucherNumberStart: 99_999_998 });
    expect(() => exportFileTarget(db, 'gbat10', { folder: tempDir(), now: EXPORT_NOW })).toThrow(
      'Voucher number 100000000 would pass 99999999',
    );
    expect(listVouchers(db, { targetId: 'gbat10' }).map((voucher) => voucher.state)).toEqual([
      'ready',
      'ready',
      'ready',
    ]);
  });

  it('refuses invalid settings, naming the field', () => {
    const db = exportFixture('sie4', { ...SIE4_SETTINGS, orgNumber: '5566778899' });
    expect(() => exportFileTarget(db, 'sie4', { folder: tempDir() })).toThrow(
      'Target "sie4" has invalid SIE 4 settings: orgNumber: a Swedish organisation number like 556677-8899',
    );
  });

  it('refuses an API target, a missing folder and a bad date', () => {
    const db = exportFixture('sie4', SIE4_SETTINGS);
    saveTarget(db, { id: 'fx', kind: 'fortnox', name: 'Fortnox', settings: {}, secretRef: null });
    expect(() => exportFileTarget(db, 'fx', { folder: tempDir() })).toThrow(
      'Target "fx" is a Fortnox target, not a file export',
    );
    expect(() => exportFileTarget(db, 'sie4', {})).toThrow('No export folder for target "sie4"');
    const nope = join(tempDir(), 'nope');
    expect(() => exportFileTarget(db, 'sie4', { folder: nope })).toThrow(new FileAccessError(nope, 'write', 'ENOENT'));
    expect(() => exportFileTarget(db, 'sie4', { folder: tempDir(), from: '2026-13-45' })).toThrow(
      '--from must be a date like 2026-11-20, not "2026-13-45"',
    );
    expect(() => exportFileTarget(db, 'sie4', { folder: tempDir(), to: '2026-02-30' })).toThrow('not "2026-02-30"');
  });

  it('never overwrites a file already in the folder, and exports nothing then', () => {
    const db = exportFixture('sie4', SIE4_SETTINGS);
    const folder = tempDir();
    writeFileSync(join(folder, 'kassebro-sie4-0001-20261118-20261120.si'), 'not ours');
    expect(() => exportFileTarget(db, 'sie4', { folder, now: EXPORT_NOW })).toThrow('never overwrites');
    expect(readFileSync(join(folder, 'kassebro-sie4-0001-20261118-20261120.si'), 'utf8')).toBe('not ours');
    expect(listVouchers(db, { targetId: 'sie4' }).map((voucher) => voucher.state)).toEqual(['ready', 'ready', 'ready']);
    expect(listExportFiles(db, 'sie4')).toEqual([]);
    expect(listLog(db).find((entry) => entry.code === 'file_write_failed')).toBeDefined();
  });
});

describe('after a crash between recording and writing', () => {
  function crashedClaim(folder: string) {
    const db = exportFixture('sie4', SIE4_SETTINGS);
    exportFileTarget(db, 'sie4', { folder, to: '2026-11-01', now: EXPORT_NOW }); // prepares vouchers, exports none
    const vouchers = listVouchers(db, { targetId: 'sie4' });
    const fileId = claimExport(
      db,
      {
        targetId: 'sie4',
        format: 'sie4',
        folder,
        fileName: 'kassebro-sie4-0001-20261118-20261120.si',
        fromDate: null,
        toDate: null,
        vouchers: vouchers.map((voucher, index) => ({
          voucherId: voucher.id,
          idempotencyKey: voucher.idempotencyKey,
          voucherNumber: 101 + index,
        })),
      },
      EXPORT_NOW,
    );
    return { db, fileId };
  }

  it('undoes the claim when the file never appeared, and exports those vouchers in the next file', () => {
    const folder = tempDir();
    const { db } = crashedClaim(folder);
    writeFileSync(join(folder, '.kassebro-sie4-0001-20261118-20261120.si.4242.tmp'), '#FLAGGA 0\r\n#PROG');
    const result = exportFileTarget(db, 'sie4', { folder, now: later });
    expect(readdirSync(folder)).toEqual([result.file!.name]);
    expect(result.recovered).toEqual([{ fileName: 'kassebro-sie4-0001-20261118-20261120.si', outcome: 'undone' }]);
    expect(result.exported.map((voucher) => voucher.number)).toEqual([101, 102, 103]);
    expect(readSie4(readFileSync(result.file!.path)).vouchers).toHaveLength(3);
  });

  it('completes the run when the file is in place, and does not export its vouchers again', () => {
    const folder = tempDir();
    const { db, fileId } = crashedClaim(folder);
    writeFileSync(join(folder, 'kassebro-sie4-0001-20261118-20261120.si'), 'written before the crash');
    const result = exportFileTarget(db, 'sie4', { folder, now: later });
    expect(result.recovered).toEqual([{ fileName: 'kassebro-sie4-0001-20261118-20261120.si', outcome: 'completed' }]);
    expect(result).toMatchObject({ file: null, alreadyExported: 3 });
    expect(exportFileVouchers(db, fileId)).toHaveLength(3);
    expect(listVouchers(db, { targetId: 'sie4' }).every((voucher) => voucher.state === 'posted')).toBe(true);
    expect(existsSync(join(folder, 'kassebro-sie4-0002-20261118-20261120.si'))).toBe(false);
  });
});
