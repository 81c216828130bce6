import { copyFileSync, existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  OFFICIAL_EXAMPLE,
  registerClose,
  registerOpen,
  reportEvent,
  saftHead,
  saftTail,
  type ReportFixture,
} from '../../../../test/fixtures/saft';
import { useTempHome } from '../../../../test/helpers/temp-home';
import { generateDemoPosDatabase } from '../../demo/generate-pos-db';
import { resourcesDir } from '../../paths';
import { main } from '../main';

const newHome = useTempHome();

async function run(args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  let stdout = '';
  let stderr = '';
  const code = await main(args, { stdout: (text) => (stdout += text), stderr: (text) => (stderr += text) });
  return { code, stdout, stderr };
}

describe('kassebro import', () => {
  it('imports a file (exit 0), then reports it as already present, in JSON', async () => {
    const db = join(newHome(), 'kassebro.sqlite');
    const first = await run(['--db', db, 'import', OFFICIAL_EXAMPLE]);
    expect(first.code).toBe(0);
    expect(first.stdout).toContain('(saft): 1 imported, 0 already present, 0 conflicts');
    const again = await run(['--db', db, '--json', 'import', OFFICIAL_EXAMPLE]);
    expect(again.code).toBe(0);
    const [file] = JSON.parse(again.stdout).files;
    expect(file).toMatchObject({
      status: 'imported',
      format: 'saft',
      imported: [],
      duplicates: [{ kind: 'Z', number: '1' }],
    });
  });

  it('exits 2 with the reason on stderr for a rejected file, still importing the good ones', async () => {
    const dir = newHome();
    const db = join(dir, 'kassebro.sqlite');
    const bad = join(dir, 'bad.csv');
    writeFileSync(bad, 'register;number;date;key;amount\n1;1;2026-11-21;cash;ti kroner\n');
    const result = await run(['--db', db, 'import', OFFICIAL_EXAMPLE, bad]);
    expect(result.code).toBe(2);
    expect(result.stderr).toBe(
      `kassebro: ${bad}: line 2, field "amount": "ti kroner" is not an amount: expected digits with at most two decimals, like 1234.50\n`,
    );
    expect(result.stdout).toContain('1 imported');
  });

  it('refuses an unknown --format as a usage error', async () => {
    const result = await run(['--db', join(newHome(), 'k.sqlite'), 'import', OFFICIAL_EXAMPLE, '--format', 'xls']);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('--format must be one of saft, sie4, csv, auto, not "xls"');
  });
});

describe('kassebro settlements --json after an import', () => {
  it('shows sales per VAT rate, payments per method and signed lines of the SAF-T example', async () => {
    const db = join(newHome(), 'kassebro.sqlite');
    await run(['--db', db, 'import', OFFICIAL_EXAMPLE]);
    const [z] = JSON.parse((await run(['--db', db, '--json', 'settlements'])).stdout);
    expect(z).toMatchObject({
      registerId: '11.222-33.44.567',
      number: '1',
      kind: 'Z',
      businessDate: '2020-01-01',
      warnings: [],
    });
    expect(z.sales).toEqual([
      { ratePercent: 25, net: '329.12', vat: '82.28', gross: '411.40' },
      { ratePercent: 15, net: '89.38', vat: '13.42', gross: '102.80' },
    ]);
    expect(z.payments).toEqual([
      { method: 'cash', amount: '295.00' },
      { method: 'card_integrated', amount: '218.80' },
    ]);
    expect(z.lines.map((l: { key: string; amount: string; vat: string }) => `${l.key} ${l.amount} ${l.vat}`)).toEqual([
      'sales_15 -89.38 -13.42',
      'sales_25 -329.12 -82.28',
      'cash 295.00 0.00',
      'card_integrated 218.80 0.00',
      'rounding 0.40 0.00',
    ]);
  });

  it('keeps the POS account of every SIE4 line, with the #TRANS amount signed as written', async () => {
    const dir = newHome();
    const sie = join(dir, 'dag.se');
    writeFileSync(
      sie,
      [
        '#FLAGGA 0',
        '#FORMAT PC8',
        '#SIETYP 4',
        '#VER "K" "7" 20240502 "Z-rapport 7 kassa 2"',
        '{',
        '#TRANS 1910 {} 125.00',
        '#TRANS 3001 {} -100.00',
        '#TRANS 2611 {} -25.00',
        '}',
        '',
      ].join('\r\n'),
    );
    const db = join(dir, 'kassebro.sqlite');
    expect((await run(['--db', db, 'import', sie])).code).toBe(0);
    const [z] = JSON.parse((await run(['--db', db, '--json', 'settlements'])).stdout);
    expect(z).toMatchObject({
      registerId: '2',
      number: '7',
      sales: [{ ratePercent: 25, net: '100.00', vat: '25.00', gross: '125.00' }],
    });
    expect(
      z.lines.map(
        (l: { sourceAccount: string; amount: string; vat: string }) => `${l.sourceAccount} ${l.amount} ${l.vat}`,
      ),
    ).toEqual(['1910 125.00 0.00', '3001 -100.00 0.00', '2611 0.00 -25.00']);
  });
});

