import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  DUETT_SETTINGS,
  EXPORT_NOW,
  EXPORT_PROGRAM,
  exportFixture,
  GBAT10_SETTINGS,
  SIE4_SETTINGS,
  XLEDGER_SETTINGS,
} from '../../../test/fixtures/export-days';
import { useTempHome } from '../../../test/helpers/temp-home';
import { sum } from '../../shared/money';
import { effectiveAmount, readGbat10 } from './gbat10/read-gbat10';
import { exportFileTarget } from './run-export';
import { readSie4 } from './sie4/read-sie4';
import { readXledger } from './xledger/read-xledger';
import { readDuett } from './duett/read-duett';

// #GEN is the shop's local date; pin the zone so the byte-exact files do not depend on the machine's.
process.env['TZ'] = 'Europe/Stockholm';

const golden = (name: string): Buffer => readFileSync(join(import.meta.dirname, '../../../test/golden', name));
const tempDir = useTempHome();

describe('SIE 4 golden file', () => {
  it('writes the three Swedish days byte for byte as test/golden/sie4/three-days.si', () => {
    const db = exportFixture('sie4', SIE4_SETTINGS);
    const result = exportFileTarget(db, 'sie4', { folder: tempDir(), now: EXPORT_NOW, program: EXPORT_PROGRAM });
    expect(result.file?.name).toBe('kassebro-sie4-0001-20261118-20261120.si');
    const written = readFileSync(result.file!.path);
    expect(written.equals(golden('sie4/three-days.si'))).toBe(true);
  });

  it('is true CP437 with CRLF: Å, å, ö, ä, Ö are single bytes 0x8F, 0x86, 0x94, 0x84, 0x99', () => {
    const bytes = golden('sie4/three-days.si');
    const text = bytes.toString('latin1');
    expect(bytes.indexOf(Buffer.from('"Kaffebaren \x8Fre AB"', 'latin1'))).toBeGreaterThan(0);
    expect(bytes.indexOf(Buffer.from('Utg\x86ende', 'latin1'))).toBeGreaterThan(0);
    expect(bytes.indexOf(Buffer.from('F\x94rs\x84ljning', 'latin1'))).toBeGreaterThan(0);
    expect(bytes.indexOf(Buffer.from('"\x99resavrundning', 'latin1'))).toBeGreaterThan(0);
    // 30 records, each ended by CRLF.
    expect(text.split('\r\n')).toHaveLength(31);
    expect(text.replaceAll('\r\n', '')).not.toContain('\n');
  });

  it('reads back as three balanced vouchers matching the settlements', () => {
    const file = readSie4(golden('sie4/three-days.si'));
    expect(file.header.get('#FNAMN')).toEqual(['Kaffebaren Åre AB']);
    expect(file.header.get('#ORGNR')).toEqual(['556677-8899']);
    expect(file.vouchers.map((voucher) => [voucher.series, voucher.number, voucher.date])).toEqual([
      ['K', '101', '20261118'],
      ['K', '102', '20261119'],
      ['K', '103', '20261120'],
    ]);
    const [first, refund, exempt] = file.vouchers;
    expect(first!.transactions.map((row) => [row.account, row.amount])).toEqual([
      ['1580', 930000],
      ['1910', 400000],
      ['3001', -800000],
      ['2611', -200000],
      ['3002', -294643],
      ['2621', -35357],
    ]);
    expect(first!.transactions.every((row) => row.objects[0]?.[0] === '1' && row.objects[0][1] === '10')).toBe(true);
    expect(refund!.transactions.map((row) => row.amount)).toEqual([-50000, 40000, 10000]);
    expect(exempt!.transactions.map((row) => [row.account, row.amount, row.objects.length])).toEqual([
      ['1910', 35630, 0],
      ['3003', -10000, 0],
      ['2631', -600, 0],
      ['3004', -25000, 0],
      ['3740', -30, 0],
    ]);
  });
});

