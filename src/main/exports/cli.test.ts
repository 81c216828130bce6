import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { exportFixture, GBAT10_SETTINGS } from '../../../test/fixtures/export-days';
import { useTempHome } from '../../../test/helpers/temp-home';
import { main } from '../cli/main';
import { readGbat10 } from './gbat10/read-gbat10';

const tempDir = useTempHome();

async function kassebro(args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  let stdout = '';
  let stderr = '';
  const code = await main(args, { stdout: (text) => (stdout += text), stderr: (text) => (stderr += text) });
  return { code, stdout, stderr };
}

function home(): { db: string; out: string } {
  const db = join(tempDir(), 'kassebro.sqlite');
  exportFixture('gbat10', GBAT10_SETTINGS, db).close();
  return { db, out: tempDir() };
}

describe('kassebro export', () => {
  it('writes one file for the range, then nothing on a re-run', async () => {
    const { db, out } = home();
    const first = await kassebro([
      '--db',
      db,
      'export',
      'gbat10',
      '--from',
      '2026-11-18',
      '--to',
      '2026-11-19',
      '--out',
      out,
    ]);
    expect(first).toMatchObject({ code: 0, stderr: '' });
    expect(first.stdout).toContain(`Wrote ${join(out, 'kassebro-gbat10-0001-20261118-20261119.csv')} (2 vouchers,`);
    expect(first.stdout).toMatch(/2026-11-19 {2}10009 {2}42\/10009 {2}5002/);
    const vouchers = readGbat10(readFileSync(join(out, 'kassebro-gbat10-0001-20261118-20261119.csv')));
    expect(vouchers.map((voucher) => voucher.number)).toEqual(['5001', '5002']);

    const again = await kassebro([
      '--db',
      db,
      'export',
      'gbat10',
      '--from',
      '2026-11-18',
      '--to',
      '2026-11-19',
      '--out',
      out,
    ]);
    expect(again.code).toBe(0);
    expect(again.stdout).toContain('Nothing new to export.');
    expect(again.stdout).toContain('2 Z-reports in the range were exported before.');
    expect(readdirSync(out)).toHaveLength(1);
  });

  it('--json reports the file and the exported vouchers', async () => {
    const { db, out } = home();
    const result = await kassebro(['--db', db, '--json', 'export', 'gbat10', '--out', out]);
    expect(result.code).toBe(0);
    const summary = JSON.parse(result.stdout);
    expect(summary).toMatchObject({
      targetId: 'gbat10',
      format: 'gbat10',
      file: { name: 'kassebro-gbat10-0001-20261118-20261120.csv' },
      alreadyExported: 0,
      notExported: [],
    });
    expect(summary.exported.map((voucher: { number: number }) => voucher.number)).toEqual([5001, 5002, 5003]);
  });

  it('explains an unknown name, a target not set up and a missing folder with exit 2', async () => {
    const { db } = home();
    expect(await kassebro(['--db', db, 'export', 'xyz', '--out', tempDir()])).toMatchObject({
      code: 2,
      stderr: 'kassebro: "xyz" is neither a target nor a file format (sie4, gbat10, xledger, duett)\n',
    });
    expect(await kassebro(['--db', db, 'export', 'sie4', '--out', tempDir()])).toMatchObject({
      code: 2,
      stderr: 'kassebro: No sie4 target is set up yet; add one first (kind sie4, with its settings)\n',
    });
    expect(await kassebro(['--db', db, 'export', 'gbat10'])).toMatchObject({
      code: 2,
      stderr: 'kassebro: No export folder for target "gbat10": give --out DIR or set "folder"\n',
    });
  });
});