describe('kassebro gaps', () => {
  it('after a SAF-T import: a number an X report took is explained, a hole is missing (exit 1)', async () => {
    const dir = newHome();
    const report = (kind: 'Z' | 'X', id: string, date: string): ReportFixture => ({
      kind,
      id,
      date,
      total: '125.00',
      vats: [{ code: '3', perc: '25.00', net: '100.00', vat: '25.00' }],
      payments: [{ type: 'CASH', amount: '125.00' }],
    });
    const file = join(dir, 'saft.xml');
    writeFileSync(
      file,
      `${saftHead()}${registerOpen('10009')}${reportEvent(report('Z', '1', '2026-11-18'))}${reportEvent(report('X', '2', '2026-11-19'))}${reportEvent(report('Z', '3', '2026-11-19'))}${reportEvent(report('Z', '5', '2026-11-21'))}${registerClose}${saftTail}`,
    );
    const db = join(dir, 'kassebro.sqlite');
    expect((await run(['--db', db, 'import', file])).code).toBe(0);
    const result = await run(['--db', db, '--lang', 'en', 'gaps']);
    expect(result.code).toBe(1);
    expect(result.stdout.split('\n').slice(0, 3)).toEqual([
      'register  numbering  number  why',
      '10009     Z number        2  taken by an X report',
      '10009     Z number        4  MISSING — no stored report has this number',
    ]);
  });

  it('explains the demo shop’s numbering: no report missing, empty Z reports and X reports accounted for', async () => {
    const db = join(newHome(), 'kassebro.sqlite');
    expect((await run(['--db', db, 'demo', '--json'])).code).toBe(0);
    const result = await run(['--db', db, '--json', 'gaps']);
    expect(result.code).toBe(0);
    const { gaps, missing } = JSON.parse(result.stdout);
    expect(missing).toBe(0);
    const reasons = new Set(gaps.map((gap: { reason: string }) => gap.reason));
    expect([...reasons].sort()).toEqual(['empty_z', 'other_register', 'x_report']);
  });
});

describe('kassebro poll --once', () => {
  it('reads the POS database through its profile; a second poll adds nothing', async () => {
    const dir = newHome();
    const db = join(dir, 'kassebro.sqlite');
    const pos = join(dir, 'pos.sqlite');
    generateDemoPosDatabase(pos, { seed: 3, days: 2, lastDay: '2026-11-20' });
    const profile = join(resourcesDir(), 'demo', 'demo-pos.profile.json');
    const args = ['--db', db, '--json', 'poll', '--profile', profile, '--pos-db', pos, '--once'];
    const first = JSON.parse((await run(args)).stdout);
    expect(first.imported.length).toBeGreaterThan(2);
    const second = JSON.parse((await run(args)).stdout);
    expect(second).toMatchObject({ imported: [], conflicts: [] });
    expect(second.duplicates).toHaveLength(first.imported.length);
  });
});

describe('kassebro watch --once', () => {
  it('imports the complete files of a folder and moves them to processed/', async () => {
    const dir = newHome();
    const inbox = join(dir, 'inbox');
    mkdirSync(inbox);
    copyFileSync(OFFICIAL_EXAMPLE, join(inbox, 'z.xml'));
    const result = await run(['--db', join(dir, 'kassebro.sqlite'), 'watch', inbox, '--once']);
    expect(result.code).toBe(0);
    expect(result.stdout).toBe(`${join(inbox, 'z.xml')}: 1 imported, 0 already present, 0 conflicts\n`);
    expect(existsSync(join(inbox, 'processed', 'z.xml'))).toBe(true);
  });
});

describe('kassebro sources map-payment / map-account', () => {
  it('lets a technician map an unknown SAF-T payment code so the refused file imports', async () => {
    const dir = newHome();
    const db = join(dir, 'kassebro.sqlite');
    const file = join(dir, 'pant.xml');
    writeFileSync(
      file,
      `${saftHead()}${registerOpen('1')}${reportEvent({ kind: 'Z', id: '1', date: '2026-11-20', total: '125.00', vats: [{ code: '3', perc: '25.00', net: '100.00', vat: '25.00' }], payments: [{ type: 'PANT', amount: '125.00' }] }, '1')}${registerClose}${saftTail}`,
    );
    const refused = await run(['--db', db, 'import', file]);
    expect(refused.code).toBe(2);
    expect(refused.stderr).toContain('map it with "kassebro sources map-payment PANT KEY"');
    expect((await run(['--db', db, 'sources', 'map-payment', 'PANT', 'kort'])).stderr).toBe(
      'kassebro: "kort" is not a settlement key; see docs/sources.md\n',
    );
    expect((await run(['--db', db, 'sources', 'map-payment', 'PANT', 'credit_note_used'])).code).toBe(0);
    expect((await run(['--db', db, 'sources', 'map-account', '3011', 'sales_25'])).code).toBe(0);
    expect(JSON.parse((await run(['--db', db, '--json', 'sources', 'codes'])).stdout)).toEqual({
      saftPaymentKeys: { PANT: 'credit_note_used' },
      sie4AccountKeys: { '3011': { key: 'sales_25' } },
    });
    expect((await run(['--db', db, 'import', file])).code).toBe(0);
    const [z] = JSON.parse((await run(['--db', db, '--json', 'settlements'])).stdout);
    expect(z.payments).toEqual([{ method: 'credit_note_used', amount: '125.00' }]);
  });
});

