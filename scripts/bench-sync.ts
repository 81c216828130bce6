/**
 * Sync figures (no assertions): Z-report appearing in the POS database → voucher posted in the
 * sandbox (median), and backlog drain of 365 Z-reports against a rate-limited sandbox, as a ratio
 * of the limit. Run with `npm run bench` (or `npx tsx scripts/bench-sync.ts`).
 */
import Database from 'better-sqlite3';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { importZReports, SYNC_TARGET, tripletexHome } from '../test/helpers/sync-home';
import { runDemo, DEMO_TARGET_ID } from '../src/main/demo/run-demo';
import { resourcesDir } from '../src/main/paths';
import { startTripletexSandbox, TRIPLETEX_SANDBOX_DEFAULTS } from '../src/main/sandboxes/tripletex';
import { tripletexTarget } from '../src/main/connectors/tripletex/target';
import { homeSecretStore } from '../src/main/secrets/secret-store';
import { loadPosProfile, readPosDatabase } from '../src/main/sources/pos-db/read-pos-db';
import { openDatabase } from '../src/main/store/database';
import { importSettlements } from '../src/main/store/settlements';
import { getTarget, saveTarget } from '../src/main/store/targets';
import { syncTarget } from '../src/main/sync/run-target';

const POLL_MS = Number(process.env['KASSEBRO_BENCH_POLL_MS'] ?? 30_000);
const SAMPLES = Number(process.env['KASSEBRO_BENCH_SAMPLES'] ?? 3);
/** Fortnox's documented 25 requests per 5 s; Tripletex publishes no number. */
const LIMIT = { requests: 25, perMs: 5_000 };

const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)] ?? NaN;

/** A cashier closes the day: a new Z-report row (a copy of the last one, next day) in the POS database. */
function closeZReport(posDatabase: string, day: number): void {
  const pos = new Database(posDatabase);
  pos.transaction(() => {
    const last = pos.prepare("SELECT * FROM reports WHERE report_type = 'Z' ORDER BY report_id DESC LIMIT 1").get() as {
      report_id: number;
      register_no: number;
      report_count: number;
    };
    const id = (pos.prepare('SELECT MAX(report_id) AS id FROM reports').get() as { id: number }).id + 1;
    const businessDay = new Date(Date.UTC(2026, 11, day)).toISOString().slice(0, 10);
    const stamp = new Date().toISOString();
    pos
      .prepare('INSERT INTO reports VALUES (?, ?, ?, ?, ?, ?, ?)')
      .run(id, last.register_no, 'Z', last.report_count + day, businessDay, stamp, stamp);
    pos
      .prepare('INSERT INTO report_totals SELECT ?, row_no, code, amount, vat FROM report_totals WHERE report_id = ?')
      .run(id, last.report_id);
  })();
  pos.close();
}

async function latency(): Promise<void> {
  const home = mkdtempSync(join(tmpdir(), 'kassebro-bench-sync-'));
  const sandbox = await startTripletexSandbox();
  try {
    const file = join(home, 'kassebro.sqlite');
    const db = openDatabase(file);
    const summary = runDemo(db, file);
    const secrets = homeSecretStore(dirname(file));
    await secrets.set(DEMO_TARGET_ID, {
      consumerToken: TRIPLETEX_SANDBOX_DEFAULTS.consumerToken,
      employeeToken: TRIPLETEX_SANDBOX_DEFAULTS.employeeToken,
    });
    const target = getTarget(db, DEMO_TARGET_ID);
    if (!target) throw new Error('demo target missing');
    // Go-live after the demo history: only reports closed during the bench are posted.
    saveTarget(db, {
      ...target,
      settings: { baseUrl: `${sandbox.url}/v2`, sync: { exportFrom: '2026-12-01' } },
      secretRef: DEMO_TARGET_ID,
    });
    const profile = loadPosProfile(join(resourcesDir(), 'demo', 'demo-pos.profile.json'));
    const latencies: number[] = [];
    const work: number[] = [];
    for (let sample = 1; sample <= SAMPLES; sample += 1) {
      // Close the day at a random moment within the agent's poll cycle.
      await sleep(Math.random() * POLL_MS);
      closeZReport(summary.posDatabase, sample);
      const closedAt = performance.now();
      const poll = async () => {
        const started = performance.now();
        importSettlements(db, readPosDatabase(summary.posDatabase, profile));
        await syncTarget(db, getTarget(db, DEMO_TARGET_ID) ?? target, { secrets });
        work.push(performance.now() - started);
      };
      const held = () => sandbox.vouchers().length;
      while (held() < sample) {
        const nextTick = POLL_MS - ((performance.now() - pollPhase) % POLL_MS);
        await sleep(nextTick);
        await poll();
      }
      latencies.push(performance.now() - closedAt);
    }
    console.log(
      `Z-report closed in POS db → posted in sandbox (poll every ${POLL_MS / 1000} s, ${SAMPLES} samples): median ` +
        `${(median(latencies) / 1000).toFixed(1)} s, max ${(Math.max(...latencies) / 1000).toFixed(1)} s; ` +
        `one poll (read POS db, import, build, post) median ${median(work).toFixed(0)} ms`,
    );
    db.close();
  } finally {
    await sandbox.close();
    rmSync(home, { recursive: true, force: true });
  }
}

const pollPhase = performance.now();

async function backlog(): Promise<void> {
  const home = mkdtempSync(join(tmpdir(), 'kassebro-bench-backlog-'));
  const sandbox = await tripletexTarget.startSandbox({ rateLimit: LIMIT });
  try {
    const { db, secrets, target } = await tripletexHome(home, sandbox);
    db.prepare('UPDATE targets SET settings = json_set(settings, ?, json(?)) WHERE id = ?').run(
      '$.rateLimit',
      JSON.stringify(LIMIT),
      SYNC_TARGET,
    );
    importZReports(db, 1, 365);
    const before = sandbox.requestCount();
    const started = performance.now();
    const result = await syncTarget(db, target(), { secrets });
    const seconds = (performance.now() - started) / 1000;
    const requests = sandbox.requestCount() - before;
    const limitPerSecond = LIMIT.requests / (LIMIT.perMs / 1000);
    console.log(
      `backlog drain: ${result.posted} of 365 Z-reports posted in ${seconds.toFixed(1)} s, ${requests} requests = ` +
        `${(requests / seconds).toFixed(2)} req/s against a sandbox limit of ${limitPerSecond} req/s ` +
        `(ratio ${(requests / seconds / limitPerSecond).toFixed(2)}); sandbox holds ${sandbox.vouchers().length}`,
    );
    db.close();
  } finally {
    await sandbox.close();
    rmSync(home, { recursive: true, force: true });
  }
}

await backlog();
await latency();
