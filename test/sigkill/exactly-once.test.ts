import { spawn } from 'node:child_process';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { build } from 'esbuild';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTripletexSandbox } from '../../src/main/sandboxes/tripletex';
import type { SandboxControl } from '../../src/main/sandboxes/server';
import { listVouchers } from '../../src/main/store/vouchers';
import { importZReports, SYNC_TARGET, tripletexHome } from '../helpers/sync-home';
import { useTempHome } from '../helpers/temp-home';

const ITERATIONS = Number(process.env['KASSEBRO_SIGKILL_ITERATIONS'] ?? 200);
const NEW_REPORTS_PER_ITERATION = 2;
const newHome = useTempHome();

/** Bundled inside the repo so the child resolves better-sqlite3 & co. from node_modules, no tsx start-up. */
async function bundleChild(): Promise<string> {
  const folder = join(process.cwd(), 'node_modules', '.cache', 'kassebro-sigkill');
  mkdirSync(folder, { recursive: true });
  const file = join(folder, 'sync-child.mjs');
  await build({
    entryPoints: [join(process.cwd(), 'test', 'sigkill', 'sync-child.ts')],
    bundle: true,
    platform: 'node',
    format: 'esm',
    target: 'node20',
    packages: 'external',
    outfile: file,
    logLevel: 'error',
  });
  return file;
}

interface ChildRun {
  readonly killed: boolean;
  readonly midRequest: boolean;
  readonly code: number | null;
}

/** Runs `kassebro sync --once`, SIGKILLing it after `killAfterMs` unless it finished first. */
function runChild(
  child: string,
  db: string,
  killAfterMs: number | null,
  sandbox: SandboxControl,
  extra: string[] = [],
) {
  return new Promise<ChildRun>((resolve, reject) => {
    const proc = spawn(process.execPath, [child, '--db', db, 'sync', '--once', ...extra], {
      stdio: ['ignore', 'ignore', 'pipe'],
      env: { ...process.env, KASSEBRO_LOG_LEVEL: 'error' },
    });
    let stderr = '';
    proc.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    let killed = false;
    let midRequest = false;
    const timer =
      killAfterMs === null
        ? undefined
        : setTimeout(() => {
            if (proc.exitCode !== null) return;
            midRequest = sandbox.inFlight() > 0;
            killed = proc.kill('SIGKILL');
          }, killAfterMs);
    proc.on('error', reject);
    proc.on('exit', (code) => {
      clearTimeout(timer);
      if (!killed && code !== 0 && code !== 1) reject(new Error(`sync child exited ${code}: ${stderr}`));
      else resolve({ killed, midRequest, code });
    });
  });
}

describe('exactly once under SIGKILL', () => {
  let child: string;
  let sandbox: SandboxControl;
  beforeAll(async () => {
    child = await bundleChild();
    sandbox = await startTripletexSandbox({ rateLimit: { requests: 10_000, perMs: 1_000 } });
  });
  afterAll(async () => {
    await sandbox.close();
  });

  it(
    `kills the sync engine at random points ${ITERATIONS} times; the target ends with every voucher exactly once`,
    async () => {
      const home = newHome();
      const { db, file } = await tripletexHome(home, sandbox.url, {});
      const started = performance.now();
      db.prepare('UPDATE targets SET settings = json_set(settings, ?, json(?)) WHERE id = ?').run(
        '$.rateLimit',
        JSON.stringify({ requests: 10_000, perMs: 1_000 }),
        SYNC_TARGET,
      );
      let reports = 0;
      const runs: ChildRun[] = [];
      for (let iteration = 0; iteration < ITERATIONS; iteration += 1) {
        importZReports(db, reports + 1, reports + NEW_REPORTS_PER_ITERATION);
        reports += NEW_REPORTS_PER_ITERATION;
        // Slow some posts down so kills land while a request is on the wire.
        sandbox.inject('post', { kind: 'delay', ms: Math.floor(Math.random() * 40) }, 2);
        runs.push(await runChild(child, file, 100 + Math.random() * 700, sandbox));
      }
      // The last run is left alone; anything parked as failed is handed back to prove nothing is stuck.
      await sleep(50);
      const postedWhileKilling = sandbox.vouchers().length;
      const final = await runChild(child, file, null, sandbox, ['--retry-failed']);
      const seconds = (performance.now() - started) / 1000;

      const local = listVouchers(db, { targetId: SYNC_TARGET });
      const held = sandbox.vouchers();
      const keys = held.map((voucher) => voucher.idempotencyKey);
      const duplicates = keys.length - new Set(keys).size;
      const lost = local.filter((voucher) => !keys.includes(voucher.idempotencyKey)).length;
      const figures = {
        iterations: ITERATIONS,
        killed: runs.filter((run) => run.killed).length,
        killedMidRequest: runs.filter((run) => run.midRequest).length,
        vouchers: local.length,
        sandboxVouchers: held.length,
        postedWhileKilling,
        foundAfterCrash: (
          db.prepare("SELECT COUNT(*) AS n FROM integration_log WHERE code = 'found_existing'").get() as { n: number }
        ).n,
        duplicates,
        lost,
        seconds: Number(seconds.toFixed(1)),
      };
      console.log(`SIGKILL exactly-once: ${JSON.stringify(figures)}`);

      expect(final.code).toBe(0);
      expect(local).toHaveLength(reports);
      expect(duplicates).toBe(0);
      expect(lost).toBe(0);
      expect(held).toHaveLength(reports);
      expect(local.every((voucher) => voucher.state === 'posted')).toBe(true);
      const idOf = new Map(held.map((voucher) => [voucher.idempotencyKey, voucher.id]));
      for (const voucher of local) expect(voucher.externalId).toBe(idOf.get(voucher.idempotencyKey));
      // The test only proves something if the kills really interrupted work, some of them mid-request.
      // (How many land depends on machine speed: a fast child sometimes finishes inside the window.)
      expect(figures.killed).toBeGreaterThan(ITERATIONS * 0.4);
      expect(figures.killedMidRequest).toBeGreaterThan(0);
      expect(figures.postedWhileKilling).toBeGreaterThan(reports / 2);
      db.close();
    },
    15 * 60_000,
  );
});