describe('kassebro sources', () => {
  it('registers a POS database and a folder, then runs both once', async () => {
    const dir = newHome();
    const db = join(dir, 'kassebro.sqlite');
    const pos = join(dir, 'pos.sqlite');
    generateDemoPosDatabase(pos, { seed: 3, days: 2, lastDay: '2026-11-20' });
    const inbox = join(dir, 'inbox');
    mkdirSync(inbox);
    copyFileSync(OFFICIAL_EXAMPLE, join(inbox, 'z.xml'));
    const profile = join(resourcesDir(), 'demo', 'demo-pos.profile.json');
    expect(
      (await run(['--db', db, 'sources', 'add-pos-db', 'kasse', '--profile', profile, '--pos-db', pos])).code,
    ).toBe(0);
    expect((await run(['--db', db, 'sources', 'add-folder', 'eksport', inbox])).code).toBe(0);
    const listed = JSON.parse((await run(['--db', db, '--json', 'sources', 'list'])).stdout);
    expect(listed).toEqual([
      { id: 'eksport', kind: 'watch-folder', settings: { dir: inbox, format: 'auto', scanSeconds: 5 } },
      { id: 'kasse', kind: 'pos-db', settings: { posDatabase: pos, profile } },
    ]);
    const result = await run(['--db', db, 'sources', 'run', '--once']);
    expect(result.code).toBe(0);
    expect(result.stdout).toMatch(/\[kasse\] \d+ imported, 0 already present, 0 conflicts/);
    expect(result.stdout).toContain(`[eksport] ${join(inbox, 'z.xml')}: 1 imported`);
    const settlements = JSON.parse((await run(['--db', db, '--json', 'settlements'])).stdout);
    expect(new Set(settlements.map((s: { source: string }) => s.source))).toEqual(new Set(['demo-pos', 'saft']));
    expect((await run(['--db', db, 'sources', 'remove', 'kasse'])).code).toBe(0);
    expect((await run(['--db', db, 'sources', 'remove', 'kasse'])).stderr).toBe('kassebro: No source called "kasse"\n');
  });

  it('refuses a profile that does not validate when it is added', async () => {
    const dir = newHome();
    const profile = join(dir, 'bad.profile.json');
    writeFileSync(profile, JSON.stringify({ name: 'x' }));
    const result = await run([
      '--db',
      join(dir, 'k.sqlite'),
      'sources',
      'add-pos-db',
      'k',
      '--profile',
      profile,
      '--pos-db',
      'pos.sqlite',
    ]);
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(/bad\.profile\.json: POS profile, field "source"/);
  });
});

describe('files and folders that cannot be used', () => {
  it('names the path and the reason in the language asked for, not "unexpected error: ENOENT"', async () => {
    const dir = newHome();
    const db = join(dir, 'kassebro.sqlite');
    const missing = join(dir, 'finnes-ikke.xml');
    expect(await run(['--db', db, '--lang', 'nb', 'import', missing])).toEqual({
      code: 2,
      stdout: '',
      stderr: `kassebro: Kan ikke lese ${missing}: den finnes ikke\n`,
    });
    const inbox = join(dir, 'inbox');
    expect(await run(['--db', db, '--lang', 'sv', 'watch', inbox, '--once'])).toEqual({
      code: 2,
      stdout: '',
      stderr: `kassebro: Kan inte bevaka mappen ${inbox}: den finns inte\n`,
    });
    const poll = ['poll', '--profile', dir, '--pos-db', join(dir, 'pos.sqlite'), '--once'];
    expect(await run(['--db', db, '--lang', 'en', ...poll])).toEqual({
      code: 2,
      stdout: '',
      stderr: `kassebro: Cannot read ${dir}: it is a folder, not a file\n`,
    });
  });

  it('refuses a file that is not an import without quoting what is in it', async () => {
    const dir = newHome();
    const db = join(dir, 'kassebro.sqlite');
    const systemFile = join(dir, 'os-release');
    writeFileSync(systemFile, 'PRETTY_NAME="Secret OS"\nroot:x:0:0:root:/root:/bin/bash\n');
    const refusals = [
      await run(['--db', db, 'import', systemFile, '--format', 'sie4']),
      await run(['--db', db, 'import', systemFile, '--format', 'csv']),
      await run(['--db', db, 'poll', '--profile', systemFile, '--pos-db', join(dir, 'pos.sqlite'), '--once']),
    ];
    for (const refusal of refusals) {
      expect(refusal.code).toBe(2);
      expect(refusal.stderr).toContain(systemFile);
      expect(refusal.stderr).not.toMatch(/PRETTY|Secret|root:/);
    }
  });
});
