import { copyFileSync, existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { OFFICIAL_EXAMPLE } from '../../../../test/fixtures/saft';
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

describe('kassebro gaps', () => {
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
