// Prints what CI reads at the end of a run: the slowest test files, the time per test project and
// of the whole run, then the one summary line "N passed, N failed, N skipped" from vitest's JSON
// report. A missing report means the tests never ran (lint, typecheck or build failed first): that
// is a failure.
//   node scripts/test-summary.mjs [vitest.json] [--run-seconds N]
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { parseArgs } from 'node:util';

const SLOWEST = 10;

const { values, positionals } = parseArgs({ options: { 'run-seconds': { type: 'string' } }, allowPositionals: true });
const file = positionals[0] ?? 'test-results/vitest.json';

/** 754_000 → "12m 34s"; 4_200 → "4.2s". */
function duration(ms) {
  if (ms < 60_000) return `${(ms / 1000).toFixed(1)}s`;
  const seconds = Math.round(ms / 1000);
  return `${Math.floor(seconds / 60)}m ${String(seconds % 60).padStart(2, '0')}s`;
}

/** The per-file times scripts/timing-reporter.ts wrote next to the JSON report, if it did. */
function printTimings(timingFile) {
  if (!existsSync(timingFile)) return;
  const { wallMs, files } = JSON.parse(readFileSync(timingFile, 'utf8'));
  const slowest = [...files].sort((a, b) => b.totalMs - a.totalMs).slice(0, SLOWEST);
  const width = Math.max(...slowest.map((f) => f.project.length));
  console.log(`Slowest ${slowest.length} test files (import time in brackets):`);
  for (const f of slowest) {
    console.log(
      `  ${duration(f.totalMs).padStart(7)}  ${f.project.padEnd(width)}  ${f.file} (${duration(f.importMs)})`,
    );
  }
  const perProject = new Map();
  for (const f of files) perProject.set(f.project, (perProject.get(f.project) ?? 0) + f.totalMs);
  const projects = [...perProject].map(([name, ms]) => `${name} ${duration(ms)}`).join(', ');
  console.log(`Tests: ${duration(wallMs)} wall; summed per file: ${projects}`);
}

printTimings(join(dirname(file), 'timing.json'));
if (values['run-seconds'] !== undefined) console.log(`Whole run: ${duration(Number(values['run-seconds']) * 1000)}`);

if (!existsSync(file)) {
  console.log('0 passed, 1 failed, 0 skipped');
  console.error(`no test report at ${file}: the test run stopped before vitest (see above)`);
  process.exit(1);
}
const report = JSON.parse(readFileSync(file, 'utf8'));
const skipped = report.numPendingTests + report.numTodoTests;
// A test file that fails to load has no failed test in it, but its suite failed: count it.
const failed =
  report.numFailedTests + (report.numFailedTests === 0 && !report.success ? report.numFailedTestSuites || 1 : 0);
console.log(`${report.numPassedTests} passed, ${failed} failed, ${skipped} skipped`);
process.exit(failed > 0 || report.numTotalTests === 0 ? 1 : 0);