describe('GBAT10 golden file', () => {
  it('writes the three Norwegian days byte for byte as test/golden/gbat10/three-days.csv', () => {
    const db = exportFixture('gbat10', GBAT10_SETTINGS);
    const result = exportFileTarget(db, 'gbat10', { folder: tempDir(), now: EXPORT_NOW });
    expect(result.file?.name).toBe('kassebro-gbat10-0001-20261118-20261120.csv');
    expect(result.exported.map((voucher) => voucher.number)).toEqual([5001, 5002, 5003]);
    expect(readFileSync(result.file!.path).equals(golden('gbat10/three-days.csv'))).toBe(true);
  });

  it('is ISO-8859-1 with CRLF: å is 0xE5 and Ø is 0xD8', () => {
    const bytes = golden('gbat10/three-days.csv');
    expect(bytes.indexOf(Buffer.from([0x70, 0xe5, 0x66]))).toBeGreaterThan(0); // "påf"
    expect(bytes.indexOf(Buffer.from([0x3b, 0xd8, 0x72]))).toBeGreaterThan(0); // ";Ør"
    expect(bytes.toString('latin1').split('\r\n')).toHaveLength(16);
  });

  it('reads back as three vouchers that balance on the net and on the effective (gross) amounts', () => {
    const vouchers = readGbat10(golden('gbat10/three-days.csv'));
    expect(vouchers.map((voucher) => [voucher.number, voucher.date, voucher.postings.length])).toEqual([
      ['5001', '20261118', 8],
      ['5002', '20261119', 3],
      ['5003', '20261120', 4],
    ]);
    for (const voucher of vouchers) {
      expect(sum(voucher.postings.map((posting) => posting.amount))).toBe(0);
      expect(sum(voucher.postings.map(effectiveAmount))).toBe(0);
    }
    // The VAT of each sale with VAT follows it as an `F` line on the NS 4102 output-VAT account.
    expect(
      vouchers.flatMap((voucher) => voucher.postings.filter((posting) => posting.grossFlag === 'F')),
    ).toMatchObject([
      { account: '2700', vatCode: '0', amount: -175000, text: 'Utgående mva 25 % Z41/10009' },
      { account: '2701', vatCode: '0', amount: -16304, text: 'Utgående mva 15 % Z41/10009' },
      { account: '2700', vatCode: '0', amount: 10000, text: 'Utgående mva 25 % Z42/10009' },
    ]);
    const sales = vouchers[0]!.postings.filter((posting) => posting.grossFlag === 'T');
    expect(
      sales.map((posting) => [posting.account, posting.vatCode, posting.amount, effectiveAmount(posting)]),
    ).toEqual([
      ['3000', '3', -700000, -875000],
      ['3001', '31', -108696, -125000],
      ['3100', '5', -10000, -10000],
    ]);
    expect(vouchers[2]!.postings.map((posting) => posting.department)).toEqual(['', '', '', '']);
    expect(vouchers[0]!.postings.every((posting) => posting.department === '10')).toBe(true);
    expect(vouchers[2]!.postings.at(-1)).toMatchObject({
      account: '7740',
      amount: -40,
      text: 'Øreavrunding (beregnet av Kassebro) Z7/20001',
    });
  });
});

