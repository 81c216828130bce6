import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { useTempHome } from '../../../test/helpers/temp-home';
import { main } from '../cli/main';
import { receiptFixtureDir } from './simulate';

const newHome = useTempHome();
const fixture = (name: string): string => join(receiptFixtureDir(), name);

async function run(args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  let stdout = '';
  let stderr = '';
  const code = await main(args, { stdout: (text) => (stdout += text), stderr: (text) => (stderr += text) });
  return { code, stdout, stderr };
}

describe('kassebro terminal', () => {
  it('import stores prints and CSV; reports --json has the documented shape with decimal strings', async () => {
    const db = join(newHome(), 'kassebro.sqlite');
    expect((await run(['--db', db, 'terminal', 'import', fixture('nets-avstemming-nb.txt')])).stdout).toBe(
      'stored: terminal 80012345 BAX 1234567 reconciliation batch 412 2026-11-23T22:14:00+01:00 total 13944.40\n',
    );
    const zero = await run(['--db', db, 'terminal', 'import', fixture('zero-avstemming-nb.txt')]);
    expect(zero.stdout).toContain('duplicate (not counted): terminal 80012399');
    expect((await run(['--db', db, 'terminal', 'import', fixture('settlement-export.csv')])).code).toBe(0);

    const reports = JSON.parse((await run(['--db', db, '--json', 'terminal', 'reports'])).stdout);
    expect(reports).toHaveLength(2);
    expect(reports[1]).toMatchObject({
      bax: '1234567',
      terminalId: '80012345',
      batchNo: '412',
      closedAt: '2026-11-23T22:14:00+01:00',
      schemes: [
        { scheme: 'bankaxept', label: 'BankAxept', count: 57, netAmount: '8432.50' },
        { scheme: 'visa', label: 'VISA', count: 21, netAmount: '3118.00' },
        { scheme: 'mastercard', label: 'Mastercard', count: 14, netAmount: '2004.90' },
        { scheme: 'amex', label: 'Amex', count: 1, netAmount: '389.00' },
      ],
      totals: { count: 93, amount: '13944.40', tips: '225.00', cashback: '400.00' },
      warnings: [],
      duplicateOf: null,
    });
    const all = JSON.parse((await run(['--db', db, '--json', 'terminal', 'reports', '--all'])).stdout);
    expect(all.filter((report: { duplicateOf: string | null }) => report.duplicateOf)).toHaveLength(2);
  });

  it('import of a sale receipt exits 1 and says why; a missing file exits 2', async () => {
    const db = join(newHome(), 'kassebro.sqlite');
    const sale = await run(['--db', db, 'terminal', 'import', fixture('sale-receipt-nb.txt')]);
    expect(sale).toMatchObject({
      code: 1,
      stdout: 'not a terminal report: no reconciliation title (AVSTEMMING, Z-RAPPORT, DAGSAVSLUT…)\n',
    });
    expect((await run(['--db', db, 'terminal', 'import', join(newHome(), 'nope.txt')])).code).toBe(2);
  });

  it('reconcile --json explains a cashback day; bax sets the scope; reparse finds everything again', async () => {
    const home = newHome();
    const db = join(home, 'kassebro.sqlite');
    expect(
      (await run(['--db', db, 'terminal', 'bax', '1234567', '--scope', 'per-bax', '--designated', '80012345'])).stdout,
    ).toBe('BAX 1234567: per-bax, designated terminal 80012345\n');
    const file = join(home, 'print.txt');
    writeFileSync(
      file,
      '      AVSTEMMING\nBAX: 1234567\nTERM: 80012345\nBunt: 9\nDato: 23.11.2026 22:14\nVISA 3 1 500,00\nKontantuttak 200,00\nTOTALT 3 1 500,00\n',
    );
    await run(['--db', db, 'terminal', 'import', file]);
    const days = JSON.parse((await run(['--db', db, '--json', 'reconcile'])).stdout);
    expect(days).toEqual([
      expect.objectContaining({
        date: '2026-11-23',
        status: 'no-pos-report',
        difference: '1500.00',
        terminal: expect.objectContaining({ amount: '1500.00', cashback: '200.00' }),
      }),
    ]);
    expect((await run(['--db', db, 'terminal', 'reparse'])).stdout).toBe(
      'already stored: terminal 80012345 BAX 1234567 reconciliation batch 9 2026-11-23T22:14:00+01:00 total 1500.00\n',
    );
  });

  it('ports never crashes: it lists ports or says listing is unavailable', async () => {
    const result = await run(['--json', 'terminal', 'ports']);
    expect(result.code).toBe(0);
    expect(JSON.parse(result.stdout)).toHaveProperty('available');
  });

  it('listen refuses an unknown protocol and a port that cannot be opened, with exit 2', async () => {
    const db = join(newHome(), 'kassebro.sqlite');
    const missing = await run(['--db', db, 'terminal', 'simulate', '--port', '/dev/kassebro-no-such-port']);
    expect(missing.code).toBe(2);
    expect(missing.stderr).toMatch(/^kassebro: \/dev\/kassebro-no-such-port: cannot open: /);
    expect(
      (await run(['--db', db, 'terminal', 'listen', '--port', '/dev/x', '--protocol', 'zvt', '--at', '25:00'])).stderr,
    ).toBe('kassebro: --at must be HH:MM, not "25:00"\n');
    expect((await run(['--db', db, 'terminal', 'listen', '--port', '/dev/x', '--baud', 'fast'])).stderr).toMatch(
      /^kassebro: --baud: /,
    );
  });
});
