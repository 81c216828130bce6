// Prints the one summary line CI reads ("N passed, N failed, N skipped") from vitest's JSON report.
// A missing report means the tests never ran (lint, typecheck or build failed first): that is a failure.
import { existsSync, readFileSync } from 'node:fs';

const file = process.argv[2] ?? 'test-results/vitest.json';
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
