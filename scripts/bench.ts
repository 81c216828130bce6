/**
 * Benchmarks printed as figures (no assertions): demo run time, demo database size, and voucher
 * build throughput on synthetic Z-reports. Run with `npm run bench`.
 */
import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runDemo } from '../src/main/demo/run-demo';
import { PRESETS } from '../src/main/mapping/presets';
import { openDatabase } from '../src/main/store/database';
import { listSettlements } from '../src/main/store/settlements';
import { buildVoucher, DEFAULT_RESIDUAL_LIMITS } from '../src/main/vouchers/build';

function fileSize(path: string): number {
  try {
    return statSync(path).size;
  } catch {
    return 0;
  }
}

const home = mkdtempSync(join(tmpdir(), 'kassebro-bench-'));
try {
  const file = join(home, 'kassebro.sqlite');
  const db = openDatabase(file);
  const started = performance.now();
  const summary = runDemo(db, file);
  const demoMs = performance.now() - started;
  db.pragma('wal_checkpoint(TRUNCATE)');
  const settlements = listSettlements(db, { kind: 'Z' });
  db.close();

  const options = {
    vatStyle: { kind: 'code-on-line', amountBasis: 'gross' } as const,
    language: 'nb' as const,
    chart: null,
    ...DEFAULT_RESIDUAL_LIMITS,
  };
  const rounds = 50;
  const buildStart = performance.now();
  for (let round = 0; round < rounds; round += 1) {
    for (const settlement of settlements) buildVoucher(settlement, PRESETS['no-standard'].kontooppsett, options);
  }
  const buildMs = performance.now() - buildStart;
  const built = rounds * settlements.length;

  console.log(`demo run (generate POS db, import, build ${summary.settlements.z} vouchers): ${demoMs.toFixed(0)} ms`);
  console.log(
    `demo database: ${(fileSize(file) / 1024).toFixed(0)} KiB; demo POS database: ${(fileSize(summary.posDatabase) / 1024).toFixed(0)} KiB`,
  );
  console.log(
    `voucher build: ${built} vouchers in ${buildMs.toFixed(0)} ms = ${((built / buildMs) * 1000).toFixed(0)} vouchers/s`,
  );
} finally {
  rmSync(home, { recursive: true, force: true });
}
