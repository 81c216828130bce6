import { spawn } from 'node:child_process';
import { mkdirSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunningSandbox } from '../../src/main/connectors/api-target';
import { tripletexTarget } from '../../src/main/connectors/tripletex/target';
import { PRESETS } from '../../src/main/mapping/presets';
import { saveKontooppsett } from '../../src/main/store/mappings';
import { saveTarget } from '../../src/main/store/targets';
import { bundleCliChild } from '../helpers/cli-child';
import { importZReports, SYNC_TARGET, tripletexHome } from '../helpers/sync-home';
import { useTempHome } from '../helpers/temp-home';

const newHome = useTempHome();

function runCli(child: string, args: string[]): Promise<{ code: number | null; stderr: string }> {
  return new Promise((resolve, reject) => {
    const proc = spawn(process.execPath, [child, ...args], {
      stdio: ['ignore', 'ignore', 'pipe'],
      env: { ...process.env, KASSEBRO_LOG_LEVEL: 'error' },
    });
    let stderr = '';
    proc.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    proc.on('error', reject);
    proc.on('exit', (code) => resolve({ code, stderr }));
  });
}

// Real processes on one home: a deferred transaction that reads, then writes, got SQLITE_BUSY at once.
describe('several Kassebro processes on one home', () => {
  let child: string;
  let sandbox: RunningSandbox;
  beforeAll(async () => {
    child = await bundleCliChild('concurrency');
    sandbox = await tripletexTarget.startSandbox();
  });
  afterAll(async () => {
    await sandbox.close();
  });

  it('4 concurrent validate runs (which rebuild every voucher), 5 rounds, all exit 0', async () => {
    const { db, file } = await tripletexHome(newHome(), sandbox);
    for (let round = 0; round < 5; round += 1) {
      importZReports(db, round * 30 + 1, round * 30 + 30);
      const runs = await Promise.all(
        Array.from({ length: 4 }, () => runCli(child, ['--db', file, '--target', SYNC_TARGET, 'validate'])),
      );
      expect(runs).toEqual(Array(4).fill({ code: 0, stderr: '' }));
    }
    db.close();
  }, 120_000);

  it('2 concurrent exports, 3 rounds: all exit 0 and every voucher is in exactly one file', async () => {
    const home = newHome();
    const { db, file } = await tripletexHome(home, sandbox);
    const folder = join(home, 'out');
    mkdirSync(folder);
    saveTarget(db, { id: 'gbat', kind: 'gbat10', name: 'GBAT10', settings: { folder }, secretRef: null });
    saveKontooppsett(db, 'gbat', PRESETS['no-standard'].kontooppsett);
    for (let round = 0; round < 3; round += 1) {
      importZReports(db, round * 40 + 1, round * 40 + 40);
      const runs = await Promise.all(Array.from({ length: 2 }, () => runCli(child, ['--db', file, 'export', 'gbat'])));
      expect(runs).toEqual(Array(2).fill({ code: 0, stderr: '' }));
    }
    const posted = db
      .prepare(
        `SELECT COUNT(*) AS n, COUNT(DISTINCT external_id) AS files FROM vouchers WHERE target_id = 'gbat' AND state = 'posted'`,
      )
      .get() as { n: number; files: number };
    expect(posted.n).toBe(120);
    expect(readdirSync(folder).filter((name) => name.endsWith('.txt') || name.includes('kassebro-'))).toHaveLength(
      posted.files,
    );
    db.close();
  }, 120_000);
});
