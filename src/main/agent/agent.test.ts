import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { useTempHome } from '../../../test/helpers/temp-home';
import { main } from '../cli/main';
import type { RunningSandbox } from '../connectors/api-target';
import { tripletexTarget } from '../connectors/tripletex/target';
import { TRIPLETEX_SANDBOX_DEFAULTS } from '../sandboxes/tripletex';
import { homeSecretStore } from '../secrets/secret-store';
import { openDatabase } from '../store/database';
import { setActiveTarget } from '../store/home';
import { applyTargetSetup } from '../targets/setup';

const ROOT = join(import.meta.dirname, '..', '..', '..');
const newHome = useTempHome();
const sandboxes: RunningSandbox[] = [];
afterEach(async () => {
  for (const sandbox of sandboxes.splice(0)) await sandbox.close();
});

describe('kassebro agent', () => {
  it('syncs an on-close target in the background, logs what it did, and stops cleanly on SIGTERM', async () => {
    const sandbox = await tripletexTarget.startSandbox();
    sandboxes.push(sandbox);
    const home = newHome();
    const databaseFile = join(home, 'kassebro.sqlite');
    expect(
      await main(['--db', databaseFile, 'demo', '--no-post', '--json'], {
        stdout: () => undefined,
        stderr: () => undefined,
      }),
    ).toBe(0);
    const db = openDatabase(databaseFile);
    await applyTargetSetup(db, homeSecretStore(home), {
      id: 'tripletex',
      kind: 'tripletex',
      values: {
        consumerToken: TRIPLETEX_SANDBOX_DEFAULTS.consumerToken,
        employeeToken: TRIPLETEX_SANDBOX_DEFAULTS.employeeToken,
        baseUrl: String(sandbox.targetSettings()['baseUrl']),
      },
      schedule: { kind: 'on-close' },
      exportFrom: '2026-11-20',
    });
    setActiveTarget(db, 'tripletex');
    db.close();

    const child = spawn(
      process.execPath,
      [join(ROOT, 'bin', 'kassebro.mjs'), '--db', databaseFile, 'agent', '--poll', '1'],
      {
        cwd: ROOT,
        env: { ...process.env, KASSEBRO_LOG_LEVEL: 'error' },
        stdio: ['ignore', 'pipe', 'pipe'],
      },
    );
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));

    await expect
      .poll(() => sandbox.vouchers().length, { timeout: 30_000 })
      .toBe(2)
      .catch((error: unknown) => {
        throw new Error(`${String(error)}\n${stdout}\n${stderr}`);
      });
    await expect.poll(() => stdout, { timeout: 10_000 }).toContain('tripletex: done, 2 posted, 0 failed');
    child.kill('SIGTERM');
    expect(await exited).toBe(0);
    expect(stdout).toMatch(/Kassebro agent: syncing tripletex;/);
    expect(stdout.trim().split('\n').at(-1)).toMatch(/Kassebro agent stopped\.$/);
    expect(stderr).toBe('');
    // The demo target has no credentials at all: left alone, its vouchers stay ready.
    expect(stdout).not.toContain('demo:');
    expect(sandbox.vouchers()).toHaveLength(2);
  }, 60_000);
});