describe('Xledger golden file', () => {
  it('writes the three Norwegian days byte for byte as test/golden/xledger/three-days.xml', () => {
    const db = exportFixture('xledger', XLEDGER_SETTINGS);
    const result = exportFileTarget(db, 'xledger', { folder: tempDir(), now: EXPORT_NOW });
    expect(result.file?.name).toBe('kassebro-xledger-0001-20261118-20261120.xml');
    expect(result.exported.map((voucher) => voucher.number)).toEqual([7001, 7002, 7003]);
    expect(readFileSync(result.file!.path).equals(golden('xledger/three-days.xml'))).toBe(true);
  });

  it('is UTF-8 with CRLF and no BOM: å is C3 A5, Ø is C3 98', () => {
    const bytes = golden('xledger/three-days.xml');
    expect(bytes.subarray(0, 5).toString('latin1')).toBe('<?xml');
    expect(bytes.indexOf(Buffer.from('p\u00e5fylt', 'utf8'))).toBeGreaterThan(0);
    expect(bytes.indexOf(Buffer.from([0x3e, 0xc3, 0x98, 0x72]))).toBeGreaterThan(0); // ">Ør"
    expect(bytes.toString('utf8').split('\r\n')).toHaveLength(172);
  });

  it('reads back as three balanced vouchers with Xledger tax rules, not the standard VAT codes', () => {
    const vouchers = readXledger(golden('xledger/three-days.xml'));
    expect(vouchers.map((voucher) => [voucher.number, voucher.date, voucher.entries.length])).toEqual([
      ['7001', '20261118', 8],
      ['7002', '20261119', 3],
      ['7003', '20261120', 4],
    ]);
    expect(
      vouchers[0]!.entries.filter((entry) => entry.taxRule !== null).map((entry) => [entry.account, entry.taxRule]),
    ).toEqual([
      ['3000', 'U25'],
      ['3001', 'U15'],
      ['3100', 'U0'],
    ]);
    expect(vouchers[0]!.entries.every((entry) => entry.posting1 === '10')).toBe(true);
    expect(vouchers[1]!.entries.map((entry) => [entry.account, entry.amount])).toEqual([
      ['1920', -50000],
      ['3000', 40000],
      ['2700', 10000],
    ]);
    expect(vouchers[2]!.entries.map((entry) => entry.posting1)).toEqual([null, null, null, null]);
    expect(vouchers[2]!.entries[3]).toMatchObject({
      account: '7740',
      amount: -40,
      text: 'Øreavrunding (beregnet av Kassebro) Z7/20001',
    });
  });
});

describe('Duett golden file', () => {
  it('writes net amounts with VAT lines byte for byte as test/golden/duett/three-days-net.csv', () => {
    const db = exportFixture('duett', DUETT_SETTINGS);
    const result = exportFileTarget(db, 'duett', { folder: tempDir(), now: EXPORT_NOW });
    expect(result.file?.name).toBe('kassebro-duett-0001-20261118-20261120.csv');
    expect(result.exported.map((voucher) => voucher.number)).toEqual([3001, 3002, 3003]);
    expect(readFileSync(result.file!.path).equals(golden('duett/three-days-net.csv'))).toBe(true);
  });

  it('in gross mode writes exactly the GBAT10 gross-mode file (same lines, T and amount incl. VAT, F lines)', () => {
    const db = exportFixture('duett', { voucherNumberStart: 5001, amounts: 'gross' });
    const result = exportFileTarget(db, 'duett', { folder: tempDir(), now: EXPORT_NOW });
    expect(readFileSync(result.file!.path).equals(golden('gbat10/three-days.csv'))).toBe(true);
  });

  it('is ISO-8859-1: å is 0xE5, Ø is 0xD8', () => {
    const bytes = golden('duett/three-days-net.csv');
    expect(bytes.indexOf(Buffer.from([0x55, 0x74, 0x67, 0xe5]))).toBeGreaterThan(0); // "Utgå"
    expect(bytes.indexOf(Buffer.from([0x3b, 0xd8, 0x72]))).toBeGreaterThan(0); // ";Ør"
    expect(bytes.toString('latin1').split('\r\n')).toHaveLength(16);
  });

  it('reads back as vouchers that balance on the net amounts alone, with the department setting on location 2', () => {
    const vouchers = readDuett(golden('duett/three-days-net.csv'));
    expect(vouchers.map((voucher) => [voucher.number, voucher.postings.length])).toEqual([
      ['3001', 8],
      ['3002', 3],
      ['3003', 4],
    ]);
    expect(vouchers[0]!.postings.every((posting) => posting.vatCode === '0' && posting.grossFlag === '')).toBe(true);
    expect(vouchers[0]!.postings.slice(3, 5).map((posting) => [posting.account, posting.amount])).toEqual([
      ['3000', -700000],
      ['2700', -175000],
    ]);
    expect(vouchers[2]!.postings.map((posting) => posting.department)).toEqual(['20', '20', '20', '20']);
  });
});
