import { spawnSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { TimingReport } from '../scripts/timing-reporter';
import { useTempHome } from './helpers/temp-home';

const SUMMARY = join(import.meta.dirname, '..', 'scripts', 'test-summary.mjs');
const newHome = useTempHome();

function summary(dir: string, ...args: string[]): { lines: string[]; status: number | null } {
  const result = spawnSync(process.execPath, [SUMMARY, join(dir, 'vitest.json'), ...args], { encoding: 'utf8' });
  return { lines: result.stdout.trimEnd().split('\n'), status: result.status };
}

const passedReport = {
  numTotalTests: 3,
  numPassedTests: 2,
  numFailedTests: 0,
  numFailedTestSuites: 0,
  numPendingTests: 1,
  numTodoTests: 0,
  success: true,
};

describe('CI test summary', () => {
  it('lists the slowest files by total time, the time per project and of the run, then the counts', () => {
    const dir = newHome();
    writeFileSync(join(dir, 'vitest.json'), JSON.stringify(passedReport));
    const files = Array.from({ length: 12 }, (_, i) => ({
      file: `src/f${i}.test.ts`,
      project: i === 11 ? 'stress' : 'unit',
      importMs: 100 * i,
      totalMs: 1000 * i,
    }));
    const timing: TimingReport = { wallMs: 754_000, files };
    writeFileSync(join(dir, 'timing.json'), JSON.stringify(timing));

    const { lines, status } = summary(dir, '--run-seconds', '1111');
    expect(status).toBe(0);
    expect(lines).toEqual([
      'Slowest 10 test files (import time in brackets):',
      '    11.0s  stress  src/f11.test.ts (1.1s)',
      '    10.0s  unit    src/f10.test.ts (1.0s)',
      ...[9, 8, 7, 6, 5, 4, 3, 2].map((i) => `     ${i}.0s  unit    src/f${i}.test.ts (0.${i}s)`),
      'Tests: 12m 34s wall; summed per file: unit 55.0s, stress 11.0s',
      'Whole run: 18m 31s',
      '2 passed, 0 failed, 1 skipped',
    ]);
  });

  it('fails with one failed test when vitest never wrote a report', () => {
    const { lines, status } = summary(newHome());
    expect(status).toBe(1);
    expect(lines).toEqual(['0 passed, 1 failed, 0 skipped']);
  });
});
