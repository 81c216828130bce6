/**
 * Import-off-the-event-loop figures (no assertions). Generates a SAF-T file of about 200 MB
 * (`BENCH_IMPORT_MB` changes it), imports it through the engine's importFile (read in the parse
 * worker, stored on the engine thread) while `monitorEventLoopDelay` watches the engine's thread,
 * and prints the delay's p50/p99/max (goal: p99 < 100 ms) and the time. For comparison it then
 * imports the same file the synchronous way (importFile on the calling thread), during which the
 * loop is blocked throughout.
 */
import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { importFile } from '../src/main/sources/import-file';
import { openDatabase } from '../src/main/store/database';
import { writeSaftYear } from '../test/fixtures/saft-year';
import { testEngine } from '../test/helpers/engine';

const MB = 1024 * 1024;
const ms = (nanoseconds: number): string => `${(nanoseconds / 1e6).toFixed(1)} ms`;

const sizeMb = Number(process.env['BENCH_IMPORT_MB'] ?? 200);
const dir = mkdtempSync(join(tmpdir(), 'kassebro-bench-import-'));
try {
  const path = join(dir, `saft-${sizeMb}.xml`);
  writeSaftYear(path, sizeMb);
  const fileMb = statSync(path).size / MB;

  const engineHome = join(dir, 'engine');
  const { ok, events } = testEngine(mkdtempSync(`${engineHome}-`));
  const delay = monitorEventLoopDelay({ resolution: 1 });
  const started = performance.now();
  delay.enable();
  const result = await ok('importFile', { path });
  delay.disable();
  const seconds = (performance.now() - started) / 1000;
  const progressEvents = events.filter((event) => event.type === 'importProgress').length;
  console.log(
    `importFile through the parse worker, SAF-T ${fileMb.toFixed(0)} MB: ${seconds.toFixed(1)} s, ` +
      `${result.imported.length} Z reports, ${progressEvents} progress events; engine event-loop delay ` +
      `p50 ${ms(delay.percentile(50))}, p99 ${ms(delay.percentile(99))}, max ${ms(delay.max)} (goal p99 < 100 ms)`,
  );

  const db = openDatabase(join(mkdtempSync(`${engineHome}-`), 'kassebro.sqlite'));
  const syncStarted = performance.now();
  importFile(db, path);
  console.log(
    `importFile on the calling thread, same file: ${((performance.now() - syncStarted) / 1000).toFixed(1)} s with the event loop blocked throughout`,
  );
} finally {
  rmSync(dir, { recursive: true, force: true });
}
