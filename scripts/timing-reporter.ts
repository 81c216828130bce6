import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, relative } from 'node:path';
import type { Reporter, TestModule } from 'vitest/node';

const OUTPUT = 'test-results/timing.json';

/** One test file's time: its import (collect) plus its tests and hooks, in ms. */
export interface FileTiming {
  readonly file: string;
  readonly project: string;
  readonly importMs: number;
  readonly totalMs: number;
}

export interface TimingReport {
  readonly wallMs: number;
  readonly files: readonly FileTiming[];
}

/**
 * Writes test-results/timing.json for scripts/test-summary.mjs. vitest's JSON report times a file
 * from its first test to its last, so a file that spends seconds importing looks fast there.
 */
export default class TimingReporter implements Reporter {
  private startedAt = Date.now();

  onTestRunStart(): void {
    this.startedAt = Date.now();
  }

  onTestRunEnd(testModules: ReadonlyArray<TestModule>): void {
    const files = testModules.map((module): FileTiming => {
      const d = module.diagnostic();
      return {
        file: relative(process.cwd(), module.moduleId),
        project: module.project.name,
        importMs: Math.round(d.collectDuration),
        totalMs: Math.round(
          d.environmentSetupDuration + d.prepareDuration + d.setupDuration + d.collectDuration + d.duration,
        ),
      };
    });
    const report: TimingReport = { wallMs: Date.now() - this.startedAt, files };
    mkdirSync(dirname(OUTPUT), { recursive: true });
    writeFileSync(OUTPUT, JSON.stringify(report, null, 2) + '\n');
  }
}
