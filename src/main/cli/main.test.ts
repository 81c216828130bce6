import { execFileSync, spawnSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { SIE4_TWO_DAYS, writeSie4 } from '../../../test/fixtures/sie4';
import { useTempHome } from '../../../test/helpers/temp-home';
import { main } from './main';

const newHome = useTempHome();

async function run(args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  let stdout = '';
  let stderr = '';
  const code = await main(args, { stdout: (text) => (stdout += text), stderr: (text) => (stderr += text) });
  return { code, stdout, stderr };
}

const decimal = /^-?\d+\.\d{2}$/;

async function demoHome(): Promise<string> {
  const db = join(newHome(), 'kassebro.sqlite');
  expect((await run(['--db', db, 'demo', '--json', '--no-post'])).code).toBe(0);
  return db;
}

describe('kassebro demo', () => {
  it('prints a human summary and exits 0', async () => {
    const db = join(newHome(), 'kassebro.sqlite');
    const result = await run(['--db', db, '--lang', 'en', 'demo']);
    expect(result.code).toBe(0);
    expect(result.stdout).toMatch(/Settlements: \d+ Z-reports and \d+ X-reports/);
    expect(result.stdout).toContain('All vouchers balance: yes');
    expect(result.stdout).toMatch(/25 %\s+\d+\.\d{2}\s+\d+\.\d{2}\s+\d+\.\d{2}/);
  });

  it('--json gives decimal-string amounts and counts', async () => {
    const db = join(newHome(), 'kassebro.sqlite');
    const result = await run(['--db', db, 'demo', '--json']);
    const summary = JSON.parse(result.stdout);
    expect(summary).toMatchObject({ allBalanced: true, vouchers: { blocked: 0 } });
    // Every ready voucher went to the sandbox, and reading it back finds each exactly once, to the øre.
    expect(summary.posted).toEqual({
      target: 'tripletex',
      vouchers: summary.vouchers.ready,
      sandboxVouchers: summary.vouchers.ready,
      duplicates: 0,
      postedBefore: 0,
      matching: summary.vouchers.ready,
    });
    // Invoice sales reached the sandbox as invoices, each once; its ledger holds the POS's revenue per rate.
    expect(summary.invoices).toMatchObject({
      target: 'tripletex',
      sent: summary.invoiceSales.total,
      sandboxInvoices: summary.invoiceSales.total,
      duplicates: 0,
    });
    expect(summary.ledgerByRate).toEqual(
      summary.salesByRate.map((rate: { rate: string; gross: string }) => ({ rate: rate.rate, gross: rate.gross })),
    );
    for (const rate of summary.salesByRate) {
      expect(rate.net).toMatch(decimal);
      expect(rate.vat).toMatch(decimal);
      expect(rate.gross).toMatch(decimal);
    }
  });
});

describe('kassebro vouchers --json', () => {
  it('has the promised voucher shape, balanced, with debit and credit as decimal strings', async () => {
    const db = await demoHome();
    const vouchers = JSON.parse((await run(['--db', db, 'vouchers', '--json'])).stdout);
    const ready = vouchers.filter((v: { state: string }) => v.state === 'ready');
    expect(ready.length).toBeGreaterThan(100);
    const voucher = ready[0];
    expect(Object.keys(voucher)).toEqual(
      expect.arrayContaining([
        'id',
        'settlement',
        'date',
        'description',
        'lines',
        'balanced',
        'state',
        'idempotencyKey',
      ]),
    );
    expect(Object.keys(voucher.settlement)).toEqual(
      expect.arrayContaining(['registerId', 'number', 'businessDate', 'kind']),
    );
    expect(voucher.balanced).toBe(true);
    expect(voucher.description).toBe(`Dagsoppgjør ${voucher.settlement.number} ${voucher.settlement.businessDate}`);
    let debit = 0;
    let credit = 0;
    for (const line of voucher.lines) {
      expect(Object.keys(line)).toEqual(expect.arrayContaining(['account', 'vatCode', 'debit', 'credit', 'text']));
      expect(line.debit).toMatch(decimal);
      expect(line.credit).toMatch(decimal);
      debit += Math.round(Number(line.debit) * 100);
      credit += Math.round(Number(line.credit) * 100);
    }
    expect(debit).toBe(credit);

    const one = JSON.parse(
      (await run(['--db', db, 'vouchers', '--json', '--settlement', String(voucher.settlement.id)])).stdout,
    );
    expect(one).toHaveLength(1);
    expect(one[0].lines).toEqual(voucher.lines);
  });

  it('exits 2 with one clear line for a bad --settlement', async () => {
    const db = await demoHome();
    const result = await run(['--db', db, 'vouchers', '--settlement', 'abc']);
    expect(result.code).toBe(2);
    expect(result.stderr).toBe('kassebro: --settlement must be a settlement id (a positive whole number), not "abc"\n');
  });
});

describe('kassebro settlements --json', () => {
  it('lists Z and X reports with lines in decimal strings', async () => {
    const db = await demoHome();
    const settlements = JSON.parse((await run(['--db', db, 'settlements', '--json'])).stdout);
    expect(settlements.some((s: { kind: string }) => s.kind === 'X')).toBe(true);
    const z = settlements.find((s: { kind: string; lines: unknown[] }) => s.kind === 'Z' && s.lines.length > 0);
    expect(z).toMatchObject({ source: 'demo-pos', location: '1', currency: 'NOK' });
    expect(z.number).toMatch(/^\d+\/100(09|10)$/);
    expect(z.salesGross).toMatch(decimal);
    expect(z.lines[0]).toEqual({
      key: expect.any(String),
      amount: expect.stringMatching(decimal),
      vat: expect.stringMatching(decimal),
      department: null,
      sourceCode: expect.any(String),
      sourceAccount: null,
    });
  });
});

describe('kassebro mapping and validate', () => {
  it('unmapping a used key makes validate exit 1 and name the key; remapping fixes it', async () => {
    const db = await demoHome();
    expect((await run(['--db', db, 'validate'])).code).toBe(0);

    const exported = join(newHome(), 'mapping.json');
    expect((await run(['--db', db, 'mapping', 'export', exported])).code).toBe(0);
    const document = JSON.parse(readFileSync(exported, 'utf8'));
    document.entries = document.entries.filter((entry: { key: string }) => entry.key !== 'gift_card_used');
    writeFileSync(exported, JSON.stringify(document));
    expect((await run(['--db', db, 'mapping', 'import', exported])).code).toBe(0);

    const failing = await run(['--db', db, '--lang', 'en', 'validate', '--json']);
    expect(failing.code).toBe(1);
    const report = JSON.parse(failing.stdout);
    expect(report.blocked).toBeGreaterThan(0);
    const problem = report.problems.find((p: { code: string }) => p.code === 'unmapped_key');
    expect(problem).toMatchObject({ severity: 'error', key: 'gift_card_used', amount: expect.stringMatching(decimal) });
    expect(problem.message).toContain('"Gift card used" has');

    expect((await run(['--db', db, 'mapping', 'set', 'gift_card_used', '2900'])).code).toBe(0);
    expect((await run(['--db', db, 'validate'])).code).toBe(0);
  });

  it('reports a mapped account that is inactive in the chart', async () => {
    const db = await demoHome();
    const set = await run(['--db', db, 'mapping', 'set', 'gift_card_issued', '2910']);
    expect(set.stdout).toContain('Note: account 2910 is inactive in the target.');
    const result = await run(['--db', db, 'validate', '--json']);
    expect(result.code).toBe(1);
    expect(JSON.parse(result.stdout).problems.map((p: { code: string }) => p.code)).toContain('account_inactive');
  });

  it('mapping show --json returns every row; preset switches the chart style', async () => {
    const db = await demoHome();
    const shown = JSON.parse((await run(['--db', db, 'mapping', 'show', '--json'])).stdout);
    expect(shown.target).toBe('demo');
    expect(shown.entries).toContainEqual({
      key: 'sales_25',
      location: '',
      account: '3000',
      vatCode: '3',
      vatAccount: null,
    });
    expect((await run(['--db', db, 'mapping', 'preset', 'no-fiken'])).code).toBe(0);
    const fiken = JSON.parse((await run(['--db', db, 'mapping', 'show', '--json'])).stdout);
    expect(fiken.entries).toContainEqual({
      key: 'card_integrated',
      location: '',
      account: '1920:10001',
      vatCode: null,
      vatAccount: null,
    });
  });

  it('lists a POS account read from SIE4 and maps it with mapping set account:NUMBER', async () => {
    const db = await demoHome();
    expect((await run(['--db', db, 'import', writeSie4(join(newHome(), 'dag.se'), SIE4_TWO_DAYS)])).code).toBe(0);
    const accountKeys = async (): Promise<string[]> =>
      JSON.parse((await run(['--db', db, 'validate', '--json'])).stdout)
        .problems.filter(
          (p: { code: string; key?: string }) => p.code === 'unmapped_key' && p.key?.startsWith('account:'),
        )
        .map((p: { key: string }) => p.key);
    expect(await accountKeys()).toEqual(['account:1940', 'account:6570', 'account:3990', 'account:5800']);
    expect((await run(['--db', db, '--lang', 'en', 'mapping', 'show'])).stdout).toMatch(
      /account:5800\s+POS account 5800\s+\(unmapped\)/,
    );
    for (const [key, account] of [
      ['account:1940', '1920'],
      ['account:6570', '7770'],
      ['account:3990', '3900'],
      ['account:5800', '7140'],
    ]) {
      expect((await run(['--db', db, 'mapping', 'set', key!, account!])).code).toBe(0);
    }
    expect(await accountKeys()).toEqual([]);
    expect((await run(['--db', db, '--lang', 'en', 'mapping', 'show'])).stdout).toMatch(
      /account:5800\s+POS account 5800\s+all\s+7140/,
    );
  });

  it('rejects unknown keys, presets and languages with exit 2', async () => {
    const db = await demoHome();
    const badKey = await run(['--db', db, 'mapping', 'set', 'giftcard', '2900']);
    expect(badKey.code).toBe(2);
    expect(badKey.stderr).toMatch(/^kassebro: Unknown settlement key "giftcard"; known keys: sales_25, /);
    expect((await run(['--db', db, 'mapping', 'preset', 'dk-standard'])).code).toBe(2);
    expect((await run(['--db', db, '--lang', 'de', 'validate'])).stderr).toBe(
      'kassebro: --lang must be one of nb, sv, en, not "de"\n',
    );
  });

  it('exits 2 on an unknown command and on a corrupt mapping file', async () => {
    const db = await demoHome();
    expect((await run(['--db', db, 'frobnicate'])).code).toBe(2);
    const broken = join(newHome(), 'broken.json');
    writeFileSync(broken, '{"entries": [{"key": "cash"}]}');
    const result = await run(['--db', db, 'mapping', 'import', broken]);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('broken.json: account mapping, field "entries.0.account"');
    const nowhere = join(newHome(), 'nowhere', 'mapping.json');
    expect(await run(['--db', db, '--lang', 'sv', 'mapping', 'export', nowhere])).toMatchObject({
      code: 2,
      stderr: `kassebro: Kan inte skriva till ${nowhere}: den finns inte\n`,
    });
    const folder = newHome();
    expect(await run(['--db', db, '--lang', 'nb', 'mapping', 'import', folder])).toMatchObject({
      code: 2,
      stderr: `kassebro: Kan ikke lese ${folder}: det er en mappe, ikke en fil\n`,
    });
  });
});

describe('the installed bin', () => {
  it('runs through npx-style node bin/kassebro.mjs and passes the exit code through', () => {
    const home = newHome();
    const output = execFileSync(process.execPath, ['bin/kassebro.mjs', '--help'], { encoding: 'utf8' });
    expect(output).toContain('Usage: kassebro');
    const failed = spawnSync(process.execPath, ['bin/kassebro.mjs', 'vouchers'], {
      encoding: 'utf8',
      env: { ...process.env, KASSEBRO_HOME: home },
    });
    expect(failed.status).toBe(2);
    expect(failed.stderr).toBe('kassebro: No target is set up yet; run "kassebro demo" or give --target NAME\n');
  });

  it('ends quietly when the reader of its output goes away (kassebro vouchers | head)', async () => {
    const db = await demoHome();
    const piped = spawnSync(
      'bash',
      ['-c', `set -o pipefail; node bin/kassebro.mjs --db '${db}' vouchers --json | head -c 10 >/dev/null`],
      {
        encoding: 'utf8',
      },
    );
    expect(piped.stderr).toBe('');
    expect(piped.status).toBe(0);
  });
});
